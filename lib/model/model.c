/* vs_model: a copied callback table with its user data, run options and hooks. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "common/option_table.h"
#include "common/random.h"
#include "model/model_internal.h"

/* ---- options (lib/common/option_table.h): none changes while a run is in progress */
static int check_idle(const void *handle, const vs__option *o, vs__opt_value v, const char *where) {
    (void)v;
    if (((const vs_model *)handle)->running)
        return vs__error(VS_ESTATE, "%s: option %s cannot change while a run is in progress", where, o->name);
    return VS_OK;
}

#define INT_ROW(id, member, lo, hi, name) \
    {id, VS__OPT_INT, VS__FIELD_I64, lo, hi, offsetof(vs_model, member), name, NULL, NULL, check_idle}
#define DOUBLE_ROW(id, member, lo, hi, name) \
    {id, VS__OPT_DOUBLE, VS__FIELD_DOUBLE, lo, hi, offsetof(vs_model, member), name, NULL, NULL, check_idle}
static const vs__option opts[] = {
    INT_ROW(VS_MODEL_OPT_MAX_BATCH, max_batch, 1, 1048576, "max_batch"),
    INT_ROW(VS_MODEL_OPT_MAX_ATTEMPTS, max_attempts, 1, 1000, "max_attempts"),
    DOUBLE_ROW(VS_MODEL_OPT_BACKOFF_BASE, backoff_base, 0, 86400, "backoff_base"),
    DOUBLE_ROW(VS_MODEL_OPT_BACKOFF_MAX, backoff_max, 0, 86400, "backoff_max"),
    INT_ROW(VS_MODEL_OPT_MAX_FAILED, max_failed, -1, 9007199254740992.0, "max_failed"),
    DOUBLE_ROW(VS_MODEL_OPT_MAX_FAILED_FRACTION, max_failed_fraction, 0, 1, "max_failed_fraction"),
    INT_ROW(VS_MODEL_OPT_MAX_TEXT_BYTES, max_text_bytes, 1, 1073741824.0, "max_text_bytes"),
    INT_ROW(VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES, stop_after_same_failures, 0, 9007199254740992.0,
            "stop_after_same_failures"),
};
#undef INT_ROW
#undef DOUBLE_ROW
static const vs__option_table table = VS__OPTION_TABLE("vs_model", opts);

int vs_model_create(vs_model **out, const vs_model_callbacks *callbacks, void *user_data) {
    if (!out) return vs__error(VS_EINVAL, "vs_model_create: out is NULL");
    *out = NULL;
    if (!callbacks) return vs__error(VS_EINVAL, "vs_model_create: callbacks is NULL");
    if (callbacks->struct_size < VS__MODEL_CALLBACKS_V1_SIZE)
        return vs__error(VS_EINVAL, "vs_model_create: callbacks->struct_size %u is smaller than %zu (use VS_MODEL_CALLBACKS_INIT)",
                         (unsigned)callbacks->struct_size, (size_t)VS__MODEL_CALLBACKS_V1_SIZE);
    vs_model_callbacks cb;
    memset(&cb, 0, sizeof cb);
    memcpy(&cb, callbacks, callbacks->struct_size < sizeof cb ? callbacks->struct_size : sizeof cb);
    cb.struct_size = (uint32_t)sizeof cb;
    if (!cb.generate && !cb.loglikelihood && !cb.embed && !cb.classify)
        return vs__error(VS_EINVAL, "vs_model_create: no callback is set (generate, loglikelihood, embed, classify)");
    vs_model *m = vs__calloc(1, sizeof *m);
    if (!m) return vs__nomem("vs_model_create");
    if (vs__model_batch_init(&m->batch) != VS_OK) {
        vs__free(m);
        return vs__error(VS_ENOMEM, "vs_model_create: cannot initialise a mutex");
    }
    vs__ref_init(&m->ref);
    m->cb = cb;
    m->user_data = user_data;
    m->max_batch = 16;
    m->max_attempts = 4;
    m->backoff_base = 1.0;
    m->backoff_max = 60.0;
    m->max_failed = -1;
    m->max_failed_fraction = 1.0;
    m->max_text_bytes = (int64_t)1 << 24;
    m->stop_after_same_failures = VS__MODEL_DEFAULT_SAME_FAILURES;
    *out = m;
    return VS_OK;
}

int vs__model_running(const vs_model *m) { return m && m->running; }

void vs__model_retain(vs_model *m) {
    if (m) vs__ref_inc(&m->ref);
}

