/* Statistics, replicate means and bootstrap confidence intervals of an accumulator. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "accum/accum_internal.h"
#include "common/internal.h"
#include "common/sort.h"

double vs__accum_rep_mean(const vs_accum *acc, size_t b, size_t d) {
    size_t c = b * acc->dims + d;
    uint64_t sw = acc->sw[c];
    if (!sw) return NAN;
    return ldexp(vs__s128_to_double(vs__load128(acc->swq + 2 * c)) / (double)sw, -(int)acc->scale_bits);
}

/* R 4.2's quantile.default, type 7:
 *   index <- 1 + (n - 1) * p; lo <- floor(index); hi <- ceiling(index); qs <- x[lo]
 *   if (index > lo && x[hi] != qs) { h <- index - lo; qs <- (1 - h) * qs + h * x[hi] } */
double vs__quantile7(const double *x, size_t n, double p) {
    double index = 1.0 + (double)(n - 1) * p;
    double lo = floor(index), hi = ceil(index);
    double qs = x[(size_t)lo - 1];
    double xh = x[(size_t)hi - 1];
    if (index > lo && xh != qs) {
        double h = index - lo;
        qs = (1 - h) * qs + h * xh;
    }
    return qs;
}

/* Mean and standard deviation (n - 1) of the defined replicate means, in replicate order. */
static void boot_moments(const vs_accum *acc, size_t d, uint64_t *out_m, double *out_mean, double *out_sd) {
    uint64_t m = 0;
    double sum = 0;
    for (size_t b = 0; b < acc->reps; b++) {
        double x = vs__accum_rep_mean(acc, b, d);
        if (isnan(x)) continue;
        sum += x;
        m++;
    }
    double mean = m ? sum / (double)m : NAN, ss = 0;
    if (m >= 2) {
        for (size_t b = 0; b < acc->reps; b++) {
            double x = vs__accum_rep_mean(acc, b, d);
            if (!isnan(x)) ss += (x - mean) * (x - mean);
        }
    }
    *out_m = m;
    *out_mean = mean;
    *out_sd = m >= 2 ? sqrt(ss / (double)(m - 1)) : NAN;
}

/* Exact mean and variance of dimension d (NaN when undefined). */
static void exact_moments(const vs_accum *acc, size_t d, double *out_sum, double *out_mean, double *out_var) {
    const vs__accum_dim *s = &acc->dim[d];
    int f = (int)acc->scale_bits;
    vs__u128 s1 = vs__load128(s->s1);
    double sum = vs__s128_to_double(s1);
    *out_sum = ldexp(sum, -f);
    *out_mean = s->n ? ldexp(sum / (double)s->n, -f) : NAN;
    if (s->n < 2) {
        *out_var = NAN;
        return;
    }
    /* n * Σq² - (Σq)² >= 0 exactly (Cauchy-Schwarz), in 256-bit integers */
    vs__u128 a = vs__s128_abs(s1);
    vs__u256 num = vs__u256_mul_u64(&s->s2, s->n);
    vs__u256 sq = vs__u256_from_mul128(a, a);
    vs__u256_sub(&num, &sq);
    double den = (double)s->n * (double)(s->n - 1);
    *out_var = ldexp(vs__u256_to_double(&num) / den, -2 * f);
}

