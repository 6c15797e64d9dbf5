/* The evaluator object (vs_evaluator): creation, options, accessors and the model's bucket index. */
#include <math.h>
#include <string.h>

#include "common/internal.h"
#include "evaluator/evaluator_internal.h"
#include "space/space_ref.h"

void vs__ev_options_default(vs__ev_options *o) {
    memset(o, 0, sizeof *o);
    o->buckets = 1u << 18;
    o->max_ngram = 2;
    o->text_flags = VS_TEXT_NFKC | VS_TEXT_CASEFOLD;
    o->input = VS_EVALUATOR_INPUT_BOTH;
    o->weighting = VS_EVALUATOR_WEIGHT_BINARY;
    o->class_weight = VS_EVALUATOR_CLASS_WEIGHT_BALANCED;
    o->max_iter = 1000;
    o->history = 10;
    o->value = VS_EVALUATOR_VALUE_CLASS;
    o->batch_size = 32;
    o->threads = 1;
    o->seed = 0;
    o->c = 10.0;
    o->tolerance = 1e-4;
}

void vs__ev_model_release(vs__ev_model *m) {
    vs__free(m->active);
    vs__free(m->weights);
    vs__free(m->bias);
    vs__free(m->classes);
    vs__free(m->bucket_row);
    memset(m, 0, sizeof *m);
}

int vs__ev_model_index(vs__ev_model *m, uint32_t buckets, const char *where) {
    uint32_t *map = vs__malloc((size_t)buckets * sizeof *map);
    if (!map) return vs__nomem(where);
    for (uint32_t b = 0; b < buckets; b++) map[b] = VS__EV_NONE;
    for (size_t r = 0; r < m->n_active; r++) map[m->active[r]] = (uint32_t)r;
    vs__free(m->bucket_row);
    m->bucket_row = map;
    return VS_OK;
}

int vs__ev_new(vs_evaluator **out, const vs_space *space, size_t level, int kind, const char *where) {
    if (!space) return vs__error(VS_EINVAL, "%s: space is NULL", where);
    size_t levels = vs_space_level_count(space);
    if (level >= levels)
        return vs__error(VS_ERANGE, "%s: level %zu out of range (the space \"%s\" has %zu levels)", where, level,
                         vs_space_name(space), levels);
    vs_evaluator *ev = vs__calloc(1, sizeof *ev);
    if (!ev) return vs__nomem(where);
    vs__space_retain(space);
    ev->space = (vs_space *)space;
    ev->kind = kind;
    ev->level = level;
    ev->offset = vs_space_level_offset(space, level);
    ev->k = vs_space_level_dimension_count(space, level);
    vs__ev_options_default(&ev->opt);
    *out = ev;
    return VS_OK;
}

int vs_evaluator_create(vs_evaluator **out, const vs_space *space, size_t level) {
    static const char where[] = "vs_evaluator_create";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    return vs__ev_new(out, space, level, VS_EVALUATOR_BUILTIN, where);
}

void vs_evaluator_free(vs_evaluator *ev) {
    if (!ev) return;
    if (ev->kind == VS_EVALUATOR_CALLBACK && ev->cb.destroy) ev->cb.destroy(ev->user_data);
    vs__ev_model_release(&ev->model);
    vs_space_free(ev->space);
    vs__free(ev);
}

int vs_evaluator_kind(const vs_evaluator *ev) { return ev ? ev->kind : -1; }
const vs_space *vs_evaluator_space(const vs_evaluator *ev) { return ev ? ev->space : NULL; }
size_t vs_evaluator_level(const vs_evaluator *ev) { return ev ? ev->level : VS_NPOS; }
size_t vs_evaluator_dimension_count(const vs_evaluator *ev) { return ev ? ev->k : 0; }

int vs_evaluator_is_ready(const vs_evaluator *ev) {
    if (!ev) return 0;
    return ev->kind == VS_EVALUATOR_CALLBACK || ev->trained;
}

size_t vs_evaluator_active_bucket_count(const vs_evaluator *ev) {
    return ev && ev->kind == VS_EVALUATOR_BUILTIN && ev->trained ? ev->model.n_active : 0;
}

/* ---------------------------------------------------------------- options */

typedef struct option_info {
    int option;
    int is_double;
    int feature; /* part of a trained model */
    double min, max;
    const char *name;
} option_info;

