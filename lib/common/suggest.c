/* "Did you mean ...?" for names the caller got wrong: one edit distance and one message format
 * for every by-name lookup of the library (option values, built-in spaces, banks, targets), so
 * that vs_last_error() gives C, Python and Rust users the same actionable hint; and the same
 * choice for the caller's own names (vs_closest_name(), public). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/internal.h"

/* Longest name compared; longer ones are "too far" (no allocation, so it works after ENOMEM). */
#define VS__SUGGEST_MAX_LEN 64

/* ASCII case folding only: the tables hold ASCII names, and a user's "Varimax" should match. */
static unsigned char fold(char c) {
    unsigned char u = (unsigned char)c;
    return u >= 'A' && u <= 'Z' ? (unsigned char)(u - 'A' + 'a') : u;
}

static size_t min3(size_t a, size_t b, size_t c) {
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

size_t vs__edit_distance(const char *a, const char *b) {
    size_t n = strlen(a), m = strlen(b);
    if (n > VS__SUGGEST_MAX_LEN || m > VS__SUGGEST_MAX_LEN) return SIZE_MAX;
    /* Optimal string alignment: three rows of the Damerau-Levenshtein table (a transposition
     * of neighbours costs 1, the most common typo after a wrong letter). */
    size_t rows[3][VS__SUGGEST_MAX_LEN + 1];
    size_t *before = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= m; j++) prev[j] = j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t cost = fold(a[i - 1]) != fold(b[j - 1]);
            size_t d = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1]) &&
                before[j - 2] + 1 < d)
                d = before[j - 2] + 1;
            cur[j] = d;
        }
        size_t *spare = before;
        before = prev;
        prev = cur;
        cur = spare;
    }
    return prev[m];
}

/* The i-th name of a table, or NULL past its end (a NULL name also ends a table). */
static const char *name_at(vs__names names, size_t i) {
    if (i >= names.count) return NULL;
    return *(const char *const *)(const void *)((const char *)names.first + i * names.stride);
}

/* The distance of value (of length vlen) and cand when it is close enough to suggest: about one
 * edit in three letters, at least 1 and at most 3 ("varimx" -> "varimax", but "ml" never
 * suggests "pa"); SIZE_MAX otherwise. */
static size_t close_distance(const char *value, size_t vlen, const char *cand) {
    size_t clen = strlen(cand), longer = vlen > clen ? vlen : clen;
    size_t limit = longer / 3 < 1 ? 1 : longer / 3 > 3 ? 3 : longer / 3;
    size_t d = vs__edit_distance(value, cand);
    return d <= limit ? d : SIZE_MAX;
}

const char *vs__closest_name(const char *value, vs__names names) {
    const char *best = NULL;
    size_t best_d = SIZE_MAX, vlen = strlen(value);
    for (size_t i = 0; name_at(names, i); i++) {
        size_t d = close_distance(value, vlen, name_at(names, i));
        if (d < best_d) {
            best = name_at(names, i);
            best_d = d;
        }
    }
    return best;
}

size_t vs_closest_name(const char *value, const char *const *names, size_t n) {
    size_t best = VS_NPOS, best_d = SIZE_MAX;
    if (!value || !names) return VS_NPOS;
    size_t vlen = strlen(value);
    for (size_t i = 0; i < n; i++) {
        if (!names[i]) continue;
        size_t d = close_distance(value, vlen, names[i]);
        if (d < best_d) {
            best = i;
            best_d = d;
        }
    }
    return best;
}

/* True if an earlier name of the table equals the i-th one up to case (listed once). */
static int listed_before(vs__names names, size_t i) {
    for (size_t k = 0; k < i; k++)
        if (strcasecmp(name_at(names, k), name_at(names, i)) == 0) return 1;
    return 0;
}

/* Appends to buf[0..cap) at *len, never past cap; *len counts the whole text, like snprintf. */
static void put(char *buf, size_t cap, size_t *len, const char *fmt, ...) VS_PRINTF(4, 5);
static void put(char *buf, size_t cap, size_t *len, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf && *len < cap ? buf + *len : NULL, *len < cap ? cap - *len : 0, fmt, ap);
    va_end(ap);
    if (w > 0) *len += (size_t)w;
}

size_t vs__suggest_format(char *buf, size_t cap, const char *value, vs__names names) {
    size_t len = 0;
    if (buf && cap) buf[0] = '\0';
    const char *best = vs__closest_name(value, names);
    if (best) put(buf, cap, &len, "did you mean '%s'? ", best);
    put(buf, cap, &len, "valid:");
    for (size_t i = 0; name_at(names, i); i++)
        if (!listed_before(names, i)) put(buf, cap, &len, "%s %s", i ? "," : "", name_at(names, i));
    return len;
}

int vs__error_unknown_name(const char *where, const char *what, const char *value, vs__names names) {
    char hint[768];
    vs__suggest_format(hint, sizeof hint, value, names);
    return vs__error(VS_ENOTFOUND, "%s: unknown %s '%.100s' (%s)", where, what, value, hint);
}
