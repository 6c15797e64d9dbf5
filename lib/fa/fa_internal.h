/* Private declarations of the factor-analysis module (lib/fa). Nothing here is exported.
 * Matrices are row-major p x p or p x k unless a comment says otherwise; LAPACK is always called
 * in column-major layout (LAPACKE's row-major wrappers allocate) on symmetric matrices or on
 * explicitly transposed copies. */
#ifndef VS_FA_INTERNAL_H
#define VS_FA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/internal.h"
#include "valuespace/fa.h"

/* psych's lower bound on psi (optim L-BFGS-B lower = .005). */
#define VS_FA_PSI_LOWER 0.005

struct vs_fa_data {
    size_t p;
    double n_obs;     /* 0 = unknown */
    double *r;        /* p x p correlation matrix */
    double *x;        /* raw data rows x p (copy) or NULL for matrix input */
    size_t rows;
    double *np;       /* pairwise counts p x p (raw input) or NULL */
    int missing;
    int cor_kind;     /* VS_FA_COR_PEARSON, _TETRACHORIC, _POLYCHORIC, VS__FA_COR_SPEARMAN or _KENDALL */
    int smoothed;     /* the correlation matrix was smoothed (cor.smooth) when it was built */
};

#define VS_FA_NSTATS 30 /* one more than the last vs_fa_stat */

/* A fitted (or loaded) solution; the arrays share one block starting at loadings. */
struct vs_fa_result {
    size_t p, k, rows;
    double *loadings, *structure, *phi, *comm, *uniq, *eig, *eig_red, *ss, *var5, *rotmat;
    double *unrot, *psi, *resid, *weights, *scores, *r, *heywood, *r2;
    double stats[VS_FA_NSTATS];
    double rmsea_ci[2];
    int has_weights;
    /* the fitted raw data's column means and standard deviations (n - 1), which standardise new
     * data for scores (has_moments; a fit from a correlation matrix has none) */
    double *mean, *sd;
    int has_moments;
    char **names; /* p variable names of a loaded solution, else NULL */
};
/* A zeroed result with its array block (solver.c); NULL when out of memory (no message). */
vs_fa_result *vs__fa_result_new(size_t p, size_t k);

struct vs_fa {
    int64_t nfactors, method, rotation, mode, starts, seed, max_iter, rotate_max_iter;
    int64_t normalize, scores, parallel_iter, map_max, threads, rotate_starts;
    double gamma, delta, power, quantile, rmsea_alpha;
    int64_t simplimax_m;    /* 0 = p (GPArotation's default k = nrow(L)) */
    double *target;         /* target_rows x target_cols, NaN = unspecified; NULL = none */
    size_t target_rows, target_cols;
    int64_t boot_iter;      /* vs_fa_bootstrap() replicates */
    double boot_alpha;      /* its intervals have confidence 1 - boot_alpha */
};

/* Random numbers: lib/common/random.h (vs__rng streams seeded by (seed, stream)). */
#include "common/random.h"

/* ---- linalg.c: symmetric eigenproblems and factorisations with our own workspace */
typedef struct vs__fa_eig {
    size_t n, lwork, liwork;
    double *a;    /* n x n scratch copy (dsyevr destroys its input) */
    double *w;    /* n eigenvalues, decreasing after a call */
    double *z;    /* n x n eigenvectors, column-major: vector j at z + j * n (j-th largest) */
    double *work;
    void *iwork;  /* lapack_int[liwork] */
    void *isuppz; /* lapack_int[2n] */
    /* warm-started subspace iteration (vs__fa_eig_top_warm) */
    size_t b;     /* block size, 0 until first use */
    int warm;     /* q holds the previous basis */
    int slow;     /* times the iteration converged too slowly; from 2 on LAPACK is used directly */
    double *q, *y, *h, *hv, *sw; /* n x b, n x b, b x b, b x b, scratch n x b */
} vs__fa_eig;
int vs__fa_eig_init(vs__fa_eig *e, size_t n);
void vs__fa_eig_free(vs__fa_eig *e);
/* The m largest eigenvalues of symmetric a (n x n, either layout), decreasing, into e->w; with
 * `vectors` also their eigenvectors into e->z. m = n gives all. VS_OK or VS_ENUMERIC. */
int vs__fa_eig_top(vs__fa_eig *e, const double *a, size_t m, int vectors);

