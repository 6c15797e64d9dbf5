/* Classification metrics from confusion matrices: accuracy, per-class precision, recall and
 * F1, macro-F1 over the classes present in the truth or the predictions, and the same for a
 * majority-class baseline. */
#include <math.h>
#include <string.h>

#include "common/internal.h"
#include "evaluator/evaluator_internal.h"

int vs__ev_majority(const uint64_t count[3]) {
    int best = 1; /* ties: 0, then +1, then -1 */
    if (count[2] > count[best]) best = 2;
    if (count[0] > count[best]) best = 0;
    return best;
}

static void scores(const uint64_t conf[9], double *accuracy, double *macro, double precision[3], double recall[3],
                   double f1[3]) {
    uint64_t n = 0, correct = 0;
    for (int i = 0; i < 9; i++) n += conf[i];
    for (int c = 0; c < 3; c++) correct += conf[c * 3 + c];
    *accuracy = n ? (double)correct / (double)n : NAN;
    double sum = 0.0;
    int present = 0;
    for (int c = 0; c < 3; c++) {
        uint64_t tp = conf[c * 3 + c], row = 0, col = 0;
        for (int j = 0; j < 3; j++) {
            row += conf[c * 3 + j];
            col += conf[j * 3 + c];
        }
        uint64_t fn = row - tp, fp = col - tp;
        precision[c] = col ? (double)tp / (double)col : NAN;
        recall[c] = row ? (double)tp / (double)row : NAN;
        f1[c] = row + col ? 2.0 * (double)tp / (double)(2 * tp + fp + fn) : NAN;
        if (row + col) {
            sum += f1[c];
            present++;
        }
    }
    *macro = present ? sum / present : NAN;
}

void vs__ev_metrics_fill(vs_evaluator_metrics *m, const uint64_t conf[9], const uint64_t base_conf[9],
                         double baseline_class, size_t skipped) {
    uint32_t size = m->struct_size;
    memset(m, 0, sizeof *m);
    m->struct_size = size;
    uint64_t n = 0;
    for (int i = 0; i < 9; i++) {
        m->confusion[i] = conf[i];
        n += conf[i];
    }
    m->n = (size_t)n;
    m->n_skipped = skipped;
    m->n_neg = (size_t)(conf[0] + conf[1] + conf[2]);
    m->n_zero = (size_t)(conf[3] + conf[4] + conf[5]);
    m->n_pos = (size_t)(conf[6] + conf[7] + conf[8]);
    scores(conf, &m->accuracy, &m->macro_f1, m->precision, m->recall, m->f1);
    double bp[3], br[3], bf[3];
    scores(base_conf, &m->baseline_accuracy, &m->baseline_macro_f1, bp, br, bf);
    m->baseline_class = baseline_class;
}

int vs__ev_metrics_out(vs_evaluator_metrics *out, const vs_evaluator_metrics *full) {
    size_t size = out->struct_size < sizeof *full ? out->struct_size : sizeof *full;
    uint32_t keep = out->struct_size;
    memcpy(out, full, size);
    out->struct_size = keep;
    return VS_OK;
}

/* Maps a prediction to its class index (0: -1, 1: 0, 2: +1). */
static int pred_class(double x) { return x <= -0.5 ? 0 : x >= 0.5 ? 2 : 1; }

int vs_evaluator_metrics_compute(vs_evaluator_metrics *out, const double *truth, const double *pred, size_t n,
                                 size_t stride) {
    static const char where[] = "vs_evaluator_metrics_compute";
    if (!out || (n && (!truth || !pred))) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    if (out->struct_size < sizeof(vs_evaluator_metrics))
        return vs__error(VS_EINVAL, "%s: struct_size %u is smaller than %zu", where, (unsigned)out->struct_size,
                         sizeof(vs_evaluator_metrics));
    if (stride == 0) return vs__error(VS_EINVAL, "%s: stride is 0", where);
    uint64_t conf[9] = {0}, base[9] = {0}, count[3] = {0, 0, 0};
    size_t skipped = 0;
    for (size_t i = 0; i < n; i++) {
        double t = truth[i * stride], p = pred[i * stride];
        if (!(isnan(t) || t == -1.0 || t == 0.0 || t == 1.0))
            return vs__error(VS_EINVAL, "%s: truth[%zu] = %.17g is not -1, 0, +1 or NaN", where, i, t);
        if (isinf(p)) return vs__error(VS_EINVAL, "%s: prediction %zu is infinite", where, i);
        if (isnan(t) || isnan(p)) {
            skipped++;
            continue;
        }
        int tc = (int)t + 1;
        conf[tc * 3 + pred_class(p)]++;
        count[tc]++;
    }
    if (count[0] + count[1] + count[2] == 0) return vs__error(VS_EUNDEFINED, "%s: no item has both a truth and a prediction", where);
    int major = vs__ev_majority(count);
    for (int c = 0; c < 3; c++) base[c * 3 + major] = count[c];
    vs_evaluator_metrics full;
    full.struct_size = (uint32_t)sizeof full;
    vs__ev_metrics_fill(&full, conf, base, (double)(major - 1), skipped);
    return vs__ev_metrics_out(out, &full);
}

void vs_evaluator_metrics_init(vs_evaluator_metrics *o) {
    if (!o) return;
    vs_evaluator_metrics init = VS_EVALUATOR_METRICS_INIT;
    *o = init;
}
