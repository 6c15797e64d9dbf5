/* Accumulators: creation, options, adding rows (Welford + exact sums + bootstrap cells), merging. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "accum/accum_internal.h"
#include "common/internal.h"
#include "common/option_table.h"
#include "common/random.h"
#include "common/utf8.h"

#define DEFAULT_SCALE_BITS 32u
#define MAX_SCALE_BITS 62u

/* ---------------------------------------------------------------- hashing, weights */

int vs_accum_item_hash(uint64_t *out, const char *item_id) {
    if (!out || !item_id) return vs__error(VS_EINVAL, "vs_accum_item_hash: %s is NULL", out ? "item_id" : "out");
    size_t len = strlen(item_id), bad = 0;
    if (!vs__utf8_valid(item_id, len, &bad))
        return vs__error(VS_EUTF8, "vs_accum_item_hash: item id is not valid UTF-8 (byte offset %zu)", bad);
    *out = vs__item_hash(item_id, len);
    return VS_OK;
}

uint32_t vs_accum_weight(uint64_t seed, uint64_t replicate, uint64_t item_hash) {
    return vs__accum_weight(seed, replicate, item_hash);
}

/* ---------------------------------------------------------------- life cycle */

int vs__accum_alloc(vs_accum **out, size_t dims, size_t reps, uint64_t seed, const char *where) {
    *out = NULL;
    vs_accum *a = vs__calloc(1, sizeof *a);
    if (!a) return vs__nomem(where);
    a->dims = dims;
    a->reps = reps;
    a->seed = seed;
    a->scale_bits = DEFAULT_SCALE_BITS;
    a->dim = vs__calloc(dims, sizeof *a->dim);
    if (!a->dim) goto nomem;
    if (reps) {
        size_t cells = reps * dims, pairs = (reps + 1) / 2;
        vs__block *bk = &a->block;
        bk->cap = VS__BLOCK_ENTRIES / dims / VS__BLOCK_LANES * VS__BLOCK_LANES;
        if (bk->cap < VS__BLOCK_LANES) bk->cap = VS__BLOCK_LANES;
        if (bk->cap > VS__BLOCK_MAX) bk->cap = VS__BLOCK_MAX;
        a->sw = vs__calloc(cells, sizeof *a->sw);
        a->swq = vs__calloc(cells, 2 * sizeof *a->swq);
        a->pair_key = vs__calloc(pairs, sizeof *a->pair_key);
        bk->h = vs__calloc(bk->cap, sizeof *bk->h);
        bk->present = vs__calloc(dims * bk->cap, sizeof *bk->present);
        bk->ql = vs__calloc(dims * bk->cap, sizeof *bk->ql);
        bk->qh = vs__calloc(dims * bk->cap, sizeof *bk->qh);
        bk->used = vs__calloc(dims, sizeof *bk->used);
        bk->w = vs__calloc(2 * bk->cap, sizeof *bk->w);
        bk->nz_dim = vs__calloc(dims * bk->cap, sizeof *bk->nz_dim);
        bk->nz_q = vs__calloc(dims * bk->cap, sizeof *bk->nz_q);
        bk->row_end = vs__calloc(bk->cap, sizeof *bk->row_end);
        if (!a->sw || !a->swq || !a->pair_key || !bk->h || !bk->present || !bk->ql || !bk->qh || !bk->used || !bk->w ||
            !bk->nz_dim || !bk->nz_q || !bk->row_end)
            goto nomem;
        for (size_t j = 0; j < pairs; j++) a->pair_key[j] = vs__hash_combine(seed, (uint64_t)j);
    }
    for (size_t d = 0; d < dims; d++) a->dim[d].min = a->dim[d].max = NAN;
    vs__poisson_lut_init(&a->lut);
    *out = a;
    return VS_OK;
nomem:
    vs_accum_free(a);
    return vs__nomem(where);
}

