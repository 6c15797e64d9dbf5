/* Bootstrap intervals of a factor solution: the full-sample solution is fitted with the options
 * given; each replicate resamples the raw rows with replacement (its own random stream, numbered
 * by the replicate: the results do not depend on the threads), builds the correlations the same
 * way (missing-data policy and kind), refits with the same options and aligns its factors to the
 * full solution: the permutation of the replicate's factors that maximises the sum of absolute
 * Tucker congruences with the full pattern (every permutation for k <= 8, greedily by the largest
 * remaining congruence above), then each factor's sign so that its congruence is positive; Phi
 * is permuted and signed the same way. Replicates whose fit fails (a non-positive-definite or
 * degenerate resample) are left out and counted. Per quantity: mean, standard deviation (n - 1)
 * and R's type-7 quantiles at alpha/2 and 1 - alpha/2 of the kept replicates.
 *
 * psych's fa(n.iter = ) aligns differently: it re-rotates each replicate obliquely toward the full
 * loadings by least squares (target.rot), which moves the replicate's loadings toward the full
 * solution, and it keeps each replicate's own, unaligned Phi; it reports mean +- z sd intervals. */
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "fa/fa_internal.h"

#define BOOT_STREAM0 UINT64_C(0x626f6f7400000000) /* "boot": apart from the other streams */

typedef struct boot_shared {
    size_t next;
    int stop;
} boot_shared;

typedef struct boot_work {
    const vs_fa *fa;
    const vs_fa_data *d;
    const double *target; /* p x k full-sample pattern */
    double *reps;         /* iters x m aligned values (NaN row: failed replicate) */
    size_t iters, m;
    boot_shared *sh;
    int rc; /* VS_ENOMEM when the thread ran out of memory (failed fits are not errors) */
} boot_work;

/* best permutation (perm[i] = replicate factor for full factor i) of |congruence| c (k x k) */
static void best_perm(size_t *perm, const double *c, size_t k, size_t *cur, unsigned char *used, size_t depth,
                      double sum, double *best) {
    if (depth == k) {
        if (sum > *best) {
            *best = sum;
            memcpy(perm, cur, k * sizeof(size_t));
        }
        return;
    }
    for (size_t j = 0; j < k; j++) {
        if (used[j]) continue;
        used[j] = 1;
        cur[depth] = j;
        best_perm(perm, c, k, cur, used, depth + 1, sum + fabs(c[depth * k + j]), best);
        used[j] = 0;
    }
}

static void greedy_perm(size_t *perm, const double *c, size_t k, unsigned char *used_i, unsigned char *used_j) {
    memset(used_i, 0, k);
    memset(used_j, 0, k);
    for (size_t step = 0; step < k; step++) {
        size_t bi = 0, bj = 0;
        double bv = -1;
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                if (!used_i[i] && !used_j[j] && fabs(c[i * k + j]) > bv) {
                    bv = fabs(c[i * k + j]);
                    bi = i;
                    bj = j;
                }
        used_i[bi] = used_j[bj] = 1;
        perm[bi] = bj;
    }
}

/* aligned loadings, Phi and communality of replicate result r into out (m values) */
int vs__fa_boot_align(double *out, const double *target, const double *l, const double *phi, const double *comm,
                      size_t p, size_t k) {
    size_t kk = k * k;
    double *c = vs__malloc((kk + 2 * k) * sizeof(double));
    size_t *perm = vs__malloc(2 * k * sizeof(size_t));
    unsigned char *used = vs__malloc(2 * k);
    if (!c || !perm || !used) {
        vs__free(c);
        vs__free(perm);
        vs__free(used);
        return VS_ENOMEM;
    }
    double *nt = c + kk, *nl = nt + k;
    for (size_t j = 0; j < k; j++) {
        nt[j] = nl[j] = 0;
        for (size_t i = 0; i < p; i++) {
            nt[j] += target[i * k + j] * target[i * k + j];
            nl[j] += l[i * k + j] * l[i * k + j];
        }
    }
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++) {
            double s = 0;
            for (size_t i = 0; i < p; i++) s += target[i * k + a] * l[i * k + b];
            double den = sqrt(nt[a] * nl[b]);
            c[a * k + b] = den > 0 ? s / den : 0;
        }
    if (k <= 8) {
        double best = -1;
        memset(used, 0, k);
        best_perm(perm, c, k, perm + k, used, 0, 0, &best);
    } else {
        greedy_perm(perm, c, k, used, used + k);
    }
    double *sg = nt; /* reuse: signs */
    for (size_t a = 0; a < k; a++) sg[a] = c[a * k + perm[a]] < 0 ? -1.0 : 1.0;
    for (size_t i = 0; i < p; i++)
        for (size_t a = 0; a < k; a++) out[i * k + a] = sg[a] * l[i * k + perm[a]];
    double *op = out + p * k;
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++) op[a * k + b] = sg[a] * sg[b] * phi[perm[a] * k + perm[b]];
    memcpy(op + kk, comm, p * sizeof(double));
    vs__free(c);
    vs__free(perm);
    vs__free(used);
    return VS_OK;
}

