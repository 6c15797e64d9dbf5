/* The per-set work of parallel analysis without the general extraction machinery: eigenvalues of
 * R ("pc") and of the one-factor minres reduced matrix ("fa"), with one workspace reused over all
 * simulated/resampled sets, and the correlation of column-wise resampled complete data.
 *
 * One-factor minres (= uls when no bound is active) minimises g(l) = sum_{i != j} (R_ij - l_i l_j)^2
 * over the loadings l directly: its stationary points are the profile's (l an eigenvector of R
 * with diagonal l^2, eigenvalue ||l||^2), so Newton's method on l (p x p Cholesky per step, no
 * eigenproblem) from psych's start (top eigenpair of R with the SMC on the diagonal) reaches the
 * solution the psi-profiled optimiser finds, to rounding, in a handful of steps. The result is
 * accepted only when l is the eigenvector of the largest eigenvalue of its own reduced matrix (the
 * profile's choice); when it is not, when a loading leaves psych's bounds (h^2 > 1 - 0.005) or
 * Newton fails, the general extraction is used.
 *
 * The dense work (eigenvalues, the start's eigenpair, Cholesky, cross products) uses the
 * vectorised kernels of kernels.c rather than LAPACK over the reference BLAS; the resampler draws
 * its indices in batches (AVX-512 compress where the CPU has it); every path gives the same
 * indices, and values equal to rounding. */
#include <math.h>
#include <string.h>
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif

#include "fa/fa_internal.h"

int vs__fa_par_ws_init(vs__fa_par_ws *w, size_t p) {
    memset(w, 0, sizeof *w);
    w->p = p;
    w->buf = vs__malloc((2 * p * p + 6 * p) * sizeof(double));
    if (!w->buf) return vs__nomem("vs_fa_parallel");
    w->a = w->buf;
    w->h = w->a + p * p;
    w->l = w->h + p * p;
    w->g = w->l + p;
    w->d = w->g + p;
    w->ln = w->d + p;
    w->rl = w->ln + p;
    w->psi = w->rl + p;
    int rc = vs__fa_trd_init(&w->trd, p);
    if (rc != VS_OK) {
        vs__free(w->buf);
        w->buf = NULL;
    }
    return rc;
}

void vs__fa_par_ws_free(vs__fa_par_ws *w) {
    vs__fa_trd_free(&w->trd);
    vs__free(w->buf);
    memset(w, 0, sizeof *w);
}

/* g(l) and, when grad is not NULL, its gradient; rl receives R l. */
static double g_at(const double *r, const double *l, size_t p, double *grad, double *rl) {
    double nl = 0;
    for (size_t i = 0; i < p; i++) nl += l[i] * l[i];
    double f = 0;
    for (size_t i = 0; i < p; i++) {
        const double *ri = r + i * p;
        double li = l[i], s = 0, fi = 0;
        for (size_t j = 0; j < p; j++) {
            double e = ri[j] - li * l[j];
            fi += e * e;
            s += ri[j] * l[j];
        }
        double e = ri[i] - li * li; /* the diagonal term is not part of g */
        f += fi - e * e;
        if (rl) rl[i] = s;
        if (grad) grad[i] = -4.0 * (s - ri[i] * li - li * (nl - li * li));
    }
    return f;
}

