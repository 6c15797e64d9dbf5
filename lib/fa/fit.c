/* Fit statistics as psych's fa.stats: model S = L Phi L' with unit diagonal,
 * F = tr(S^-1 R) - log det(S^-1 R) - p, Bartlett-corrected chi-square, df, p value, RMSEA with
 * its interval (non-central chi-square quantiles by Brent's root finder, R's uniroot tolerance in
 * psych mode), TLI, BIC, RMSR (pairwise-count weighted for raw input as psych), null model.
 * Matrices that are not positive definite are smoothed as psych's cor.smooth. */
#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

/* ---- the non-central chi-square CDF
 *
 * P(X <= q) for X ~ chi^2(f, lambda) is the Poisson mixture sum_j w_j P_j with
 * w_j = e^-mu mu^j / j! (mu = lambda / 2) and P_j = P(chi^2_{f + 2j} <= q) = P(f/2 + j, x),
 * the regularised lower incomplete gamma function at x = q / 2. Both factors obey first-order
 * recurrences:
 *     w_{j-1} = w_j j / mu,
 *     P(a - 1, x) = P(a, x) + d(a - 1),   d(a) = x^a e^-x / Gamma(a + 1),   d(a - 1) = d(a) a / x,
 * so one incomplete gamma evaluation and one d(a) anchor the whole series. The walk starts at
 * the top of the Poisson window (the mode plus the tail until the mass beyond is below 1e-30) and
 * runs downwards: every update then adds non-negative numbers (the upward direction
 * P(a + 1) = P(a) - d(a) would cancel), and it stops once the terms below are bounded by 1e-17
 * of the sum (or 1e-300): by the Poisson mass below times P_0 = P(f/2, x) >= P_j. The cost is O(sqrt(mu)) multiply-adds plus one incomplete gamma
 * function, in place of one incomplete gamma function per term. The anchors d(a) and w_j are
 * computed from the saddle-point form (Loader 2000): m^a e^-m / Gamma(a + 1)
 * = exp(-bd0(a, m)) / (Gamma*(a) sqrt(2 pi a)), bd0(a, m) = a log(a / m) + m - a summed by its
 * series where a ~ m, Gamma* the Stirling-scaled gamma function; so the anchors keep full
 * relative precision where lgamma would lose ~log10(a) digits. R's pnchisq (Ding's algorithm
 * walking up from j = 0, absolute error bound 1e-12) is the reference: tests/check_fa_pnchisq.c. */

/* bd0(x, m) = x log(x / m) + m - x >= 0, without cancellation for x ~ m: with d = x - m,
 * v = d / (x + m), bd0 = d v + 2 x (v^3 / 3 + v^5 / 5 + ...). */
static double bd0(double x, double m) {
    double d = x - m;
    if (fabs(d) < 0.1 * (x + m)) {
        double v = d / (x + m), v2 = v * v, s = d * v, e = 2 * x * v;
        for (int i = 1; i < 1000; i++) {
            e *= v2;
            double s1 = s + e / (2 * i + 1);
            if (s1 == s) return s;
            s = s1;
        }
        return s;
    }
    return x * log(x / m) + m - x;
}

/* log(m^a e^-m / Gamma(a + 1)) for a >= 0, m > 0 */
static double log_dpois(double a, double m) {
    if (a == 0) return -m;
    if (a < 10) return a * log(m) - m - gsl_sf_lngamma(a + 1);
    gsl_sf_result gs;
    if (gsl_sf_gammastar_e(a, &gs) != GSL_SUCCESS) return a * log(m) - m - gsl_sf_lngamma(a + 1);
    return -bd0(a, m) - log(gs.val) - 0.5 * log(2 * M_PI * a);
}

/* the regularised lower incomplete gamma function; NAN when GSL cannot evaluate it. For a > 1e6
 * GSL's series can fail ("error in large x asymptotic"), and its error handler aborts the process
 * even through the _e functions; there the Wilson-Hilferty normal form is used (relative error
 * O(1 / a), below 1e-6 there; such shape parameters only come from chi-squares of ~1e8 whose
 * RMSEA interval is meaningless anyway). */
