/* The numeric kernels of the fa module: the bottom of its call graph (they call only
 * common/ and LAPACK, nothing else in fa/; tests/arch/check_layers.sh checks it).
 *
 * Dense symmetric kernels for small p x p matrices (row-major; inputs are symmetric and only
 * their upper triangle is read, as LAPACK's 'L' reads column-major storage), vectorised in C
 * instead of the reference BLAS under LAPACK:
 *  - eigenvalues: Householder tridiagonalisation (as LAPACK's dsytd2: v, tau from the column below
 *    the diagonal, w = tau A v - (tau^2 / 2)(v' A v) v, A -= v w' + w v') on a lower-triangle
 *    copy, with each step's rank-2 update fused into the next step's product A v (one pass over
 *    the trailing triangle per step), then LAPACK's dsterf on the tridiagonal;
 *  - the largest eigenpair: the same reduction, the eigenvalue by bisection (dstebz), its vector by
 *    inverse iteration (dstein) and the Householder back-transform (as dsyevr does for one
 *    eigenvalue of an index range);
 *  - Cholesky factorisation (right-looking: independent row updates rather than a chain of dot
 *    products), the diagonal of the inverse from it, and solves;
 *  - cross products X' X of column-major data (tiles of 4 x 2 columns, AVX2 where the CPU has
 *    it; 4 x 4 AVX-512 tiles for parallel analysis' resampler).
 * Every kernel is compiled three times from one body (portable, AVX2 + FMA, AVX-512) and chosen at
 * run time; the body's 8-wide vector partial sums give the same summation order in all three
 * (FMA contraction aside).
 *
 * Measured against LAPACK (tests/bench/bench_fa_kernels.c, this time / library time, one thread,
 * p = 50 / 100 / 300 / 1000): on Debian's reference BLAS eigenvalues 0.57 / 0.51 / 0.07 / 0.29
 * (dsyevd), top eigenpair 0.48 / 0.34 / 0.05 / 0.16 (dsyevr), Cholesky 0.25 / 0.23 / 0.24 / 0.15
 * (dpotrf); on OpenBLAS 0.3.21 eigenvalues 0.75 / 0.82 / 0.88 / 1.42, top eigenpair
 * 0.56 / 0.57 / 0.78 / 1.52, Cholesky 0.65 / 1.06 / 1.49 / 2.74. Issue 18's rule (keep a hand
 * kernel only where it beats OpenBLAS by more than 1.3x) keeps the top eigenpair (1.75x at
 * p = 100, parallel analysis' size) and would replace the eigenvalue reduction and the Cholesky
 * by LAPACK once OpenBLAS is the installed BLAS; on the reference BLAS, today's default, they win
 * 2-14x, so they stay until that switch. The cross product against BLAS dsyrk (n = 5000,
 * p = 100 / 300 / 1000): reference BLAS 0.08 / 0.11 / 0.14, OpenBLAS 0.3.21 1.57 / 1.77 / 2.37;
 * by the same rule dsyrk replaces it once OpenBLAS is the installed BLAS. */
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "fa/fa_internal.h"

typedef double trd_v8 __attribute__((vector_size(64)));

#define ALWAYS static inline __attribute__((always_inline))

/* unaligned loads and stores by memcpy; vectors are never passed to or returned from functions
 * (their ABI would depend on the instance's target) */
#define V8_LOAD(v, src) memcpy(&(v), (src), sizeof(trd_v8))
#define V8_STORE(dst, v) memcpy((dst), &(v), sizeof(trd_v8))
#define V8_SUM(s) ((((s)[0] + (s)[1]) + ((s)[2] + (s)[3])) + (((s)[4] + (s)[5]) + ((s)[6] + (s)[7])))

/* sum a[t] b[t], t < n */
ALWAYS double k_dot(const double *a, const double *b, size_t n) {
    trd_v8 s = {0};
    size_t t = 0;
    for (; t + 8 <= n; t += 8) {
        trd_v8 x, y;
        V8_LOAD(x, a + t);
        V8_LOAD(y, b + t);
        s += x * y;
    }
    double r = V8_SUM(s);
    for (; t < n; t++) r += a[t] * b[t];
    return r;
}

