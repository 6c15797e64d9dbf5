/**
 * @file valuespace/vector.h
 * @brief Value vectors bound to one level of a space; aggregation, distances, BaseAlign,
 *        weighted-sum alignment, ipsatisation and the circle fit.
 *
 * A vector holds one double per dimension of its level. NaN marks a missing entry; infinite
 * values are rejected. A vector keeps its space alive.
 */
#ifndef VALUESPACE_VECTOR_H
#define VALUESPACE_VECTOR_H

#include "valuespace/common.h"
#include "valuespace/space.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A value vector: one double per dimension of one level of a space (NaN = missing). Opaque. */
typedef struct vs_vector vs_vector;

/**
 * Creates a vector over `level` of `space`, every entry missing (NaN).
 * @param out set to the vector (free with vs_vector_free()), NULL on failure.
 * @param space the space (a reference is taken: the vector keeps it alive)
 * @param level the level's index in the space
 * @return VS_OK, VS_EINVAL (NULL space), VS_ERANGE (no such level), VS_ENOMEM.
 */
VS_API int vs_vector_create(vs_vector **out, const vs_space *space, size_t level);

/** Creates an independent copy. @return VS_OK, VS_EINVAL, VS_ENOMEM. */
VS_API int vs_vector_clone(vs_vector **out, const vs_vector *vector);

/** Frees a vector (and drops its reference to the space). NULL is a no-op. */
VS_API void vs_vector_free(vs_vector *vector);

/** The space the vector is bound to (borrowed: valid while the vector lives). */
VS_API const vs_space *vs_vector_space(const vs_vector *vector);
/** The level of the space the vector is over. */
VS_API size_t vs_vector_level(const vs_vector *vector);
/** Number of entries (the size of its level). */
VS_API size_t vs_vector_dimension_count(const vs_vector *vector);
/** The former name of vs_vector_dimension_count() (README, "Deprecated names").
 *  @deprecated Use vs_vector_dimension_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_vector_dimension_count") size_t vs_vector_size(const vs_vector *vector);
/** Number of missing (NaN) entries. */
VS_API size_t vs_vector_missing_count(const vs_vector *vector);

/** Sets entry `i`; NaN marks it missing. @return VS_OK, VS_EINVAL (NULL, infinite), VS_ERANGE. */
VS_API int vs_vector_set(vs_vector *vector, size_t i, double value);
/** Gets entry `i` (NaN when missing). @return VS_OK, VS_EINVAL, VS_ERANGE. */
VS_API int vs_vector_get(double *out, const vs_vector *vector, size_t i);

/** Sets the entry named `name` (folded lookup within the vector's level). @return VS_OK, VS_EINVAL, VS_ENOTFOUND, VS_EUTF8, VS_ENOMEM. */
VS_API int vs_vector_set_by_name(vs_vector *vector, const char *name, double value);
/** Gets the entry named `name`. @return VS_OK, VS_EINVAL, VS_ENOTFOUND, VS_EUTF8, VS_ENOMEM. */
VS_API int vs_vector_get_by_name(double *out, const vs_vector *vector, const char *name);

/**
 * Sets all entries from `values` (NaN = missing). On failure nothing changes.
 * @return VS_OK, VS_EINVAL (NULL, an infinite value), VS_EMISMATCH (n differs from the size).
 */
VS_API int vs_vector_set_values(vs_vector *vector, const double *values, size_t n);

/**
 * Copies all entries into `buf`. `*out_needed` is set to the size in every case.
 * @return VS_OK, VS_EINVAL, VS_EBUFSIZE (cap smaller than the size; nothing written).
 */
VS_API int vs_vector_get_values(size_t *out_needed, const vs_vector *vector, double *buf, size_t cap);

/** Aggregation policies for vs_vector_aggregate(). */
enum {
    VS_AGGREGATE_MEAN = 0,          /**< mean of the children present */
    VS_AGGREGATE_MAX_MAGNITUDE = 1, /**< the child value of largest |x|; a tie of opposite signs gives their mean */
    VS_AGGREGATE_SIGN_VOTE = 2      /**< sign of the sum of the children's signs: +1, 0 or -1 */
};

