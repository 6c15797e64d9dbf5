/* The psi-profiled least-squares (minres, uls) and maximum-likelihood objectives with their
 * analytic gradients (wls and gls: extract_wls.c, dispatched from here). Only the k largest eigenpairs are needed: for A = S - Psi the residual SS
 * is ||A||^2 - sum of the k squared leading eigenvalues; for A = Psi^-1/2 S Psi^-1/2 the ML
 * discrepancy is sum_{j>k} (e_j - log e_j - 1) = tr A - log det A - sum_{j<=k}(e_j - log e_j) - (p - k). */
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

#define EPS_CLAMP (100.0 * 2.220446049250313e-16)

int vs__fa_objctx_init(vs__fa_objctx *c, const double *r, size_t p, size_t k, int method) {
    memset(c, 0, sizeof *c);
    c->r = r;
    c->p = p;
    c->k = k;
    c->method = method;
    c->a = vs__malloc(p * p * sizeof(double));
    c->sd = vs__malloc(2 * p * sizeof(double));
    if (!c->a || !c->sd) {
        vs__free(c->a);
        vs__free(c->sd);
        c->a = c->sd = NULL;
        return vs__nomem("fa extraction");
    }
    int rc = vs__fa_eig_init(&c->eig, p);
    if (rc != VS_OK) {
        vs__free(c->a);
        vs__free(c->sd);
        c->a = c->sd = NULL;
        return rc;
    }
    double off = 0;
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++)
            if (i != j) off += r[i * p + j] * r[i * p + j];
    c->offss = off;
    memcpy(c->a, r, p * p * sizeof(double));
    c->r_pd = vs__fa_spd_logdet(c->a, p, &c->logdet_r) == VS_OK;
    if (method == VS_FA_ML && !c->r_pd) {
        vs__fa_objctx_free(c);
        return vs__error(VS_ENUMERIC, "vs_fa_fit: ml needs a positive definite correlation matrix");
    }
    if (method == VS_FA_WLS || method == VS_FA_GLS) {
        rc = vs__fa_wls_init(c);
        if (rc != VS_OK) {
            vs__fa_objctx_free(c);
            return rc;
        }
    }
    return VS_OK;
}

void vs__fa_objctx_free(vs__fa_objctx *c) {
    vs__fa_eig_free(&c->eig);
    vs__free(c->a);
    vs__free(c->work);
    vs__free(c->sd);
    vs__free(c->wt);
    vs__free(c->we);
    vs__free(c->wg);
    vs__free(c->wh);
    c->a = NULL;
    c->work = NULL;
    c->sd = NULL;
    c->wt = c->we = c->wg = c->wh = NULL;
}

/* minres' own objective f = sum_{i>j} (S* - P)_ij^2 with P = V_k L_k V_k' and its exact gradient
 * from first-order eigen-perturbation (needs all eigenpairs):
 * df/dpsi_m = -(V_k V_k' D V_k V_k')_mm - 2 sum_{j<=k} l_j v_mj sum_{l>k} v_ml (v_l' D v_j) / (l_j - l_l),
 * with D = diag(diag(S* - P)). Used when a bound is active, where minres and uls differ. */