/* y[t] += c x[t], t < n */
ALWAYS void k_axpy(double *y, double c, const double *x, size_t n) {
    trd_v8 cv = {0};
    cv += c;
    size_t t = 0;
    for (; t + 8 <= n; t += 8) {
        trd_v8 u, z;
        V8_LOAD(u, y + t);
        V8_LOAD(z, x + t);
        u += cv * z;
        V8_STORE(y + t, u);
    }
    for (; t < n; t++) y[t] += c * x[t];
}

/* One row of the fused tridiagonalisation step, columns [j0, j1): the pending rank-2 update
 * row[j] -= vpi wp[j] + wpi vp[j], then p[j] += row[j] vi; returns sum row[j] v[j]. */
ALWAYS double k_row(double *row, const double *vp, const double *wp, double vpi, double wpi, const double *v,
                    double vi, double *p, size_t j0, size_t j1) {
    trd_v8 s = {0}, bvp = {0}, bwp = {0}, bv = {0};
    bvp += vpi;
    bwp += wpi;
    bv += vi;
    size_t j = j0;
    for (; j + 8 <= j1; j += 8) {
        trd_v8 x, y, z, q;
        V8_LOAD(x, row + j);
        V8_LOAD(y, wp + j);
        V8_LOAD(z, vp + j);
        x = x - bvp * y - bwp * z;
        V8_STORE(row + j, x);
        V8_LOAD(y, v + j);
        V8_LOAD(q, p + j);
        s += x * y;
        q += x * bv;
        V8_STORE(p + j, q);
    }
    double r = V8_SUM(s);
    for (; j < j1; j++) {
        double x = row[j] - vpi * wp[j] - wpi * vp[j];
        row[j] = x;
        r += x * v[j];
        p[j] += x * vi;
    }
    return r;
}

/* Reduces t->a (lower triangle) to tridiagonal form: diagonal t->d, subdiagonal t->e, reflector
 * k = I - tau[k] v v' with v[k + 1] = 1 and v[i] (i >= k + 2) stored in a[i n + k]. */
ALWAYS void k_tridiag(vs__fa_trd *t) {
    size_t n = t->n;
    double *a = t->a, *d = t->d, *e = t->e, *tau = t->tau;
    double *vp = t->v0, *wp = t->w0, *v = t->v1, *p = t->w1;
    memset(vp, 0, n * sizeof(double));
    memset(wp, 0, n * sizeof(double));
    for (size_t k = 0; k < n; k++) {
        /* column k (rows k..n-1) receives the previous step's update */
        double vpk = vp[k], wpk = wp[k];
        for (size_t i = k; i < n; i++) a[i * n + k] = a[i * n + k] - vp[i] * wpk - wp[i] * vpk;
        d[k] = a[k * n + k];
        if (k + 1 == n) break;
        /* the reflector that zeroes a[k+2.., k] (dlarfg) */
        double alpha = a[(k + 1) * n + k], amax = 0;
        for (size_t i = k + 2; i < n; i++)
            if (fabs(a[i * n + k]) > amax) amax = fabs(a[i * n + k]);
        double xnorm = 0;
        if (amax > 0) {
            double inv = 1.0 / amax, ss = 0;
            for (size_t i = k + 2; i < n; i++) {
                double q = a[i * n + k] * inv;
                ss += q * q;
            }
            xnorm = amax * sqrt(ss);
        }
        memset(v, 0, n * sizeof(double));
        if (xnorm == 0) {
            tau[k] = 0;
            e[k] = alpha;
        } else {
            double beta = -copysign(hypot(alpha, xnorm), alpha);
            tau[k] = (beta - alpha) / beta;
            double sc = 1.0 / (alpha - beta);
            v[k + 1] = 1;
            for (size_t i = k + 2; i < n; i++) v[i] = a[i * n + k] *= sc;
            e[k] = beta;
        }
        /* one pass over the trailing triangle: the pending update, and p = A v. A row's columns
         * [k + 1, i) start earlier when possible so that their count is a multiple of 8 (no scalar
         * tail): there vp = wp = v = 0, so the row is rewritten unchanged and adds nothing to the
         * sum, and p below k + 1 (garbage, not used) is cleared afterwards */
        memset(p, 0, n * sizeof(double));
        for (size_t i = k + 1; i < n; i++) {
            double *row = a + i * n;
            double s = k_row(row, vp, wp, vp[i], wp[i], v, v[i], p, k + 1, i);
            double aii = row[i] - vp[i] * wp[i] - wp[i] * vp[i];
            row[i] = aii;
            p[i] += s + aii * v[i];
        }
        /* w = tau p - (tau / 2)(tau p' v) v becomes the pending update */
        double tk = tau[k];
        for (size_t i = k + 1; i < n; i++) p[i] *= tk;
        double al = -0.5 * tk * k_dot(p + k + 1, v + k + 1, n - k - 1);
        for (size_t i = k + 1; i < n; i++) p[i] += al * v[i];
        double *sw = vp;
        vp = v;
        v = sw;
        sw = wp;
        wp = p;
        p = sw;
    }
}

