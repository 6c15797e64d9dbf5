/* Reproducible randomness and hashing shared by every module.
 * Every random choice in the library derives from (seed, stream) or from a hash of
 * (run seed, item id, repeat), never from call order, so results do not depend on batch size,
 * threads or sharding. */
#ifndef VS_COMMON_RANDOM_H
#define VS_COMMON_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* ---- hashing */
/* FNV-1a 64-bit over bytes, continuing from state h (start with VS__FNV_BASIS). */
#define VS__FNV_BASIS UINT64_C(0xcbf29ce484222325)
uint64_t vs__fnv1a64(uint64_t h, const void *data, size_t len);
/* Seeds and mixes a 64-bit state: (h ^ seed) through MurmurHash3's fmix64. */
uint64_t vs__hash_finish(uint64_t h, uint64_t seed);
/* splitmix64's output function applied to x (a strong stateless 64-bit mix). */
uint64_t vs__mix64(uint64_t x);
/* Combines a running hash with another 64-bit value (order matters). */
uint64_t vs__hash_combine(uint64_t h, uint64_t v);

/* ---- xoshiro256** seeded through splitmix64 */
typedef struct vs__rng {
    uint64_t s[4];
    double spare; /* second normal of the polar method */
    int has_spare;
} vs__rng;

/* Independent streams for the same seed: (seed, stream) pairs give unrelated sequences. */
void vs__rng_seed(vs__rng *g, uint64_t seed, uint64_t stream);
uint64_t vs__rng_next(vs__rng *g);
double vs__rng_uniform(vs__rng *g);            /* in [0, 1), 53 random bits */
double vs__rng_normal(vs__rng *g);             /* standard normal (Marsaglia's polar method) */
size_t vs__rng_below(vs__rng *g, size_t n);    /* uniform in [0, n), unbiased; n > 0 */
double vs__rng_gamma(vs__rng *g, double shape); /* Gamma(shape, 1), Marsaglia & Tsang */
/* Poisson(lambda) for small lambda (Knuth's product method; lambda <= 30). */
unsigned vs__rng_poisson(vs__rng *g, double lambda);

#endif
