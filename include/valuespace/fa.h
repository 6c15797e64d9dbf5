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

/** Input data: a correlation matrix with its sample size (and, for raw input, the data). */
typedef struct vs_fa_data vs_fa_data;
/** Factor-analysis options. */
typedef struct vs_fa vs_fa;
/** One fitted factor solution (immutable). */
typedef struct vs_fa_result vs_fa_result;

/** Missing-data handling for raw input (psych's `use`). */
enum vs_fa_missing {
    VS_FA_PAIRWISE = 0, /**< each correlation from the rows where both values are present (psych default) */
    VS_FA_LISTWISE = 1  /**< only rows with no missing value */
};

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

/** Stopping modes (VS_FA_OPT_MODE; names "psych", "tight"). */
enum vs_fa_mode {
    VS_FA_MODE_PSYCH = 0, /**< psych's and GPArotation's stopping rules (parity with psych) */
    VS_FA_MODE_TIGHT = 1  /**< converge to near machine precision */
};

/** Factor-score methods (VS_FA_OPT_SCORES and vs_fa_result_scores()). */
enum vs_fa_scores {
    VS_FA_SCORES_NONE = 0,       /**< "none" */
    VS_FA_SCORES_REGRESSION = 1, /**< "regression" (Thurstone): W = R^-1 L Phi */
    VS_FA_SCORES_BARTLETT = 2,   /**< "bartlett": W = U^-2 L (L' U^-2 L)^-1, U^2 = 1 - h^2 */
    VS_FA_SCORES_TENBERGE = 3,   /**< "tenBerge" (psych's factor.scores): W = R^-1/2 C Phi^1/2,
                                      C = R^-1/2 L* (L*' R^-1 L*)^-1/2, L* = L Phi^1/2; scores keep Phi's correlations */
    VS_FA_SCORES_ANDERSON = 4    /**< "Anderson" (Anderson-Rubin): W = U^-2 L (L' U^-2 R U^-2 L)^-1/2; uncorrelated scores */
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

/* ------------------------------------------------------------------------------------------ */
/* Input data                                                                                  */

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
/* Options                                                                                     */

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

/* ------------------------------------------------------------------------------------------ */
/* Fitting and results                                                                          */

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
    VS_FA_RMSEA_CI = 16            /**< 2: lower and upper RMSEA bounds (NaN when not found) */
};

/**
 * Copies an array of a result.
 * @return VS_OK, VS_EINVAL (NULL, unknown `what`), VS_EUNDEFINED (not available for this
 *         result), VS_EBUFSIZE.
 */
VS_API int vs_fa_result_get(size_t *out_needed, const vs_fa_result *result, int what, double *buf,
                            size_t cap);

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
    VS_FA_STAT_CONVERGED = 12,  /**< 1 if extraction and rotation converged, else 0 */
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
    VS_FA_STAT_ROTATION_BEST_START = 22 /**< 0-based index of the rotation start kept (0 = identity) */
};

/** Reads a scalar of a result. @return VS_OK, VS_EINVAL (NULL, unknown `what`). */
VS_API int vs_fa_result_scalar(double *out, const vs_fa_result *result, int what);

/**
 * Score weights (p x k) of a method for this solution.
 * @return VS_OK, VS_EINVAL (NULL, unknown method or "none"), VS_EBUFSIZE, VS_ENUMERIC (singular), VS_ENOMEM.
 */
VS_API int vs_fa_result_weights(size_t *out_needed, const vs_fa_result *result, int method,
                                double *buf, size_t cap);

/**
 * Factor scores (rows x k) of new raw data with the same p columns: each column standardised with
 * its own mean and standard deviation (n - 1), times the weights. Rows with a missing value get
 * NaN scores.
 * @return VS_OK, VS_EINVAL (NULL, unknown method, infinite value), VS_EMISMATCH (cols != p),
 *         VS_EUNDEFINED (a column with fewer than 2 values or zero variance), VS_EBUFSIZE,
 *         VS_ENUMERIC, VS_ENOMEM.
 */
VS_API int vs_fa_result_scores(size_t *out_needed, const vs_fa_result *result, int method,
                               const double *x, size_t rows, size_t cols, double *buf, size_t cap);

/* ------------------------------------------------------------------------------------------ */
/* Additions                                                                                   */

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

#ifdef __cplusplus
}
#endif

#endif /* VALUESPACE_FA_H */
