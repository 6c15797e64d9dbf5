/* Private definitions of the text module (normalize.c, tokenize.c, features.c), included by no
 * other module: the public API is include/valuespace/text.h, what the modules above text use
 * is text/tokens.h, and UTF-8 checks and name folding are common/utf8.h. */
#ifndef VS_TEXT_INTERNAL_H
#define VS_TEXT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/utf8.h"
#include "text/tokens.h"
#include "valuespace/text.h"

/* Every normalisation flag (the flags vs_text_normalize accepts). */
#define VS__TEXT_NORM_FLAGS \
    (VS_TEXT_NFKC | VS_TEXT_CASEFOLD | VS_TEXT_STRIP_ACCENTS | VS_TEXT_REPLACE_INVALID | VS_TEXT_LUMP)

/* Decodes one code point from s[0..len) (len >= 1). Returns the number of bytes it takes and
 * sets *cp; for an ill-formed sequence sets *cp to -1 and returns the length of its maximal
 * subpart (Unicode 3.9, Table 3-7): the longest prefix of a well-formed sequence, or 1. */
size_t vs__utf8_decode(const char *s, size_t len, int32_t *cp);

/* Appends the normalised form (vs_text_normalize's rule for `flags`, without NUL) of the
 * well-formed UTF-8 s[0..len) to the growable byte buffer (*buf, *buf_len, *buf_cap), using
 * the growable code point buffer (*scratch, *scratch_cap). `where` names the caller in error
 * messages. On success one spare byte is left after the text (for a NUL the caller writes).
 * Returns VS_OK, VS_ELIMIT or VS_ENOMEM; on failure *buf_len is unchanged. */
int vs__text_normalize_append(char **buf, size_t *buf_len, size_t *buf_cap, int32_t **scratch,
                              size_t *scratch_cap, const char *s, size_t len, uint32_t flags,
                              const char *where);

/* vs_text_hash = vs__hash_finish(vs__fnv1a64(VS__FNV_BASIS, data, len), seed): common/random.h */
#include "common/random.h"

/* Reusable feature output: sorted, merged (index, count) pairs plus work space. */
typedef struct vs__features {
    uint32_t *index;
    int64_t *count;
    size_t n, cap;
    uint64_t *keys;
    size_t keys_cap;
} vs__features;

/* Computes the hashed n-gram features of `tokens` into f (reusing its buffers); on failure
 * f->n is 0. Arguments are checked by the caller. Returns VS_OK or VS_ENOMEM. */
int vs__features_compute(vs__features *f, const vs_tokens *tokens, uint32_t flags, uint32_t max_n,
                         uint32_t n_buckets, uint64_t seed, const char *where);
void vs__features_release(vs__features *f);

#endif