/* The m largest eigenpairs of B = D a D + diag(off) (a symmetric n x n, D = diag(scale); NULL
 * scale/off = identity/0) by Chebyshev-filtered subspace iteration with Rayleigh-Ritz, warm-started
 * from the previous call's basis; `shift` is added implicitly so that B + shift I is positive semi-definite
 * (convergence is by magnitude). Falls back to LAPACK on the explicit B when it does not converge
 * quickly or the problem is small. Results as vs__fa_eig_top with vectors. */
int vs__fa_eig_top_warm(vs__fa_eig *e, const double *a, size_t m, double shift, const double *scale,
                        const double *off);
/* Eigen-decomposition of a small symmetric n x n matrix by cyclic Jacobi: a is destroyed (its
 * diagonal holds the eigenvalues, unordered), v receives the eigenvectors as columns. */
void vs__fa_jacobi(double *a, double *v, size_t n);
/* In-place inverse of a symmetric positive definite n x n matrix; *logdet (if not NULL) gets
 * log det. VS_ENUMERIC (no message) when not positive definite. */
int vs__fa_spd_inverse(double *a, size_t n, double *logdet);
/* In-place inverse of a symmetric (possibly indefinite) n x n matrix by LU with pivoting.
 * VS_ENUMERIC (no message) when singular, VS_ENOMEM (no message). */
int vs__fa_sym_inverse(double *a, size_t n);
/* log det of an SPD matrix (a is destroyed). VS_ENUMERIC when not positive definite. */
int vs__fa_spd_logdet(double *a, size_t n, double *logdet);
/* Solves a x = b for small general n x n a (row-major, destroyed) and b (n x m row-major,
 * overwritten by x) with partial pivoting. VS_ENUMERIC (no message) if singular. */
int vs__fa_solve_small(double *a, size_t n, double *b, size_t m);
/* Inverse of a small general n x n matrix into inv; a is preserved. Uses scratch of 2 n^2. */
int vs__fa_inverse_small(double *inv, const double *a, size_t n, double *scratch);
/* Polar factor U V' of a small n x n matrix x (SVD X = U D V'); also the singular value sum. */
int vs__fa_polar_small(double *out, double *sv_sum, const double *x, size_t n);
/* Pseudo-inverse based SMC fallback and the SMC: smc[i] = 1 - 1 / (R^-1)_ii clamped to [0, 1]. */
int vs__fa_smc(double *smc, const double *r, size_t p);

/* c (m x n) = a (m x q) * b (q x n) */
void vs__fa_mm(double *c, const double *a, const double *b, size_t m, size_t q, size_t n);
/* c (m x n) = a' * b with a (q x m), b (q x n) */
void vs__fa_mtm(double *c, const double *a, const double *b, size_t q, size_t m, size_t n);
/* c (m x n) = a * b' with a (m x q), b (n x q) */
void vs__fa_mmt(double *c, const double *a, const double *b, size_t m, size_t q, size_t n);

/* ---- cor.c: correlations of raw data (rows x p, NaN = missing) into r, pairwise counts into np
 * (may be NULL). Errors name `where`. */
int vs__fa_cor_raw(double *r, double *np, const double *x, size_t rows, size_t p, int missing,
                   const char *where);
/* Correlations of complete column-major centred data xc (p columns of n; scaled in place).
 * VS_EUNDEFINED naming `where` for a constant column. */
int vs__fa_cor_complete(double *r, double *xc, size_t n, size_t p, const char *where);

/* cor.c: raw input with an internal correlation kind (VS_FA_COR_* or VS__FA_COR_*), validated as
 * vs_fa_data_from_raw(); errors name `where`. */
int vs__fa_data_raw(vs_fa_data **out, const double *x, size_t rows, size_t cols, int missing, int kind,
                    const char *where);
/* Internal correlation kinds of vs_fa_data.cor_kind besides the public VS_FA_COR_* flags. */
#define VS__FA_COR_SPEARMAN 0x400
#define VS__FA_COR_KENDALL 0x800
/* ---- cor_rank.c: Spearman (use_kendall 0) or Kendall tau-b correlations of validated raw data
 * into r, as R's cor(method = ...) with listwise or pairwise deletion. VS_EUNDEFINED, VS_ENOMEM. */
