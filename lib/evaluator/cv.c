/* Seeded k-fold cross-validation stratified by group, with a majority-class baseline per
 * training fold. The texts are featurised once; each fold's model is trained on the other folds
 * (dimensions in parallel with VS_EVALUATOR_OPT_THREADS) and predicts its own items. */
#include <math.h>
#include <string.h>

#include "common/internal.h"
#include "common/random.h"
#include "common/sort.h"
#include "evaluator/evaluator_internal.h"

struct vs_evaluator_cv {
    size_t n, k, folds;
    uint32_t *fold;   /* n */
    double *truth;    /* n * k labels */
    double *values;   /* n * k */
    double *probs;    /* n * k * 3 */
    double *baseline; /* n * k */
};

void vs_evaluator_cv_free(vs_evaluator_cv *cv) {
    if (!cv) return;
    vs__free(cv->fold);
    vs__free(cv->truth);
    vs__free(cv->values);
    vs__free(cv->probs);
    vs__free(cv->baseline);
    vs__free(cv);
}

size_t vs_evaluator_cv_count(const vs_evaluator_cv *cv) { return cv ? cv->n : 0; }
size_t vs_evaluator_cv_dimension_count(const vs_evaluator_cv *cv) { return cv ? cv->k : 0; }
size_t vs_evaluator_cv_fold_count(const vs_evaluator_cv *cv) { return cv ? cv->folds : 0; }

typedef struct item_key {
    size_t group, index;
} item_key;

static int cmp_key(const void *a, const void *b, void *ctx) {
    const item_key *x = a, *y = b;
    (void)ctx;
    if (x->group != y->group) return x->group < y->group ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Stratified fold assignment (documented at vs_evaluator_cv_run()). */
static int assign_folds(uint32_t *fold, const size_t *groups, size_t n, size_t folds, uint64_t seed,
                        const char *where) {
    item_key *keys = vs__malloc(n * sizeof *keys);
    if (!keys) return vs__nomem(where);
    for (size_t i = 0; i < n; i++) {
        keys[i].group = groups ? groups[i] : 0;
        keys[i].index = i;
    }
    vs__sort(keys, n, sizeof *keys, cmp_key, NULL);
    size_t offset = 0;
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && keys[b].group == keys[a].group) b++;
        vs__rng g;
        vs__rng_seed(&g, seed, (uint64_t)keys[a].group);
        for (size_t j = b - a; j > 1; j--) { /* Fisher-Yates */
            size_t r = vs__rng_below(&g, j);
            item_key t = keys[a + j - 1];
            keys[a + j - 1] = keys[a + r];
            keys[a + r] = t;
        }
        for (size_t j = a; j < b; j++) fold[keys[j].index] = (uint32_t)((offset + (j - a)) % folds);
        offset = (offset + (b - a)) % folds;
        a = b;
    }
    vs__free(keys);
    return VS_OK;
}

int vs_evaluator_cv_run(vs_evaluator_cv **out, const vs_evaluator *ev, const char *const *prompts,
                        const char *const *responses, const double *labels, const size_t *groups, size_t n,
                        size_t folds, uint64_t seed) {
    static const char where[] = "vs_evaluator_cv_run";
    if (!out) return vs__error(VS_EINVAL, "%s: out is NULL", where);
    *out = NULL;
    if (!ev || !responses || !labels) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    if (ev->kind != VS_EVALUATOR_BUILTIN)
        return vs__error(VS_EINVAL, "%s: cross-validation needs the built-in evaluator", where);
    if (folds < 2 || folds > n)
        return vs__error(VS_ERANGE, "%s: %zu folds for %zu items (need 2 <= folds <= items)", where, folds, n);
    if (folds > UINT32_MAX) return vs__error(VS_ERANGE, "%s: too many folds", where);
    for (size_t i = 0; i < n; i++)
        if (!responses[i]) return vs__error(VS_EINVAL, "%s: item %zu: response is NULL", where, i);
    const size_t k = ev->k;
    int rc = vs__ev_check_labels(labels, n, k, ev->space, ev->offset, where);
    if (rc) return rc;
    if (n > SIZE_MAX / VS__EV_K / sizeof(double) / (k ? k : 1)) return vs__error(VS_ELIMIT, "%s: too many items", where);

    vs_evaluator_cv *cv = vs__calloc(1, sizeof *cv);
    if (!cv) return vs__nomem(where);
    cv->n = n;
    cv->k = k;
    cv->folds = folds;
    cv->fold = vs__malloc(n * sizeof *cv->fold);
    const size_t nk = n * k > 0 ? n * k : 1;
    cv->truth = vs__malloc(nk * sizeof *cv->truth);
    cv->values = vs__malloc(nk * sizeof *cv->values);
    cv->probs = vs__malloc(nk * VS__EV_K * sizeof *cv->probs);
    cv->baseline = vs__malloc(nk * sizeof *cv->baseline);
    size_t *rows = vs__malloc(n * sizeof *rows);
    if (!cv->fold || !cv->truth || !cv->values || !cv->probs || !cv->baseline || !rows) {
        vs__free(rows);
        vs_evaluator_cv_free(cv);
        return vs__nomem(where);
    }
    memcpy(cv->truth, labels, n * k * sizeof *labels);
    rc = assign_folds(cv->fold, groups, n, folds, seed, where);
    vs__ev_csr x;
    memset(&x, 0, sizeof x);
    if (rc == VS_OK) rc = vs__ev_csr_build(&x, &ev->opt, prompts, responses, n, where);
    for (size_t f = 0; f < folds && rc == VS_OK; f++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (cv->fold[i] != f) rows[m++] = i;
        vs__ev_model M;
        rc = vs__ev_model_prepare(&M, ev->opt.buckets, &x, rows, m, k, where);
        if (rc) break;
        rc = vs__ev_fit_prepared(&M, &ev->opt, &x, rows, m, labels, k, ev->space, ev->offset, where);
        if (rc == VS_OK) {
            for (size_t d = 0; d < k; d++) { /* the baseline: the training folds' majority class */
                uint64_t count[3] = {0, 0, 0};
                for (size_t r = 0; r < m; r++) {
                    double y = labels[rows[r] * k + d];
                    if (!isnan(y)) count[(int)y + 1]++;
                }
                double b = count[0] + count[1] + count[2] ? (double)(vs__ev_majority(count) - 1) : NAN;
                for (size_t i = 0; i < n; i++)
                    if (cv->fold[i] == f) cv->baseline[i * k + d] = b;
            }
            for (size_t i = 0; i < n; i++)
                if (cv->fold[i] == f)
                    vs__ev_model_apply(&M, ev->opt.value, x.col + x.start[i], x.val + x.start[i],
                                       x.start[i + 1] - x.start[i], cv->values + i * k, cv->probs + i * k * VS__EV_K);
        } else {
            rc = vs__error_prefix(rc, "fold %zu", f);
        }
        vs__ev_model_release(&M);
    }
    vs__ev_csr_release(&x);
    vs__free(rows);
    if (rc) {
        vs_evaluator_cv_free(cv);
        return rc;
    }
    *out = cv;
    return VS_OK;
}

