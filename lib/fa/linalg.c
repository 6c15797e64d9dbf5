/* Dense linear algebra for the fa module: LAPACK's symmetric eigensolver (dsyevr) and Cholesky
 * with workspace from our allocator, small k x k helpers, plain matrix products. */
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

int vs__fa_eig_init(vs__fa_eig *e, size_t n) {
    memset(e, 0, sizeof *e);
    e->n = n;
    e->a = vs__malloc(n * n * sizeof(double));
    e->w = vs__malloc(n * sizeof(double));
    e->z = vs__malloc(n * n * sizeof(double));
    e->isuppz = vs__malloc(2 * n * sizeof(lapack_int));
    if (!e->a || !e->w || !e->z || !e->isuppz) {
        vs__fa_eig_free(e);
        return vs__nomem("fa eigensolver");
    }
    /* workspace query for the largest job (all vectors) */
    double wq = 0;
    lapack_int iwq = 0, m = 0;
    lapack_int info = LAPACKE_dsyevr_work(LAPACK_COL_MAJOR, 'V', 'A', 'L', (lapack_int)n, e->a,
                                          (lapack_int)n, 0, 0, 1, (lapack_int)n, 0.0, &m, e->w,
                                          e->z, (lapack_int)n, e->isuppz, &wq, -1, &iwq, -1);
    if (info != 0) {
        vs__fa_eig_free(e);
        return vs__error(VS_ENUMERIC, "fa eigensolver: workspace query failed (%d)", (int)info);
    }
    e->lwork = (size_t)wq + 1;
    e->liwork = (size_t)iwq + 1;
    e->work = vs__malloc(e->lwork * sizeof(double));
    e->iwork = vs__malloc(e->liwork * sizeof(lapack_int));
    if (!e->work || !e->iwork) {
        vs__fa_eig_free(e);
        return vs__nomem("fa eigensolver");
    }
    return VS_OK;
}

void vs__fa_eig_free(vs__fa_eig *e) {
    vs__free(e->q);
    vs__free(e->a);
    vs__free(e->w);
    vs__free(e->z);
    vs__free(e->work);
    vs__free(e->iwork);
    vs__free(e->isuppz);
    memset(e, 0, sizeof *e);
}

int vs__fa_eig_top(vs__fa_eig *e, const double *a, size_t m, int vectors) {
    size_t n = e->n;
    if (m > n) m = n;
    if (m == 0) return VS_OK;
    for (size_t i = 0; i < n * n; i++) {
        if (!isfinite(a[i])) return vs__error(VS_ENUMERIC, "fa eigensolver: non-finite matrix entry");
    }
    if (!vectors && m == n) {
        /* all eigenvalues, no vectors (the fit's e.values, KMO/factorability, smoothing checks):
         * kernels.c's vectorised reduction, ~14x dsyevr on the reference BLAS at p = 300
         * (tests/bench/bench_fa_kernels.c) */
        vs__fa_trd t;
        int rc = vs__fa_trd_init(&t, n);
        if (rc != VS_OK) return rc;
        rc = vs__fa_trd_values(&t, e->w, a, NULL);
        vs__fa_trd_free(&t);
        return rc;
    }
    memcpy(e->a, a, n * n * sizeof(double));
    lapack_int found = 0;
    char range = m == n ? 'A' : 'I';
    lapack_int info = LAPACKE_dsyevr_work(
        LAPACK_COL_MAJOR, vectors ? 'V' : 'N', range, 'L', (lapack_int)n, e->a, (lapack_int)n, 0, 0,
        (lapack_int)(n - m + 1), (lapack_int)n, 0.0, &found, e->w, e->z, (lapack_int)n, e->isuppz,
        e->work, (lapack_int)e->lwork, e->iwork, (lapack_int)e->liwork);
    if (info != 0 || (size_t)found != m)
        return vs__error(VS_ENUMERIC, "fa eigensolver: dsyevr failed (info %d)", (int)info);
    /* ascending -> decreasing */
    for (size_t i = 0; i < m / 2; i++) {
        double t = e->w[i];
        e->w[i] = e->w[m - 1 - i];
        e->w[m - 1 - i] = t;
    }
    if (vectors) {
        for (size_t i = 0; i < m / 2; i++) {
            double *u = e->z + i * n, *v = e->z + (m - 1 - i) * n;
            for (size_t r = 0; r < n; r++) {
                double t = u[r];
                u[r] = v[r];
                v[r] = t;
            }
        }
    }
    return VS_OK;
}

