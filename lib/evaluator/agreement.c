/* Agreement of predictions with human labels for one dimension: accuracy, macro-F1 and Cohen's
 * kappa with percentile bootstrap intervals, beside the majority-class baseline. Every figure
 * comes from a 3 x 3 confusion matrix, so a bootstrap replicate only recounts the matrix. */
#include <math.h>
#include <string.h>

#include "common/internal.h"
#include "common/random.h"
#include "common/sort.h"
#include "evaluator/evaluator_internal.h"

static int pred_class(double x) { return x <= -0.5 ? 0 : x >= 0.5 ? 2 : 1; }

/* Accuracy, macro-F1 (classes present in truth or prediction) and Cohen's kappa of a matrix. */
static void figures(const uint64_t conf[9], double *acc, double *macro, double *kappa) {
    double n = 0.0, diag = 0.0, row[3] = {0, 0, 0}, col[3] = {0, 0, 0};
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++) {
            double x = (double)conf[r * 3 + c];
            n += x;
            row[r] += x;
            col[c] += x;
            if (r == c) diag += x;
        }
    if (n == 0.0) {
        *acc = *macro = *kappa = NAN;
        return;
    }
    double sum = 0.0, pe = 0.0;
    int present = 0;
    for (int c = 0; c < 3; c++) {
        if (row[c] + col[c] > 0.0) {
            sum += 2.0 * (double)conf[c * 3 + c] / (row[c] + col[c]);
            present++;
        }
        pe += (row[c] / n) * (col[c] / n);
    }
    *acc = diag / n;
    *macro = sum / present;
    /* kappa = (po - pe) / (1 - pe); undefined when chance agreement is certain (pe = 1) */
    *kappa = 1.0 - pe > 1e-12 ? (*acc - pe) / (1.0 - pe) : NAN;
}

static int cmp_double(const void *a, const void *b, void *ctx) {
    double x = *(const double *)a, y = *(const double *)b;
    (void)ctx;
    return x < y ? -1 : x > y;
}

/* Quantiles qlo and qhi of the non-NaN values of x[0..n) (reordered), interpolated at position
 * q (m - 1) of the m sorted values as numpy's default; NaN when there is none. */
static void interval(double *x, size_t n, double qlo, double qhi, double *lo, double *hi) {
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) x[m++] = x[i];
    if (m == 0) {
        *lo = *hi = NAN;
        return;
    }
    vs__sort(x, m, sizeof *x, cmp_double, NULL);
    double q[2] = {qlo, qhi}, r[2];
    for (int t = 0; t < 2; t++) {
        double h = q[t] * (double)(m - 1);
        size_t i = (size_t)floor(h);
        r[t] = i >= m - 1 ? x[m - 1] : x[i] + (h - (double)i) * (x[i + 1] - x[i]);
    }
    *lo = r[0];
    *hi = r[1];
}

