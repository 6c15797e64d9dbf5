/**
 * @file valuespace/accum.h
 * @brief Mergeable per-dimension statistics and a Poisson bootstrap whose shards merge exactly.
 *
 * A #vs_accum collects observations of K dimensions for items identified by a 64-bit item
 * hash (vs_accum_item_hash() turns a UTF-8 item id into one; every module hashes ids that way).
 * Each added row holds one value per dimension; NaN means "not observed" and contributes nothing
 * to that dimension. Adding the same item hash several times (repeats of one item) adds every
 * observation with the same bootstrap weight: the bootstrap resamples items, not rows.
 *
 * **Two kinds of state.**
 * - *Exact state* (bit-identical under any order of rows and any split into merged shards):
 *   the count, min and max of each dimension, fixed-point sums of the values and of their
 *   squares, and for every bootstrap replicate b and dimension d the weighted sums
 *   Σ w and Σ w·q. Everything derived from it — the `exact_*` statistics, replicate means,
 *   bootstrap standard errors and both confidence intervals — is bit-identical too.
 * - *Welford state*: mean and M2 of the unquantised doubles (Welford's update applied to
 *   x − (the first value seen), Chan et al.'s pairwise merge). Numerically stable (values like
 *   1e9 + noise keep ~10 correct digits of their variance) but floating-point: other row orders
 *   or shard splits may change the last bits. Use the `exact_*` statistics where results must
 *   not depend on sharding (projective scores: 100 × exact_mean of 0/1 judgements are exact
 *   integer ratios, correctly rounded).
 *
 * **Fixed point.** A value x is stored as the integer q = round_half_even(x · 2^F), with F the
 * option #VS_ACCUM_OPT_SCALE_BITS (default 32: resolution 2^-32 ≈ 2.3e-10). Accepted values
 * satisfy |x| < 2^(62−F) (default: |x| < 2^30 ≈ 1.07e9); others are rejected with VS_ERANGE.
 * Integers and 0/1 judgements are represented exactly. Sums are kept in 128- and 256-bit
 * integers, which cannot overflow within the limits below (at most #VS_ACCUM_MAX_ROWS rows).
 *
 * **Bootstrap weights.** Replicates come in pairs. For item hash h and replicate b let
 *   u = hash_combine(hash_combine(seed, floor(b / 2)), h)                 (64 bits),
 *   x = the high 32 bits of u if b is even, the low 32 bits if b is odd,
 *   w = #{k in 0..11 : x >= T_k},  T_k = floor(2^32 · P(Poisson(1) <= k)),
 * with hash_combine(h, v) = mix64(h ^ (v + 0x9E3779B97F4A7C15 + (h << 6) + (h >> 2))) and
 * splitmix64's output function mix64(z): z = (z ^ z>>30) · 0xBF58476D1CE4E5B9;
 * z = (z ^ z>>27) · 0x94D049BB133111EB; z ^ z>>31 (all mod 2^64). w is a pure function of
 * (seed, b, h) — vs_accum_weight() — so weights never depend on the order of rows or on how
 * they are split; each P(w = k) is within 2^-32 of Poisson(1)'s and w <= 12.
 * tests/data/accum/weights.py re-implements this (and derives the T_k) in plain Python.
 *
 * **Replicate means and intervals.** The mean of replicate b for dimension d is
 * (Σ w·q / Σ w) · 2^-F over the rows where d is observed; replicates with Σ w = 0 are left out
 * ("undefined"). The percentile interval at level L takes R's quantile type 7 (the default of R
 * and numpy) of the defined replicate means at (1−L)/2 and (1+L)/2. The normal interval is
 * exact_mean ± z · boot_se, with z the standard normal quantile at (1+L)/2 and boot_se the
 * standard deviation (denominator m−1) of the m defined replicate means.
 *
 * The floating-point environment must be the default one (round to nearest).
 *
 * @threadsafety distinct handles may be used from different threads; functions taking a
 * `const vs_accum *` only read it, so several threads may call them on one handle at once as
 * long as none changes it. vs_accum_item_hash() and vs_accum_weight() are pure.
 */
#ifndef VALUESPACE_ACCUM_H
#define VALUESPACE_ACCUM_H

#include <stddef.h>
#include <stdint.h>

#include "valuespace/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An accumulator over K dimensions with B bootstrap replicates. */
typedef struct vs_accum vs_accum;

/** Largest number of dimensions K. */
#define VS_ACCUM_MAX_DIMS 65536u
/** Largest number of bootstrap replicates B (0 = no bootstrap). */
#define VS_ACCUM_MAX_REPLICATES 1000000u
/** Largest K × B (the bootstrap cells; each takes 24 bytes). */
#define VS_ACCUM_MAX_CELLS 16777216u
/** Largest number of rows one accumulator (merged shards included) can hold: 2^48. */
#define VS_ACCUM_MAX_ROWS UINT64_C(281474976710656)
/** Largest bootstrap weight vs_accum_weight() returns. */
#define VS_ACCUM_MAX_WEIGHT 12u
/** Default confidence level of the intervals. */
#define VS_ACCUM_LEVEL_DEFAULT 0.95
/** Version of the serialised format (and of the weight mapping) this library writes. */
#define VS_ACCUM_FORMAT_VERSION 1u

