/**
 * @file valuespace/model.h
 * @brief Model callbacks: a versioned callback table (generate, loglikelihood, embed,
 *        classify) and the machinery around it — batching, retries with deterministic
 *        exponential backoff, a failure threshold, cancellation and per-item seeds.
 *
 * The library never runs a model itself. The caller fills a #vs_model_callbacks table with
 * functions that run a *batch* of requests (a list in, a list out, one status per item) and
 * wraps it, with a `user_data` pointer, in a #vs_model. The run functions
 * (vs_model_generate(), vs_model_loglikelihood(), vs_model_embed(), vs_model_classify()) take
 * any number of requests, split them into batches of at most #VS_MODEL_OPT_MAX_BATCH, call the
 * callback, retry the items that failed transiently, and store per-item outcomes in a
 * #vs_model_results (final status, output, attempts, latency, error message).
 *
 * **Results never depend on the batch size or on how work is split**: every request is passed
 * on its own, the seed of a generation request is derived from (run seed, item id, repeat)
 * (vs_model_item_seed()), and the backoff jitter from (run seed, item id, attempt). A callback
 * that is deterministic for a given request and seed therefore gives bit-identical results
 * (everything but the latencies) for batch sizes 1, 7 or 64 and for any sharding of the items.
 *
 * ### Writing a callback
 * - `user_data` (the pointer given to vs_model_create()) is the first argument of every callback.
 * - `requests[i]` (i < n) are the items of the batch; they and every string they point to are
 *   borrowed for the duration of the call. Their order within a batch is unspecified.
 * - `status[i]` is pre-set to #VS_MODEL_ITEM_OK; set it to #VS_MODEL_ITEM_TRANSIENT (retry
 *   later, e.g. HTTP 429/503, a time-out) or #VS_MODEL_ITEM_PERMANENT (e.g. a request the model
 *   rejects). Any other value makes the item a #VS_MODEL_ITEM_BAD_OUTPUT failure.
 *   vs_model_set_error() attaches a message to a failed item.
 * - Outputs: generated text is handed over with vs_model_set_text(), vectors (embeddings,
 *   class probabilities) with vs_model_set_vector(); both copy and validate, so a callback
 *   never allocates memory the library frees. Log-likelihoods are written into the arrays the
 *   library passes (pre-filled with NaN and -1). Output that is missing or invalid (no text,
 *   invalid UTF-8, a NUL byte, a vector of the wrong length, NaN, a positive log-probability)
 *   makes that item — and only that item — a #VS_MODEL_ITEM_BAD_OUTPUT failure; it is not
 *   retried.
 * - Return value of a callback: 0 = the batch ran and `status` tells each item's outcome;
 *   #VS_MODEL_ITEM_TRANSIENT (1) = the whole batch failed transiently (every item counts an
 *   attempt and is retried; outputs of this call are ignored); any other value = a fatal
 *   failure: the run stops at once and returns #VS_ECALLBACK naming the callback, the returned
 *   value and the first item id of the batch (bindings use this to re-raise their exception).
 *   Items finished earlier keep their results; the items of that batch and all later ones are
 *   #VS_MODEL_ITEM_NOT_RUN.
 * - The `batch` handle and the setters are valid only while the callback runs. The setters
 *   may be called from any thread during that time (e.g. from a pool of workers that each
 *   handle one item), but not after the callback has returned.
 *
 * ### Retries and backoff
 * An item that reports #VS_MODEL_ITEM_TRANSIENT is retried until it has taken part in
 * #VS_MODEL_OPT_MAX_ATTEMPTS calls; after its a-th failed attempt (a = 1, 2, ...) it waits
 *
 *     delay(a) = min(backoff_max, backoff_base * 2^(a-1)) * (0.5 + 0.5 * u)
 *     u        = (vs_model_item_seed(run_seed ^ VS_MODEL_BACKOFF_SALT, id, a) >> 11) * 2^-53
 *
 * ("equal jitter": u in [0, 1) is a deterministic hash of the seed, the item id and the
 * attempt, so the schedule is reproducible). Delays are measured on a clock that advances only
 * while the library sleeps: items that are waiting do not block other work, and the library
 * sleeps (through the sleep hook, vs_model_set_sleep()) only when nothing else is ready, for
 * exactly the time until the earliest waiting item is due. A retried item joins a later batch,
 * alone or with other items.
 *
 * ### Failure threshold, cancellation
 * After each batch the number of items that failed for good (#VS_MODEL_ITEM_TRANSIENT after the
 * last attempt, #VS_MODEL_ITEM_PERMANENT, #VS_MODEL_ITEM_BAD_OUTPUT) is compared with
 * #VS_MODEL_OPT_MAX_FAILED and #VS_MODEL_OPT_MAX_FAILED_FRACTION: when it exceeds either, the
 * run stops and returns #VS_EFAILED ("stop"); otherwise it goes on and returns VS_OK with the
 * failures recorded per item ("continue", the default). Whether a run stops does not depend on
 * the batch size; which items were attempted before it stopped does.
 * **Early stop:** when the first #VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES items (default 20) to
 * finish all failed with the same status and the same message — a server that is down, an
 * endpoint that cannot serve this kind of request — the run stops with #VS_EFAILED instead of
 * sending every remaining request; the message names the cause. One success or one different
 * failure among the first N switches the rule off for the rest of the run. A run of fewer items
 * than N never stops this way.
 * A #vs_cancel token (vs_model_set_cancel()) is checked before every batch and during the
 * default sleep; once it is set the run returns #VS_ECANCELED.
 *
 * ### Results
 * A run first checks all its arguments and requests (on VS_EINVAL, VS_EUTF8 or VS_ESTATE no
 * callback is called and the results are untouched), then resets the #vs_model_results it is
 * given and fills it. It is never freed or emptied on failure: after VS_ECALLBACK, VS_ECANCELED
 * or VS_ENOMEM the items that finished keep their outputs, the rest are #VS_MODEL_ITEM_NOT_RUN
 * (only a VS_ENOMEM while making room for the items leaves the results empty). An item hook
 * (vs_model_set_item_hook()) sees each item right after the callback call that made it final,
 * e.g. to journal it at once.
 *
 * @threadsafety a #vs_model and a #vs_model_results must not be used by two threads at once
 * (a run calls the callbacks synchronously on the calling thread). vs_cancel_request() may be
 * called from any thread and from a signal handler.
 */
