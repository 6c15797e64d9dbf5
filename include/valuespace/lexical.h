/**
 * @file valuespace/lexical.h
 * @brief ValueLex construction (docs/METHODS.md §2): elicit value words from models, parse them into
 *        terms, build the response x term matrix, factor-analyse it, cluster the terms of each
 *        factor on word vectors into sub-dimensions, and produce a new #vs_space.
 *
 * Elicitation runs built-in (or given) prompts over models into a JSONL journal
 * (vs_lexical_elicit()); vs_lexicon_add_journal() reads it back. A caller may also add the
 * responses it collected with vs_lexicon_add_response().
 *
 * Four handles:
 * - #vs_lexicon: responses and the terms parsed from them (or a term matrix read from CSV), with
 *   stop-terms, an optional lemmatiser and the frequency filters. Its kept terms and its matrix
 *   are what the analysis reads.
 * - #vs_wordvecs: word vectors (a text file "word d1 d2 ...", an embed callback, or added by hand).
 * - #vs_lexical: the analysis options (typed setters keyed by #vs_lexical_option).
 * - #vs_lexical_result: one analysis: every intermediate figure, the factor and sub-dimension of
 *   each term, the space it defines (vs_lexical_result_space()) and a JSON report.
 *
 * **Parsing a response** (vs_lexicon_add_response()), line by line:
 * 1. list markers at the start of a line are removed: "1.", "1)", "1:", "(1)", "a.", "a)", and
 *    "-", "*", "+", "#", ">" followed by white space, bullets ("\u2022", "\u00b7", ...) and the
 *    dashes "\u2013", "\u2014" (repeated markers and white space too);
 * 2. a definition keeps its head: the line is cut at its first ':' or dash with white space on
 *    both sides (" - ", " \u2013 ", " \u2014 ", " = ", also "--"), and the part before it is
 *    kept — except after a ':' in a line without a list marker whose head is not emphasised
 *    ("**Honesty**:") and whose tail holds ',', ';' or '|': then the tail is the list
 *    ("My values: honesty, kindness");
 * 3. the kept part is split into items at ',', ';', '|', " & ", inline bullets "\u2022" and
 *    sentence ends ('.', '!', '?' followed by white space or the end); each item loses its
 *    list markers and everything from '(' or '[' or a definition separator on; when the part
 *    is a list (it holds one of ',', ';', '|', " & ", "\u2022") the normalised item is also
 *    split at the words "and" and "or";
 * 4. each item is tokenised and normalised with vs_text_tokenize() (NFKC + case folding +
 *    look-alike punctuation to ASCII), which drops markdown emphasis ("**x**", "*x*", "_x_"),
 *    quotes and every other stray punctuation; the tokens are joined with single spaces. An item
 *    of more than #VS_LEXICON_OPT_MAX_WORDS words (a sentence, not a term), of digits only, of
 *    more than #VS_LEXICON_MAX_TERM_BYTES bytes, or empty is dropped;
 * 5. the lemmatiser (if set) maps the term (a non-zero return fails the call with VS_ECALLBACK;
 *    an empty lemma drops the term); the lemma is normalised again;
 * 6. a term that is a stop-term (normalised the same way) before or after lemmatisation is
 *    dropped.
 * Every remaining occurrence adds 1 to the response's count of that term.
 *
 * **Filters.** A term is *kept* when its total count over all responses is at least
 * #VS_LEXICON_OPT_MIN_FREQ and it occurs in responses of at least #VS_LEXICON_OPT_MIN_MODELS
 * distinct models. Kept terms are ordered by decreasing total count, ties by the term's bytes.
 *
 * @threadsafety as the umbrella header: one handle, one thread at a time; a #vs_wordvecs and a
 * #vs_lexicon may be read by several threads at once (analysis) while nobody changes them.
 */
#ifndef VALUESPACE_LEXICAL_H
#define VALUESPACE_LEXICAL_H

#include <stddef.h>
#include <stdint.h>

