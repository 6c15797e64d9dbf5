/**
 * @file valuespace/evaluator.h
 * @brief Value evaluators (Value FULCRA): (prompt, response) → a value vector over a level of a
 *        space plus class probabilities for {−1, 0, +1} per dimension; metrics, seeded
 *        cross-validation, and per-group value profiles with bootstrap confidence intervals.
 *
 * An #vs_evaluator has one of two **backends**:
 * - **built-in** (vs_evaluator_create()): a trainable text model. Each text is tokenised and
 *   normalised by the text module (vs_text_tokenize() with #VS_EVALUATOR_OPT_TEXT_FLAGS, by
 *   default NFKC + case folding), its word n-grams (n = 1..#VS_EVALUATOR_OPT_MAX_NGRAM, default
 *   unigrams and bigrams) are hashed exactly as vs_text_features() does (seed
 *   #VS_EVALUATOR_OPT_SEED) into #VS_EVALUATOR_OPT_BUCKETS buckets (default 2^18 = 262,144),
 *   weighted (#VS_EVALUATOR_OPT_WEIGHTING, default binary presence) and scaled to unit Euclidean
 *   length. Every dimension has its own multinomial logistic regression over the three classes
 *   −1, 0, +1 with an unpenalised intercept per class; it minimises
 *
 *       C * sum_i s_i * (-log p(y_i | x_i)) + 1/2 * ||W||^2       (W: the weights, not intercepts)
 *
 *   with C = #VS_EVALUATOR_OPT_C and s_i the class weight of item i's label
 *   (#VS_EVALUATOR_OPT_CLASS_WEIGHT; "balanced" gives class c the weight
 *   n / (number of classes present * n_c), as scikit-learn does). This is the same objective as
 *   scikit-learn's LogisticRegression(multi_class="multinomial", C=C, class_weight=...).
 *   The optimiser is L-BFGS (limited-memory BFGS with an Armijo backtracking line search) started
 *   from zero; it stops when the largest gradient entry of the objective divided by C * sum_i s_i
 *   is at most #VS_EVALUATOR_OPT_TOLERANCE, or after #VS_EVALUATOR_OPT_MAX_ITER iterations.
 *   Training involves no random choice, so the same data and options give the same model bit for
 *   bit, whatever the number of threads. Only the classes that occur among a dimension's
 *   training labels are modelled; the others get probability 0. A dimension with a single
 *   class predicts it with probability 1; a dimension without any label predicts NaN.
 * - **callback** (vs_evaluator_create_callback()): the caller's own model (a fine-tuned
 *   DeBERTa, an LLM judge ...) behind a #vs_evaluator_callbacks table. The library batches the
 *   items (#VS_EVALUATOR_OPT_BATCH_SIZE), validates everything the callback returns, and reports
 *   per-item status. A callback evaluator cannot be trained or saved.
 * - **prompted** (vs_evaluator_create_prompted()): a callback evaluator whose callback the library
 *   provides: a model (#vs_model) judges each (prompt, response, value) from FULCRA's evaluator
 *   prompt or the caller's template.
 *
 * vs_evaluator_agreement_compute() reports how well any evaluator's predictions agree with human
 * labels (accuracy, macro-F1, Cohen's kappa, bootstrap intervals, majority baseline).
 *
 * **Labels and values.** Labels cross the API as a row-major n × K matrix of doubles, K the size
 * of the evaluator's level: −1 (opposed), 0 (no connection), +1 (important), or NaN (not
 * labelled: the item is left out for that dimension). Class probabilities are n × K × 3 doubles
 * in the order (p(−1), p(0), p(+1)).
 *
 * **Options** are set with vs_evaluator_set_int() / vs_evaluator_set_double() keyed by
 * #vs_evaluator_option; vs_evaluator_option_bounds() gives their ranges. The feature options
 * (buckets, n-gram order, text flags, input, weighting, seed) are part of a trained model and
 * cannot change after training (VS_ESTATE); the others can change at any time.
 *
 * @threadsafety An evaluator must not be changed (options, training) while another thread
 * uses it. vs_evaluator_predict() only reads a built-in evaluator, so several threads may predict
 * with one trained built-in evaluator at once; for a callback evaluator that holds if the
 * callback is itself safe to call from several threads. With #VS_EVALUATOR_OPT_THREADS > 1,
 * training and cross-validation run worker threads that allocate through the allocator hook
 * (vs_set_allocator()), which must then be thread-safe (the default one is). Callbacks always
 * run on the calling thread. CV and profile results are immutable and may be shared.
 */
#ifndef VALUESPACE_EVALUATOR_H
#define VALUESPACE_EVALUATOR_H

#include <stddef.h>
#include <stdint.h>

#include "valuespace/common.h"
#include "valuespace/model.h"
#include "valuespace/space.h"
#include "valuespace/vector.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An evaluator: a built-in trainable model or a callback backend (opaque). */
typedef struct vs_evaluator vs_evaluator;
/** The result of a cross-validation (opaque, immutable). */
typedef struct vs_evaluator_cv vs_evaluator_cv;
/** Per-group value profiles (opaque, immutable). */
typedef struct vs_evaluator_profile vs_evaluator_profile;

/** Number of classes per dimension: −1, 0, +1, in this order everywhere. */
#define VS_EVALUATOR_CLASSES 3

/** Backends (vs_evaluator_kind()). */
#define VS_EVALUATOR_BUILTIN 0  /**< the built-in trainable model */
#define VS_EVALUATOR_CALLBACK 1 /**< a caller's callback (vs_evaluator_create_callback()) */

