/* Input of the fa module: Pearson correlations of raw data (listwise or pairwise deletion,
 * NaN = missing) or a correlation/covariance matrix with its sample size; validation. */
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

static vs_fa_data *data_new(size_t p) {
    vs_fa_data *d = vs__calloc(1, sizeof *d);
    if (!d) return NULL;
    d->p = p;
    d->r = vs__malloc(p * p * sizeof(double));
    if (!d->r) {
        vs__free(d);
        return NULL;
    }
    return d;
}

void vs_fa_data_free(vs_fa_data *d) {
    if (!d) return;
    vs__free(d->r);
    vs__free(d->x);
    vs__free(d->np);
    vs__free(d);
}

size_t vs_fa_data_variable_count(const vs_fa_data *d) { return d ? d->p : 0; }

double vs_fa_data_nobs(const vs_fa_data *d) { return d ? d->n_obs : 0; }

/* Dot product with four accumulators. */
static double dot(const double *a, const double *b, size_t n) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t t = 0;
    for (; t + 4 <= n; t += 4) {
        s0 += a[t] * b[t];
        s1 += a[t + 1] * b[t + 1];
        s2 += a[t + 2] * b[t + 2];
        s3 += a[t + 3] * b[t + 3];
    }
    for (; t < n; t++) s0 += a[t] * b[t];
    return (s0 + s1) + (s2 + s3);
}

/* Correlations of complete data given column-major centred columns xc (p columns of n). */
int vs__fa_cor_complete(double *r, double *xc, size_t n, size_t p, const char *where) {
    for (size_t j = 0; j < p; j++) {
        double *c = xc + j * n;
        double ss = dot(c, c, n);
        if (!(ss > 0))
            return vs__error(VS_EUNDEFINED, "%s: column %zu is constant", where, j + 1);
        double inv = 1.0 / sqrt(ss);
        for (size_t t = 0; t < n; t++) c[t] *= inv;
    }
    vs__fa_crossprod(r, xc, n, p);
    for (size_t i = 0; i < p; i++) {
        r[i * p + i] = 1.0;
        for (size_t j = 0; j < p; j++) {
            double v = r[i * p + j];
            if (v > 1) r[i * p + j] = 1;
            if (v < -1) r[i * p + j] = -1;
        }
    }
    return VS_OK;
}

static double mean_of(const double *c, size_t n) {
    double s = 0;
    for (size_t t = 0; t < n; t++) s += c[t];
    double m = s / (double)n;
    /* one refinement step, as R's mean */
    double e = 0;
    for (size_t t = 0; t < n; t++) e += c[t] - m;
    return m + e / (double)n;
}

/* Pairwise deletion (R's cor(use = "pairwise"), psych's pairwiseCount) by sums over the missing
 * cells. With z the data centred by each column's mean over its present values and 0 where
 * missing, and L_j the rows where column j is missing, the sums over the rows where columns i
 * and j are both present are
 *     c_ij   = n - m_i - m_j + #(L_i & L_j),
 *     S_i|j  = sum_t z_ti - sum_{t in L_j} z_ti,   Q_i|j = sum_t z_ti^2 - sum_{t in L_j} z_ti^2,
 *     P_ij   = sum_t z_ti z_tj                       (z is 0 where either is missing),
 * and r_ij = (P - S_i|j S_j|i / c) / sqrt((Q_i|j - S_i|j^2 / c)(Q_j|i - S_j|i^2 / c)): one cross
 * product (vs__fa_crossprod) and, per column j, sums of the rows of L_j: O(n p^2 / 2 + n_missing
 * p) multiply-adds in place of three strided passes per pair (O(3 n p^2 / 2)). Centring first
 * keeps the one-pass differences to rounding (the pairwise means are near 0). r may be NULL
 * (counts only); np may be NULL. */
