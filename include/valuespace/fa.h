/**
 * @file valuespace/fa.h
 * @brief Exploratory factor analysis: correlations, factorability (KMO, Bartlett), number of
 *        factors (Kaiser, parallel analysis, MAP), extraction (minres, uls, pa, ml, wls, gls)
 *        with multi-start, rotation (with optional random starts), fit statistics and factor scores.
 *
 * Three handles:
 * - #vs_fa_data: the input, built from raw data (n x p, NaN = missing) or from a correlation or
 *   covariance matrix with its number of observations. It holds the correlation matrix.
 * - #vs_fa: the options (method, number of factors, rotation, stopping mode, starts, seed ...),
 *   set with typed setters keyed by #vs_fa_option. A #vs_fa is only read while fitting.
 * - #vs_fa_result: one fitted solution; read it with vs_fa_result_get() (arrays) and
 *   vs_fa_result_scalar() (numbers).
 *
 * Conventions follow R's psych::fa (2.2.9): pattern columns are flipped so that each column sum
 * is positive and ordered by decreasing variance accounted for; communality = diag(L0 L0') of
 * the unrotated loadings, uniquenesses = 1 - communality; fit statistics as psych's fa.stats.
 * In mode "psych" the stopping rules of stats::varimax, GPArotation and psych's pa are used so
 * the results agree with psych; mode "tight" converges each step to (near) machine precision.
 *
 * Matrices cross the API row-major: element (i, j) of an r x c matrix is at [i * c + j].
 * Output arrays use the pattern (size_t *out_needed, ..., double *buf, size_t cap): the number of
 * doubles needed is stored in *out_needed (when not NULL) in every case, and VS_EBUFSIZE is
 * returned (nothing written) when cap is smaller.
 *
 * @threadsafety distinct handles may be used from different threads; a #vs_fa and a
 * #vs_fa_data may be shared by several threads that only read them (fit, parallel, map) as long
 * as no thread changes them at the same time.
 */
#ifndef VALUESPACE_FA_H
#define VALUESPACE_FA_H

#include <stddef.h>
#include <stdint.h>

#include "valuespace/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Handles                                                                                    */

/** Input data: a correlation matrix with its sample size (and, for raw input, the data). */
typedef struct vs_fa_data vs_fa_data;

/** Factor-analysis options. */
typedef struct vs_fa vs_fa;

/** One fitted factor solution (immutable). */
typedef struct vs_fa_result vs_fa_result;

/** A Schmid-Leiman solution with its omega coefficients (immutable). */
typedef struct vs_fa_omega_result vs_fa_omega_result;

/* ------------------------------------------------------------------------------------------ */
/* Input data and correlations                                                                */

/** Missing-data handling for raw input (psych's `use`). */
enum vs_fa_missing {
    VS_FA_PAIRWISE = 0, /**< each correlation from the rows where both values are present (psych default) */
    VS_FA_LISTWISE = 1  /**< only rows with no missing value */
};

/**
 * Correlation flags of vs_fa_data_from_raw(), OR'd into its `missing` argument
 * (e.g. VS_FA_PAIRWISE | VS_FA_COR_TETRACHORIC).
 */
enum vs_fa_cor {
    VS_FA_COR_PEARSON = 0,        /**< Pearson correlations (the default) */
    VS_FA_COR_TETRACHORIC = 0x100, /**< tetrachoric correlations of binary items, as psych::tetrachoric
                                       (2.2.9 defaults): thresholds -qnorm(mean) of each item, zero cells of a
                                       pair's 2 x 2 table replaced by 0.5, maximum-likelihood rho; smoothed as
                                       cor.smooth when not positive definite. Every column must hold two values
                                       m and m + 1 (NaN = missing), else VS_EINVAL; a column with one value:
                                       VS_EUNDEFINED. vs_fa_parallel() then skips the resampled sets (NaN). */
    VS_FA_COR_POLYCHORIC = 0x200   /**< polychoric correlations of ordinal items, as psych::polychoric (2.2.9
                                       defaults): integer categories (at most 8 from the smallest value over all
                                       items, else VS_EINVAL), thresholds from each item's cumulative proportions;
                                       when the items' largest categories differ, psych's per-pair rule (table
                                       margins, zero cells 0.5 / n). Smoothing, errors and parallel analysis as
                                       for #VS_FA_COR_TETRACHORIC. */
};

/**
 * Builds input from raw data: Pearson correlations of the columns, NaN = missing.
 * The data are copied (they are needed for resampling and scores).
 * @param out set to the new handle (free with vs_fa_data_free()), NULL on failure.
 * @param x rows x cols row-major values (borrowed, copied); NaN marks a missing value.
 * @param missing #VS_FA_PAIRWISE or #VS_FA_LISTWISE, optionally OR'd with a #vs_fa_cor flag.
 * @param rows number of observations (rows of x)
 * @param cols number of variables (columns of x)
 * @return VS_OK; VS_EINVAL (NULL, infinite value, unknown `missing` or flag; tetrachoric: a
 *         column with values other than two adjacent ones); VS_ERANGE (rows < 3
 *         or, listwise, fewer than 3 complete rows; cols < 2); VS_EUNDEFINED (a column that is
 *         constant or has fewer than 3 values, or a pair of columns with fewer than 3 rows in
 *         common or with no variation on those rows); VS_ENOMEM.
 */
VS_API int vs_fa_data_from_raw(vs_fa_data **out, const double *x, size_t rows, size_t cols, int missing);

/** Correlation kinds of vs_fa_data_from_raw_kind() (names for vs_fa_cor_kind_from_name()). */
enum vs_fa_cor_kind {
    VS_FA_CORKIND_PEARSON = 0,    /**< "pearson": as vs_fa_data_from_raw() */
    VS_FA_CORKIND_SPEARMAN = 1,   /**< "spearman": Pearson correlation of the ranks (ties: average rank), as R's
                                       cor(method = "spearman") used by psych's fa(cor = "spearman"); pairwise
                                       deletion ranks each pair on its common rows, listwise ranks the complete
                                       rows once */
    VS_FA_CORKIND_KENDALL = 2,    /**< "kendall": Kendall's tau-b, as R's cor(method = "kendall") (O(n^2) per pair
                                       of variables, as R) */
    VS_FA_CORKIND_POLYCHORIC = 3, /**< "polychoric": as #VS_FA_COR_POLYCHORIC */
    VS_FA_CORKIND_TETRACHORIC = 4 /**< "tetrachoric": as #VS_FA_COR_TETRACHORIC */
};

/**
 * Builds input from raw data with the correlation kind as its own argument (the same as
 * vs_fa_data_from_raw() with `missing | VS_FA_COR_...` for the kinds that has). The data are
 * copied. Parallel analysis (vs_fa_parallel()) skips its resampled sets (NaN) for every kind but
 * Pearson; the simulated normal sets are compared as for Pearson.
 * @param out set to the new handle (free with vs_fa_data_free()), NULL on failure.
 * @param x rows x cols row-major values (borrowed, copied); NaN marks a missing value.
 * @param rows number of observations
 * @param cols number of variables
 * @param missing #VS_FA_PAIRWISE or #VS_FA_LISTWISE (no flag OR'd in)
 * @param kind a #vs_fa_cor_kind
 * @return as vs_fa_data_from_raw(); VS_EINVAL also for an unknown kind or a `missing` with a
 *         flag; VS_EUNDEFINED also when a rank correlation is undefined (a pair without
 *         variation on its common rows).
 */