/* Newton's method on g from w->l; VS_OK when converged, VS_ENUMERIC (no message) otherwise. */
static int fa1_newton(vs__fa_par_ws *w, const double *r) {
    size_t p = w->p;
    double *l = w->l, *g = w->g, *d = w->d, *ln = w->ln, *h = w->h;
    double f = g_at(r, l, p, g, w->rl), prev_gmax = INFINITY;
    for (int it = 0; it < 100; it++) {
        w->newton_iters = it;
        double gmax = 0, nl = 0;
        for (size_t i = 0; i < p; i++) {
            if (fabs(g[i]) > gmax) gmax = fabs(g[i]);
            nl += l[i] * l[i];
        }
        if (gmax <= 1e-12 * (1.0 + f)) return VS_OK;
        /* in the quadratic regime a full step that does not halve the gradient means rounding */
        if (gmax <= 1e-8 * (1.0 + f) && gmax > 0.5 * prev_gmax) return VS_OK;
        prev_gmax = gmax;
        /* Hessian (its upper triangle): H_ii = 4 (||l||^2 - l_i^2), H_ij = -4 (R_ij - 2 l_i l_j) */
        for (size_t i = 0; i < p; i++) {
            h[i * p + i] = 4.0 * (nl - l[i] * l[i]);
            for (size_t j = i + 1; j < p; j++) h[i * p + j] = -4.0 * (r[i * p + j] - 2.0 * l[i] * l[j]);
        }
        for (size_t i = 0; i < p; i++) d[i] = -g[i];
        int newton = vs__fa_chol(&w->trd, h, p) == VS_OK;
        if (newton) vs__fa_chol_solve(&w->trd, h, p, d);
        if (!newton) /* not convex here: a diagonally scaled gradient step */
            for (size_t i = 0; i < p; i++) {
                double hi = 4.0 * (nl - l[i] * l[i]);
                d[i] = -g[i] / (hi > 1e-8 ? hi : 1e-8);
            }
        double slope = 0;
        for (size_t i = 0; i < p; i++) slope += g[i] * d[i];
        if (!(slope < 0)) return gmax <= 1e-9 * (1.0 + f) ? VS_OK : VS_ENUMERIC;
        double t = 1.0, fn = f;
        int ok = 0;
        if (newton && gmax <= 1e-6 * (1.0 + f)) { /* quadratic regime: the full step, f is at rounding level */
            for (size_t i = 0; i < p; i++) l[i] += d[i];
            f = g_at(r, l, p, g, w->rl);
            continue;
        }
        for (int ls = 0; ls < 40; ls++, t *= 0.5) {
            for (size_t i = 0; i < p; i++) ln[i] = l[i] + t * d[i];
            fn = g_at(r, ln, p, NULL, NULL);
            if (fn <= f + 1e-4 * t * slope) {
                ok = 1;
                break;
            }
        }
        if (!ok) return gmax <= 1e-9 * (1.0 + f) ? VS_OK : VS_ENUMERIC;
        memcpy(l, ln, p * sizeof(double));
        f = g_at(r, l, p, g, w->rl);
    }
    return VS_ENUMERIC;
}

/* Eigenvalues (decreasing) of the symmetric r with its diagonal replaced by diag, into out. */
static int values_with_diag(vs__fa_par_ws *w, double *out, const double *r, const double *diag) {
    return vs__fa_trd_values(&w->trd, out, r, diag);
}

/* the general path (any method; also the fallback) */
static int general(vs__fa_par_ws *w, double *fav, const double *r, int method) {
    vs__fa_extract x;
    memset(&x, 0, sizeof x);
    x.r = r;
    x.p = w->p;
    x.k = 1;
    x.method = method;
    x.max_iter = method == VS_FA_PA || method == VS_FA_ALPHA ? 50 : 1000;
    x.n_obs = 1; /* minchi: equal weights (no pairwise counts here; the scale does not move the optimum) */
    x.starts = 1;
    x.loadings = w->l;
    x.psi = w->psi;
    x.values = fav;
    return vs__fa_extract_run(&x);
}

/* psych's start: the top eigenpair of R with the SMC on the diagonal, into w->l */
static int smc_start(vs__fa_par_ws *w, const double *r) {
    size_t p = w->p;
    memcpy(w->a, r, p * p * sizeof(double));
    if (vs__fa_chol(&w->trd, w->a, p) != VS_OK) return VS_ENUMERIC;
    vs__fa_chol_inv_diag(&w->trd, w->psi, w->a, w->h, p); /* (R^-1)_ii */
    for (size_t i = 0; i < p; i++) {
        double v = 1.0 - 1.0 / w->psi[i];
        w->psi[i] = !isfinite(v) ? 1.0 : v > 1 ? 1 : v < 0 ? 0 : v;
    }
    double lam;
    if (vs__fa_trd_top(&w->trd, &lam, w->l, r, w->psi) != VS_OK) return VS_ENUMERIC;
    double sc = lam > 0 ? sqrt(lam) : 0;
    for (size_t i = 0; i < p; i++) w->l[i] *= sc;
    return VS_OK;
}