#include "valuespace/common.h"
#include "valuespace/model.h"
#include "valuespace/space.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Responses and their terms. */
typedef struct vs_lexicon vs_lexicon;
/** Word vectors. */
typedef struct vs_wordvecs vs_wordvecs;
/** Analysis options. */
typedef struct vs_lexical vs_lexical;
/** One analysis (immutable). */
typedef struct vs_lexical_result vs_lexical_result;

/** Longest term in bytes (after normalisation); longer terms are dropped. */
#define VS_LEXICON_MAX_TERM_BYTES 255

/**
 * Lemmatiser: writes the lemma of `term` (normalised, NUL-terminated UTF-8, borrowed for the
 * call) as a NUL-terminated string into `buf` (cap = #VS_LEXICON_MAX_TERM_BYTES + 1 bytes).
 * An empty lemma drops the term. Return 0 on success; anything else makes the calling function
 * fail with VS_ECALLBACK (nothing is added).
 */
typedef int (*vs_lexicon_lemma_fn)(void *user_data, const char *term, char *buf, size_t cap);

/** Options of a #vs_lexicon (integers). */
enum vs_lexicon_option {
    VS_LEXICON_OPT_MIN_FREQ = 1,   /**< kept terms occur at least this often in total; default 1 */
    VS_LEXICON_OPT_MIN_MODELS = 2, /**< ... in responses of at least this many models; default 1 */
    VS_LEXICON_OPT_MAX_WORDS = 3   /**< longest term in words (longer heads are dropped); default 3 */
};

/**
 * Creates an empty lexicon.
 * @param out set to the handle (free with vs_lexicon_free()), NULL on failure.
 * @return VS_OK, VS_EINVAL (NULL out), VS_ENOMEM.
 */
VS_API int vs_lexicon_create(vs_lexicon **out);

/**
 * Reads a term matrix from CSV: a header row of term names, then one row per response of
 * numbers (presence, counts or ratings; empty = 0). Names are normalised as parsed terms
 * (step 4 of the file comment; no lemmatiser, stop-terms or word limit); two columns with
 * the same normalised name are an error. Every row is a response of model "".
 * @param out set to the new lexicon, NULL on failure.
 * @param path the file (borrowed).
 * The file is read line by line: a line longer than #VS_LEXICAL_MAX_LINE_BYTES is refused
 * before it is held in memory.
 * @return VS_OK; VS_EINVAL (NULL); VS_ENOTFOUND, VS_EIO (the file); VS_EPARSE (a malformed
 *         row, a non-numeric or non-finite cell, a wrong number of cells, an empty name, a NUL
 *         byte; the message names path:line:column); VS_EUTF8 (path:line:column); VS_ELIMIT (a
 *         line over #VS_LEXICAL_MAX_LINE_BYTES); VS_EDUPLICATE (two columns with one name);
 *         VS_ERANGE (no column or no row); VS_ENOMEM.
 */
VS_API int vs_lexicon_load_csv(vs_lexicon **out, const char *path);

/** Frees a lexicon. NULL is a no-op. */
VS_API void vs_lexicon_free(vs_lexicon *lexicon);

/**
 * Sets an option (#vs_lexicon_option). Takes effect at once (the kept terms are recomputed).
 * @return VS_OK, VS_EINVAL (NULL, unknown option), VS_ERANGE (MIN_FREQ, MIN_MODELS and
 *         MAX_WORDS must be 1..1000000).
 */
VS_API int vs_lexicon_set_int(vs_lexicon *lexicon, int option, int64_t value);

/** Reads an option. @return VS_OK, VS_EINVAL (NULL, unknown option). */
VS_API int vs_lexicon_get_int(int64_t *out, const vs_lexicon *lexicon, int option);
/** Inclusive bounds of an option, as doubles. @return VS_OK, VS_EINVAL (NULL, unknown option). */
VS_API int vs_lexicon_option_bounds(double *out_min, double *out_max, int option);
/**
 * Looks up an option of a #vs_lexicon by its name, such as "min_freq" for #VS_LEXICON_OPT_MIN_FREQ.
 * Every option's name is the lowercase end of its enum value (the same names error messages use
 * and the bindings accept).
 * @param out set to the option's enum value; unchanged on failure
 * @param name the name, case-sensitive
 * @return VS_OK, VS_EINVAL (NULL argument), VS_ENOTFOUND (no option has that name; the message
 *         suggests the closest one).
 */