int vs__fa_spd_inverse(double *a, size_t n, double *logdet) {
    lapack_int info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', (lapack_int)n, a, (lapack_int)n);
    if (info != 0) return VS_ENUMERIC;
    double ld = 0;
    for (size_t i = 0; i < n; i++) ld += 2.0 * log(a[i * n + i]);
    if (logdet) *logdet = ld;
    info = LAPACKE_dpotri_work(LAPACK_COL_MAJOR, 'L', (lapack_int)n, a, (lapack_int)n);
    if (info != 0) return VS_ENUMERIC;
    /* the lower triangle (column-major) is the upper triangle row-major: mirror it */
    for (size_t j = 0; j < n; j++)
        for (size_t i = j + 1; i < n; i++) a[i * n + j] = a[j * n + i];
    return VS_OK;
}

int vs__fa_sym_inverse(double *a, size_t n) {
    double *b = vs__malloc(n * n * sizeof(double));
    lapack_int *ipiv = vs__malloc(n * sizeof(lapack_int));
    if (!b || !ipiv) {
        vs__free(b);
        vs__free(ipiv);
        return VS_ENOMEM;
    }
    for (size_t i = 0; i < n * n; i++) b[i] = 0;
    for (size_t i = 0; i < n; i++) b[i * n + i] = 1;
    lapack_int info = LAPACKE_dgesv_work(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)n, a, (lapack_int)n,
                                         ipiv, b, (lapack_int)n);
    if (info == 0) /* the inverse of a symmetric matrix is symmetric: either layout */
        memcpy(a, b, n * n * sizeof(double));
    vs__free(b);
    vs__free(ipiv);
    return info == 0 ? VS_OK : VS_ENUMERIC;
}

int vs__fa_spd_logdet(double *a, size_t n, double *logdet) {
    lapack_int info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', (lapack_int)n, a, (lapack_int)n);
    if (info != 0) return VS_ENUMERIC;
    double ld = 0;
    for (size_t i = 0; i < n; i++) ld += 2.0 * log(a[i * n + i]);
    *logdet = ld;
    return VS_OK;
}

int vs__fa_solve_small(double *a, size_t n, double *b, size_t m) {
    for (size_t c = 0; c < n; c++) {
        size_t piv = c;
        double best = fabs(a[c * n + c]);
        for (size_t r = c + 1; r < n; r++) {
            if (fabs(a[r * n + c]) > best) {
                best = fabs(a[r * n + c]);
                piv = r;
            }
        }
        if (!(best > 0) || !isfinite(best)) return VS_ENUMERIC;
        if (piv != c) {
            for (size_t j = 0; j < n; j++) {
                double t = a[c * n + j];
                a[c * n + j] = a[piv * n + j];
                a[piv * n + j] = t;
            }
            for (size_t j = 0; j < m; j++) {
                double t = b[c * m + j];
                b[c * m + j] = b[piv * m + j];
                b[piv * m + j] = t;
            }
        }
        for (size_t r = c + 1; r < n; r++) {
            double f = a[r * n + c] / a[c * n + c];
            if (f == 0) continue;
            for (size_t j = c; j < n; j++) a[r * n + j] -= f * a[c * n + j];
            for (size_t j = 0; j < m; j++) b[r * m + j] -= f * b[c * m + j];
        }
    }
    for (size_t c = n; c-- > 0;) {
        for (size_t j = 0; j < m; j++) {
            double s = b[c * m + j];
            for (size_t k = c + 1; k < n; k++) s -= a[c * n + k] * b[k * m + j];
            b[c * m + j] = s / a[c * n + c];
        }
    }
    return VS_OK;
}

int vs__fa_inverse_small(double *inv, const double *a, size_t n, double *scratch) {
    double *lu = scratch;
    memcpy(lu, a, n * n * sizeof(double));
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) inv[i * n + j] = i == j ? 1.0 : 0.0;
    return vs__fa_solve_small(lu, n, inv, n);
}

/* Polar factor through the symmetric eigenproblem of X'X computed by Jacobi rotations:
 * X = U D V' => U V' = X V D^-1 V'. Small n only (k factors). */