static double inc_gamma_p(double a, double x) {
    if (a > 1e6) {
        double z = (cbrt(x / a) - 1 + 1 / (9 * a)) * 3 * sqrt(a);
        return gsl_cdf_ugaussian_P(z);
    }
    gsl_sf_result r;
    int st = x < a ? gsl_sf_gamma_inc_P_e(a, x, &r) : gsl_sf_gamma_inc_Q_e(a, x, &r);
    if (st != GSL_SUCCESS && st != GSL_EUNDRFLW) return NAN;
    if (st == GSL_EUNDRFLW) r.val = 0;
    return x < a ? r.val : 1.0 - r.val;
}

double vs__fa_pnchisq(double q, double df, double ncp) {
    if (isnan(q) || isnan(df) || isnan(ncp) || df < 0 || ncp < 0) return NAN;
    double mu = ncp / 2;
    if (!(q > 0)) return df == 0 ? exp(-mu) : 0.0; /* chi^2_0 is a point mass at 0 */
    if (isinf(q)) return 1.0;
    double x = q / 2, f2 = df / 2;
    if (mu == 0) return f2 == 0 ? 1.0 : inc_gamma_p(f2, x);
    /* the top of the Poisson window: from the mode upwards until the mass beyond is < 1e-30
     * (the tail beyond j is below w_j rho / (1 - rho), rho = mu / (j + 1) < 1) */
    double j = floor(mu);
    double w = exp(log_dpois(j, mu));
    for (;;) {
        double rho = mu / (j + 1);
        if (rho < 1 && w * rho / (1 - rho) < 1e-30) break;
        w *= rho;
        j += 1;
    }
    /* anchors at j: P_j = P(a, x) and d = D(a - 1), the term P_{j-1} adds; d is carried in log
     * form while it is below 1e-280 (it cannot overflow: D(a) <= 1 for a >= 0) */
    double a = f2 + j;
    double pj = a == 0 ? 1.0 : inc_gamma_p(a, x);
    if (isnan(pj)) return NAN;
    double ld = j >= 1 ? log_dpois(a - 1, x) : -INFINITY, d = exp(ld);
    /* while D is below 1e-280 it is held as ds * exp(ls) (ds rescaled to 1 when it leaves
     * [1e-250, 1e250]) and d = 0; it returns once ds exceeds thr = 1e-280 / exp(ls) */
    int inlog = !(d > 1e-280);
    double ds = 1, ls = ld, thr = inlog ? exp(-644.7 - ls) : 0;
    if (inlog) d = 0;
    double sum = 0, p0 = NAN;
    for (;;) {
        sum += w * pj;
        if (j == 0) break;
        if (j < mu) {
            /* the terms below j add at most (Poisson mass below j) * P_0, the mass is under
             * w rho / (1 - rho), and P_0 = P(f/2, x) is the largest P_i */
            if (isnan(p0)) p0 = f2 == 0 ? 1.0 : inc_gamma_p(f2, x);
            double rho = j / mu, rest = w * rho / (1 - rho) * p0;
            if (rest <= 1e-17 * sum || rest < 1e-300 || w == 0) break;
        }
        /* step to j - 1: P_{j-1} = P_j + D(a - 1); then D(a - 2) = D(a - 1) (a - 1) / x */
        pj += d;
        if (pj > 1) pj = 1;
        w *= j / mu;
        j -= 1;
        a -= 1;
        if (j < 1) continue;
        double r = a / x;
        if (!inlog) {
            double nd = d * r;
            if (nd > 1e-280) d = nd;
            else {
                inlog = 1;
                ds = 1;
                ls = log(d) + log(r);
                thr = exp(-644.7 - ls);
                d = 0;
            }
        } else {
            ds *= r;
            if (ds > thr) {
                d = exp(ls + log(ds));
                inlog = 0;
            } else if (ds > 1e250 || ds < 1e-250) {
                ls += log(ds);
                ds = 1;
                thr = exp(-644.7 - ls);
            }
        }
    }
    return sum > 1 ? 1.0 : sum;
}

/* Brent's root finder (zeroin) on [a, b] with f(a), f(b) of opposite signs, absolute tolerance
 * tol; the same iteration as R's uniroot. Returns 0 on success. */
typedef struct ncx_target {
    double q, df, target;
} ncx_target;