#ifndef VALUESPACE_MODEL_H
#define VALUESPACE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "valuespace/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A model: a callback table with its user data and the run options. */
typedef struct vs_model vs_model;
/** Outcomes of one run: a status, attempts, latency, output and message per item. */
typedef struct vs_model_results vs_model_results;
/** The output side of one callback call (passed to callbacks; see vs_model_set_text()). */
typedef struct vs_model_batch vs_model_batch;
/** A cancellation token: an atomic flag another thread or a signal handler can set. */
typedef struct vs_cancel vs_cancel;

/** @name Request kinds (vs_model_supports(), vs_model_results_kind()) */
/**@{*/
#define VS_MODEL_GENERATE 0      /**< text generation */
#define VS_MODEL_LOGLIKELIHOOD 1 /**< log-probability of a continuation given a context */
#define VS_MODEL_EMBED 2         /**< text -> vector of `dim` doubles */
#define VS_MODEL_CLASSIFY 3      /**< text -> one probability per label */
/**@}*/

/** @name Item statuses
 * Written by callbacks into `status[i]` (OK, TRANSIENT, PERMANENT) and reported as the final
 * status of each item by vs_model_results_status() (all five). */
/**@{*/
#define VS_MODEL_ITEM_OK 0         /**< success; the output is valid */
#define VS_MODEL_ITEM_TRANSIENT 1  /**< callback: failed, retry later; final: failed on every attempt */
#define VS_MODEL_ITEM_PERMANENT 2  /**< failed; retrying would not help */
#define VS_MODEL_ITEM_BAD_OUTPUT 3 /**< final only: reported OK, but its output was missing or invalid */
#define VS_MODEL_ITEM_NOT_RUN 4    /**< final only: not finished (run cancelled or stopped) */
/**@}*/