VS_API int vs_fa_data_from_raw_kind(vs_fa_data **out, const double *x, size_t rows, size_t cols, int missing,
                                    int kind);

/**
 * The #vs_fa_cor_kind of a name: "pearson", "spearman", "kendall", "polychoric", "tetrachoric"
 * (case-sensitive).
 * @param out receives the kind
 * @param name the name (borrowed)
 * @return VS_OK, VS_EINVAL (NULL), VS_ENOTFOUND (unknown name; the message suggests the closest).
 */
VS_API int vs_fa_cor_kind_from_name(int *out, const char *name);

/**
 * Builds input from a correlation or covariance matrix (a covariance is rescaled to a
 * correlation, as psych does).
 * @param out set to the new handle, NULL on failure.
 * @param r rows x cols row-major symmetric matrix (borrowed, copied).
 * @param n_obs number of observations behind the matrix; 0 = unknown (then statistics that
 *        need it are NaN and vs_fa_bartlett() fails).
 * @param rows number of rows of r
 * @param cols number of columns of r (must equal rows)
 * @return VS_OK; VS_EINVAL (NULL, NaN or infinite entry, non-symmetric matrix, diagonal
 *         entry <= 0, |correlation| > 1, n_obs negative, non-finite or in (0, 3)); VS_EMISMATCH
 *         (rows != cols); VS_ERANGE (cols < 2); VS_ENOMEM.
 */
VS_API int vs_fa_data_from_cor(vs_fa_data **out, const double *r, size_t rows, size_t cols, double n_obs);

/** Frees input data. NULL is a no-op. */
VS_API void vs_fa_data_free(vs_fa_data *data);

/** Number of variables p (0 for NULL). */
VS_API size_t vs_fa_data_variable_count(const vs_fa_data *data);
/** The former name of vs_fa_data_variable_count() (README, "Deprecated names").
 *  @deprecated Use vs_fa_data_variable_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_fa_data_variable_count") size_t vs_fa_data_nvars(const vs_fa_data *data);

/** Number of observations (raw: rows; matrix: n_obs, 0 if unknown; 0 for NULL). */
VS_API double vs_fa_data_nobs(const vs_fa_data *data);

/**
 * Copies the p x p correlation matrix.
 * @return VS_OK, VS_EINVAL (NULL data, or NULL buf with cap > 0), VS_EBUFSIZE.
 */
VS_API int vs_fa_data_cor(size_t *out_needed, const vs_fa_data *data, double *buf, size_t cap);

/**
 * Eigenvalues of the correlation matrix, in decreasing order (p values).
 * @return VS_OK, VS_EINVAL, VS_EBUFSIZE, VS_ENOMEM, VS_ENUMERIC (eigensolver failure).
 */
VS_API int vs_fa_data_eigenvalues(size_t *out_needed, const vs_fa_data *data, double *buf, size_t cap);

/* ------------------------------------------------------------------------------------------ */
/* Factorability and number of factors                                                        */

/**
 * Kaiser-Meyer-Olkin measure of sampling adequacy (psych::KMO): overall and per item, from the
 * anti-image correlations (inverse of R rescaled to unit diagonal).
 * @param out_overall receives the overall MSA.
 * @param msa receives p per-item MSA values (may be NULL when cap is 0).
 * @param cap number of doubles msa can hold
 * @param data the input (vs_fa_data_from_raw() or vs_fa_data_from_cor())
 * @return VS_OK, VS_EINVAL (NULL), VS_EBUFSIZE (0 < cap < p, or cap 0 with msa non-NULL),
 *         VS_ENUMERIC (R is singular), VS_ENOMEM.
 */
VS_API int vs_fa_kmo(double *out_overall, double *msa, size_t cap, const vs_fa_data *data);

/**
 * Bartlett's test of sphericity: chi2 = -log det R * (n - 1 - (2p + 5) / 6), df = p(p-1)/2.
 * Unlike psych, n is never assumed.
 * @return VS_OK, VS_EINVAL (NULL), VS_EUNDEFINED (n unknown), VS_ENUMERIC (det R <= 0), VS_ENOMEM.
 */
VS_API int vs_fa_bartlett(double *out_chi_square, double *out_df, double *out_p_value,
                          const vs_fa_data *data);

/** Number of eigenvalues of R greater than 1 (Kaiser's rule). @return VS_OK, VS_EINVAL, VS_ENOMEM, VS_ENUMERIC. */
VS_API int vs_fa_kaiser(size_t *out_count, const vs_fa_data *data);

/**
 * Parallel analysis as psych::fa.parallel (fa = "both", sim = TRUE): observed eigenvalues of R
 * ("pc") and of the one-factor minres reduced matrix ("fa"), compared with the quantile
 * (VS_FA_OPT_PARALLEL_QUANTILE) of the same eigenvalues of VS_FA_OPT_PARALLEL_ITER simulated
 * normal data sets of the same size; for raw input also of column-wise resampled data.
 * Seeded by VS_FA_OPT_SEED; the result does not depend on anything else.
 * The number of factors (components) is the index of the first observed eigenvalue not above
 * its simulated quantile, minus one.
 * @param buf receives 6 rows of p values (row-major): observed_fa, observed_pc, simulated_fa_q,
 *        simulated_pc_q, resampled_fa_q, resampled_pc_q (the last two NaN for matrix input).
 * @param out_nfactors receives the suggested number of factors
 * @param out_ncomponents receives the suggested number of components
 * @param out_needed receives 6p, the size buf needs (may be NULL)
 * @param fa the options (iterations, quantile, seed, threads)
 * @param data the input
 * @param cap number of doubles buf can hold
 * @return VS_OK, VS_EINVAL (NULL), VS_EUNDEFINED (n unknown), VS_EBUFSIZE (cap < 6p),
 *         VS_ENUMERIC, VS_ENOMEM.
 */
VS_API int vs_fa_parallel(size_t *out_nfactors, size_t *out_ncomponents, size_t *out_needed,
                          const vs_fa *fa, const vs_fa_data *data, double *buf, size_t cap);

/**
 * Velicer's minimum average partial (psych::VSS "map"): for m = 1..M components
 * (M = min(VS_FA_OPT_MAP_MAX, p - 1)), the mean squared partial correlation after removing m
 * principal components. The number of factors is the m of the smallest value.
 * @param buf receives the M values.
 * @param out_nfactors receives the suggested number of factors
 * @param out_needed receives M, the size buf needs (may be NULL)
 * @param fa the options (VS_FA_OPT_MAP_MAX)
 * @param data the input
 * @param cap number of doubles buf can hold
 * @return VS_OK, VS_EINVAL, VS_EBUFSIZE, VS_ENUMERIC, VS_ENOMEM.
 */
VS_API int vs_fa_map(size_t *out_nfactors, size_t *out_needed, const vs_fa *fa,
                     const vs_fa_data *data, double *buf, size_t cap);

/* ------------------------------------------------------------------------------------------ */
/* Options and fitting                                                                        */