void vs_model_free(vs_model *m) {
    if (!m || !vs__ref_dec(&m->ref)) return;
    if (m->cb.destroy) m->cb.destroy(m->user_data);
    vs_cancel_free(m->cancel);
    vs__model_batch_release(&m->batch);
    vs__free(m->heap);
    vs__free(m);
}

int vs_model_supports(const vs_model *m, int kind) {
    if (!m) return 0;
    switch (kind) {
    case VS_MODEL_GENERATE: return m->cb.generate != NULL;
    case VS_MODEL_LOGLIKELIHOOD: return m->cb.loglikelihood != NULL;
    case VS_MODEL_EMBED: return m->cb.embed != NULL;
    case VS_MODEL_CLASSIFY: return m->cb.classify != NULL;
    default: return 0;
    }
}

int vs_model_option_bounds(double *out_min, double *out_max, int option) {
    return vs__opt_bounds(&table, out_min, out_max, option);
}
int vs_model_set_int(vs_model *m, int option, int64_t value) { return vs__opt_set_int(&table, m, option, value); }
int vs_model_set_double(vs_model *m, int option, double value) { return vs__opt_set_double(&table, m, option, value); }
int vs_model_get_int(int64_t *out, const vs_model *m, int option) { return vs__opt_get_int(&table, out, m, option); }
int vs_model_get_double(double *out, const vs_model *m, int option) {
    return vs__opt_get_double(&table, out, m, option);
}
int vs_model_option_id(int *out, const char *name) { return vs__opt_id(&table, out, name); }
const char *vs_model_option_name(int option) { return vs__opt_name_of(&table, option); }

int vs_model_set_seed(vs_model *m, uint64_t seed) {
    if (!m) return vs__error(VS_EINVAL, "vs_model_set_seed: model is NULL");
    if (m->running) return vs__error(VS_ESTATE, "vs_model_set_seed: a run is in progress");
    m->seed = seed;
    return VS_OK;
}

uint64_t vs_model_get_seed(const vs_model *m) { return m ? m->seed : 0; }

int vs_model_set_cancel(vs_model *m, vs_cancel *cancel) {
    if (!m) return vs__error(VS_EINVAL, "vs_model_set_cancel: model is NULL");
    if (m->running) return vs__error(VS_ESTATE, "vs_model_set_cancel: a run is in progress");
    vs__cancel_retain(cancel);
    vs_cancel_free(m->cancel);
    m->cancel = cancel;
    return VS_OK;
}

int vs_model_set_sleep(vs_model *m, vs_model_sleep_fn fn, void *user_data) {
    if (!m) return vs__error(VS_EINVAL, "vs_model_set_sleep: model is NULL");
    if (m->running) return vs__error(VS_ESTATE, "vs_model_set_sleep: a run is in progress");
    m->sleep_fn = fn;
    m->sleep_ud = fn ? user_data : NULL;
    return VS_OK;
}

int vs_model_set_item_hook(vs_model *m, vs_model_item_fn fn, void *user_data) {
    if (!m) return vs__error(VS_EINVAL, "vs_model_set_item_hook: model is NULL");
    if (m->running) return vs__error(VS_ESTATE, "vs_model_set_item_hook: a run is in progress");
    m->item_fn = fn;
    m->item_ud = fn ? user_data : NULL;
    return VS_OK;
}

uint64_t vs__model_item_seed_hashed(uint64_t run_seed, uint64_t id_hash, uint64_t repeat) {
    return vs__hash_combine(vs__hash_finish(id_hash, run_seed), repeat);
}

uint64_t vs_model_item_seed(uint64_t run_seed, const char *item_id, uint64_t repeat) {
    uint64_t h = VS__FNV_BASIS;
    if (item_id) h = vs__fnv1a64(h, item_id, strlen(item_id));
    return vs__model_item_seed_hashed(run_seed, h, repeat);
}

void vs_model_gen_request_init(vs_model_gen_request *o) {
    if (!o) return;
    vs_model_gen_request init = VS_MODEL_GEN_REQUEST_INIT;
    *o = init;
}
void vs_model_loglik_request_init(vs_model_loglik_request *o) {
    if (!o) return;
    vs_model_loglik_request init = VS_MODEL_LOGLIK_REQUEST_INIT;
    *o = init;
}
void vs_model_text_request_init(vs_model_text_request *o) {
    if (!o) return;
    vs_model_text_request init = VS_MODEL_TEXT_REQUEST_INIT;
    *o = init;
}
void vs_model_callbacks_init(vs_model_callbacks *o) {
    if (!o) return;
    vs_model_callbacks init = VS_MODEL_CALLBACKS_INIT;
    *o = init;
}