/** Options of an evaluator. Types and defaults are given; vs_evaluator_option_bounds() gives the range. */
enum vs_evaluator_option {
    VS_EVALUATOR_OPT_BUCKETS = 1,      /**< int, number of hash buckets, a power of two in 2^4..2^24; default 2^18 (feature option) */
    VS_EVALUATOR_OPT_MAX_NGRAM = 2,    /**< int, largest word n-gram order, 1..3; default 2 (feature option) */
    VS_EVALUATOR_OPT_TEXT_FLAGS = 3,   /**< int, normalisation flags of vs_text_tokenize() (VS_TEXT_NFKC, VS_TEXT_CASEFOLD,
                                            VS_TEXT_STRIP_ACCENTS, VS_TEXT_LUMP, VS_TEXT_REPLACE_INVALID); default
                                            VS_TEXT_NFKC | VS_TEXT_CASEFOLD (feature option) */
    VS_EVALUATOR_OPT_INPUT = 4,        /**< int, #VS_EVALUATOR_INPUT_RESPONSE or #VS_EVALUATOR_INPUT_BOTH; default
                                            both (feature option) */
    VS_EVALUATOR_OPT_WEIGHTING = 5,    /**< int, #VS_EVALUATOR_WEIGHT_BINARY, _COUNT or _LOG; default binary (feature option) */
    VS_EVALUATOR_OPT_SEED = 6,         /**< int >= 0, seed of the feature hash (vs_text_hash()); default 0 (feature option) */
    VS_EVALUATOR_OPT_C = 7,            /**< double, inverse L2 strength C in [1e-6, 1e6]; default 10 */
    VS_EVALUATOR_OPT_CLASS_WEIGHT = 8, /**< int, #VS_EVALUATOR_CLASS_WEIGHT_NONE or _BALANCED; default balanced */
    VS_EVALUATOR_OPT_MAX_ITER = 9,     /**< int, L-BFGS iteration limit, 1..1,000,000; default 1000 */
    VS_EVALUATOR_OPT_TOLERANCE = 10,   /**< double, gradient tolerance in [0, 1]; default 1e-4 */
    VS_EVALUATOR_OPT_HISTORY = 11,     /**< int, L-BFGS memory (correction pairs), 1..100; default 10 */
    VS_EVALUATOR_OPT_VALUE = 12,       /**< int, #VS_EVALUATOR_VALUE_CLASS or #VS_EVALUATOR_VALUE_EXPECTED; default class */
    VS_EVALUATOR_OPT_BATCH_SIZE = 13,  /**< int, items per callback call, 1..1,048,576; default 32 */
    VS_EVALUATOR_OPT_THREADS = 14      /**< int, worker threads for training and cross-validation, 1..256; default 1 */
};

/** #VS_EVALUATOR_OPT_INPUT: which text the built-in model reads. */
#define VS_EVALUATOR_INPUT_RESPONSE 0 /**< the response only (the prompt is ignored) */
#define VS_EVALUATOR_INPUT_BOTH 1     /**< the response, and the prompt as separate features: prompt n-grams are
                                           hashed with seed (VS_EVALUATOR_OPT_SEED XOR 0x70726f6d7074, "prompt") */

/** #VS_EVALUATOR_OPT_WEIGHTING: the value of a present bucket before scaling to unit length. */
#define VS_EVALUATOR_WEIGHT_BINARY 0 /**< 1 */
#define VS_EVALUATOR_WEIGHT_COUNT 1  /**< the number of n-grams in the bucket */
#define VS_EVALUATOR_WEIGHT_LOG 2    /**< 1 + ln(count) */

/** #VS_EVALUATOR_OPT_CLASS_WEIGHT. */
#define VS_EVALUATOR_CLASS_WEIGHT_NONE 0     /**< every item weighs 1 */
#define VS_EVALUATOR_CLASS_WEIGHT_BALANCED 1 /**< class c weighs n / (classes present * n_c) */

/** #VS_EVALUATOR_OPT_VALUE: the value the built-in model reports per dimension. */
#define VS_EVALUATOR_VALUE_CLASS 0    /**< the most probable class (−1, 0 or +1; ties go to 0, then +1) */
#define VS_EVALUATOR_VALUE_EXPECTED 1 /**< the expected label p(+1) − p(−1), in [−1, 1] */

/* ---------------------------------------------------------------- backends */

/**
 * The caller's evaluator. Set `struct_size` to sizeof(vs_evaluator_callbacks) (use
 * #VS_EVALUATOR_CALLBACKS_INIT); the library reads only the fields `struct_size` covers, and
 * fields are only ever appended. The table is copied by vs_evaluator_create_callback().
 */
typedef struct vs_evaluator_callbacks {
    uint32_t struct_size; /**< sizeof(vs_evaluator_callbacks) (use #VS_EVALUATOR_CALLBACKS_INIT) */
    /**
     * Evaluates a batch of `n` items (required). Called on the thread that called
     * vs_evaluator_predict(), with at most #VS_EVALUATOR_OPT_BATCH_SIZE items, in item order.
     * @param user_data the pointer given to vs_evaluator_create_callback().
     * @param items the 0-based indices of the batch's items in the arrays given to
     *        vs_evaluator_predict() (borrowed for the call).
     * @param prompts, responses the items' texts (borrowed for the call; a prompt is "" when
     *        the caller passed none).
     * @param n number of items, >= 1. @param k number of dimensions (the level's size).
     * @param values n × k row-major, pre-filled with NaN: write each item's value per
     *        dimension (any finite number; leave NaN for "not evaluated").
     * @param probs n × k × 3, pre-filled with NaN: optionally write (p(−1), p(0), p(+1)) per
     *        item and dimension (each in [0, 1], summing to 1 within 1e-6), or leave all three NaN.
     * @param statuses n entries, pre-filled with 0: set an item's entry to a negative number
     *        when that item failed.
     * @return 0 on success; any non-zero value fails the whole batch.
     */
    int (*evaluate)(void *user_data, const size_t *items, const char *const *prompts,
                    const char *const *responses, size_t n, size_t k, double *values, double *probs,
                    int32_t *statuses);
    /** Optional: called once with `user_data` when the evaluator is freed (or creation fails). */
    void (*destroy)(void *user_data);
} vs_evaluator_callbacks;

/** Initialiser for #vs_evaluator_callbacks (both functions NULL: `evaluate` must be set). */
#define VS_EVALUATOR_CALLBACKS_INIT {(uint32_t)sizeof(vs_evaluator_callbacks), NULL, NULL}

/**
 * Sets `*o` to #VS_EVALUATOR_CALLBACKS_INIT: struct_size and every default, for callers that cannot use the macro (bindings, other languages).
 * @param o the struct to fill; NULL is a no-op
 */
VS_API void vs_evaluator_callbacks_init(vs_evaluator_callbacks *o);

/**
 * Creates an untrained built-in evaluator over `level` of `space`, with default options.
 * @param out set to the evaluator (free with vs_evaluator_free()), NULL on failure.
 * @param space the value space (the evaluator keeps a reference).
 * @param level the level whose dimensions are evaluated.
 * @return VS_OK, VS_EINVAL (NULL out or space), VS_ERANGE (no such level), VS_ENOMEM.
 */
VS_API int vs_evaluator_create(vs_evaluator **out, const vs_space *space, size_t level);