/**
 * Extraction methods (VS_FA_OPT_METHOD; names "minres", "uls", "pa", "ml", "wls", "gls").
 *
 * wls and gls minimise psych 2.2.9's own objectives over psi in [0.005, 1] from psych's start
 * for these two methods, psi = SMC (the other methods start from 1 - SMC), with E = S* - L L', S* = R with diagonal 1 - psi and L the
 * loadings of S*'s k leading eigenpairs (eigenvalues below machine epsilon raised to 100 eps):
 * wls: sum_ij E_ij^2 / ((R^-1)_ii (R^-1)_jj); gls: sum of the squared entries of R^-1 E.
 * The loadings are then those of minres/uls at psi (eigenpairs of R - Psi, negative eigenvalues
 * taken as 0) and the fit statistics are psych's fa.stats, as for every method. psych's own
 * optimiser is given the ML gradient for these objectives and stops far from their minimum
 * (psi off by up to 0.5 on classic data sets); the analytic gradient of the objective is used
 * here, so the criterion is never worse than psych's and the solution is the converged one.
 * Both need an invertible R (VS_ENUMERIC otherwise).
 */
enum vs_fa_method {
    VS_FA_MINRES = 0, /**< minimum residual: lower-triangle off-diagonal residual sum of squares */
    VS_FA_ULS = 1,    /**< unweighted least squares: full residual sum of squares */
    VS_FA_PA = 2,     /**< iterated principal axes */
    VS_FA_ML = 3,     /**< maximum likelihood */
    VS_FA_WLS = 4,    /**< weighted least squares (psych's "wls": residuals weighted by 1 / diag(R^-1)) */
    VS_FA_GLS = 5     /**< generalised least squares (psych's "gls": residuals premultiplied by R^-1) */
};

/**
 * More extraction methods (VS_FA_OPT_METHOD; names "alpha", "minchi", as psych's fa(fm = ...)).
 */
enum vs_fa_method_more {
    VS_FA_ALPHA = 6, /**< "alpha": alpha factoring (Kaiser & Caffrey) as psych: communalities h2 from the SMCs;
                          each iteration factors R with diagonal h2 rescaled to unit diagonal, takes its k
                          leading eigenpairs and multiplies h2 by their communalities, until the total change is
                          below 0.001 (at most 50 iterations; mode "tight": 1e-13 p, 10000); loadings = sqrt(h2)
                          times the last eigen-loadings. Unbounded (no Heywood bound) like "pa"; VS_ENUMERIC when
                          a communality or a leading eigenvalue is not positive. */
    VS_FA_MINCHI = 7 /**< "minchi": psi minimises the squared off-diagonal residuals weighted by the pairwise
                          numbers of observations (raw input: psych's pairwiseCount; matrix input: n_obs, which is
                          then required, VS_EUNDEFINED otherwise — psych silently uses minres there), from psych's
                          start psi = SMC, psi in [0.005, 1]; as psych, the loadings at that psi are the maximum-
                          likelihood ones (Psi^1/2 V sqrt(max(lambda - 1, 0)) of Psi^-1/2 R Psi^-1/2). psych gives its
                          optimiser the ML gradient for this objective and stops short of its minimum; the exact
                          gradient is used here, so the criterion is never worse than psych's. */
};

/** Stopping modes (VS_FA_OPT_MODE; names "psych", "tight"). */
enum vs_fa_mode {
    VS_FA_MODE_PSYCH = 0, /**< psych's and GPArotation's stopping rules (parity with psych) */
    VS_FA_MODE_TIGHT = 1  /**< converge to near machine precision */
};

/** Options of a #vs_fa. The type of each is given; vs_fa_option_bounds() reports the range. */
enum vs_fa_option {
    VS_FA_OPT_NFACTORS = 1,          /**< int, number of factors k >= 1; default 1 */
    VS_FA_OPT_METHOD = 2,            /**< int (#vs_fa_method) or str; default minres */
    VS_FA_OPT_ROTATION = 3,          /**< int (#vs_fa_rotation) or str; default oblimin (as psych) */
    VS_FA_OPT_MODE = 4,              /**< int (#vs_fa_mode) or str; default psych */
    VS_FA_OPT_STARTS = 5,            /**< int, number of extraction starts (1 = psych's SMC start only); default 1 */
    VS_FA_OPT_SEED = 6,              /**< int, seed of every random choice (starts, parallel analysis); default 0 */
    VS_FA_OPT_MAX_ITER = 7,          /**< int, iteration limit of the extraction; default 1000 (pa: 50 in psych mode) */
    VS_FA_OPT_ROTATE_MAX_ITER = 8,   /**< int, iteration limit of the rotation; default 1000 */
    VS_FA_OPT_KAISER_NORMALIZE = 9,  /**< int, -1 = psych's default per rotation, 0 off, 1 on; default -1 */
    VS_FA_OPT_OBLIMIN_GAMMA = 10,    /**< double, oblimin gamma; default 0 */
    VS_FA_OPT_GEOMIN_DELTA = 11,     /**< double, geomin delta; default 0.01 */
    VS_FA_OPT_PROMAX_POWER = 12,     /**< double, promax power m; default 4 */
    VS_FA_OPT_SCORES = 13,           /**< int (#vs_fa_scores) or str; weights stored in results; default regression */
    VS_FA_OPT_PARALLEL_ITER = 14,    /**< int, parallel-analysis iterations; default 20 (psych) */
    VS_FA_OPT_PARALLEL_QUANTILE = 15,/**< double in (0,1), quantile of the simulated eigenvalues; default 0.95 */
    VS_FA_OPT_MAP_MAX = 16,          /**< int, largest number of components in MAP; default 8 (psych) */
    VS_FA_OPT_RMSEA_ALPHA = 17,      /**< double, RMSEA interval has confidence 1 - alpha; default 0.1 */
    VS_FA_OPT_THREADS = 18,          /**< int, threads of vs_fa_parallel() (results do not depend on it); default 1.
                                          With more than 1 the allocator hook is called from several threads. */
    VS_FA_OPT_ROTATE_STARTS = 19     /**< int >= 1, starts of the rotation; default 1 = the identity only (psych's
                                          single start). Starts 2.. begin from seeded random orthogonal matrices
                                          (streams of VS_FA_OPT_SEED; the result depends on nothing else); the
                                          solution with the lowest rotation criterion is kept (a later start must
                                          be lower by more than 1e-9 relative, 1e-12 in mode "tight"; ties keep the
                                          earlier start), then the sign and order conventions apply. Used by the
                                          criterion rotations: varimax (stats::varimax's iteration started from the
                                          random matrix), quartimax, equamax, oblimin, quartimin, geominQ, geominT,
                                          bentlerT, bentlerQ (gradient projection started from it, as
                                          GPArotation's Tmat). Ignored by "none" and "promax". Unlike psych's
                                          n.rotations (which picks by hyperplane count), the criterion decides. */
};

/**
 * Creates options with psych's defaults (1 factor, minres, oblimin, psych mode, 1 start).
 * @param out set to the handle (free with vs_fa_free()), NULL on failure.
 * @return VS_OK, VS_EINVAL (NULL out), VS_ENOMEM.
 */
VS_API int vs_fa_create(vs_fa **out);

/** Frees options. NULL is a no-op. */
VS_API void vs_fa_free(vs_fa *fa);

