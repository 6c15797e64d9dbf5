/* RFC 4180 CSV for the generic reader: a header row, then one record per row. Fields may be
 * quoted ("..."), a quoted field may hold commas, line ends and "" for a quote; a line end
 * inside a quoted field is kept as read ("\n" or "\r\n"). Every field remembers the line and
 * byte column where it starts, for messages. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/internal.h"
#include "common/utf8.h"
#include "dataset/dataset_internal.h"

#define QUOTE(s, n) VS__DS_QUOTE(s, n)

typedef struct csv_field {
    size_t off, len; /* unescaped bytes in csv_rec.buf (NUL-terminated there) */
    size_t line, col;
} csv_field;

typedef struct csv_rec {
    char *buf;
    size_t len, cap;
    csv_field *f;
    size_t n, fcap;
    size_t line;  /* first line of the record */
    size_t bytes; /* raw bytes read for it */
    int blank, too_long;
    uint32_t err_reason; /* 0 or the first problem */
    int err_status;
    size_t err_line, err_col;
    const char *err_why;
} csv_rec;

enum { FIELD_START, UNQUOTED, QUOTED, QUOTE_SEEN };

static void set_error(csv_rec *c, uint32_t reason, int status, size_t line, size_t col, const char *why) {
    if (c->err_reason) return;
    c->err_reason = reason;
    c->err_status = status;
    c->err_line = line;
    c->err_col = col;
    c->err_why = why;
}

static int put(csv_rec *c, const char *s, size_t n) {
    if (c->too_long) return VS_OK;
    if (c->len + n + 1 > c->cap && vs__grow((void **)&c->buf, &c->cap, c->len + n + 1, 1) != VS_OK) return VS_ENOMEM;
    memcpy(c->buf + c->len, s, n);
    c->len += n;
    return VS_OK;
}

static int begin_field(csv_rec *c, size_t line, size_t col) {
    if (c->too_long) return VS_OK;
    if (c->n == c->fcap && vs__grow((void **)&c->f, &c->fcap, c->n + 1, sizeof *c->f) != VS_OK) return VS_ENOMEM;
    c->f[c->n] = (csv_field){c->len, 0, line, col};
    c->n++;
    return VS_OK;
}

static int end_field(csv_rec *c) {
    if (c->too_long) return VS_OK;
    csv_field *f = &c->f[c->n - 1];
    f->len = c->len - f->off;
    return put(c, "", 1); /* the NUL after the field */
}

/* Reads the next record. Returns 1 with a record (possibly blank, too long or in error),
 * 0 at the end of the input, or a negative status. */