/** Salt of the backoff jitter hash (the ASCII bytes "jitter"); see the file comment. */
#define VS_MODEL_BACKOFF_SALT UINT64_C(0x6a6974746572)

/* ------------------------------------------------------------------------------------------ */
/* Requests (filled by the caller; each starts with struct_size, fields are only appended)      */

/**
 * A generation request: a plain prompt or a list of chat messages.
 * Exactly one of `prompt` and the messages (`n_messages` > 0) must be given.
 * Every string is UTF-8 and NUL-terminated, borrowed for the duration of the run.
 */
typedef struct vs_model_gen_request {
    uint32_t struct_size;          /**< sizeof(vs_model_gen_request) (use VS_MODEL_GEN_REQUEST_INIT) */
    uint32_t max_tokens;           /**< largest number of tokens to generate; 0 = the backend's default */
    const char *id;                /**< item id (stable across runs); NULL = the decimal index in this run */
    uint64_t repeat;               /**< repeat number of this item (0, 1, ...) */
    uint64_t seed;                 /**< ignored on input; the callback sees
                                        vs_model_item_seed(run seed, id, repeat) here */
    const char *prompt;            /**< plain prompt, or NULL when messages are given */
    size_t n_messages;             /**< number of chat messages (0 when `prompt` is given) */
    const char *const *roles;      /**< n_messages roles ("system", "user", "assistant", ...) */
    const char *const *contents;   /**< n_messages message texts */
    double temperature;            /**< sampling temperature >= 0 (0 = greedy) */
    size_t n_stop;                 /**< number of stop strings */
    const char *const *stop;       /**< n_stop non-empty stop strings: generation ends before the first */
} vs_model_gen_request;

/** Initialiser: a prompt request with the backend's max tokens and temperature 1. */
#define VS_MODEL_GEN_REQUEST_INIT \
    {(uint32_t)sizeof(vs_model_gen_request), 0, NULL, 0, 0, NULL, 0, NULL, NULL, 1.0, 0, NULL}

/**
 * Sets `*o` to #VS_MODEL_GEN_REQUEST_INIT: struct_size and every default, for callers that cannot use the macro (bindings, other languages).
 * @param o the struct to fill; NULL is a no-op
 */
VS_API void vs_model_gen_request_init(vs_model_gen_request *o);

/** A log-likelihood request: log P(continuation | context). */
typedef struct vs_model_loglik_request {
    uint32_t struct_size;          /**< sizeof(vs_model_loglik_request) (use VS_MODEL_LOGLIK_REQUEST_INIT) */
    const char *id;                /**< item id; NULL = the decimal index in this run */
    const char *context;           /**< the context (may be ""), not NULL */
    const char *continuation;      /**< the continuation whose log-probability is wanted, not NULL */
} vs_model_loglik_request;

/** Initialiser of a vs_model_loglik_request: struct_size set, every pointer NULL. */
#define VS_MODEL_LOGLIK_REQUEST_INIT {(uint32_t)sizeof(vs_model_loglik_request), NULL, NULL, NULL}

/**
 * Sets `*o` to #VS_MODEL_LOGLIK_REQUEST_INIT: struct_size and every default, for callers that cannot use the macro (bindings, other languages).
 * @param o the struct to fill; NULL is a no-op
 */
VS_API void vs_model_loglik_request_init(vs_model_loglik_request *o);

/** A text request (embed, classify). */
typedef struct vs_model_text_request {
    uint32_t struct_size;          /**< sizeof(vs_model_text_request) (use VS_MODEL_TEXT_REQUEST_INIT) */
    const char *id;                /**< item id; NULL = the decimal index in this run */
    const char *text;              /**< the text to embed or classify, not NULL */
    const char *context;           /**< optional context, e.g. the prompt `text` answers; may be NULL */
} vs_model_text_request;

/** Initialiser of a vs_model_text_request: struct_size set, every pointer NULL. */
#define VS_MODEL_TEXT_REQUEST_INIT {(uint32_t)sizeof(vs_model_text_request), NULL, NULL, NULL}

/**
 * Sets `*o` to #VS_MODEL_TEXT_REQUEST_INIT: struct_size and every default, for callers that cannot use the macro (bindings, other languages).
 * @param o the struct to fill; NULL is a no-op
 */