/**
 * Sets an integer option (also enum-valued ones).
 * @return VS_OK, VS_EINVAL (NULL, unknown option, option not integer), VS_ERANGE (out of bounds).
 */
VS_API int vs_fa_set_int(vs_fa *fa, int option, int64_t value);

/**
 * Sets a double option.
 * @return VS_OK, VS_EINVAL (NULL, unknown option, option not a double, NaN), VS_ERANGE.
 */
VS_API int vs_fa_set_double(vs_fa *fa, int option, double value);

/**
 * Sets an enum-valued option by name (method, rotation, mode, scores), e.g. "ml", "geominQ".
 * Names are case-sensitive as in psych. The string is borrowed for the call only.
 * @return VS_OK, VS_EINVAL (NULL, option not named), VS_ENOTFOUND (unknown name).
 */
VS_API int vs_fa_set_str(vs_fa *fa, int option, const char *value);

/** Reads an integer option. @return VS_OK, VS_EINVAL. */
VS_API int vs_fa_get_int(int64_t *out, const vs_fa *fa, int option);

/** Reads a double option. @return VS_OK, VS_EINVAL. */
VS_API int vs_fa_get_double(double *out, const vs_fa *fa, int option);

/**
 * Bounds of an option (inclusive), as doubles; integer options report integral bounds.
 * @return VS_OK, VS_EINVAL (NULL or unknown option).
 */
VS_API int vs_fa_option_bounds(double *out_min, double *out_max, int option);
/**
 * Reads an enum-valued option as its name, such as "oblimin".
 * The name is the first one vs_fa_set_str() accepts for the value; the string is static.
 * @return VS_OK, VS_EINVAL (NULL, unknown option, an option without names; *out is then NULL).
 */
VS_API int vs_fa_get_str(const char **out, const vs_fa *fa, int option);
/**
 * Looks up an option of a #vs_fa by its name, such as "nfactors" for #VS_FA_OPT_NFACTORS.
 * Every option's name is the lowercase end of its enum value (the same names error messages use
 * and the bindings accept).
 * @param out set to the option's enum value; unchanged on failure
 * @param name the name, case-sensitive
 * @return VS_OK, VS_EINVAL (NULL argument), VS_ENOTFOUND (no option has that name; the message
 *         suggests the closest one).
 */
VS_API int vs_fa_option_id(int *out, const char *name);
/**
 * The name of an option of a #vs_fa (what vs_fa_option_id() accepts), or NULL for an unknown option.
 * The string is static.
 */
VS_API const char *vs_fa_option_name(int option);

/**
 * Fits the factor model: psych's start (psi = 1 - SMC; wls / gls: SMC) and VS_FA_OPT_STARTS - 1
 * seeded random starts, the best criterion kept; then rotation (VS_FA_OPT_ROTATE_STARTS starts),
 * sign and order conventions, fit statistics and score weights. A Heywood case is flagged (VS_FA_STAT_HEYWOOD), never an error.
 * @param out set to the result (free with vs_fa_result_free()), NULL on failure.
 * @param fa the options (factors, method, rotation, starts, seed)
 * @param data the input (borrowed for the call)
 * @return VS_OK; VS_EINVAL (NULL); VS_ERANGE (k > p or df = p(p-1)/2 - pk + k(k-1)/2 < 0);
 *         VS_ENUMERIC (eigensolver failure, pa reaching a non-positive eigenvalue, ml with R not
 *         positive definite, wls / gls with R singular (reciprocal condition number below machine
 *         epsilon, as R's solve()) or, wls, a non-positive diagonal of R^-1, a singular
 *         rotation, non-finite values); VS_ENOMEM.
 */
VS_API int vs_fa_fit(vs_fa_result **out, const vs_fa *fa, const vs_fa_data *data);

/** Frees a result. NULL is a no-op. */
VS_API void vs_fa_result_free(vs_fa_result *result);

/** Number of variables p of a result (0 for NULL). */
VS_API size_t vs_fa_result_variable_count(const vs_fa_result *result);
/** The former name of vs_fa_result_variable_count() (README, "Deprecated names").
 *  @deprecated Use vs_fa_result_variable_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_fa_result_variable_count") size_t vs_fa_result_nvars(const vs_fa_result *result);
/** Number of factors k of a result (0 for NULL). */
VS_API size_t vs_fa_result_factor_count(const vs_fa_result *result);
/** The former name of vs_fa_result_factor_count() (README, "Deprecated names").
 *  @deprecated Use vs_fa_result_factor_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_fa_result_factor_count") size_t vs_fa_result_nfactors(const vs_fa_result *result);

/** Arrays of a result (vs_fa_result_get()). Sizes in doubles. */
enum vs_fa_array {
    VS_FA_LOADINGS = 1,            /**< p x k pattern loadings */
    VS_FA_STRUCTURE = 2,           /**< p x k structure = pattern * Phi */
    VS_FA_PHI = 3,                 /**< k x k factor correlations (identity when orthogonal) */
    VS_FA_COMMUNALITY = 4,         /**< p: diag(L0 L0') of the unrotated loadings */
    VS_FA_UNIQUENESSES = 5,        /**< p: 1 - communality */
    VS_FA_EIGENVALUES = 6,         /**< p: eigenvalues of R, decreasing */
    VS_FA_EIGENVALUES_REDUCED = 7, /**< p: eigenvalues of R with communalities on the diagonal (pa: of the last iteration) */
    VS_FA_SS_LOADINGS = 8,         /**< k: variance accounted for, diag(Phi L'L) */
    VS_FA_VARIANCE = 9,            /**< 5 x k: SS loadings, proportion, cumulative, proportion explained, cumulative proportion */
    VS_FA_ROTATION_MATRIX = 10,    /**< k x k: pattern = unrotated * T (after sign flips and ordering) */
    VS_FA_UNROTATED = 11,          /**< p x k unrotated loadings (psych's sign convention) */
    VS_FA_PSI = 12,                /**< p: optimiser's uniquenesses (psi); pa: 1 - communality */
    VS_FA_RESIDUAL = 13,           /**< p x p: R - L Phi L' */
    VS_FA_WEIGHTS = 14,            /**< p x k score weights of VS_FA_OPT_SCORES (VS_EUNDEFINED when "none") */
    VS_FA_SCORES = 15,             /**< n x k scores of the raw input data (VS_EUNDEFINED for matrix input or scores "none") */
    VS_FA_RMSEA_CI = 16,           /**< 2: lower and upper RMSEA bounds (NaN when not found) */
    VS_FA_HEYWOOD = 17,            /**< p: per variable 0, 1 for a Heywood case (communality >= 1, or the
                                        optimiser's psi at its lower bound 0.005), 2 for an ultra-Heywood case
                                        (communality > 1) */
    VS_FA_SCORE_R2 = 18,           /**< k: squared multiple correlations of the regression scores with the
                                        factors, diag(W' S) with W = R^-1 S, S = L Phi (psych's R2; the factor
                                        determinacy is its square root); NaN when R is singular */
    VS_FA_MEANS = 19,              /**< p: means of the fitted raw data's columns (missing values left out),
                                        which vs_fa_result_scores() subtracts from new data; VS_EUNDEFINED for
                                        a fit from a correlation matrix or a solution loaded from a version-1
                                        file */
    VS_FA_SDS = 20                 /**< p: standard deviations (n - 1) of the fitted raw data's columns, which
                                        vs_fa_result_scores() divides new data by; VS_EUNDEFINED as #VS_FA_MEANS */
};

