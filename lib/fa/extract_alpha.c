/* Alpha factor analysis (Kaiser & Caffrey 1965) as psych's fa(fm = "alpha"): communalities H2
 * start at the SMCs; each iteration rescales R with diagonal H2 to a correlation matrix
 * (D^-1/2 (R - I + diag H2) D^-1/2, D = diag H2), takes its k leading eigenpairs L = V sqrt(lambda),
 * and sets H2 <- H2 * diag(L L'), until sum |change| < min_err (psych: 0.001, at most 50
 * iterations). The loadings are then sqrt(H2_i) * L_ij with the last L and the last H2 (psych's
 * order of updates, kept for parity). */
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

int vs__fa_alpha(vs__fa_extract *x, const double *smc) {
    size_t p = x->p, k = x->k;
    double min_err = x->tight ? 1e-13 * (double)p : 0.001;
    double *a = vs__malloc((p * p + 3 * p) * sizeof(double));
    if (!a) return vs__nomem("vs_fa_fit");
    double *h2 = a + p * p, *nh2 = h2 + p, *sq = nh2 + p;
    vs__fa_eig e;
    int rc = vs__fa_eig_init(&e, p);
    if (rc != VS_OK) {
        vs__free(a);
        return rc;
    }
    memcpy(h2, smc, p * sizeof(double));
    double err = 0;
    for (size_t i = 0; i < p; i++) err += h2[i];
    int64_t it = 1;
    x->converged = 1;
    while (err > min_err) {
        for (size_t i = 0; i < p; i++) {
            if (!(h2[i] > 0) || !isfinite(h2[i])) {
                rc = vs__error(VS_ENUMERIC, "vs_fa_fit: alpha iteration %lld: communality %zu is %g (not positive)",
                               (long long)it, i + 1, h2[i]);
                goto out;
            }
            sq[i] = sqrt(h2[i]);
        }
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < p; j++) a[i * p + j] = i == j ? 1.0 : x->r[i * p + j] / (sq[i] * sq[j]);
        rc = vs__fa_eig_top(&e, a, k, 1);
        if (rc != VS_OK) goto out;
        for (size_t j = 0; j < k; j++)
            if (!(e.w[j] > 0)) {
                rc = vs__error(VS_ENUMERIC,
                               "vs_fa_fit: alpha iteration %lld: eigenvalue %zu of the rescaled matrix is %g (not positive)",
                               (long long)it, j + 1, e.w[j]);
                goto out;
            }
        err = 0;
        for (size_t i = 0; i < p; i++) {
            double h = 0;
            for (size_t j = 0; j < k; j++) {
                double l = e.z[j * p + i] * sqrt(e.w[j]);
                x->loadings[i * k + j] = l;
                h += l * l;
            }
            nh2[i] = h2[i] * h;
            err += fabs(h2[i] - nh2[i]);
        }
        memcpy(h2, nh2, p * sizeof(double));
        it++;
        if (it > x->max_iter) {
            x->converged = err <= min_err;
            err = 0;
        }
    }
    x->iterations = it - 1;
    for (size_t i = 0; i < p; i++) {
        double s = sqrt(h2[i]), h = 0;
        for (size_t j = 0; j < k; j++) {
            x->loadings[i * k + j] *= s;
            h += x->loadings[i * k + j] * x->loadings[i * k + j];
        }
        x->psi[i] = 1.0 - h;
        sq[i] = h;
    }
    rc = vs__fa_reduced_values(x->values, x->r, sq, p);
    if (rc != VS_OK) goto out;
    x->criterion = vs__fa_offdiag_residual_ss(x->r, x->loadings, p, k);
out:
    vs__fa_eig_free(&e);
    vs__free(a);
    return rc;
}