VS_API void vs_model_text_request_init(vs_model_text_request *o);

/* ------------------------------------------------------------------------------------------ */
/* The callback table                                                                           */

/**
 * Model callbacks. Any of the four kinds may be NULL (that kind is then unsupported); at least
 * one must be set. The library copies the table and reads only the first `struct_size` bytes,
 * so a table compiled against an older header keeps working; fields are only appended.
 * See the file comment for statuses, outputs and return values.
 */
typedef struct vs_model_callbacks {
    uint32_t struct_size; /**< sizeof(vs_model_callbacks) (use VS_MODEL_CALLBACKS_INIT) */

    /** Generates text for n requests; each output goes through vs_model_set_text(). */
    int (*generate)(void *user_data, vs_model_batch *batch, const vs_model_gen_request *const *requests,
                    size_t n, int *status);

    /** Log-probabilities (natural log, <= 0, -inf allowed) into `logprob[i]`; `is_greedy[i]` = 1
     *  if greedy decoding from the context would produce the continuation, else 0.
     *  `is_greedy` is NULL when the caller did not ask for it (#VS_MODEL_WANT_GREEDY). */
    int (*loglikelihood)(void *user_data, vs_model_batch *batch,
                         const vs_model_loglik_request *const *requests, size_t n, double *logprob,
                         int *is_greedy, int *status);

    /** Embeds n texts; each output (exactly `dim` finite doubles) goes through
     *  vs_model_set_vector(). */
    int (*embed)(void *user_data, vs_model_batch *batch, const vs_model_text_request *const *requests,
                 size_t n, size_t dim, int *status);

    /** Classifies n texts over `n_labels` labels; each output (n_labels probabilities in [0, 1],
     *  in label order; they need not sum to 1, labels may be independent) goes through
     *  vs_model_set_vector(). */
    int (*classify)(void *user_data, vs_model_batch *batch, const vs_model_text_request *const *requests,
                    size_t n, const char *const *labels, size_t n_labels, int *status);

    /** Optional: called once with `user_data` when the #vs_model is freed (not when
     *  vs_model_create() fails: the caller then still owns user_data). */
    void (*destroy)(void *user_data);
} vs_model_callbacks;

/** Initialiser of a vs_model_callbacks: struct_size set, every callback NULL. */
#define VS_MODEL_CALLBACKS_INIT {(uint32_t)sizeof(vs_model_callbacks), NULL, NULL, NULL, NULL, NULL}

/**
 * Sets `*o` to #VS_MODEL_CALLBACKS_INIT: struct_size and every default, for callers that cannot use the macro (bindings, other languages).
 * @param o the struct to fill; NULL is a no-op
 */
VS_API void vs_model_callbacks_init(vs_model_callbacks *o);

/* ------------------------------------------------------------------------------------------ */
/* Output setters (only inside a callback, for its own batch)                                  */

/**
 * Hands over the generated text of item `i` of the batch (copied; a second call replaces it).
 * @param batch the batch passed to the generate callback.
 * @param i position in the batch (< n).
 * @param text the text, UTF-8 without NUL bytes (borrowed for the call).
 * @param len its length in bytes, or (size_t)-1 if `text` is NUL-terminated.
 * @return VS_OK; otherwise the item becomes #VS_MODEL_ITEM_BAD_OUTPUT (unless a later call sets
 *         a valid text) and: VS_EINVAL (NULL batch or text, not a generate batch), VS_ERANGE
 *         (i >= n), VS_EUTF8 (invalid UTF-8 or a NUL byte), VS_ELIMIT (longer than
 *         #VS_MODEL_OPT_MAX_TEXT_BYTES), VS_ESTATE (the callback has returned), VS_ENOMEM (the
 *         run then fails with VS_ENOMEM).
 * @threadsafety may be called from several threads at once during the callback.
 */
VS_API int vs_model_set_text(vs_model_batch *batch, size_t i, const char *text, size_t len);