/**
 * Copies an array of a result.
 * @return VS_OK, VS_EINVAL (NULL, unknown `what`), VS_EUNDEFINED (not available for this
 *         result), VS_EBUFSIZE.
 */
VS_API int vs_fa_result_get(size_t *out_needed, const vs_fa_result *result, int what, double *buf,
                            size_t cap);

/** Options of vs_fa_bootstrap() (vs_fa_set_int() / vs_fa_set_double()). */
enum vs_fa_option_bootstrap {
    VS_FA_OPT_BOOT_ITER = 41, /**< int >= 2, number of bootstrap replicates; default 100 */
    VS_FA_OPT_BOOT_ALPHA = 42 /**< double in (0,1): percentile intervals of confidence 1 - alpha; default 0.05 */
};

/** Blocks of the vs_fa_bootstrap() output, each m = p k + k k + p values (loadings p x k, Phi k x k,
 * communality p, row-major). Block b starts at b * m. */
enum vs_fa_boot_block {
    VS_FA_BOOT_MEAN = 0,  /**< mean over the kept replicates */
    VS_FA_BOOT_SD = 1,    /**< standard deviation (n - 1) */
    VS_FA_BOOT_LOWER = 2, /**< alpha/2 percentile (R's quantile type 7) */
    VS_FA_BOOT_UPPER = 3  /**< 1 - alpha/2 percentile */
};

/**
 * Bootstrap intervals of the solution vs_fa_fit() gives for these options and data: the rows of
 * the raw data are resampled with replacement VS_FA_OPT_BOOT_ITER times; each resample's
 * correlations are built as the input's (same missing-data policy and kind) and fitted with the
 * same options (scores not computed); its factors are aligned to the full-sample pattern by
 * order and sign — the permutation with the largest sum of absolute Tucker congruences (all
 * permutations for k <= 8, greedy above), then each factor signed to a positive congruence; Phi
 * permuted and signed alike — and mean, standard deviation and percentile interval of every
 * loading, Phi entry and communality are reported. (psych's fa(n.iter = ) instead re-rotates each
 * replicate obliquely toward the full loadings (target.rot), keeps the replicates' unaligned Phi,
 * and reports mean +- z sd.) Replicate b uses random stream b of VS_FA_OPT_SEED, so the result is
 * bit-identical for every VS_FA_OPT_THREADS (threads share the replicates; the allocator hook is
 * then called from several threads). Replicates whose fit fails (e.g. a resample with a constant
 * column or a singular matrix the method needs inverted) are left out and counted.
 * @param out_used receives the number of replicates kept (may be NULL)
 * @param out_needed receives 4 m, the size buf needs (may be NULL)
 * @param fa the options (those of vs_fa_fit(), VS_FA_OPT_BOOT_ITER, VS_FA_OPT_BOOT_ALPHA, seed, threads)
 * @param data raw input (vs_fa_data_from_raw() or vs_fa_data_from_raw_kind())
 * @param buf receives the four #vs_fa_boot_block blocks
 * @param cap number of doubles buf can hold
 * @return VS_OK; VS_EINVAL (NULL); VS_EUNDEFINED (matrix input: no rows to resample); VS_EBUFSIZE;
 *         the errors of vs_fa_fit() for the full-sample fit; VS_ENUMERIC (fewer than 2 replicates
 *         could be fitted); VS_ENOMEM.
 */
VS_API int vs_fa_bootstrap(size_t *out_used, size_t *out_needed, const vs_fa *fa, const vs_fa_data *data,
                           double *buf, size_t cap);

/* ------------------------------------------------------------------------------------------ */
/* Rotation                                                                                   */

/** Rotations (VS_FA_OPT_ROTATION; names as in psych). */
enum vs_fa_rotation {
    VS_FA_ROT_NONE = 0,      /**< "none" */
    VS_FA_ROT_VARIMAX = 1,   /**< "varimax": stats::varimax, Kaiser-normalised by default */
    VS_FA_ROT_QUARTIMAX = 2, /**< "quartimax" (GPA, orthogonal) */
    VS_FA_ROT_EQUAMAX = 3,   /**< "equamax": Crawford-Ferguson with kappa = k / (2p) (GPA, orthogonal) */
    VS_FA_ROT_PROMAX = 4,    /**< "promax": psych's (Kaiser-normalised varimax, target x|x|^(m-1)) */
    VS_FA_ROT_OBLIMIN = 5,   /**< "oblimin" with VS_FA_OPT_OBLIMIN_GAMMA (GPA, oblique) */
    VS_FA_ROT_QUARTIMIN = 6, /**< "quartimin" = oblimin with gamma 0 */
    VS_FA_ROT_GEOMIN_Q = 7,  /**< "geominQ" with VS_FA_OPT_GEOMIN_DELTA (GPA, oblique) */
    VS_FA_ROT_GEOMIN_T = 8,  /**< "geominT" (GPA, orthogonal) */
    VS_FA_ROT_BENTLER_T = 9, /**< "bentlerT" (GPA, orthogonal) */
    VS_FA_ROT_BENTLER_Q = 10 /**< "bentlerQ" (GPA, oblique) */
};

/**
 * More rotations (VS_FA_OPT_ROTATION; names as in psych / GPArotation). Target, simplimax and
 * biquartimin run the same gradient projection as the other criterion rotations (GPArotation's
 * GPForth / GPFoblq stopping rules, VS_FA_OPT_ROTATE_STARTS honoured); psych's sign and order
 * conventions then apply to every rotation, so the factors of a target rotation come out in
 * decreasing variance, as psych's fa reports them (not necessarily in the target's column order).
 */
enum vs_fa_rotation_more {
    VS_FA_ROT_TARGET_T = 11,    /**< "targetT" (also "TargetT"): orthogonal rotation toward the target of
                                     vs_fa_set_target(), minimising the sum of squared differences over the
                                     specified entries (GPArotation's targetT; with NaN entries its pstT) */
    VS_FA_ROT_TARGET_Q = 12,    /**< "targetQ" (also "TargetQ"): oblique target rotation (targetQ; with NaN
                                     entries pstQ) */
    VS_FA_ROT_SIMPLIMAX = 13,   /**< "simplimax" (GPA, oblique): the VS_FA_OPT_SIMPLIMAX_M smallest squared
                                     loadings are minimised (Kiers 1994) */
    VS_FA_ROT_BIQUARTIMIN = 14, /**< "biquartimin" (GPA, oblique; psych's): quartimin over factors 2..k, the
                                     first (general) factor left free (Jennrich & Bentler 2011) */
    VS_FA_ROT_PROMAX_PLAIN = 15 /**< "Promax" (psych's Promax = stats::promax): varimax (Kaiser-normalised),
                                     target x|x|^(m-1), least squares, rescaled, without psych's kaiser() row
                                     normalisation around it that "promax" adds (they differ by 1e-2..1e-1);
                                     VS_FA_OPT_KAISER_NORMALIZE = 1 adds it (then equal to "promax"). Like
                                     "promax" it ignores VS_FA_OPT_ROTATE_STARTS and has no rotation criterion
                                     (VS_FA_STAT_ROTATION_CRITERION NaN) */
};