VS_API int vs_lexicon_option_id(int *out, const char *name);
/**
 * The name of an option of a #vs_lexicon (what vs_lexicon_option_id() accepts), or NULL for an unknown option.
 * The string is static.
 */
VS_API const char *vs_lexicon_option_name(int option);

/**
 * Sets the lemmatiser (NULL = none), used by responses added afterwards.
 * @return VS_OK, VS_EINVAL (NULL lexicon).
 */
VS_API int vs_lexicon_set_lemmatizer(vs_lexicon *lexicon, vs_lexicon_lemma_fn fn, void *user_data);

/**
 * Adds a stop-term (normalised like parsed terms; copied), used by responses added afterwards.
 * @return VS_OK, VS_EINVAL (NULL, empty after normalisation), VS_EUTF8, VS_ENOMEM.
 */
VS_API int vs_lexicon_add_stop_term(vs_lexicon *lexicon, const char *term);

/**
 * Parses a response (see the file comment) and adds it with its terms.
 * @param model_id the model that wrote it (borrowed, copied; NULL = "").
 * @param text the response (borrowed), UTF-8.
 * @param lexicon the lexicon
 * @return VS_OK; VS_EINVAL (NULL lexicon or text); VS_EUTF8 (text or model id not UTF-8; the
 *         message names the byte offset); VS_ECALLBACK (the lemmatiser failed); VS_ENOMEM.
 *         On failure the lexicon is unchanged.
 */
VS_API int vs_lexicon_add_response(vs_lexicon *lexicon, const char *model_id, const char *text);

/** Number of responses (0 for NULL). */
VS_API size_t vs_lexicon_response_count(const vs_lexicon *lexicon);

/** Number of distinct terms of response i, before the filters (0 if out of range). */
VS_API size_t vs_lexicon_response_term_count(const vs_lexicon *lexicon, size_t i);

/**
 * Term j of response i, in order of first occurrence (owned by the lexicon, valid until it is
 * freed), or NULL when out of range.
 */
VS_API const char *vs_lexicon_response_term(const vs_lexicon *lexicon, size_t i, size_t j);

/** Number of kept terms (after the filters; 0 for NULL). */
VS_API size_t vs_lexicon_term_count(const vs_lexicon *lexicon);

/** Kept term j (owned by the lexicon, valid until the next change of it), or NULL. */
VS_API const char *vs_lexicon_term(const vs_lexicon *lexicon, size_t j);

/**
 * Total count and number of distinct models of kept term j.
 * @return VS_OK, VS_EINVAL (NULL lexicon), VS_ERANGE (j out of range). Either output may be NULL.
 */
VS_API int vs_lexicon_term_stats(double *out_total, size_t *out_models, const vs_lexicon *lexicon, size_t j);

/**
 * The response x kept-term matrix, row-major (responses x terms).
 * @param counts 0: presence (1 if the term occurs, else 0); 1: counts (CSV: the cell values).
 * @param out_needed receives responses × terms, the size buf needs (may be NULL)
 * @param lexicon the lexicon
 * @param buf receives the matrix; may be NULL when cap is 0
 * @param cap number of doubles buf can hold
 * @return VS_OK, VS_EINVAL (NULL lexicon, NULL buf with cap > 0, counts not 0 or 1),
 *         VS_EBUFSIZE.
 */
VS_API int vs_lexicon_matrix(size_t *out_needed, const vs_lexicon *lexicon, int counts, double *buf, size_t cap);

/* ------------------------------------------------------------------------------------------ */
/* Word vectors                                                                                 */

/**
 * Creates an empty set of word vectors of dimension dim.
 * @return VS_OK, VS_EINVAL (NULL out), VS_ERANGE (dim 0 or above 100000), VS_ENOMEM.
 */
VS_API int vs_wordvecs_create(vs_wordvecs **out, size_t dim);

