/* Helpers of the line-based readers: blank lines and parsing one JSON line with its report. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/internal.h"
#include "dataset/dataset_internal.h"
#include "io/json.h"

int vs__ds_blank(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\f' && s[i] != '\v') return 0;
    return 1;
}

/* Splits a JSON parse error message "src:L:C: text" (src = `prefix`) into its column and text;
 * falls back to column 1 and the whole message. */
static void split_json_error(const char *message, const char *prefix, size_t *out_column, const char **out_text) {
    *out_column = 1;
    *out_text = message;
    size_t pl = strlen(prefix);
    if (strncmp(message, prefix, pl) != 0 || message[pl] != ':') return;
    const char *p = message + pl + 1;
    size_t line = 0, col = 0;
    while (*p >= '0' && *p <= '9') line = line * 10 + (size_t)(*p++ - '0');
    if (*p++ != ':' || line == 0) return;
    while (*p >= '0' && *p <= '9') col = col * 10 + (size_t)(*p++ - '0');
    if (*p != ':' || p[1] != ' ' || col == 0) return;
    *out_column = col;
    *out_text = p + 2;
}

int vs__ds_json_line(vs_json **out, vs_dataset *ds, const char *line, size_t len, size_t lineno, int too_long,
                     size_t max) {
    *out = NULL;
    if (too_long)
        return vs__ds_report(ds, VS_DATASET_SKIP_LINE_TOO_LONG, VS_ELIMIT, lineno, 1, "", 0,
                             "line longer than the limit of %zu bytes", max);
    if (vs__ds_blank(line, len))
        return vs__ds_report(ds, VS_DATASET_SKIP_BLANK_LINE, VS_EPARSE, lineno, 1, "", 0, "blank line");
    int rc = vs__json_parse(out, line, len, ds->name, VS_JSON_DEFAULT_MAX_DEPTH);
    if (rc == VS_OK || rc == VS_ENOMEM) return rc;
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", vs_last_error());
    size_t col;
    const char *text;
    split_json_error(msg, ds->name, &col, &text);
    uint32_t reason = rc == VS_EUTF8 ? VS_DATASET_SKIP_INVALID_UTF8 : VS_DATASET_SKIP_INVALID_JSON;
    return vs__ds_report(ds, reason, rc, lineno, col, "", 0, "%s", text);
}
