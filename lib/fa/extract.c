/* Extraction driver: SMC start and seeded random starts for minres/uls/ml/wls/gls (best criterion kept),
 * principal axes, psych's sign convention, eigenvalues of the reduced matrix. */
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

static void sign_columns(double *l, size_t p, size_t k) {
    for (size_t j = 0; j < k; j++) {
        double s = 0;
        for (size_t i = 0; i < p; i++) s += l[i * k + j];
        if (s < 0)
            for (size_t i = 0; i < p; i++) l[i * k + j] = -l[i * k + j];
    }
}

static void make_start(double *psi, const double *smc, size_t p, int64_t s, uint64_t seed, int method) {
    if (s == 0) { /* psych: 1 - SMC; for wls and gls psych starts at psi = SMC itself */
        int wls = method == VS_FA_WLS || method == VS_FA_GLS || method == VS_FA_MINCHI;
        for (size_t i = 0; i < p; i++) psi[i] = wls ? smc[i] : 1.0 - smc[i];
        return;
    }
    vs__rng g;
    vs__rng_seed(&g, seed, (uint64_t)s);
    if (s % 2 == 1) {
        for (size_t i = 0; i < p; i++) psi[i] = 0.02 + 0.96 * vs__rng_uniform(&g);
    } else {
        for (size_t i = 0; i < p; i++) {
            double v = (1.0 - smc[i]) * exp(0.6 * vs__rng_normal(&g));
            psi[i] = v < 0.01 ? 0.01 : v > 0.99 ? 0.99 : v;
        }
    }
}

int vs__fa_extract_run(vs__fa_extract *x) {
    size_t p = x->p, k = x->k;
    double *smc = vs__malloc(3 * p * sizeof(double));
    if (!smc) return vs__nomem("vs_fa_fit");
    double *psi = smc + p, *best = psi + p;
    int rc = VS_OK;
    if (x->rinv) {
        for (size_t i = 0; i < p; i++) {
            double v = 1.0 - 1.0 / x->rinv[i * p + i];
            smc[i] = !isfinite(v) ? 1.0 : v > 1 ? 1 : v < 0 ? 0 : v;
        }
    } else {
        rc = vs__fa_smc(smc, x->r, p);
        if (rc != VS_OK) goto out;
    }
    if (x->method == VS_FA_PA || x->method == VS_FA_ALPHA) {
        rc = x->method == VS_FA_PA ? vs__fa_pa(x, smc) : vs__fa_alpha(x, smc);
        x->best_start = 0;
        if (rc != VS_OK) goto out;
    } else {
        vs__fa_objctx c;
        rc = vs__fa_objctx_init(&c, x->r, p, k, x->method);
        if (rc != VS_OK) goto out;
        if (x->method == VS_FA_MINCHI) {
            rc = vs__fa_minchi_init(&c, x->np, x->n_obs);
            if (rc != VS_OK) {
                vs__fa_objctx_free(&c);
                goto out;
            }
        }
        double best_crit = INFINITY;
        int have = 0;
        for (int64_t s = 0; s < x->starts; s++) {
            make_start(psi, smc, p, s, (uint64_t)x->seed, x->method);
            vs__fa_optim o;
            memset(&o, 0, sizeof o);
            o.n = p;
            o.m = 8;
            o.lower = VS_FA_PSI_LOWER;
            o.upper = 1.0;
            o.gtol = x->method == VS_FA_ML ? 1e-9 : 1e-11;
            o.max_iter = x->max_iter;
            c.exact_minres = 0;
            rc = vs__fa_optim_run(&o, vs__fa_objective, &c, psi);
            if (rc != VS_OK) break;
            /* minres with a bound active: continue on minres' own objective */
            int active = 0;
            for (size_t i = 0; i < p; i++) active |= psi[i] <= VS_FA_PSI_LOWER * (1 + 1e-9);
            if (x->method == VS_FA_MINRES && active) {
                if (!c.work) {
                    c.work = vs__malloc(3 * p * sizeof(double));
                    if (!c.work) {
                        rc = vs__nomem("vs_fa_fit");
                        break;
                    }
                }
                int64_t it0 = o.iterations;
                c.exact_minres = 1;
                o.gtol = 1e-12;
                rc = vs__fa_optim_run(&o, vs__fa_objective, &c, psi);
                c.exact_minres = 0;
                o.iterations += it0;
                if (rc != VS_OK) break;
            }
            double crit;
            rc = vs__fa_loadings_at(&c, psi, x->loadings, &crit);
            if (rc != VS_OK) break;
            /* keep the first start unless another is better beyond rounding */
            if (!have || crit < best_crit - 1e-12 * fabs(best_crit)) {
                have = 1;
                best_crit = crit;
                memcpy(best, psi, p * sizeof(double));
                x->converged = o.converged;
                x->iterations = o.iterations;
                x->best_start = s;
            }
        }
        if (rc == VS_OK) rc = vs__fa_loadings_at(&c, best, x->loadings, &x->criterion);
        vs__fa_objctx_free(&c);
        if (rc != VS_OK) goto out;
        memcpy(x->psi, best, p * sizeof(double));
        /* eigenvalues of R with the communalities on the diagonal */
        for (size_t i = 0; i < p; i++) {
            double h = 0;
            for (size_t j = 0; j < k; j++) h += x->loadings[i * k + j] * x->loadings[i * k + j];
            psi[i] = h;
        }
        rc = vs__fa_reduced_values(x->values, x->r, psi, p);
        if (rc != VS_OK) goto out;
    }
    for (size_t i = 0; i < p * k; i++)
        if (!isfinite(x->loadings[i])) {
            rc = vs__error(VS_ENUMERIC, "vs_fa_fit: the extraction produced non-finite loadings");
            goto out;
        }
    sign_columns(x->loadings, p, k);
out:
    vs__free(smc);
    return rc;
}
