/* Number of factors: parallel analysis as psych::fa.parallel (observed "fa" eigenvalues from a
 * one-factor fit's reduced matrix; quantile of simulated normal and, for raw input, column-wise
 * resampled data) and Velicer's MAP as psych::VSS. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/sort.h"
#include "fa/fa_internal.h"

/* Correlation matrix of n independent N(0, I_p) rows, drawn directly: the centred cross-product
 * matrix is Wishart_p(n - 1, I) = A A' with A lower triangular, A_ii^2 ~ chi2(n - i) (i = 1..p),
 * A_ij ~ N(0, 1) below the diagonal (Bartlett's decomposition). O(p^3 / 3) instead of O(n p^2). */
static void wishart_cor(double *r, double *a, size_t n, size_t p, vs__rng *g) {
    for (size_t i = 0; i < p; i++) {
        for (size_t j = 0; j < i; j++) a[i * p + j] = vs__rng_normal(g);
        a[i * p + i] = sqrt(2.0 * vs__rng_gamma(g, 0.5 * (double)(n - 1 - i)));
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j <= i; j++) {
            double s = 0;
            const double *ai = a + i * p, *aj = a + j * p;
            for (size_t l = 0; l <= j; l++) s += ai[l] * aj[l];
            r[i * p + j] = r[j * p + i] = s;
        }
    for (size_t i = 0; i < p; i++) a[i] = 1.0 / sqrt(r[i * p + i]);
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) r[i * p + j] = i == j ? 1.0 : r[i * p + j] * a[i] * a[j];
}