int vs__fa_cor_rank(double *r, const double *x, size_t rows, size_t p, int missing, int use_kendall,
                    const char *where);

/* ---- bivariate.c: what tetrachoric.c and polychoric.c share */
/* P(X <= h, Y <= k) for a standard bivariate normal with correlation r (|r| <= 1). */
double vs__fa_bvn_lower(double h, double k, double r);
/* The root in (-1, 1) of an increasing score function (bracketed from 0). */
double vs__fa_root_increasing(double (*f)(void *ctx, double rho), void *ctx);

/* ---- tetrachoric.c */
/* ML tetrachoric correlation of the table n = {n00, n10, n01, n11} with thresholds ti, tj. */
double vs__fa_tetrachoric_pair(const double n[4], double ti, double tj);
/* Tetrachoric matrix of binary raw data (validated: finite or NaN) into r; *smoothed set when
 * cor.smooth was applied. VS_EINVAL (a value not of two adjacent ones), VS_EUNDEFINED, VS_ERANGE. */
int vs__fa_cor_tetrachoric(double *r, const double *x, size_t rows, size_t p, int missing, int *smoothed,
                           const char *where);

/* ---- polychoric.c */
/* Polychoric matrix of ordinal raw data (integer categories, at most 8). */
int vs__fa_cor_polychoric(double *r, const double *x, size_t rows, size_t p, int missing, int *smoothed,
                          const char *where);

/* ---- extract_ls.c: the psi-profiled objectives of minres/uls (S - Psi) and ml (Psi^-1/2 S Psi^-1/2) */
typedef struct vs__fa_objctx {
    const double *r;
    size_t p, k;
    int method;
    vs__fa_eig eig;
    double *a;         /* p x p scratch */
    double offss;      /* sum of squared off-diagonal correlations */
    double logdet_r;   /* ml only */
    int exact_minres;  /* minimise minres' own objective (full eigendecomposition per step) */
    int r_pd;          /* R is positive definite: the warm subspace eigensolver is safe */
    double *work;      /* 3p scratch for the exact minres gradient */
    double *sd;        /* 2p: scale and offset vectors of the eigenproblem */
    /* wls / gls (extract_wls.c) */
    double *wt;        /* wls: p weights 1 / (R^-1)_ii; gls: p x p R^-2 */
    double *we, *wg;   /* p x p residual E and objective gradient G with respect to E */
    double *wh;        /* p x k: G V_k, then (V' G V_k) */
} vs__fa_objctx;
int vs__fa_objctx_init(vs__fa_objctx *c, const double *r, size_t p, size_t k, int method);
void vs__fa_objctx_free(vs__fa_objctx *c);
/* extract_wls.c: the wls / gls part of vs__fa_objctx_init (c->r, p, k, method and c->eig set):
 * weights from R^-1 (VS_ENUMERIC when R is singular) and workspace; freed by vs__fa_objctx_free. */
int vs__fa_wls_init(vs__fa_objctx *c);
/* psych's wls / gls objective at psi (its fit.residuals) and its exact gradient (grad may be NULL):
 * a full eigendecomposition of S* plus O(p^2 k) (wls) or O(p^3) (gls) per call. */
double vs__fa_wls_objective(vs__fa_objctx *c, const double *psi, double *grad, int *status);
/* Objective to minimise (uls residual SS for minres/uls, ML discrepancy for ml) and gradient. */
double vs__fa_objective(void *ctx, const double *psi, double *grad, int *status);
/* Loadings (p x k, eigen order, signs not normalised) at psi, and the method's criterion
 * (minres: lower-triangle off-diagonal residual SS; uls: full SS; ml: discrepancy). */
int vs__fa_loadings_at(vs__fa_objctx *c, const double *psi, double *loadings, double *criterion);

