/**
 * @file valuespace/cluster.h
 * @brief Deterministic clustering of caller-supplied points (embeddings): k-means with
 *        k-means++ seeding (Euclidean, or spherical for cosine), agglomerative clustering (Ward,
 *        average, complete linkage), the silhouette score, choosing k by silhouette, and the
 *        adjusted Rand index.
 *
 * Two handles:
 * - #vs_cluster: the options (method, k, metric, linkage, seed, restarts, iteration limit,
 *   tolerance, threads, k range, optional initial centres), set with typed setters keyed by
 *   #vs_cluster_option. A #vs_cluster is only read while fitting.
 * - #vs_cluster_result: one clustering; labels with vs_cluster_result_labels(), arrays with
 *   vs_cluster_result_get(), numbers with vs_cluster_result_scalar().
 *
 * Input points are n x d row-major doubles (point i, coordinate j at [i * d + j]), borrowed for
 * the call only. A NaN or infinite coordinate is rejected with VS_EINVAL, a coordinate with
 * magnitude above #VS_CLUSTER_MAX_ABS (whose squared distances could overflow) with VS_ERANGE;
 * the message names the row and column (1-based). With the cosine metric a row of zeros has no
 * direction and is rejected with VS_EUNDEFINED.
 *
 * **Canonical labels.** Every label array the library produces numbers the clusters in order of
 * first occurrence: point 0 is in cluster 0, the first point not in cluster 0 is in cluster 1,
 * and so on. Centres and sizes follow the same order. Two runs that find the same partition
 * therefore give identical label arrays.
 *
 * **k-means** (VS_CLUSTER_KMEANS) follows scikit-learn's KMeans(algorithm="lloyd"):
 * - Seeding: greedy k-means++ (Arthur & Vassilvitskii 2007, as scikit-learn): the first centre is
 *   a uniformly random point; each further centre is the best of 2 + floor(ln k) candidates drawn
 *   with probability proportional to the squared distance to the nearest chosen centre, "best"
 *   meaning the smallest resulting sum of squared distances. Random numbers come from the seed
 *   (VS_CLUSTER_OPT_SEED) and the restart index only.
 * - Lloyd iterations on the data centred by its column means (as scikit-learn does): assign each
 *   point to the nearest centre (ties go to the lower centre index), move every centre to the
 *   mean of its points. A centre left without points is moved to the point farthest from its
 *   centre (the farthest points are taken in decreasing distance, ties by point index), and that
 *   point's contribution is removed from its old cluster's mean, as scikit-learn does.
 * - Stopping, as scikit-learn's: after iteration i (counted from 1), stop if the labels did not
 *   change from iteration i - 1 ("strict convergence"), or if the sum over centres of the squared
 *   distance each centre moved is <= tol * (mean over columns of the population variance of the
 *   column), or after VS_CLUSTER_OPT_MAX_ITER iterations. Unless the labels converged strictly,
 *   the points are assigned once more to the final centres. tol = 0 stops only on strict
 *   convergence or the limit. VS_CLUSTER_STAT_ITERATIONS equals scikit-learn's n_iter_.
 * - VS_CLUSTER_OPT_N_INIT restarts (seeding + Lloyd), restart r using random stream r of the
 *   seed; a later run replaces the kept one only if its inertia is strictly lower and its
 *   partition differs (as scikit-learn), so ties keep the earliest.
 * - Caller-given initial centres (vs_cluster_set_init_centers()) replace the seeding; then a
 *   single run is made whatever N_INIT says (scikit-learn does the same).
 * - Inertia: sum of squared Euclidean distances of the points to their centres.
 * - Metric cosine = spherical k-means: every row is scaled to unit length first, centres are
 *   scaled to unit length after each update (a centre whose points sum to the zero vector keeps
 *   its previous direction), the tolerance is relative to the variance of the unit rows, and the
 *   inertia is the sum of cosine distances 1 - cos(point, centre). Seeding and assignment use the
 *   Euclidean distance between unit vectors, which orders points exactly as the cosine distance.
 * - Identical points: when the data have fewer than k distinct points, some centres coincide and
 *   ties go to the lowest centre index, so fewer than k clusters are non-empty. If all points are
 *   identical, every label is 0, all k centres equal the point (to rounding) and the inertia is 0
 *   (to rounding). Empty clusters come after the non-empty ones in the canonical order, with
 *   size 0. (Agglomerative clustering of identical points merges at height 0 and still returns
 *   k clusters, split in the order the merges were found.)
 *
 * **Agglomerative** (VS_CLUSTER_AGGLOMERATIVE) builds the full hierarchy with the
 * nearest-neighbour-chain algorithm on the n x n distance matrix (O(n^2) time, n(n-1)/2 doubles of
 * memory) and cuts it into k clusters by undoing the k - 1 highest merges (the merges sorted by
 * height, ties keeping the order in which they were found), as scikit-learn's
 * AgglomerativeClustering (which uses SciPy's linkage) does.
 * - Linkage average: mean pairwise distance; complete: largest pairwise distance; Ward: increase
 *   of the within-cluster sum of squares, with SciPy's heights sqrt(2 * increase) (the
 *   Lance-Williams update on Euclidean distances).
 * - Metric euclidean, or cosine: 1 - cos between rows. Ward needs Euclidean geometry: with metric
 *   cosine it runs on the rows scaled to unit length (squared Euclidean distance between unit
 *   rows = 2 * cosine distance). scikit-learn's Ward accepts only Euclidean distance; the cosine
 *   variant equals its Ward on the row-normalised data.
 * - Centres of agglomerative clusters are the means of the member rows (metric cosine: the mean
 *   of the unit rows, scaled to unit length); inertia as for k-means.
 * - The full hierarchy is available as a SciPy linkage matrix (VS_CLUSTER_LINKAGE_MATRIX).
 *
 * **Threads and reproducibility.** VS_CLUSTER_OPT_THREADS > 1 splits assignments, centre sums,
 * distance matrices and silhouettes across threads (small problems run on the calling thread).
 * Every value is computed by one piece of work whose result does not depend on which thread runs
 * it, and every sum runs in a fixed order (centre sums over the points in order), so results are
 * bit-identical for every thread count. The AVX and SSE2 kernels (chosen at run time on x86)
 * multiply and add without fusing, so they give identical values too. Worker threads never call
 * the allocator hook.
 *
 * Output arrays use the pattern (size_t *out_needed, ..., buf, size_t cap): the number of
 * elements needed is stored in *out_needed (when not NULL) in every case, and VS_EBUFSIZE is
 * returned (nothing written) when cap is smaller.
 *
 * @threadsafety distinct handles may be used from different threads; a #vs_cluster may be shared
 * by threads that only read it (fit, choose_k, silhouette) while no thread changes it; a
 * #vs_cluster_result is immutable.
 */