/**
 * Reads word vectors in the common text format (word2vec/fastText .vec, GloVe): one word per
 * line followed by its dim numbers, separated by spaces; an optional first line "count dim".
 * Words are normalised as terms (NFKC, case folding); a later duplicate is ignored. The file
 * is read line by line: a line longer than #VS_LEXICAL_MAX_LINE_BYTES is refused before it is
 * held in memory.
 * @return VS_OK; VS_EINVAL (NULL); VS_ENOTFOUND, VS_EIO; VS_EPARSE (a bad number, a line with
 *         another number of values, a NUL byte; path:line); VS_EUTF8 (path:line:column);
 *         VS_ELIMIT (a line over #VS_LEXICAL_MAX_LINE_BYTES); VS_ERANGE (no vector); VS_ENOMEM.
 */
VS_API int vs_wordvecs_load(vs_wordvecs **out, const char *path);

/** Frees word vectors. NULL is a no-op. */
VS_API void vs_wordvecs_free(vs_wordvecs *vecs);

/** Dimension (0 for NULL). */
VS_API size_t vs_wordvecs_dim(const vs_wordvecs *vecs);

/** Number of words (0 for NULL). */
VS_API size_t vs_wordvecs_count(const vs_wordvecs *vecs);

/**
 * Adds (or replaces) the vector of a word (normalised as a term).
 * @return VS_OK, VS_EINVAL (NULL, empty word, NaN or infinite value), VS_EMISMATCH (d != dim),
 *         VS_EUTF8, VS_ENOMEM.
 */
VS_API int vs_wordvecs_add(vs_wordvecs *vecs, const char *word, const double *x, size_t d);

/**
 * Embeds the words that have no vector yet with the model's embed callback (vs_model_embed(),
 * item ids "term:WORD") and adds them.
 * @return VS_OK; VS_EINVAL (NULL, a NULL word); VS_ESTATE (no embed callback); VS_ECALLBACK
 *         (the run failed, or an item failed: the message names it); VS_EFAILED (the model's
 *         failure threshold or early stop, as vs_model_embed()); VS_ECANCELED; VS_EUTF8;
 *         VS_ENOMEM. Vectors of items that succeeded are kept.
 */
VS_API int vs_wordvecs_embed(vs_wordvecs *vecs, vs_model *model, const char *const *words, size_t n);

/**
 * The vector of a term: its own, else (for a term of several words) the mean of its words'
 * vectors when every word has one.
 * @return VS_OK, VS_EINVAL (NULL word or vecs, NULL buf with cap > 0), VS_ENOTFOUND,
 *         VS_EBUFSIZE, VS_EUTF8, VS_ENOMEM.
 */
VS_API int vs_wordvecs_get(size_t *out_needed, const vs_wordvecs *vecs, const char *word, double *buf, size_t cap);

/* ------------------------------------------------------------------------------------------ */
/* Analysis                                                                                     */

/** Options of a #vs_lexical; vs_lexical_option_bounds() reports the ranges. */
enum vs_lexical_option {
    VS_LEXICAL_OPT_NFACTORS = 1,   /**< int, number of factors; 0 = parallel analysis (default) */
    VS_LEXICAL_OPT_COUNTS = 2,     /**< int, 0 = presence matrix (default), 1 = counts */
    VS_LEXICAL_OPT_METHOD = 3,     /**< str/int, extraction (vs_fa names: "minres" default, "uls", "pa", "ml", "wls", "gls") */
    VS_LEXICAL_OPT_ROTATION = 4,   /**< str/int, rotation (vs_fa names; default "oblimin") */
    VS_LEXICAL_OPT_SEED = 5,       /**< int, seed of parallel analysis and k-means; default 0 */
    VS_LEXICAL_OPT_SUBDIMS = 6,    /**< int, sub-dimensions per factor; 0 = by silhouette (default) */
    VS_LEXICAL_OPT_SUBDIMS_MIN = 7,/**< int, smallest k tried by silhouette; default 2 */
    VS_LEXICAL_OPT_SUBDIMS_MAX = 8,/**< int, largest k tried by silhouette; default 4 */
    VS_LEXICAL_OPT_NAME_TERMS = 9, /**< int, terms joined into a default name; default 2 */
    VS_LEXICAL_OPT_METRIC = 10     /**< str/int, "cosine" (default: spherical k-means) or "euclidean" */
};