void vs__fa_jacobi(double *a, double *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) v[i * n + j] = i == j ? 1.0 : 0.0;
    for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0, tot = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                tot += a[i * n + j] * a[i * n + j];
                if (i != j) off += a[i * n + j] * a[i * n + j];
            }
        if (off <= 1e-32 * tot || off == 0) break;
        for (size_t p = 0; p < n; p++)
            for (size_t q = p + 1; q < n; q++) {
                double apq = a[p * n + q];
                if (apq == 0) continue;
                double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1));
                double c = 1 / sqrt(t * t + 1), s = t * c;
                for (size_t r = 0; r < n; r++) {
                    double arp = a[r * n + p], arq = a[r * n + q];
                    a[r * n + p] = c * arp - s * arq;
                    a[r * n + q] = s * arp + c * arq;
                }
                for (size_t r = 0; r < n; r++) {
                    double apr = a[p * n + r], aqr = a[q * n + r];
                    a[p * n + r] = c * apr - s * aqr;
                    a[q * n + r] = s * apr + c * aqr;
                }
                for (size_t r = 0; r < n; r++) {
                    double vrp = v[r * n + p], vrq = v[r * n + q];
                    v[r * n + p] = c * vrp - s * vrq;
                    v[r * n + q] = s * vrp + c * vrq;
                }
            }
    }
}

int vs__fa_polar_small(double *out, double *sv_sum, const double *x, size_t n) {
    /* n is the number of factors: small; a stack buffer up to 16 factors, else the heap */
    double stack[4 * 16 * 16];
    double *buf = stack;
    if (n > 16) {
        buf = vs__malloc(4 * n * n * sizeof(double));
        if (!buf) return vs__nomem("fa rotation");
    }
    double *xtx = buf, *v = buf + n * n, *m = buf + 2 * n * n, *t = buf + 3 * n * n;
    vs__fa_mtm(xtx, x, x, n, n, n);
    vs__fa_jacobi(xtx, v, n);
    int rc = VS_OK;
    double sum = 0;
    /* m = V diag(1/sqrt(d)) V' */
    for (size_t j = 0; j < n; j++) {
        double d = xtx[j * n + j];
        if (!(d > 0)) {
            rc = VS_ENUMERIC;
            break;
        }
        sum += sqrt(d);
    }
    if (rc == VS_OK) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) t[i * n + j] = v[i * n + j] / sqrt(xtx[j * n + j]);
        vs__fa_mmt(m, t, v, n, n, n);
        vs__fa_mm(out, x, m, n, n, n);
        if (sv_sum) *sv_sum = sum;
    }
    if (buf != stack) vs__free(buf);
    return rc;
}

void vs__fa_mm(double *c, const double *a, const double *b, size_t m, size_t q, size_t n) {
    for (size_t i = 0; i < m; i++) {
        double *ci = c + i * n;
        for (size_t j = 0; j < n; j++) ci[j] = 0;
        for (size_t l = 0; l < q; l++) {
            double ail = a[i * q + l];
            if (ail == 0) continue;
            const double *bl = b + l * n;
            for (size_t j = 0; j < n; j++) ci[j] += ail * bl[j];
        }
    }
}

void vs__fa_mtm(double *c, const double *a, const double *b, size_t q, size_t m, size_t n) {
    for (size_t i = 0; i < m * n; i++) c[i] = 0;
    for (size_t l = 0; l < q; l++) {
        const double *al = a + l * m, *bl = b + l * n;
        for (size_t i = 0; i < m; i++) {
            double ali = al[i];
            if (ali == 0) continue;
            double *ci = c + i * n;
            for (size_t j = 0; j < n; j++) ci[j] += ali * bl[j];
        }
    }
}

void vs__fa_mmt(double *c, const double *a, const double *b, size_t m, size_t q, size_t n) {
    for (size_t i = 0; i < m; i++) {
        const double *ai = a + i * q;
        for (size_t j = 0; j < n; j++) {
            const double *bj = b + j * q;
            double s = 0;
            for (size_t l = 0; l < q; l++) s += ai[l] * bj[l];
            c[i * n + j] = s;
        }
    }
}