#ifndef VALUESPACE_CLUSTER_H
#define VALUESPACE_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "valuespace/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest accepted coordinate magnitude (larger ones could overflow squared distances). */
#define VS_CLUSTER_MAX_ABS 1e150

/** Clustering options. */
typedef struct vs_cluster vs_cluster;
/** One clustering (immutable). */
typedef struct vs_cluster_result vs_cluster_result;

/** Methods (VS_CLUSTER_OPT_METHOD; names "kmeans", "agglomerative"). */
enum vs_cluster_method {
    VS_CLUSTER_KMEANS = 0,       /**< Lloyd's k-means with k-means++ seeding */
    VS_CLUSTER_AGGLOMERATIVE = 1 /**< hierarchical agglomerative clustering cut into k clusters */
};

/** Distances (VS_CLUSTER_OPT_METRIC; names "euclidean", "cosine"). */
enum vs_cluster_metric {
    VS_CLUSTER_EUCLIDEAN = 0, /**< Euclidean distance */
    VS_CLUSTER_COSINE = 1     /**< cosine distance 1 - cos; k-means becomes spherical k-means */
};

/** Linkages of agglomerative clustering (VS_CLUSTER_OPT_LINKAGE; names "ward", "average", "complete"). */
enum vs_cluster_linkage {
    VS_CLUSTER_WARD = 0, /**< Ward's minimum variance (Euclidean geometry; see the file comment for cosine) */
    VS_CLUSTER_AVERAGE = 1, /**< mean of the pairwise distances (UPGMA) */
    VS_CLUSTER_COMPLETE = 2 /**< largest pairwise distance */
};