/**
 * Creates analysis options with the defaults of #vs_lexical_option.
 * @return VS_OK, VS_EINVAL (NULL out), VS_ENOMEM.
 */
VS_API int vs_lexical_create(vs_lexical **out);

/** Frees options. NULL is a no-op. */
VS_API void vs_lexical_free(vs_lexical *lexical);

/** Sets an integer option. @return VS_OK, VS_EINVAL (NULL, unknown option), VS_ERANGE. */
VS_API int vs_lexical_set_int(vs_lexical *lexical, int option, int64_t value);

/**
 * Sets METHOD, ROTATION or METRIC by name ("minres", "oblimin", "cosine", ...).
 * @return VS_OK, VS_EINVAL (NULL, option not named), VS_ENOTFOUND (unknown name).
 */
VS_API int vs_lexical_set_str(vs_lexical *lexical, int option, const char *value);

/** Reads an integer option. @return VS_OK, VS_EINVAL. */
VS_API int vs_lexical_get_int(int64_t *out, const vs_lexical *lexical, int option);

/** Inclusive bounds of an option. @return VS_OK, VS_EINVAL (NULL, unknown option). */
VS_API int vs_lexical_option_bounds(double *out_min, double *out_max, int option);
/**
 * Reads an enum-valued option as its name, such as "cosine".
 * The name is the first one vs_lexical_set_str() accepts for the value; the string is static.
 * @return VS_OK, VS_EINVAL (NULL, unknown option, an option without names; *out is then NULL).
 */
VS_API int vs_lexical_get_str(const char **out, const vs_lexical *lexical, int option);
/**
 * Looks up an option of a #vs_lexical by its name, such as "subdims_min" for #VS_LEXICAL_OPT_SUBDIMS_MIN.
 * Every option's name is the lowercase end of its enum value (the same names error messages use
 * and the bindings accept).
 * @param out set to the option's enum value; unchanged on failure
 * @param name the name, case-sensitive
 * @return VS_OK, VS_EINVAL (NULL argument), VS_ENOTFOUND (no option has that name; the message
 *         suggests the closest one).
 */
VS_API int vs_lexical_option_id(int *out, const char *name);
/**
 * The name of an option of a #vs_lexical (what vs_lexical_option_id() accepts), or NULL for an unknown option.
 * The string is static.
 */
VS_API const char *vs_lexical_option_name(int option);

/**
 * Runs the analysis on the kept terms of a lexicon: matrix (VS_LEXICAL_OPT_COUNTS) → Pearson
 * correlations → KMO and Bartlett → number of factors (parallel analysis with the seed, at
 * least 1, unless given) → factor analysis (method, rotation) → each term assigned to the
 * factor of its largest absolute pattern loading → within each factor, the terms clustered on
 * their vectors (spherical k-means or k-means with 10 k-means++ restarts, k by the mean
 * silhouette over SUBDIMS_MIN..SUBDIMS_MAX, or SUBDIMS; a factor with fewer than 3 terms, or
 * fewer terms than k + 1, is one sub-dimension).
 * Factors are numbered in vs_fa's order; sub-dimensions globally, those of a factor
 * contiguous, each factor's in the canonical label order of vs_cluster.
 * @param vecs word vectors for every kept term (vs_wordvecs_get()); NULL = no clustering
 *        (each factor is one sub-dimension).
 * @param out set to the result (free with vs_lexical_result_free()), NULL on failure
 * @param lexical the analysis options
 * @param lexicon the responses and their kept terms (borrowed for the call)
 * @return VS_OK; VS_EINVAL (NULL options or lexicon); VS_ERANGE (fewer than 3 kept terms or
 *         responses, NFACTORS above the terms); VS_EUNDEFINED (a term that is constant over the
 *         responses: the message names it); VS_ENOTFOUND (a term without a vector: named);
 *         VS_ENUMERIC (a singular correlation matrix, factor analysis failure); VS_ENOMEM.
 */