int vs__fa_par_values(vs__fa_par_ws *w, double *pc, double *fav, const double *r, int method) {
    size_t p = w->p;
    w->fallback = 0;
    w->newton_iters = 0;
    int rc0 = vs__fa_trd_values(&w->trd, pc, r, NULL);
    if (rc0 != VS_OK) return rc0;
    if ((method != VS_FA_MINRES && method != VS_FA_ULS) || w->force_general) goto fallback;
    /* psych's start, so that the same one of several local optima is reached */
    if (smc_start(w, r) == VS_OK && fa1_newton(w, r) == VS_OK) {
        double nl = 0;
        int inside = 1;
        for (size_t i = 0; i < p; i++) {
            w->psi[i] = w->l[i] * w->l[i];
            nl += w->psi[i];
            if (!(w->psi[i] <= 1.0 - VS_FA_PSI_LOWER)) inside = 0;
        }
        if (!inside) goto fallback;
        int rc = values_with_diag(w, fav, r, w->psi);
        if (rc != VS_OK) return rc;
        /* certificate: l must be the eigenvector of the largest eigenvalue of its reduced matrix
         * (the profile's choice); another stationary point is a different solution */
        if (fav[0] <= nl + 1e-9 * (1.0 + nl)) return VS_OK;
    }
fallback:
    w->fallback = 1;
    return general(w, fav, r, method);
}

/* Uniform indices below n (n < 2^32) from 64-bit draws cut into 16-bit (n <= 2^16: four per
 * draw) or 32-bit pieces (two per draw), by Lemire's multiply-and-reject: the product's low half
 * below 2^bits mod n is rejected, so every index is exactly uniform. */
typedef struct idx_source {
    vs__rng *g;
    uint64_t n, buf;
    uint32_t thresh, bits, mask;
    int left;
} idx_source;

static void idx_init(idx_source *s, vs__rng *g, size_t n) {
    s->g = g;
    s->n = n;
    s->bits = n <= 0x10000 ? 16 : 32;
    s->mask = s->bits == 16 ? 0xFFFFu : 0xFFFFFFFFu;
    s->thresh = (uint32_t)(((UINT64_C(1) << s->bits) - n) % n);
    s->left = 0;
    s->buf = 0;
}

static inline uint32_t idx_next(idx_source *s) {
    for (;;) {
        if (s->left == 0) {
            s->buf = vs__rng_next(s->g);
            s->left = (int)(64 / s->bits);
        }
        uint64_t x = s->buf & s->mask;
        s->buf >>= s->bits;
        s->left--;
        uint64_t m = x * s->n;
        if ((uint32_t)(m & s->mask) >= s->thresh) return (uint32_t)(m >> s->bits);
    }
}

#if defined(__GNUC__) && defined(__x86_64__)
#define VS_FA_PAR_X86 1
#endif

#ifdef VS_FA_PAR_X86
/* 16-bit pieces of 8 draws at once: 32 candidates multiplied by n, the accepted ones compressed
 * to the front in order; returns the new t. Needs count - t >= 32 (a batch gives at most 32). */
__attribute__((target("avx512f"))) static size_t idx_fill16_avx512(idx_source *s, uint32_t *out, size_t t,
                                                                   size_t count) {
    const __m512i vn = _mm512_set1_epi32((int)s->n), vt = _mm512_set1_epi32((int)s->thresh);
    const __m512i low = _mm512_set1_epi32(0xFFFF);
    uint64_t draws[8];
    while (count - t >= 32) {
        for (int q = 0; q < 8; q++) draws[q] = vs__rng_next(s->g);
        __m512i x = _mm512_loadu_si512((const void *)draws);
        __m512i half[2] = {_mm512_cvtepu16_epi32(_mm512_castsi512_si256(x)),
                           _mm512_cvtepu16_epi32(_mm512_extracti64x4_epi64(x, 1))};
        for (int h = 0; h < 2; h++) {
            __m512i m = _mm512_mullo_epi32(half[h], vn); /* < 2^32: both factors are at most 2^16 */
            __mmask16 ok = _mm512_cmpge_epu32_mask(_mm512_and_si512(m, low), vt);
            _mm512_storeu_si512((void *)(out + t), _mm512_maskz_compress_epi32(ok, _mm512_srli_epi32(m, 16)));
            t += (size_t)__builtin_popcount((unsigned)ok);
        }
    }
    return t;
}
#endif

/* count indices exactly as count calls of idx_next: whole draws without branches (a draw gives
 * at most 64 / bits indices, so none is taken beyond count), pieces left over one by one */