int vs__fa_smc(double *smc, const double *r, size_t p) {
    double *inv = vs__malloc(p * p * sizeof(double));
    if (!inv) return vs__nomem("fa smc");
    memcpy(inv, r, p * p * sizeof(double));
    int rc = vs__fa_spd_inverse(inv, p, NULL);
    if (rc != VS_OK) {
        /* singular or indefinite: pseudo-inverse from the eigendecomposition, as psych's Pinv
         * (singular values below p * max * eps are dropped) */
        vs__fa_eig e;
        rc = vs__fa_eig_init(&e, p);
        if (rc == VS_OK) rc = vs__fa_eig_top(&e, r, p, 1);
        if (rc == VS_OK) {
            double mx = 0;
            for (size_t j = 0; j < p; j++)
                if (fabs(e.w[j]) > mx) mx = fabs(e.w[j]);
            double tol = (double)p * mx * 2.220446049250313e-16;
            for (size_t i = 0; i < p; i++) {
                double s = 0;
                for (size_t j = 0; j < p; j++)
                    if (fabs(e.w[j]) > tol) s += e.z[j * p + i] * e.z[j * p + i] / e.w[j];
                inv[i * p + i] = s;
            }
        }
        vs__fa_eig_free(&e);
        if (rc != VS_OK) {
            vs__free(inv);
            return rc;
        }
    }
    for (size_t i = 0; i < p; i++) {
        double s = 1.0 - 1.0 / inv[i * p + i];
        if (!isfinite(s)) s = 1.0;
        if (s > 1) s = 1;
        if (s < 0) s = 0;
        smc[i] = s;
    }
    vs__free(inv);
    return VS_OK;
}

/* Orthonormalises the b columns of x (n x b, column-major) in place by modified Gram-Schmidt,
 * twice. Returns 0, or -1 when a column is (numerically) dependent. */
/* dot product with four partial sums (vectorises without reassociation) */
static double dot4(const double *a, const double *b, size_t n) {
    double s[4] = {0, 0, 0, 0};
    size_t r = 0;
    for (; r + 4 <= n; r += 4)
        for (size_t q = 0; q < 4; q++) s[q] += a[r + q] * b[r + q];
    for (; r < n; r++) s[0] += a[r] * b[r];
    return (s[0] + s[1]) + (s[2] + s[3]);
}

static int orthonormalise(double *x, size_t n, size_t b) {
    for (int pass = 0; pass < 2; pass++)
        for (size_t j = 0; j < b; j++) {
            double *xj = x + j * n;
            for (size_t i = 0; i < j; i++) {
                const double *xi = x + i * n;
                double d = dot4(xi, xj, n);
                for (size_t r = 0; r < n; r++) xj[r] -= d * xi[r];
            }
            double nn = sqrt(dot4(xj, xj, n));
            if (!(nn > 1e-300)) return -1;
            for (size_t r = 0; r < n; r++) xj[r] /= nn;
        }
    return 0;
}

/* y = (D a D + diag(off) + shift I) q for symmetric a (row-major n x n), D = diag(scale)
 * (NULL: identity), off (NULL: 0) and q (n x b, column-major); t is n scratch */
static void sym_apply(double *y, const double *a, const double *q, size_t n, size_t b, double shift,
                      const double *scale, const double *off, double *t) {
    /* t = scaled copy of q (n x b scratch) */
    const double *src = q;
    if (scale) {
        for (size_t j = 0; j < b; j++)
            for (size_t r = 0; r < n; r++) t[j * n + r] = scale[r] * q[j * n + r];
        src = t;
    }
    /* y_j[i] = a_i . src_j: 4 rows x 2 vectors per tile, each row of a read once per pair */
    size_t n4 = n - n % 4, b2 = b - b % 2;
    for (size_t i0 = 0; i0 < n4; i0 += 4)
        for (size_t j0 = 0; j0 < b2; j0 += 2) {
            double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
            vs__fa_tile42(acc, a + i0 * n, src + j0 * n, n, 0, n4);
            for (size_t u = 0; u < 4; u++)
                for (size_t v = 0; v < 2; v++) {
                    double sum = acc[u * 2 + v];
                    for (size_t r = n4; r < n; r++) sum += a[(i0 + u) * n + r] * src[(j0 + v) * n + r];
                    y[(j0 + v) * n + i0 + u] = sum;
                }
        }
    for (size_t j = 0; j < b; j++)
        for (size_t i = j < b2 ? n4 : 0; i < n; i++) {
            const double *ai = a + i * n, *sj = src + j * n;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            size_t r = 0;
            for (; r + 4 <= n; r += 4) {
                s0 += ai[r] * sj[r];
                s1 += ai[r + 1] * sj[r + 1];
                s2 += ai[r + 2] * sj[r + 2];
                s3 += ai[r + 3] * sj[r + 3];
            }
            for (; r < n; r++) s0 += ai[r] * sj[r];
            y[j * n + i] = (s0 + s1) + (s2 + s3);
        }
    for (size_t j = 0; j < b; j++) {
        const double *q0 = q + j * n;
        double *yj = y + j * n;
        for (size_t i = 0; i < n; i++) {
            if (scale) yj[i] *= scale[i];
            yj[i] += (shift + (off ? off[i] : 0.0)) * q0[i];
        }
    }
}

