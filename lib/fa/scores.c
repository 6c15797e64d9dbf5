/* Factor score weights and scores (psych's factor.scores): regression (Thurstone)
 * W = R^-1 (L Phi); Bartlett W = U^-2 L (L' U^-2 L)^-1 with U^2 = 1 - diag(L Phi L');
 * tenBerge W = R^-1/2 C Phi^1/2 with C = R^-1/2 L* (L*' R^-1 L*)^-1/2, L* = L Phi^1/2 (R^-1 of
 * cor.smooth(R)); Anderson-Rubin W = U^-2 L (L' U^-2 R U^-2 L)^-1/2. Matrix square roots as
 * psych's matSqrt (negative eigenvalues -> machine epsilon) and invMatSqrt (eigenvalues below
 * epsilon -> 100 epsilon);
 * scores = standardised data (column mean and sd with n - 1 over the values present) times W. */
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

/* out (n x n) = V f(D) V' for symmetric a = V D V': f = sqrt (inv = 0) or 1/sqrt (inv = 1) */
static int sym_sqrt(double *out, const double *a, size_t n, int inv) {
    vs__fa_eig e;
    int rc = vs__fa_eig_init(&e, n);
    if (rc != VS_OK) return rc;
    rc = vs__fa_eig_top(&e, a, n, 1);
    if (rc == VS_OK) {
        const double eps = 2.220446049250313e-16;
        for (size_t j = 0; j < n; j++) {
            double v = e.w[j];
            if (inv) e.w[j] = 1.0 / sqrt(v < eps ? 100 * eps : v);
            else e.w[j] = sqrt(v < 0 ? eps : v);
        }
        for (size_t i = 0; i < n; i++)
            for (size_t l = 0; l <= i; l++) {
                double s = 0;
                for (size_t j = 0; j < n; j++) s += e.z[j * n + i] * e.w[j] * e.z[j * n + l];
                out[i * n + l] = out[l * n + i] = s;
            }
    }
    vs__fa_eig_free(&e);
    return rc;
}

static int tenberge(double *w, const double *r, const double *l, const double *phi, size_t p, size_t k) {
    double *buf = vs__malloc((2 * p * p + 3 * p * k + 3 * k * k) * sizeof(double));
    if (!buf) return vs__nomem("fa score weights");
    double *r5 = buf, *ri = r5 + p * p, *ls = ri + p * p, *t = ls + p * k, *c = t + p * k;
    double *sphi = c + p * k, *m = sphi + k * k, *mi = m + k * k;
    int rc = sym_sqrt(sphi, phi, k, 0);
    if (rc == VS_OK) rc = sym_sqrt(r5, r, p, 1);
    if (rc != VS_OK) goto out;
    vs__fa_mm(ls, l, sphi, p, k, k); /* L* = L Phi^1/2 */
    memcpy(ri, r, p * p * sizeof(double));
    if (vs__fa_spd_inverse(ri, p, NULL) != VS_OK) {
        memcpy(ri, r, p * p * sizeof(double));
        rc = vs__fa_cor_smooth(ri, p);
        if (rc != VS_OK) goto out;
        if (vs__fa_spd_inverse(ri, p, NULL) != VS_OK) {
            rc = vs__error(VS_ENUMERIC, "fa score weights: tenBerge needs an invertible correlation matrix");
            goto out;
        }
    }
    vs__fa_mm(t, ri, ls, p, p, k);
    vs__fa_mtm(m, ls, t, p, k, k); /* L*' R^-1 L* */
    rc = sym_sqrt(mi, m, k, 1);
    if (rc != VS_OK) goto out;
    vs__fa_mm(t, r5, ls, p, p, k);
    vs__fa_mm(c, t, mi, p, k, k); /* C */
    vs__fa_mm(t, r5, c, p, p, k);
    vs__fa_mm(w, t, sphi, p, k, k);
out:
    vs__free(buf);
    return rc;
}

static int anderson(double *w, const double *r, const double *l, const double *phi, size_t p, size_t k) {
    double *buf = vs__malloc((3 * p * k + 2 * k * k) * sizeof(double));
    if (!buf) return vs__nomem("fa score weights");
    double *lp = buf, *ul = lp + p * k, *t = ul + p * k, *m = t + p * k, *mi = m + k * k;
    int rc = VS_OK;
    vs__fa_mm(lp, l, phi, p, k, k);
    for (size_t i = 0; i < p; i++) {
        double h = 0;
        for (size_t j = 0; j < k; j++) h += lp[i * k + j] * l[i * k + j];
        double u2 = 1.0 - h;
        if (!(u2 != 0) || !isfinite(1.0 / u2)) {
            vs__free(buf);
            return vs__error(VS_ENUMERIC, "fa score weights: Anderson weights need uniquenesses != 0 (variable %zu)", i + 1);
        }
        for (size_t j = 0; j < k; j++) ul[i * k + j] = l[i * k + j] / u2;
    }
    vs__fa_mm(t, r, ul, p, p, k);
    vs__fa_mtm(m, ul, t, p, k, k); /* L' U^-2 R U^-2 L */
    rc = sym_sqrt(mi, m, k, 1);
    if (rc == VS_OK) vs__fa_mm(w, ul, mi, p, k, k);
    vs__free(buf);
    return rc;
}

