/* vs_model: a copied callback table with its user data, run options and hooks. */
#include <math.h>
#include <string.h>

#include "common/random.h"
#include "model/model_internal.h"

/* ---- option table: type, bounds, default */
typedef struct option_info {
    int option;
    int is_int;
    double min, max;
    const char *name;
} option_info;

static const option_info OPTIONS[] = {
    {VS_MODEL_OPT_MAX_BATCH, 1, 1, 1048576, "VS_MODEL_OPT_MAX_BATCH"},
    {VS_MODEL_OPT_MAX_ATTEMPTS, 1, 1, 1000, "VS_MODEL_OPT_MAX_ATTEMPTS"},
    {VS_MODEL_OPT_BACKOFF_BASE, 0, 0, 86400, "VS_MODEL_OPT_BACKOFF_BASE"},
    {VS_MODEL_OPT_BACKOFF_MAX, 0, 0, 86400, "VS_MODEL_OPT_BACKOFF_MAX"},
    {VS_MODEL_OPT_MAX_FAILED, 1, -1, 9007199254740992.0, "VS_MODEL_OPT_MAX_FAILED"},
    {VS_MODEL_OPT_MAX_FAILED_FRACTION, 0, 0, 1, "VS_MODEL_OPT_MAX_FAILED_FRACTION"},
    {VS_MODEL_OPT_MAX_TEXT_BYTES, 1, 1, 1073741824.0, "VS_MODEL_OPT_MAX_TEXT_BYTES"},
    {VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES, 1, 0, 9007199254740992.0, "VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES"},
};

static const option_info *find_option(int option) {
    for (size_t i = 0; i < sizeof OPTIONS / sizeof OPTIONS[0]; i++)
        if (OPTIONS[i].option == option) return &OPTIONS[i];
    return NULL;
}

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
    if (!out_min || !out_max) return vs__error(VS_EINVAL, "vs_model_option_bounds: NULL argument");
    const option_info *o = find_option(option);
    if (!o) return vs__error(VS_EINVAL, "vs_model_option_bounds: unknown option %d", option);
    *out_min = o->min;
    *out_max = o->max;
    return VS_OK;
}

int vs_model_set_int(vs_model *m, int option, int64_t value) {
    if (!m) return vs__error(VS_EINVAL, "vs_model_set_int: model is NULL");
    const option_info *o = find_option(option);
    if (!o) return vs__error(VS_EINVAL, "vs_model_set_int: unknown option %d", option);
    if (!o->is_int) return vs__error(VS_EINVAL, "vs_model_set_int: %s is a double option", o->name);
    if ((double)value < o->min || (double)value > o->max)
        return vs__error(VS_ERANGE, "vs_model_set_int: %s = %lld is outside [%.0f, %.0f]", o->name,
                         (long long)value, o->min, o->max);
    if (m->running) return vs__error(VS_ESTATE, "vs_model_set_int: a run is in progress");
    switch (option) {
    case VS_MODEL_OPT_MAX_BATCH: m->max_batch = value; break;
    case VS_MODEL_OPT_MAX_ATTEMPTS: m->max_attempts = value; break;
    case VS_MODEL_OPT_MAX_FAILED: m->max_failed = value; break;
    case VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES: m->stop_after_same_failures = value; break;
    default: m->max_text_bytes = value; break;
    }
    return VS_OK;
}

int vs_model_set_double(vs_model *m, int option, double value) {
    if (!m) return vs__error(VS_EINVAL, "vs_model_set_double: model is NULL");
    const option_info *o = find_option(option);
    if (!o) return vs__error(VS_EINVAL, "vs_model_set_double: unknown option %d", option);
    if (o->is_int) return vs__error(VS_EINVAL, "vs_model_set_double: %s is an integer option", o->name);
    if (isnan(value)) return vs__error(VS_EINVAL, "vs_model_set_double: %s is NaN", o->name);
    if (value < o->min || value > o->max)
        return vs__error(VS_ERANGE, "vs_model_set_double: %s = %g is outside [%g, %g]", o->name, value, o->min, o->max);
    if (m->running) return vs__error(VS_ESTATE, "vs_model_set_double: a run is in progress");
    switch (option) {
    case VS_MODEL_OPT_BACKOFF_BASE: m->backoff_base = value; break;
    case VS_MODEL_OPT_BACKOFF_MAX: m->backoff_max = value; break;
    default: m->max_failed_fraction = value; break;
    }
    return VS_OK;
}

int vs_model_get_int(int64_t *out, const vs_model *m, int option) {
    if (!out || !m) return vs__error(VS_EINVAL, "vs_model_get_int: NULL argument");
    const option_info *o = find_option(option);
    if (!o) return vs__error(VS_EINVAL, "vs_model_get_int: unknown option %d", option);
    if (!o->is_int) return vs__error(VS_EINVAL, "vs_model_get_int: %s is a double option", o->name);
    switch (option) {
    case VS_MODEL_OPT_MAX_BATCH: *out = m->max_batch; break;
    case VS_MODEL_OPT_MAX_ATTEMPTS: *out = m->max_attempts; break;
    case VS_MODEL_OPT_MAX_FAILED: *out = m->max_failed; break;
    case VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES: *out = m->stop_after_same_failures; break;
    default: *out = m->max_text_bytes; break;
    }
    return VS_OK;
}

int vs_model_get_double(double *out, const vs_model *m, int option) {
    if (!out || !m) return vs__error(VS_EINVAL, "vs_model_get_double: NULL argument");
    const option_info *o = find_option(option);
    if (!o) return vs__error(VS_EINVAL, "vs_model_get_double: unknown option %d", option);
    if (o->is_int) return vs__error(VS_EINVAL, "vs_model_get_double: %s is an integer option", o->name);
    switch (option) {
    case VS_MODEL_OPT_BACKOFF_BASE: *out = m->backoff_base; break;
    case VS_MODEL_OPT_BACKOFF_MAX: *out = m->backoff_max; break;
    default: *out = m->max_failed_fraction; break;
    }
    return VS_OK;
}

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