#define NORM_FLAGS (VS_TEXT_NFKC | VS_TEXT_CASEFOLD | VS_TEXT_STRIP_ACCENTS | VS_TEXT_LUMP | VS_TEXT_REPLACE_INVALID)

static const option_info options[] = {
    {VS_EVALUATOR_OPT_BUCKETS, 0, 1, 16.0, 16777216.0, "buckets"},
    {VS_EVALUATOR_OPT_MAX_NGRAM, 0, 1, 1.0, (double)VS_TEXT_MAX_NGRAM, "max_ngram"},
    {VS_EVALUATOR_OPT_TEXT_FLAGS, 0, 1, 0.0, (double)NORM_FLAGS, "text_flags"},
    {VS_EVALUATOR_OPT_INPUT, 0, 1, 0.0, 1.0, "input"},
    {VS_EVALUATOR_OPT_WEIGHTING, 0, 1, 0.0, 2.0, "weighting"},
    {VS_EVALUATOR_OPT_SEED, 0, 1, 0.0, 9223372036854775807.0, "seed"},
    {VS_EVALUATOR_OPT_C, 1, 0, 1e-6, 1e6, "C"},
    {VS_EVALUATOR_OPT_CLASS_WEIGHT, 0, 0, 0.0, 1.0, "class_weight"},
    {VS_EVALUATOR_OPT_MAX_ITER, 0, 0, 1.0, 1e6, "max_iter"},
    {VS_EVALUATOR_OPT_TOLERANCE, 1, 0, 0.0, 1.0, "tolerance"},
    {VS_EVALUATOR_OPT_HISTORY, 0, 0, 1.0, 100.0, "history"},
    {VS_EVALUATOR_OPT_VALUE, 0, 0, 0.0, 1.0, "value"},
    {VS_EVALUATOR_OPT_BATCH_SIZE, 0, 0, 1.0, 1048576.0, "batch_size"},
    {VS_EVALUATOR_OPT_THREADS, 0, 0, 1.0, 256.0, "threads"},
};

static const option_info *find_option(int option) {
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (options[i].option == option) return &options[i];
    return NULL;
}

int vs_evaluator_option_bounds(double *out_min, double *out_max, int option) {
    static const char where[] = "vs_evaluator_option_bounds";
    if (!out_min || !out_max) return vs__error(VS_EINVAL, "%s: NULL output pointer", where);
    const option_info *info = find_option(option);
    if (!info) return vs__error(VS_EINVAL, "%s: unknown option %d", where, option);
    *out_min = info->min;
    *out_max = info->max;
    return VS_OK;
}

int vs_evaluator_set_int(vs_evaluator *ev, int option, int64_t value) {
    static const char where[] = "vs_evaluator_set_int";
    if (!ev) return vs__error(VS_EINVAL, "%s: evaluator is NULL", where);
    const option_info *info = find_option(option);
    if (!info) return vs__error(VS_EINVAL, "%s: unknown option %d", where, option);
    if (info->is_double) return vs__error(VS_EINVAL, "%s: option %s takes a double", where, info->name);
    if ((double)value < info->min || (double)value > info->max)
        return vs__error(VS_ERANGE, "%s: %s = %lld is outside [%.17g, %.17g]", where, info->name, (long long)value,
                         info->min, info->max);
    if (option == VS_EVALUATOR_OPT_BUCKETS && (value & (value - 1)) != 0)
        return vs__error(VS_ERANGE, "%s: buckets = %lld is not a power of two", where, (long long)value);
    if (option == VS_EVALUATOR_OPT_TEXT_FLAGS && ((uint64_t)value & ~(uint64_t)NORM_FLAGS) != 0)
        return vs__error(VS_ERANGE, "%s: text_flags 0x%llx has bits other than the normalisation flags", where,
                         (unsigned long long)value);
    if (info->feature && ev->trained)
        return vs__error(VS_ESTATE, "%s: %s is part of the trained model and cannot change", where, info->name);
    vs__ev_options *o = &ev->opt;
    uint32_t v = (uint32_t)value;
    switch (option) {
    case VS_EVALUATOR_OPT_BUCKETS: o->buckets = v; break;
    case VS_EVALUATOR_OPT_MAX_NGRAM: o->max_ngram = v; break;
    case VS_EVALUATOR_OPT_TEXT_FLAGS: o->text_flags = v; break;
    case VS_EVALUATOR_OPT_INPUT: o->input = v; break;
    case VS_EVALUATOR_OPT_WEIGHTING: o->weighting = v; break;
    case VS_EVALUATOR_OPT_SEED: o->seed = (uint64_t)value; break;
    case VS_EVALUATOR_OPT_CLASS_WEIGHT: o->class_weight = v; break;
    case VS_EVALUATOR_OPT_MAX_ITER: o->max_iter = v; break;
    case VS_EVALUATOR_OPT_HISTORY: o->history = v; break;
    case VS_EVALUATOR_OPT_VALUE: o->value = v; break;
    case VS_EVALUATOR_OPT_BATCH_SIZE: o->batch_size = v; break;
    default: o->threads = v; break; /* VS_EVALUATOR_OPT_THREADS */
    }
    return VS_OK;
}