/* ---- extraction */
typedef struct vs__fa_extract {
    /* inputs */
    const double *r;
    const double *rinv; /* R^-1 when R is positive definite, else NULL (SMC then computed) */
    const double *np;   /* minchi: p x p pairwise counts (raw input) or NULL: n_obs everywhere */
    double n_obs;
    size_t p, k;
    int method, tight;
    int64_t max_iter, starts, seed;
    /* outputs */
    double *loadings;   /* p x k unrotated, psych signs */
    double *psi;        /* p */
    double *values;     /* p eigenvalues of the reduced matrix */
    double criterion;
    int converged;
    int64_t iterations;
    int64_t best_start;
} vs__fa_extract;
/* Fills the outputs (buffers allocated by the caller). */
int vs__fa_extract_run(vs__fa_extract *x);
/* psych's principal axes (extract_pa.c). */
int vs__fa_pa(vs__fa_extract *x, const double *smc);
/* psych's alpha factoring (extract_alpha.c). */
int vs__fa_alpha(vs__fa_extract *x, const double *smc);
/* extract_minchi.c: the minchi part of an objective context (after vs__fa_objctx_init): weights
 * np (p x p counts; NULL: n_obs everywhere) with zero diagonal and the wls workspace. */
int vs__fa_minchi_init(vs__fa_objctx *c, const double *np, double n_obs);

/* ---- optim.c: bounded limited-memory quasi-Newton for the psi-profiled objectives */
typedef double (*vs__fa_objfn)(void *ctx, const double *x, double *grad, int *status);
typedef struct vs__fa_optim {
    size_t n, m;
    double lower, upper, gtol;
    int64_t max_iter;
    /* results */
    double f;
    int64_t iterations;
    int converged;
} vs__fa_optim;
int vs__fa_optim_run(vs__fa_optim *o, vs__fa_objfn fn, void *ctx, double *x);

/* ---- rotate.c */
typedef struct vs__fa_rotate {
    const double *a; /* p x k unrotated */
    size_t p, k;
    int rotation, tight, normalize; /* normalize: -1 default */
    int64_t max_iter;
    double gamma, delta, power;
    const double *target; /* p x k target of targetT / targetQ (NaN = unspecified) */
    int64_t simplimax_m;  /* simplimax: number of loadings in the hyperplane (0 = p) */
    int64_t starts;   /* >= 1: identity, then starts - 1 seeded random orthogonal matrices */
    int64_t seed;
    double *loadings; /* p x k pattern */
    double *phi;      /* k x k */
    double *rotmat;   /* k x k with pattern = a * rotmat */
    int converged;
    int64_t iterations;
    double criterion; /* rotation criterion of the kept start (NaN for none / promax / k = 1) */
    int64_t best_start;
} vs__fa_rotate;
int vs__fa_rotate_run(vs__fa_rotate *r);
/* 1 for the oblique rotations (Phi estimated), 0 for the orthogonal ones and "none" */
int vs__fa_rotation_oblique(int64_t rot);
/* VS_OK when fa's rotation inputs fit a p x k solution: the target of targetT / targetQ is set and
 * p x k (VS_EINVAL / VS_EMISMATCH), simplimax's m at most p k (VS_ERANGE); errors name `where` */
int vs__fa_check_rotation(const vs_fa *fa, size_t p, size_t k, const char *where);
/* The rotation (with its starts) without the sign and order conventions: GPArotation's own
 * output, as psych's schmid() uses it. */
int vs__fa_rotate_plain(vs__fa_rotate *r);
/* GPArotation's criterion f of rotation r->rotation (r->gamma, r->delta, kappa) at loadings l
 * (p x k; already divided by the Kaiser weights when normalised). */
int vs__fa_rotation_criterion(const vs__fa_rotate *r, const double *l, double kappa, double *f);
/* Gradient-projection rotation (GPArotation's GPForth / GPFoblq) of a (p x k) from the identity:
 * pattern into l, T into t; criterion chosen by rotation. eps/max_iter are the stopping rules. */
int vs__fa_gpa(const vs__fa_rotate *r, const double *a, double *l, double *t, int oblique,
               double kappa, double eps, int64_t max_iter, int *converged, int64_t *iterations);
/* psych's promax (rotate_promax.c) into r->loadings, r->phi, r->rotmat; kaiser: psych's kaiser()
 * row normalisation around it ("promax"), or none (psych's "Promax"). */
int vs__fa_promax(vs__fa_rotate *r, int kaiser, double eps, int64_t max_iter);
/* rotate_target.c: criteria f (returned) and gradients gq of target (NaN = unspecified entry),
 * simplimax (the m smallest squared loadings; scratch of pk) and biquartimin (factors 2..k). */