static int cor_pairwise(double *r, double *np, const double *x, size_t rows, size_t p, const char *where) {
    size_t n = rows;
    size_t *cnt = vs__calloc(2 * p + 1, sizeof(size_t)); /* missing per column, then offsets */
    double *mean = vs__calloc(3 * p, sizeof(double));
    if (!cnt || !mean) {
        vs__free(cnt);
        vs__free(mean);
        return vs__nomem(where);
    }
    double *s1 = mean + p, *s2 = s1 + p;
    for (size_t t = 0; t < n; t++)
        for (size_t j = 0; j < p; j++) {
            double v = x[t * p + j];
            if (isnan(v)) cnt[j]++;
            else mean[j] += v;
        }
    int rc = VS_OK;
    for (size_t j = 0; j < p; j++) {
        if (n - cnt[j] < 3) {
            rc = vs__error(VS_EUNDEFINED, "%s: column %zu has %zu values, at least 3 needed", where, j + 1,
                           n - cnt[j]);
            goto out0;
        }
        mean[j] /= (double)(n - cnt[j]);
    }
    /* refine the means once (as R's mean) */
    {
        double *e = s1;
        for (size_t t = 0; t < n; t++)
            for (size_t j = 0; j < p; j++) {
                double v = x[t * p + j];
                if (!isnan(v)) e[j] += v - mean[j];
            }
        for (size_t j = 0; j < p; j++) {
            mean[j] += e[j] / (double)(n - cnt[j]);
            e[j] = 0;
        }
    }
    size_t nmiss = 0, *off = cnt + p;
    for (size_t j = 0; j < p; j++) {
        off[j] = nmiss;
        nmiss += cnt[j];
    }
    off[p] = nmiss;
    /* z row-major and column-major, the missing rows of each column, and the per-column sums */
    double *z = vs__malloc((2 * n * p + 3 * p * p) * sizeof(double));
    size_t *lst = vs__malloc((nmiss ? nmiss : 1) * sizeof(size_t));
    size_t *fill = vs__calloc(p ? p : 1, sizeof(size_t));
    if (!z || !lst || !fill) {
        rc = vs__nomem(where);
        goto out1;
    }
    double *zc = z + n * p, *a1 = zc + n * p, *a2 = a1 + p * p, *a3 = a2 + p * p;
    for (size_t t = 0; t < n; t++)
        for (size_t j = 0; j < p; j++) {
            double v = x[t * p + j];
            if (isnan(v)) {
                v = 0;
                lst[off[j] + fill[j]++] = t;
            } else v -= mean[j];
            z[t * p + j] = v;
            zc[j * n + t] = v;
            s1[j] += v;
            s2[j] += v * v;
        }
    /* a1[j][i] = sum over L_j of z_ti, a2 of z_ti^2; a3[j][i] = #(L_i & L_j), by the pairs of
     * missing cells of each row (O(sum of squared missing counts per row)) */
    memset(a1, 0, 3 * p * p * sizeof(double));
    for (size_t j = 0; j < p; j++) {
        double *u1 = a1 + j * p, *u2 = a2 + j * p;
        for (size_t q = off[j]; q < off[j + 1]; q++) {
            const double *zr = z + lst[q] * p;
            for (size_t i = 0; i < p; i++) {
                u1[i] += zr[i];
                u2[i] += zr[i] * zr[i];
            }
        }
    }
    for (size_t t = 0; t < n; t++) {
        size_t m = 0;
        const double *xr = x + t * p;
        for (size_t j = 0; j < p; j++)
            if (isnan(xr[j])) fill[m++] = j; /* fill is free now: the row's missing columns */
        for (size_t u = 0; u < m; u++)
            for (size_t v = 0; v < m; v++) a3[fill[u] * p + fill[v]] += 1.0;
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j <= i; j++) {
            double c = (double)n - (double)cnt[i] - (double)cnt[j] + a3[j * p + i];
            if (np) np[i * p + j] = np[j * p + i] = c;
            if (r && i != j && c < 3) {
                rc = vs__error(VS_EUNDEFINED, "%s: columns %zu and %zu have %.0f rows in common, at least 3 needed",
                               where, j + 1, i + 1, c);
                goto out1;
            }
        }
    if (r) {
        double *pp = z; /* z (row-major) is no longer needed: the cross product goes there */
        vs__fa_crossprod(pp, zc, n, p);
        for (size_t i = 0; i < p; i++) {
            r[i * p + i] = 1.0;
            for (size_t j = 0; j < i; j++) {
                double c = (double)n - (double)cnt[i] - (double)cnt[j] + a3[j * p + i];
                double sx = s1[i] - a1[j * p + i], sy = s1[j] - a1[i * p + j];
                double qx = s2[i] - a2[j * p + i], qy = s2[j] - a2[i * p + j];
                double vx = qx - sx * sx / c, vy = qy - sy * sy / c, cv = pp[i * p + j] - sx * sy / c;
                /* a column constant on the shared rows leaves only rounding in its variance */
                if (!(vx > 1e-13 * qx) || !(vy > 1e-13 * qy)) {
                    int cx = !(vx > 1e-13 * qx);
                    rc = vs__error(VS_EUNDEFINED, "%s: column %zu is constant on the rows it shares with column %zu",
                                   where, cx ? i + 1 : j + 1, cx ? j + 1 : i + 1);
                    goto out1;
                }
                double v = cv / sqrt(vx * vy);
                if (v > 1) v = 1;
                if (v < -1) v = -1;
                r[i * p + j] = r[j * p + i] = v;
            }
        }
    }
out1:
    vs__free(z);
    vs__free(lst);
    vs__free(fill);
out0:
    vs__free(cnt);
    vs__free(mean);
    return rc;
}

