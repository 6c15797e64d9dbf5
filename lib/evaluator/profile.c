/* Per-group value profiles: mean vectors, percentile bootstrap intervals, and alignment to a
 * target two ways: FULCRA's per-response BaseAlign reward averaged over a group (the mask on each
 * response's own values, as FULCRA scores a response), and the BaseAlign distance of the group's
 * mean vector (a secondary view: undefined when no dimension of the mean passes the mask, since
 * a group whose responses express different values can have a mean below the threshold
 * everywhere and would otherwise rank first with distance 0). Both with intervals from the same
 * bootstrap resamples, and a ranking of the groups by each. */
#include <math.h>
#include <string.h>

#include "common/internal.h"
#include "common/random.h"
#include "common/sort.h"
#include "evaluator/evaluator_internal.h"

struct vs_evaluator_profile {
    size_t k, groups;
    size_t *id, *size;
    double *mean, *lo, *hi;     /* groups * k */
    double *dist, *dlo, *dhi;   /* groups */
    double *rank;               /* groups */
    double *rew, *rlo, *rhi;    /* groups: mean per-response reward and its interval */
    double *rrank, *cover;      /* groups: rank by mean reward; share of items with a masked value */
    size_t replicates;          /* B (0: none kept) */
    double *rep_mean;           /* groups * B * k: each resample's mean vector, in resample order */
    double *rep_reward;         /* groups * B: each resample's mean reward (NULL without a target) */
};

void vs_evaluator_profile_free(vs_evaluator_profile *p) {
    if (!p) return;
    vs__free(p->id);
    vs__free(p->size);
    vs__free(p->mean);
    vs__free(p->lo);
    vs__free(p->hi);
    vs__free(p->dist);
    vs__free(p->dlo);
    vs__free(p->dhi);
    vs__free(p->rank);
    vs__free(p->rew);
    vs__free(p->rlo);
    vs__free(p->rhi);
    vs__free(p->rrank);
    vs__free(p->cover);
    vs__free(p->rep_mean);
    vs__free(p->rep_reward);
    vs__free(p);
}

size_t vs_evaluator_profile_group_count(const vs_evaluator_profile *p) { return p ? p->groups : 0; }
size_t vs_evaluator_profile_dimension_count(const vs_evaluator_profile *p) { return p ? p->k : 0; }
size_t vs_evaluator_profile_group_id(const vs_evaluator_profile *p, size_t j) {
    return p && j < p->groups ? p->id[j] : VS_NPOS;
}
size_t vs_evaluator_profile_group_item_count(const vs_evaluator_profile *p, size_t j) {
    return p && j < p->groups ? p->size[j] : 0;
}

typedef struct item_key {
    size_t group, index;
} item_key;