double vs__fa_crit_target(const double *l, const double *target, size_t pk, double *gq);
double vs__fa_crit_simplimax(const double *l, size_t pk, size_t m, double *gq, double *scratch);
double vs__fa_crit_biquartimin(const double *l, size_t p, size_t k, double *gq);
/* stats::varimax (normalize = TRUE/FALSE, eps relative criterion growth, 1000 iterations): loadings
 * into l, rotation matrix into t (l = a t). */
int vs__fa_varimax(const double *a, size_t p, size_t k, int normalize, double eps, int64_t max_iter,
                   double *l, double *t, int *converged, int64_t *iterations);

/* ---- fit.c */
typedef struct vs__fa_fitstats {
    double objective, chi_square, df, p_value, rmsea, rmsea_lower, rmsea_upper, tli, bic, rmsr;
    double sabic, ebic, esabic, crms; /* psych's SABIC, EBIC, ESABIC, crms */
    double null_chi_square, null_df;
    int smoothed;
} vs__fa_fitstats;
/* rinv/logdet_r: R^-1 and log det R when R is positive definite (else NULL): with them and all
 * uniquenesses positive the model inverse is never formed (Woodbury, O(p^2 k)); unrot are the
 * unrotated loadings (L Phi L' = L0 L0'). */
int vs__fa_fit_stats(vs__fa_fitstats *s, const vs_fa_data *d, const double *loadings,
                     const double *phi, const double *unrot, size_t k, int tight, double alpha,
                     const double *rinv, double logdet_r);
/* psych's cor.smooth in place (eigenvalues below 1e-12 raised, rescaled, unit diagonal). */
int vs__fa_cor_smooth(double *a, size_t p);
/* P(X <= q) for a non-central chi-square(df, ncp). */
double vs__fa_pnchisq(double q, double df, double ncp);
/* psych's RMSEA interval for a chi-square with df > 0 at n observations (alpha = 0.1: 90%). */
void vs__fa_rmsea_ci(double chi, double df, double n, double alpha, int tight, double *lower,
                     double *upper);

/* ---- scores.c */
/* rinv (may be NULL): R^-1 for the regression weights */
int vs__fa_weights(double *w, const double *r, const double *rinv, const double *loadings,
                   const double *phi, size_t p, size_t k, int method);
/* Mean and standard deviation (n - 1) of each of the p columns of x (rows x p, NaN = missing,
 * left out); VS_EUNDEFINED for a column with fewer than 2 values or none of spread. */
int vs__fa_column_moments(double *mean, double *sd, const double *x, size_t rows, size_t p);
/* Scores (rows x k) = ((x - mean) / sd) w; a row with a missing value gets NaN scores. */
void vs__fa_apply_scores(double *out, const double *x, size_t rows, size_t p, const double *mean, const double *sd,
                         const double *w, size_t k);

/* ---- nfactors.c helpers used by fits */
/* vs_fa_parallel() after its argument checks; force_general (tests) fits every set by the general
 * extraction and resamples row indices with vs__rng_below. */
int vs__fa_parallel_run(size_t *out_nfactors, size_t *out_ncomponents, const vs_fa *fa,
                        const vs_fa_data *d, double *buf, int force_general);
/* bootstrap.c: a replicate's pattern l, Phi and communality aligned to the full pattern target (p x k)
 * into out (p k + k k + p values): factors permuted to the largest sum of |Tucker congruence|, then
 * signed to positive congruence. VS_ENOMEM (no message). */
int vs__fa_boot_align(double *out, const double *target, const double *l, const double *phi, const double *comm,
                      size_t p, size_t k);
/* R's quantile type 7 of v[0..m) (m > 0; v is sorted in place). */
double vs__fa_quantile7(double *v, size_t m, double q);
/* Eigenvalues of r with diag(r) replaced by `diag` (all p, decreasing) into out. */
int vs__fa_reduced_values(double *out, const double *r, const double *diag, size_t p);
/* The criterion of the principal-axis family (pa, alpha): the sum of squared off-diagonal
 * residuals r - L L' over the lower triangle (L p x k, row-major). */
double vs__fa_offdiag_residual_ss(const double *r, const double *l, size_t p, size_t k);

/* ---- kernels.c: the numeric kernels at the bottom of the module (they call nothing else in
 * fa/): dense symmetric kernels (p x p, row-major, upper triangle read), vectorised in C
 * (portable / AVX2 / AVX-512 instances of one body, chosen at run time), and cross products. */