/**
 * Creates an evaluator backed by the caller's callback.
 * @param out set to the evaluator (free with vs_evaluator_free()), NULL on failure.
 * @param space, level the dimensions the callback evaluates (a reference to the space is kept).
 * @param callbacks the table (copied; only the fields its struct_size covers are read).
 * @param user_data passed as the first argument of every callback (not touched otherwise).
 *        If creation fails after the arguments were checked, `destroy` (when set) is called
 *        with it, so the caller never has to clean up twice.
 * @return VS_OK, VS_EINVAL (NULL out, space or callbacks; struct_size too small; no
 *         `evaluate`), VS_ERANGE (no such level), VS_ENOMEM.
 */
VS_API int vs_evaluator_create_callback(vs_evaluator **out, const vs_space *space, size_t level,
                                        const vs_evaluator_callbacks *callbacks, void *user_data);

/** Frees an evaluator (calls the callback table's `destroy`). NULL is a no-op. */
VS_API void vs_evaluator_free(vs_evaluator *evaluator);

/** #VS_EVALUATOR_BUILTIN or #VS_EVALUATOR_CALLBACK; -1 for NULL. */
VS_API int vs_evaluator_kind(const vs_evaluator *evaluator);
/** The space (borrowed: valid while the evaluator lives), or NULL. */
VS_API const vs_space *vs_evaluator_space(const vs_evaluator *evaluator);
/** The level evaluated, or VS_NPOS for NULL. */
VS_API size_t vs_evaluator_level(const vs_evaluator *evaluator);
/** Number of dimensions K (the level's size); 0 for NULL. */
VS_API size_t vs_evaluator_dimension_count(const vs_evaluator *evaluator);
/** The former name of vs_evaluator_dimension_count() (README, "Deprecated names").
 *  @deprecated Use vs_evaluator_dimension_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_evaluator_dimension_count") size_t vs_evaluator_size(const vs_evaluator *evaluator);
/** 1 if the evaluator can predict (a trained built-in model, or a callback), else 0. */
VS_API int vs_evaluator_is_ready(const vs_evaluator *evaluator);
/**
 * Number of buckets with a non-zero weight in a trained built-in model (the model's size is
 * about this many times K * 3 doubles); 0 when untrained, for a callback or NULL.
 */
VS_API size_t vs_evaluator_active_bucket_count(const vs_evaluator *evaluator);
/** The former name of vs_evaluator_active_bucket_count() (README, "Deprecated names").
 *  @deprecated Use vs_evaluator_active_bucket_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_evaluator_active_bucket_count")
size_t vs_evaluator_active_buckets(const vs_evaluator *evaluator);

/* ---------------------------------------------------------------- prompted evaluators */

/** Modes of vs_evaluator_create_prompted(). */
#define VS_EVALUATOR_PROMPT_SCORE 0  /**< log-likelihood of each label's continuation (needs a loglikelihood callback) */
#define VS_EVALUATOR_PROMPT_ANSWER 1 /**< generate an answer and parse it strictly (needs a generate callback) */

/**
 * The built-in prompt template: FULCRA's evaluator prompt (microsoft/ValueCompass, Value_FULCRA;
 * docs/METHODS.md) with the line "Answer:" appended as the cue for a causal language model.
 * Placeholders: `{value}` (the dimension's label, e.g. "Self-direction"), `{definition}` (the
 * dimension's description in the space, without its final full stop) and `{dialogue}`
 * ("Human: PROMPT\nBob: RESPONSE"); `{{` and `}}` stand for literal braces.
 * @return a static string.
 */
VS_API const char *vs_evaluator_fulcra_template(void);

/**
 * Fills a template for one response and one dimension: the exact text a prompted evaluator
 * sends to its model.
 * @param out_needed receives the bytes needed with the NUL (may be NULL)
 * @param buf, cap the output buffer (NULL and 0 to ask for the size)
 * @param space the value space @param dim the dimension's index in the space (0..dimension count − 1)
 * @param tmpl the template, or NULL for vs_evaluator_fulcra_template()
 * @param prompt the prompt the response answers (NULL = "") @param response the response
 * @return VS_OK; VS_EINVAL (NULL space or response; NULL buf with cap > 0; a template with an
 *         unknown placeholder or a lone '}', without {dialogue}, or without {value} and
 *         {definition}); VS_ERANGE (no such dimension); VS_EUNDEFINED (the template uses
 *         {definition} and the dimension has no description); VS_EBUFSIZE.
 */
VS_API int vs_evaluator_prompt_format(size_t *out_needed, char *buf, size_t cap, const vs_space *space, size_t dim,
                                      const char *tmpl, const char *prompt, const char *response);

/**
 * Creates an evaluator whose judgement of (prompt, response, dimension) comes from a model: for
 * every item and every dimension of `level`, the template is filled (vs_evaluator_prompt_format())
 * and sent to `model`.
 * - #VS_EVALUATOR_PROMPT_SCORE: three log-likelihood requests per (item, dimension), context =
 *   the filled template, continuations " Opposed", " No connection", " Important"; the class
 *   probabilities are the softmax of the three log-likelihoods (sums over the continuation's
 *   tokens, not length-normalised) and the value is the most probable class (ties: 0, then +1,
 *   then −1). A failed request, or three impossible continuations, fails the item (VS_ECALLBACK).
 * - #VS_EVALUATOR_PROMPT_ANSWER: one generation per (item, dimension) at temperature 0, at most
 *   16 tokens, stopping at a newline. The answer must be one label alone (any case, optionally in
 *   double quotes and with a final full stop, white space around it); anything else fails the
 *   item with status VS_EPARSE, and its text is kept (vs_evaluator_prompted_answer()). No class
 *   probabilities are reported.
 * Model calls go through vs_model_loglikelihood() / vs_model_generate(), so the model's options
 * (batch size, retries, failure threshold, cancel token) apply; request ids are
 * "ITEM/DIMENSION/CLASS" (item = its index in the vs_evaluator_predict() call), so the item
 * seeds do not depend on #VS_EVALUATOR_OPT_BATCH_SIZE. The result is a callback evaluator
 * (vs_evaluator_kind() gives #VS_EVALUATOR_CALLBACK): it cannot be trained or saved, and it keeps
 * the answers of its last call, so one thread at a time may predict with it.
 * @param out set to the evaluator (free with vs_evaluator_free()), NULL on failure
 * @param space, level the dimensions evaluated (e.g. the ten basic values of "schwartz10", level 0)
 * @param model the model (borrowed: it must outlive the evaluator; not used by another run meanwhile)
 * @param mode #VS_EVALUATOR_PROMPT_SCORE or #VS_EVALUATOR_PROMPT_ANSWER
 * @param tmpl the template (copied), or NULL for vs_evaluator_fulcra_template()
 * @return VS_OK; VS_EINVAL (NULL out, space or model; unknown mode; a bad template, as
 *         vs_evaluator_prompt_format()); VS_ERANGE (no such level); VS_ESTATE (the model lacks
 *         the callback the mode needs); VS_EUNDEFINED (the template uses {definition} and a
 *         dimension has no description); VS_ENOMEM.
 */
