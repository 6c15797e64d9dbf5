/* The report of everything a reader skipped, and strict-mode failures built from it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/internal.h"
#include "common/utf8.h"
#include "dataset/dataset_internal.h"

static const char *const reason_names[VS_DATASET_SKIP_REASON_END] = {
    "unknown",      "invalid_json",    "invalid_utf8",  "line_too_long", "bad_record",
    "bad_dialogue", "malformed_label", "unknown_label", "conflict",      "duplicate",
    "blank_line",   "ignored_field",   "invalid_csv",
};

const char *vs_dataset_skip_reason_name(uint32_t reason) {
    return reason < VS_DATASET_SKIP_REASON_END ? reason_names[reason] : reason_names[0];
}

/* 1 for the reasons that never fail a strict read. */
static int informational(uint32_t reason) {
    return reason == VS_DATASET_SKIP_DUPLICATE || reason == VS_DATASET_SKIP_BLANK_LINE ||
           reason == VS_DATASET_SKIP_IGNORED_FIELD;
}

size_t vs__ds_cut(const char *s, size_t len, size_t max) {
    if (len <= max) return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return n;
}

/* The report keeps counts of every entry and details (line, column, token, message) of the
 * first VS_DATASET_SKIP_DETAILS_MAX entries in report order (line, then column). Every entry
 * of a line is counted; while there is room its details are appended; when the store is full
 * in the middle of a line, the entries of that line that are kept form a max-heap on (column,
 * sequence) so that a later entry with a smaller column replaces the largest one: the kept
 * entries are always the first ones in report order, whatever order a line reports them in.
 * Entries of later lines are only counted. A line's entries are sorted once, at its end. */

static int before(const vs__ds_skip *a, const vs__ds_skip *b) {
    return a->column < b->column || (a->column == b->column && a->seq < b->seq);
}

static void sift_down(vs__ds_skip *h, size_t n, size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && before(&h[m], &h[l])) m = l;
        if (r < n && before(&h[m], &h[r])) m = r;
        if (m == i) return;
        vs__ds_skip t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

void vs__ds_line_begin(vs_dataset *ds) {
    ds->line_first = ds->n_skips;
    ds->line_heap = 0;
    ds->strict_set = 0;
}

int vs__ds_report(vs_dataset *ds, uint32_t reason, int status, size_t line, size_t column, const char *tok,
                  size_t tok_len, const char *fmt, ...) {
    ds->reason_counts[reason]++;
    size_t seq = ds->seq++;
    /* Strict mode fails after the line with its first non-informational entry (kept here, so
     * that it does not depend on the details kept). */
    int strict = (ds->flags & VS_DATASET_STRICT) && !informational(reason) &&
                 (!ds->strict_set || column < ds->strict_column);
    vs__ds_skip *slot = NULL;
    int append = ds->n_skips < VS_DATASET_SKIP_DETAILS_MAX;
    if (append) {
        if (ds->n_skips == ds->skips_cap &&
            vs__grow((void **)&ds->skips, &ds->skips_cap, ds->n_skips + 1, sizeof *ds->skips) != VS_OK)
            return VS_ENOMEM;
        slot = &ds->skips[ds->n_skips];
        slot->text = NULL;
    } else if (ds->line_first < ds->n_skips) {
        vs__ds_skip *h = ds->skips + ds->line_first;
        size_t n = ds->n_skips - ds->line_first;
        if (!ds->line_heap) {
            for (size_t i = n / 2; i-- > 0;) sift_down(h, n, i);
            ds->line_heap = 1;
        }
        if (column < h[0].column) slot = &h[0]; /* a later entry never ties before an earlier one */
    }
    if (!slot && !strict) return VS_OK;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (strict) {
        ds->strict_set = 1;
        ds->strict_status = status;
        ds->strict_line = line;
        ds->strict_column = column;
        memcpy(ds->strict_message, msg, strlen(msg) + 1);
    }
    if (!slot) return VS_OK;
    size_t tl = tok ? vs__ds_cut(tok, tok_len, VS__DS_MAX_TOKEN) : 0, ml = strlen(msg);
    char *text = vs__malloc(tl + ml + 2);
    if (!text) return vs__nomem("vs_dataset report");
    if (tl) memcpy(text, tok, tl);
    text[tl] = '\0';
    memcpy(text + tl + 1, msg, ml + 1);
    vs__free(slot->text);
    *slot = (vs__ds_skip){reason, status, line, column, seq, text, text, text + tl + 1};
    if (append) ds->n_skips++;
    else sift_down(ds->skips + ds->line_first, ds->n_skips - ds->line_first, 0);
    return VS_OK;
}

static int cmp_skip(const void *a, const void *b) {
    const vs__ds_skip *x = a, *y = b;
    return before(x, y) ? -1 : before(y, x) ? 1 : 0;
}