static double minres_exact(vs__fa_objctx *c, const double *psi, double *grad, int *status) {
    size_t p = c->p, k = c->k;
    memcpy(c->a, c->r, p * p * sizeof(double));
    for (size_t i = 0; i < p; i++) c->a[i * p + i] = 1.0 - psi[i];
    int rc = vs__fa_eig_top(&c->eig, c->a, p, 1);
    if (rc != VS_OK) {
        *status = rc;
        return NAN;
    }
    const double *w = c->eig.w, *z = c->eig.z;
    double *d = c->work, *cj = d + p, *u = cj + p;
    double tail = 0, dd = 0;
    for (size_t l = k; l < p; l++) tail += w[l] * w[l];
    for (size_t i = 0; i < p; i++) {
        double s = 0;
        for (size_t j = 0; j < k; j++) s += w[j] * z[j * p + i] * z[j * p + i];
        d[i] = 1.0 - psi[i] - s;
        dd += d[i] * d[i];
        grad[i] = 0;
    }
    for (size_t j = 0; j < k; j++) {
        /* cj[l] = v_l' D v_j for all l */
        for (size_t l = 0; l < p; l++) {
            double s = 0;
            for (size_t i = 0; i < p; i++) s += z[l * p + i] * d[i] * z[j * p + i];
            cj[l] = s;
        }
        /* u = sum_{l>k} v_l cj[l] / (l_j - l_l); t = sum_{l<=k} v_l cj[l] */
        for (size_t i = 0; i < p; i++) u[i] = 0;
        for (size_t l = k; l < p; l++) {
            double f = cj[l] / (w[j] - w[l]);
            for (size_t i = 0; i < p; i++) u[i] += f * z[l * p + i];
        }
        for (size_t i = 0; i < p; i++) {
            double t = 0;
            for (size_t l = 0; l < k; l++) t += z[l * p + i] * cj[l];
            grad[i] += -z[j * p + i] * t - 2.0 * w[j] * z[j * p + i] * u[i];
        }
    }
    double f = 0.5 * (tail - dd);
    return f < 0 ? 0 : f;
}

/* Fills c->a with the matrix whose leading eigenpairs define the model and computes them. */
static int eig_at(vs__fa_objctx *c, const double *psi) {
    size_t p = c->p;
    double shift = 0, *sc = c->sd, *off = c->sd + p;
    if (c->method == VS_FA_ML || c->method == VS_FA_MINCHI) { /* minchi: psych's FAout loadings */
        for (size_t i = 0; i < p; i++) sc[i] = 1.0 / sqrt(psi[i]);
        if (c->r_pd) return vs__fa_eig_top_warm(&c->eig, c->r, c->k, 0.0, sc, NULL);
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < p; j++) c->a[i * p + j] = c->r[i * p + j] * sc[i] * sc[j];
    } else {
        for (size_t i = 0; i < p; i++) {
            off[i] = -psi[i]; /* R has a unit diagonal: R - Psi */
            if (psi[i] > shift) shift = psi[i]; /* R - Psi + max(psi) I is PSD when R is */
        }
        if (c->r_pd) return vs__fa_eig_top_warm(&c->eig, c->r, c->k, shift, NULL, off);
        memcpy(c->a, c->r, p * p * sizeof(double));
        for (size_t i = 0; i < p; i++) c->a[i * p + i] = 1.0 - psi[i];
    }
    return vs__fa_eig_top(&c->eig, c->a, c->k, 1);
}