/** Options of a #vs_cluster. The type of each is given; vs_cluster_option_bounds() reports the range. */
enum vs_cluster_option {
    VS_CLUSTER_OPT_METHOD = 1,   /**< int (#vs_cluster_method) or str; default kmeans */
    VS_CLUSTER_OPT_K = 2,        /**< int, number of clusters for vs_cluster_fit(); default 2 */
    VS_CLUSTER_OPT_METRIC = 3,   /**< int (#vs_cluster_metric) or str; default euclidean */
    VS_CLUSTER_OPT_LINKAGE = 4,  /**< int (#vs_cluster_linkage) or str; default ward (as scikit-learn) */
    VS_CLUSTER_OPT_SEED = 5,     /**< int, seed of k-means++ (any int64); default 0 */
    VS_CLUSTER_OPT_N_INIT = 6,   /**< int, k-means restarts; default 10 (scikit-learn 1.2) */
    VS_CLUSTER_OPT_MAX_ITER = 7, /**< int, Lloyd iteration limit per restart; default 300 (scikit-learn) */
    VS_CLUSTER_OPT_TOL =
        8, /**< double >= 0, relative tolerance (see the file comment); default 1e-4 (scikit-learn) */
    VS_CLUSTER_OPT_THREADS =
        9, /**< int, threads for the distance work, 0 = one per online processor; default 1 */
    VS_CLUSTER_OPT_K_MIN = 10, /**< int, smallest k tried by vs_cluster_choose_k(); default 2 */
    VS_CLUSTER_OPT_K_MAX = 11  /**< int, largest k tried by vs_cluster_choose_k(); default 10 */
};

/* ------------------------------------------------------------------------------------------ */
/* Options                                                                                     */

/**
 * Creates options with the defaults listed in #vs_cluster_option.
 * @param out set to the handle (free with vs_cluster_free()), NULL on failure.
 * @return VS_OK, VS_EINVAL (NULL out), VS_ENOMEM.
 */
VS_API int vs_cluster_create(vs_cluster **out);

/** Frees options (and the initial centres they hold). NULL is a no-op. */
VS_API void vs_cluster_free(vs_cluster *cluster);

/**
 * Sets an integer option (also enum-valued ones).
 * @return VS_OK, VS_EINVAL (NULL, unknown option, option not integer), VS_ERANGE (out of bounds;
 *         nothing changed).
 */
VS_API int vs_cluster_set_int(vs_cluster *cluster, int option, int64_t value);

/**
 * Sets a double option.
 * @return VS_OK, VS_EINVAL (NULL, unknown option, option not a double, NaN), VS_ERANGE.
 */
VS_API int vs_cluster_set_double(vs_cluster *cluster, int option, double value);

/**
 * Sets an enum-valued option by name: method ("kmeans", "agglomerative"), metric ("euclidean",
 * "cosine"), linkage ("ward", "average", "complete"). Names are case-sensitive. The string is
 * borrowed for the call only.
 * @return VS_OK, VS_EINVAL (NULL, option not named), VS_ENOTFOUND (unknown name).
 */
VS_API int vs_cluster_set_str(vs_cluster *cluster, int option, const char *value);

/** Reads an integer option. @return VS_OK, VS_EINVAL (NULL, unknown or non-integer option). */
VS_API int vs_cluster_get_int(int64_t *out, const vs_cluster *cluster, int option);

/** Reads a double option. @return VS_OK, VS_EINVAL (NULL, unknown or non-double option). */
VS_API int vs_cluster_get_double(double *out, const vs_cluster *cluster, int option);

/**
 * Bounds of an option (inclusive), as doubles; integer options report integral bounds.
 * @return VS_OK, VS_EINVAL (NULL or unknown option).
 */
VS_API int vs_cluster_option_bounds(double *out_min, double *out_max, int option);
/**
 * Reads an enum-valued option as its name, such as "kmeans".
 * The name is the first one vs_cluster_set_str() accepts for the value; the string is static.
 * @return VS_OK, VS_EINVAL (NULL, unknown option, an option without names; *out is then NULL).
 */
VS_API int vs_cluster_get_str(const char **out, const vs_cluster *cluster, int option);
/**
 * Looks up an option of a #vs_cluster by its name, such as "n_init" for #VS_CLUSTER_OPT_N_INIT.
 * Every option's name is the lowercase end of its enum value (the same names error messages use
 * and the bindings accept).
 * @param out set to the option's enum value; unchanged on failure
 * @param name the name, case-sensitive
 * @return VS_OK, VS_EINVAL (NULL argument), VS_ENOTFOUND (no option has that name; the message
 *         suggests the closest one).
 */
VS_API int vs_cluster_option_id(int *out, const char *name);
/**
 * The name of an option of a #vs_cluster (what vs_cluster_option_id() accepts), or NULL for an unknown option.
 * The string is static.
 */
VS_API const char *vs_cluster_option_name(int option);

