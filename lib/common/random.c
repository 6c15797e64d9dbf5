/* Hashing, xoshiro256** random numbers and a heap sort (see random.h). */
#include <math.h>
#include <string.h>

#include "common/random.h"

uint64_t vs__fnv1a64(uint64_t h, const void *data, size_t len) {
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

uint64_t vs__hash_finish(uint64_t h, uint64_t seed) {
    uint64_t x = h ^ seed;
    x = (x ^ (x >> 33)) * UINT64_C(0xff51afd7ed558ccd);
    x = (x ^ (x >> 33)) * UINT64_C(0xc4ceb9fe1a85ec53);
    return x ^ (x >> 33);
}

uint64_t vs__mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

uint64_t vs__hash_combine(uint64_t h, uint64_t v) {
    return vs__mix64(h ^ (v + UINT64_C(0x9E3779B97F4A7C15) + (h << 6) + (h >> 2)));
}

static uint64_t splitmix64(uint64_t *state) { return vs__mix64(*state += UINT64_C(0x9E3779B97F4A7C15)); }

void vs__rng_seed(vs__rng *g, uint64_t seed, uint64_t stream) {
    uint64_t st = seed ^ (stream * UINT64_C(0xD1B54A32D192ED03));
    (void)splitmix64(&st);
    for (int i = 0; i < 4; i++) g->s[i] = splitmix64(&st);
    if (!(g->s[0] | g->s[1] | g->s[2] | g->s[3])) g->s[0] = 1;
    g->has_spare = 0;
    g->spare = 0;
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t vs__rng_next(vs__rng *g) {
    uint64_t *s = g->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double vs__rng_uniform(vs__rng *g) { return (double)(vs__rng_next(g) >> 11) * 0x1.0p-53; }

double vs__rng_normal(vs__rng *g) {
    if (g->has_spare) {
        g->has_spare = 0;
        return g->spare;
    }
    double u, v, s;
    do {
        u = 2.0 * vs__rng_uniform(g) - 1.0;
        v = 2.0 * vs__rng_uniform(g) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double m = sqrt(-2.0 * log(s) / s);
    g->spare = v * m;
    g->has_spare = 1;
    return u * m;
}

size_t vs__rng_below(vs__rng *g, size_t n) {
    uint64_t lim = UINT64_MAX - UINT64_MAX % (uint64_t)n; /* reject the biased tail */
    uint64_t x;
    do {
        x = vs__rng_next(g);
    } while (x >= lim);
    return (size_t)(x % (uint64_t)n);
}

double vs__rng_gamma(vs__rng *g, double shape) {
    if (shape < 1) { /* boost: Gamma(a) = Gamma(a + 1) * U^(1/a) */
        double u = vs__rng_uniform(g);
        return vs__rng_gamma(g, shape + 1) * pow(u > 0 ? u : 0x1.0p-53, 1.0 / shape);
    }
    double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = vs__rng_normal(g);
            v = 1.0 + c * x;
        } while (v <= 0);
        v = v * v * v;
        double u = vs__rng_uniform(g);
        if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
        if (u > 0 && log(u) < 0.5 * x * x + d * (1.0 - v + log(v))) return d * v;
    }
}

unsigned vs__rng_poisson(vs__rng *g, double lambda) {
    double limit = exp(-lambda), p = 1.0;
    unsigned k = 0;
    for (;;) {
        p *= vs__rng_uniform(g);
        if (p <= limit) return k;
        k++;
    }
}