static int pred_class(double x) { return x <= -0.5 ? 0 : x >= 0.5 ? 2 : 1; }

int vs_evaluator_cv_metrics(vs_evaluator_metrics *out, const vs_evaluator_cv *cv, size_t dim, size_t fold) {
    static const char where[] = "vs_evaluator_cv_metrics";
    if (!out || !cv) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    if (out->struct_size < sizeof(vs_evaluator_metrics))
        return vs__error(VS_EINVAL, "%s: struct_size %u is smaller than %zu", where, (unsigned)out->struct_size,
                         sizeof(vs_evaluator_metrics));
    if (dim >= cv->k) return vs__error(VS_ERANGE, "%s: dimension %zu out of range (%zu)", where, dim, cv->k);
    if (fold != VS_NPOS && fold >= cv->folds)
        return vs__error(VS_ERANGE, "%s: fold %zu out of range (%zu)", where, fold, cv->folds);
    uint64_t conf[9] = {0}, base[9] = {0};
    size_t skipped = 0, counted = 0;
    double bclass = NAN;
    int mixed = 0;
    for (size_t i = 0; i < cv->n; i++) {
        if (fold != VS_NPOS && cv->fold[i] != fold) continue;
        double t = cv->truth[i * cv->k + dim], p = cv->values[i * cv->k + dim], b = cv->baseline[i * cv->k + dim];
        if (isnan(t) || isnan(p) || isnan(b)) {
            skipped++;
            continue;
        }
        int tc = (int)t + 1;
        conf[tc * 3 + pred_class(p)]++;
        base[tc * 3 + pred_class(b)]++;
        if (counted++ == 0)
            bclass = b;
        else if (b != bclass)
            mixed = 1;
    }
    if (counted == 0) return vs__error(VS_EUNDEFINED, "%s: no labelled and predicted item in the selection", where);
    vs_evaluator_metrics full;
    full.struct_size = (uint32_t)sizeof full;
    vs__ev_metrics_fill(&full, conf, base, mixed ? NAN : bclass, skipped);
    return vs__ev_metrics_out(out, &full);
}

int vs_evaluator_cv_get(size_t *out_needed, const vs_evaluator_cv *cv, int what, double *buf, size_t cap) {
    static const char where[] = "vs_evaluator_cv_get";
    if (!cv) return vs__error(VS_EINVAL, "%s: cv is NULL", where);
    if (!buf && cap) return vs__error(VS_EINVAL, "%s: NULL buffer with capacity %zu", where, cap);
    size_t need;
    const double *src = NULL;
    switch (what) {
    case VS_EVALUATOR_CV_VALUES: need = cv->n * cv->k; src = cv->values; break;
    case VS_EVALUATOR_CV_PROBS: need = cv->n * cv->k * VS__EV_K; src = cv->probs; break;
    case VS_EVALUATOR_CV_BASELINE: need = cv->n * cv->k; src = cv->baseline; break;
    case VS_EVALUATOR_CV_FOLD: need = cv->n; break;
    default: return vs__error(VS_EINVAL, "%s: unknown array %d", where, what);
    }
    if (out_needed) *out_needed = need;
    if (cap < need) return vs__error(VS_EBUFSIZE, "%s: needs %zu doubles, capacity %zu", where, need, cap);
    if (src && need)
        memcpy(buf, src, need * sizeof *buf);
    else
        for (size_t i = 0; i < need; i++) buf[i] = (double)cv->fold[i];
    return VS_OK;
}