static int cmp_key(const void *a, const void *b, void *ctx) {
    const item_key *x = a, *y = b;
    (void)ctx;
    if (x->group != y->group) return x->group < y->group ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

typedef struct rank_key {
    double d;
    size_t j;
} rank_key;

static int cmp_rank(const void *a, const void *b, void *ctx) {
    const rank_key *x = a, *y = b;
    (void)ctx;
    if (x->d != y->d) return x->d < y->d ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

/* rank[j] = 1.. in ascending order of sign * x[j] (groups with NaN get NaN), ties by group. */
static int rank_by(double *rank, const double *x, size_t ng, double sign, const char *where) {
    rank_key *rk = vs__malloc((ng ? ng : 1) * sizeof *rk);
    if (!rk) return vs__nomem(where);
    size_t nr = 0;
    for (size_t j = 0; j < ng; j++) {
        rank[j] = NAN;
        if (!isnan(x[j])) {
            rk[nr].d = sign * x[j];
            rk[nr++].j = j;
        }
    }
    vs__sort(rk, nr, sizeof *rk, cmp_rank, NULL);
    for (size_t r = 0; r < nr; r++) rank[rk[r].j] = (double)(r + 1);
    vs__free(rk);
    return VS_OK;
}

static int cmp_double(const void *a, const void *b, void *ctx) {
    double x = *(const double *)a, y = *(const double *)b;
    (void)ctx;
    return x < y ? -1 : x > y;
}

/* Quantile q of the non-NaN values of x[0..n) (x is reordered), linear interpolation between
 * order statistics at position q (m - 1); NaN when there is none. */
static double quantile_pair(double *x, size_t n, double qlo, double qhi, double *hi) {
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) x[m++] = x[i];
    if (m == 0) {
        *hi = NAN;
        return NAN;
    }
    vs__sort(x, m, sizeof *x, cmp_double, NULL);
    double q[2] = {qlo, qhi}, r[2];
    for (int t = 0; t < 2; t++) {
        double h = q[t] * (double)(m - 1);
        size_t i = (size_t)floor(h);
        if (i >= m - 1)
            r[t] = x[m - 1];
        else
            r[t] = x[i] + (h - (double)i) * (x[i + 1] - x[i]);
    }
    *hi = r[1];
    return r[0];
}

/* BaseAlign distance of `mean` (k values) to the target; NaN when undefined, and when no
 * dimension of the mean passes the mask (nothing is compared: "n/a", not a perfect 0). */
static int distance(double *out, vs_vector *work, const vs_vector *target, double threshold, const double *mean,
                    size_t k, unsigned char *mask) {
    int rc = vs_vector_set_values(work, mean, k);
    if (rc) return rc;
    rc = vs_basealign(out, NULL, work, target, 0, threshold, mask, k);
    if (rc == VS_EUNDEFINED) {
        *out = NAN;
        rc = VS_OK;
    }
    if (rc == VS_OK) {
        size_t on = 0;
        for (size_t d = 0; d < k; d++) on += mask[d];
        if (on == 0) *out = NAN;
    }
    return rc;
}

/* FULCRA's reward of one response: minus its BaseAlign distance, the mask on its own values
 * (a missing value or target entry counts for nothing). *any = 1 when some dimension passed. */
static double response_reward(const double *v, const double *t, size_t k, double threshold, int *any) {
    double d = 0.0;
    *any = 0;
    for (size_t j = 0; j < k; j++) {
        if (isnan(v[j]) || isnan(t[j]) || !(fabs(v[j]) > threshold)) continue;
        *any = 1;
        d += fabs(v[j] - t[j]) * fabs(t[j]);
    }
    return -d;
}

/* Mean of r over the items idx[0..m). */
static double mean_over(const double *r, const size_t *idx, size_t m) {
    double s = 0.0;
    for (size_t i = 0; i < m; i++) s += r[idx[i]];
    return m ? s / (double)m : NAN;
}

static void mean_of(double *mean, double *cnt, const double *values, size_t k, const size_t *idx, size_t m) {
    for (size_t d = 0; d < k; d++) mean[d] = cnt[d] = 0.0;
    for (size_t i = 0; i < m; i++) {
        const double *v = values + idx[i] * k;
        for (size_t d = 0; d < k; d++)
            if (!isnan(v[d])) {
                mean[d] += v[d];
                cnt[d] += 1.0;
            }
    }
    for (size_t d = 0; d < k; d++) mean[d] = cnt[d] > 0.0 ? mean[d] / cnt[d] : NAN;
}

int vs_evaluator_profile_compute(vs_evaluator_profile **out, const double *values, size_t n, size_t k,
                                 const size_t *groups, const vs_vector *target, double threshold, size_t replicates,
                                 double confidence, uint64_t seed) {
    static const char where[] = "vs_evaluator_profile_compute";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!values || n == 0 || k == 0) return vs__error(VS_EINVAL, "%s: no values", where);
    if (!(confidence > 0.0 && confidence < 1.0))
        return vs__error(VS_EINVAL, "%s: confidence %.17g is not in (0, 1)", where, confidence);
    if (target && !(threshold >= 0.0 && isfinite(threshold)))
        return vs__error(VS_EINVAL, "%s: threshold %.17g is not a finite number >= 0", where, threshold);
    if (replicates != 0 && (replicates < 10 || replicates > 10000000))
        return vs__error(VS_ERANGE, "%s: replicates %zu is not 0 or in 10..10000000", where, replicates);
    if (target && vs_vector_dimension_count(target) != k)
        return vs__error(VS_EMISMATCH, "%s: the target has %zu entries, the values %zu", where,
                         vs_vector_dimension_count(target), k);
    if (n > SIZE_MAX / sizeof(double) / k) return vs__error(VS_ELIMIT, "%s: too many values", where);
    for (size_t i = 0; i < n * k; i++)
        if (isinf(values[i]))
            return vs__error(VS_EINVAL, "%s: item %zu, dimension %zu: the value is infinite", where, i / k, i % k);
    if (replicates && replicates > SIZE_MAX / sizeof(double) / k)
        return vs__error(VS_ENOMEM, "%s: too many replicates", where);

    int rc = VS_OK;
    item_key *keys = vs__malloc(n * sizeof *keys);
    size_t *idx = vs__malloc(n * sizeof *idx), *draw = vs__malloc(n * sizeof *draw);
    double *mean = vs__malloc(2 * k * sizeof *mean);
    double *reps = replicates ? vs__malloc(replicates * k * sizeof *reps) : NULL;
    double *dreps = replicates ? vs__malloc(replicates * sizeof *dreps) : NULL;
    double *rreps = replicates && target ? vs__malloc(replicates * sizeof *rreps) : NULL;
    double *reward = target ? vs__malloc(n * sizeof *reward) : NULL, *tv = target ? vs__malloc(k * sizeof *tv) : NULL;
    unsigned char *any = target ? vs__malloc(n + k) : NULL; /* per item, then the mean's mask */
    vs_evaluator_profile *p = vs__calloc(1, sizeof *p);
    vs_vector *work = NULL;
    if (!keys || !idx || !draw || !mean || (replicates && (!reps || !dreps)) || !p ||
        (target && (!reward || !tv || !any || (replicates && !rreps))))
        rc = vs__nomem(where);
    if (rc == VS_OK && target) rc = vs_vector_create(&work, vs_vector_space(target), vs_vector_level(target));
    for (size_t j = 0; rc == VS_OK && target && j < k; j++) {
        tv[j] = NAN;
        vs_vector_get(&tv[j], target, j); /* a missing entry stays NaN */
    }
    for (size_t i = 0; rc == VS_OK && target && i < n; i++) {
        int a;
        reward[i] = response_reward(values + i * k, tv, k, threshold, &a);
        any[i] = (unsigned char)a;
    }
    size_t ng = 0;
    if (rc == VS_OK) {
        for (size_t i = 0; i < n; i++) {
            keys[i].group = groups ? groups[i] : 0;
            keys[i].index = i;
        }
        vs__sort(keys, n, sizeof *keys, cmp_key, NULL);
        ng = 1;
        for (size_t i = 1; i < n; i++) ng += keys[i].group != keys[i - 1].group;
        p->k = k;
        p->groups = ng;
        p->id = vs__malloc(ng * sizeof *p->id);
        p->size = vs__malloc(ng * sizeof *p->size);
        p->mean = vs__malloc(ng * k * sizeof *p->mean);
        p->lo = vs__malloc(ng * k * sizeof *p->lo);
        p->hi = vs__malloc(ng * k * sizeof *p->hi);
        p->dist = vs__malloc(ng * sizeof *p->dist);
        p->dlo = vs__malloc(ng * sizeof *p->dlo);
        p->dhi = vs__malloc(ng * sizeof *p->dhi);
        p->rank = vs__malloc(ng * sizeof *p->rank);
        p->rew = vs__malloc(ng * sizeof *p->rew);
        p->rlo = vs__malloc(ng * sizeof *p->rlo);
        p->rhi = vs__malloc(ng * sizeof *p->rhi);
        p->rrank = vs__malloc(ng * sizeof *p->rrank);
        p->cover = vs__malloc(ng * sizeof *p->cover);
        p->replicates = replicates;
        if (replicates && ng > SIZE_MAX / sizeof(double) / k / replicates) rc = vs__nomem(where);
        if (rc == VS_OK && replicates) p->rep_mean = vs__malloc(ng * replicates * k * sizeof *p->rep_mean);
        if (rc == VS_OK && replicates && target) p->rep_reward = vs__malloc(ng * replicates * sizeof *p->rep_reward);
        if (rc == VS_OK && replicates && (!p->rep_mean || (target && !p->rep_reward))) rc = vs__nomem(where);
        if (rc == VS_OK && (!p->id || !p->size || !p->mean || !p->lo || !p->hi || !p->dist || !p->dlo || !p->dhi ||
                            !p->rank || !p->rew || !p->rlo || !p->rhi || !p->rrank || !p->cover))
            rc = vs__nomem(where);
    }
    const double qlo = (1.0 - confidence) / 2.0, qhi = (1.0 + confidence) / 2.0;
    for (size_t a = 0, j = 0; rc == VS_OK && a < n; j++) {
        size_t b = a;
        while (b < n && keys[b].group == keys[a].group) b++;
        size_t m = b - a;
        for (size_t i = 0; i < m; i++) idx[i] = keys[a + i].index;
        p->id[j] = keys[a].group;
        p->size[j] = m;
        double *gm = p->mean + j * k, *lo = p->lo + j * k, *hi = p->hi + j * k;
        mean_of(gm, mean + k, values, k, idx, m);
        p->dist[j] = p->dlo[j] = p->dhi[j] = NAN;
        p->rew[j] = p->rlo[j] = p->rhi[j] = p->cover[j] = NAN;
        if (target) {
            rc = distance(&p->dist[j], work, target, threshold, gm, k, any + n);
            p->rew[j] = mean_over(reward, idx, m);
            size_t covered = 0;
            for (size_t i = 0; i < m; i++) covered += any[idx[i]];
            p->cover[j] = (double)covered / (double)m;
        }
        for (size_t d = 0; d < k; d++) lo[d] = hi[d] = NAN;
        if (rc == VS_OK && replicates) {
            vs__rng g;
            vs__rng_seed(&g, seed, (uint64_t)keys[a].group);
            for (size_t r = 0; r < replicates && rc == VS_OK; r++) {
                for (size_t i = 0; i < m; i++) draw[i] = idx[vs__rng_below(&g, m)];
                mean_of(mean, mean + k, values, k, draw, m);
                for (size_t d = 0; d < k; d++) reps[d * replicates + r] = mean[d];
                memcpy(p->rep_mean + (j * replicates + r) * k, mean, k * sizeof *mean); /* kept for comparisons */
                dreps[r] = NAN;
                if (target) {
                    rc = distance(&dreps[r], work, target, threshold, mean, k, any + n);
                    rreps[r] = mean_over(reward, draw, m); /* the same resample */
                    p->rep_reward[j * replicates + r] = rreps[r];
                }
            }
            for (size_t d = 0; d < k && rc == VS_OK; d++)
                lo[d] = quantile_pair(reps + d * replicates, replicates, qlo, qhi, &hi[d]);
            if (rc == VS_OK && target) {
                /* the mean vector's interval only where the full sample has one */
                if (!isnan(p->dist[j])) p->dlo[j] = quantile_pair(dreps, replicates, qlo, qhi, &p->dhi[j]);
                p->rlo[j] = quantile_pair(rreps, replicates, qlo, qhi, &p->rhi[j]);
            }
        }
        a = b;
    }
    /* ranks: by distance (smallest first) and by mean reward (largest first); ties by group id */
    if (rc == VS_OK) rc = rank_by(p->rank, p->dist, ng, 1.0, where);
    if (rc == VS_OK) rc = rank_by(p->rrank, p->rew, ng, -1.0, where);
    vs_vector_free(work);
    vs__free(keys);
    vs__free(idx);
    vs__free(draw);
    vs__free(mean);
    vs__free(reps);
    vs__free(dreps);
    vs__free(rreps);
    vs__free(reward);
    vs__free(tv);
    vs__free(any);
    if (rc) {
        vs_evaluator_profile_free(p);
        return rc;
    }
    *out = p;
    return VS_OK;
}