VS_API int vs_lexical_analyze(vs_lexical_result **out, const vs_lexical *lexical, const vs_lexicon *lexicon,
                              const vs_wordvecs *vecs);

/** Frees a result. NULL is a no-op. */
VS_API void vs_lexical_result_free(vs_lexical_result *result);

/** Scalars of a result. */
enum vs_lexical_stat {
    VS_LEXICAL_STAT_N_RESPONSES = 1, /**< rows of the matrix */
    VS_LEXICAL_STAT_N_TERMS = 2,     /**< columns of the matrix */
    VS_LEXICAL_STAT_KMO = 3,         /**< overall KMO (NaN if R is singular) */
    VS_LEXICAL_STAT_BARTLETT_CHI2 = 4,
    VS_LEXICAL_STAT_BARTLETT_DF = 5,
    VS_LEXICAL_STAT_BARTLETT_P = 6,
    VS_LEXICAL_STAT_N_FACTORS = 7,
    VS_LEXICAL_STAT_PARALLEL_FACTORS = 8, /**< parallel analysis' number (NaN when NFACTORS was given) */
    VS_LEXICAL_STAT_N_SUBDIMS = 9,
    VS_LEXICAL_STAT_SILHOUETTE = 10  /**< term-weighted mean silhouette of the clustered factors (NaN if none) */
};

/** Reads a scalar. @return VS_OK, VS_EINVAL (NULL, unknown `what`). */
VS_API int vs_lexical_result_scalar(double *out, const vs_lexical_result *result, int what);

/** Arrays of a result (vs_lexical_result_get(); sizes in doubles; p terms, k factors, s sub-dimensions). */
enum vs_lexical_array {
    VS_LEXICAL_LOADINGS = 1,    /**< p x k pattern loadings */
    VS_LEXICAL_FACTOR = 2,      /**< p: factor of each term (0-based, as doubles) */
    VS_LEXICAL_LOADING = 3,     /**< p: the term's loading on its factor (signed) */
    VS_LEXICAL_SUBDIM = 4,      /**< p: sub-dimension of each term (global 0-based index) */
    VS_LEXICAL_SUBDIM_FACTOR = 5, /**< s: factor of each sub-dimension */
    VS_LEXICAL_FACTOR_SILHOUETTE = 6, /**< k: mean silhouette of each factor's clustering (NaN: not clustered) */
    VS_LEXICAL_MSA = 7,         /**< p: per-term KMO (NaN if R is singular) */
    VS_LEXICAL_EIGENVALUES = 8, /**< p: eigenvalues of R */
    VS_LEXICAL_COMMUNALITY = 9  /**< p */
};

/** Copies an array. @return VS_OK, VS_EINVAL (NULL, unknown `what`, NULL buf with cap > 0), VS_EBUFSIZE. */
VS_API int vs_lexical_result_get(size_t *out_needed, const vs_lexical_result *result, int what, double *buf,
                                 size_t cap);

/** Term j of the result (owned by it), or NULL. */
VS_API const char *vs_lexical_result_term(const vs_lexical_result *result, size_t j);

/**
 * Default name of a factor (level 1) or sub-dimension (level 0): its VS_LEXICAL_OPT_NAME_TERMS
 * terms of largest absolute loading joined by "/" (owned by the result), or NULL.
 */
VS_API const char *vs_lexical_result_name(const vs_lexical_result *result, int level, size_t index);

/**
 * Builds the space: levels "subdimension" → "dimension"; dimensions = factors (keys "F1", ...),
 * sub-dimensions = clusters (keys "F1.1", ...), labels = the names; every term is an alias of
 * its sub-dimension (terms that clash with a label or alias already used are left out).
 * @param space_name the space's name (borrowed), NULL = "valuelex".
 * @param factor_names k labels or NULL (default names); an entry may be NULL (default).
 * @param subdim_names s labels or NULL.
 * @param out set to the new space (free with vs_space_free()), NULL on failure
 * @param result the analysis result
 * @param n_factor_names number of entries of factor_names (k when given)
 * @param n_subdim_names number of entries of subdim_names (s when given)
 * @return VS_OK, VS_EINVAL (NULL; a bad name), VS_EMISMATCH (n_factor_names != k or
 *         n_subdim_names != s when the array is given), VS_EDUPLICATE (two equal labels),
 *         VS_EUTF8, VS_ENOMEM.
 */