/**
 * Sets initial k-means centres (copied), replacing k-means++ seeding; NULL centres (with k and
 * d 0) removes them. vs_cluster_fit() then needs k == VS_CLUSTER_OPT_K and d equal to the
 * data's columns.
 * @param centers k x d row-major (borrowed, copied).
 * @param cluster the options handle
 * @param k number of centres
 * @param d number of columns of each centre
 * @return VS_OK; VS_EINVAL (NULL cluster; NULL centers with k or d non-zero; a NaN or infinite
 *         value, named by row and column); VS_ERANGE (k or d 0 with non-NULL centers; a value
 *         above #VS_CLUSTER_MAX_ABS); VS_ENOMEM. On failure the previous centres are kept.
 */
VS_API int vs_cluster_set_init_centers(vs_cluster *cluster, const double *centers, size_t k, size_t d);

/* ------------------------------------------------------------------------------------------ */
/* Clustering                                                                                   */

/**
 * Clusters n points of dimension d into VS_CLUSTER_OPT_K clusters with the chosen method.
 * @param out set to the result (free with vs_cluster_result_free()), NULL on failure.
 * @param x n x d row-major points (borrowed for the call).
 * @param cluster the options (borrowed for the call)
 * @param n number of points (rows of x)
 * @param d dimension of the points (columns of x)
 * @return VS_OK; VS_EINVAL (NULL argument; NaN or infinite value, named by row and column);
 *         VS_ERANGE (k > n, n = 0 or d = 0; a value above #VS_CLUSTER_MAX_ABS, named by row and
 *         column); VS_EMISMATCH (initial centres with another k or d);
 *         VS_EUNDEFINED (metric cosine and a row, or an initial centre, of zeros);
 *         VS_ELIMIT (n x d doubles, or for agglomerative the n(n-1)/2 distances, exceed the
 *         address space);
 *         VS_ENOMEM.
 */
VS_API int vs_cluster_fit(vs_cluster_result **out, const vs_cluster *cluster, const double *x, size_t n,
                          size_t d);

/**
 * Chooses k by the mean silhouette (with the options' metric): clusters for every k from
 * VS_CLUSTER_OPT_K_MIN to VS_CLUSTER_OPT_K_MAX (k-means: each k with the same options;
 * agglomerative: one hierarchy cut at every k) and keeps the k with the largest mean silhouette
 * (ties: the smallest k). The result is that clustering; its VS_CLUSTER_K_SCORES array holds
 * the mean silhouette of every k tried, and VS_CLUSTER_STAT_SILHOUETTE the chosen one.
 * Initial centres in the options are not used (every k is seeded with k-means++).
 * @param out set to the result, NULL on failure.
 * @param cluster the options (borrowed for the call)
 * @param x n x d row-major points (borrowed for the call)
 * @param n number of points
 * @param d dimension of the points
 * @return as vs_cluster_fit(); also VS_ERANGE unless 2 <= K_MIN <= K_MAX <= n - 1, and
 *         VS_EUNDEFINED when no k gives 2 or more non-empty clusters (only duplicate points).
 */
VS_API int vs_cluster_choose_k(vs_cluster_result **out, const vs_cluster *cluster, const double *x, size_t n,
                               size_t d);

/** Frees a result. NULL is a no-op. */
VS_API void vs_cluster_result_free(vs_cluster_result *result);

/**
 * Copies the n canonical labels (0 .. number of non-empty clusters - 1; see the file comment).
 * @return VS_OK, VS_EINVAL (NULL result, or NULL buf with cap > 0), VS_EBUFSIZE.
 */
VS_API int vs_cluster_result_labels(size_t *out_needed, const vs_cluster_result *result, size_t *buf,
                                    size_t cap);

/** Arrays of a result (vs_cluster_result_get()). Sizes in doubles. */
enum vs_cluster_array {
    VS_CLUSTER_CENTERS = 1, /**< k x d centres in canonical order (input coordinates; cosine: unit vectors) */
    VS_CLUSTER_SIZES = 2,   /**< k: number of points in each cluster (canonical order) */
    VS_CLUSTER_LINKAGE_MATRIX = 3, /**< (n - 1) x 4, agglomerative only: SciPy's linkage matrix Z. Row m
                                      merges clusters Z[m,0] < Z[m,1] (ids < n are points, id n + i is the
                                      cluster made by row i) at height Z[m,2] into a cluster of Z[m,3] points;
                                        rows in increasing height */
    VS_CLUSTER_K_SCORES = 4 /**< K_MAX - K_MIN + 1, vs_cluster_choose_k() only: mean silhouette of each k */
};

/**
 * Copies an array of a result.
 * @return VS_OK, VS_EINVAL (NULL result, unknown `what`, NULL buf with cap > 0), VS_EUNDEFINED
 *         (not available for this result: linkage of k-means, k scores outside choose_k),
 *         VS_EBUFSIZE.
 */