/** Option of simplimax (vs_fa_set_int()). */
enum vs_fa_option_rotation {
    VS_FA_OPT_SIMPLIMAX_M = 40 /**< int, number of loadings simplimax drives to zero; 0 = p, GPArotation's
                                    default k = nrow(L); at most p * k (VS_ERANGE above, at fit time) */
};

/**
 * Sets the target pattern of the target rotations ("targetT", "targetQ"): a p x k matrix of the
 * loadings sought (typically 0 where a loading should vanish, 1 or a value where it should be
 * large). NaN marks an unspecified entry (a partially specified target: GPArotation's pstT /
 * pstQ with weight 0 there). Column j of the target is factor j of the unrotated solution's
 * space; after rotation psych's sign and order conventions apply. The matrix is copied.
 * @param fa the options
 * @param target rows x cols row-major (borrowed); NULL with rows = cols = 0 removes the target.
 * @param rows number of variables p of the data that will be fitted
 * @param cols number of factors k (VS_FA_OPT_NFACTORS at fit time)
 * @return VS_OK; VS_EINVAL (NULL fa, NULL target with a size, infinite entry, every entry NaN);
 *         VS_ERANGE (rows or cols 0 with a target); VS_ENOMEM. vs_fa_fit() with a target
 *         rotation fails with VS_EINVAL when no target is set and VS_EMISMATCH when its size is
 *         not p x k.
 */
VS_API int vs_fa_set_target(vs_fa *fa, const double *target, size_t rows, size_t cols);

/* ------------------------------------------------------------------------------------------ */
/* Scores                                                                                     */

/** Factor-score methods (VS_FA_OPT_SCORES and vs_fa_result_scores()). */
enum vs_fa_scores {
    VS_FA_SCORES_NONE = 0,       /**< "none" */
    VS_FA_SCORES_REGRESSION = 1, /**< "regression" (Thurstone): W = R^-1 L Phi */
    VS_FA_SCORES_BARTLETT = 2,   /**< "bartlett": W = U^-2 L (L' U^-2 L)^-1, U^2 = 1 - h^2 */
    VS_FA_SCORES_TENBERGE = 3,   /**< "tenBerge" (psych's factor.scores): W = R^-1/2 C Phi^1/2,
                                      C = R^-1/2 L* (L*' R^-1 L*)^-1/2, L* = L Phi^1/2; scores keep Phi's correlations */
    VS_FA_SCORES_ANDERSON = 4    /**< "Anderson" (Anderson-Rubin): W = U^-2 L (L' U^-2 R U^-2 L)^-1/2; uncorrelated scores */
};

/**
 * Score weights (p x k) of a method for this solution.
 * @return VS_OK, VS_EINVAL (NULL, unknown method or "none"), VS_EBUFSIZE, VS_ENUMERIC (singular), VS_ENOMEM.
 */
VS_API int vs_fa_result_weights(size_t *out_needed, const vs_fa_result *result, int method,
                                double *buf, size_t cap);

/**
 * Factor scores (rows x k) of new raw data with the same p columns, in the solution's scale: each
 * column standardised with the mean and standard deviation of the data the solution was fitted to
 * (#VS_FA_MEANS, #VS_FA_SDS; kept by vs_fa_fit() for raw input and by a saved solution), times
 * the weights of `method`. So the scores of some of the fitted rows equal the fit's own scores of
 * those rows (#VS_FA_SCORES), and a new row's score does not depend on the other new rows. Rows
 * with a missing value get NaN scores.
 * @param out_needed receives rows * k (may be NULL)
 * @param result the solution (fitted or loaded)
 * @param method a #vs_fa_scores method other than "none"
 * @param x rows x cols raw data (row-major; NaN = missing), columns in the solution's order
 * @param rows number of rows of x
 * @param cols number of columns of x (must be p)
 * @param buf receives the rows x k scores
 * @param cap number of doubles buf can hold
 * @return VS_OK, VS_EINVAL (NULL, unknown method, infinite value), VS_EMISMATCH (cols != p),
 *         VS_EUNDEFINED (the solution holds no means and standard deviations: it was fitted from a
 *         correlation matrix or loaded from a version-1 file; use vs_fa_result_scores_scaled()),
 *         VS_EBUFSIZE, VS_ENUMERIC, VS_ENOMEM. Nothing is written on failure.
 */
VS_API int vs_fa_result_scores(size_t *out_needed, const vs_fa_result *result, int method,
                               const double *x, size_t rows, size_t cols, double *buf, size_t cap);

/**
 * Factor scores as vs_fa_result_scores(), with the means and standard deviations that standardise
 * the columns given by the caller: for a solution fitted from a correlation matrix (pass the
 * means and standard deviations of the data the correlations came from), or to choose another
 * reference sample.
 * @param out_needed receives rows * k (may be NULL)
 * @param result the solution
 * @param method a #vs_fa_scores method other than "none"
 * @param x rows x cols raw data (row-major; NaN = missing)
 * @param rows number of rows of x
 * @param cols number of columns of x (must be p)
 * @param means p means subtracted from the columns
 * @param sds p standard deviations (positive) the columns are divided by
 * @param buf receives the rows x k scores
 * @param cap number of doubles buf can hold
 * @return as vs_fa_result_scores(); VS_EINVAL also for a NULL or non-finite mean or a standard
 *         deviation that is not positive and finite.
 */
VS_API int vs_fa_result_scores_scaled(size_t *out_needed, const vs_fa_result *result, int method,
                                      const double *x, size_t rows, size_t cols, const double *means,
                                      const double *sds, double *buf, size_t cap);

/* ------------------------------------------------------------------------------------------ */
/* Statistics                                                                                 */