int vs_evaluator_profile_get(size_t *out_needed, const vs_evaluator_profile *p, size_t j, int what, double *buf,
                             size_t cap) {
    static const char where[] = "vs_evaluator_profile_get";
    if (!p) return vs__error(VS_EINVAL, "%s: profile is NULL", where);
    if (!buf && cap) return vs__error(VS_EINVAL, "%s: NULL buffer with capacity %zu", where, cap);
    const double *src;
    switch (what) {
    case VS_EVALUATOR_PROFILE_MEAN: src = p->mean; break;
    case VS_EVALUATOR_PROFILE_CI_LOW: src = p->lo; break;
    case VS_EVALUATOR_PROFILE_CI_HIGH: src = p->hi; break;
    default: return vs__error(VS_EINVAL, "%s: unknown array %d", where, what);
    }
    if (j >= p->groups) return vs__error(VS_ERANGE, "%s: group %zu out of range (%zu)", where, j, p->groups);
    if (out_needed) *out_needed = p->k;
    if (cap < p->k) return vs__error(VS_EBUFSIZE, "%s: needs %zu doubles, capacity %zu", where, p->k, cap);
    memcpy(buf, src + j * p->k, p->k * sizeof *buf);
    return VS_OK;
}

int vs_evaluator_profile_scalar(double *out, const vs_evaluator_profile *p, size_t j, int what) {
    static const char where[] = "vs_evaluator_profile_scalar";
    if (!out || !p) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    const double *src;
    switch (what) {
    case VS_EVALUATOR_PROFILE_DISTANCE: src = p->dist; break;
    case VS_EVALUATOR_PROFILE_DISTANCE_CI_LOW: src = p->dlo; break;
    case VS_EVALUATOR_PROFILE_DISTANCE_CI_HIGH: src = p->dhi; break;
    case VS_EVALUATOR_PROFILE_RANK: src = p->rank; break;
    case VS_EVALUATOR_PROFILE_REWARD: src = p->rew; break;
    case VS_EVALUATOR_PROFILE_REWARD_CI_LOW: src = p->rlo; break;
    case VS_EVALUATOR_PROFILE_REWARD_CI_HIGH: src = p->rhi; break;
    case VS_EVALUATOR_PROFILE_REWARD_RANK: src = p->rrank; break;
    case VS_EVALUATOR_PROFILE_COVERAGE: src = p->cover; break;
    default: return vs__error(VS_EINVAL, "%s: unknown number %d", where, what);
    }
    if (j >= p->groups) return vs__error(VS_ERANGE, "%s: group %zu out of range (%zu)", where, j, p->groups);
    *out = src[j];
    return VS_OK;
}