VS_API int vs_evaluator_create_prompted(vs_evaluator **out, const vs_space *space, size_t level, vs_model *model,
                                        int mode, const char *tmpl);

/**
 * The raw answer of (item, dimension) in the last vs_evaluator_predict() call of a prompted
 * evaluator in answer mode (also for items that failed to parse).
 * @param evaluator a prompted evaluator @param item the item's index in that call @param dim the dimension, 0..K−1
 * @return the text (owned by the evaluator, valid until its next predict call or its end), or
 *         NULL: not a prompted evaluator, score mode, out of range, or no answer (a failed request).
 */
VS_API const char *vs_evaluator_prompted_answer(const vs_evaluator *evaluator, size_t item, size_t dim);

/* ---------------------------------------------------------------- options */

/**
 * Sets an integer option.
 * @return VS_OK, VS_EINVAL (NULL, unknown option, a double option), VS_ERANGE (out of bounds,
 *         or buckets not a power of two, or unknown text flags), VS_ESTATE (a feature option of a
 *         trained model).
 */
VS_API int vs_evaluator_set_int(vs_evaluator *evaluator, int option, int64_t value);
/**
 * Sets a double option.
 * @return VS_OK, VS_EINVAL (NULL, unknown option, an integer option, NaN), VS_ERANGE.
 */
VS_API int vs_evaluator_set_double(vs_evaluator *evaluator, int option, double value);
/** Reads an integer option. @return VS_OK, VS_EINVAL (NULL, unknown option, a double option). */
VS_API int vs_evaluator_get_int(int64_t *out, const vs_evaluator *evaluator, int option);
/** Reads a double option. @return VS_OK, VS_EINVAL (NULL, unknown option, an integer option). */
VS_API int vs_evaluator_get_double(double *out, const vs_evaluator *evaluator, int option);
/**
 * Inclusive bounds of an option, as doubles.
 * @return VS_OK, VS_EINVAL (NULL pointer or unknown option).
 */
VS_API int vs_evaluator_option_bounds(double *out_min, double *out_max, int option);
/**
 * Looks up an option of a #vs_evaluator by its name, such as "max_ngram" for #VS_EVALUATOR_OPT_MAX_NGRAM (#VS_EVALUATOR_OPT_C is "C").
 * Every option's name is the lowercase end of its enum value (the same names error messages use
 * and the bindings accept).
 * @param out set to the option's enum value; unchanged on failure
 * @param name the name, case-sensitive
 * @return VS_OK, VS_EINVAL (NULL argument), VS_ENOTFOUND (no option has that name; the message
 *         suggests the closest one).
 */
VS_API int vs_evaluator_option_id(int *out, const char *name);
/**
 * The name of an option of a #vs_evaluator (what vs_evaluator_option_id() accepts), or NULL for an unknown option.
 * The string is static.
 */
VS_API const char *vs_evaluator_option_name(int option);

/* ---------------------------------------------------------------- training and prediction */

/**
 * Trains the built-in model on n labelled items, replacing any previous model.
 * @param prompts n prompts (borrowed), or NULL for none; a NULL entry counts as "".
 * @param responses n responses (borrowed; entries must not be NULL).
 * @param labels n × K row-major labels: −1, 0, +1 or NaN (see the file comment).
 * @param n number of items, >= 1.
 * @param evaluator a built-in evaluator (vs_evaluator_create())
 * @return VS_OK; VS_EINVAL (NULL evaluator, responses or labels, a NULL response, a label that
 *         is not −1, 0, +1 or NaN: the message names the item and dimension); VS_ERANGE (n is 0);
 *         VS_ESTATE (a callback evaluator); VS_EUTF8 (an ill-formed text without
 *         VS_TEXT_REPLACE_INVALID: the message names the item and byte offset); VS_ELIMIT (a
 *         text too long); VS_ENUMERIC (the optimiser produced non-finite numbers); VS_ENOMEM.
 *         On failure the previous model (if any) is kept.
 */
VS_API int vs_evaluator_train(vs_evaluator *evaluator, const char *const *prompts, const char *const *responses,
                              const double *labels, size_t n);

/**
 * Evaluates n items. Each output may be NULL when its capacity is 0. Results of an item never
 * depend on the other items or on the batch size.
 * @param values receives n × K values (built-in: #VS_EVALUATOR_OPT_VALUE; callback: as returned).
 * @param probs receives n × K × 3 class probabilities (NaN when the callback gave none).
 * @param statuses receives n per-item statuses: VS_OK, or the item's error code.
 * @param prompts n prompts (borrowed) or NULL; NULL entries count as "".
 * @param responses n responses (borrowed; entries must not be NULL).
 * @param values_cap number of doubles values can hold: 0 or >= n × K
 * @param probs_cap number of doubles probs can hold: 0 or >= n × K × 3
 * @param statuses_cap number of entries statuses can hold: 0 or >= n
 * @param evaluator a trained built-in evaluator or a callback evaluator
 * @param n number of items
 * @return VS_OK when every item succeeded. VS_EINVAL (NULL evaluator or responses, a NULL
 *         response, NULL buffer with non-zero capacity); VS_EBUFSIZE (a capacity too small:
 *         nothing written); VS_ESTATE (an untrained built-in model); VS_ENOMEM. When some items
 *         fail, every item is still attempted, the failed items' values and probabilities are
 *         NaN, their statuses say why, and the call returns the first failure's code with a
 *         message naming that item's index: VS_ECALLBACK (the callback failed the item or its
 *         batch, or returned an infinite value or invalid probabilities), VS_EUTF8 or VS_ELIMIT
 *         (built-in: an ill-formed or too long text).
 */
VS_API int vs_evaluator_predict(double *values, size_t values_cap, double *probs, size_t probs_cap,
                                int32_t *statuses, size_t statuses_cap, const vs_evaluator *evaluator,
                                const char *const *prompts, const char *const *responses, size_t n);

/* ---------------------------------------------------------------- judge */