VS_API int vs_cluster_result_get(size_t *out_needed, const vs_cluster_result *result, int what, double *buf,
                                 size_t cap);

/** Scalars of a result (vs_cluster_result_scalar()). */
enum vs_cluster_stat {
    VS_CLUSTER_STAT_K = 1,        /**< number of clusters asked for */
    VS_CLUSTER_STAT_N = 2,        /**< number of points */
    VS_CLUSTER_STAT_D = 3,        /**< dimension */
    VS_CLUSTER_STAT_NONEMPTY = 4, /**< number of non-empty clusters (< k only with duplicate points) */
    VS_CLUSTER_STAT_INERTIA = 5,  /**< sum of squared Euclidean (cosine: cosine) distances to the centres */
    VS_CLUSTER_STAT_ITERATIONS =
        6, /**< k-means: Lloyd iterations of the kept run (scikit-learn's n_iter_); else 0 */
    VS_CLUSTER_STAT_CONVERGED = 7,  /**< k-means: 1 if the kept run stopped by a rule (labels unchanged or
                                         centres moved <= tolerance), 0 if it ran out of iterations; else 1 */
    VS_CLUSTER_STAT_BEST_INIT = 8,  /**< k-means: 0-based index of the kept restart; else 0 */
    VS_CLUSTER_STAT_SILHOUETTE = 9, /**< vs_cluster_choose_k(): mean silhouette of the chosen k; else NaN */
    VS_CLUSTER_STAT_K_MIN = 10      /**< vs_cluster_choose_k(): first k of VS_CLUSTER_K_SCORES; else NaN */
};

/** Reads a scalar of a result. @return VS_OK, VS_EINVAL (NULL, unknown `what`). */
VS_API int vs_cluster_result_scalar(double *out, const vs_cluster_result *result, int what);

/* ------------------------------------------------------------------------------------------ */
/* Quality and agreement                                                                        */

/**
 * Silhouette (Rousseeuw 1987) of a labelling, as scikit-learn's silhouette_score and
 * silhouette_samples: for point i, a = mean distance to the other points of its cluster,
 * b = smallest mean distance to the points of another cluster, s = (b - a) / max(a, b); s = 0 for
 * a point alone in its cluster and when a = b = 0. The mean is over all points.
 * Labels may be any values; equal values form a cluster.
 * @param out_mean receives the mean silhouette (may be NULL).
 * @param cluster options supplying VS_CLUSTER_OPT_METRIC and VS_CLUSTER_OPT_THREADS; NULL =
 *        Euclidean, one thread.
 * @param x n x d row-major points (borrowed).
 * @param labels n labels (borrowed).
 * @param samples receives the n per-point values; may be NULL when cap is 0.
 * @param out_needed receives n, the size samples needs (may be NULL)
 * @param n number of points
 * @param d dimension of the points
 * @param cap number of doubles samples can hold
 * @return VS_OK; VS_EINVAL (NULL x or labels; NULL samples with cap > 0; NaN or infinite value,
 *         named by row and column); VS_ERANGE (n < 2 or d = 0; a value above
 *         #VS_CLUSTER_MAX_ABS); VS_ELIMIT (n x d overflows); VS_EUNDEFINED (fewer than 2 or
 *         more than n - 1 distinct labels, as scikit-learn; metric cosine and a row of zeros);
 *         VS_EBUFSIZE (0 < cap < n; nothing computed); VS_ENOMEM.
 */
VS_API int vs_cluster_silhouette(double *out_mean, size_t *out_needed, const vs_cluster *cluster,
                                 const double *x, size_t n, size_t d, const size_t *labels, double *samples,
                                 size_t cap);

/**
 * Adjusted Rand index (Hubert & Arabie 1985) of two labellings of the same n points, as
 * scikit-learn's adjusted_rand_score: 1 for identical partitions (whatever the label values),
 * about 0 for independent ones, may be negative. Labels may be any values. Defined as 1 when
 * both labellings put all points in one cluster, or both put every point alone.
 * @param out receives the index.
 * @param a n labels of the first labelling (borrowed)
 * @param b n labels of the second labelling (borrowed)
 * @param n number of points
 * @return VS_OK, VS_EINVAL (NULL), VS_ERANGE (n = 0), VS_ELIMIT (n > 2^32 - 1), VS_ENOMEM.
 */
VS_API int vs_cluster_adjusted_rand(double *out, const size_t *a, const size_t *b, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* VALUESPACE_CLUSTER_H */