static int csv_next(csv_rec *c, vs__lines *r) {
    c->len = c->n = c->bytes = 0;
    c->blank = c->too_long = 0;
    c->err_reason = 0;
    int state = FIELD_START, first = 1, rc;
    size_t qline = 0, qcol = 0; /* where the open quoted field started */
    for (;;) {
        const char *line;
        size_t len;
        int crlf, too_long;
        int got = vs__lines_next(r, &line, &len, &crlf, &too_long);
        if (got < 0) return got;
        if (got == 0) {
            if (first) return 0;
            set_error(c, VS_DATASET_SKIP_INVALID_CSV, VS_EPARSE, qline, qcol,
                      "a quoted field is not closed at the end of the input");
            return (rc = end_field(c)) != VS_OK ? rc : 1;
        }
        if (first) {
            c->line = r->line;
            size_t skip = (r->line == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
            if (!too_long && vs__ds_blank(line + skip, len - skip)) {
                c->blank = 1;
                return 1;
            }
            first = 0;
        }
        if (too_long) {
            c->too_long = 1; /* the line's content is lost: the record ends here */
            return 1;
        }
        c->bytes += len;
        if (c->bytes > r->max) c->too_long = 1; /* keep scanning for the end of the record */
        size_t bad;
        if (!vs__utf8_valid(line, len, &bad))
            set_error(c, VS_DATASET_SKIP_INVALID_UTF8, VS_EUTF8, r->line, bad + 1, "invalid UTF-8");
        /* A byte order mark before the header is not part of its first name. */
        size_t i0 = (r->line == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
        for (size_t i = i0; i < len; i++) {
            char ch = line[i];
            if (ch == '\0') set_error(c, VS_DATASET_SKIP_INVALID_CSV, VS_EPARSE, r->line, i + 1, "a NUL character");
            switch (state) {
            case FIELD_START:
                if ((rc = begin_field(c, r->line, i + 1)) != VS_OK) return rc;
                if (ch == '"') {
                    state = QUOTED;
                    qline = r->line;
                    qcol = i + 1;
                } else if (ch == ',') {
                    if ((rc = end_field(c)) != VS_OK) return rc;
                } else {
                    state = UNQUOTED;
                    if ((rc = put(c, &ch, 1)) != VS_OK) return rc;
                }
                break;
            case UNQUOTED:
                if (ch == ',') {
                    state = FIELD_START;
                    if ((rc = end_field(c)) != VS_OK) return rc;
                    break;
                }
                if (ch == '"')
                    set_error(c, VS_DATASET_SKIP_INVALID_CSV, VS_EPARSE, r->line, i + 1,
                              "a quote inside an unquoted field");
                if ((rc = put(c, &ch, 1)) != VS_OK) return rc;
                break;
            case QUOTED:
                if (ch == '"') state = QUOTE_SEEN;
                else if ((rc = put(c, &ch, 1)) != VS_OK) return rc;
                break;
            default: /* QUOTE_SEEN */
                if (ch == '"') {
                    state = QUOTED;
                    if ((rc = put(c, "\"", 1)) != VS_OK) return rc;
                } else if (ch == ',') {
                    state = FIELD_START;
                    if ((rc = end_field(c)) != VS_OK) return rc;
                } else {
                    set_error(c, VS_DATASET_SKIP_INVALID_CSV, VS_EPARSE, r->line, i + 1,
                              "text after the closing quote of a field");
                    state = UNQUOTED;
                    if ((rc = put(c, &ch, 1)) != VS_OK) return rc;
                }
                break;
            }
        }
        if (state == QUOTED) {
            c->bytes += 1 + (size_t)crlf;
            if ((rc = put(c, crlf ? "\r\n" : "\n", crlf ? 2 : 1)) != VS_OK) return rc;
            continue;
        }
        /* The line ends the record; after a trailing comma the last field is empty. */
        if (state == FIELD_START && (rc = begin_field(c, r->line, len + 1)) != VS_OK) return rc;
        return (rc = end_field(c)) != VS_OK ? rc : 1;
    }
}

static void csv_free(csv_rec *c) {
    vs__free(c->buf);
    vs__free(c->f);
}

/* Column roles. */
#define ROLE_ID ((size_t)-2)
#define ROLE_TEXT ((size_t)-3)
#define ROLE_PROMPT ((size_t)-4)
#define ROLE_GROUP ((size_t)-5)
#define ROLE_IGNORED ((size_t)-6)

static const char *cell(const csv_rec *c, size_t k) { return c->buf + c->f[k].off; }

static int is_ws(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' || ch == '\v'; }

static int header_fail(const vs_dataset *ds, const csv_rec *c) {
    if (c->too_long)
        return vs__error(VS_ELIMIT, "%s:%zu:1: the header row is longer than the limit", ds->name, c->line);
    return vs__error(c->err_status, "%s:%zu:%zu: header row: %s", ds->name, c->err_line, c->err_col, c->err_why);
}

/* Duplicate columns are found with a map of the names as written (byte for byte) and, for the
 * dimensions, a column per dimension: linear in the number of columns. */
static int read_header_roles(vs__ds_generic *g, csv_rec *c, size_t *roles, vs__ds_map *seen, size_t *dim_col) {
    vs_dataset *ds = g->ds;
    int have_text = 0, have_prompt = 0, rc;
    vs__ds_set *set = &ds->sets[0];
    for (size_t k = 0; k < c->n; k++) {
        const char *name = cell(c, k);
        size_t len = c->f[k].len, j;
        if (vs__ds_map_get(seen, name, len, &j))
            return vs__error(VS_EDUPLICATE,
                             "%s:%zu:%zu: column '%.*s' appears twice in the header (columns %zu and %zu)",
                             ds->name, c->f[k].line, c->f[k].col, QUOTE(name, len), j + 1, k + 1);
        if ((rc = vs__ds_map_put(seen, name, len, k)) != VS_OK) return rc;
        if (strcmp(name, g->text_f) == 0) {
            roles[k] = ROLE_TEXT;
            have_text = 1;
        } else if (g->prompt_f && strcmp(name, g->prompt_f) == 0) {
            roles[k] = ROLE_PROMPT;
            have_prompt = 1;
        } else if (strcmp(name, g->id_f) == 0) {
            roles[k] = ROLE_ID;
        } else if (strcmp(name, g->group_f) == 0) {
            roles[k] = ROLE_GROUP;
        } else {
            size_t dim = VS_NPOS;
            if (len > 0 && !memchr(name, '\0', len) && (rc = vs__ds_lookup(&dim, set, name, len)) != VS_OK) return rc;
            if (dim == VS_NPOS) {
                roles[k] = ROLE_IGNORED;
                if ((rc = vs__ds_gen_ignored_report(g, name, len, c->f[k].line, c->f[k].col)) != VS_OK) return rc;
                continue;
            }
            if (dim_col[dim]) {
                j = dim_col[dim] - 1;
                return vs__error(VS_EDUPLICATE, "%s:%zu:%zu: columns '%.*s' and '%.*s' name the same dimension '%s'",
                                 ds->name, c->f[k].line, c->f[k].col, QUOTE(cell(c, j), c->f[j].len),
                                 QUOTE(name, len), vs_space_key(set->space, set->offset + dim));
            }
            dim_col[dim] = k + 1;
            roles[k] = dim;
        }
    }
    if (!have_text)
        return vs__error(VS_EPARSE, "%s:%zu:1: the header has no text column '%s'", ds->name, c->line, g->text_f);
    if (g->prompt_f && !have_prompt)
        return vs__error(VS_EPARSE, "%s:%zu:1: the header has no prompt column '%s'", ds->name, c->line, g->prompt_f);
    return VS_OK;
}

static int read_header(vs__ds_generic *g, csv_rec *c, size_t **out_roles, size_t *out_n) {
    vs_dataset *ds = g->ds;
    if (c->too_long || c->err_reason) return header_fail(ds, c);
    size_t n = c->n;
    size_t *roles = vs__calloc(n, sizeof *roles);
    if (!roles) return vs__nomem("vs_dataset_load");
    *out_roles = roles;
    *out_n = n;
    size_t *dim_col = vs__calloc(ds->sets[0].size, sizeof *dim_col);
    if (!dim_col) return vs__nomem("vs_dataset_load");
    vs__ds_map seen;
    memset(&seen, 0, sizeof seen);
    int rc = read_header_roles(g, c, roles, &seen, dim_col);
    vs__ds_map_free(&seen);
    vs__free(dim_col);
    return rc;
}

/* One data row: labels, then the record. */
static int csv_row(vs__ds_generic *g, const csv_rec *c, const size_t *roles, size_t n) {
    vs_dataset *ds = g->ds;
    if (c->too_long)
        return vs__ds_report(ds, VS_DATASET_SKIP_LINE_TOO_LONG, VS_ELIMIT, c->line, 1, "", 0,
                             "CSV record longer than the limit");
    if (c->err_reason)
        return vs__ds_report(ds, c->err_reason, c->err_status, c->err_line, c->err_col, "", 0, "%s", c->err_why);
    if (c->n != n)
        return vs__ds_report(ds, VS_DATASET_SKIP_BAD_RECORD, VS_EPARSE, c->line, 1, "", 0,
                             "the row has %zu fields, the header %zu", c->n, n);
    const char *val[4] = {NULL, "", "", ""}; /* id, text, prompt, group */
    size_t vl[4] = {0, 0, 0, 0};
    int rc = VS_OK;
    vs__ds_gen_begin(g);
    for (size_t k = 0; k < n && rc == VS_OK; k++) {
        const char *s = cell(c, k);
        size_t len = c->f[k].len;
        size_t role = roles[k];
        int slot = role == ROLE_ID ? 0 : role == ROLE_TEXT ? 1 : role == ROLE_PROMPT ? 2 : role == ROLE_GROUP ? 3 : -1;
        if (slot >= 0) {
            val[slot] = s;
            vl[slot] = len;
            continue;
        }
        if (role == ROLE_IGNORED) continue;
        const char *a = s, *b = s + len;
        while (a < b && is_ws(*a)) a++;
        while (b > a && is_ws(b[-1])) b--;
        if (a == b) continue; /* missing */
        double x;
        if (vs__parse_double(&x, a, (size_t)(b - a)) != VS_OK || !isfinite(x)) {
            rc = vs__ds_report(ds, VS_DATASET_SKIP_MALFORMED_LABEL, VS_EPARSE, c->f[k].line, c->f[k].col, s, len,
                               "malformed label '%.*s' in column '%s': expected a number or an empty field",
                               QUOTE(s, len), vs_space_key(ds->sets[0].space, ds->sets[0].offset + role));
            continue;
        }
        rc = vs__ds_gen_label(g, role, x, c->f[k].line, c->f[k].col, s, len);
    }
    if (rc != VS_OK) return rc;
    char idbuf[32];
    if (!val[0]) {
        snprintf(idbuf, sizeof idbuf, "%zu", c->line);
        val[0] = idbuf;
        vl[0] = strlen(idbuf);
    }
    return vs__ds_add_record(ds, val[0], val[2], vl[2], val[1], vl[1], val[1], vl[1], val[3], vl[3], "", c->line,
                             g->values);
}

int vs__ds_read_csv(vs__ds_generic *g, vs__lines *r) {
    vs_dataset *ds = g->ds;
    csv_rec c;
    memset(&c, 0, sizeof c);
    size_t *roles = NULL, n = 0;
    int header = 0, rc = VS_OK;
    while (rc == VS_OK) {
        int got = csv_next(&c, r);
        if (got <= 0) {
            rc = got;
            break;
        }
        ds->lines = r->line;
        vs__ds_line_begin(ds);
        if (c.blank) {
            rc = vs__ds_report(ds, VS_DATASET_SKIP_BLANK_LINE, VS_EPARSE, c.line, 1, "", 0, "blank line");
        } else if (!header) {
            rc = read_header(g, &c, &roles, &n);
            header = 1;
        } else {
            rc = csv_row(g, &c, roles, n);
        }
        if (rc == VS_OK) rc = vs__ds_line_end(ds);
    }
    if (rc == VS_OK && !header) rc = vs__error(VS_EPARSE, "%s: empty CSV input: no header row", ds->name);
    vs__free(roles);
    csv_free(&c);
    return rc;
}