/**
 * Hands over the vector of item `i`: an embedding (embed) or one probability per label
 * (classify). Copied; a second call replaces it.
 * @param values n doubles (borrowed for the call).
 * @param n must equal `dim` (embed) or `n_labels` (classify).
 * @param batch the batch the callback received
 * @param i the item's index in the batch
 * @return VS_OK; otherwise the item becomes #VS_MODEL_ITEM_BAD_OUTPUT (unless a later call sets
 *         a valid vector) and: VS_EINVAL (NULL, not an embed/classify batch, a NaN or infinite
 *         value, a probability outside [0, 1]), VS_EMISMATCH (wrong n), VS_ERANGE (i >= n),
 *         VS_ESTATE (the callback has returned).
 * @threadsafety may be called from several threads at once during the callback.
 */
VS_API int vs_model_set_vector(vs_model_batch *batch, size_t i, const double *values, size_t n);

/**
 * Attaches a message (copied; e.g. "HTTP 503") to item `i`, reported with its failure.
 * Ignored for items that end up OK. Invalid UTF-8 is replaced by a note.
 * @return VS_OK, VS_EINVAL (NULL), VS_ERANGE, VS_EUTF8 (stored as a note), VS_ESTATE, VS_ENOMEM.
 * @threadsafety may be called from several threads at once during the callback.
 */
VS_API int vs_model_set_error(vs_model_batch *batch, size_t i, const char *message);

/* ------------------------------------------------------------------------------------------ */
/* Cancellation tokens                                                                          */

/**
 * Creates a cancellation token (not set).
 * @return VS_OK, VS_EINVAL (NULL out), VS_ENOMEM.
 */
VS_API int vs_cancel_create(vs_cancel **out);

/** Releases the caller's reference (a #vs_model using it keeps it alive). NULL is a no-op. */
VS_API void vs_cancel_free(vs_cancel *cancel);

/**
 * Sets the token. Runs that use it stop before their next batch (or sleep slice).
 * @threadsafety safe from any thread and async-signal-safe (one atomic store). NULL is a no-op.
 */
VS_API void vs_cancel_request(vs_cancel *cancel);

/** Clears the token so it can be used again. NULL is a no-op. @threadsafety any thread. */
VS_API void vs_cancel_reset(vs_cancel *cancel);

/** @return 1 if the token is set, 0 if not (or NULL). @threadsafety any thread, async-signal-safe. */
VS_API int vs_cancel_requested(const vs_cancel *cancel);

/* ------------------------------------------------------------------------------------------ */
/* Models                                                                                      */

/** Options of a #vs_model; vs_model_option_bounds() reports the ranges. */
enum vs_model_option {
    VS_MODEL_OPT_MAX_BATCH = 1,           /**< int, largest number of items per callback call; default 16 */
    VS_MODEL_OPT_MAX_ATTEMPTS = 2,        /**< int, calls an item may take part in (1 = no retry); default 4 */
    VS_MODEL_OPT_BACKOFF_BASE = 3,        /**< double, seconds before the first retry (before jitter); default 1 */
    VS_MODEL_OPT_BACKOFF_MAX = 4,         /**< double, largest delay in seconds (before jitter); default 60 */
    VS_MODEL_OPT_MAX_FAILED = 5,          /**< int, stop when more items than this failed; -1 = no limit (default) */
    VS_MODEL_OPT_MAX_FAILED_FRACTION = 6, /**< double in [0, 1], stop when more than this fraction of the
                                               run's items failed; default 1 (no limit) */
    VS_MODEL_OPT_MAX_TEXT_BYTES = 7,      /**< int, longest generated text accepted; default 16 MiB */
    VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES = 8 /**< int, stop when the first N items to finish all failed
                                                   with the same status and message; 0 = never;
                                                   default 20 */
};

/** Sleep hook: sleeps `seconds` (> 0). The default uses nanosleep in slices of at most 50 ms and
 *  returns early when the model's cancellation token is set. */
typedef void (*vs_model_sleep_fn)(void *user_data, double seconds);

/** Item hook: called once for each item as soon as its status is final (OK or failed; not for
 *  #VS_MODEL_ITEM_NOT_RUN), with the results being filled and the item's index in the run.
 *  Return 0 to go on; any other value stops the run with #VS_ECALLBACK. */