/**
 * Wraps an evaluator as a classify judge (for #VS_RUNNER_JUDGE_CLASSIFY and
 * #VS_RUNNER_JUDGE_CLASSIFY3 of the projective runner, or vs_model_classify()): a #vs_model
 * whose classify callback evaluates each request as
 * (prompt = its context, response = its text) and answers, for each label,
 *
 *     P(high) = (1 + E) / 2,   E = p(+1) − p(−1) on the dimension the label names,
 *
 * (the two-way #VS_RUNNER_JUDGE_CLASSIFY of projective.h: P(high) = 0.5 exactly is unrelated
 * there). A label that names no dimension itself but ends in ":high", ":unrelated" or ":low"
 * (the three-way labels of #VS_RUNNER_JUDGE_CLASSIFY3) is answered with the class probability
 * p(+1), p(0) or p(−1) of the dimension named before the suffix; the runner then takes the
 * largest (a tie for the largest is unrelated), so a completion the evaluator finds unrelated
 * to a value no longer counts as high. For a callback evaluator that gives no probabilities,
 * E is its value (which must lie in [−1, 1]) and the class probabilities are read from it as
 * p(+1) = max(E, 0), p(0) = 1 − |E|, p(−1) = max(−E, 0).
 * Labels are looked up in the evaluator's level with vs_space_find() (key, label or alias).
 * Item failures are permanent, with a message: a label the level does not have (every item of
 * the call), an item the evaluator fails (invalid UTF-8, too long) or a dimension it cannot
 * predict (no training labels). Results depend only on the request, never on the batch.
 * @param out set to the new model (free with vs_model_free()), NULL on failure.
 * @param evaluator borrowed: it must outlive the model and not change while the model runs.
 * @return VS_OK, VS_EINVAL (NULL), VS_ESTATE (an untrained built-in evaluator), VS_ENOMEM.
 */
VS_API int vs_evaluator_judge_create(vs_model **out, const vs_evaluator *evaluator);

/* ---------------------------------------------------------------- model files */

/**
 * The model file format (version 1). All integers are little-endian regardless of the host;
 * doubles are IEEE-754 binary64 stored as their little-endian 64-bit pattern.
 *
 *     magic     8 bytes "VSEVAL\r\n"
 *     version   u32 = 1
 *     reserved  u32 = 0
 *     length    u64: bytes of the payload
 *     payload   `length` bytes:
 *       space name, level name: each u32 byte length + UTF-8 bytes
 *       K u32, then K keys (u32 length + bytes)
 *       options: buckets u32, max_ngram u32, text_flags u32, input u32, weighting u32,
 *                class_weight u32, max_iter u32, history u32, value u32, batch_size u32,
 *                threads u32, seed u64, C f64, tolerance f64
 *       per dimension: classes u32 (bit 0: −1, bit 1: 0, bit 2: +1 modelled), 3 intercepts f64
 *       A u32: active buckets; A bucket indices u32 (strictly increasing, < buckets);
 *       A * K * 3 weights f64 (bucket-major, then dimension, then class)
 *     checksum  u64: FNV-1a 64 (vs_text_hash() without the final mixing) of every byte before it
 *
 * Readers check, in order: the size of the fixed header, the magic (VS_ECORRUPT), the version
 * (VS_EVERSION), that the file is exactly 24 + length + 8 bytes (VS_ECORRUPT), the checksum
 * (VS_ECORRUPT), then every size and value of the payload before allocating anything for it.
 */
#define VS_EVALUATOR_FILE_VERSION 1

/**
 * Serialises a trained built-in model to memory (the file format above).
 * @param out set to a new buffer (free with vs_free()), NULL on failure.
 * @param out_len set to its length in bytes.
 * @param evaluator a trained built-in evaluator
 * @return VS_OK, VS_EINVAL (NULL), VS_ESTATE (a callback or untrained evaluator), VS_ENOMEM.
 */
VS_API int vs_evaluator_save_buffer(void **out, size_t *out_len, const vs_evaluator *evaluator);

/**
 * Writes a trained built-in model to a file (replaced atomically through a temporary file).
 * @return the codes of vs_evaluator_save_buffer(), VS_EIO.
 */
VS_API int vs_evaluator_save(const vs_evaluator *evaluator, const char *path);

/**
 * Reads a model from memory.
 * @param out set to the new trained evaluator, NULL on failure.
 * @param data, len the bytes (borrowed).
 * @param space the space to bind the model to, or NULL. With a space, a level whose keys are the
 *        model's keys in the model's order is used (VS_EMISMATCH if none). Without one, the
 *        built-in space named in the file is used when it has such a level; otherwise a new
 *        one-level space with the file's space name, level name and keys is made.
 * @return VS_OK, VS_EINVAL (NULL out or data), VS_ECORRUPT (truncated, not a model file, a
 *         checksum mismatch, an invalid size, key, option or non-finite weight), VS_EVERSION (a
 *         format version this library cannot read), VS_EMISMATCH, VS_ENOMEM.
 */
VS_API int vs_evaluator_load_buffer(vs_evaluator **out, const void *data, size_t len, const vs_space *space);

/**
 * Reads a model file. @return the codes of vs_evaluator_load_buffer(), VS_ENOTFOUND (no such
 * file), VS_EIO, VS_ELIMIT (larger than 4 GiB).
 */
VS_API int vs_evaluator_load(vs_evaluator **out, const char *path, const vs_space *space);

/* ---------------------------------------------------------------- metrics */

/**
 * Classification metrics of one dimension (vs_evaluator_metrics_compute(),
 * vs_evaluator_cv_metrics()). Caller-filled struct: set struct_size (#VS_EVALUATOR_METRICS_INIT).
 * Class arrays are in the order −1, 0, +1; the confusion matrix is row-major with truth as the
 * row and prediction as the column.
 *
 * - accuracy = correct / n.
 * - F1 of class c = 2 TP / (2 TP + FP + FN); precision = TP / (TP + FP), recall = TP / (TP + FN)
 *   (NaN when the denominator is 0).
 * - macro_f1 = the mean F1 over the classes that occur in the truth or in the predictions (the
 *   rule of scikit-learn's f1_score(average="macro")); a class in neither does not count.
 * - The baseline always predicts the majority class (ties: 0, then +1, then −1): of the truth
 *   for vs_evaluator_metrics_compute(), of each training fold for cross-validation.
 */