double vs__fa_objective(void *ctx, const double *psi, double *grad, int *status) {
    vs__fa_objctx *c = ctx;
    if (c->method == VS_FA_WLS || c->method == VS_FA_GLS || c->method == VS_FA_MINCHI)
        return vs__fa_wls_objective(c, psi, grad, status);
    if (c->exact_minres) return minres_exact(c, psi, grad, status);
    size_t p = c->p, k = c->k;
    int rc = eig_at(c, psi);
    if (rc != VS_OK) {
        *status = rc;
        return NAN;
    }
    const double *w = c->eig.w, *z = c->eig.z;
    if (c->method == VS_FA_ML) {
        double tr = 0, slog = 0;
        for (size_t i = 0; i < p; i++) {
            tr += 1.0 / psi[i];
            slog += log(psi[i]);
        }
        double f = tr - (c->logdet_r - slog) - (double)(p - k);
        for (size_t j = 0; j < k; j++) {
            if (!(w[j] > 0)) return INFINITY;
            f -= w[j] - log(w[j]);
        }
        for (size_t i = 0; i < p; i++) {
            double s = 0;
            for (size_t j = 0; j < k; j++) {
                double e = w[j] - 1.0;
                if (e > 0) s += e * z[j * p + i] * z[j * p + i];
            }
            grad[i] = (psi[i] * s + psi[i] - 1.0) / (psi[i] * psi[i]);
        }
        return f;
    }
    /* f = ||A - V L V'||^2 summed directly (no cancellation) */
    double f = 0;
    double lc[64];
    int small_k = k <= 64;
    if (small_k)
        for (size_t j = 0; j < k; j++) lc[j] = w[j] < 2.220446049250313e-16 ? EPS_CLAMP : w[j];
    if (small_k) {
        for (size_t i = 0; i < p; i++) {
            double zi[64];
            for (size_t j = 0; j < k; j++) zi[j] = lc[j] * z[j * p + i];
            double fi = 0;
            for (size_t l = 0; l < i; l++) {
                double m = 0;
                for (size_t j = 0; j < k; j++) m += zi[j] * z[j * p + l];
                double e = c->r[i * p + l] - m;
                fi += e * e;
            }
            f += 2 * fi;
        }
    } else {
        f = c->offss;
        for (size_t j = 0; j < k; j++) {
            double l2 = w[j] < 2.220446049250313e-16 ? EPS_CLAMP : w[j];
            f += l2 * l2 - 2.0 * l2 * w[j];
        }
        for (size_t i = 0; i < p; i++) f += (1.0 - psi[i]) * (1.0 - psi[i]);
    }
    for (size_t i = 0; i < p; i++) {
        double s = 0;
        for (size_t j = 0; j < k; j++) {
            double lcj = w[j] < 2.220446049250313e-16 ? EPS_CLAMP : w[j];
            s += lcj * z[j * p + i] * z[j * p + i];
        }
        grad[i] = -2.0 * (1.0 - psi[i] - s);
        if (small_k) f += (1.0 - psi[i] - s) * (1.0 - psi[i] - s);
    }
    return f < 0 ? 0 : f;
}

int vs__fa_loadings_at(vs__fa_objctx *c, const double *psi, double *l, double *criterion) {
    size_t p = c->p, k = c->k;
    int rc = eig_at(c, psi);
    if (rc != VS_OK) return rc;
    const double *w = c->eig.w, *z = c->eig.z;
    int ml = c->method == VS_FA_ML || c->method == VS_FA_MINCHI;
    for (size_t j = 0; j < k; j++) {
        double s;
        if (ml) s = w[j] > 1 ? sqrt(w[j] - 1) : 0;
        else s = w[j] > 0 ? sqrt(w[j]) : 0;
        for (size_t i = 0; i < p; i++) l[i * k + j] = z[j * p + i] * s * (ml ? sqrt(psi[i]) : 1.0);
    }
    if (criterion) {
        if (c->method == VS_FA_WLS || c->method == VS_FA_GLS || c->method == VS_FA_MINCHI) {
            int st = VS_OK;
            double f = vs__fa_wls_objective(c, psi, NULL, &st);
            if (st != VS_OK) return st;
            *criterion = f;
        } else if (c->method == VS_FA_ML) {
            double g0;
            int st = VS_OK;
            double *tmp = vs__malloc(p * sizeof(double));
            if (!tmp) return vs__nomem("fa extraction");
            g0 = vs__fa_objective(c, psi, tmp, &st);
            vs__free(tmp);
            if (st != VS_OK) return st;
            *criterion = g0;
        } else {
            /* residual of S* = S with diag 1 - psi against the model L L' (psych's fit.residuals) */
            double full = 0, lower = 0;
            for (size_t i = 0; i < p; i++)
                for (size_t j = 0; j <= i; j++) {
                    double m = 0;
                    for (size_t f = 0; f < k; f++) {
                        double lc = w[f] < 2.220446049250313e-16 ? EPS_CLAMP : w[f];
                        m += lc * z[f * p + i] * z[f * p + j];
                    }
                    double s = i == j ? 1.0 - psi[i] : c->r[i * p + j];
                    double e = (s - m) * (s - m);
                    if (i == j) full += e;
                    else {
                        full += 2 * e;
                        lower += e;
                    }
                }
            *criterion = c->method == VS_FA_ULS ? full : lower;
        }
    }
    return VS_OK;
}