static void idx_fill(idx_source *s, uint32_t *out, size_t count) {
    size_t t = 0;
    while (t < count && s->left > 0) out[t++] = idx_next(s);
    const uint64_t n = s->n;
    const uint32_t thresh = s->thresh;
    if (s->bits == 16) {
#ifdef VS_FA_PAR_X86
        /* (the stores write 16 lanes: t + 16 <= count holds before each) */
        if (vs__fa_trd_best_level() >= 2) t = idx_fill16_avx512(s, out, t, count);
#endif
        while (count - t >= 4) {
            uint64_t x = vs__rng_next(s->g);
            for (int q = 0; q < 4; q++, x >>= 16) {
                uint64_t m = (x & 0xFFFFu) * n;
                out[t] = (uint32_t)(m >> 16);
                t += (uint32_t)(m & 0xFFFFu) >= thresh;
            }
        }
    } else {
        while (count - t >= 2) {
            uint64_t x = vs__rng_next(s->g);
            for (int q = 0; q < 2; q++, x >>= 32) {
                uint64_t m = (x & 0xFFFFFFFFu) * n;
                out[t] = (uint32_t)(m >> 32);
                t += (uint32_t)m >= thresh;
            }
        }
    }
    while (t < count) out[t++] = idx_next(s);
}

/* sum of (v[t] - c) with four partial sums (lane t mod 4, the last n mod 4 terms in lane 0) */
static double sum4(const double *v, size_t n, double c) {
    double a[4] = {0, 0, 0, 0};
    size_t t = 0;
    for (; t + 4 <= n; t += 4)
        for (int q = 0; q < 4; q++) a[q] += v[t + (size_t)q] - c;
    for (; t < n; t++) a[0] += v[t] - c;
    return (a[0] + a[1]) + (a[2] + a[3]);
}

int vs__fa_resample_cor(double *r, double *s, const double *xc, size_t n, size_t p, vs__rng *g,
                        const char *where) {
    idx_source src;
    idx_init(&src, g, n);
    /* column by column: the source column stays in cache while it is sampled; indices in blocks */
    uint32_t idx[1024];
    for (size_t j = 0; j < p; j++) {
        const double *col = xc + j * n;
        double *out = s + j * n;
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0; /* partial sums by t mod 4, the last n mod 4 rows in a0 */
        size_t n4 = n - n % 4;
#if defined(__GNUC__)
        if (j == 0)
            for (size_t t = 0; t < n; t += 8) __builtin_prefetch(col + t); /* sequential, before the random reads */
#endif
        for (size_t t0 = 0; t0 < n; t0 += 1024) {
            size_t len = n - t0 < 1024 ? n - t0 : 1024;
#if defined(__GNUC__)
            if (j + 1 < p) /* the next column's lines while this one is sampled */
                for (size_t t = t0; t < t0 + len; t += 8) __builtin_prefetch(col + n + t);
#endif
            idx_fill(&src, idx, len);
            double *o = out + t0;
            size_t t = 0;
            for (; t + 4 <= len && t0 + t < n4; t += 4) {
                double v0 = col[idx[t]], v1 = col[idx[t + 1]], v2 = col[idx[t + 2]], v3 = col[idx[t + 3]];
                o[t] = v0;
                o[t + 1] = v1;
                o[t + 2] = v2;
                o[t + 3] = v3;
                a0 += v0;
                a1 += v1;
                a2 += v2;
                a3 += v3;
            }
            for (; t < len; t++) {
                o[t] = col[idx[t]];
                a0 += o[t];
            }
        }
        double m = ((a0 + a1) + (a2 + a3)) / (double)n;
        m += sum4(out, n, m) / (double)n; /* one refinement, as R's mean */
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        size_t t = 0;
        for (; t + 4 <= n; t += 4) {
            double v0 = out[t] - m, v1 = out[t + 1] - m, v2 = out[t + 2] - m, v3 = out[t + 3] - m;
            out[t] = v0;
            out[t + 1] = v1;
            out[t + 2] = v2;
            out[t + 3] = v3;
            b0 += v0 * v0;
            b1 += v1 * v1;
            b2 += v2 * v2;
            b3 += v3 * v3;
        }
        for (; t < n; t++) {
            out[t] -= m;
            b0 += out[t] * out[t];
        }
        double ss = (b0 + b1) + (b2 + b3);
        if (!(ss > 0)) return vs__error(VS_EUNDEFINED, "%s: resampled column %zu is constant", where, j + 1);
    }
    /* correlations from the centred cross products: c_ij / sqrt(c_ii c_jj) */
    vs__fa_crossprod_resample(r, s, n, p);
    for (size_t i = 0; i < p; i++) r[i * p + i] = 1.0 / sqrt(r[i * p + i]);
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++)
            if (j != i) r[i * p + j] *= r[i * p + i] * r[j * p + j];
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
