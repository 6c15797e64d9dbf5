/* psych's promax: kaiser(L, "Promax") = rows divided by sqrt(h2), then Promax: varimax, target
 * Q = X |X|^(m-1), least-squares U = (X'X)^-1 X'Q, columns rescaled by sqrt(diag((U'U)^-1)),
 * Phi = U^-1 U^-1' for U = T_varimax U; rows rescaled back. Pattern = A * U. */
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

int vs__fa_promax(vs__fa_rotate *r, int kaiser, double eps, int64_t max_iter) {
    size_t p = r->p, k = r->k, pk = p * k, kk = k * k;
    double *buf = vs__malloc((3 * pk + p + 6 * kk) * sizeof(double));
    if (!buf) return vs__nomem("vs_fa_fit");
    double *x = buf, *xv = x + pk, *q = xv + pk, *sh = q + pk;
    double *tv = sh + p, *xtx = tv + kk, *u = xtx + kk, *utu = u + kk, *inv = utu + kk, *scr = inv + kk;
    int rc = VS_OK;
    for (size_t i = 0; i < p; i++) {
        double h = 0;
        for (size_t j = 0; j < k; j++) h += r->a[i * k + j] * r->a[i * k + j];
        sh[i] = kaiser && h > 0 ? sqrt(h) : 1.0;
        for (size_t j = 0; j < k; j++) x[i * k + j] = r->a[i * k + j] / sh[i];
    }
    rc = vs__fa_varimax(x, p, k, 1, eps, max_iter, xv, tv, &r->converged, &r->iterations);
    if (rc != VS_OK) goto out;
    double m = r->power;
    for (size_t i = 0; i < pk; i++) q[i] = xv[i] * pow(fabs(xv[i]), m - 1);
    vs__fa_mtm(xtx, xv, xv, p, k, k);
    vs__fa_mtm(u, xv, q, p, k, k);
    if (vs__fa_solve_small(xtx, k, u, k) != VS_OK) {
        rc = vs__error(VS_ENUMERIC, "vs_fa_fit: promax: singular least-squares problem");
        goto out;
    }
    vs__fa_mtm(utu, u, u, k, k, k);
    if (vs__fa_inverse_small(inv, utu, k, scr) != VS_OK) {
        rc = vs__error(VS_ENUMERIC, "vs_fa_fit: promax: the factors are exactly uncorrelated (singular U'U)");
        goto out;
    }
    for (size_t j = 0; j < k; j++) {
        double dj = inv[j * k + j];
        if (!(dj > 0)) {
            rc = vs__error(VS_ENUMERIC, "vs_fa_fit: promax: non-positive scaling");
            goto out;
        }
        for (size_t i = 0; i < k; i++) u[i * k + j] *= sqrt(dj);
    }
    vs__fa_mm(r->rotmat, tv, u, k, k, k);
    if (vs__fa_inverse_small(inv, r->rotmat, k, scr) != VS_OK) {
        rc = vs__error(VS_ENUMERIC, "vs_fa_fit: promax: singular rotation");
        goto out;
    }
    vs__fa_mmt(r->phi, inv, inv, k, k, k);
    vs__fa_mm(r->loadings, xv, u, p, k, k);
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < k; j++) r->loadings[i * k + j] *= sh[i];
out:
    vs__free(buf);
    return rc;
}