static int cmp_double(const void *a, const void *b, void *ctx) {
    (void)ctx;
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* R's quantile type 7 of v[0..m) (sorted in place) */
double vs__fa_quantile7(double *v, size_t m, double q) {
    vs__sort(v, m, sizeof(double), cmp_double, NULL);
    double h = (double)(m - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= m) return v[m - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

static size_t count_above(const double *obs, const double *q, size_t p) {
    size_t i = 0;
    while (i < p && obs[i] > q[i]) i++;
    return i;
}

/* shared by the threads of one analysis, accessed atomically */
typedef struct par_shared {
    size_t next; /* the next iteration to run */
    int stop;    /* a thread failed */
} par_shared;

typedef struct par_work {
    const vs_fa_data *d;
    const double *xc; /* complete raw data centred, column-major, or NULL (then the general path) */
    double *vals;
    par_shared *sh;
    size_t n, p, iters;
    int method, resample, force_general;
    uint64_t seed;
    int rc;
    char msg[256];
} par_work;

/* iterations of parallel analysis taken one by one from w->sh (each iteration's random stream
 * depends on its number only, so the results do not depend on which thread runs it); own
 * buffers (runs in a thread) */
static void *par_run(void *arg) {
    par_work *w = arg;
    size_t n = w->n, p = w->p, iters = w->iters;
    const vs_fa_data *d = w->d;
    static const char *where = "vs_fa_parallel";
    size_t xn = n > p ? n : p;
    if (w->resample && d->rows > xn) xn = d->rows;
    double *x = vs__malloc(xn * p * sizeof(double));
    double *r = vs__malloc(p * p * sizeof(double));
    vs__fa_par_ws ws;
    int rc = vs__fa_par_ws_init(&ws, p);
    if (rc != VS_OK) {
        ws.buf = NULL;
        goto done;
    }
    ws.force_general = w->force_general;
    if (!x || !r) {
        rc = vs__nomem(where);
        goto done;
    }
    for (;;) {
        if (__atomic_load_n(&w->sh->stop, __ATOMIC_RELAXED)) break;
        size_t it = __atomic_fetch_add(&w->sh->next, 1, __ATOMIC_RELAXED);
        if (it >= iters) break;
        vs__rng g;
        vs__rng_seed(&g, w->seed, 0x7061726C6C656Cull + it);
        if (n > p + 1) {
            wishart_cor(r, x, n, p, &g);
        } else {
            for (size_t i = 0; i < n * p; i++) x[i] = vs__rng_normal(&g);
            rc = vs__fa_cor_raw(r, NULL, x, n, p, VS_FA_PAIRWISE, where);
            if (rc != VS_OK) break;
        }
        double *v = w->vals;
        rc = vs__fa_par_values(&ws, v + (1 * iters + it) * p, v + (0 * iters + it) * p, r, w->method);
        if (rc != VS_OK) break;
        if (!w->resample) continue;
        for (int attempt = 0;; attempt++) {
            if (w->xc) {
                rc = vs__fa_resample_cor(r, x, w->xc, d->rows, p, &g, where);
            } else {
                for (size_t j = 0; j < p; j++)
                    for (size_t t = 0; t < d->rows; t++) x[t * p + j] = d->x[vs__rng_below(&g, d->rows) * p + j];
                rc = vs__fa_cor_raw(r, NULL, x, d->rows, p, d->missing, where);
            }
            if (rc == VS_OK) break;
            if (rc != VS_EUNDEFINED || attempt >= 100) goto done;
        }
        rc = vs__fa_par_values(&ws, v + (3 * iters + it) * p, v + (2 * iters + it) * p, r, w->method);
        if (rc != VS_OK) break;
    }
done:
    if (rc != VS_OK) {
        snprintf(w->msg, sizeof w->msg, "%s", vs_last_error());
        __atomic_store_n(&w->sh->stop, 1, __ATOMIC_RELAXED);
    }
    w->rc = rc;
    if (ws.buf) vs__fa_par_ws_free(&ws);
    vs__free(x);
    vs__free(r);
    return NULL;
}

/* The complete raw data of d, column-major; NULL (no error) when a value
 * is missing or there are 2^32 rows or more, or on allocation failure (*nomem set). */
static double *centred_columns(const vs_fa_data *d, int *nomem) {
    size_t n = d->rows, p = d->p;
    *nomem = 0;
    if ((uint64_t)n > UINT32_MAX) return NULL; /* the fast resampler draws 32-bit indices */
    for (size_t i = 0; i < n * p; i++)
        if (isnan(d->x[i])) return NULL;
    double *xc = vs__malloc(n * p * sizeof(double));
    if (!xc) {
        *nomem = 1;
        return NULL;
    }
    for (size_t j = 0; j < p; j++)
        for (size_t t = 0; t < n; t++) xc[j * n + t] = d->x[t * p + j];
    return xc;
}

int vs_fa_parallel(size_t *out_nfactors, size_t *out_ncomponents, size_t *out_needed,
                   const vs_fa *fa, const vs_fa_data *d, double *buf, size_t cap) {
    static const char *where = "vs_fa_parallel";
    if (!fa || !d) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    size_t p = d->p, need = 6 * p;
    if (out_needed) *out_needed = need;
    if (cap < need) return vs__error(VS_EBUFSIZE, "%s: %zu doubles needed, %zu given", where, need, cap);
    if (!buf) return vs__error(VS_EINVAL, "%s: NULL buffer", where);
    if (!(d->n_obs >= 3)) return vs__error(VS_EUNDEFINED, "%s: the number of observations is unknown", where);
    return vs__fa_parallel_run(out_nfactors, out_ncomponents, fa, d, buf, 0);
}

int vs__fa_parallel_run(size_t *out_nfactors, size_t *out_ncomponents, const vs_fa *fa,
                        const vs_fa_data *d, double *buf, int force_general) {
    static const char *where = "vs_fa_parallel";
    size_t p = d->p;
    size_t n = (size_t)d->n_obs, iters = (size_t)fa->parallel_iter;
    int resample = d->x != NULL && d->cor_kind == VS_FA_COR_PEARSON;
    size_t nsets = resample ? 4 : 2;
    size_t nthreads = (size_t)fa->threads;
    if (nthreads > iters) nthreads = iters;
    if (nthreads < 1) nthreads = 1;
    double *vals = vs__malloc(nsets * iters * p * sizeof(double));
    double *tmp = vs__malloc((2 * p + (iters > nthreads ? iters : nthreads)) * sizeof(double));
    par_work *w = vs__calloc(nthreads, sizeof *w);
    pthread_t *tid = vs__calloc(nthreads, sizeof *tid);
    double *xc = NULL;
    int rc = VS_OK;
    if (!vals || !tmp || !w || !tid) {
        rc = vs__nomem(where);
        goto done;
    }
    if (resample && !force_general) {
        int nomem;
        xc = centred_columns(d, &nomem);
        if (nomem) {
            rc = vs__nomem(where);
            goto done;
        }
    }
    double *obs_fa = buf, *obs_pc = buf + p, *sim_fa = buf + 2 * p, *sim_pc = buf + 3 * p;
    double *res_fa = buf + 4 * p, *res_pc = buf + 5 * p;
    par_shared sh = {0, 0};
    for (size_t t = 0; t < nthreads; t++) {
        w[t].d = d;
        w[t].vals = vals;
        w[t].sh = &sh;
        w[t].n = n;
        w[t].p = p;
        w[t].iters = iters;
        w[t].method = (int)fa->method;
        w[t].resample = resample;
        w[t].xc = xc;
        w[t].force_general = force_general;
        w[t].seed = (uint64_t)fa->seed;
    }
    /* the other threads start on the iterations while this one computes the observed values, then
     * joins them; iterations a thread that could not be started would have run go to the others */
    unsigned char *started = (unsigned char *)(tmp + 2 * p); /* reuses the quantile scratch */
    for (size_t t = 1; t < nthreads; t++) started[t] = pthread_create(&tid[t], NULL, par_run, &w[t]) == 0;
    {
        /* the observed values by the general extraction (psych's optimiser, as vs_fa_fit) */
        vs__fa_par_ws ws;
        rc = vs__fa_par_ws_init(&ws, p);
        if (rc == VS_OK) {
            ws.force_general = 1;
            rc = vs__fa_par_values(&ws, obs_pc, obs_fa, d->r, (int)fa->method);
            vs__fa_par_ws_free(&ws);
        }
    }
    if (rc == VS_OK) par_run(&w[0]);
    else __atomic_store_n(&sh.stop, 1, __ATOMIC_RELAXED);
    for (size_t t = 1; t < nthreads; t++)
        if (started[t]) pthread_join(tid[t], NULL);
    if (rc != VS_OK) goto done;
    for (size_t t = 0; t < nthreads; t++)
        if (w[t].rc != VS_OK && rc == VS_OK) {
            rc = w[t].rc == VS_ENOMEM ? vs__nomem(where) : vs__error(w[t].rc, "%s", w[t].msg);
        }
    if (rc != VS_OK) goto done;
    {
        double q = fa->quantile;
        double *outs[4] = {sim_fa, sim_pc, res_fa, res_pc};
        double *col = tmp + 2 * p;
        for (size_t s = 0; s < 4; s++)
            for (size_t i = 0; i < p; i++) {
                if (s >= nsets) {
                    outs[s][i] = NAN;
                    continue;
                }
                const double *v = vals + s * iters * p;
                for (size_t it = 0; it < iters; it++) col[it] = v[it * p + i];
                outs[s][i] = vs__fa_quantile7(col, iters, q);
            }
        if (out_nfactors) *out_nfactors = count_above(obs_fa, sim_fa, p);
        if (out_ncomponents) *out_ncomponents = count_above(obs_pc, sim_pc, p);
    }
done:
    vs__free(xc);
    vs__free(vals);
    vs__free(tmp);
    vs__free(w);
    vs__free(tid);
    return rc;
}

int vs_fa_map(size_t *out_nfactors, size_t *out_needed, const vs_fa *fa, const vs_fa_data *d,
              double *buf, size_t cap) {
    static const char *where = "vs_fa_map";
    if (!fa || !d) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    size_t p = d->p;
    size_t m = (size_t)fa->map_max;
    if (m > p) m = p;
    if (m >= p) m = p - 1;
    if (out_needed) *out_needed = m;
    if (cap < m) return vs__error(VS_EBUFSIZE, "%s: %zu doubles needed, %zu given", where, m, cap);
    if (!buf) return vs__error(VS_EINVAL, "%s: NULL buffer", where);
    vs__fa_eig e;
    int rc = vs__fa_eig_init(&e, p);
    if (rc != VS_OK) return rc;
    double *c = vs__malloc(p * p * sizeof(double));
    if (!c) {
        vs__fa_eig_free(&e);
        return vs__nomem(where);
    }
    rc = vs__fa_eig_top(&e, d->r, p, 1);
    if (rc == VS_OK) {
        memcpy(c, d->r, p * p * sizeof(double));
        size_t best = 0;
        double bestv = INFINITY;
        int broken = 0;
        for (size_t f = 0; f < m; f++) {
            double lam = e.w[f];
            if (!(lam >= 0)) broken = 1; /* psych: sqrt of a negative eigenvalue, NaN from here on */
            if (broken) {
                buf[f] = NAN;
                continue;
            }
            double sq = lam;
            const double *v = e.z + f * p;
            for (size_t i = 0; i < p; i++)
                for (size_t j = 0; j < p; j++) c[i * p + j] -= sq * v[i] * v[j];
            double s = 0;
            for (size_t i = 0; i < p; i++)
                for (size_t j = 0; j < p; j++)
                    if (i != j) {
                        double rs = c[i * p + j] / sqrt(c[i * p + i]) / sqrt(c[j * p + j]);
                        s += rs * rs;
                    }
            buf[f] = s / ((double)p * (double)(p - 1));
            if (buf[f] < bestv) {
                bestv = buf[f];
                best = f + 1;
            }
        }
        if (out_nfactors) *out_nfactors = best;
    }
    vs__free(c);
    vs__fa_eig_free(&e);
    return rc;
}