int vs_evaluator_agreement_compute(vs_evaluator_agreement *out, const double *truth, const double *pred, size_t n,
                                   size_t stride, size_t replicates, double confidence, uint64_t seed) {
    static const char where[] = "vs_evaluator_agreement_compute";
    if (!out || (n && (!truth || !pred))) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    if (out->struct_size < sizeof(vs_evaluator_agreement))
        return vs__error(VS_EINVAL, "%s: struct_size %u is smaller than %zu", where, (unsigned)out->struct_size,
                         sizeof(vs_evaluator_agreement));
    if (stride == 0) return vs__error(VS_EINVAL, "%s: stride is 0", where);
    if (replicates != 0 && (replicates < 10 || replicates > 10000000))
        return vs__error(VS_ERANGE, "%s: %zu replicates (use 0, or 10..10,000,000)", where, replicates);
    if (!(confidence > 0.0 && confidence < 1.0))
        return vs__error(VS_EINVAL, "%s: confidence %.17g is not in (0, 1)", where, confidence);
    size_t m = 0, skipped = 0;
    for (size_t i = 0; i < n; i++) {
        double t = truth[i * stride], p = pred[i * stride];
        if (!(isnan(t) || t == -1.0 || t == 0.0 || t == 1.0))
            return vs__error(VS_EINVAL, "%s: truth[%zu] = %.17g is not -1, 0, +1 or NaN", where, i, t);
        if (isinf(p)) return vs__error(VS_EINVAL, "%s: prediction %zu is infinite", where, i);
        if (isnan(t) || isnan(p)) skipped++;
        else m++;
    }
    if (m == 0) return vs__error(VS_EUNDEFINED, "%s: no item has both a truth and a prediction", where);
    /* the counted items as (truth class, predicted class) pairs */
    unsigned char *pair = vs__malloc(m * 2);
    double *reps = replicates ? vs__malloc(replicates * 5 * sizeof *reps) : NULL;
    if (!pair || (replicates && !reps)) {
        vs__free(pair);
        vs__free(reps);
        return vs__nomem(where);
    }
    uint64_t conf[9] = {0}, count[3] = {0, 0, 0};
    for (size_t i = 0, j = 0; i < n; i++) {
        double t = truth[i * stride], p = pred[i * stride];
        if (isnan(t) || isnan(p)) continue;
        pair[2 * j] = (unsigned char)((int)t + 1);
        pair[2 * j + 1] = (unsigned char)pred_class(p);
        conf[pair[2 * j] * 3 + pair[2 * j + 1]]++;
        count[pair[2 * j]]++;
        j++;
    }
    const int major = vs__ev_majority(count);
    vs_evaluator_agreement a;
    memset(&a, 0, sizeof a);
    a.struct_size = (uint32_t)sizeof a;
    a.n = m;
    a.n_skipped = skipped;
    a.replicates = replicates;
    a.confidence = confidence;
    a.baseline_class = (double)(major - 1);
    memcpy(a.confusion, conf, sizeof conf);
    figures(conf, &a.accuracy, &a.macro_f1, &a.kappa);
    uint64_t base[9] = {0};
    for (int c = 0; c < 3; c++) base[c * 3 + major] = count[c];
    figures(base, &a.baseline_accuracy, &a.baseline_macro_f1, &a.baseline_kappa);
    a.accuracy_low = a.accuracy_high = a.macro_f1_low = a.macro_f1_high = a.kappa_low = a.kappa_high = NAN;
    a.baseline_accuracy_low = a.baseline_accuracy_high = a.baseline_macro_f1_low = a.baseline_macro_f1_high = NAN;
    if (replicates) {
        vs__rng g;
        vs__rng_seed(&g, seed, 0);
        for (size_t b = 0; b < replicates; b++) {
            uint64_t rc[9] = {0}, rb[9] = {0};
            for (size_t j = 0; j < m; j++) {
                size_t r = vs__rng_below(&g, m);
                rc[pair[2 * r] * 3 + pair[2 * r + 1]]++;
                rb[pair[2 * r] * 3 + (size_t)major]++;
            }
            double unused;
            figures(rc, &reps[b], &reps[replicates + b], &reps[2 * replicates + b]);
            figures(rb, &reps[3 * replicates + b], &reps[4 * replicates + b], &unused);
        }
        const double qlo = (1.0 - confidence) / 2.0, qhi = (1.0 + confidence) / 2.0;
        interval(reps, replicates, qlo, qhi, &a.accuracy_low, &a.accuracy_high);
        interval(reps + replicates, replicates, qlo, qhi, &a.macro_f1_low, &a.macro_f1_high);
        interval(reps + 2 * replicates, replicates, qlo, qhi, &a.kappa_low, &a.kappa_high);
        interval(reps + 3 * replicates, replicates, qlo, qhi, &a.baseline_accuracy_low, &a.baseline_accuracy_high);
        interval(reps + 4 * replicates, replicates, qlo, qhi, &a.baseline_macro_f1_low, &a.baseline_macro_f1_high);
    }
    vs__free(pair);
    vs__free(reps);
    uint32_t keep = out->struct_size;
    memcpy(out, &a, sizeof a);
    out->struct_size = keep;
    return VS_OK;
}

void vs_evaluator_agreement_init(vs_evaluator_agreement *o) {
    if (!o) return;
    vs_evaluator_agreement init = VS_EVALUATOR_AGREEMENT_INIT;
    *o = init;
}