/* In-place Cholesky a = U' U (upper triangle, row-major; the lower triangle is not touched),
 * right-looking so that the inner loops are independent row updates; VS_ENUMERIC when a is not
 * positive definite */
ALWAYS int k_chol(double *a, size_t n) {
    for (size_t k = 0; k < n; k++) {
        double *uk = a + k * n;
        double s = uk[k];
        if (!(s > 0)) return VS_ENUMERIC;
        s = sqrt(s);
        uk[k] = s;
        double inv = 1.0 / s;
        for (size_t j = k + 1; j < n; j++) uk[j] *= inv;
        for (size_t i = k + 1; i < n; i++) k_axpy(a + i * n + i, -uk[i], uk + i, n - i);
    }
    return VS_OK;
}

/* out[i] = (A^-1)_ii from the Cholesky factor u: Y = U^-1 row by row from the last into y,
 * A^-1 = Y Y', so (A^-1)_ii is the squared norm of row i of Y */
ALWAYS void k_inv_diag(double *out, const double *u, double *y, size_t n) {
    for (size_t i = n; i-- > 0;) {
        double *yi = y + i * n;
        const double *ui = u + i * n;
        memset(yi + i, 0, (n - i) * sizeof(double));
        for (size_t k = i + 1; k < n; k++) k_axpy(yi + k, -ui[k], y + k * n + k, n - k);
        yi[i] = 1.0;
        double inv = 1.0 / ui[i];
        for (size_t j = i; j < n; j++) yi[j] *= inv;
        out[i] = k_dot(yi + i, yi + i, n - i);
    }
}

/* b = (U' U)^-1 b */
ALWAYS void k_chol_solve(const double *u, size_t n, double *b) {
    for (size_t k = 0; k < n; k++) {
        b[k] /= u[k * n + k];
        k_axpy(b + k + 1, -b[k], u + k * n + k + 1, n - k - 1);
    }
    for (size_t i = n; i-- > 0;) b[i] = (b[i] - k_dot(u + i * n + i + 1, b + i + 1, n - i - 1)) / u[i * n + i];
}

/* the three instances of every kernel */
#define VS_TRD_INSTANCES(ATTR, SUFFIX)                                                                         \
    ATTR static void tridiag_##SUFFIX(vs__fa_trd *t) { k_tridiag(t); }                                        \
    ATTR static int chol_##SUFFIX(double *a, size_t n) { return k_chol(a, n); }                               \
    ATTR static void inv_diag_##SUFFIX(double *out, const double *u, double *y, size_t n) {                   \
        k_inv_diag(out, u, y, n);                                                                              \
    }                                                                                                          \
    ATTR static void chol_solve_##SUFFIX(const double *u, size_t n, double *b) { k_chol_solve(u, n, b); }

VS_TRD_INSTANCES(, generic)
#if defined(__GNUC__) && defined(__x86_64__)
#define VS_TRD_X86 1
VS_TRD_INSTANCES(__attribute__((target("avx2,fma"))), avx2)
VS_TRD_INSTANCES(__attribute__((target("avx512f,fma"))), avx512)
#endif

int vs__fa_trd_best_level(void) {
    static int level = -1;
    int l = __atomic_load_n(&level, __ATOMIC_RELAXED);
    if (l >= 0) return l;
    l = 0;
#ifdef VS_TRD_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) l = 1;
    if (l == 1 && __builtin_cpu_supports("avx512f")) l = 2;
#endif
    __atomic_store_n(&level, l, __ATOMIC_RELAXED);
    return l;
}

#ifdef VS_TRD_X86
#define VS_TRD_DISPATCH(level, call)                                                                           \
    do {                                                                                                       \
        if ((level) >= 2) call(avx512);                                                                        \
        else if ((level) == 1) call(avx2);                                                                     \
        else call(generic);                                                                                    \
    } while (0)
#else
#define VS_TRD_DISPATCH(level, call) call(generic)
#endif