/* the explicit matrix D a D + diag(off) into e->a for LAPACK */
static int explicit_top(vs__fa_eig *e, const double *a, size_t m, const double *scale, const double *off) {
    size_t n = e->n;
    if (!scale && !off) return vs__fa_eig_top(e, a, m, 1);
    double *x = vs__malloc(n * n * sizeof(double));
    if (!x) return vs__nomem("fa eigensolver");
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) x[i * n + j] = a[i * n + j] * (scale ? scale[i] * scale[j] : 1.0);
    if (off)
        for (size_t i = 0; i < n; i++) x[i * n + i] += off[i];
    int rc = vs__fa_eig_top(e, x, m, 1);
    vs__free(x);
    return rc;
}

/* Largest T_d(x1) the filter may reach: beyond it the wanted eigenvectors with the smallest
 * eigenvalues drown in rounding errors of the largest one's component after Gram-Schmidt. */
#define CHEB_MAX_GROWTH 1e6
#define CHEB_MAX_DEGREE 6

/* The next basis of the subspace iteration: T_d((2B - c) / c) X for the Ritz vectors X (n x b)
 * with BX in bx, c = the smallest Ritz value of the block and the degree d chosen so that
 * T_d at the largest Ritz value stays below CHEB_MAX_GROWTH. B + shift I is positive
 * semi-definite, so the eigenvalues the block does not hold lie in [0, c] where |T_d| <= 1, while
 * the wanted ones (> c) grow like cosh(d acosh x): one filter of degree d does the work of many
 * power steps (d = 1 is a power step shifted by c / 2). Uses x, bx, z and t (each n x b) as the
 * three-term recurrence's buffers; returns the one holding the result. */
static const double *chebyshev_filter(double *x, double *bx, double *z, double *t, const double *a, size_t n,
                                      size_t b, double shift, const double *scale, const double *off, double top,
                                      double c) {
    if (!(c > 0) || !(top > c)) return bx; /* no usable interval: a plain power step */
    double x1 = (2.0 * top - c) / c, tk = x1, tprev = 1.0;
    int d = 1;
    while (d < CHEB_MAX_DEGREE) {
        double tnext = 2.0 * x1 * tk - tprev;
        if (tnext > CHEB_MAX_GROWTH) break;
        tprev = tk;
        tk = tnext;
        d++;
    }
    size_t nb = n * b;
    double *y0 = x, *y1 = bx, *y2 = z;
    for (size_t r = 0; r < nb; r++) y1[r] = (2.0 / c) * y1[r] - y0[r]; /* T_1 = (2B - c) / c */
    for (int k = 2; k <= d; k++) {
        sym_apply(y2, a, y1, n, b, shift, scale, off, t);
        for (size_t r = 0; r < nb; r++) y2[r] = (4.0 / c) * y2[r] - 2.0 * y1[r] - y0[r];
        double *tmp = y0;
        y0 = y1;
        y1 = y2;
        y2 = tmp;
    }
    return y1;
}