typedef struct vs__fa_trd {
    size_t n;
    int level;     /* kernel instance: 0 portable, 1 AVX2 + FMA, 2 AVX-512 (tests may lower it) */
    double *a;     /* n x n: the lower triangle being reduced, then the Householder vectors */
    double *d, *e, *tau, *v0, *w0, *v1, *w1, *work; /* n each, work 6n */
    void *iwork;   /* lapack_int[6n] */
} vs__fa_trd;
/* The best kernel level this CPU runs. */
int vs__fa_trd_best_level(void);
/* Workspace for order n (level: the best); VS_ENOMEM (with message). vs__fa_trd_free: zeroed t
 * or one from init (then zeroed). */
int vs__fa_trd_init(vs__fa_trd *t, size_t n);
void vs__fa_trd_free(vs__fa_trd *t);
/* All eigenvalues (decreasing) of the symmetric a with its diagonal replaced by diag (NULL: a's
 * own) into w, by Householder tridiagonalisation and dsterf. VS_ENUMERIC (with message) for a
 * non-finite entry or when dsterf fails. */
int vs__fa_trd_values(vs__fa_trd *t, double *w, const double *a, const double *diag);
/* The largest eigenvalue and a unit eigenvector (n) of the same matrix: bisection (dstebz),
 * inverse iteration (dstein), back-transform. VS_ENUMERIC (with message) on failure. */
int vs__fa_trd_top(vs__fa_trd *t, double *lambda, double *vec, const double *a, const double *diag);
/* In-place Cholesky U' U of the upper triangle of a (row-major n x n, i.e. the lower triangle in
 * column-major; the other triangle is not touched). VS_ENUMERIC (no message) when a is not
 * positive definite. */
int vs__fa_chol(const vs__fa_trd *t, double *a, size_t n);
/* out[i] = (A^-1)_ii from the Cholesky factor u of A (vs__fa_chol); scratch: n x n. */
void vs__fa_chol_inv_diag(const vs__fa_trd *t, double *out, const double *u, double *scratch, size_t n);
/* b = A^-1 b from the Cholesky factor u of A (vs__fa_chol). */
void vs__fa_chol_solve(const vs__fa_trd *t, const double *u, size_t n, double *b);

/* acc[u * 2 + v] += sum over t in [t0, t1) of a[u n + t] b[v n + t], u < 4, v < 2 (four rows or
 * columns of stride n against two); t1 - t0 a multiple of 4; AVX2 where the CPU has it. */
void vs__fa_tile42(double *acc, const double *a, const double *b, size_t n, size_t t0, size_t t1);
/* r (p x p, symmetric) = X' X for the column-major x (p columns of n), by vs__fa_tile42 over
 * row chunks that stay in cache. */
void vs__fa_crossprod(double *r, const double *x, size_t n, size_t p);
/* X' X as vs__fa_crossprod, by 4 x 4 AVX-512 tiles when vs__fa_trd_best_level() is 2 (the
 * resampler's draws: values equal to vs__fa_crossprod's to rounding). */
void vs__fa_crossprod_resample(double *r, const double *x, size_t n, size_t p);

/* ---- parallel_fit.c: per-set work of parallel analysis with one reused workspace */
typedef struct vs__fa_par_ws {
    size_t p;
    vs__fa_trd trd;    /* the dense kernels' workspace */
    double *buf, *a, *h, *l, *g, *d, *ln, *rl, *psi;
    int force_general; /* tests: always use the general extraction */
    int fallback;      /* the last call used the general extraction */
    int newton_iters;  /* Newton steps of the last one-factor fit */
} vs__fa_par_ws;
int vs__fa_par_ws_init(vs__fa_par_ws *w, size_t p);
void vs__fa_par_ws_free(vs__fa_par_ws *w);
/* All eigenvalues (decreasing) of r into pc and of the one-factor reduced matrix into fav. */
int vs__fa_par_values(vs__fa_par_ws *w, double *pc, double *fav, const double *r, int method);
/* Correlation matrix (p x p) of n rows drawn column-wise with replacement from the complete,
 * column-major data xc (p columns of n); s: scratch of n p doubles. VS_EUNDEFINED (message
 * naming `where`) when a drawn column is constant. */
int vs__fa_resample_cor(double *r, double *s, const double *xc, size_t n, size_t p, vs__rng *g,
                        const char *where);


#endif