int vs__ds_line_end(vs_dataset *ds) {
    size_t n = ds->n_skips - ds->line_first;
    if (n > 1) qsort(ds->skips + ds->line_first, n, sizeof *ds->skips, cmp_skip);
    ds->line_first = ds->n_skips;
    ds->line_heap = 0;
    if (!ds->strict_set) return VS_OK;
    ds->strict_set = 0;
    return vs__error(ds->strict_status, "%s:%zu:%zu: %s", ds->name, ds->strict_line, ds->strict_column,
                     ds->strict_message);
}

void vs__ds_skips_free(vs_dataset *ds) {
    for (size_t i = 0; i < ds->n_skips; i++) vs__free(ds->skips[i].text);
    vs__free(ds->skips);
    ds->skips = NULL;
    ds->n_skips = ds->skips_cap = 0;
}

/* ---------------------------------------------------------------- public report */

size_t vs_dataset_skip_total(const vs_dataset *ds) { return ds ? ds->n_skips : 0; }

size_t vs_dataset_skip_count(const vs_dataset *ds, uint32_t reason) {
    return (ds && reason < VS_DATASET_SKIP_REASON_END) ? ds->reason_counts[reason] : 0;
}

static const vs__ds_skip *skip_at(const vs_dataset *ds, size_t k) {
    return (ds && k < ds->n_skips) ? &ds->skips[k] : NULL;
}

uint32_t vs_dataset_skip_reason(const vs_dataset *ds, size_t k) {
    const vs__ds_skip *e = skip_at(ds, k);
    return e ? e->reason : 0;
}
size_t vs_dataset_skip_line(const vs_dataset *ds, size_t k) {
    const vs__ds_skip *e = skip_at(ds, k);
    return e ? e->line : 0;
}
size_t vs_dataset_skip_column(const vs_dataset *ds, size_t k) {
    const vs__ds_skip *e = skip_at(ds, k);
    return e ? e->column : 0;
}
const char *vs_dataset_skip_token(const vs_dataset *ds, size_t k) {
    const vs__ds_skip *e = skip_at(ds, k);
    return e ? e->token : NULL;
}
const char *vs_dataset_skip_message(const vs_dataset *ds, size_t k) {
    const vs__ds_skip *e = skip_at(ds, k);
    return e ? e->message : NULL;
}

int vs_dataset_skip_lines(size_t *out_needed, const vs_dataset *ds, uint32_t reason, size_t *buf, size_t cap) {
    if (!out_needed || !ds || (!buf && cap)) return vs__error(VS_EINVAL, "vs_dataset_skip_lines: NULL argument");
    if (reason == 0 || reason >= VS_DATASET_SKIP_REASON_END)
        return vs__error(VS_EINVAL, "vs_dataset_skip_lines: unknown reason %u", (unsigned)reason);
    size_t n = 0;
    for (size_t i = 0; i < ds->n_skips; i++) n += ds->skips[i].reason == reason;
    *out_needed = n;
    if (cap < n) return vs__error(VS_EBUFSIZE, "vs_dataset_skip_lines: buffer of %zu for %zu lines", cap, n);
    size_t j = 0;
    for (size_t i = 0; i < ds->n_skips; i++)
        if (ds->skips[i].reason == reason) buf[j++] = ds->skips[i].line;
    return VS_OK;
}

const char *vs__ds_q(char *buf, const char *s, size_t len, size_t max) {
    static const char hex[] = "0123456789abcdef";
    if (max > VS__DS_MAX_TOKEN) max = VS__DS_MAX_TOKEN;
    size_t o = 0, i = 0;
    while (i < len) {
        unsigned char ch = (unsigned char)s[i];
        char tmp[4];
        const char *src = tmp;
        size_t n = 1, in = 1;
        if (ch == '\n' || ch == '\t' || ch == '\r') {
            tmp[0] = '\\';
            tmp[1] = ch == '\n' ? 'n' : ch == '\t' ? 't' : 'r';
            n = 2;
        } else if (ch < 0x20 || ch == 0x7f) {
            tmp[0] = '\\';
            tmp[1] = 'x';
            tmp[2] = hex[ch >> 4];
            tmp[3] = hex[ch & 15];
            n = 4;
        } else if (ch < 0x80) {
            tmp[0] = (char)ch;
        } else {
            size_t want = ch >= 0xF0 && ch <= 0xF4 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC2 && ch <= 0xDF ? 2 : 0;
            if (want >= 3 && ch > 0xF4) want = 0;
            size_t bad;
            if (want && i + want <= len && vs__utf8_valid(s + i, want, &bad)) {
                src = s + i;
                n = in = want;
            } else {
                tmp[0] = '\\';
                tmp[1] = 'x';
                tmp[2] = hex[ch >> 4];
                tmp[3] = hex[ch & 15];
                n = 4;
            }
        }
        if (o + n > max) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(buf + o, src, n);
        o += n;
        i += in;
    }
    buf[o] = '\0';
    return buf;
}