/** Scalars of a result (vs_fa_result_scalar()). NaN when not defined (e.g. n unknown, df = 0). */
enum vs_fa_stat {
    VS_FA_STAT_OBJECTIVE = 1,   /**< psych's F = tr(S^-1 R) - log det(S^-1 R) - p */
    VS_FA_STAT_CHI_SQUARE = 2,  /**< F * (n - 1 - (2p + 5)/6 - 2k/3), at least 0 */
    VS_FA_STAT_DF = 3,          /**< p(p-1)/2 - pk + k(k-1)/2 */
    VS_FA_STAT_P_VALUE = 4,     /**< upper tail of chi-square */
    VS_FA_STAT_RMSEA = 5,       /**< sqrt(max(chi2 / (df n) - 1 / (n - 1), 0)) */
    VS_FA_STAT_RMSEA_LOWER = 6, /**< lower bound of the RMSEA interval */
    VS_FA_STAT_RMSEA_UPPER = 7, /**< upper bound of the RMSEA interval */
    VS_FA_STAT_TLI = 8,         /**< Tucker-Lewis index */
    VS_FA_STAT_BIC = 9,         /**< chi2 - df log n */
    VS_FA_STAT_RMSR = 10,       /**< root mean square off-diagonal residual (psych's rms) */
    VS_FA_STAT_CRITERION = 11,  /**< the optimiser's criterion at the solution (method's objective) */
    VS_FA_STAT_CONVERGED = 12,  /**< 1 if extraction and rotation converged (#VS_FA_STAT_EXTRACTION_CONVERGED
                                     and #VS_FA_STAT_ROTATION_CONVERGED), else 0 */
    VS_FA_STAT_ITERATIONS = 13, /**< extraction iterations of the best start */
    VS_FA_STAT_HEYWOOD = 14,    /**< number of variables at the psi bound or with communality >= 1 */
    VS_FA_STAT_NULL_CHI_SQUARE = 15, /**< chi-square of the null model */
    VS_FA_STAT_NULL_DF = 16,    /**< p(p-1)/2 */
    VS_FA_STAT_N_OBS = 17,      /**< number of observations used (NaN if unknown) */
    VS_FA_STAT_ROTATE_ITERATIONS = 18, /**< rotation iterations (0 for none) */
    VS_FA_STAT_BEST_START = 19, /**< 0-based index of the start that gave the solution (0 = SMC start) */
    VS_FA_STAT_SMOOTHED = 20,   /**< 1 if R was not positive definite and was smoothed for the statistics */
    VS_FA_STAT_ROTATION_CRITERION = 21, /**< rotation criterion at the solution, as GPArotation's f (on the
                                             Kaiser-normalised loadings when normalised; varimax: GPArotation's
                                             varimax criterion); NaN for none, promax or one factor */
    VS_FA_STAT_ROTATION_BEST_START = 22, /**< 0-based index of the rotation start kept (0 = identity) */
    VS_FA_STAT_EXTRACTION_CONVERGED = 23, /**< 1 if the extraction converged: the projected gradient max
                                               |P(psi - g) - psi| met the optimiser's tolerance, or, where it
                                               stopped because the objective no longer decreased or at
                                               VS_FA_OPT_MAX_ITER, is at most 1e-6 max(1, |criterion|);
                                               pa: |change of the communality sum| < 0.001 (psych's rule) */
    VS_FA_STAT_ROTATION_CONVERGED = 24, /**< 1 if the rotation converged (gradient projection: projected
                                             gradient norm below 1e-5, 1e-8 in mode "tight"; varimax:
                                             criterion growth below 1e-5 relative; 1 for none and k = 1) */
    VS_FA_STAT_ULTRA_HEYWOOD = 25, /**< number of variables with communality > 1 (psych's "ultra-Heywood
                                        case"; only pa can produce them) */
    VS_FA_STAT_SABIC = 26,  /**< sample-size adjusted BIC: chi2 - df log((n + 2) / 24) (psych's SABIC) */
    VS_FA_STAT_EBIC = 27,   /**< empirical BIC (psych's EBIC): chi_e - df log(nh), chi_e = n times the sum of
                                 squared off-diagonal residuals (both triangles; raw input: each weighted by
                                 its pairwise count instead of n), nh = n (raw input: the harmonic mean of
                                 the pairwise counts) */
    VS_FA_STAT_ESABIC = 28, /**< empirical sample-size adjusted BIC: chi_e - df log((nh + 2) / 24) (psych's ESABIC) */
    VS_FA_STAT_CRMS = 29    /**< root mean square residual corrected for df (psych's crms):
                                 sqrt(sum of squared off-diagonal residuals / (2 df)); raw input: the
                                 count-weighted sum / (2 nh df) */
};

/** Reads a scalar of a result. @return VS_OK, VS_EINVAL (NULL, unknown `what`). */
VS_API int vs_fa_result_scalar(double *out, const vs_fa_result *result, int what);

/* ------------------------------------------------------------------------------------------ */
/* Omega (Schmid-Leiman) and factor congruence                                                */

/** Coefficients of an omega result (vs_fa_omega_scalar()); names as psych::omega's. */
enum vs_fa_omega_stat {
    VS_FA_OMEGA_TOTAL = 1,        /**< omega total (psych's omega.tot): (Vt - sum u2) / Vt, Vt = sum of the
                                       (item-reversed) correlation matrix */
    VS_FA_OMEGA_HIERARCHICAL = 2, /**< omega hierarchical (omega_h): (sum of g loadings)^2 / Vt */
    VS_FA_OMEGA_LIMIT = 3,        /**< omega_h asymptotic (omega.lim): (sum g)^2 / (Vt - sum u2) */
    VS_FA_OMEGA_ALPHA = 4,        /**< Cronbach's alpha of the (item-reversed) matrix */
    VS_FA_OMEGA_G6 = 5,           /**< Guttman's lambda 6 (G6): (Vt + sum SMC - p) / Vt */
    VS_FA_OMEGA_ECV = 6,          /**< explained common variance of g: sum g^2 / sum of all squared
                                       Schmid-Leiman loadings (general and group) */
    VS_FA_OMEGA_CONVERGED = 7     /**< 1 if every step converged (the k-factor fit's extraction and varimax,
                                       the oblique rotation, the general factor's fit of Phi), else 0 */
};

/** Arrays of an omega result (vs_fa_omega_get()). Sizes in doubles; k group factors. */
enum vs_fa_omega_array {
    VS_FA_OMEGA_SL_LOADINGS = 1, /**< p x (k + 4): g, the k group factors F1*..Fk*, h2, u2, p2 = g^2 / h2
                                      (psych's schmid$sl), rows of reversed items negated as psych does */
    VS_FA_OMEGA_SUBSCALES = 2,   /**< (k + 1) x 3 (psych's omega.group): rows g, F1*..Fk*; columns total,
                                      general, group. An item belongs to the group factor of its largest
                                      |loading| (the first on ties); a factor with no item gets NaN */
    VS_FA_OMEGA_OBLIQUE = 3,     /**< p x k oblique pattern the transformation started from (the rotation's
                                      own output, as psych's schmid$oblique: no sign or order convention) */
    VS_FA_OMEGA_PHI = 4,         /**< k x k correlations of the oblique factors */
    VS_FA_OMEGA_GENERAL = 5,     /**< k loadings of the group factors on g (psych's schmid$gloading) */
    VS_FA_OMEGA_KEY = 6          /**< p: 1, or -1 for an item reversed because its g loading was negative */
};

/**
 * Schmid-Leiman transformation and omega coefficients as psych::omega (2.2.9) with its defaults
 * (option "equal", flip = TRUE): fa() with k = VS_FA_OPT_NFACTORS factors, the options' method
 * and starts and a Kaiser-normalised varimax; the options' oblique rotation of those loadings,
 * taken as returned (GPArotation's, no sign or order convention; VS_FA_OPT_ROTATE_STARTS random
 * starts allowed); the general loadings of the group factors from a one-factor fa() of Phi with
 * the same method (k = 2: both sqrt|phi12|, psych's "equal" option; three or more factors are
 * needed for identification); then g = pattern times those loadings, group loadings
 * sign(f) sqrt(f^2 (1 - g_j^2)), h2 and u2 of the varimax loadings, and items with a negative g
 * loading reversed. psych's defaults are 3 factors, minres and oblimin (set them on fa).
 * @param out set to the result (free with vs_fa_omega_free()), NULL on failure.
 * @param fa the options (VS_FA_OPT_NFACTORS >= 2, an oblique VS_FA_OPT_ROTATION: oblimin,
 *        quartimin, geominQ, bentlerQ, promax, Promax, simplimax, biquartimin or targetQ with its
 *        target, as psych's schmid() offers them)
 * @param data the input
 * @return VS_OK; VS_EINVAL (NULL, an orthogonal rotation or "none", targetQ without a target);
 *         VS_EMISMATCH (a target that is not p x k); VS_ERANGE (fewer than 2 factors, or too many
 *         for p as in vs_fa_fit(); simplimax's m above p k); the errors of vs_fa_fit(); VS_ENOMEM.
 */
