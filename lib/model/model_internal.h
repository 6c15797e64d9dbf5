/* Private structures of the model module (callback table, batching, retries, results).
 * Private to lib/model: what the modules above it may use is model/model_run.h. */
#ifndef VS_MODEL_INTERNAL_H
#define VS_MODEL_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "common/internal.h"
#include "model/model_run.h"
#include "valuespace/model.h"

/* "no offset" marker of the string arenas */
#define VS__MODEL_NONE SIZE_MAX

/* Sizes of the first published version of each caller-filled struct: the library accepts any
 * struct_size at least this large and reads only what it knows. */
#define VS__MODEL_CALLBACKS_V1_SIZE (offsetof(vs_model_callbacks, destroy) + sizeof(void (*)(void *)))
#define VS__MODEL_GEN_REQUEST_V1_SIZE (offsetof(vs_model_gen_request, stop) + sizeof(const char *const *))
#define VS__MODEL_LOGLIK_REQUEST_V1_SIZE (offsetof(vs_model_loglik_request, continuation) + sizeof(const char *))
#define VS__MODEL_TEXT_REQUEST_V1_SIZE (offsetof(vs_model_text_request, context) + sizeof(const char *))

struct vs_cancel {
    vs_refcount ref;
    int flag; /* accessed only with __atomic builtins (lock-free int: async-signal-safe) */
};

/* Why a callback's output for one position was rejected (formatted when the item is final). */
enum vs__bad_reason {
    VS__BAD_NONE = 0,
    VS__BAD_NULL,        /* a NULL text or vector */
    VS__BAD_UTF8,        /* detail = byte offset */
    VS__BAD_NUL,         /* detail = byte offset of a NUL byte */
    VS__BAD_TOO_LONG,    /* detail = length */
    VS__BAD_LENGTH,      /* detail = length given */
    VS__BAD_NONFINITE,   /* detail = index, value */
    VS__BAD_PROB,        /* detail = index, value: probability outside [0, 1] */
    VS__BAD_NO_OUTPUT,   /* reported OK without output */
    VS__BAD_LOGPROB,     /* value: NaN or positive log-probability */
    VS__BAD_GREEDY,      /* detail = the is_greedy value */
    VS__BAD_STATUS,      /* detail = the unknown status value */
    VS__BAD_KIND         /* a setter that does not fit the batch's kind */
};

/* The output side of one callback call; lives inside its vs_model and is reused. */
struct vs_model_batch {
    pthread_mutex_t lock;
    vs_model_results *res;
    int kind;
    int active;       /* 1 while the callback runs; setters fail otherwise */
    int nomem;        /* a setter ran out of memory: the run fails with VS_ENOMEM */
    size_t n;         /* positions in this call */
    size_t dim;       /* expected vector length (embed/classify) */
    size_t max_text;  /* VS_MODEL_OPT_MAX_TEXT_BYTES */
    size_t cap;       /* capacity of the per-position arrays below */
    size_t *item;     /* position -> item index in the run */
    int *status;      /* passed to the callback */
    unsigned char *state;    /* 0 = nothing set, 1 = valid output set, 2 = rejected output */
    unsigned char *bad;      /* enum vs__bad_reason of a rejected output */
    size_t *bad_detail;
    double *bad_value;
    size_t *msg_off;         /* vs_model_set_error() message in res->errs, or NONE */
    double *logprob;         /* loglikelihood outputs */
    int *greedy;
    char (*idbuf)[24];       /* decimal ids of requests without one */
    void *copies;            /* request copies (kind's struct), cap elements */
    size_t copies_cap, copies_elem;
    const void **ptrs;       /* pointers to the copies, passed to the callback */
};

struct vs_model {
    vs_refcount ref;
    vs_model_callbacks cb; /* copy, zero-extended */
    void *user_data;
    int64_t max_batch, max_attempts, max_failed, max_text_bytes, stop_after_same_failures;
    double backoff_base, backoff_max, max_failed_fraction;
    uint64_t seed;
    vs_cancel *cancel;
    vs_model_sleep_fn sleep_fn;
    void *sleep_ud;
    vs_model_item_fn item_fn;
    void *item_ud;
    int running; /* a run is in progress (re-entrant use from a callback is refused) */
    vs_model_batch batch;
    /* retry queue of the current run: a binary min-heap on (ready, index) */
    struct vs__retry {
        double ready;
        size_t index;
    } *heap;
    size_t heap_n, heap_cap;
};

struct vs_model_results {
    int kind; /* -1 before any run */
    int busy; /* a run is filling these results */
    size_t n;
    size_t cap;          /* capacity of status/attempts/latency/err_off */
    unsigned char *status;
    uint32_t *attempts;
    double *latency;
    size_t *err_off;     /* final error message in errs, or NONE */
    char *errs;          /* NUL-terminated messages, back to back */
    size_t errs_len, errs_cap;
    size_t text_cap;     /* capacity of text_off */
    size_t *text_off;    /* generated text in text, or NONE */
    char *text;
    size_t text_len, text_arena_cap;
    size_t lp_cap;       /* capacity of logprob/greedy */
    double *logprob;
    signed char *greedy;
    size_t dim;
    size_t vec_cap;      /* doubles */
    double *vec;
};

/* ---- results.c */
/* Prepares `res` for a run of n items of `kind` (vectors of `dim`); every item NOT_RUN.
 * On VS_ENOMEM the results are empty (n = 0). */
int vs__model_results_reset(vs_model_results *res, int kind, size_t n, size_t dim);
/* Appends a NUL-terminated copy of s[0..len) to an arena; *out_off receives its offset. */
int vs__model_arena_append(char **arena, size_t *len, size_t *cap, const char *s, size_t slen, size_t *out_off);
/* Appends a formatted message to res->errs and points item i's error at it. */
int vs__model_results_set_error(vs_model_results *res, size_t i, const char *fmt, ...) VS_PRINTF(3, 4);

/* ---- batch.c */
int vs__model_batch_init(vs_model_batch *b);
void vs__model_batch_release(vs_model_batch *b);
/* Makes room for `n` positions (request copies of elem bytes each). */
int vs__model_batch_reserve(vs_model_batch *b, size_t n, size_t elem);
/* Writes a description of a rejected output of position p into buf. */
void vs__model_bad_describe(const vs_model_batch *b, size_t p, char *buf, size_t cap);

/* ---- requests.c: validation and per-batch copies of the caller's requests */
typedef struct vs__model_run {
    vs_model *m;
    vs_model_results *res;
    int kind;
    const char *fn;                 /* public function name, for messages */
    const void *const *requests;
    size_t n;
    uint32_t flags;
    const char *const *labels;
    size_t n_labels;
    size_t dim;
    uint64_t seed;                  /* the run seed: the model's, or ctl's */
    const vs__model_ctl *ctl;       /* NULL: the model's hooks and failure rules */
} vs__model_run;

/* Checks every request of the run (no callback called yet). */
int vs__model_validate(const vs__model_run *run);
/* Size of the kind's request struct. */
size_t vs__model_request_size(int kind);
/* Copies request `item` into batch position p (zero-extended, id and seed filled). */
void vs__model_copy_request(const vs__model_run *run, vs_model_batch *b, size_t p, size_t item);
/* The id of the request at batch position p (after the copy). */
const char *vs__model_batch_id(const vs_model_batch *b, size_t p);

/* ---- run.c */
int vs__model_execute(vs__model_run *run);
/* Backoff delay after the a-th failed attempt (a >= 1) of the item with this id. */
double vs__model_backoff_delay(const vs_model *m, const char *id, uint32_t attempt);

#endif