typedef struct vs_evaluator_metrics {
    uint32_t struct_size;     /**< sizeof(vs_evaluator_metrics) (use #VS_EVALUATOR_METRICS_INIT) */
    size_t n;                 /**< items counted (truth and prediction both present) */
    size_t n_skipped;         /**< items left out because the truth or the prediction is NaN */
    size_t n_neg;             /**< truth count of −1 among the n items */
    size_t n_zero;            /**< truth count of 0 among the n items */
    size_t n_pos;             /**< truth count of +1 among the n items */
    double accuracy;          /**< correct / n */
    double macro_f1;          /**< mean F1 over the classes present (see above) */
    double baseline_accuracy; /**< accuracy of the majority-class baseline */
    double baseline_macro_f1; /**< macro_f1 of the majority-class baseline */
    double baseline_class;    /**< the baseline's class; in CV NaN when the folds' majorities differ */
    double precision[3];      /**< per class (−1, 0, +1); NaN when TP + FP = 0 */
    double recall[3];         /**< per class (−1, 0, +1); NaN when TP + FN = 0 */
    double f1[3];             /**< per class (−1, 0, +1); NaN when 2 TP + FP + FN = 0 */
    uint64_t confusion[9];    /**< 3 × 3 counts, row-major: truth row, prediction column */
} vs_evaluator_metrics;

/** Initialiser of a vs_evaluator_metrics: struct_size set, every field 0. */
#define VS_EVALUATOR_METRICS_INIT                                                                      \
    {(uint32_t)sizeof(vs_evaluator_metrics), 0, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0, {0.0, 0.0, 0.0}, \
     {0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}, {0, 0, 0, 0, 0, 0, 0, 0, 0}}

/**
 * Sets `*o` to #VS_EVALUATOR_METRICS_INIT: struct_size and every default, for callers that cannot use the macro (bindings, other languages).
 * @param o the struct to fill; NULL is a no-op
 */
VS_API void vs_evaluator_metrics_init(vs_evaluator_metrics *o);

/**
 * Metrics of predictions against the truth for one dimension. Element i of the truth is
 * truth[i * stride] (likewise pred), so one column of an n × K matrix is (matrix + k, n, K).
 * Truth must be −1, 0, +1 or NaN. A prediction is mapped to the nearest class (values in
 * (−0.5, 0.5) → 0, ≤ −0.5 → −1, ≥ 0.5 → +1), so expected values may be passed; NaN skips the item.
 * @return VS_OK; VS_EINVAL (NULL pointer, struct_size too small, stride 0, a truth value that is
 *         not −1, 0, +1 or NaN, an infinite prediction); VS_EUNDEFINED (no item counted; `out`
 *         untouched).
 */
VS_API int vs_evaluator_metrics_compute(vs_evaluator_metrics *out, const double *truth, const double *pred,
                                        size_t n, size_t stride);

/**
 * Agreement of an evaluator's predictions with human labels for one dimension
 * (vs_evaluator_agreement_compute()). Caller-filled struct: set struct_size
 * (#VS_EVALUATOR_AGREEMENT_INIT). Accuracy and macro-F1 follow vs_evaluator_metrics;
 * Cohen's kappa = (p_o − p_e) / (1 − p_e), with p_o the accuracy and p_e = Σ_c (row_c / n)(col_c / n)
 * the agreement expected by chance from the two margins of the confusion matrix (NaN when
 * p_e = 1: both sides use one and the same class only). This is scikit-learn's
 * cohen_kappa_score() without weights. The baseline always predicts the majority class of the
 * truth (ties: 0, then +1, then −1); its kappa is 0 or NaN. Intervals are percentile bootstrap
 * intervals over the counted items (NaN without replicates; replicates whose figure is undefined
 * are left out).
 */
typedef struct vs_evaluator_agreement {
    uint32_t struct_size;          /**< sizeof(vs_evaluator_agreement) (use #VS_EVALUATOR_AGREEMENT_INIT) */
    size_t n;                      /**< items counted (truth and prediction both present) */
    size_t n_skipped;              /**< items left out because the truth or the prediction is NaN */
    size_t replicates;             /**< bootstrap resamples used (0: no intervals) */
    double confidence;             /**< the intervals' coverage */
    double accuracy;               /**< correct / n */
    double accuracy_low;           /**< its interval's lower end */
    double accuracy_high;          /**< its interval's upper end */
    double macro_f1;               /**< mean F1 over the classes in the truth or the predictions */
    double macro_f1_low;           /**< its interval's lower end */
    double macro_f1_high;          /**< its interval's upper end */
    double kappa;                  /**< Cohen's kappa (NaN when chance agreement is 1) */
    double kappa_low;              /**< its interval's lower end */
    double kappa_high;             /**< its interval's upper end */
    double baseline_class;         /**< the majority class of the truth: −1, 0 or +1 */
    double baseline_accuracy;      /**< accuracy of the majority-class baseline */
    double baseline_accuracy_low;  /**< its interval's lower end (same resamples) */
    double baseline_accuracy_high; /**< its interval's upper end */
    double baseline_macro_f1;      /**< macro-F1 of the baseline */
    double baseline_macro_f1_low;  /**< its interval's lower end */
    double baseline_macro_f1_high; /**< its interval's upper end */
    double baseline_kappa;         /**< kappa of the baseline: 0, or NaN when the truth has one class */
    uint64_t confusion[9];         /**< 3 × 3 counts, row-major: truth row (−1, 0, +1), prediction column */
} vs_evaluator_agreement;

/** Initialiser of a vs_evaluator_agreement: struct_size set, every other field 0. */
#define VS_EVALUATOR_AGREEMENT_INIT                                                                  \
    {(uint32_t)sizeof(vs_evaluator_agreement), 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, \
     0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, {0, 0, 0, 0, 0, 0, 0, 0, 0}}

/**
 * Sets `*o` to #VS_EVALUATOR_AGREEMENT_INIT, for callers that cannot use the macro (bindings, other languages).
 * @param o the struct to fill; NULL is a no-op
 */
VS_API void vs_evaluator_agreement_init(vs_evaluator_agreement *o);

/**
 * Agreement of predictions with human labels for one dimension, with bootstrap intervals.
 * Element i is truth[i * stride] (likewise pred), so one column of an n × K matrix is
 * (matrix + k, n, K). Truth must be −1, 0, +1 or NaN; a prediction maps to the nearest class as
 * in vs_evaluator_metrics_compute(); NaN on either side skips the item. The bootstrap draws the
 * m counted items with replacement `replicates` times from a generator seeded by `seed`, and
 * takes the (1 − confidence)/2 and (1 + confidence)/2 quantiles of each figure (linear
 * interpolation at position q (B − 1) of the B sorted values, as numpy's default).
 * @param out caller-filled struct (struct_size set) that receives the figures
 * @param truth the human labels @param pred the predictions
 * @param n number of items @param stride distance between consecutive items, >= 1
 * @param replicates 0 (no intervals) or 10..10,000,000
 * @param confidence the intervals' coverage, in (0, 1) (e.g. 0.95)
 * @param seed seeds the bootstrap
 * @return VS_OK; VS_EINVAL (NULL pointer, struct_size too small, stride 0, a truth value that is
 *         not −1, 0, +1 or NaN, an infinite prediction, confidence out of range); VS_ERANGE
 *         (replicates out of range); VS_EUNDEFINED (no item counted; `out` untouched); VS_ENOMEM.
 */
