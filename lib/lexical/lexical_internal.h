/* Private definitions of the lexical module (ValueLex construction): strings.c (lists, maps),
 * term.c (term normalisation), parse.c (responses -> terms), lexicon.c (terms, filters,
 * matrix), lexicon_csv.c, wordvecs.c, analyze.c, result.c. */
#ifndef VS_LEXICAL_INTERNAL_H
#define VS_LEXICAL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/internal.h"
#include "valuespace/lexical.h"

/* Normalisation of every term, stop-term and word-vector key. */
#define VS__LEX_FLAGS (VS_TEXT_NFKC | VS_TEXT_CASEFOLD | VS_TEXT_LUMP)

/* A growable list of owned strings. */
typedef struct vs__strlist {
    char **v;
    size_t n, cap;
} vs__strlist;

int vs__strlist_push(vs__strlist *l, const char *s, size_t len);
void vs__strlist_clear(vs__strlist *l);

/* An open-addressing string -> index map (indices into a caller's array of strings). */
typedef struct vs__strmap {
    uint32_t *slots; /* index + 1, 0 = empty */
    size_t cap;      /* power of two */
    size_t n;
} vs__strmap;

/* Index of s in strs through the map, or SIZE_MAX. */
size_t vs__strmap_find(const vs__strmap *m, char *const *strs, const char *s);
/* Inserts index idx (strs[idx] must already hold the key). VS_OK or VS_ENOMEM. */
int vs__strmap_insert(vs__strmap *m, char *const *strs, size_t idx);
void vs__strmap_clear(vs__strmap *m);

/* Normalises a term: tokenised with VS__LEX_FLAGS, tokens joined by single spaces. *out is
 * NULL (VS_OK) when there is no token; *out_words receives the number of tokens. */
int vs__lex_normalize_term(char **out, size_t *out_words, const char *s, size_t len, const char *where);

/* Checks a line of a term CSV or a word-vector file from vs__lines_next() (its return `got`,
 * too_long, the text): VS_OK, or the reader's failure, VS_ELIMIT (over VS_LEXICAL_MAX_LINE_BYTES),
 * VS_EPARSE (a NUL byte) or VS_EUTF8, with "fn: path:line[:column]: ..." (lexicon_csv.c). */
int vs__lex_check_line(int got, int too_long, const char *text, size_t len, const char *path, size_t line,
                       const char *fn);

/* Parsing options. */
typedef struct vs__lex_parse_opts {
    int64_t max_words;
    vs_lexicon_lemma_fn lemma;
    void *lemma_ud;
    const vs__strlist *stops; /* the stop-terms, looked up through stop_map */
    const vs__strmap *stop_map;
} vs__lex_parse_opts;

/* Parses a response into terms (in order of occurrence, repeats kept) appended to `out`.
 * The text must be valid UTF-8 (checked by the caller). VS_OK, VS_ECALLBACK, VS_ENOMEM. */
int vs__lex_parse(vs__strlist *out, const char *text, size_t len, const vs__lex_parse_opts *o);

struct vs_lexicon {
    int64_t min_freq, min_models, max_words;
    vs_lexicon_lemma_fn lemma;
    void *lemma_ud;
    vs__strlist stops;
    vs__strmap stop_map;
    /* every term seen */
    vs__strlist terms;
    vs__strmap term_map;
    double *total;     /* per term */
    uint32_t *nmodels; /* per term: distinct models */
    size_t total_cap, nmodels_cap;
    /* (term, model) pairs seen: open addressing on (term + 1) << 32 | model */
    uint64_t *pairs;
    size_t pairs_cap, npairs;
    /* models */
    vs__strlist models;
    vs__strmap model_map;
    /* responses, CSR */
    size_t nresp, resp_cap;
    uint32_t *resp_model;
    size_t *resp_end; /* entries of response i: [resp_end[i-1], resp_end[i]) */
    uint32_t *ent_term;
    double *ent_val;
    size_t nent, ent_cap, ent_val_cap;
    /* kept terms (recomputed after every change) */
    uint32_t *kept;
    size_t nkept, kept_cap;
};

/* Adds one response of already-normalised terms with values (terms repeated are summed). On
 * failure the lexicon is unchanged. Recomputes the kept terms unless defer is set. */
int vs__lexicon_add(vs_lexicon *lex, const char *model, char *const *terms, const double *vals, size_t n,
                    int defer);
/* Recomputes the kept terms. VS_OK or VS_ENOMEM. */
int vs__lexicon_refresh(vs_lexicon *lex);

#endif
