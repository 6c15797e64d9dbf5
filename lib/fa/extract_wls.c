/* psych's weighted (wls) and generalised (gls) least-squares objectives over psi (psych 2.2.9's
 * fit.residuals) and their exact gradients.
 *
 * S* = R with diagonal 1 - psi = V diag(lambda) V' (all eigenpairs, decreasing), the model is
 * M = sum_{j<k} mu_j v_j v_j' with mu_j = lambda_j, raised to 100 eps when below eps (as psych),
 * and E = S* - M. wls: f = sum_il d_i d_l E_il^2 with d = 1 / diag(R^-1); gls: f = ||R^-1 E||^2
 * = <R^-2 E, E>. With G = df/dE (symmetric: 2 d_i d_l E_il, resp. R^-2 E + E R^-2) and
 * d(S*)/d(psi_m) = -e_m e_m', first-order eigen-perturbation gives
 *   df/dpsi_m = -G_mm + sum_{j<k, free} h_jj v_jm^2 + sum_{j<l<k} 2 c_jl h_lj v_jm v_lm
 *               + sum_{j<k<=l} 2 mu_j / (lambda_j - lambda_l) h_lj v_jm v_lm,
 * h_lj = v_l' G v_j, c_jl = 1 when neither mu is raised, else (mu_j - mu_l) / (lambda_j - lambda_l);
 * "free" = mu_j not raised. (psych itself hands optim the ML gradient for these objectives.) */
#include <float.h>
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

int vs__fa_wls_init(vs__fa_objctx *c) {
    size_t p = c->p, k = c->k;
    int gls = c->method == VS_FA_GLS;
    double *rinv = vs__malloc(p * p * sizeof(double));
    c->wt = vs__malloc((gls ? p * p : p) * sizeof(double));
    c->we = vs__malloc(p * p * sizeof(double));
    c->wg = vs__malloc(p * p * sizeof(double));
    c->wh = vs__malloc(2 * p * k * sizeof(double));
    c->work = vs__malloc(p * sizeof(double));
    if (!rinv || !c->wt || !c->we || !c->wg || !c->wh || !c->work) {
        vs__free(rinv);
        return vs__nomem("vs_fa_fit");
    }
    memcpy(rinv, c->r, p * p * sizeof(double));
    int rc = vs__fa_sym_inverse(rinv, p);
    if (rc == VS_ENOMEM) {
        vs__free(rinv);
        return vs__nomem("vs_fa_fit");
    }
    if (rc != VS_OK) {
        vs__free(rinv);
        return vs__error(VS_ENUMERIC, "vs_fa_fit: %s needs an invertible correlation matrix",
                         gls ? "gls" : "wls");
    }
    /* singular as R's solve() judges it: reciprocal 1-norm condition number below machine epsilon */
    double n1 = 0, n1i = 0;
    for (size_t j = 0; j < p; j++) {
        double s1 = 0, s2 = 0;
        for (size_t i = 0; i < p; i++) {
            s1 += fabs(c->r[i * p + j]);
            s2 += fabs(rinv[i * p + j]);
        }
        if (s1 > n1) n1 = s1;
        if (!(s2 <= n1i)) n1i = s2; /* NaN propagates */
    }
    if (!(n1 * n1i < 1.0 / DBL_EPSILON)) {
        vs__free(rinv);
        return vs__error(VS_ENUMERIC, "vs_fa_fit: %s needs an invertible correlation matrix (condition number %g)",
                         gls ? "gls" : "wls", n1 * n1i);
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < i; j++) { /* symmetrise the LU inverse */
            double v = 0.5 * (rinv[i * p + j] + rinv[j * p + i]);
            rinv[i * p + j] = rinv[j * p + i] = v;
        }
    rc = VS_OK;
    if (gls) {
        vs__fa_mm(c->wt, rinv, rinv, p, p, p);
    } else {
        for (size_t i = 0; i < p; i++) {
            double v = rinv[i * p + i];
            if (!(v > 0) || !isfinite(v)) {
                rc = vs__error(VS_ENUMERIC, "vs_fa_fit: wls: diagonal %zu of R^-1 is not positive", i + 1);
                break;
            }
            c->wt[i] = 1.0 / v;
        }
    }
    for (size_t i = 0; i < p * p && rc == VS_OK; i++)
        if (!isfinite(rinv[i])) rc = vs__error(VS_ENUMERIC, "vs_fa_fit: %s: R^-1 is not finite", gls ? "gls" : "wls");
    vs__free(rinv);
    return rc;
}