int vs__fa_trd_init(vs__fa_trd *t, size_t n) {
    memset(t, 0, sizeof *t);
    t->n = n;
    t->level = vs__fa_trd_best_level();
    size_t nn = n > 0 ? n : 1;
    t->a = vs__malloc((nn * nn + 13 * nn) * sizeof(double));
    t->iwork = vs__malloc(6 * nn * sizeof(lapack_int));
    if (!t->a || !t->iwork) {
        vs__fa_trd_free(t);
        return vs__nomem("fa eigensolver");
    }
    t->d = t->a + nn * nn;
    t->e = t->d + nn;
    t->tau = t->e + nn;
    t->v0 = t->tau + nn;
    t->w0 = t->v0 + nn;
    t->v1 = t->w0 + nn;
    t->w1 = t->v1 + nn;
    t->work = t->w1 + nn; /* 6n: dstebz 4n, dstein 5n, then dstebz's values */
    return VS_OK;
}

void vs__fa_trd_free(vs__fa_trd *t) {
    vs__free(t->a);
    vs__free(t->iwork);
    memset(t, 0, sizeof *t);
}

/* copies the upper triangle of a (the triangle LAPACK's 'L' reads in column-major; diagonal from
 * diag when not NULL) into the lower one of t->a and reduces it */
static int reduce(vs__fa_trd *t, const double *a, const double *diag) {
    size_t n = t->n;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++) t->a[i * n + j] = a[j * n + i];
        t->a[i * n + i] = diag ? diag[i] : a[i * n + i];
        for (size_t j = 0; j <= i; j++)
            if (!isfinite(t->a[i * n + j])) return vs__error(VS_ENUMERIC, "fa eigensolver: non-finite matrix entry");
    }
#define VS_TRD_CALL(s) tridiag_##s(t)
    VS_TRD_DISPATCH(t->level, VS_TRD_CALL);
#undef VS_TRD_CALL
    return VS_OK;
}

int vs__fa_trd_values(vs__fa_trd *t, double *w, const double *a, const double *diag) {
    size_t n = t->n;
    if (n == 0) return VS_OK;
    int rc = reduce(t, a, diag);
    if (rc != VS_OK) return rc;
    lapack_int info = LAPACKE_dsterf_work((lapack_int)n, t->d, t->e);
    if (info != 0) return vs__error(VS_ENUMERIC, "fa eigensolver: dsterf failed (info %d)", (int)info);
    for (size_t i = 0; i < n; i++) w[i] = t->d[n - 1 - i];
    return VS_OK;
}

int vs__fa_trd_top(vs__fa_trd *t, double *lambda, double *vec, const double *a, const double *diag) {
    size_t n = t->n;
    if (n == 0) return VS_OK;
    int rc = reduce(t, a, diag);
    if (rc != VS_OK) return rc;
    lapack_int m = 0, nsplit = 0;
    lapack_int *iblock = t->iwork, *isplit = iblock + n, *iw = isplit + n; /* iw: 3n, then n + 1 */
    double *wv = t->work + 5 * n; /* dstebz returns more than one value when the largest is multiple */
    lapack_int info = LAPACKE_dstebz_work('I', 'B', (lapack_int)n, 0, 0, (lapack_int)n, (lapack_int)n, 0.0, t->d,
                                          t->e, &m, &nsplit, wv, iblock, isplit, t->work, iw);
    if (info != 0 || m < 1) return vs__error(VS_ENUMERIC, "fa eigensolver: dstebz failed (info %d)", (int)info);
    size_t top = 0;
    for (size_t i = 1; i < (size_t)m; i++)
        if (wv[i] > wv[top]) top = i;
    info = LAPACKE_dstein_work(LAPACK_COL_MAJOR, (lapack_int)n, t->d, t->e, 1, wv + top, iblock + top, isplit, vec,
                               (lapack_int)n, t->work, iw, iw + n);
    if (info != 0) return vs__error(VS_ENUMERIC, "fa eigensolver: dstein failed (info %d)", (int)info);
    double wl = wv[top];
    /* vec = H_0 H_1 ... H_{n-2} y */
    for (size_t k = n - 1; k-- > 0;) {
        if (t->tau[k] == 0) continue;
        double s = vec[k + 1];
        for (size_t i = k + 2; i < n; i++) s += t->a[i * n + k] * vec[i];
        s *= t->tau[k];
        vec[k + 1] -= s;
        for (size_t i = k + 2; i < n; i++) vec[i] -= s * t->a[i * n + k];
    }
    *lambda = wl;
    return VS_OK;
}

