/* Value vectors: creation, copies, element access by index and by name. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "common/internal.h"
#include "space/space_ref.h"
#include "vector/vector_internal.h"

int vs__vector_new(vs_vector **out, const vs_space *space, size_t level, const char *where) {
    *out = NULL;
    if (!space) return vs__error(VS_EINVAL, "%s: space is NULL", where);
    size_t levels = vs_space_level_count(space);
    if (level >= levels)
        return vs__error(VS_ERANGE, "%s: level %zu out of range (the space \"%s\" has %zu levels)", where,
                         level, vs_space_name(space), levels);
    size_t n = vs_space_level_dimension_count(space, level);
    if (n > (SIZE_MAX - sizeof(vs_vector)) / sizeof(double))
        return vs__error(VS_ENOMEM, "%s: a vector of %zu entries is too large", where, n);
    vs_vector *v = vs__malloc(sizeof(vs_vector) + n * sizeof(double));
    if (!v) return vs__nomem(where);
    vs__space_retain(space);
    v->space = (vs_space *)space;
    v->level = level;
    v->offset = vs_space_level_offset(space, level);
    v->n = n;
    for (size_t i = 0; i < n; i++) v->values[i] = NAN;
    *out = v;
    return VS_OK;
}

int vs__vector_check_same(const vs_vector *a, const vs_vector *b, const char *where) {
    if (a->space == b->space && a->level == b->level) return VS_OK;
    if (a->n != b->n)
        return vs__error(VS_EMISMATCH, "%s: the vectors have %zu and %zu entries", where, a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        const char *ka = vs_space_key(a->space, a->offset + i);
        const char *kb = vs_space_key(b->space, b->offset + i);
        if (!ka || !kb || strcmp(ka, kb) != 0)
            return vs__error(VS_EMISMATCH, "%s: entry %zu is \"%s\" in one vector and \"%s\" in the other",
                             where, i, ka ? ka : "?", kb ? kb : "?");
    }
    return VS_OK;
}

double vs__running_mean(double mean, double x, size_t k) {
    double d = x - mean;
    if (isfinite(d)) return mean + d / (double)k;
    return mean - mean / (double)k + x / (double)k; /* |x - mean| overflowed */
}

int vs_vector_create(vs_vector **out, const vs_space *space, size_t level) {
    if (!out) return vs__error(VS_EINVAL, "vs_vector_create: out is NULL");
    return vs__vector_new(out, space, level, "vs_vector_create");
}

int vs_vector_clone(vs_vector **out, const vs_vector *vector) {
    if (!out) return vs__error(VS_EINVAL, "vs_vector_clone: out is NULL");
    *out = NULL;
    if (!vector) return vs__error(VS_EINVAL, "vs_vector_clone: vector is NULL");
    vs_vector *v = vs__malloc(sizeof(vs_vector) + vector->n * sizeof(double));
    if (!v) return vs__nomem("vs_vector_clone");
    vs__space_retain(vector->space);
    v->space = vector->space;
    v->level = vector->level;
    v->offset = vector->offset;
    v->n = vector->n;
    if (vector->n) memcpy(v->values, vector->values, vector->n * sizeof(double));
    *out = v;
    return VS_OK;
}

void vs_vector_free(vs_vector *vector) {
    if (!vector) return;
    vs_space *space = vector->space;
    vs__free(vector);
    vs_space_free(space);
}

const vs_space *vs_vector_space(const vs_vector *vector) { return vector ? vector->space : NULL; }

size_t vs_vector_level(const vs_vector *vector) { return vector ? vector->level : VS_NPOS; }

size_t vs_vector_dimension_count(const vs_vector *vector) { return vector ? vector->n : 0; }

size_t vs_vector_missing_count(const vs_vector *vector) {
    if (!vector) return 0;
    size_t missing = 0;
    for (size_t i = 0; i < vector->n; i++) missing += isnan(vector->values[i]) ? 1 : 0;
    return missing;
}

