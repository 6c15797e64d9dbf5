/* WordNet lemmatiser example: Morphy (libwordnet's morphstr()) behind vs_lexicon_lemma_fn.
 * The rule and the thread-safety contract are in wordnet_lemmatizer.h. */
#include "wordnet_lemmatizer.h"

#include <string.h>

#include <wn.h>

/* Our part-of-speech numbers are WordNet's. */
_Static_assert(VS_WORDNET_NOUN == NOUN && VS_WORDNET_VERB == VERB && VS_WORDNET_ADJ == ADJ &&
                   VS_WORDNET_ADV == ADV,
               "part-of-speech numbers differ from wn.h");
/* Every string handed to libwordnet fits its WORDBUF buffers with room for Morphy's longer
 * exception-list base forms. */
_Static_assert(2 * (VS_WORDNET_MAX_TERM + 1) <= WORDBUF, "VS_WORDNET_MAX_TERM too large for WORDBUF");

/* The order in which the parts of speech are tried. */
static const int pos_order[4] = {NOUN, ADJ, VERB, ADV};

/* Morphy returns several base forms only from exception lines ("axes ax axis") and the
 * collocation passes; more than this many means something is wrong with the dictionary. */
#define VS_WN_MAX_FORMS 64

static int opened;

int vs_wordnet_lemmatizer_open(void) {
    if (opened) return VS_OK;
    /* wninit() opens the index, data and exception files; it returns non-zero when one is
     * missing, does nothing after a success and tries again after a failure. */
    if (wninit() != 0) return VS_ENOTFOUND;
    opened = 1;
    return VS_OK;
}

/* The form WordNet is asked about: ASCII lower case, spaces as '_'. 0 if the term cannot be in
 * WordNet (too long, empty, a byte outside printable ASCII, '_', a space at either end or two
 * in a row). */
static int lookup_key(char key[VS_WORDNET_MAX_TERM + 1], const char *term) {
    size_t n = strlen(term);
    if (n == 0 || n > VS_WORDNET_MAX_TERM || term[0] == ' ' || term[n - 1] == ' ') return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)term[i];
        if (c < 0x20 || c > 0x7e || c == '_' || (c == ' ' && term[i + 1] == ' ')) return 0;
        key[i] = c == ' ' ? '_' : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : (char)c;
    }
    key[n] = '\0';
    return 1;
}

/* A base form from Morphy that we take: non-empty, printable ASCII, shorter than our buffer. */
static int usable(const char *form, const char *key) {
    size_t n = strlen(form);
    if (n == 0 || n > 2 * VS_WORDNET_MAX_TERM || strcmp(form, key) == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)form[i] < 0x20 || (unsigned char)form[i] > 0x7e) return 0;
    return 1;
}

/* Morphy's first usable base form of key in pos, copied to out (2 * MAX_TERM + 1 bytes).
 * morphstr(s, pos) starts over with s and returns its first base form (a pointer into a static
 * buffer of libwordnet, overwritten by the next call); morphstr(NULL, pos) returns the next one
 * of the same string, NULL when there is none. Each term starts with a non-NULL call, so what
 * an earlier term left in those buffers never leaks into this one. */
static int morph_first(char *out, const char *key, int pos) {
    char arg[VS_WORDNET_MAX_TERM + 1];
    strcpy(arg, key); /* morphstr's parameter is not const */
    const char *form = morphstr(arg, pos);
    for (int k = 0; form && k < VS_WN_MAX_FORMS; k++) {
        if (usable(form, key)) {
            strcpy(out, form);
            return 1;
        }
        form = morphstr(NULL, pos);
    }
    return 0;
}

static int known_as(const char *key, int pos) {
    char arg[VS_WORDNET_MAX_TERM + 1];
    strcpy(arg, key);
    return (in_wn(arg, pos) & (1u << pos)) != 0;
}

int vs_wordnet_lemmatize(size_t *out_needed, int *out_pos, const char *term, char *buf, size_t cap) {
    if (out_needed) *out_needed = 0;
    if (out_pos) *out_pos = VS_WORDNET_UNKNOWN;
    if (buf && cap > 0) buf[0] = '\0';
    if (!term || (!buf && cap > 0)) return VS_EINVAL;
    int st = vs_wordnet_lemmatizer_open();
    if (st != VS_OK) return st;

    char key[VS_WORDNET_MAX_TERM + 1], form[2 * VS_WORDNET_MAX_TERM + 1];
    const char *lemma = term;
    int found = VS_WORDNET_UNKNOWN;
    if (lookup_key(key, term)) {
        for (size_t i = 0; i < sizeof pos_order / sizeof pos_order[0] && !found; i++) {
            if (morph_first(form, key, pos_order[i])) {
                for (char *c = form; *c; c++)
                    if (*c == '_') *c = ' ';
                lemma = form;
                found = pos_order[i];
            } else if (known_as(key, pos_order[i])) {
                found = pos_order[i]; /* a lemma of its own: kept as given */
            }
        }
    }
    size_t need = strlen(lemma) + 1;
    if (out_needed) *out_needed = need;
    if (cap < need) return VS_EBUFSIZE;
    memcpy(buf, lemma, need);
    if (out_pos) *out_pos = found;
    return VS_OK;
}

int vs_wordnet_lemma_fn(void *user_data, const char *term, char *buf, size_t cap) {
    (void)user_data;
    return vs_wordnet_lemmatize(NULL, NULL, term, buf, cap);
}