int vs__fa_weights(double *w, const double *r, const double *rinv, const double *l, const double *phi,
                   size_t p, size_t k, int method) {
    int rc = VS_OK;
    if (method == VS_FA_SCORES_TENBERGE) return tenberge(w, r, l, phi, p, k);
    if (method == VS_FA_SCORES_ANDERSON) return anderson(w, r, l, phi, p, k);
    if (method == VS_FA_SCORES_REGRESSION && rinv) {
        double *s = vs__malloc(p * k * sizeof(double));
        if (!s) return vs__nomem("fa score weights");
        vs__fa_mm(s, l, phi, p, k, k);
        vs__fa_mm(w, rinv, s, p, p, k);
        vs__free(s);
        return VS_OK;
    }
    if (method == VS_FA_SCORES_REGRESSION) {
        /* solve(R, L Phi) by LU (R may be indefinite, as psych's solve allows) */
        double *a = vs__malloc((p * p + 2 * p * k) * sizeof(double));
        lapack_int *ipiv = vs__malloc(p * sizeof(lapack_int));
        if (!a || !ipiv) {
            vs__free(a);
            vs__free(ipiv);
            return vs__nomem("fa score weights");
        }
        double *s = a + p * p, *bt = s + p * k;
        memcpy(a, r, p * p * sizeof(double)); /* symmetric: the same in either layout */
        vs__fa_mm(s, l, phi, p, k, k);
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < k; j++) bt[j * p + i] = s[i * k + j]; /* column-major */
        lapack_int info = LAPACKE_dgesv_work(LAPACK_COL_MAJOR, (lapack_int)p, (lapack_int)k, a,
                                             (lapack_int)p, ipiv, bt, (lapack_int)p);
        if (info != 0) {
            rc = vs__error(VS_ENUMERIC, "fa score weights: the correlation matrix is singular");
        } else {
            for (size_t i = 0; i < p; i++)
                for (size_t j = 0; j < k; j++) w[i * k + j] = bt[j * p + i];
        }
        vs__free(a);
        vs__free(ipiv);
        return rc;
    }
    if (method == VS_FA_SCORES_BARTLETT) {
        double *buf = vs__malloc((2 * p * k + 2 * k * k + p) * sizeof(double));
        if (!buf) return vs__nomem("fa score weights");
        double *lp = buf, *ul = lp + p * k, *m = ul + p * k, *mi = m + k * k, *u2 = mi + k * k;
        vs__fa_mm(lp, l, phi, p, k, k);
        for (size_t i = 0; i < p; i++) {
            double h = 0;
            for (size_t j = 0; j < k; j++) h += lp[i * k + j] * l[i * k + j];
            u2[i] = 1.0 - h;
            if (!(u2[i] != 0) || !isfinite(1.0 / u2[i])) {
                vs__free(buf);
                return vs__error(VS_ENUMERIC, "fa score weights: Bartlett weights need uniquenesses != 0 (variable %zu)", i + 1);
            }
            for (size_t j = 0; j < k; j++) ul[i * k + j] = l[i * k + j] / u2[i];
        }
        vs__fa_mtm(m, l, ul, p, k, k); /* L' U^-2 L */
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++) mi[i * k + j] = i == j ? 1.0 : 0.0;
        if (vs__fa_solve_small(m, k, mi, k) != VS_OK) {
            vs__free(buf);
            return vs__error(VS_ENUMERIC, "fa score weights: L' U^-2 L is singular");
        }
        vs__fa_mm(w, ul, mi, p, k, k);
        vs__free(buf);
        return VS_OK;
    }
    return vs__error(VS_EINVAL, "fa score weights: unknown method %d", method);
}

int vs__fa_column_moments(double *mean, double *sd, const double *x, size_t rows, size_t p) {
    for (size_t j = 0; j < p; j++) {
        double s = 0;
        size_t c = 0;
        for (size_t t = 0; t < rows; t++)
            if (!isnan(x[t * p + j])) {
                s += x[t * p + j];
                c++;
            }
        if (c < 2) return vs__error(VS_EUNDEFINED, "fa scores: column %zu has fewer than 2 values", j + 1);
        double m = s / (double)c, ss = 0;
        for (size_t t = 0; t < rows; t++)
            if (!isnan(x[t * p + j])) ss += (x[t * p + j] - m) * (x[t * p + j] - m);
        mean[j] = m;
        sd[j] = sqrt(ss / (double)(c - 1));
        if (!(sd[j] > 0)) return vs__error(VS_EUNDEFINED, "fa scores: column %zu is constant", j + 1);
    }
    return VS_OK;
}

void vs__fa_apply_scores(double *out, const double *x, size_t rows, size_t p, const double *mean, const double *sd,
                         const double *w, size_t k) {
    for (size_t t = 0; t < rows; t++) {
        for (size_t f = 0; f < k; f++) out[t * k + f] = 0;
        for (size_t j = 0; j < p; j++) {
            double z = (x[t * p + j] - mean[j]) / sd[j];
            for (size_t f = 0; f < k; f++) out[t * k + f] += z * w[j * k + f];
        }
    }
}
