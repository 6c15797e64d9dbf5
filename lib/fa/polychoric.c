/* Polychoric correlations of ordinal items as psych::polychoric (2.2.9, defaults): values shifted
 * so that the smallest over all items is category 1 (at most 8 categories); each item's
 * thresholds qnorm of its cumulative category proportions. When every item has the same largest
 * category ("global"), each pair's full table (rows where both are present) is fitted with those
 * thresholds and no correction; otherwise psych's per-pair rule: empty rows and columns dropped,
 * zero cells replaced by 0.5 / n, thresholds from the table's own margins. rho maximises
 * sum n_ab log P_ab(rho) (P_ab: bivariate-normal rectangle probabilities), found as the root of
 * the score by safeguarded regula falsi to ~1e-12 (psych's optimize() stops within ~1e-4).
 * Smoothed as cor.smooth when not positive definite. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

#define MAX_CAT 8

/* bivariate normal distribution function with infinite arguments */
static double bvn_cdf(double h, double k, double r) {
    if (h == -INFINITY || k == -INFINITY) return 0;
    if (h == INFINITY && k == INFINITY) return 1;
    if (h == INFINITY) return 0.5 * erfc(-k / 1.4142135623730950488);
    if (k == INFINITY) return 0.5 * erfc(-h / 1.4142135623730950488);
    return vs__fa_bvn_lower(h, k, r);
}

static double bvn_pdf(double h, double k, double r) {
    if (!isfinite(h) || !isfinite(k)) return 0;
    double s = 1 - r * r;
    return exp(-(h * h - 2 * r * h * k + k * k) / (2 * s)) / (6.283185307179586476925 * sqrt(s));
}

/* score of the negative log-likelihood (derivative over rho) for table t (nr x nc, row-major)
 * with cuts a[0..nr] and b[0..nc] (a[0] = b[0] = -inf, a[nr] = b[nc] = +inf) */
static double poly_score(const double *t, size_t nr, size_t nc, const double *a, const double *b, double rho) {
    double s = 0;
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nc; j++) {
            double n = t[i * nc + j];
            if (n == 0) continue;
            double p = bvn_cdf(a[i + 1], b[j + 1], rho) - bvn_cdf(a[i], b[j + 1], rho) - bvn_cdf(a[i + 1], b[j], rho) +
                       bvn_cdf(a[i], b[j], rho);
            if (!(p > 0)) continue; /* psych: log P of P <= 0 is dropped */
            double dp = bvn_pdf(a[i + 1], b[j + 1], rho) - bvn_pdf(a[i], b[j + 1], rho) -
                        bvn_pdf(a[i + 1], b[j], rho) + bvn_pdf(a[i], b[j], rho);
            s -= n * dp / p;
        }
    return s;
}

typedef struct poly_ctx {
    const double *t, *a, *b;
    size_t nr, nc;
} poly_ctx;

static double poly_f(void *ctx, double rho) {
    const poly_ctx *c = ctx;
    return poly_score(c->t, c->nr, c->nc, c->a, c->b, rho);
}

static double poly_rho(const double *t, size_t nr, size_t nc, const double *a, const double *b) {
    poly_ctx c = {t, a, b, nr, nc};
    return vs__fa_root_increasing(poly_f, &c);
}

static double qnorm_cum(double c) {
    if (c <= 0) return -INFINITY;
    if (c >= 1) return INFINITY;
    return gsl_cdf_ugaussian_Pinv(c);
}

