/* What the text module offers the modules above it (the evaluator's features, the lexical
 * module's terms): the reusable tokeniser, which tokenises many texts without a handle
 * allocation per text (tokenize.c). text_internal.h stays private to lib/text. */
#ifndef VS_TEXT_TOKENS_H
#define VS_TEXT_TOKENS_H

#include <stddef.h>
#include <stdint.h>

#include "valuespace/text.h"

typedef struct vs__token {
    size_t start, end;     /* bytes of the input */
    size_t text, text_len; /* offset and length of the normalised text in vs_tokens.text */
} vs__token;

struct vs_tokens {
    vs__token *tok;
    size_t count, cap;
    char *text; /* the normalised tokens, each followed by a NUL */
    size_t text_len, text_cap;
    int32_t *scratch; /* normaliser work space, kept for reuse */
    size_t scratch_cap;
};

/* Tokenises into an existing (zero-initialised or previously filled) handle, reusing its
 * buffers, so that many texts can be tokenised without allocating each time. On failure the
 * handle holds no tokens and stays usable. Arguments are not checked for NULL. */
int vs__tokens_fill(vs_tokens *tokens, const char *text, size_t len, uint32_t flags, const char *where);
/* Frees the buffers of a handle (not the handle itself). */
void vs__tokens_release(vs_tokens *tokens);

#endif