int vs_vector_set(vs_vector *vector, size_t i, double value) {
    if (!vector) return vs__error(VS_EINVAL, "vs_vector_set: vector is NULL");
    if (i >= vector->n)
        return vs__error(VS_ERANGE, "vs_vector_set: index %zu out of range (size %zu)", i, vector->n);
    if (isinf(value))
        return vs__error(VS_EINVAL, "vs_vector_set: entry %zu (\"%s\"): infinite value", i,
                         vs_space_key(vector->space, vector->offset + i));
    vector->values[i] = value;
    return VS_OK;
}

int vs_vector_get(double *out, const vs_vector *vector, size_t i) {
    if (!out) return vs__error(VS_EINVAL, "vs_vector_get: out is NULL");
    if (!vector) return vs__error(VS_EINVAL, "vs_vector_get: vector is NULL");
    if (i >= vector->n)
        return vs__error(VS_ERANGE, "vs_vector_get: index %zu out of range (size %zu)", i, vector->n);
    *out = vector->values[i];
    return VS_OK;
}

/* Looks `name` up within the vector's level; *out_i is the entry index. */
static int find_entry(size_t *out_i, const vs_vector *vector, const char *name, const char *where) {
    size_t global = 0;
    int rc = vs_space_find(&global, vector->space, vector->level, name);
    if (rc != VS_OK) return vs__error_prefix(rc, "%s", where);
    if (global < vector->offset || global - vector->offset >= vector->n)
        return vs__error(VS_ENOTFOUND, "%s: \"%s\" is not a dimension of level %zu", where, name,
                         vector->level);
    *out_i = global - vector->offset;
    return VS_OK;
}

int vs_vector_set_by_name(vs_vector *vector, const char *name, double value) {
    if (!vector) return vs__error(VS_EINVAL, "vs_vector_set_by_name: vector is NULL");
    if (!name) return vs__error(VS_EINVAL, "vs_vector_set_by_name: name is NULL");
    size_t i = 0;
    int rc = find_entry(&i, vector, name, "vs_vector_set_by_name");
    if (rc != VS_OK) return rc;
    if (isinf(value))
        return vs__error(VS_EINVAL, "vs_vector_set_by_name: \"%s\": infinite value", name);
    vector->values[i] = value;
    return VS_OK;
}

int vs_vector_get_by_name(double *out, const vs_vector *vector, const char *name) {
    if (!out) return vs__error(VS_EINVAL, "vs_vector_get_by_name: out is NULL");
    if (!vector) return vs__error(VS_EINVAL, "vs_vector_get_by_name: vector is NULL");
    if (!name) return vs__error(VS_EINVAL, "vs_vector_get_by_name: name is NULL");
    size_t i = 0;
    int rc = find_entry(&i, vector, name, "vs_vector_get_by_name");
    if (rc != VS_OK) return rc;
    *out = vector->values[i];
    return VS_OK;
}

int vs_vector_set_values(vs_vector *vector, const double *values, size_t n) {
    if (!vector) return vs__error(VS_EINVAL, "vs_vector_set_values: vector is NULL");
    if (!values && n) return vs__error(VS_EINVAL, "vs_vector_set_values: values is NULL");
    if (n != vector->n)
        return vs__error(VS_EMISMATCH, "vs_vector_set_values: %zu values for a vector of %zu entries", n,
                         vector->n);
    for (size_t i = 0; i < n; i++)
        if (isinf(values[i]))
            return vs__error(VS_EINVAL, "vs_vector_set_values: value %zu (\"%s\") is infinite", i,
                             vs_space_key(vector->space, vector->offset + i));
    if (n) memcpy(vector->values, values, n * sizeof(double));
    return VS_OK;
}

int vs_vector_get_values(size_t *out_needed, const vs_vector *vector, double *buf, size_t cap) {
    if (out_needed) *out_needed = vector ? vector->n : 0;
    if (!vector) return vs__error(VS_EINVAL, "vs_vector_get_values: vector is NULL");
    if (cap < vector->n)
        return vs__error(VS_EBUFSIZE, "vs_vector_get_values: buffer holds %zu values, %zu needed", cap,
                         vector->n);
    if (!buf && vector->n) return vs__error(VS_EINVAL, "vs_vector_get_values: buf is NULL");
    if (vector->n) memcpy(buf, vector->values, vector->n * sizeof(double));
    return VS_OK;
}
