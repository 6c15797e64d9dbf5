/* The demo's figures: the evaluator's cross-validated macro-F1 against the majority baseline, the
 * value profiles on the circle of values (one panel per model, and all models overlaid), and
 * FULCRA's alignment per target, for the human labels and the out-of-fold predictions. The
 * numbers are read from the same cross-validation and profile objects as report.json. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "demo.h"

void demo_circle_order(const demo *d, size_t *order) {
    size_t off = vs_space_level_offset(d->space, vs_dataset_label_level(d->ds, VS_DATASET_TYPES));
    for (size_t t = 0; t < d->k; t++) order[t] = t;
    for (size_t i = 1; i < d->k; i++) { /* stable insertion sort by angle, NaN last */
        size_t v = order[i], j = i;
        double a = vs_space_angle(d->space, off + v);
        while (j > 0) {
            double b = vs_space_angle(d->space, off + order[j - 1]);
            if (!(isnan(b) ? !isnan(a) : !isnan(a) && a < b)) break;
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
}

#ifdef VS_HAVE_CAIRO
#include "plot/plot.h"

static void add(demo *d, const char *name, const char *caption) {
    if (d->n_figures < sizeof d->figures / sizeof d->figures[0]) {
        d->figures[d->n_figures].name = name;
        d->figures[d->n_figures].caption = caption;
        d->n_figures++;
    }
}

static int cv_figure(demo *d, const size_t *order, const char **keys, const char **labels) {
    double f1[64], base[64];
    for (size_t i = 0; i < d->k; i++) {
        vs_evaluator_metrics m = VS_EVALUATOR_METRICS_INIT;
        f1[i] = base[i] = NAN;
        if (vs_evaluator_cv_metrics(&m, d->cv, order[i], VS_NPOS) == VS_OK) {
            f1[i] = m.macro_f1;
            base[i] = m.baseline_macro_f1;
        }
    }
    char sub[160];
    snprintf(sub, sizeof sub, "%zu-fold cross-validation stratified by model, seed %zu; values in circle order",
             d->folds, d->seed);
    plot_cv c = {d->k, keys, labels, f1, base, sub};
    add(d, "cv_macro_f1", "Cross-validated macro-F1 of the built-in evaluator per value, beside the "
                          "majority-class baseline of each training fold.");
    return plot_cv_f1(d->out_dir, "cv_macro_f1", &c);
}

static int source_figures(demo *d, int src, const size_t *order, const char **keys, const char **labels) {
    static const char *const names[2][3] = {{"profiles_labels", "profiles_labels_overlay", "alignment_labels"},
                                            {"profiles_predicted", "profiles_predicted_overlay", "alignment_predicted"}};
    static const char *const captions[2][3] = {
        {"Value profiles from the human labels: each model's mean label per value (+1 important, -1 opposed) "
         "with its 95% bootstrap interval, the values in the order of Schwartz's circle.",
         "The same profiles, all models on one circle (means only).",
         "FULCRA alignment from the human labels: each model's mean per-response BaseAlign reward to each "
         "target with its 95% bootstrap interval (0 = perfectly aligned; more negative = further away)."},
        {"Value profiles from the evaluator's out-of-fold predictions, with 95% bootstrap intervals.",
         "The predicted profiles, all models on one circle (means only).",
         "FULCRA alignment from the out-of-fold predictions, with 95% bootstrap intervals."}};
    static const char *const what[2] = {"from the human labels", "from the evaluator's out-of-fold predictions"};
    const vs_evaluator_profile *p = d->prof[src][0][0];
    size_t ng = vs_evaluator_profile_group_count(p), k = d->k, need, nt = d->n_targets;
    const char **groups = malloc((ng ? ng : 1) * sizeof *groups);
    double *buf = malloc((3 * ng * k + 3 * nt * ng + 3 * 64) * sizeof *buf);
    if (!groups || !buf) {
        free(groups);
        free(buf);
        fprintf(stderr, "valuespace demo: out of memory drawing the figures\n");
        return 1;
    }
    double *mean = buf, *lo = mean + ng * k, *hi = lo + ng * k, *rm = hi + ng * k, *rl = rm + nt * ng,
           *rh = rl + nt * ng, *tmp = rh + nt * ng;
    for (size_t g = 0; g < ng; g++) {
        groups[g] = vs_dataset_source_name(d->ds, vs_evaluator_profile_group_id(p, g));
        static const int stat[3] = {VS_EVALUATOR_PROFILE_MEAN, VS_EVALUATOR_PROFILE_CI_LOW, VS_EVALUATOR_PROFILE_CI_HIGH};
        double *dst[3] = {mean, lo, hi};
        for (int s = 0; s < 3; s++) {
            vs_evaluator_profile_get(&need, p, g, stat[s], tmp + 64 * s, 64);
            for (size_t i = 0; i < k; i++) dst[s][g * k + i] = tmp[64 * s + order[i]];
        }
    }
    for (size_t t = 0; t < nt; t++)
        for (size_t g = 0; g < ng; g++) {
            reward r = demo_reward(d->prof[src][0][t], g);
            rm[t * ng + g] = r.mean;
            rl[t * ng + g] = r.lo;
            rh[t * ng + g] = r.hi;
        }
    const char *targets[8];
    for (size_t t = 0; t < nt; t++) targets[t] = vs_align_target_name(t);
    char sub[200];
    snprintf(sub, sizeof sub, "%s; %zu bootstrap resamples, seed %zu", what[src], d->replicates, d->seed);
    plot_profiles pp = {k, ng, keys, labels, groups, mean, lo, hi, sub};
    char asub[200];
    snprintf(asub, sizeof asub, "%s; mask |score| > %g on each response", what[src], demo_thresholds[0]);
    plot_alignment pa = {nt, ng, targets, groups, rm, rl, rh, "FULCRA alignment per target (mean reward, 95% interval)",
                         asub, "mean BaseAlign reward"};
    int rc = plot_profile_panels(d->out_dir, names[src][0], &pp);
    if (!rc) rc = plot_profile_overlay(d->out_dir, names[src][1], &pp);
    if (!rc) rc = plot_alignment_bars(d->out_dir, names[src][2], &pa);
    for (int f = 0; f < 3 && !rc; f++) add(d, names[src][f], captions[src][f]);
    free(groups);
    free(buf);
    return rc;
}

int demo_figures(demo *d) {
    if (d->k > 64) {
        fprintf(stderr, "valuespace demo: %zu values are more than the figures draw (64)\n", d->k);
        return 1;
    }
    size_t order[64];
    const char *keys[64], *labels[64];
    demo_circle_order(d, order);
    for (size_t i = 0; i < d->k; i++) {
        keys[i] = demo_key(d, order[i]);
        labels[i] = demo_label(d, order[i]);
    }
    int rc = source_figures(d, 0, order, keys, labels);
    if (!rc) rc = cv_figure(d, order, keys, labels);
    if (!rc) rc = source_figures(d, 1, order, keys, labels);
    plot_release();
    if (!rc) printf("\n== figures: %zu, PNG and SVG, in %s/\n", d->n_figures, d->out_dir);
    return rc;
}

#else /* a build without cairo */

int demo_figures(demo *d) {
    d->figures_off = 1;
    printf("\n== figures: " CLI_FIGURES_OFF "; install libcairo2-dev and rebuild to draw them\n");
    return 0;
}
#endif