/* Correlation matrix of raw data x (rows x p row-major) into r; also pairwise counts into np.
 * Used for the input and by parallel analysis on resampled data. */
int vs__fa_cor_raw(double *r, double *np, const double *x, size_t rows, size_t p, int missing,
                   const char *where) {
    size_t nmiss = 0;
    for (size_t i = 0; i < rows * p; i++) {
        if (isnan(x[i])) nmiss++;
        else if (!isfinite(x[i]))
            return vs__error(VS_EINVAL, "%s: infinite value at row %zu, column %zu", where,
                             i / p + 1, i % p + 1);
    }
    /* column-major copy, restricted to complete rows for listwise (or when nothing is missing) */
    size_t n = rows;
    unsigned char *keep = NULL;
    if (nmiss && missing == VS_FA_LISTWISE) {
        keep = vs__malloc(rows ? rows : 1);
        if (!keep) return vs__nomem(where);
        n = 0;
        for (size_t t = 0; t < rows; t++) {
            keep[t] = 1;
            for (size_t j = 0; j < p; j++)
                if (isnan(x[t * p + j])) keep[t] = 0;
            n += keep[t];
        }
        if (n < 3) {
            vs__free(keep);
            return vs__error(VS_ERANGE, "%s: %zu complete rows, at least 3 needed", where, n);
        }
    }
    if (np && !nmiss)
        for (size_t i = 0; i < p * p; i++) np[i] = (double)rows;
    if (np && nmiss && missing == VS_FA_LISTWISE) {
        /* pairwise counts (psych's pairwiseCount) also under listwise deletion */
        int rc = cor_pairwise(NULL, np, x, rows, p, where);
        if (rc != VS_OK) {
            vs__free(keep);
            return rc;
        }
    }
    if (!nmiss || missing == VS_FA_LISTWISE) {
        double *xc = vs__malloc(n * p * sizeof(double));
        if (!xc) {
            vs__free(keep);
            return vs__nomem(where);
        }
        for (size_t j = 0; j < p; j++) {
            size_t u = 0;
            for (size_t t = 0; t < rows; t++)
                if (!keep || keep[t]) xc[j * n + u++] = x[t * p + j];
            double m = mean_of(xc + j * n, n);
            for (size_t t = 0; t < n; t++) xc[j * n + t] -= m;
        }
        vs__free(keep);
        int rc = vs__fa_cor_complete(r, xc, n, p, where);
        vs__free(xc);
        return rc;
    }
    return cor_pairwise(r, np, x, rows, p, where);
}