/** Options (vs_accum_set_int()); vs_accum_option_bounds() gives their ranges. */
enum vs_accum_option {
    /** int, 0..62, default 32: fractional bits F of the fixed-point values (set while empty). */
    VS_ACCUM_OPT_SCALE_BITS = 0
};

/** Interval methods for vs_accum_ci(). */
enum vs_accum_ci_method {
    VS_ACCUM_CI_PERCENTILE = 0, /**< type-7 quantiles of the replicate means */
    VS_ACCUM_CI_NORMAL = 1      /**< exact_mean ± z · bootstrap standard error */
};

/**
 * Hashes a UTF-8 item id: vs_text_hash(id, strlen(id), 0), i.e. murmur3's fmix64 of the 64-bit
 * FNV-1a hash of the id's bytes (no NUL, no normalisation). Every module identifies items this way.
 * @param out receives the hash (untouched on failure).
 * @param item_id NUL-terminated UTF-8 (borrowed).
 * @return VS_OK, VS_EINVAL (NULL), VS_EUTF8 (not well-formed UTF-8; the message gives the offset).
 */
VS_API int vs_accum_item_hash(uint64_t *out, const char *item_id);

/**
 * The bootstrap weight of an item in a replicate (the mapping described in the file comment):
 * a Poisson(1) variate, 0..#VS_ACCUM_MAX_WEIGHT, that is a pure function of its arguments.
 */
VS_API uint32_t vs_accum_weight(uint64_t seed, uint64_t replicate, uint64_t item_hash);

/**
 * Creates an empty accumulator.
 * @param out set to the accumulator (free with vs_accum_free()), NULL on failure.
 * @param dims K, 1..#VS_ACCUM_MAX_DIMS.
 * @param replicates B, 0..#VS_ACCUM_MAX_REPLICATES (0: no bootstrap, no intervals).
 * @param seed bootstrap seed; shards to be merged must use the same one.
 * @return VS_OK, VS_EINVAL (NULL out, dims 0), VS_ELIMIT (dims, replicates or dims × replicates
 *         above its limit), VS_ENOMEM.
 */
VS_API int vs_accum_create(vs_accum **out, size_t dims, size_t replicates, uint64_t seed);

/** Creates an independent copy. @return VS_OK, VS_EINVAL (NULL), VS_ENOMEM (*out = NULL). */
VS_API int vs_accum_clone(vs_accum **out, const vs_accum *acc);

/** Frees an accumulator. NULL is a no-op. */
VS_API void vs_accum_free(vs_accum *acc);

/** Number of dimensions K (0 for NULL). */
VS_API size_t vs_accum_dimension_count(const vs_accum *acc);
/** The former name of vs_accum_dimension_count() (README, "Deprecated names").
 *  @deprecated Use vs_accum_dimension_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_accum_dimension_count") size_t vs_accum_dims(const vs_accum *acc);
/** Number of bootstrap replicates B (0 for NULL). */
VS_API size_t vs_accum_replicate_count(const vs_accum *acc);
/** The former name of vs_accum_replicate_count() (README, "Deprecated names").
 *  @deprecated Use vs_accum_replicate_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_accum_replicate_count") size_t vs_accum_replicates(const vs_accum *acc);
/** The bootstrap seed (0 for NULL). */
VS_API uint64_t vs_accum_seed(const vs_accum *acc);
/** Number of rows added (merged shards included; 0 for NULL). */
VS_API uint64_t vs_accum_row_count(const vs_accum *acc);
/** The former name of vs_accum_row_count() (README, "Deprecated names").
 *  @deprecated Use vs_accum_row_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_accum_row_count") uint64_t vs_accum_rows(const vs_accum *acc);

/**
 * Sets an integer option. #VS_ACCUM_OPT_SCALE_BITS can only change while no row was added.
 * @return VS_OK, VS_EINVAL (NULL, unknown option), VS_ERANGE (out of bounds),
 *         VS_ESTATE (rows were already added).
 */