int vs_accum_create(vs_accum **out, size_t dims, size_t replicates, uint64_t seed) {
    if (out) *out = NULL;
    if (!out) return vs__error(VS_EINVAL, "vs_accum_create: out is NULL");
    if (dims == 0) return vs__error(VS_EINVAL, "vs_accum_create: dims is 0");
    if (dims > VS_ACCUM_MAX_DIMS)
        return vs__error(VS_ELIMIT, "vs_accum_create: %zu dimensions (at most %u)", dims, VS_ACCUM_MAX_DIMS);
    if (replicates > VS_ACCUM_MAX_REPLICATES)
        return vs__error(VS_ELIMIT, "vs_accum_create: %zu replicates (at most %u)", replicates,
                         VS_ACCUM_MAX_REPLICATES);
    if (replicates > VS_ACCUM_MAX_CELLS / dims)
        return vs__error(VS_ELIMIT, "vs_accum_create: %zu dimensions x %zu replicates exceed %u cells", dims,
                         replicates, VS_ACCUM_MAX_CELLS);
    return vs__accum_alloc(out, dims, replicates, seed, "vs_accum_create");
}

int vs_accum_clone(vs_accum **out, const vs_accum *acc) {
    if (out) *out = NULL;
    if (!out || !acc) return vs__error(VS_EINVAL, "vs_accum_clone: %s is NULL", out ? "acc" : "out");
    vs_accum *c = NULL;
    int rc = vs__accum_alloc(&c, acc->dims, acc->reps, acc->seed, "vs_accum_clone");
    if (rc) return rc;
    c->scale_bits = acc->scale_bits;
    c->rows = acc->rows;
    memcpy(c->dim, acc->dim, acc->dims * sizeof *c->dim);
    if (acc->reps) {
        memcpy(c->sw, acc->sw, acc->reps * acc->dims * sizeof *c->sw);
        memcpy(c->swq, acc->swq, 2 * acc->reps * acc->dims * sizeof *c->swq);
    }
    *out = c;
    return VS_OK;
}

void vs_accum_free(vs_accum *acc) {
    if (!acc) return;
    vs__free(acc->dim);
    vs__free(acc->sw);
    vs__free(acc->swq);
    vs__free(acc->pair_key);
    vs__free(acc->block.h);
    vs__free(acc->block.present);
    vs__free(acc->block.ql);
    vs__free(acc->block.qh);
    vs__free(acc->block.used);
    vs__free(acc->block.w);
    vs__free(acc->block.nz_dim);
    vs__free(acc->block.nz_q);
    vs__free(acc->block.row_end);
    vs__free(acc);
}

size_t vs_accum_dimension_count(const vs_accum *acc) { return acc ? acc->dims : 0; }
size_t vs_accum_replicate_count(const vs_accum *acc) { return acc ? acc->reps : 0; }
uint64_t vs_accum_seed(const vs_accum *acc) { return acc ? acc->seed : 0; }
uint64_t vs_accum_row_count(const vs_accum *acc) { return acc ? acc->rows : 0; }

/* ---------------------------------------------------------------- options */

/* The fixed-point scale is part of the sums: it cannot change once rows were added. */
static int check_empty(const void *handle, const vs__option *o, vs__opt_value v, const char *where) {
    (void)v;
    if (((const vs_accum *)handle)->rows)
        return vs__error(VS_ESTATE, "%s: option %s cannot change after rows were added", where, o->name);
    return VS_OK;
}

static const vs__option opts[] = {
    {VS_ACCUM_OPT_SCALE_BITS, VS__OPT_INT, VS__FIELD_UINT, 0, MAX_SCALE_BITS, offsetof(vs_accum, scale_bits),
     "scale_bits", NULL, NULL, check_empty},
};
static const vs__option_table table = VS__OPTION_TABLE("vs_accum", opts);

int vs_accum_option_bounds(double *out_min, double *out_max, int option) {
    return vs__opt_bounds(&table, out_min, out_max, option);
}
int vs_accum_set_int(vs_accum *acc, int option, int64_t value) { return vs__opt_set_int(&table, acc, option, value); }
int vs_accum_get_int(int64_t *out, const vs_accum *acc, int option) {
    return vs__opt_get_int(&table, out, acc, option);
}
int vs_accum_option_id(int *out, const char *name) { return vs__opt_id(&table, out, name); }
const char *vs_accum_option_name(int option) { return vs__opt_name_of(&table, option); }

/* ---------------------------------------------------------------- adding rows */

/* Deterministic min/max: -0 sorts below +0 so the result does not depend on the order. */
static int below(double x, double y) { return x < y || (x == y && signbit(x) && !signbit(y)); }