/* kind: VS_FA_COR_PEARSON, _TETRACHORIC, _POLYCHORIC, VS__FA_COR_SPEARMAN or _KENDALL */
int vs__fa_data_raw(vs_fa_data **out, const double *x, size_t rows, size_t cols, int missing, int kind,
                    const char *where) {
    if (rows < 3) return vs__error(VS_ERANGE, "%s: %zu rows, at least 3 needed", where, rows);
    if (cols < 2) return vs__error(VS_ERANGE, "%s: %zu columns, at least 2 needed", where, cols);
    if (rows > SIZE_MAX / cols / sizeof(double) || cols > SIZE_MAX / cols / sizeof(double))
        return vs__error(VS_ERANGE, "%s: %zu x %zu is too large", where, rows, cols);
    vs_fa_data *d = data_new(cols);
    if (!d) return vs__nomem(where);
    d->rows = rows;
    d->n_obs = (double)rows;
    d->missing = missing;
    d->cor_kind = kind;
    d->x = vs__malloc(rows * cols * sizeof(double));
    d->np = vs__malloc(cols * cols * sizeof(double));
    if (!d->x || !d->np) {
        vs_fa_data_free(d);
        return vs__nomem(where);
    }
    memcpy(d->x, x, rows * cols * sizeof(double));
    int rc = vs__fa_cor_raw(d->r, d->np, x, rows, cols, missing, where);
    if (rc == VS_OK && kind == VS_FA_COR_TETRACHORIC) /* Pearson above validated the data */
        rc = vs__fa_cor_tetrachoric(d->r, x, rows, cols, missing, &d->smoothed, where);
    if (rc == VS_OK && kind == VS_FA_COR_POLYCHORIC)
        rc = vs__fa_cor_polychoric(d->r, x, rows, cols, missing, &d->smoothed, where);
    if (rc == VS_OK && (kind == VS__FA_COR_SPEARMAN || kind == VS__FA_COR_KENDALL))
        rc = vs__fa_cor_rank(d->r, x, rows, cols, missing, kind == VS__FA_COR_KENDALL, where);
    if (rc != VS_OK) {
        vs_fa_data_free(d);
        return rc;
    }
    *out = d;
    return VS_OK;
}

int vs_fa_data_from_raw(vs_fa_data **out, const double *x, size_t rows, size_t cols, int missing) {
    static const char *where = "vs_fa_data_from_raw";
    if (out) *out = NULL;
    if (!out || !x) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    int kind = missing & ~0xFF;
    missing &= 0xFF;
    if (missing != VS_FA_PAIRWISE && missing != VS_FA_LISTWISE)
        return vs__error(VS_EINVAL, "%s: unknown missing-data policy %d", where, missing);
    if (kind != VS_FA_COR_PEARSON && kind != VS_FA_COR_TETRACHORIC && kind != VS_FA_COR_POLYCHORIC)
        return vs__error(VS_EINVAL, "%s: unknown correlation flag 0x%x", where, (unsigned)kind);
    return vs__fa_data_raw(out, x, rows, cols, missing, kind, where);
}

int vs_fa_data_from_raw_kind(vs_fa_data **out, const double *x, size_t rows, size_t cols, int missing, int kind) {
    static const char *where = "vs_fa_data_from_raw_kind";
    static const int internal[] = {VS_FA_COR_PEARSON, VS__FA_COR_SPEARMAN, VS__FA_COR_KENDALL, VS_FA_COR_POLYCHORIC,
                                   VS_FA_COR_TETRACHORIC};
    if (out) *out = NULL;
    if (!out || !x) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    if (missing != VS_FA_PAIRWISE && missing != VS_FA_LISTWISE)
        return vs__error(VS_EINVAL, "%s: unknown missing-data policy %d (VS_FA_PAIRWISE or VS_FA_LISTWISE; the kind is "
                         "its own argument here)", where, missing);
    if (kind < VS_FA_CORKIND_PEARSON || kind > VS_FA_CORKIND_TETRACHORIC)
        return vs__error(VS_EINVAL, "%s: unknown correlation kind %d", where, kind);
    return vs__fa_data_raw(out, x, rows, cols, missing, internal[kind], where);
}

static const char *const cor_kind_names[] = {"pearson", "spearman", "kendall", "polychoric", "tetrachoric"};

int vs_fa_cor_kind_from_name(int *out, const char *name) {
    if (!out || !name) return vs__error(VS_EINVAL, "vs_fa_cor_kind_from_name: NULL argument");
    for (int i = 0; i < (int)(sizeof cor_kind_names / sizeof cor_kind_names[0]); i++)
        if (strcmp(cor_kind_names[i], name) == 0) {
            *out = i;
            return VS_OK;
        }
    return vs__error_unknown_name("vs_fa_cor_kind_from_name", "correlation kind", name,
                                  VS__NAMES_OF(cor_kind_names));
}