static double ncx_f(const ncx_target *t, double x) { return vs__fa_pnchisq(t->q, t->df, x) - t->target; }

static int zeroin(double *root, const ncx_target *t, double a, double b, double tol) {
    double fa = ncx_f(t, a), fb = ncx_f(t, b);
    if (fa == 0) {
        *root = a;
        return 0;
    }
    if (fb == 0) {
        *root = b;
        return 0;
    }
    if ((fa > 0) == (fb > 0)) return -1;
    double c = a, fc = fa;
    for (int it = 0; it < 1000; it++) {
        double prev = b - a;
        if (fabs(fc) < fabs(fb)) {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        double tol_act = 2 * DBL_EPSILON * fabs(b) + tol / 2;
        double step = (c - b) / 2;
        if (fabs(step) <= tol_act || fb == 0) {
            *root = b;
            return 0;
        }
        if (fabs(prev) >= tol_act && fabs(fa) > fabs(fb)) {
            double p, q, cb = c - b;
            if (a == c) {
                double t1 = fb / fa;
                p = cb * t1;
                q = 1.0 - t1;
            } else {
                double qq = fa / fc, t1 = fb / fc, t2 = fb / fa;
                p = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1.0));
                q = (qq - 1.0) * (t1 - 1.0) * (t2 - 1.0);
            }
            if (p > 0) q = -q;
            else p = -p;
            if (p < (0.75 * cb * q - fabs(tol_act * q) / 2) && p < fabs(prev * q / 2)) step = p / q;
        }
        if (fabs(step) < tol_act) step = step > 0 ? tol_act : -tol_act;
        a = b;
        fa = fb;
        b += step;
        fb = ncx_f(t, b);
        if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
            c = a;
            fc = fa;
        }
    }
    *root = b;
    return 0;
}

/* psych's RMSEA interval: the non-centrality lambda with P(chi^2(df, lambda) <= chi) = alpha/2
 * (upper) and 1 - alpha/2 (lower) by uniroot on [0, max(n, chi) + 2n] (R's tolerance in psych
 * mode), sqrt(lambda / (n - 1) / df); 0 where the central CDF is already below the target, NAN
 * where the root is not found or falls on the wrong side of the point estimate. */
void vs__fa_rmsea_ci(double chi, double df, double n, double alpha, int tight, double *lower,
                     double *upper) {
    double v = chi / (df * n) - 1 / (n - 1);
    double rmsea = sqrt(v > 0 ? v : 0);
    double tail = alpha / 2;
    double hi = (n > chi ? n : chi) + 2 * n;
    double tol = tight ? 1e-12 : pow(DBL_EPSILON, 0.25);
    double pc = gsl_cdf_chisq_P(chi, df);
    double up = 0, lo = 0, root;
    if (pc > tail) {
        ncx_target t = {chi, df, tail};
        if (zeroin(&root, &t, 0, hi, tol) == 0) up = sqrt(root / (n - 1) / df);
        else up = rmsea <= 0 ? 0 : NAN;
    }
    if (pc > 1 - tail) {
        ncx_target t = {chi, df, 1 - tail};
        if (zeroin(&root, &t, 0, hi, tol) == 0) lo = sqrt(root / (n - 1) / df);
        else lo = NAN;
    }
    if (!isnan(up) && up < rmsea) up = NAN;
    if (!isnan(lo) && lo > rmsea) lo = NAN;
    *lower = lo;
    *upper = up;
}

/* psych's cor.smooth in place: eigenvalues below 1e-12 set to 1e-10, rescaled to sum p,
 * recomposed and rescaled to unit diagonal. */
int vs__fa_cor_smooth(double *a, size_t p) {
    vs__fa_eig e;
    int rc = vs__fa_eig_init(&e, p);
    if (rc != VS_OK) return rc;
    rc = vs__fa_eig_top(&e, a, p, 1);
    if (rc == VS_OK) {
        double tot = 0;
        for (size_t j = 0; j < p; j++) {
            if (e.w[j] < 1e-12) e.w[j] = 100 * 1e-12;
            tot += e.w[j];
        }
        for (size_t j = 0; j < p; j++) e.w[j] *= (double)p / tot;
        for (size_t i = 0; i < p; i++)
            for (size_t l = 0; l <= i; l++) {
                double s = 0;
                for (size_t j = 0; j < p; j++) s += e.z[j * p + i] * e.w[j] * e.z[j * p + l];
                a[i * p + l] = a[l * p + i] = s;
            }
        for (size_t i = 0; i < p; i++)
            for (size_t l = 0; l < p; l++)
                if (i != l) a[i * p + l] /= sqrt(a[i * p + i] * a[l * p + l]);
        for (size_t i = 0; i < p; i++) a[i * p + i] = 1.0;
    }
    vs__fa_eig_free(&e);
    return rc;
}