int vs__fa_cor_polychoric(double *r, const double *x, size_t rows, size_t p, int missing, int *smoothed,
                          const char *where) {
    *smoothed = 0;
    /* cat: rows x p category indices 0..K-1 (255 = missing); tau: p x (K + 1) cuts */
    unsigned char *cat = vs__malloc(rows * p + (rows ? rows : 1));
    double *tau = vs__malloc(p * (MAX_CAT + 1) * sizeof(double));
    int *maxc = vs__malloc(p * sizeof(int));
    if (!cat || !tau || !maxc) {
        vs__free(cat);
        vs__free(tau);
        vs__free(maxc);
        return vs__nomem(where);
    }
    unsigned char *keep = cat + rows * p;
    int rc = VS_OK;
    for (size_t t = 0; t < rows; t++) {
        keep[t] = 1;
        if (missing == VS_FA_LISTWISE)
            for (size_t j = 0; j < p; j++)
                if (isnan(x[t * p + j])) keep[t] = 0;
    }
    double gmin = INFINITY, gmax = -INFINITY;
    for (size_t t = 0; t < rows; t++)
        for (size_t j = 0; j < p; j++) {
            double v = x[t * p + j];
            if (!keep[t] || isnan(v)) continue;
            if (v != floor(v)) {
                rc = vs__error(VS_EINVAL, "%s: row %zu, column %zu: value %g, but polychoric correlations need integer categories",
                               where, t + 1, j + 1, v);
                goto out;
            }
            if (v < gmin) gmin = v;
            if (v > gmax) gmax = v;
        }
    if (gmin > gmax) {
        rc = vs__error(VS_EUNDEFINED, "%s: no values", where);
        goto out;
    }
    if (!(gmax - gmin + 1 <= MAX_CAT)) {
        rc = vs__error(VS_EINVAL, "%s: %g categories (%g to %g), at most %d for polychoric correlations", where,
                       gmax - gmin + 1, gmin, gmax, MAX_CAT);
        goto out;
    }
    size_t K = (size_t)(gmax - gmin) + 1;
    int global = 1;
    for (size_t j = 0; j < p; j++) {
        double cnt[MAX_CAT] = {0};
        size_t c = 0;
        int hi = -1, lo = MAX_CAT;
        for (size_t t = 0; t < rows; t++) {
            double v = x[t * p + j];
            if (!keep[t] || isnan(v)) {
                cat[t * p + j] = 255;
                continue;
            }
            int k = (int)(v - gmin);
            cat[t * p + j] = (unsigned char)k;
            cnt[k] += 1;
            c++;
            if (k > hi) hi = k;
            if (k < lo) lo = k;
        }
        if (c < 3 || hi == lo) {
            rc = vs__error(VS_EUNDEFINED, "%s: column %zu has %s", where, j + 1,
                           c < 3 ? "fewer than 3 values" : "only one value");
            goto out;
        }
        maxc[j] = hi;
        if (hi != maxc[0]) global = 0;
        double *tj = tau + j * (MAX_CAT + 1), cum = 0;
        tj[0] = -INFINITY;
        for (size_t k = 0; k + 1 < K; k++) {
            cum += cnt[k];
            tj[k + 1] = qnorm_cum(cum / (double)c);
        }
        tj[K] = INFINITY;
    }
    for (size_t i = 0; i < p; i++) {
        r[i * p + i] = 1.0;
        for (size_t j = 0; j < i; j++) {
            double tab[MAX_CAT * MAX_CAT] = {0}, tot = 0;
            for (size_t t = 0; t < rows; t++) {
                unsigned char a = cat[t * p + i], b = cat[t * p + j];
                if (a == 255 || b == 255) continue;
                tab[a * K + b] += 1;
                tot += 1;
            }
            if (tot < 3) {
                rc = vs__error(VS_EUNDEFINED, "%s: columns %zu and %zu have fewer than 3 rows in common", where,
                               j + 1, i + 1);
                goto out;
            }
            double v;
            if (global) {
                v = poly_rho(tab, K, K, tau + i * (MAX_CAT + 1), tau + j * (MAX_CAT + 1));
            } else {
                /* psych's per-pair rule */
                double t2[MAX_CAT * MAX_CAT], ca[MAX_CAT + 1], cb[MAX_CAT + 1];
                size_t ri[MAX_CAT], ci[MAX_CAT], nr = 0, nc = 0;
                for (size_t a = 0; a < K; a++) {
                    double s = 0;
                    for (size_t b = 0; b < K; b++) s += tab[a * K + b];
                    if (s > 0) ri[nr++] = a;
                }
                for (size_t b = 0; b < K; b++) {
                    double s = 0;
                    for (size_t a = 0; a < K; a++) s += tab[a * K + b];
                    if (s > 0) ci[nc++] = b;
                }
                if (nr < 2 || nc < 2) {
                    rc = vs__error(VS_EUNDEFINED, "%s: columns %zu and %zu: one of them is constant on their common rows",
                                   where, j + 1, i + 1);
                    goto out;
                }
                for (size_t a = 0; a < nr; a++)
                    for (size_t b = 0; b < nc; b++) {
                        double q = tab[ri[a] * K + ci[b]] / tot;
                        t2[a * nc + b] = q == 0 ? 0.5 / tot : q;
                    }
                double cum = 0;
                ca[0] = cb[0] = -INFINITY;
                for (size_t a = 0; a + 1 < nr; a++) {
                    for (size_t b = 0; b < nc; b++) cum += t2[a * nc + b];
                    ca[a + 1] = qnorm_cum(cum);
                }
                ca[nr] = INFINITY;
                cum = 0;
                for (size_t b = 0; b + 1 < nc; b++) {
                    for (size_t a = 0; a < nr; a++) cum += t2[a * nc + b];
                    cb[b + 1] = qnorm_cum(cum);
                }
                cb[nc] = INFINITY;
                v = poly_rho(t2, nr, nc, ca, cb);
            }
            r[i * p + j] = r[j * p + i] = v;
        }
    }
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
    vs__free(cat);
    vs__free(tau);
    vs__free(maxc);
    return rc;
}