static void update_min_max(vs__accum_dim *s, double x) {
    if (isnan(s->min) || below(x, s->min)) s->min = x;
    if (isnan(s->max) || below(s->max, x)) s->max = x;
}

/* Checks one row; `where`/`row` name it in messages (row = SIZE_MAX: a single row). */
static int check_row(const vs_accum *acc, const double *v, const char *where, size_t row) {
    for (size_t d = 0; d < acc->dims; d++) {
        double x = v[d];
        if (isnan(x) || (!isinf(x) && vs__in_range(x, acc->scale_bits))) continue;
        char at[48] = "";
        if (row != SIZE_MAX) snprintf(at, sizeof at, "row %zu, ", row);
        if (isinf(x)) return vs__error(VS_EINVAL, "%s: %sdimension %zu: the value is infinite", where, at, d);
        return vs__error(VS_ERANGE, "%s: %sdimension %zu: %g is outside the fixed-point range |x| < 2^%u", where, at,
                         d, x, 62 - acc->scale_bits);
    }
    return VS_OK;
}

/* Adds a checked row: Welford and exact sums now, the bootstrap through the block (the caller
 * flushes it before returning). */
static void add_row(vs_accum *acc, uint64_t h, const double *v) {
    size_t K = acc->dims;
    vs__block *bk = &acc->block;
    size_t i = bk->n, cap = bk->cap;
    for (size_t d = 0; d < K; d++) {
        double x = v[d];
        if (isnan(x)) {
            if (acc->reps) {
                bk->present[d * cap + i] = 0;
                bk->ql[d * cap + i] = 0;
                bk->qh[d * cap + i] = 0;
            }
            continue;
        }
        vs__accum_dim *s = &acc->dim[d];
        int64_t q = vs__quantize(x, acc->scale_bits);
        /* Welford on the shifted value */
        if (!s->n) s->shift = x;
        double y = x - s->shift;
        s->n++;
        double delta = y - s->mean;
        s->mean += delta / (double)s->n;
        s->m2 += delta * (y - s->mean);
        update_min_max(s, x);
        /* exact sums */
        vs__store128(s->s1, vs__load128(s->s1) + (vs__u128)(__extension__(__int128)q));
        vs__u128 aq = (vs__u128)(q < 0 ? -(uint64_t)q : (uint64_t)q);
        vs__u256_add_u128(&s->s2, aq * aq);
        if (acc->reps) { /* q = qh * 2^32 + ql, |q| < 2^62 */
            uint64_t lo = (uint64_t)q & UINT32_MAX;
            bk->present[d * cap + i] = UINT64_MAX;
            bk->ql[d * cap + i] = lo;
            bk->qh[d * cap + i] = (q - (int64_t)lo) / (INT64_C(1) << 32);
            bk->used[d] = 1;
            bk->nz_dim[bk->nnz] = (uint32_t)d;
            bk->nz_q[bk->nnz++] = q;
        }
    }
    acc->rows++;
    if (!acc->reps) return;
    bk->h[i] = h;
    bk->row_end[i] = bk->nnz;
    if (++bk->n == cap) vs__accum_flush(acc);
}

int vs_accum_add(vs_accum *acc, uint64_t item_hash, const double *values, size_t n) {
    if (!acc || !values) return vs__error(VS_EINVAL, "vs_accum_add: %s is NULL", acc ? "values" : "acc");
    if (n != acc->dims)
        return vs__error(VS_EMISMATCH, "vs_accum_add: %zu values for %zu dimensions", n, acc->dims);
    int rc = check_row(acc, values, "vs_accum_add", SIZE_MAX);
    if (rc) return rc;
    if (acc->rows >= VS_ACCUM_MAX_ROWS)
        return vs__error(VS_ELIMIT, "vs_accum_add: the accumulator already holds %llu rows",
                         (unsigned long long)acc->rows);
    add_row(acc, item_hash, values);
    vs__accum_flush(acc);
    return VS_OK;
}