/* Inverse and log det of a correlation-like matrix, smoothing first when it is not positive
 * definite. `work` is p x p scratch. */
static int inverse_smoothed(double *inv, double *logdet, const double *a, size_t p, int *smoothed) {
    memcpy(inv, a, p * p * sizeof(double));
    if (vs__fa_spd_inverse(inv, p, logdet) == VS_OK) return VS_OK;
    memcpy(inv, a, p * p * sizeof(double));
    int rc = vs__fa_cor_smooth(inv, p);
    if (rc != VS_OK) return rc;
    if (smoothed) *smoothed = 1;
    if (vs__fa_spd_inverse(inv, p, logdet) != VS_OK)
        return vs__error(VS_ENUMERIC, "vs_fa_fit: the smoothed matrix is still not positive definite");
    return VS_OK;
}

/* F = tr(M^-1 R) - log det(M^-1 R) - p for M = L0 L0' + U^2 (U^2 = 1 - h^2 > 0) by Woodbury:
 * M^-1 = U^-2 - B K^-1 B', B = U^-2 L0, K = I + L0' U^-2 L0; log det M = sum log U^2 + log det K.
 * Returns VS_ENUMERIC (no message) when not applicable. */
static int objective_woodbury(double *f, const double *r, const double *l0, size_t p, size_t k,
                              double logdet_r) {
    double *buf = vs__malloc((2 * p * k + 2 * k * k + p) * sizeof(double));
    if (!buf) return VS_ENOMEM;
    double *b = buf, *rb = b + p * k, *kk = rb + p * k, *m = kk + k * k, *u2 = m + k * k;
    int rc = VS_OK;
    double tr = 0, ldu = 0;
    for (size_t i = 0; i < p; i++) {
        double h = 0;
        for (size_t j = 0; j < k; j++) h += l0[i * k + j] * l0[i * k + j];
        u2[i] = 1.0 - h;
        if (!(u2[i] > 1e-8)) {
            rc = VS_ENUMERIC;
            goto out;
        }
        ldu += log(u2[i]);
        tr += r[i * p + i] / u2[i];
        for (size_t j = 0; j < k; j++) b[i * k + j] = l0[i * k + j] / u2[i];
    }
    vs__fa_mtm(kk, l0, b, p, k, k);
    for (size_t j = 0; j < k; j++) kk[j * k + j] += 1.0;
    vs__fa_mm(rb, r, b, p, p, k);
    vs__fa_mtm(m, b, rb, p, k, k); /* B' R B */
    double ldk;
    memcpy(rb, kk, k * k * sizeof(double));
    if (vs__fa_spd_logdet(rb, k, &ldk) != VS_OK || vs__fa_solve_small(kk, k, m, k) != VS_OK) {
        rc = VS_ENUMERIC;
        goto out;
    }
    for (size_t j = 0; j < k; j++) tr -= m[j * k + j]; /* tr(K^-1 B'RB) */
    *f = tr - logdet_r + (ldu + ldk) - (double)p;
out:
    vs__free(buf);
    return rc;
}