VS_API int vs_lexical_result_space(vs_space **out, const vs_lexical_result *result, const char *space_name,
                                   const char *const *factor_names, size_t n_factor_names,
                                   const char *const *subdim_names, size_t n_subdim_names);

/**
 * The JSON report of every figure (pretty-printed), keys in this order: n_responses, n_terms,
 * matrix ("presence" or "counts"), kmo, bartlett {chi_square, df, p_value}, parallel_factors,
 * n_factors, method, rotation, silhouette, terms [{term, msa, communality, loadings [k]}] (every
 * kept term), eigenvalues, factors [{name, silhouette, subdims [{name, terms}], terms [{term,
 * loading, cluster}]}].
 * @param out set to a new string (free with vs_free()), NULL on failure.
 * @param result the analysis result
 * @return VS_OK, VS_EINVAL, VS_ENOMEM.
 */
VS_API int vs_lexical_result_report(char **out, const vs_lexical_result *result);

/* ------------------------------------------------------------------------------------------ */
/* Elicitation                                                                                  */

/**
 * Number of built-in elicitation prompts (at least 15; written for this library, each asking
 * a model to list the words that name its values).
 */
VS_API size_t vs_lexical_prompt_count(void);

/** Built-in prompt i (0-based; static storage), or NULL when out of range. */
VS_API const char *vs_lexical_prompt(size_t i);

/**
 * Options of vs_lexical_elicit() (a caller struct; start from #VS_LEXICAL_ELICIT_OPTS_INIT).
 */
typedef struct vs_lexical_elicit_opts {
    uint32_t struct_size;   /**< sizeof(vs_lexical_elicit_opts) */
    uint32_t max_tokens;    /**< largest number of generated tokens; 0 = the backend's default */
    uint64_t seed;          /**< run seed: item seeds are vs_model_item_seed(seed, id, repeat) */
    uint64_t repeats;       /**< repeats of every (model, prompt), 1..1000000; default 1 */
    double temperature;     /**< sampling temperature >= 0; default 1 */
    int32_t resume;         /**< 0: the journal must be missing or empty; 1: continue it */
    const char *const *prompts; /**< n_prompts prompts (borrowed), or NULL = the built-in ones */
    size_t n_prompts;       /**< number of entries of prompts (0 with the built-in ones) */
} vs_lexical_elicit_opts;

/** Longest elicitation journal line read back, without its newline (VS_ELIMIT beyond it). */
#define VS_LEXICAL_MAX_LINE_BYTES (64u * 1024u * 1024u)

/** Initialiser of #vs_lexical_elicit_opts: built-in prompts, 1 repeat, seed 0, temperature 1. */
#define VS_LEXICAL_ELICIT_OPTS_INIT {(uint32_t)sizeof(vs_lexical_elicit_opts), 0, 0, 1, 1.0, 0, NULL, 0}

/**
 * Sets `*o` to #VS_LEXICAL_ELICIT_OPTS_INIT: struct_size and every default, for callers that cannot use the macro (bindings, other languages).
 * @param o the struct to fill; NULL is a no-op
 */
VS_API void vs_lexical_elicit_opts_init(vs_lexical_elicit_opts *o);