int vs__fa_chol(const vs__fa_trd *t, double *a, size_t n) {
    int rc;
#define VS_TRD_CALL(s) rc = chol_##s(a, n)
    VS_TRD_DISPATCH(t->level, VS_TRD_CALL);
#undef VS_TRD_CALL
    return rc;
}

void vs__fa_chol_inv_diag(const vs__fa_trd *t, double *out, const double *u, double *scratch, size_t n) {
#define VS_TRD_CALL(s) inv_diag_##s(out, u, scratch, n)
    VS_TRD_DISPATCH(t->level, VS_TRD_CALL);
#undef VS_TRD_CALL
}

void vs__fa_chol_solve(const vs__fa_trd *t, const double *u, size_t n, double *b) {
#define VS_TRD_CALL(s) chol_solve_##s(u, n, b)
    VS_TRD_DISPATCH(t->level, VS_TRD_CALL);
#undef VS_TRD_CALL
}

/* ======================================================================== cross products */

/* Cross products of column-major columns (each of length n): a tile of 4 columns a.. x 2 columns
 * b.., four partial sums per entry (one per lane, rows t = lane mod 4) so that the loop over rows
 * vectorises without reassociation; acc[u][v] += the sum over rows [t0, t1), t1 - t0 a multiple of 4. */
typedef double vs__v4d __attribute__((vector_size(32)));

#define LOAD4(v, src) memcpy(&(v), (src), sizeof(v))

#define VS_FA_TILE_BODY                                                                           \
    vs__v4d s[4][2];                                                                              \
    memset(s, 0, sizeof s);                                                                       \
    for (size_t t = t0; t < t1; t += 4) {                                                         \
        vs__v4d b0, b1;                                                                           \
        LOAD4(b0, b + t);                                                                         \
        LOAD4(b1, b + n + t);                                                                     \
        _Pragma("GCC unroll 4") /* registers for s also at -O2 */                                 \
        for (int u = 0; u < 4; u++) {                                                             \
            vs__v4d au;                                                                           \
            LOAD4(au, a + (size_t)u * n + t);                                                     \
            s[u][0] += au * b0;                                                                   \
            s[u][1] += au * b1;                                                                   \
        }                                                                                         \
    }                                                                                             \
    for (int u = 0; u < 4; u++)                                                                   \
        for (int v = 0; v < 2; v++) acc[u * 2 + v] += (s[u][v][0] + s[u][v][1]) + (s[u][v][2] + s[u][v][3]);

static void tile_generic(double *acc, const double *a, const double *b, size_t n, size_t t0, size_t t1) {
    VS_FA_TILE_BODY
}

#if defined(__GNUC__) && defined(__x86_64__)
#define VS_FA_TILE_AVX2 1
__attribute__((target("avx2,fma"))) static void tile_avx2(double *acc, const double *a, const double *b,
                                                         size_t n, size_t t0, size_t t1) {
    VS_FA_TILE_BODY
}
#endif