double vs__fa_wls_objective(vs__fa_objctx *c, const double *psi, double *grad, int *status) {
    size_t p = c->p, k = c->k;
    int gls = c->method == VS_FA_GLS;
    double *a = c->a, *e = c->we, *g = c->wg, *gv = c->wh, *h = c->wh + p * k, *mu = c->work;
    memcpy(a, c->r, p * p * sizeof(double));
    for (size_t i = 0; i < p; i++) a[i * p + i] = 1.0 - psi[i];
    int rc = vs__fa_eig_top(&c->eig, a, p, 1);
    if (rc != VS_OK) {
        *status = rc;
        return NAN;
    }
    const double *w = c->eig.w, *z = c->eig.z;
    for (size_t j = 0; j < k; j++) mu[j] = w[j] < DBL_EPSILON ? 100 * DBL_EPSILON : w[j];
    /* E = S* - V_k diag(mu) V_k' (a is untouched by the eigensolver, which works on a copy) */
    for (size_t i = 0; i < p; i++)
        for (size_t l = 0; l <= i; l++) {
            double m = 0;
            for (size_t j = 0; j < k; j++) m += mu[j] * z[j * p + i] * z[j * p + l];
            e[i * p + l] = e[l * p + i] = a[i * p + l] - m;
        }
    double f = 0;
    if (gls) {
        vs__fa_mm(g, c->wt, e, p, p, p); /* T = R^-2 E */
        for (size_t i = 0; i < p * p; i++) f += g[i] * e[i];
        for (size_t i = 0; i < p; i++) /* G = T + T' */
            for (size_t l = 0; l <= i; l++) {
                double v = g[i * p + l] + g[l * p + i];
                g[i * p + l] = g[l * p + i] = v;
            }
    } else if (c->method == VS_FA_MINCHI) { /* wt: pairwise counts, zero diagonal (extract_minchi.c) */
        for (size_t i = 0; i < p * p; i++) {
            double v = c->wt[i] * e[i];
            f += v * e[i];
            g[i] = 2.0 * v;
        }
    } else {
        const double *d = c->wt;
        for (size_t i = 0; i < p; i++)
            for (size_t l = 0; l < p; l++) {
                double v = d[i] * d[l] * e[i * p + l];
                f += v * e[i * p + l];
                g[i * p + l] = 2.0 * v;
            }
    }
    if (!isfinite(f)) {
        *status = vs__error(VS_ENUMERIC, "vs_fa_fit: %s objective is not finite",
                            gls ? "gls" : c->method == VS_FA_MINCHI ? "minchi" : "wls");
        return NAN;
    }
    if (!grad) return f;
    /* gv = G V_k (p x k), h = V' G V_k (p x k): h[l * k + j] = v_l' G v_j */
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < k; j++) {
            double s = 0;
            for (size_t l = 0; l < p; l++) s += g[i * p + l] * z[j * p + l];
            gv[i * k + j] = s;
        }
    for (size_t l = 0; l < p; l++)
        for (size_t j = 0; j < k; j++) {
            double s = 0;
            for (size_t i = 0; i < p; i++) s += z[l * p + i] * gv[i * k + j];
            h[l * k + j] = s;
        }
    for (size_t m = 0; m < p; m++) grad[m] = -g[m * p + m];
    for (size_t j = 0; j < k; j++) {
        int free_j = w[j] >= DBL_EPSILON;
        const double *vj = z + j * p;
        if (free_j)
            for (size_t m = 0; m < p; m++) grad[m] += h[j * k + j] * vj[m] * vj[m];
        for (size_t l = j + 1; l < p; l++) {
            double gap = w[j] - w[l], coef;
            if (l < k) {
                int free_l = w[l] >= DBL_EPSILON;
                if (free_j && free_l) coef = 1.0;
                else coef = gap > 0 ? (mu[j] - mu[l]) / gap : 0.0;
            } else {
                coef = gap > 0 ? mu[j] / gap : 0.0;
            }
            double t = 2.0 * coef * h[l * k + j];
            if (t == 0) continue;
            const double *vl = z + l * p;
            for (size_t m = 0; m < p; m++) grad[m] += t * vj[m] * vl[m];
        }
    }
    return f;
}
