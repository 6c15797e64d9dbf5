/* What other modules may use of the model module's internals (lib/model/model_internal.h stays
 * private to lib/model): running a model's callback table under the caller's control (the
 * projective runner, which journals records between callback calls and applies the failure
 * rules to its own records), reference counts, the hashed per-item seed and the early-stop
 * rule of VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES. A run under control takes every option of the
 * model (batching, retries, backoff, sleep hook, cancellation, text limits, and whatever option
 * is added later) from the model itself: nothing has to be copied by the caller. */
#ifndef VS_MODEL_MODEL_RUN_H
#define VS_MODEL_MODEL_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "valuespace/model.h"

/* How a caller controls one run of a model (vs__model_*_ctl). */
typedef struct vs__model_ctl {
    uint64_t seed; /* the run seed (per-item seeds, backoff jitter), in place of the model's */
    /* In place of the model's item hook (may be NULL): called as vs_model_item_fn. */
    vs_model_item_fn item_fn;
    /* Called on the calling thread before every callback call and before every backoff sleep
     * (may be NULL). A non-zero return stops the run at once with VS_ECALLBACK (message set);
     * the items finished so far keep their results. */
    int (*pre_call)(void *user_data);
    void *user_data; /* of item_fn and pre_call */
    /* 1: the run does not apply VS_MODEL_OPT_MAX_FAILED, _MAX_FAILED_FRACTION and
     * _STOP_AFTER_SAME_FAILURES (the caller applies them to what it makes of the items). */
    int no_failure_rules;
} vs__model_ctl;

/* vs_model_loglikelihood(), vs_model_generate(), vs_model_classify() under ctl (NULL: as the
 * public functions). Same arguments, checks and return codes. */
int vs__model_loglikelihood_ctl(vs_model_results *results, vs_model *model,
                                const vs_model_loglik_request *const *requests, size_t n, uint32_t flags,
                                const vs__model_ctl *ctl);
int vs__model_generate_ctl(vs_model_results *results, vs_model *model, const vs_model_gen_request *const *requests,
                           size_t n, const vs__model_ctl *ctl);
int vs__model_classify_ctl(vs_model_results *results, vs_model *model, const vs_model_text_request *const *requests,
                           size_t n, const char *const *labels, size_t n_labels, const vs__model_ctl *ctl);

/* 1 while a run of the model is in progress (a callback of it is on the stack). */
int vs__model_running(const vs_model *m);

/* Reference counts for holders in other modules (freed with vs_model_free / vs_cancel_free). */
void vs__model_retain(vs_model *m);
void vs__cancel_retain(vs_cancel *c);

/* vs_model_item_seed() from the id's hash, vs__fnv1a64(VS__FNV_BASIS, id, strlen(id)) (a bank
 * item's id_hash): for hot paths that have it at hand. */
uint64_t vs__model_item_seed_hashed(uint64_t run_seed, uint64_t id_hash, uint64_t repeat);

/* The early stop of VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES (same_failures.c), shared by model
 * runs and projective runs (which apply the model's failure rules to their own records). */
#define VS__MODEL_DEFAULT_SAME_FAILURES 20
typedef struct vs__same_failures {
    int64_t limit;  /* N; 0 = off */
    uint64_t count; /* the first items, all failed alike so far */
    int status;     /* their status */
    int off;        /* a success or a different failure came first: the rule is off */
    char msg[256];  /* their message (compared on its first 255 bytes) */
} vs__same_failures;

void vs__same_failures_init(vs__same_failures *sf, int64_t limit);
/* Feeds the next item to finish; returns 1 when the first N items all failed alike. */
int vs__same_failures_add(vs__same_failures *sf, int status, const char *msg);
/* "the first N items all failed alike (permanent): MESSAGE" into buf. */
void vs__same_failures_describe(const vs__same_failures *sf, const char *what, char *buf, size_t cap);

#endif