typedef int (*vs_model_item_fn)(void *user_data, const vs_model_results *results, size_t index);

/**
 * Wraps a callback table.
 * @param out set to the new model (free with vs_model_free()), NULL on failure.
 * @param callbacks the table (copied; see #vs_model_callbacks for struct_size).
 * @param user_data passed as the first argument of every callback (owned by the caller unless
 *        `destroy` is set, in which case the model calls destroy(user_data) when freed).
 * @return VS_OK; VS_EINVAL (NULL out or callbacks, struct_size smaller than the first version of
 *         the table, no callback set); VS_ENOMEM.
 */
VS_API int vs_model_create(vs_model **out, const vs_model_callbacks *callbacks, void *user_data);

/** Frees a model (calls the destroy callback once the last reference is gone). NULL is a no-op. */
VS_API void vs_model_free(vs_model *model);

/** @return 1 if the model has a callback for `kind` (VS_MODEL_GENERATE, ...), else 0. */
VS_API int vs_model_supports(const vs_model *model, int kind);

/**
 * Sets an integer option. Options, the seed and the hooks below cannot change while a run of
 * the model is in progress (from one of its callbacks): VS_ESTATE.
 * @return VS_OK, VS_EINVAL (NULL, unknown option, option not integer), VS_ERANGE (out of
 *         bounds), VS_ESTATE.
 */
VS_API int vs_model_set_int(vs_model *model, int option, int64_t value);
/**
 * Sets a double option.
 * @return VS_OK, VS_EINVAL (NULL, unknown option, option not a double, NaN), VS_ERANGE, VS_ESTATE.
 */
VS_API int vs_model_set_double(vs_model *model, int option, double value);
/** Reads an integer option. @return VS_OK, VS_EINVAL (NULL, unknown option, not integer). */
VS_API int vs_model_get_int(int64_t *out, const vs_model *model, int option);
/** Reads a double option. @return VS_OK, VS_EINVAL (NULL, unknown option, not a double). */
VS_API int vs_model_get_double(double *out, const vs_model *model, int option);
/** Inclusive bounds of an option as doubles. @return VS_OK, VS_EINVAL (NULL or unknown option). */
VS_API int vs_model_option_bounds(double *out_min, double *out_max, int option);
/**
 * Looks up an option of a #vs_model by its name, such as "max_batch" for #VS_MODEL_OPT_MAX_BATCH.
 * Every option's name is the lowercase end of its enum value (the same names error messages use
 * and the bindings accept).
 * @param out set to the option's enum value; unchanged on failure
 * @param name the name, case-sensitive
 * @return VS_OK, VS_EINVAL (NULL argument), VS_ENOTFOUND (no option has that name; the message
 *         suggests the closest one).
 */
VS_API int vs_model_option_id(int *out, const char *name);
/**
 * The name of an option of a #vs_model (what vs_model_option_id() accepts), or NULL for an unknown option.
 * The string is static.
 */
VS_API const char *vs_model_option_name(int option);

/** Sets the run seed (default 0) from which per-item seeds and backoff jitter derive.
 *  @return VS_OK, VS_EINVAL (NULL), VS_ESTATE. */
VS_API int vs_model_set_seed(vs_model *model, uint64_t seed);
/** @return the run seed (0 for NULL). */
VS_API uint64_t vs_model_get_seed(const vs_model *model);

/**
 * Uses a cancellation token (the model keeps a reference), or none with NULL.
 * @return VS_OK, VS_EINVAL (NULL model), VS_ESTATE.
 */
VS_API int vs_model_set_cancel(vs_model *model, vs_cancel *cancel);

/**
 * Replaces the sleep used for backoff (e.g. to record delays in tests, or to wait on an event
 * loop); NULL restores the default.
 * @return VS_OK, VS_EINVAL (NULL model), VS_ESTATE.
 */
VS_API int vs_model_set_sleep(vs_model *model, vs_model_sleep_fn fn, void *user_data);

/**
 * Sets the item hook (NULL = none).
 * @return VS_OK, VS_EINVAL (NULL model), VS_ESTATE.
 */