size_t vs_evaluator_profile_replicate_count(const vs_evaluator_profile *p) { return p ? p->replicates : 0; }

int vs_evaluator_profile_replicates(size_t *out_needed, const vs_evaluator_profile *p, size_t j, int what,
                                    double *buf, size_t cap) {
    static const char where[] = "vs_evaluator_profile_replicates";
    if (!p) return vs__error(VS_EINVAL, "%s: profile is NULL", where);
    if (!buf && cap) return vs__error(VS_EINVAL, "%s: NULL buffer with capacity %zu", where, cap);
    const double *src;
    size_t len;
    switch (what) {
    case VS_EVALUATOR_PROFILE_REPLICATE_MEAN: src = p->rep_mean; len = p->replicates * p->k; break;
    case VS_EVALUATOR_PROFILE_REPLICATE_REWARD:
        if (p->replicates && !p->rep_reward)
            return vs__error(VS_EUNDEFINED, "%s: the profiles were computed without a target, so there is no "
                                            "reward; pass a target to vs_evaluator_profile_compute()", where);
        src = p->rep_reward;
        len = p->replicates;
        break;
    default: return vs__error(VS_EINVAL, "%s: unknown replicate array %d", where, what);
    }
    if (j >= p->groups) return vs__error(VS_ERANGE, "%s: group %zu out of range (%zu)", where, j, p->groups);
    if (out_needed) *out_needed = len;
    if (cap < len) return vs__error(VS_EBUFSIZE, "%s: needs %zu doubles, capacity %zu", where, len, cap);
    if (len) memcpy(buf, src + j * len, len * sizeof *buf);
    return VS_OK;
}