/**
 * Runs every prompt over every model, `repeats` times, and appends each response to a JSONL
 * journal as soon as it is final.
 *
 * The journal's first line is a header {"schema": "valuespace/lexical-journal", "version": 1,
 * "seed", "repeats", "max_tokens", "temperature", "n_prompts", "prompts_hash"} (journals written
 * before, whose schema is "valuespace.lexical.journal", are read and resumed alike); every further
 * line a record {"id", "model", "prompt", "repeat", "seed", "status", "text"} ("error" instead
 * of "text" for a failed item). Item ids are "MODEL/prompt-NN/rR" (NN the 1-based prompt
 * number with two digits at least, R the 1-based repeat); the generation request carries the
 * id, repeat R - 1, the max tokens and the temperature, so a deterministic backend gives the
 * same text for an item in any run, batch size or resume.
 *
 * Journals are read in blocks, a line at most #VS_LEXICAL_MAX_LINE_BYTES long (VS_ELIMIT
 * "path:line: ..." beyond it, before the line is held in memory).
 *
 * With `resume`, an existing journal must have the same header (VS_EMISMATCH names the first
 * field that differs); its successful records are
 * skipped, failed ones are run again (the later record wins), and a torn last line (a crash
 * while writing) is cut off first. Models may differ between runs (more can be added).
 * During the call each model's run seed is `seed` (restored afterwards) and its item hook is
 * used by this function (set to NULL afterwards).
 *
 * @param out_written set to the number of records written (may be NULL); also on failure.
 * @param models n_models models with a generate callback (borrowed).
 * @param model_ids n_models distinct non-empty UTF-8 ids without '/' or control characters.
 * @param journal the journal's path (created when missing).
 * @param opts options, NULL = defaults.
 * @param n_models number of models and model ids, >= 1
 * @return VS_OK (every item final; failed items are recorded); VS_EINVAL (NULL, n_models 0,
 *         a bad or repeated model id, struct_size too small, repeats out of range, bad
 *         temperature, a NULL or empty prompt, n_prompts 0 with prompts given); VS_EUTF8;
 *         VS_ESTATE (the journal is not empty and resume is 0; a model in a run);
 *         VS_EMISMATCH (resume with another header); VS_EPARSE, VS_EVERSION (a malformed
 *         journal: path:line); VS_ELIMIT (a journal line over #VS_LEXICAL_MAX_LINE_BYTES); VS_EIO; VS_ECALLBACK, VS_EFAILED, VS_ECANCELED (as
 *         vs_model_generate(): the records written so far stay, and a resume runs the rest);
 *         VS_ENOMEM. vs_lexical_journal_failures() tells how many items failed and why.
 */
VS_API int vs_lexical_elicit(size_t *out_written, vs_model *const *models, const char *const *model_ids,
                             size_t n_models, const char *journal, const vs_lexical_elicit_opts *opts);

/**
 * What an elicitation journal holds, counting the latest record of each id: how many succeeded
 * and failed, and the first failed one (in journal order) — e.g. to tell a user after
 * vs_lexical_elicit() returned VS_OK that some items failed, and why.
 * @param out_ok, out_failed set to the counts (may be NULL).
 * @param out_first_id, out_first_error set to new strings (free with vs_free()) with the first
 *        failed record's id and error message, NULL when none failed (may be NULL).
 * @param path the journal's path
 * @return VS_OK; VS_EINVAL (NULL path); VS_ENOTFOUND, VS_EIO (the file); VS_EPARSE (not a
 *         journal, a malformed record; path:line); VS_EVERSION; VS_ELIMIT; VS_ENOMEM. On failure every
 *         output is 0 or NULL.
 */
VS_API int vs_lexical_journal_failures(uint64_t *out_ok, uint64_t *out_failed, char **out_first_id,
                                       char **out_first_error, const char *path);

/**
 * Adds the successful responses of an elicitation journal (vs_lexical_elicit()) to a lexicon,
 * each with its record's model id, in the order of the journal. The whole journal is read and
 * checked before anything is added; a torn last line is ignored; of several records of one id
 * the last counts.
 * @return VS_OK; VS_EINVAL (NULL); VS_ENOTFOUND, VS_EIO (the file); VS_EPARSE (not a journal,
 *         a malformed record, two successful records of one id; path:line); VS_EVERSION; VS_ELIMIT;
 *         VS_EUTF8; VS_ECALLBACK (the lemmatiser failed); VS_ENOMEM. After VS_ECALLBACK or
 *         VS_ENOMEM while adding, the responses before the failing one stay added.
 */
VS_API int vs_lexicon_add_journal(vs_lexicon *lexicon, const char *path);

#ifdef __cplusplus
}
#endif

#endif /* VALUESPACE_LEXICAL_H */