static void *boot_run(void *arg) {
    boot_work *w = arg;
    static const char *where = "vs_fa_bootstrap";
    const vs_fa_data *d = w->d;
    size_t n = d->rows, p = d->p, k = (size_t)w->fa->nfactors, m = w->m;
    vs_fa fr = *w->fa; /* shares the target (read only) */
    fr.scores = VS_FA_SCORES_NONE;
    double *xs = vs__malloc(n * p * sizeof(double));
    double *buf = vs__malloc((2 * p * k + k * k + p) * sizeof(double));
    int rc = VS_OK;
    if (!xs || !buf) {
        rc = VS_ENOMEM;
        goto done;
    }
    double *l = buf, *phi = l + p * k, *comm = phi + k * k;
    for (;;) {
        if (__atomic_load_n(&w->sh->stop, __ATOMIC_RELAXED)) break;
        size_t b = __atomic_fetch_add(&w->sh->next, 1, __ATOMIC_RELAXED);
        if (b >= w->iters) break;
        vs__rng g;
        vs__rng_seed(&g, (uint64_t)w->fa->seed, BOOT_STREAM0 + b);
        for (size_t t = 0; t < n; t++) memcpy(xs + t * p, d->x + vs__rng_below(&g, n) * p, p * sizeof(double));
        double *row = w->reps + b * m;
        vs_fa_data *dr = NULL;
        vs_fa_result *res = NULL;
        int frc = vs__fa_data_raw(&dr, xs, n, p, d->missing, d->cor_kind, where);
        if (frc == VS_OK) frc = vs_fa_fit(&res, &fr, dr);
        if (frc == VS_OK) {
            vs_fa_result_get(NULL, res, VS_FA_LOADINGS, l, p * k);
            vs_fa_result_get(NULL, res, VS_FA_PHI, phi, k * k);
            vs_fa_result_get(NULL, res, VS_FA_COMMUNALITY, comm, p);
            frc = vs__fa_boot_align(row, w->target, l, phi, comm, p, k);
        }
        vs_fa_result_free(res);
        vs_fa_data_free(dr);
        if (frc == VS_ENOMEM) {
            rc = VS_ENOMEM;
            break;
        }
        if (frc != VS_OK)
            for (size_t i = 0; i < m; i++) row[i] = NAN; /* left out, counted */
    }
done:
    if (rc != VS_OK) {
        __atomic_store_n(&w->sh->stop, 1, __ATOMIC_RELAXED);
        w->rc = rc;
    }
    vs__free(xs);
    vs__free(buf);
    return NULL;
}

int vs_fa_bootstrap(size_t *out_used, size_t *out_needed, const vs_fa *fa, const vs_fa_data *d, double *buf,
                    size_t cap) {
    static const char *where = "vs_fa_bootstrap";
    if (!fa || !d) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    size_t p = d->p, k = (size_t)fa->nfactors;
    size_t m = p * k + k * k + p, need = 4 * m;
    if (out_needed) *out_needed = need;
    if (out_used) *out_used = 0;
    if (!d->x)
        return vs__error(VS_EUNDEFINED, "%s: bootstrap resamples rows: build the data from raw data, not a matrix",
                         where);
    if (cap < need) return vs__error(VS_EBUFSIZE, "%s: %zu doubles needed, %zu given", where, need, cap);
    if (!buf) return vs__error(VS_EINVAL, "%s: NULL buffer", where);
    vs_fa_result *full = NULL;
    vs_fa ff = *fa;
    ff.scores = VS_FA_SCORES_NONE;
    int rc = vs_fa_fit(&full, &ff, d);
    if (rc != VS_OK) return rc; /* the full-sample fit's own message */
    size_t iters = (size_t)fa->boot_iter, nthreads = (size_t)fa->threads;
    if (nthreads > iters) nthreads = iters;
    double *target = vs__malloc(p * k * sizeof(double));
    double *reps = vs__malloc(iters * m * sizeof(double));
    double *col = vs__malloc(iters * sizeof(double));
    boot_work *w = vs__calloc(nthreads, sizeof *w);
    pthread_t *tid = vs__calloc(nthreads, sizeof *tid);
    unsigned char *started = vs__calloc(nthreads, 1);
    if (!target || !reps || !col || !w || !tid || !started) {
        rc = vs__nomem(where);
        goto out;
    }
    vs_fa_result_get(NULL, full, VS_FA_LOADINGS, target, p * k);
    boot_shared sh = {0, 0};
    for (size_t t = 0; t < nthreads; t++) {
        w[t].fa = fa;
        w[t].d = d;
        w[t].target = target;
        w[t].reps = reps;
        w[t].iters = iters;
        w[t].m = m;
        w[t].sh = &sh;
    }
    for (size_t t = 1; t < nthreads; t++) started[t] = pthread_create(&tid[t], NULL, boot_run, &w[t]) == 0;
    boot_run(&w[0]);
    for (size_t t = 1; t < nthreads; t++)
        if (started[t]) pthread_join(tid[t], NULL);
    for (size_t t = 0; t < nthreads; t++)
        if (w[t].rc != VS_OK) {
            rc = vs__nomem(where);
            goto out;
        }
    size_t used = 0;
    for (size_t b = 0; b < iters; b++) used += !isnan(reps[b * m]);
    if (out_used) *out_used = used;
    if (used < 2) {
        rc = vs__error(VS_ENUMERIC, "%s: %zu of %zu replicates could be fitted, at least 2 needed", where, used, iters);
        goto out;
    }
    double alpha = fa->boot_alpha;
    for (size_t i = 0; i < m; i++) {
        size_t u = 0;
        double s = 0;
        for (size_t b = 0; b < iters; b++)
            if (!isnan(reps[b * m])) {
                col[u++] = reps[b * m + i];
                s += reps[b * m + i];
            }
        double mean = s / (double)u, ss = 0;
        for (size_t t = 0; t < u; t++) ss += (col[t] - mean) * (col[t] - mean);
        buf[i] = mean;
        buf[m + i] = sqrt(ss / (double)(u - 1));
        buf[2 * m + i] = vs__fa_quantile7(col, u, alpha / 2);
        buf[3 * m + i] = vs__fa_quantile7(col, u, 1 - alpha / 2);
    }
out:
    vs_fa_result_free(full);
    vs__free(target);
    vs__free(reps);
    vs__free(col);
    vs__free(w);
    vs__free(tid);
    vs__free(started);
    return rc;
}