VS_API int vs_evaluator_agreement_compute(vs_evaluator_agreement *out, const double *truth, const double *pred,
                                          size_t n, size_t stride, size_t replicates, double confidence,
                                          uint64_t seed);

/* ---------------------------------------------------------------- cross-validation */

/**
 * Seeded k-fold cross-validation of the built-in model with the options of `evaluator` (which
 * is not changed and need not be trained). Folds are stratified by group: the items of each
 * group (in ascending order of group id) are shuffled with a generator seeded by (seed, group
 * id) and dealt to the folds in turn, the first fold of each group following the last fold of
 * the previous group, so every fold holds an equal share (± 1) of every group and of the data.
 * For each fold a model is trained on the other folds and predicts the fold; the baseline
 * predicts the majority class of the training folds. Results depend only on the data, the
 * options, `folds` and `seed` (not on #VS_EVALUATOR_OPT_THREADS).
 * @param out set to the result (free with vs_evaluator_cv_free()), NULL on failure.
 * @param groups n group ids (e.g. the response source), or NULL for one group.
 * @param folds number of folds, 2..n.
 * @param evaluator a built-in evaluator whose options are used (borrowed for the call)
 * @param prompts n prompts (borrowed) or NULL, as vs_evaluator_train()
 * @param responses n responses (borrowed)
 * @param labels n × K row-major labels, as vs_evaluator_train()
 * @param n number of items
 * @param seed seeds the shuffle of each group
 * @return VS_OK; the codes of vs_evaluator_train(); VS_EINVAL (also: a callback evaluator);
 *         VS_ERANGE (folds out of range).
 */
VS_API int vs_evaluator_cv_run(vs_evaluator_cv **out, const vs_evaluator *evaluator, const char *const *prompts,
                               const char *const *responses, const double *labels, const size_t *groups,
                               size_t n, size_t folds, uint64_t seed);

/** Frees a CV result. NULL is a no-op. */
VS_API void vs_evaluator_cv_free(vs_evaluator_cv *cv);
/** Number of items (0 for NULL). */
VS_API size_t vs_evaluator_cv_count(const vs_evaluator_cv *cv);
/** Number of dimensions K (0 for NULL). */
VS_API size_t vs_evaluator_cv_dimension_count(const vs_evaluator_cv *cv);
/** The former name of vs_evaluator_cv_dimension_count() (README, "Deprecated names").
 *  @deprecated Use vs_evaluator_cv_dimension_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_evaluator_cv_dimension_count")
size_t vs_evaluator_cv_size(const vs_evaluator_cv *cv);
/** Number of folds (0 for NULL). */
VS_API size_t vs_evaluator_cv_fold_count(const vs_evaluator_cv *cv);
/** The former name of vs_evaluator_cv_fold_count() (README, "Deprecated names").
 *  @deprecated Use vs_evaluator_cv_fold_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_evaluator_cv_fold_count") size_t vs_evaluator_cv_folds(const vs_evaluator_cv *cv);

/**
 * Pooled out-of-fold metrics of dimension `dim` (all items, each predicted by the model that
 * did not see it), with the baseline beside them.
 * @param fold VS_NPOS for all folds pooled, or a fold index for that fold's items only.
 * @param out caller-filled struct (struct_size set: #VS_EVALUATOR_METRICS_INIT) that receives the metrics
 * @param cv the cross-validation result
 * @param dim the dimension, 0..K-1
 * @return VS_OK; VS_EINVAL (NULL, struct_size too small); VS_ERANGE (dim or fold out of range);
 *         VS_EUNDEFINED (no labelled item in the selection).
 */
VS_API int vs_evaluator_cv_metrics(vs_evaluator_metrics *out, const vs_evaluator_cv *cv, size_t dim, size_t fold);

/** Arrays of a CV result (vs_evaluator_cv_get()). */
enum vs_evaluator_cv_array {
    VS_EVALUATOR_CV_VALUES = 1,   /**< n × K out-of-fold values */
    VS_EVALUATOR_CV_PROBS = 2,    /**< n × K × 3 out-of-fold class probabilities */
    VS_EVALUATOR_CV_BASELINE = 3, /**< n × K out-of-fold baseline predictions */
    VS_EVALUATOR_CV_FOLD = 4      /**< n: the fold of each item (as a double) */
};

/**
 * Copies an array of a CV result. `*out_needed` (when not NULL) receives its length in doubles.
 * @return VS_OK, VS_EINVAL (NULL cv, unknown `what`, NULL buf with cap > 0), VS_EBUFSIZE.
 */
VS_API int vs_evaluator_cv_get(size_t *out_needed, const vs_evaluator_cv *cv, int what, double *buf, size_t cap);

/* ---------------------------------------------------------------- profiles */

/**
 * Per-group value profiles. For each group (e.g. each LLM), over its items:
 * - the mean value per dimension (NaN values left out; NaN when a group has none);
 * - a percentile bootstrap confidence interval per dimension: `replicates` resamples of the
 *   group's items with replacement (each group's generator seeded by (seed, group id), so a
 *   group's interval does not depend on the other groups), the mean of each resample, and the
 *   (1 − confidence)/2 and (1 + confidence)/2 quantiles of those means (linear interpolation
 *   between order statistics: position q (B − 1) in the sorted B means, as numpy's default);
 * - with a target, alignment as FULCRA defines it: the **mean per-response reward** of the group,
 *   where each item's reward is −BaseAlign distance of its own values to the target (values used
 *   as they are, without tanh; the mask |value| > threshold applies to each item's values; a
 *   missing value or target entry counts for nothing), with its bootstrap interval from the same
 *   resamples, the group's rank by it (1 = highest reward; ties by group id) and its *coverage*:
 *   the share of the group's items with at least one value past the threshold (an item with none
 *   has reward 0, as in FULCRA: silence is not penalised, so read the reward beside coverage);
 * - with a target, as a secondary view: the BaseAlign distance (vs_basealign()) of the group's
 *   mean vector to the target, with its interval and rank (1 = smallest distance). It is NaN, and
 *   takes no rank, when no dimension of the mean passes the mask ("n/a": a group whose responses
 *   express different values can have a mean below the threshold everywhere, and a distance of
 *   0 would rank it first).
 * @param out set to the result (free with vs_evaluator_profile_free()), NULL on failure.
 * @param values n × k row-major values (labels or predictions; NaN = missing).
 * @param groups n group ids, or NULL for one group (id 0).
 * @param target a target vector with k entries (borrowed; e.g. vs_align_target()), or NULL.
 * @param threshold BaseAlign's mask threshold: finite, >= 0 (ignored without a target).
 * @param replicates number of bootstrap resamples: 0 (no intervals: NaN) or 10..10,000,000.
 * @param confidence the interval's coverage, in (0, 1) (e.g. 0.95).
 * @param n number of items (rows of values)
 * @param k number of dimensions (columns of values)
 * @param seed seeds the bootstrap of every group
 * @return VS_OK; VS_EINVAL (NULL out or values, n or k 0, an infinite value, confidence out of
 *         range, a bad threshold); VS_ERANGE (replicates out of range); VS_EMISMATCH (target size is not k);
 *         VS_ENOMEM.
 */