/**
 * Aggregates a vector to a higher level of its space: each entry of the result combines the
 * present entries of the dimensions whose parent at `to_level` it is. An entry with no present
 * children is missing. Dimensions without a parent there do not contribute.
 * @param out set to a new vector over `to_level`.
 * @param vector the vector to aggregate
 * @param to_level a level above the vector's level
 * @param policy how present children combine: #VS_AGGREGATE_MEAN, #VS_AGGREGATE_MAX_MAGNITUDE or #VS_AGGREGATE_SIGN_VOTE
 * @return VS_OK, VS_EINVAL (NULL, unknown policy), VS_ERANGE (to_level not above the vector's level), VS_ENOMEM.
 */
VS_API int vs_vector_aggregate(vs_vector **out, const vs_vector *vector, size_t to_level, uint32_t policy);

/**
 * Subtracts the mean of the present entries from every present entry (ipsatisation, MRAT
 * centring; never divides by the standard deviation), in place.
 * @return VS_OK, VS_EINVAL, VS_EUNDEFINED (no entry present, or a centred value would overflow;
 *         the vector is unchanged).
 */
VS_API int vs_vector_ipsatize(vs_vector *vector);

/** Metrics for vs_vector_compare(). */
enum {
    VS_METRIC_L1 = 0,      /**< distance: sum |a - b| */
    VS_METRIC_L2 = 1,      /**< distance: sqrt(sum (a - b)^2) */
    VS_METRIC_COSINE = 2,  /**< similarity in [-1, 1]: a.b / (|a| |b|) */
    VS_METRIC_SPEARMAN = 3 /**< similarity in [-1, 1]: Spearman's rho (ties get average ranks) */
};

/**
 * Compares two vectors over the entries present in both. The vectors must be over levels of
 * the same size with the same keys in the same order (typically the same space and level).
 * @return VS_OK, VS_EINVAL (NULL, unknown metric), VS_EMISMATCH (different dimensions),
 *         VS_EUNDEFINED (no common entry; cosine with a zero vector; Spearman with fewer than two
 *         common entries or constant ranks; a distance beyond the range of a double),
 *         VS_ENOMEM (Spearman's ranks need scratch memory). `*out` is untouched on failure.
 */
VS_API int vs_vector_compare(double *out, const vs_vector *a, const vs_vector *b, uint32_t metric);

/** Flag of vs_vector_weighted_sum(): divide by the sum of the absolute weights. */
#define VS_WEIGHTED_SUM_NORMALIZE 1u
/**
 * Weighted-sum alignment (Value Compass): sum_k w_k v_k over the entries present in both.
 * With VS_WEIGHTED_SUM_NORMALIZE the sum is divided by sum_k |w_k| over those entries.
 * @param out receives the sum.
 * @param values the values v.
 * @param weights the weights w, over the same dimensions.
 * @param flags 0 or #VS_WEIGHTED_SUM_NORMALIZE.
 * @return VS_OK, VS_EINVAL (NULL, unknown flags), VS_EMISMATCH, VS_EUNDEFINED (no common entry,
 *         zero weight sum when normalising, or a sum beyond the range of a double).
 */
VS_API int vs_vector_weighted_sum(double *out, const vs_vector *values, const vs_vector *weights, uint32_t flags);

/* ---------------------------------------------------------------- BaseAlign */

/** BaseAlign's default mask threshold: a dimension counts only if |s_k| > 0.3. */
#define VS_BASEALIGN_THRESHOLD 0.3
/** Flag: the scores are raw evaluator outputs; apply tanh first (as BaseAlign does). */
#define VS_BASEALIGN_RAW 1u

/** Number of built-in BaseAlign targets ("default", "uk", "netherlands", "france"). */
VS_API size_t vs_align_target_count(void);
/** Name of the i-th built-in target (static), or NULL if out of range. */
VS_API const char *vs_align_target_name(size_t i);

/**
 * Creates a built-in BaseAlign target vector over level 0 of a new "schwartz10" space
 * (docs/METHODS.md §1.4; order Self-direction … Universalism).
 * @return VS_OK, VS_EINVAL, VS_ENOTFOUND (unknown name; folded match), VS_ENOMEM.
 */