VS_API int vs_fa_omega(vs_fa_omega_result **out, const vs_fa *fa, const vs_fa_data *data);

/** Frees an omega result. NULL is a no-op. */
VS_API void vs_fa_omega_free(vs_fa_omega_result *result);

/** Number of group factors k of an omega result (0 for NULL). */
VS_API size_t vs_fa_omega_factor_count(const vs_fa_omega_result *result);

/** Reads a coefficient (#vs_fa_omega_stat). @return VS_OK, VS_EINVAL (NULL, unknown `what`). */
VS_API int vs_fa_omega_scalar(double *out, const vs_fa_omega_result *result, int what);

/**
 * Copies an array (#vs_fa_omega_array) of an omega result.
 * @return VS_OK, VS_EINVAL (NULL result or buffer, unknown `what`), VS_EBUFSIZE.
 */
VS_API int vs_fa_omega_get(size_t *out_needed, const vs_fa_omega_result *result, int what, double *buf,
                           size_t cap);

/** Flags of vs_fa_congruence(). */
enum vs_fa_congruence_flags {
    VS_FA_CONGRUENCE_MATCH = 1,     /**< reorder and reflect the columns of B to match those of A: the
                                         assignment maximising the sum of |congruence| over matched pairs
                                         (Hungarian algorithm), B's columns then ordered by the column of A
                                         they match, and each matched column of B negated when its
                                         congruence is negative */
    VS_FA_CONGRUENCE_PROCRUSTES = 2 /**< first rotate B orthogonally onto A (least squares, T = U V' from the
                                         SVD B'A = U D V'); needs as many columns in B as in A */
};

/**
 * Tucker's congruence coefficients between the columns of two loading matrices over the same p
 * variables, as psych::factor.congruence: phi_ij = sum_v a_vi b_vj / sqrt(sum a_vi^2 sum b_vj^2).
 * @param out receives the ka x kb coefficients (row-major), after the optional Procrustes rotation
 *        and matching (then the columns are in B's matched order).
 * @param out_order receives kb indices (may be NULL): column j of the result is B's column
 *        out_order[j] (0-based; the identity without #VS_FA_CONGRUENCE_MATCH); with matching, the
 *        columns of B left unmatched (kb > ka) follow in their order.
 * @param out_sign receives kb values +1 or -1 (may be NULL): the reflection applied to that column.
 * @param a p x ka loadings (row-major)
 * @param b p x kb loadings (row-major)
 * @param p number of variables
 * @param ka number of columns of a
 * @param kb number of columns of b
 * @param flags 0 or an OR of #vs_fa_congruence_flags
 * @return VS_OK; VS_EINVAL (NULL, unknown flag, non-finite value); VS_ERANGE (p, ka or kb 0);
 *         VS_EMISMATCH (Procrustes with ka != kb); VS_EUNDEFINED (a column of zeros: its
 *         coefficient is 0 / 0); VS_ENOMEM. Nothing is written on failure.
 */
VS_API int vs_fa_congruence(double *out, size_t *out_order, double *out_sign, const double *a,
                            const double *b, size_t p, size_t ka, size_t kb, int flags);

/* ------------------------------------------------------------------------------------------ */
/* Saved solutions                                                                            */

/**
 * Serialises a fitted (or loaded) solution as a JSON document (UTF-8, NUL-terminated, compact:
 * one line): "schema" "valuespace.fa_solution", "version" 2, "variables" (the names, or
 * null), "nfactors", "statistics" (every #vs_fa_stat by its snake_case name, e.g. "chi_square",
 * "rmsea_lower", "sabic"; NaN as null) and every #vs_fa_array but the scores, as nested arrays
 * named "loadings", "structure", "phi", "communality", "uniquenesses", "eigenvalues",
 * "eigenvalues_reduced", "ss_loadings", "variance", "rotation_matrix", "unrotated", "psi",
 * "residual", "weights" (null when scores were "none"), "heywood", "score_r2", "rmsea_ci",
 * "means" and "sds" (the fitted raw data's column means and standard deviations, which
 * standardise new data for scores; both null for a fit from a correlation matrix), and the
 * correlation matrix as "correlation" (so score weights of other methods can be computed).
 * Version 1 (no "means" and "sds") is read too.
 * Numbers are written with enough digits to load back bit-identical.
 * @param out set to the text; free with vs_free().
 * @param result the solution
 * @param names p variable names (borrowed), or NULL: the loaded names of a loaded result, else none
 * @return VS_OK, VS_EINVAL (NULL out or result, a NULL name), VS_ENOMEM.
 */
VS_API int vs_fa_result_save_json(char **out, const vs_fa_result *result, const char *const *names);

/** Writes vs_fa_result_save_json() output to a file. @return VS_OK, VS_EINVAL, VS_EIO, VS_ENOMEM. */
VS_API int vs_fa_result_save_file(const vs_fa_result *result, const char *const *names, const char *path);

/**
 * Loads a solution saved by vs_fa_result_save_json() (version 2, or version 1 of earlier
 * releases). The result answers every accessor as the fitted one did (vs_fa_result_get(),
 * vs_fa_result_scalar(), vs_fa_result_weights(), vs_fa_result_scores()), except VS_FA_SCORES of
 * the fitted data (VS_EUNDEFINED). A version-1 file holds no means and standard deviations, so
 * vs_fa_result_scores() refuses it (VS_EUNDEFINED; vs_fa_result_scores_scaled() takes them).
 * @param out set to the result (free with vs_fa_result_free()), NULL on failure.
 * @param json the document (borrowed; need not be NUL-terminated)
 * @param length its length in bytes
 * @param source_name used in messages ("source:line:column: ..."); NULL gives "<json>".
 * @return VS_OK; VS_EINVAL (NULL); VS_EPARSE (malformed JSON, wrong schema, a missing or unknown
 *         field, a value of the wrong type, null where a number is needed, a standard deviation that
 *         is not positive); VS_EVERSION (a version other than 1 and 2); VS_EMISMATCH (an array of
 *         the wrong size); VS_ERANGE (nfactors not in
 *         1..p, p not in 2..100000); VS_ELIMIT (over 1 GiB, nesting); VS_EUTF8; VS_ENOMEM.
 */
VS_API int vs_fa_result_load_json(vs_fa_result **out, const char *json, size_t length, const char *source_name);

/** Loads a solution from a file. Codes of vs_fa_result_load_json(), plus VS_ENOTFOUND / VS_EIO. */
VS_API int vs_fa_result_load_file(vs_fa_result **out, const char *path);

/** Name of variable i of a loaded solution that has names; NULL otherwise (a fitted result, i >= p). */
VS_API const char *vs_fa_result_variable(const vs_fa_result *result, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* VALUESPACE_FA_H */