int vs_fa_data_from_cor(vs_fa_data **out, const double *r, size_t rows, size_t cols, double n_obs) {
    static const char *where = "vs_fa_data_from_cor";
    if (out) *out = NULL;
    if (!out || !r) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    if (rows != cols)
        return vs__error(VS_EMISMATCH, "%s: the matrix is %zu x %zu, not square", where, rows, cols);
    if (cols < 2) return vs__error(VS_ERANGE, "%s: %zu variables, at least 2 needed", where, cols);
    if (cols > SIZE_MAX / cols / sizeof(double))
        return vs__error(VS_ERANGE, "%s: %zu x %zu is too large", where, rows, cols);
    if (!isfinite(n_obs) || n_obs < 0 || (n_obs > 0 && n_obs < 3))
        return vs__error(VS_EINVAL, "%s: n_obs %g must be 0 (unknown) or at least 3", where, n_obs);
    size_t p = cols;
    for (size_t i = 0; i < p; i++) {
        for (size_t j = 0; j < p; j++) {
            double v = r[i * p + j];
            if (!isfinite(v))
                return vs__error(VS_EINVAL, "%s: entry (%zu, %zu) is %s", where, i + 1, j + 1,
                                 isnan(v) ? "NaN" : "infinite");
        }
        if (!(r[i * p + i] > 0))
            return vs__error(VS_EINVAL, "%s: diagonal entry %zu is %g, must be positive", where,
                             i + 1, r[i * p + i]);
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < i; j++) {
            double a = r[i * p + j], b = r[j * p + i];
            double scale = sqrt(r[i * p + i] * r[j * p + j]);
            if (fabs(a - b) > 1e-8 * scale)
                return vs__error(VS_EINVAL, "%s: not symmetric: (%zu, %zu) = %.17g but (%zu, %zu) = %.17g",
                                 where, i + 1, j + 1, a, j + 1, i + 1, b);
            double c = 0.5 * (a + b) / scale;
            if (fabs(c) > 1 + 1e-10)
                return vs__error(VS_EINVAL, "%s: correlation (%zu, %zu) = %g is outside [-1, 1]",
                                 where, i + 1, j + 1, c);
        }
    vs_fa_data *d = data_new(p);
    if (!d) return vs__nomem(where);
    d->n_obs = n_obs;
    for (size_t i = 0; i < p; i++) {
        d->r[i * p + i] = 1.0;
        for (size_t j = 0; j < i; j++) {
            double c = 0.5 * (r[i * p + j] + r[j * p + i]) / sqrt(r[i * p + i] * r[j * p + j]);
            if (c > 1) c = 1;
            if (c < -1) c = -1;
            d->r[i * p + j] = d->r[j * p + i] = c;
        }
    }
    *out = d;
    return VS_OK;
}

int vs_fa_data_cor(size_t *out_needed, const vs_fa_data *d, double *buf, size_t cap) {
    if (!d) return vs__error(VS_EINVAL, "vs_fa_data_cor: NULL data");
    size_t need = d->p * d->p;
    if (out_needed) *out_needed = need;
    if (cap < need) return vs__error(VS_EBUFSIZE, "vs_fa_data_cor: %zu doubles needed, %zu given", need, cap);
    if (!buf) return vs__error(VS_EINVAL, "vs_fa_data_cor: NULL buffer");
    memcpy(buf, d->r, need * sizeof(double));
    return VS_OK;
}

int vs_fa_data_eigenvalues(size_t *out_needed, const vs_fa_data *d, double *buf, size_t cap) {
    if (!d) return vs__error(VS_EINVAL, "vs_fa_data_eigenvalues: NULL data");
    if (out_needed) *out_needed = d->p;
    if (cap < d->p)
        return vs__error(VS_EBUFSIZE, "vs_fa_data_eigenvalues: %zu doubles needed, %zu given", d->p, cap);
    if (!buf) return vs__error(VS_EINVAL, "vs_fa_data_eigenvalues: NULL buffer");
    vs__fa_eig e;
    int rc = vs__fa_eig_init(&e, d->p);
    if (rc != VS_OK) return rc;
    rc = vs__fa_eig_top(&e, d->r, d->p, 0);
    if (rc == VS_OK) memcpy(buf, e.w, d->p * sizeof(double));
    vs__fa_eig_free(&e);
    return rc;
}