void vs__fa_tile42(double *acc, const double *a, const double *b, size_t n, size_t t0, size_t t1) {
#ifdef VS_FA_TILE_AVX2
    static int have = -1;
    if (have < 0) {
        __builtin_cpu_init();
        have = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    if (have) {
        tile_avx2(acc, a, b, n, t0, t1);
        return;
    }
#endif
    tile_generic(acc, a, b, n, t0, t1);
}

#ifdef VS_FA_TILE_AVX2
/* AVX-512: a tile of 4 columns a.. x 4 columns b.. with eight partial sums per entry (lane = row
 * mod 8); acc[u * 4 + v] += the sum over rows [t0, t1), t1 - t0 a multiple of 8. */
typedef double vs__v8d __attribute__((vector_size(64)));
#define LOAD8(v, src) memcpy(&(v), (src), sizeof(v))

__attribute__((target("avx512f,fma"))) static void tile44_avx512(double *acc, const double *a, const double *b,
                                                                 size_t n, size_t t0, size_t t1) {
    vs__v8d s[4][4];
    memset(s, 0, sizeof s);
    /* (unrolled also at -O2, so that the 16 accumulators live in registers) */
    for (size_t t = t0; t < t1; t += 8) {
        vs__v8d bv[4];
#pragma GCC unroll 4
        for (int v = 0; v < 4; v++) LOAD8(bv[v], b + (size_t)v * n + t);
#pragma GCC unroll 4
        for (int u = 0; u < 4; u++) {
            vs__v8d au;
            LOAD8(au, a + (size_t)u * n + t);
#pragma GCC unroll 4
            for (int v = 0; v < 4; v++) s[u][v] += au * bv[v];
        }
    }
    for (int u = 0; u < 4; u++)
        for (int v = 0; v < 4; v++) {
            vs__v8d q = s[u][v];
            acc[u * 4 + v] += ((q[0] + q[1]) + (q[2] + q[3])) + ((q[4] + q[5]) + (q[6] + q[7]));
        }
}

/* X' X by 4 x 4 tiles over row chunks: per chunk, each block of 4 columns (in L1) against the
 * blocks at and after it; entries outside the tiled blocks and rows past n8 by the caller */
static void crossprod_avx512(double *r, const double *x, size_t n, size_t p, size_t n8, size_t p4) {
    size_t chunk = 512;
    for (size_t t0 = 0; t0 < n8; t0 += chunk) {
        size_t t1 = t0 + chunk < n8 ? t0 + chunk : n8;
        for (size_t i0 = 0; i0 < p4; i0 += 4)
            for (size_t j0 = i0; j0 < p4; j0 += 4) {
                double acc[16] = {0};
                tile44_avx512(acc, x + i0 * n, x + j0 * n, n, t0, t1);
                for (int u = 0; u < 4; u++)
                    for (int v = 0; v < 4; v++) r[(i0 + (size_t)u) * p + j0 + (size_t)v] += acc[u * 4 + v];
            }
    }
}
#endif

void vs__fa_crossprod(double *r, const double *x, size_t n, size_t p) {
    size_t n4 = n - n % 4, chunk = 256;
    for (size_t i = 0; i < p * p; i++) r[i] = 0;
    size_t p4 = p - p % 4;
    for (size_t t0 = 0; t0 < n4; t0 += chunk) {
        size_t t1 = t0 + chunk < n4 ? t0 + chunk : n4;
        for (size_t j0 = 0; j0 + 2 <= p; j0 += 2)
            for (size_t i0 = 0; i0 < p4 && i0 <= j0 + 1; i0 += 4) {
                double acc[8] = {0};
                vs__fa_tile42(acc, x + i0 * n, x + j0 * n, n, t0, t1);
                for (int u = 0; u < 4; u++)
                    for (int v = 0; v < 2; v++) r[(i0 + (size_t)u) * p + j0 + (size_t)v] += acc[u * 2 + v];
            }
    }
    /* entries no tile covered (odd last column, rows i >= p4), and the rows beyond n4 */
    for (size_t i = 0; i < p; i++)
        for (size_t j = i; j < p; j++) {
            int tiled = i < p4 && j < p - p % 2;
            double s = 0;
            for (size_t t = tiled ? n4 : 0; t < n; t++) s += x[i * n + t] * x[j * n + t];
            r[i * p + j] += s;
        }
    for (size_t i = 0; i < p; i++)
        for (size_t j = i + 1; j < p; j++) r[j * p + i] = r[i * p + j];
}

/* X' X for the resampler: 4 x 4 AVX-512 tiles where the CPU has them, else as vs__fa_crossprod
 * (which stays as it is: the correlations of the input data, hence the observed values, do not
 * depend on the CPU beyond FMA) */
void vs__fa_crossprod_resample(double *r, const double *x, size_t n, size_t p) {
#ifdef VS_FA_TILE_AVX2
    if (vs__fa_trd_best_level() < 2) {
        vs__fa_crossprod(r, x, n, p);
        return;
    }
    for (size_t i = 0; i < p * p; i++) r[i] = 0;
    size_t nt = n - n % 8, pi = p - p % 4, pj = pi;
    crossprod_avx512(r, x, n, p, nt, pi);
    /* entries no tile covered (columns from pi on), and the rows beyond nt */
    for (size_t i = 0; i < p; i++)
        for (size_t j = i; j < p; j++) {
            int tiled = i < pi && j < pj;
            double s = 0;
            for (size_t t = tiled ? nt : 0; t < n; t++) s += x[i * n + t] * x[j * n + t];
            r[i * p + j] += s;
        }
    for (size_t i = 0; i < p; i++)
        for (size_t j = i + 1; j < p; j++) r[j * p + i] = r[i * p + j];
#else
    vs__fa_crossprod(r, x, n, p);
#endif
}