int vs__fa_fit_stats(vs__fa_fitstats *s, const vs_fa_data *d, const double *l, const double *phi,
                     const double *unrot, size_t k, int tight, double alpha, const double *r_inv,
                     double logdet_r) {
    size_t p = d->p;
    double pp = (double)p, kd = (double)k, n = d->n_obs;
    double *buf = vs__malloc((3 * p * p + p * k) * sizeof(double));
    if (!buf) return vs__nomem("vs_fa_fit");
    double *model = buf, *minv = model + p * p, *rinv = minv + p * p, *lp = rinv + p * p;
    vs__fa_mm(lp, l, phi, p, k, k);
    vs__fa_mmt(model, lp, l, p, k, p);
    int rc = VS_OK;
    double df = pp * (pp - 1) / 2 - pp * kd + kd * (kd - 1) / 2;
    s->df = df;
    s->null_df = pp * (pp - 1) / 2;
    /* RMSR */
    double off = 0, nh = n;
    if (d->np) {
        double hsum = 0;
        for (size_t i = 0; i < p * p; i++) hsum += 1.0 / d->np[i];
        nh = (double)(p * p) / hsum;
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < p; j++)
                if (i != j) {
                    double e = d->r[i * p + j] - model[i * p + j];
                    off += e * e * d->np[i * p + j];
                }
        s->rmsr = sqrt(off / (nh * pp * (pp - 1)));
    } else {
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < p; j++)
                if (i != j) {
                    double e = d->r[i * p + j] - model[i * p + j];
                    off += e * e;
                }
        s->rmsr = sqrt(off / (pp * (pp - 1)));
    }
    /* psych's empirical statistics: chi from the off-diagonal residuals (weighted by the pairwise
     * counts for raw data, else times n), at the harmonic mean count nh */
    s->sabic = s->ebic = s->esabic = s->crms = NAN;
    if (df > 0) {
        s->crms = sqrt(off / (2 * (d->np ? nh : 1) * df));
        if (nh > 0) {
            double echi = d->np ? off : off * nh;
            s->ebic = echi - df * log(nh);
            s->esabic = echi - df * log((nh + 2) / 24);
        }
    }
    /* F = tr(M^-1 R) - log det(M^-1 R) - p with diag(M) = diag(R) */
    for (size_t i = 0; i < p; i++) model[i * p + i] = 1.0;
    s->smoothed = 0;
    double ldm = 0, ldr = 0;
    int wrc = r_inv ? objective_woodbury(&s->objective, d->r, unrot, p, k, logdet_r) : VS_ENUMERIC;
    if (wrc == VS_ENOMEM) {
        rc = vs__nomem("vs_fa_fit");
        goto out;
    }
    if (wrc == VS_OK) {
        ldr = logdet_r;
        goto stats;
    }
    int sm = 0;
    rc = inverse_smoothed(minv, &ldm, model, p, &sm);
    if (rc != VS_OK) goto out;
    int smr = 0;
    rc = inverse_smoothed(rinv, &ldr, d->r, p, &smr);
    if (rc != VS_OK) goto out;
    s->smoothed = smr;
    {
        /* the (possibly smoothed) R is needed for tr(M^-1 R): rebuild it when smoothed */
        const double *rr = d->r;
        if (smr) {
            memcpy(model, d->r, p * p * sizeof(double));
            rc = vs__fa_cor_smooth(model, p);
            if (rc != VS_OK) goto out;
            rr = model;
        }
        double tr = 0;
        for (size_t i = 0; i < p * p; i++) tr += minv[i] * rr[i];
        s->objective = tr - (ldr - ldm) - pp;
    }
stats:;
    double f0 = -ldr; /* tr(R) = p */
    s->chi_square = s->p_value = s->rmsea = s->rmsea_lower = s->rmsea_upper = NAN;
    s->tli = s->bic = s->null_chi_square = NAN;
    if (n > 0) {
        double nm = (n - 1) - (2 * pp + 5) / 6 - 2 * kd / 3;
        double chi = s->objective * nm;
        if (chi < 0) chi = 0;
        s->chi_square = chi;
        s->null_chi_square = f0 * ((n - 1) - (2 * pp + 5) / 6);
        if (df > 0) {
            s->p_value = gsl_cdf_chisq_Q(chi, df);
            double mm = s->objective / df, m0 = f0 * 2 / (pp * (pp - 1));
            s->tli = (m0 - mm) / (m0 - 1 / nm);
            double v = chi / (df * n) - 1 / (n - 1);
            double rmsea = sqrt(v > 0 ? v : 0);
            s->rmsea = rmsea;
            vs__fa_rmsea_ci(chi, df, n, alpha, tight, &s->rmsea_lower, &s->rmsea_upper);
            s->bic = chi - df * log(n);
            s->sabic = chi - df * log((n + 2) / 24);
        }
    }
out:
    vs__free(buf);
    return rc;
}
