/* A term matrix from CSV: a header of term names, then one row of numbers per response. */
#include <math.h>
#include <string.h>

#include "common/utf8.h"
#include "io/file.h"
#include "io/lines.h"
#include "lexical/lexical_internal.h"

/* Reads one field at t[*pos] (up to ',' or the end of the line). Quoted fields may contain
 * commas and doubled quotes, not line breaks. Returns VS_OK or VS_EPARSE; the field text goes
 * to a growing buffer. */
static int field(char **buf, size_t *cap, size_t *flen, const char *t, size_t *pos, size_t end, const char *path,
                 size_t line) {
    size_t p = *pos, n = 0;
    int rc;
    if (p < end && t[p] == '"') {
        p++;
        for (;;) {
            if (p >= end)
                return vs__error(VS_EPARSE, "%s:%zu:%zu: unterminated quoted field", path, line, *pos + 1);
            if (t[p] == '"') {
                if (p + 1 < end && t[p + 1] == '"') {
                    p++;
                } else {
                    p++;
                    break;
                }
            }
            if ((rc = vs__grow((void **)buf, cap, n + 2, 1)) != VS_OK) return rc;
            (*buf)[n++] = t[p++];
        }
        if (p < end && t[p] != ',')
            return vs__error(VS_EPARSE, "%s:%zu:%zu: text after a closing quote", path, line, p + 1);
    } else {
        while (p < end && t[p] != ',') {
            if ((rc = vs__grow((void **)buf, cap, n + 2, 1)) != VS_OK) return rc;
            (*buf)[n++] = t[p++];
        }
    }
    if ((rc = vs__grow((void **)buf, cap, n + 1, 1)) != VS_OK) return rc;
    (*buf)[n] = '\0';
    *flen = n;
    *pos = p;
    return VS_OK;
}

int vs__lex_check_line(int got, int too_long, const char *text, size_t len, const char *path, size_t line,
                       const char *fn) {
    if (got < 0) return got == VS_ENOMEM ? vs__nomem(fn) : got; /* VS_EIO names the file and line */
    if (too_long)
        return vs__error(VS_ELIMIT, "%s: %s:%zu: a line longer than %u bytes", fn, path, line,
                         VS_LEXICAL_MAX_LINE_BYTES);
    const char *nul = memchr(text, '\0', len);
    if (nul) return vs__error(VS_EPARSE, "%s: %s:%zu:%zu: a NUL byte (a text file has none)", fn, path, line,
                             (size_t)(nul - text) + 1);
    size_t bad;
    if (!vs__utf8_valid(text, len, &bad))
        return vs__error(VS_EUTF8, "%s: %s:%zu:%zu: invalid UTF-8", fn, path, line, bad + 1);
    return VS_OK;
}

int vs_lexicon_load_csv(vs_lexicon **out, const char *path) {
    if (!out || !path) return vs__error(VS_EINVAL, "vs_lexicon_load_csv: NULL argument");
    *out = NULL;
    char *buf = NULL;
    size_t cap = 0, flen = 0;
    double *vals = NULL;
    vs__strlist names = {0};
    vs_lexicon *l = NULL;
    /* line by line: a line over the limit is refused without being held (a 1 GiB line) */
    vs__lines lr;
    int rc = vs__lines_open_file(&lr, path, VS_LEXICAL_MAX_LINE_BYTES);
    if (rc != VS_OK) return vs__error_prefix(rc, "vs_lexicon_load_csv");
    if ((rc = vs_lexicon_create(&l)) != VS_OK) goto done;
    size_t line = 0, cols = 0;
    vs__strmap seen = {0};
    const char *text;
    size_t lend;
    int crlf, too_long, got;
    while (rc == VS_OK && (got = vs__lines_next(&lr, &text, &lend, &crlf, &too_long)) != 0) {
        const size_t pos = 0;
        line = lr.line;
        rc = vs__lex_check_line(got, too_long, text, lend, path, line, "vs_lexicon_load_csv");
        if (rc != VS_OK) break;
        if (lend == pos) continue; /* a blank line */
        size_t p = pos, c = 0;
        for (;;) {
            size_t col0 = p - pos + 1;
            {
                size_t q = p - pos;
                rc = field(&buf, &cap, &flen, text + pos, &q, lend - pos, path, line);
                if (rc != VS_OK) break;
                p = pos + q;
            }
            if (cols == 0 && names.n == c) { /* header */
                char *nm = NULL;
                rc = vs__lex_normalize_term(&nm, NULL, buf, flen, "vs_lexicon_load_csv");
                if (rc != VS_OK) break;
                if (!nm) {
                    rc = vs__error(VS_EPARSE, "%s:%zu:%zu: empty term name", path, line, col0);
                    break;
                }
                if (vs__strmap_find(&seen, names.v, nm) != SIZE_MAX) {
                    rc = vs__error(VS_EDUPLICATE, "%s:%zu:%zu: term '%.200s' is named twice", path, line, col0, nm);
                    vs__free(nm);
                    break;
                }
                rc = vs__strlist_push(&names, nm, strlen(nm));
                vs__free(nm);
                if (rc == VS_OK) rc = vs__strmap_insert(&seen, names.v, names.n - 1);
                if (rc != VS_OK) break;
            } else {
                if (c >= cols) {
                    rc = vs__error(VS_EPARSE, "%s:%zu:%zu: more cells than the %zu terms of the header", path, line, col0, cols);
                    break;
                }
                size_t a = 0, b = flen;
                while (a < b && (buf[a] == ' ' || buf[a] == '\t')) a++;
                while (b > a && (buf[b - 1] == ' ' || buf[b - 1] == '\t')) b--;
                double v = 0.0;
                if (b > a && (vs__parse_double(&v, buf + a, b - a) != VS_OK || !isfinite(v))) {
                    rc = vs__error(VS_EPARSE, "%s:%zu:%zu: '%.40s' is not a finite number", path, line, col0, buf);
                    break;
                }
                vals[c] = v;
            }
            c++;
            if (p >= lend) break;
            p++; /* the comma */
        }
        if (rc != VS_OK) break;
        if (cols == 0) {
            cols = names.n;
            vals = vs__calloc(cols, sizeof *vals);
            if (!vals) rc = vs__nomem("vs_lexicon_load_csv");
        } else if (c != cols) {
            rc = vs__error(VS_EPARSE, "%s:%zu: %zu cells, the header names %zu terms", path, line, c, cols);
        } else {
            rc = vs__lexicon_add(l, "", names.v, vals, cols, 1);
            if (rc != VS_OK) rc = vs__error_prefix(rc, "%s:%zu", path, line);
        }
    }
    vs__strmap_clear(&seen);
    if (rc == VS_OK && (cols == 0 || l->nresp == 0))
        rc = vs__error(VS_ERANGE, "vs_lexicon_load_csv: %s: %s", path, cols == 0 ? "no header" : "no data row");
    if (rc == VS_OK) rc = vs__lexicon_refresh(l);
done:
    if (rc != VS_OK) {
        vs_lexicon_free(l);
        l = NULL;
    }
    *out = l;
    vs__lines_close(&lr);
    vs__free(buf);
    vs__free(vals);
    vs__strlist_clear(&names);
    return rc;
}