VS_API int vs_accum_set_int(vs_accum *acc, int option, int64_t value);
/** Reads an integer option. @return VS_OK, VS_EINVAL (NULL, unknown option). */
VS_API int vs_accum_get_int(int64_t *out, const vs_accum *acc, int option);
/** Inclusive bounds of an option, as doubles. @return VS_OK, VS_EINVAL (NULL, unknown option). */
VS_API int vs_accum_option_bounds(double *out_min, double *out_max, int option);
/**
 * Looks up an option of a #vs_accum by its name, such as "scale_bits" for #VS_ACCUM_OPT_SCALE_BITS.
 * Every option's name is the lowercase end of its enum value (the same names error messages use
 * and the bindings accept).
 * @param out set to the option's enum value; unchanged on failure
 * @param name the name, case-sensitive
 * @return VS_OK, VS_EINVAL (NULL argument), VS_ENOTFOUND (no option has that name; the message
 *         suggests the closest one).
 */
VS_API int vs_accum_option_id(int *out, const char *name);
/**
 * The name of an option of a #vs_accum (what vs_accum_option_id() accepts), or NULL for an unknown option.
 * The string is static.
 */
VS_API const char *vs_accum_option_name(int option);

/**
 * Adds one row: `values[d]` for every dimension d (NaN = not observed) of the item `item_hash`.
 * On failure nothing changes. Each row costs B weights; a single row is bootstrapped by a scalar
 * loop (about 2.5 µs per row for B = 1000 on a 2020s x86-64 core), so add many rows at once
 * with vs_accum_add_rows() where throughput matters.
 * @param values K doubles (borrowed). @param n must equal K.
 * @param acc the accumulator
 * @param item_hash the item's 64-bit hash (vs_accum_item_hash()); it alone decides the row's bootstrap weights
 * @return VS_OK, VS_EINVAL (NULL, an infinite value), VS_EMISMATCH (n != K),
 *         VS_ERANGE (|value| >= 2^(62−F); the message names the dimension),
 *         VS_ELIMIT (#VS_ACCUM_MAX_ROWS reached).
 */
VS_API int vs_accum_add(vs_accum *acc, uint64_t item_hash, const double *values, size_t n);

/**
 * vs_accum_add() with the item given by its id (hashed by vs_accum_item_hash()).
 * @return as vs_accum_add(), and VS_EUTF8 for an id that is not UTF-8.
 */
VS_API int vs_accum_add_id(vs_accum *acc, const char *item_id, const double *values, size_t n);

/**
 * Adds `rows` rows at once: row r is item `item_hashes[r]` with values
 * `values[r * dims + d]` for d < dims (row-major). All rows are checked first: on failure none
 * is added and the message names the row and dimension. Rows are bootstrapped in blocks of up
 * to 256 by vectorised kernels (AVX-512 or AVX2 when the CPU has them, chosen at run time; all
 * kernels give identical sums): about 0.5 ns per weight with AVX-512, i.e. 0.5 s for 1e6 items
 * and B = 1000 (tests/bench/bench_bootstrap.sh).
 * @return VS_OK, VS_EINVAL (NULL with rows > 0, an infinite value), VS_EMISMATCH (dims != K),
 *         VS_ERANGE (a value out of the fixed-point range), VS_ELIMIT (too many rows).
 */
VS_API int vs_accum_add_rows(vs_accum *acc, const uint64_t *item_hashes, const double *values, size_t rows,
                             size_t dims);

/**
 * Adds the contents of `from` into `into` (`from` is unchanged; they may not be the same
 * handle). Merging is associative and commutative on the exact state; see the file comment.
 * Does not allocate. On failure `into` is unchanged.
 * @return VS_OK, VS_EINVAL (NULL, same handle), VS_EMISMATCH (different K, B, seed or scale
 *         bits), VS_ELIMIT (the merged row count would exceed #VS_ACCUM_MAX_ROWS).
 */
VS_API int vs_accum_merge(vs_accum *into, const vs_accum *from);

/**
 * Statistics of one dimension (vs_accum_stats_get()). Caller-filled struct: set struct_size
 * (VS_ACCUM_STATS_INIT); only the fields it covers are written. Undefined values are NaN.
 */
typedef struct vs_accum_stats {
    uint32_t struct_size;   /**< sizeof(vs_accum_stats) (use VS_ACCUM_STATS_INIT) */
    uint64_t n;             /**< observed values */
    double mean;            /**< Welford mean (NaN when n = 0) */
    double m2;              /**< Welford sum of squared deviations (NaN when n = 0) */
    double variance;        /**< m2 / (n − 1) (NaN when n < 2) */
    double sd;              /**< sqrt(variance) */
    double min;             /**< smallest value (NaN when n = 0) */
    double max;             /**< largest value (NaN when n = 0) */
    double exact_sum;       /**< Σ q · 2^-F, correctly rounded from the exact sum */
    double exact_mean;      /**< (Σ q / n) · 2^-F from the exact sum (NaN when n = 0) */
    double exact_variance;  /**< (n Σq² − (Σq)²) / (n (n − 1)) · 2^-2F, from exact integers (NaN when n < 2) */
    double exact_sd;        /**< sqrt(exact_variance) */
    double se;              /**< exact_sd / sqrt(n) */
    uint64_t boot_defined;  /**< replicates with Σ w > 0 for this dimension */
    double boot_mean;       /**< mean of the defined replicate means (NaN when none) */
    double boot_se;         /**< their standard deviation, denominator m − 1 (NaN when m < 2) */
} vs_accum_stats;

