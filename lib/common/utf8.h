/* UTF-8 checks and the name-folding rule, shared by every module that reads text (io's JSON
 * reader and writer, text, and every module that takes names or text from a caller).
 * utf8.c holds the one validator, fold.c the folding. */
#ifndef VS_COMMON_UTF8_H
#define VS_COMMON_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length of the well-formed UTF-8 sequence that starts with the non-ASCII byte s[0] (rem >= 1
 * bytes available), or 0 if it is not one: no overlong forms, no surrogates, nothing above
 * U+10FFFF. Inline because the JSON writer calls it for every non-ASCII character. */
static inline size_t vs__utf8_sequence(const char *str, size_t rem) {
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[0];
    size_t n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (rem < n) return 0;
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

/* Checks that s[0..len) is well-formed UTF-8 (vs__utf8_sequence's rule for every non-ASCII
 * sequence). Returns 1 if valid; otherwise 0 and, if bad_offset is not NULL, the byte offset
 * of the first bad sequence. */
int vs__utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Folds a name for lookup: NFKC, case fold, default-ignorable code points removed, and every
 * run of white space, dash punctuation and underscores turned into one ASCII space with none
 * at either end. `*out` is a new NUL-terminated string (free with vs__free).
 * Returns VS_OK, VS_EUTF8 (invalid input; message names the byte offset) or VS_ENOMEM. */
int vs__fold_name(char **out, const char *s, size_t len);

#endif