VS_API int vs_align_target(vs_vector **out, const char *name);

/**
 * BaseAlign masked weighted L1 distance: s = tanh(score) with VS_BASEALIGN_RAW, else the score;
 * m_k = 1 if |s_k| > threshold; d = sum_k |s_k - t_k| * m_k * |t_k|; reward = -d.
 * Missing scores are masked out; missing targets count as 0 (never count).
 * @param out_distance receives d. @param out_reward receives -d (may be NULL).
 * @param mask if not NULL, receives m_k (0 or 1) per dimension; `mask_cap` must be at least the size.
 * @param threshold the mask threshold (VS_BASEALIGN_THRESHOLD in the published method); finite, >= 0.
 * @param scores the scores (raw evaluator outputs with #VS_BASEALIGN_RAW)
 * @param target the target vector, over the same dimensions (e.g. vs_align_target())
 * @param flags 0 or #VS_BASEALIGN_RAW
 * @param mask_cap number of entries mask can hold
 * @return VS_OK, VS_EINVAL (NULL out_distance or vector, unknown flags, bad threshold),
 *         VS_EMISMATCH (different dimensions), VS_EBUFSIZE (mask too small),
 *         VS_EUNDEFINED (d beyond the range of a double). Nothing is written on failure.
 */
VS_API int vs_basealign(double *out_distance, double *out_reward, const vs_vector *scores,
                        const vs_vector *target, uint32_t flags, double threshold,
                        unsigned char *mask, size_t mask_cap);

/**
 * The unmasked distances the FULCRA evaluation script reports beside BaseAlign: over the
 * dimensions whose target is non-zero (t = 1 for the default target), L1 = sum |s - t| and
 * L2 = sqrt(sum (s - t)^2), with s = tanh(score) under VS_BASEALIGN_RAW. Missing scores are skipped.
 * Either of out_l1 and out_l2 may be NULL.
 * @return VS_OK, VS_EINVAL, VS_EMISMATCH, VS_EUNDEFINED (no dimension counts; a distance beyond
 *         the range of a double).
 */
VS_API int vs_basealign_unmasked(double *out_l1, double *out_l2, const vs_vector *scores,
                                 const vs_vector *target, uint32_t flags);

/* ---------------------------------------------------------------- circle fit */

/**
 * Result of vs_vector_circle_fit(): least-squares fit x_k = mesor + amplitude * cos(theta_k - phase)
 * over the dimensions that have both an angle and a present value.
 * Caller-filled struct: set struct_size (VS_CIRCLE_FIT_INIT) before the call.
 */
typedef struct vs_circle_fit {
    uint32_t struct_size;  /**< sizeof(vs_circle_fit) (use VS_CIRCLE_FIT_INIT) */
    double mesor;          /**< the fitted mean level */
    double amplitude;      /**< >= 0 */
    double phase_degrees;  /**< angle of the peak in [0, 360) (0 when amplitude is 0) */
    double r_squared;      /**< 1 - SS_res / SS_tot (1 when SS_tot = 0 and the fit is exact) */
    size_t n;              /**< number of dimensions used */
} vs_circle_fit;

/** Initialiser of a vs_circle_fit: struct_size set, every field 0. */
#define VS_CIRCLE_FIT_INIT {(uint32_t)sizeof(vs_circle_fit), 0.0, 0.0, 0.0, 0.0, 0}

/**
 * Sets `*o` to #VS_CIRCLE_FIT_INIT: struct_size and every default, for callers that cannot use the macro (bindings, other languages).
 * @param o the struct to fill; NULL is a no-op
 */
VS_API void vs_circle_fit_init(vs_circle_fit *o);

/**
 * Fits a sinusoid over the circle angles of the vector's dimensions (a test of the circular
 * structure of values). Needs at least 4 usable dimensions whose angles do not make the design
 * singular (e.g. not all on two opposite points).
 * @return VS_OK, VS_EINVAL (NULL, struct_size too small), VS_EUNDEFINED (too few usable
 *         dimensions or a singular design).
 */
VS_API int vs_vector_circle_fit(vs_circle_fit *out, const vs_vector *vector);

#ifdef __cplusplus
}
#endif

#endif /* VALUESPACE_VECTOR_H */