int vs_accum_add_id(vs_accum *acc, const char *item_id, const double *values, size_t n) {
    uint64_t h = 0;
    if (!acc || !item_id || !values)
        return vs__error(VS_EINVAL, "vs_accum_add_id: %s is NULL", !acc ? "acc" : !item_id ? "item_id" : "values");
    int rc = vs_accum_item_hash(&h, item_id);
    if (rc) return vs__error_prefix(rc, "vs_accum_add_id");
    return vs_accum_add(acc, h, values, n);
}

int vs_accum_add_rows(vs_accum *acc, const uint64_t *item_hashes, const double *values, size_t rows, size_t dims) {
    if (!acc) return vs__error(VS_EINVAL, "vs_accum_add_rows: acc is NULL");
    if (rows && (!item_hashes || !values))
        return vs__error(VS_EINVAL, "vs_accum_add_rows: %s is NULL", item_hashes ? "values" : "item_hashes");
    if (dims != acc->dims)
        return vs__error(VS_EMISMATCH, "vs_accum_add_rows: rows of %zu values for %zu dimensions", dims, acc->dims);
    for (size_t r = 0; r < rows; r++) {
        int rc = check_row(acc, values + r * dims, "vs_accum_add_rows", r);
        if (rc) return rc;
    }
    if (rows > VS_ACCUM_MAX_ROWS - acc->rows)
        return vs__error(VS_ELIMIT, "vs_accum_add_rows: %zu more rows would exceed %llu", rows,
                         (unsigned long long)VS_ACCUM_MAX_ROWS);
    for (size_t r = 0; r < rows; r++) add_row(acc, item_hashes[r], values + r * dims);
    vs__accum_flush(acc);
    return VS_OK;
}

/* ---------------------------------------------------------------- merging */

int vs_accum_merge(vs_accum *into, const vs_accum *from) {
    if (!into || !from) return vs__error(VS_EINVAL, "vs_accum_merge: %s is NULL", into ? "from" : "into");
    if (into == from) return vs__error(VS_EINVAL, "vs_accum_merge: into and from are the same accumulator");
    if (into->dims != from->dims)
        return vs__error(VS_EMISMATCH, "vs_accum_merge: %zu dimensions vs %zu", into->dims, from->dims);
    if (into->reps != from->reps)
        return vs__error(VS_EMISMATCH, "vs_accum_merge: %zu replicates vs %zu", into->reps, from->reps);
    if (into->seed != from->seed)
        return vs__error(VS_EMISMATCH, "vs_accum_merge: seed %llu vs %llu", (unsigned long long)into->seed,
                         (unsigned long long)from->seed);
    if (into->scale_bits != from->scale_bits)
        return vs__error(VS_EMISMATCH, "vs_accum_merge: scale bits %u vs %u", into->scale_bits, from->scale_bits);
    if (from->rows > VS_ACCUM_MAX_ROWS - into->rows)
        return vs__error(VS_ELIMIT, "vs_accum_merge: %llu + %llu rows exceed %llu", (unsigned long long)into->rows,
                         (unsigned long long)from->rows, (unsigned long long)VS_ACCUM_MAX_ROWS);
    for (size_t d = 0; d < into->dims; d++) {
        vs__accum_dim *a = &into->dim[d];
        const vs__accum_dim *b = &from->dim[d];
        if (!b->n) continue;
        if (!a->n) {
            a->shift = b->shift;
            a->mean = b->mean;
            a->m2 = b->m2;
        } else { /* Chan, Golub & LeVeque's pairwise update, b's mean rebased to a's shift */
            double na = (double)a->n, nb = (double)b->n, n = na + nb;
            double delta = ((b->shift - a->shift) + b->mean) - a->mean;
            a->mean += delta * (nb / n);
            a->m2 += b->m2 + delta * delta * (na / n) * nb;
        }
        a->n += b->n;
        update_min_max(a, b->min);
        update_min_max(a, b->max);
        vs__store128(a->s1, vs__load128(a->s1) + vs__load128(b->s1));
        vs__u256_add(&a->s2, &b->s2);
    }
    size_t cells = into->reps * into->dims;
    for (size_t c = 0; c < cells; c++) {
        into->sw[c] += from->sw[c];
        vs__store128(into->swq + 2 * c, vs__load128(into->swq + 2 * c) + vs__load128(from->swq + 2 * c));
    }
    into->rows += from->rows;
    return VS_OK;
}