VS_API int vs_model_set_item_hook(vs_model *model, vs_model_item_fn fn, void *user_data);

/**
 * Per-item seed: a documented hash that other languages can reproduce. With all arithmetic
 * modulo 2^64 and the bytes of `item_id` (UTF-8, without the NUL; NULL = ""):
 *
 *     h = 0xcbf29ce484222325                       FNV-1a 64 over the id
 *     for each byte b: h = (h ^ b) * 0x100000001b3
 *     x = h ^ run_seed                             MurmurHash3 fmix64, seeded
 *     x = (x ^ (x >> 33)) * 0xff51afd7ed558ccd
 *     x = (x ^ (x >> 33)) * 0xc4ceb9fe1a85ec53
 *     x = x ^ (x >> 33)
 *     y = x ^ (repeat + 0x9e3779b97f4a7c15 + (x << 6) + (x >> 2))    combine with repeat
 *     y = (y ^ (y >> 30)) * 0xbf58476d1ce4e5b9     splitmix64 finaliser
 *     y = (y ^ (y >> 27)) * 0x94d049bb133111eb
 *     return y ^ (y >> 31)
 *
 * Examples: vs_model_item_seed(0, "", 0) = 0x140aa43cf279fba2,
 * vs_model_item_seed(42, "q1", 3) = 0x4e767f54070c711d. The same id hashing (FNV-1a 64, then
 * fmix64 with the seed) is used for bootstrap weights and shards.
 * @threadsafety safe from any thread.
 */
VS_API uint64_t vs_model_item_seed(uint64_t run_seed, const char *item_id, uint64_t repeat);

/* ------------------------------------------------------------------------------------------ */
/* Runs                                                                                        */

/** Flag of vs_model_loglikelihood(): also ask for is_greedy (else the callback gets NULL). */
#define VS_MODEL_WANT_GREEDY 1u

/**
 * Generates text for n requests.
 * @param results filled with one entry per request (reset first; see the file comment).
 * @param model a model with a generate callback.
 * @param requests n pointers to requests (borrowed for the call).
 * @param n number of requests
 * @return VS_OK (every item final; failures recorded per item); VS_EINVAL (NULL, a NULL
 *         request, struct_size too small, both or neither of prompt and messages, NULL message
 *         strings, NULL or empty stop strings, negative or NaN temperature); VS_EUTF8 (a string
 *         is not valid UTF-8; the message names the item and field); VS_ESTATE (no generate
 *         callback, or the model or the results are already in a run); VS_ECALLBACK (a fatal
 *         callback return or an item hook that returned non-zero; the message names the item);
 *         VS_EFAILED (the failure threshold was exceeded, or the first items all failed alike;
 *         the message names the cause); VS_ECANCELED; VS_ENOMEM.
 */
VS_API int vs_model_generate(vs_model_results *results, vs_model *model,
                             const vs_model_gen_request *const *requests, size_t n);

/**
 * Log-likelihoods of n (context, continuation) pairs.
 * @param flags 0 or #VS_MODEL_WANT_GREEDY.
 * @param results filled with one entry per request (reset first)
 * @param model a model with a loglikelihood callback
 * @param requests n pointers to requests (borrowed for the call)
 * @param n number of requests
 * @return as vs_model_generate(); VS_EINVAL also for a NULL context or continuation or an
 *         unknown flag; VS_ESTATE if the model has no loglikelihood callback.
 */
VS_API int vs_model_loglikelihood(vs_model_results *results, vs_model *model,
                                  const vs_model_loglik_request *const *requests, size_t n,
                                  uint32_t flags);

/**
 * Embeds n texts into vectors of `dim` doubles.
 * @return as vs_model_generate(); VS_EINVAL also for a NULL text or dim == 0; VS_ESTATE if the
 *         model has no embed callback.
 */
VS_API int vs_model_embed(vs_model_results *results, vs_model *model,
                          const vs_model_text_request *const *requests, size_t n, size_t dim);

