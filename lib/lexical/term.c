/* Term normalisation: the one rule that turns a response word, a stop term or a word-vector
 * key into the form the lexicon compares (VS__LEX_FLAGS, tokens joined by one space). */
#include <string.h>

#include "text/tokens.h"
#include "lexical/lexical_internal.h"

int vs__lex_normalize_term(char **out, size_t *out_words, const char *s, size_t len, const char *where) {
    *out = NULL;
    if (out_words) *out_words = 0;
    vs_tokens tk;
    memset(&tk, 0, sizeof tk);
    int rc = vs__tokens_fill(&tk, s, len, VS__LEX_FLAGS, where);
    if (rc != VS_OK) {
        vs__tokens_release(&tk);
        return rc;
    }
    size_t total = 0;
    for (size_t i = 0; i < tk.count; i++) total += tk.tok[i].text_len + 1;
    if (tk.count > 0) {
        char *t = vs__malloc(total);
        if (!t) {
            vs__tokens_release(&tk);
            return vs__nomem(where);
        }
        size_t p = 0;
        for (size_t i = 0; i < tk.count; i++) {
            if (i) t[p++] = ' ';
            memcpy(t + p, tk.text + tk.tok[i].text, tk.tok[i].text_len);
            p += tk.tok[i].text_len;
        }
        t[p] = '\0';
        *out = t;
        if (out_words) *out_words = tk.count;
    }
    vs__tokens_release(&tk);
    return VS_OK;
}