/** Initialiser of a vs_accum_stats: struct_size set, every field 0. */
#define VS_ACCUM_STATS_INIT                                                                       \
    {(uint32_t)sizeof(vs_accum_stats), 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, \
     0, 0.0, 0.0}

/**
 * Sets `*o` to #VS_ACCUM_STATS_INIT: struct_size and every default, for callers that cannot use the macro (bindings, other languages).
 * @param o the struct to fill; NULL is a no-op
 */
VS_API void vs_accum_stats_init(vs_accum_stats *o);

/**
 * Fills `out` with the statistics of dimension `dim`.
 * @return VS_OK, VS_EINVAL (NULL, struct_size smaller than the first two fields), VS_ERANGE (dim >= K).
 */
VS_API int vs_accum_stats_get(vs_accum_stats *out, const vs_accum *acc, size_t dim);

/**
 * The B replicate means of dimension `dim` in replicate order (NaN where Σ w = 0).
 * `*out_needed` (if not NULL) is set to B in every case.
 * @return VS_OK, VS_EINVAL (NULL acc, NULL buf with cap > 0), VS_ERANGE (dim >= K),
 *         VS_EBUFSIZE (cap < B; nothing written).
 */
VS_API int vs_accum_replicate_means(size_t *out_needed, const vs_accum *acc, size_t dim, double *buf, size_t cap);

/**
 * A bootstrap confidence interval for the mean of dimension `dim` (see the file comment).
 * @param out_low, out_high receive the bounds (untouched on failure).
 * @param method #VS_ACCUM_CI_PERCENTILE or #VS_ACCUM_CI_NORMAL.
 * @param level in (0, 1), e.g. #VS_ACCUM_LEVEL_DEFAULT.
 * @param acc the accumulator
 * @param dim the dimension, 0..K-1
 * @return VS_OK, VS_EINVAL (NULL, unknown method, level outside (0, 1)), VS_ERANGE (dim >= K),
 *         VS_EUNDEFINED (fewer than 2 defined replicate means), VS_ENOMEM (percentile: scratch).
 */
VS_API int vs_accum_ci(double *out_low, double *out_high, const vs_accum *acc, size_t dim, int method,
                       double level);

/**
 * Serialises an accumulator (format #VS_ACCUM_FORMAT_VERSION: little-endian, magic "VSACCUM\n",
 * sizes, payload and a 64-bit FNV-1a checksum). The bytes depend only on the state, so two
 * accumulators with equal exact and Welford state serialise identically.
 * `*out_needed` (if not NULL) is set to the size in bytes in every case.
 * @param buf receives the bytes (may be NULL when cap is 0).
 * @param out_needed receives the size in bytes (may be NULL)
 * @param acc the accumulator
 * @param cap size of buf in bytes
 * @return VS_OK, VS_EINVAL (NULL acc, NULL buf with cap > 0), VS_EBUFSIZE (cap too small; nothing written).
 */
VS_API int vs_accum_serialize(size_t *out_needed, const vs_accum *acc, unsigned char *buf, size_t cap);

/**
 * Reads a serialised accumulator. Sizes are checked against the blob length before anything is
 * allocated; a truncated or damaged blob is a clean error.
 * @param out set to a new accumulator, NULL on failure.
 * @param data the bytes (borrowed). @param size their number.
 * @return VS_OK, VS_EINVAL (NULL), VS_ECORRUPT (bad magic, truncated, inconsistent sizes or
 *         fields, checksum mismatch), VS_EVERSION (a format version this library cannot read), VS_ENOMEM.
 */
VS_API int vs_accum_deserialize(vs_accum **out, const unsigned char *data, size_t size);

/**
 * Writes vs_accum_serialize()'s bytes to a file (through a temporary file and a rename).
 * @return VS_OK, VS_EINVAL (NULL), VS_EIO, VS_ENOMEM.
 */
VS_API int vs_accum_save(const vs_accum *acc, const char *path);

/**
 * Reads a file written by vs_accum_save().
 * @param out set to a new accumulator, NULL on failure.
 * @param path the file to read
 * @return VS_OK, VS_EINVAL (NULL), VS_ENOTFOUND, VS_EIO, VS_ELIMIT (a file larger than the
 *         largest possible accumulator), VS_ECORRUPT, VS_EVERSION, VS_ENOMEM.
 *         Messages name the path.
 */
VS_API int vs_accum_load(vs_accum **out, const char *path);

#ifdef __cplusplus
}
#endif

#endif /* VALUESPACE_ACCUM_H */
