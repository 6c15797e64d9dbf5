/* The name-folding rule used for every lookup by name (declared in common/utf8.h). */
#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

#include "common/internal.h"
#include "common/utf8.h"

/* A separator for folding: white space, dash punctuation, underscore, and control characters. */
static int is_separator(utf8proc_int32_t cp) {
    if (cp == '_') return 1;
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP ||
           cat == UTF8PROC_CATEGORY_PD || cat == UTF8PROC_CATEGORY_CC;
}

int vs__fold_name(char **out, const char *s, size_t len) {
    *out = NULL;
    size_t bad;
    if (!vs__utf8_valid(s, len, &bad))
        return vs__error(VS_EUTF8, "invalid UTF-8 at byte %zu of a name", bad);
    if (len > (size_t)(PTRDIFF_MAX / 8)) return vs__error(VS_ELIMIT, "name too long");
    const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                   UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;
    /* Decompose into a buffer we own (utf8proc_map would use the C library's malloc). */
    utf8proc_ssize_t need = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, NULL, 0, opts);
    if (need < 0) return vs__error(VS_EUTF8, "cannot normalise a name: %s", utf8proc_errmsg(need));
    utf8proc_int32_t *buf = vs__calloc((size_t)need + 1, sizeof *buf);
    if (!buf) return vs__nomem("vs__fold_name");
    utf8proc_ssize_t got = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, buf, need, opts);
    if (got < 0 || got > need) {
        vs__free(buf);
        return vs__error(VS_EUTF8, "cannot normalise a name");
    }
    got = utf8proc_normalize_utf32(buf, got, opts);
    if (got < 0) {
        vs__free(buf);
        return vs__error(VS_EUTF8, "cannot normalise a name: %s", utf8proc_errmsg(got));
    }
    /* Collapse separator runs in place, trimming both ends. */
    utf8proc_ssize_t w = 0;
    int pending_space = 0;
    for (utf8proc_ssize_t r = 0; r < got; r++) {
        if (is_separator(buf[r])) {
            pending_space = w > 0;
            continue;
        }
        if (pending_space) buf[w++] = ' ';
        pending_space = 0;
        buf[w++] = buf[r];
    }
    /* Encode: at most 4 bytes per code point. */
    char *res = vs__malloc((size_t)w * 4 + 1);
    if (!res) {
        vs__free(buf);
        return vs__nomem("vs__fold_name");
    }
    size_t pos = 0;
    for (utf8proc_ssize_t i = 0; i < w; i++)
        pos += (size_t)utf8proc_encode_char(buf[i], (utf8proc_uint8_t *)res + pos);
    res[pos] = '\0';
    vs__free(buf);
    *out = res;
    return VS_OK;
}