int vs_evaluator_set_double(vs_evaluator *ev, int option, double value) {
    static const char where[] = "vs_evaluator_set_double";
    if (!ev) return vs__error(VS_EINVAL, "%s: evaluator is NULL", where);
    const option_info *info = find_option(option);
    if (!info) return vs__error(VS_EINVAL, "%s: unknown option %d", where, option);
    if (!info->is_double) return vs__error(VS_EINVAL, "%s: option %s takes an integer", where, info->name);
    if (isnan(value)) return vs__error(VS_EINVAL, "%s: %s is NaN", where, info->name);
    if (value < info->min || value > info->max)
        return vs__error(VS_ERANGE, "%s: %s = %.17g is outside [%.17g, %.17g]", where, info->name, value, info->min,
                         info->max);
    if (option == VS_EVALUATOR_OPT_C)
        ev->opt.c = value;
    else
        ev->opt.tolerance = value;
    return VS_OK;
}

int vs_evaluator_get_int(int64_t *out, const vs_evaluator *ev, int option) {
    static const char where[] = "vs_evaluator_get_int";
    if (!out || !ev) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    const option_info *info = find_option(option);
    if (!info) return vs__error(VS_EINVAL, "%s: unknown option %d", where, option);
    if (info->is_double) return vs__error(VS_EINVAL, "%s: option %s is a double", where, info->name);
    const vs__ev_options *o = &ev->opt;
    switch (option) {
    case VS_EVALUATOR_OPT_BUCKETS: *out = o->buckets; break;
    case VS_EVALUATOR_OPT_MAX_NGRAM: *out = o->max_ngram; break;
    case VS_EVALUATOR_OPT_TEXT_FLAGS: *out = o->text_flags; break;
    case VS_EVALUATOR_OPT_INPUT: *out = o->input; break;
    case VS_EVALUATOR_OPT_WEIGHTING: *out = o->weighting; break;
    case VS_EVALUATOR_OPT_SEED: *out = (int64_t)o->seed; break;
    case VS_EVALUATOR_OPT_CLASS_WEIGHT: *out = o->class_weight; break;
    case VS_EVALUATOR_OPT_MAX_ITER: *out = o->max_iter; break;
    case VS_EVALUATOR_OPT_HISTORY: *out = o->history; break;
    case VS_EVALUATOR_OPT_VALUE: *out = o->value; break;
    case VS_EVALUATOR_OPT_BATCH_SIZE: *out = o->batch_size; break;
    default: *out = o->threads; break;
    }
    return VS_OK;
}

int vs_evaluator_get_double(double *out, const vs_evaluator *ev, int option) {
    static const char where[] = "vs_evaluator_get_double";
    if (!out || !ev) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    const option_info *info = find_option(option);
    if (!info) return vs__error(VS_EINVAL, "%s: unknown option %d", where, option);
    if (!info->is_double) return vs__error(VS_EINVAL, "%s: option %s is an integer", where, info->name);
    *out = option == VS_EVALUATOR_OPT_C ? ev->opt.c : ev->opt.tolerance;
    return VS_OK;
}

int vs__ev_check_labels(const double *labels, size_t n, size_t k, const vs_space *space, size_t offset,
                        const char *where) {
    for (size_t i = 0; i < n; i++)
        for (size_t d = 0; d < k; d++) {
            double y = labels[i * k + d];
            if (isnan(y) || y == -1.0 || y == 0.0 || y == 1.0) continue;
            return vs__error(VS_EINVAL, "%s: item %zu, dimension \"%s\": label %.17g is not -1, 0, +1 or NaN", where,
                             i, vs_space_key(space, offset + d), y);
        }
    return VS_OK;
}