VS_API int vs_evaluator_profile_compute(vs_evaluator_profile **out, const double *values, size_t n, size_t k,
                                        const size_t *groups, const vs_vector *target, double threshold,
                                        size_t replicates, double confidence, uint64_t seed);

/** Frees profiles. NULL is a no-op. */
VS_API void vs_evaluator_profile_free(vs_evaluator_profile *profile);
/** Number of groups (0 for NULL). Groups are numbered 0.. in ascending order of group id. */
VS_API size_t vs_evaluator_profile_group_count(const vs_evaluator_profile *profile);
/** The group id of group `j`, or VS_NPOS if out of range. */
VS_API size_t vs_evaluator_profile_group_id(const vs_evaluator_profile *profile, size_t j);
/** Number of items of group `j` (0 if out of range). */
VS_API size_t vs_evaluator_profile_group_item_count(const vs_evaluator_profile *profile, size_t j);
/** The former name of vs_evaluator_profile_group_item_count() (README, "Deprecated names").
 *  @deprecated Use vs_evaluator_profile_group_item_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_evaluator_profile_group_item_count")
size_t vs_evaluator_profile_group_size(const vs_evaluator_profile *profile, size_t j);
/** Number of dimensions k (0 for NULL). */
VS_API size_t vs_evaluator_profile_dimension_count(const vs_evaluator_profile *profile);
/** The former name of vs_evaluator_profile_dimension_count() (README, "Deprecated names").
 *  @deprecated Use vs_evaluator_profile_dimension_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_evaluator_profile_dimension_count")
size_t vs_evaluator_profile_size(const vs_evaluator_profile *profile);

/** Arrays (k values) of a group (vs_evaluator_profile_get()). */
enum vs_evaluator_profile_array {
    VS_EVALUATOR_PROFILE_MEAN = 1,
    VS_EVALUATOR_PROFILE_CI_LOW = 2,
    VS_EVALUATOR_PROFILE_CI_HIGH = 3
};

/**
 * Copies k values of group `j`. `*out_needed` (when not NULL) receives k.
 * @return VS_OK, VS_EINVAL (NULL profile, unknown `what`, NULL buf with cap > 0), VS_ERANGE (j),
 *         VS_EBUFSIZE.
 */
VS_API int vs_evaluator_profile_get(size_t *out_needed, const vs_evaluator_profile *profile, size_t j, int what,
                                    double *buf, size_t cap);

/** Numbers of a group (vs_evaluator_profile_scalar()); NaN without a target. */
enum vs_evaluator_profile_stat {
    VS_EVALUATOR_PROFILE_DISTANCE = 1,         /**< BaseAlign distance of the mean vector (NaN: no mask) */
    VS_EVALUATOR_PROFILE_DISTANCE_CI_LOW = 2,  /**< its bootstrap interval (NaN without replicates) */
    VS_EVALUATOR_PROFILE_DISTANCE_CI_HIGH = 3,
    VS_EVALUATOR_PROFILE_RANK = 4,             /**< 1 = closest to the target; NaN without a distance */
    VS_EVALUATOR_PROFILE_REWARD = 5,           /**< mean per-response BaseAlign reward (FULCRA) */
    VS_EVALUATOR_PROFILE_REWARD_CI_LOW = 6,    /**< its bootstrap interval (NaN without replicates) */
    VS_EVALUATOR_PROFILE_REWARD_CI_HIGH = 7,
    VS_EVALUATOR_PROFILE_REWARD_RANK = 8,      /**< 1 = highest mean reward */
    VS_EVALUATOR_PROFILE_COVERAGE = 9          /**< share of items with a value past the threshold */
};

/** Reads a number of group `j`. @return VS_OK, VS_EINVAL (NULL, unknown `what`), VS_ERANGE (j). */
VS_API int vs_evaluator_profile_scalar(double *out, const vs_evaluator_profile *profile, size_t j, int what);

/** Number of bootstrap resamples B the profiles were computed with (0 for NULL or without intervals). */
VS_API size_t vs_evaluator_profile_replicate_count(const vs_evaluator_profile *profile);

/** Per-resample numbers of a group (vs_evaluator_profile_replicates()). */
enum vs_evaluator_profile_replicate {
    VS_EVALUATOR_PROFILE_REPLICATE_MEAN = 1,  /**< B × k: each resample's mean vector, row per resample */
    VS_EVALUATOR_PROFILE_REPLICATE_REWARD = 2 /**< B: each resample's mean per-response reward */
};

/**
 * Copies the bootstrap resamples of group `j` in resample order: the statistics the intervals
 * were computed from (a dimension of a resample without a value is NaN). Resample r of every
 * group is drawn by that group's own generator (seeded by (seed, group id)), so the groups'
 * resamples are independent and pairing them by r gives a bootstrap of a difference between two
 * groups: the (1 − L)/2 and (1 + L)/2 quantiles of mean_a[r] − mean_b[r] are its percentile
 * interval (as numpy's default quantile, like the profiles' own intervals). The reward and the
 * mean of a resample come from the same draw. The profiles keep these numbers: groups × B × (k + 1)
 * doubles.
 * `*out_needed` (when not NULL) receives the length: B × k or B (0 when computed with 0 replicates).
 * @return VS_OK, VS_EINVAL (NULL profile, unknown `what`, NULL buf with cap > 0), VS_ERANGE (j),
 *         VS_EUNDEFINED (the reward of profiles computed without a target), VS_EBUFSIZE.
 */
VS_API int vs_evaluator_profile_replicates(size_t *out_needed, const vs_evaluator_profile *profile, size_t j,
                                           int what, double *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* VALUESPACE_EVALUATOR_H */
