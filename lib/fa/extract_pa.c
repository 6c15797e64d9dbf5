/* Iterated principal axes as psych's fa(fm = "pa"): start with SMCs on the diagonal, replace the
 * diagonal by the communalities of the k leading eigenpairs until the total communality changes by
 * less than min_err (psych: 0.001, at most 50 iterations). Unbounded. */
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

int vs__fa_pa(vs__fa_extract *x, const double *smc) {
    size_t p = x->p, k = x->k;
    double min_err = x->tight ? 1e-13 * (double)p : 0.001;
    int64_t max_iter = x->max_iter;
    double *a = vs__malloc((p * p + 2 * p) * sizeof(double));
    if (!a) return vs__nomem("vs_fa_fit");
    double *diag = a + p * p, *prev = diag + p;
    vs__fa_eig e;
    int rc = vs__fa_eig_init(&e, p);
    if (rc != VS_OK) {
        vs__free(a);
        return rc;
    }
    memcpy(diag, smc, p * sizeof(double));
    double comm = 0;
    for (size_t i = 0; i < p; i++) comm += diag[i];
    double err = comm;
    int64_t it = 1;
    x->converged = 1;
    while (err > min_err) {
        memcpy(a, x->r, p * p * sizeof(double));
        for (size_t i = 0; i < p; i++) a[i * p + i] = diag[i];
        rc = vs__fa_eig_top(&e, a, k, 1);
        if (rc != VS_OK) goto out;
        for (size_t j = 0; j < k; j++)
            if (!(e.w[j] > 0)) {
                rc = vs__error(VS_ENUMERIC,
                               "vs_fa_fit: pa iteration %lld: eigenvalue %zu of the reduced matrix is %g (not positive)",
                               (long long)it, j + 1, e.w[j]);
                goto out;
            }
        double comm1 = 0;
        for (size_t i = 0; i < p; i++) {
            double h = 0;
            for (size_t j = 0; j < k; j++) {
                double l = e.z[j * p + i] * sqrt(e.w[j]);
                x->loadings[i * k + j] = l;
                h += l * l;
            }
            prev[i] = diag[i];
            diag[i] = h;
            comm1 += h;
        }
        err = fabs(comm - comm1);
        comm = comm1;
        it++;
        if (it > max_iter) {
            x->converged = err <= min_err;
            err = 0;
        }
    }
    x->iterations = it - 1;
    /* psych reports the eigenvalues of the matrix of the last iteration */
    rc = vs__fa_reduced_values(x->values, x->r, prev, p);
    if (rc != VS_OK) goto out;
    for (size_t i = 0; i < p; i++) x->psi[i] = 1.0 - diag[i];
    x->criterion = vs__fa_offdiag_residual_ss(x->r, x->loadings, p, k);
out:
    vs__fa_eig_free(&e);
    vs__free(a);
    return rc;
}

double vs__fa_offdiag_residual_ss(const double *r, const double *l, size_t p, size_t k) {
    double ss = 0;
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < i; j++) {
            double m = 0;
            for (size_t f = 0; f < k; f++) m += l[i * k + f] * l[j * k + f];
            double d = r[i * p + j] - m;
            ss += d * d;
        }
    return ss;
}
