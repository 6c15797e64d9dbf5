/* The evaluator object (vs_evaluator): creation, options, accessors and the model's bucket index. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "common/internal.h"
#include "common/option_table.h"
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

#define NORM_FLAGS (VS_TEXT_NFKC | VS_TEXT_CASEFOLD | VS_TEXT_STRIP_ACCENTS | VS_TEXT_LUMP | VS_TEXT_REPLACE_INVALID)

/* The feature options are part of a trained model: buckets a power of two, text_flags only the
 * normalisation flags, and none changes once the evaluator is trained. */
static int check_feature(const void *handle, const vs__option *o, vs__opt_value v, const char *where) {
    if (o->id == VS_EVALUATOR_OPT_BUCKETS && (v.i & (v.i - 1)) != 0)
        return vs__error(VS_ERANGE, "%s: option buckets = %lld is not a power of two", where, (long long)v.i);
    if (o->id == VS_EVALUATOR_OPT_TEXT_FLAGS && ((uint64_t)v.i & ~(uint64_t)NORM_FLAGS) != 0)
        return vs__error(VS_ERANGE, "%s: option text_flags 0x%llx has bits other than the normalisation flags", where,
                         (unsigned long long)v.i);
    if (((const vs_evaluator *)handle)->trained)
        return vs__error(VS_ESTATE, "%s: option %s is part of the trained model and cannot change", where, o->name);
    return VS_OK;
}

#define ROW(id, field, member, lo, hi, name, check) \
    {id, VS__OPT_INT, field, lo, hi, offsetof(vs_evaluator, opt.member), name, NULL, NULL, check}
#define DOUBLE_ROW(id, member, lo, hi, name) \
    {id, VS__OPT_DOUBLE, VS__FIELD_DOUBLE, lo, hi, offsetof(vs_evaluator, opt.member), name, NULL, NULL, NULL}
static const vs__option opts[] = {
    ROW(VS_EVALUATOR_OPT_BUCKETS, VS__FIELD_U32, buckets, 16.0, 16777216.0, "buckets", check_feature),
    ROW(VS_EVALUATOR_OPT_MAX_NGRAM, VS__FIELD_U32, max_ngram, 1.0, (double)VS_TEXT_MAX_NGRAM, "max_ngram",
        check_feature),
    ROW(VS_EVALUATOR_OPT_TEXT_FLAGS, VS__FIELD_U32, text_flags, 0.0, (double)NORM_FLAGS, "text_flags", check_feature),
    ROW(VS_EVALUATOR_OPT_INPUT, VS__FIELD_U32, input, 0.0, 1.0, "input", check_feature),
    ROW(VS_EVALUATOR_OPT_WEIGHTING, VS__FIELD_U32, weighting, 0.0, 2.0, "weighting", check_feature),
    ROW(VS_EVALUATOR_OPT_SEED, VS__FIELD_U64, seed, 0.0, 9223372036854775807.0, "seed", check_feature),
    DOUBLE_ROW(VS_EVALUATOR_OPT_C, c, 1e-6, 1e6, "C"),
    ROW(VS_EVALUATOR_OPT_CLASS_WEIGHT, VS__FIELD_U32, class_weight, 0.0, 1.0, "class_weight", NULL),
    ROW(VS_EVALUATOR_OPT_MAX_ITER, VS__FIELD_U32, max_iter, 1.0, 1e6, "max_iter", NULL),
    DOUBLE_ROW(VS_EVALUATOR_OPT_TOLERANCE, tolerance, 0.0, 1.0, "tolerance"),
    ROW(VS_EVALUATOR_OPT_HISTORY, VS__FIELD_U32, history, 1.0, 100.0, "history", NULL),
    ROW(VS_EVALUATOR_OPT_VALUE, VS__FIELD_U32, value, 0.0, 1.0, "value", NULL),
    ROW(VS_EVALUATOR_OPT_BATCH_SIZE, VS__FIELD_U32, batch_size, 1.0, 1048576.0, "batch_size", NULL),
    ROW(VS_EVALUATOR_OPT_THREADS, VS__FIELD_U32, threads, 1.0, 256.0, "threads", NULL),
};
#undef ROW
#undef DOUBLE_ROW
static const vs__option_table table = VS__OPTION_TABLE("vs_evaluator", opts);

int vs_evaluator_option_bounds(double *out_min, double *out_max, int option) {
    return vs__opt_bounds(&table, out_min, out_max, option);
}
int vs_evaluator_set_int(vs_evaluator *ev, int option, int64_t value) {
    return vs__opt_set_int(&table, ev, option, value);
}
int vs_evaluator_set_double(vs_evaluator *ev, int option, double value) {
    return vs__opt_set_double(&table, ev, option, value);
}
int vs_evaluator_get_int(int64_t *out, const vs_evaluator *ev, int option) {
    return vs__opt_get_int(&table, out, ev, option);
}
int vs_evaluator_get_double(double *out, const vs_evaluator *ev, int option) {
    return vs__opt_get_double(&table, out, ev, option);
}
int vs_evaluator_option_id(int *out, const char *name) { return vs__opt_id(&table, out, name); }
const char *vs_evaluator_option_name(int option) { return vs__opt_name_of(&table, option); }

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