int vs__fa_eig_top_warm(vs__fa_eig *e, const double *a, size_t m, double shift, const double *scale,
                        const double *off) {
    size_t n = e->n;
    if (n < 64 || m == 0 || 3 * m > n) return explicit_top(e, a, m, scale, off);
    size_t b = m + (m < 8 ? 8 : m);
    if (b > 128 || b > n || e->slow >= 2) return explicit_top(e, a, m, scale, off);
    if (!e->q || e->b != b) {
        vs__free(e->q);
        e->q = vs__malloc((5 * n * b + 2 * b * b) * sizeof(double));
        if (!e->q) return vs__nomem("fa eigensolver");
        e->y = e->q + n * b;
        e->sw = e->y + n * b;
        e->h = e->sw + n * b;
        e->hv = e->h + b * b;
        e->b = b;
        e->warm = 0;
    }
    double *q = e->q, *y = e->y, *h = e->h, *hv = e->hv, *sw = e->sw;
    if (!e->warm) {
        /* deterministic start: e_i + a small spread */
        for (size_t j = 0; j < b; j++)
            for (size_t r = 0; r < n; r++)
                q[j * n + r] = (r % b == j ? 1.0 : 0.0) + 1e-3 * sin((double)(r + 1) * (double)(j + 1));
        if (orthonormalise(q, n, b) != 0) return explicit_top(e, a, m, scale, off);
    }
    double *tscr = e->hv + b * b;
    double anorm = 0;
    for (size_t i = 0; i < n; i++)
        anorm = fmax(anorm, fabs(a[i * n + i] * (scale ? scale[i] * scale[i] : 1.0) + (off ? off[i] : 0.0)) + fabs(shift));
    int max_it = e->warm ? 60 : 200;
    double first = -1;
    for (int it = 0; it < max_it; it++) {
        sym_apply(y, a, q, n, b, shift, scale, off, tscr);
        /* Rayleigh-Ritz: h = q' y */
        for (size_t i = 0; i < b; i++)
            for (size_t j = 0; j <= i; j++) h[i * b + j] = h[j * b + i] = dot4(q + i * n, y + j * n, n);
        vs__fa_jacobi(h, hv, b);
        /* order Ritz values decreasing */
        size_t ord[128];
        for (size_t j = 0; j < b; j++) ord[j] = j;
        for (size_t i = 1; i < b; i++) {
            size_t v = ord[i], j = i;
            while (j > 0 && h[ord[j - 1] * b + ord[j - 1]] < h[v * b + v]) {
                ord[j] = ord[j - 1];
                j--;
            }
            ord[j] = v;
        }
        /* Ritz vectors x = q W and a x = y W (into sw and z) */
        for (size_t j = 0; j < b; j++) {
            size_t c = ord[j];
            double *xs = sw + j * n;
            for (size_t r = 0; r < n; r++) xs[r] = 0;
            for (size_t l = 0; l < b; l++) {
                double w = hv[l * b + c];
                const double *ql = q + l * n;
                for (size_t r = 0; r < n; r++) xs[r] += w * ql[r];
            }
        }
        /* a x = y W for every Ritz vector (into tscr, free after sym_apply) */
        for (size_t j = 0; j < b; j++) {
            size_t c = ord[j];
            double *ax = tscr + j * n;
            for (size_t r = 0; r < n; r++) ax[r] = 0;
            for (size_t l = 0; l < b; l++) {
                double w = hv[l * b + c];
                const double *yl = y + l * n;
                for (size_t r = 0; r < n; r++) ax[r] += w * yl[r];
            }
        }
        double worst = 0;
        for (size_t j = 0; j < m; j++) {
            size_t c = ord[j];
            double theta = h[c * b + c];
            const double *xs = sw + j * n, *ax = tscr + j * n;
            double res = 0;
            for (size_t r = 0; r < n; r++) {
                double d = ax[r] - theta * xs[r];
                res += d * d;
            }
            worst = fmax(worst, sqrt(res));
        }
        if (first < 0) first = worst;
        /* no usable gap between the wanted and the other eigenvalues: LAPACK is cheaper */
        if (it >= 12 && worst > 1e-4 * first) {
            e->slow++;
            break;
        }
        if (worst <= 1e-12 * anorm) {
            for (size_t j = 0; j < m; j++) {
                e->w[j] = h[ord[j] * b + ord[j]] - shift;
                memcpy(e->z + j * n, sw + j * n, n * sizeof(double));
            }
            memcpy(q, sw, n * b * sizeof(double));
            e->warm = 1;
            return VS_OK;
        }
        /* next basis: the orthonormalised Ritz vectors after a Chebyshev filter (below) */
        const double *next = chebyshev_filter(sw, tscr, y, tscr + n * b, a, n, b, shift, scale, off,
                                              h[ord[0] * b + ord[0]], h[ord[b - 1] * b + ord[b - 1]]);
        memcpy(q, next, n * b * sizeof(double));
        if (orthonormalise(q, n, b) != 0) break;
    }
    e->warm = 0;
    return explicit_top(e, a, m, scale, off);
}