int vs_accum_stats_get(vs_accum_stats *out, const vs_accum *acc, size_t dim) {
    if (!out || !acc) return vs__error(VS_EINVAL, "vs_accum_stats_get: %s is NULL", out ? "acc" : "out");
    if (out->struct_size < offsetof(vs_accum_stats, mean))
        return vs__error(VS_EINVAL, "vs_accum_stats_get: struct_size %u is too small", (unsigned)out->struct_size);
    if (dim >= acc->dims)
        return vs__error(VS_ERANGE, "vs_accum_stats_get: dimension %zu of %zu", dim, acc->dims);
    const vs__accum_dim *s = &acc->dim[dim];
    vs_accum_stats r;
    memset(&r, 0, sizeof r);
    r.struct_size = out->struct_size;
    r.n = s->n;
    r.mean = s->n ? s->shift + s->mean : NAN;
    r.m2 = s->n ? s->m2 : NAN;
    r.variance = s->n >= 2 ? s->m2 / (double)(s->n - 1) : NAN;
    r.sd = sqrt(r.variance);
    r.min = s->min;
    r.max = s->max;
    exact_moments(acc, dim, &r.exact_sum, &r.exact_mean, &r.exact_variance);
    r.exact_sd = sqrt(r.exact_variance);
    r.se = s->n ? r.exact_sd / sqrt((double)s->n) : NAN;
    boot_moments(acc, dim, &r.boot_defined, &r.boot_mean, &r.boot_se);
    size_t size = out->struct_size < sizeof r ? out->struct_size : sizeof r;
    /* copy only what the caller's struct covers (it may be an older, shorter one) */
    const unsigned char *src = (const unsigned char *)&r;
    unsigned char *dst = (unsigned char *)out;
    for (size_t i = sizeof r.struct_size; i < size; i++) dst[i] = src[i];
    return VS_OK;
}

int vs_accum_replicate_means(size_t *out_needed, const vs_accum *acc, size_t dim, double *buf, size_t cap) {
    if (!acc) return vs__error(VS_EINVAL, "vs_accum_replicate_means: acc is NULL");
    if (out_needed) *out_needed = acc->reps;
    if (!buf && cap) return vs__error(VS_EINVAL, "vs_accum_replicate_means: buf is NULL with cap %zu", cap);
    if (dim >= acc->dims)
        return vs__error(VS_ERANGE, "vs_accum_replicate_means: dimension %zu of %zu", dim, acc->dims);
    if (cap < acc->reps)
        return vs__error(VS_EBUFSIZE, "vs_accum_replicate_means: %zu replicates, buffer holds %zu", acc->reps, cap);
    for (size_t b = 0; b < acc->reps; b++) buf[b] = vs__accum_rep_mean(acc, b, dim);
    return VS_OK;
}

static int cmp_double(const void *a, const void *b, void *ctx) {
    (void)ctx;
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int vs_accum_ci(double *out_low, double *out_high, const vs_accum *acc, size_t dim, int method, double level) {
    if (!out_low || !out_high || !acc)
        return vs__error(VS_EINVAL, "vs_accum_ci: %s is NULL", !acc ? "acc" : "an output");
    if (method != VS_ACCUM_CI_PERCENTILE && method != VS_ACCUM_CI_NORMAL)
        return vs__error(VS_EINVAL, "vs_accum_ci: unknown method %d", method);
    if (!(level > 0 && level < 1)) return vs__error(VS_EINVAL, "vs_accum_ci: level %g is not inside (0, 1)", level);
    if (dim >= acc->dims) return vs__error(VS_ERANGE, "vs_accum_ci: dimension %zu of %zu", dim, acc->dims);
    uint64_t m = 0;
    double bmean, bsd;
    boot_moments(acc, dim, &m, &bmean, &bsd);
    if (m < 2)
        return vs__error(VS_EUNDEFINED, "vs_accum_ci: dimension %zu has %llu defined replicate means (2 needed)", dim,
                         (unsigned long long)m);
    if (method == VS_ACCUM_CI_NORMAL) {
        double sum, mean, var;
        exact_moments(acc, dim, &sum, &mean, &var);
        double z = gsl_cdf_ugaussian_Pinv((1 + level) / 2);
        *out_low = mean - z * bsd;
        *out_high = mean + z * bsd;
        return VS_OK;
    }
    double *x = vs__malloc((size_t)m * sizeof *x);
    if (!x) return vs__nomem("vs_accum_ci");
    size_t k = 0;
    for (size_t b = 0; b < acc->reps; b++) {
        double v = vs__accum_rep_mean(acc, b, dim);
        if (!isnan(v)) x[k++] = v;
    }
    vs__sort(x, k, sizeof *x, cmp_double, NULL);
    *out_low = vs__quantile7(x, k, (1 - level) / 2);
    *out_high = vs__quantile7(x, k, (1 + level) / 2);
    vs__free(x);
    return VS_OK;
}

void vs_accum_stats_init(vs_accum_stats *o) {
    if (!o) return;
    vs_accum_stats init = VS_ACCUM_STATS_INIT;
    *o = init;
}