/**
 * Classifies n texts: one probability per label.
 * @param labels n_labels non-NULL UTF-8 labels (borrowed for the call), n_labels >= 1.
 * @param results filled with one entry per request (reset first)
 * @param model a model with a classify callback
 * @param requests n pointers to requests (borrowed for the call)
 * @param n number of requests
 * @param n_labels number of labels
 * @return as vs_model_generate(); VS_EINVAL also for a NULL text or label or n_labels == 0;
 *         VS_ESTATE if the model has no classify callback.
 */
VS_API int vs_model_classify(vs_model_results *results, vs_model *model,
                             const vs_model_text_request *const *requests, size_t n,
                             const char *const *labels, size_t n_labels);

/* ------------------------------------------------------------------------------------------ */
/* Results                                                                                     */

/**
 * Creates an empty results object, reusable across runs.
 * @return VS_OK, VS_EINVAL (NULL out), VS_ENOMEM.
 */
VS_API int vs_model_results_create(vs_model_results **out);

/** Frees results. NULL is a no-op. */
VS_API void vs_model_results_free(vs_model_results *results);

/** @return the number of items of the last run (0 for NULL or before any run). */
VS_API size_t vs_model_results_item_count(const vs_model_results *results);
/** The former name of vs_model_results_item_count() (README, "Deprecated names").
 *  @deprecated Use vs_model_results_item_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_model_results_item_count")
size_t vs_model_results_size(const vs_model_results *results);

/** @return the kind of the last run (VS_MODEL_GENERATE, ...), or -1 (NULL, no run yet). */
VS_API int vs_model_results_kind(const vs_model_results *results);

/** @return the final status of item i (VS_MODEL_ITEM_*), or VS_ERANGE (negative) for NULL or
 *  i out of range. */
VS_API int vs_model_results_status(const vs_model_results *results, size_t i);

/** @return the number of items of the last run whose final status is `status`. */
VS_API size_t vs_model_results_count(const vs_model_results *results, int status);

/** @return the number of callback calls item i took part in (0 if not run or out of range). */
VS_API uint32_t vs_model_results_attempts(const vs_model_results *results, size_t i);

/** @return the wall-clock seconds of the callback call that gave item i its final status (the
 *  call's duration is shared by the items of its batch); 0 if not run, NaN if out of range. */
VS_API double vs_model_results_latency(const vs_model_results *results, size_t i);

/** @return the generated text of item i (owned by the results, valid until they are reset or
 *  freed), or NULL if the item is not OK or the run was not a generation. */
VS_API const char *vs_model_results_text(const vs_model_results *results, size_t i);

/**
 * The log-likelihood output of item i.
 * @param out_logprob natural-log probability (may be -inf). May be NULL.
 * @param out_is_greedy 1 or 0, or -1 when #VS_MODEL_WANT_GREEDY was not given. May be NULL.
 * @param results the results of a vs_model_loglikelihood() run
 * @param i the item's index
 * @return VS_OK; VS_EINVAL (NULL results); VS_ERANGE (i out of range); VS_ESTATE (not a
 *         log-likelihood run, or the item is not OK).
 */
VS_API int vs_model_results_loglik(double *out_logprob, int *out_is_greedy,
                                   const vs_model_results *results, size_t i);

/** @return the vector length of an embed (dim) or classify (n_labels) run, else 0. */
VS_API size_t vs_model_results_dim(const vs_model_results *results);

/**
 * Copies the vector of item i (embedding or label probabilities).
 * @param out_needed set to vs_model_results_dim() in every case (when not NULL).
 * @param buf receives the values when cap is large enough.
 * @param results the results of an embed or classify run
 * @param i the item's index
 * @param cap number of doubles buf can hold
 * @return VS_OK; VS_EINVAL (NULL results, NULL buf with cap > 0); VS_ERANGE (i out of range);
 *         VS_ESTATE (not an embed/classify run, or the item is not OK); VS_EBUFSIZE.
 */
VS_API int vs_model_results_vector(size_t *out_needed, const vs_model_results *results, size_t i,
                                   double *buf, size_t cap);

/** @return the error message of item i ("" when it is OK or out of range; never NULL), owned by
 *  the results. */
VS_API const char *vs_model_results_error(const vs_model_results *results, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* VALUESPACE_MODEL_H */
