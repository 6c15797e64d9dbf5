/* Tetrachoric correlations of binary items as psych::tetrachoric (2.2.9, defaults): each item's
 * threshold tau = -qnorm(mean) from all its values present ("global"); for each pair the 2 x 2
 * table of the rows where both are present, zero cells replaced by 0.5 ("correct"), and rho the
 * maximiser of the bivariate-normal likelihood sum n_ab log P_ab(rho) with the thresholds fixed.
 * P_00 is increasing in rho and the negative log-likelihood convex in P_00, so its derivative
 * (P_00' = the bivariate normal density) has one root, found by safeguarded bisection/secant to
 * ~1e-12 (psych's optimize() stops within ~1e-4). A matrix that is not positive definite is
 * smoothed as psych's cor.smooth. The bivariate normal distribution function and the root finder
 * are bivariate.c's. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

static double phi_cdf(double x) { return 0.5 * erfc(-x / 1.4142135623730950488); }

/* d/drho of the negative log-likelihood, up to the positive factor of the density:
 * -(n00 / P00 - n10 / P10 - n01 / P01 + n11 / P11); increasing in rho */
static double score(const double n[4], double ti, double tj, double rho, double pi0, double pj0) {
    double p00 = vs__fa_bvn_lower(ti, tj, rho);
    double p10 = pj0 - p00, p01 = pi0 - p00, p11 = 1 - pi0 - pj0 + p00;
    if (p00 < 1e-300) p00 = 1e-300;
    if (p10 < 1e-300) p10 = 1e-300;
    if (p01 < 1e-300) p01 = 1e-300;
    if (p11 < 1e-300) p11 = 1e-300;
    return -(n[0] / p00 - n[1] / p10 - n[2] / p01 + n[3] / p11);
}

typedef struct tetra_ctx {
    const double *n;
    double ti, tj, pi0, pj0;
} tetra_ctx;

static double tetra_f(void *ctx, double rho) {
    const tetra_ctx *c = ctx;
    return score(c->n, c->ti, c->tj, rho, c->pi0, c->pj0);
}

/* the tetrachoric correlation of a 2 x 2 table n = {n00, n10, n01, n11} (first index item i)
 * given the thresholds ti, tj */
double vs__fa_tetrachoric_pair(const double n_in[4], double ti, double tj) {
    double n[4];
    memcpy(n, n_in, sizeof n);
    double tot = n[0] + n[1] + n[2] + n[3];
    int zero = n[0] == 0 || n[1] == 0 || n[2] == 0 || n[3] == 0;
    if (tot > 1 && zero)
        for (int c = 0; c < 4; c++)
            if (n[c] == 0) n[c] = 0.5; /* psych's correct = 0.5 */
    tetra_ctx c = {n, ti, tj, phi_cdf(ti), phi_cdf(tj)};
    return vs__fa_root_increasing(tetra_f, &c);
}

int vs__fa_cor_tetrachoric(double *r, const double *x, size_t rows, size_t p, int missing, int *smoothed,
                           const char *where) {
    *smoothed = 0;
    double *lowv = vs__malloc(2 * p * sizeof(double));
    unsigned char *keep = vs__malloc(rows ? rows : 1);
    if (!lowv || !keep) {
        vs__free(lowv);
        vs__free(keep);
        return vs__nomem(where);
    }
    double *tau = lowv + p;
    int rc = VS_OK;
    size_t used = 0;
    for (size_t t = 0; t < rows; t++) {
        keep[t] = 1;
        if (missing == VS_FA_LISTWISE)
            for (size_t j = 0; j < p; j++)
                if (isnan(x[t * p + j])) keep[t] = 0;
        used += keep[t];
    }
    if (used < 3) {
        rc = vs__error(VS_ERANGE, "%s: %zu complete rows, at least 3 needed", where, used);
        goto out;
    }
    /* each item: two values m and m + 1 (psych subtracts the minimum and requires max <= 1) */
    for (size_t j = 0; j < p; j++) {
        double lo = INFINITY, s = 0;
        size_t c = 0;
        for (size_t t = 0; t < rows; t++)
            if (keep[t] && !isnan(x[t * p + j]) && x[t * p + j] < lo) lo = x[t * p + j];
        for (size_t t = 0; t < rows; t++) {
            double v = x[t * p + j];
            if (!keep[t] || isnan(v)) continue;
            if (v != lo && v != lo + 1) {
                rc = vs__error(VS_EINVAL, "%s: row %zu, column %zu: value %g, but tetrachoric correlations need two values %g and %g",
                               where, t + 1, j + 1, v, lo, lo + 1);
                goto out;
            }
            s += v - lo;
            c++;
        }
        if (c < 3 || s == 0 || s == (double)c) {
            rc = vs__error(VS_EUNDEFINED, "%s: column %zu has %s", where, j + 1,
                           c < 3 ? "fewer than 3 values" : "only one value");
            goto out;
        }
        lowv[j] = lo;
        tau[j] = -gsl_cdf_ugaussian_Pinv(s / (double)c);
    }
    for (size_t i = 0; i < p; i++) {
        r[i * p + i] = 1.0;
        for (size_t j = 0; j < i; j++) {
            double n[4] = {0, 0, 0, 0};
            for (size_t t = 0; t < rows; t++) {
                double a = x[t * p + i], b = x[t * p + j];
                if (!keep[t] || isnan(a) || isnan(b)) continue;
                n[(a != lowv[i]) + 2 * (b != lowv[j])] += 1;
            }
            double tot = n[0] + n[1] + n[2] + n[3];
            if (tot < 3) {
                rc = vs__error(VS_EUNDEFINED, "%s: columns %zu and %zu have fewer than 3 rows in common", where,
                               j + 1, i + 1);
                goto out;
            }
            double v = vs__fa_tetrachoric_pair(n, tau[i], tau[j]);
            r[i * p + j] = r[j * p + i] = v;
        }
    }
    /* psych's tetrachoric(smooth = TRUE): cor.smooth when the smallest eigenvalue < epsilon */
    {
        vs__fa_eig e;
        rc = vs__fa_eig_init(&e, p);
        if (rc != VS_OK) goto out;
        rc = vs__fa_eig_top(&e, r, p, 0);
        double mn = rc == VS_OK ? e.w[p - 1] : 0;
        vs__fa_eig_free(&e);
        if (rc != VS_OK) goto out;
        if (mn < 2.220446049250313e-16) {
            rc = vs__fa_cor_smooth(r, p);
            *smoothed = rc == VS_OK;
        }
    }
out:
    vs__free(lowv);
    vs__free(keep);
    return rc;
}
