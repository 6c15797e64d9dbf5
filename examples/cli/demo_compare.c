/* The demo's comparisons: pairwise differences between the models (profile values and FULCRA's
 * mean reward) with percentile bootstrap intervals from the profiles' own resamples
 * (vs_evaluator_profile_replicates(): each model is resampled independently, so resample r of one
 * minus resample r of the other is a resample of the difference), and the agreement of the
 * label-based and the evaluator-based profiles (Pearson and Spearman per value across the models
 * and per model across the values). Written into report.md/.html (one section), report.json
 * ("comparisons") and three CSVs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"

/* ---------------------------------------------------------------- numbers */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The quantile q of the sorted x[0..m) as the library's intervals (numpy's default, type 7). */
static double quantile7(const double *x, size_t m, double q) {
    double h = q * (double)(m - 1);
    size_t i = (size_t)floor(h);
    if (i >= m - 1) return x[m - 1];
    return x[i] + (h - (double)i) * (x[i + 1] - x[i]);
}

/* Difference a - b from paired resamples ra, rb (B each, stride apart): point estimate given,
 * interval from the non-NaN differences; NaN interval when there are fewer than 2. */
static int diff_interval(diff *out, double point, const double *ra, const double *rb, size_t B, size_t stride) {
    double *x = malloc((B ? B : 1) * sizeof *x);
    if (!x) {
        fprintf(stderr, "valuespace demo: out of memory comparing the models\n");
        return 1;
    }
    size_t m = 0;
    for (size_t r = 0; r < B; r++) {
        double v = ra[r * stride] - rb[r * stride];
        if (!isnan(v)) x[m++] = v;
    }
    out->diff = point;
    out->lo = out->hi = NAN;
    if (m >= 2) {
        qsort(x, m, sizeof *x, cmp_double);
        out->lo = quantile7(x, m, (1.0 - CONFIDENCE) / 2.0);
        out->hi = quantile7(x, m, (1.0 + CONFIDENCE) / 2.0);
    }
    out->excludes_zero = out->lo > 0.0 || out->hi < 0.0;
    free(x);
    return 0;
}

/* The replicates of group g ("mean": B x k, or "reward": B), malloc'ed; NULL after a message. */
static double *replicates(const vs_evaluator_profile *p, size_t g, int what, size_t *len) {
    size_t need = 0;
    vs_evaluator_profile_replicates(&need, p, g, what, NULL, 0);
    double *buf = malloc((need ? need : 1) * sizeof *buf);
    if (!buf || vs_evaluator_profile_replicates(len, p, g, what, buf, need) != VS_OK) {
        free(buf);
        fprintf(stderr, "valuespace demo: cannot read the bootstrap resamples: %s\n", vs_last_error());
        return NULL;
    }
    return buf;
}

int demo_profile_diffs(const demo *d, int src, size_t a, size_t b, diff *out) {
    const vs_evaluator_profile *p = d->prof[src][0][0];
    size_t B = vs_evaluator_profile_replicate_count(p), k = d->k, la, lb, need;
    double *ra = replicates(p, a, VS_EVALUATOR_PROFILE_REPLICATE_MEAN, &la);
    double *rb = ra ? replicates(p, b, VS_EVALUATOR_PROFILE_REPLICATE_MEAN, &lb) : NULL;
    double *ma = malloc(2 * k * sizeof *ma);
    int rc = !ra || !rb || !ma;
    if (!rc) {
        vs_evaluator_profile_get(&need, p, a, VS_EVALUATOR_PROFILE_MEAN, ma, k);
        vs_evaluator_profile_get(&need, p, b, VS_EVALUATOR_PROFILE_MEAN, ma + k, k);
    }
    for (size_t t = 0; !rc && t < k; t++) rc = diff_interval(&out[t], ma[t] - ma[k + t], ra + t, rb + t, B, k);
    free(ra);
    free(rb);
    free(ma);
    return rc;
}

int demo_reward_diff(const demo *d, int src, size_t target, size_t a, size_t b, diff *out) {
    const vs_evaluator_profile *q = d->prof[src][0][target];
    size_t B = vs_evaluator_profile_replicate_count(q), la, lb;
    double *ra = replicates(q, a, VS_EVALUATOR_PROFILE_REPLICATE_REWARD, &la);
    double *rb = ra ? replicates(q, b, VS_EVALUATOR_PROFILE_REPLICATE_REWARD, &lb) : NULL;
    int rc = !ra || !rb;
    if (!rc) rc = diff_interval(out, demo_reward(q, a).mean - demo_reward(q, b).mean, ra, rb, B, 1);
    free(ra);
    free(rb);
    return rc;
}

static double pearson(const double *x, const double *y, size_t n) {
    double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    for (size_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN; /* undefined for a constant */
}

/* Ranks 1..n, ties sharing their average rank. */
static void ranks(const double *x, size_t n, double *r) {
    for (size_t i = 0; i < n; i++) {
        size_t less = 0, same = 0;
        for (size_t j = 0; j < n; j++) {
            less += x[j] < x[i];
            same += x[j] == x[i];
        }
        r[i] = (double)less + ((double)same + 1.0) / 2.0;
    }
}

/* Pearson and Spearman of the pairs where both are numbers; NaN with fewer than 3. */
static agreement agree(const double *x, const double *y, size_t n) {
    agreement g = {NAN, NAN, 0};
    double xs[64], ys[64], rx[64], ry[64];
    for (size_t i = 0; i < n && i < 64; i++)
        if (!isnan(x[i]) && !isnan(y[i])) {
            xs[g.n] = x[i];
            ys[g.n] = y[i];
            g.n++;
        }
    if (g.n < 3) return g;
    g.pearson = pearson(xs, ys, g.n);
    ranks(xs, g.n, rx);
    ranks(ys, g.n, ry);
    g.spearman = pearson(rx, ry, g.n);
    return g;
}

/* means[src][g * k + t] of both sources; 0, or 1 when there are more groups or values than 64. */
static int means(const demo *d, double *m0, double *m1, size_t *ng) {
    *ng = vs_evaluator_profile_group_count(d->prof[0][0][0]);
    if (*ng != vs_evaluator_profile_group_count(d->prof[1][0][0]) || *ng > 64 || d->k > 64) return 1;
    size_t need;
    for (size_t g = 0; g < *ng; g++) {
        vs_evaluator_profile_get(&need, d->prof[0][0][0], g, VS_EVALUATOR_PROFILE_MEAN, m0 + g * d->k, d->k);
        vs_evaluator_profile_get(&need, d->prof[1][0][0], g, VS_EVALUATOR_PROFILE_MEAN, m1 + g * d->k, d->k);
    }
    return 0;
}

agreement demo_agreement_value(const demo *d, size_t t) {
    static double m0[64 * 64], m1[64 * 64];
    size_t ng;
    agreement none = {NAN, NAN, 0};
    if (means(d, m0, m1, &ng)) return none;
    double x[64], y[64];
    for (size_t g = 0; g < ng; g++) {
        x[g] = m0[g * d->k + t];
        y[g] = m1[g * d->k + t];
    }
    return agree(x, y, ng);
}

agreement demo_agreement_model(const demo *d, size_t g) {
    static double m0[64 * 64], m1[64 * 64];
    size_t ng;
    agreement none = {NAN, NAN, 0};
    if (means(d, m0, m1, &ng) || g >= ng) return none;
    return agree(m0 + g * d->k, m1 + g * d->k, d->k);
}

/* ---------------------------------------------------------------- outputs */

static const char *const src_suffix[2] = {"labels", "predicted"};

static const char *group_name(const demo *d, size_t g) {
    return vs_dataset_source_name(d->ds, vs_evaluator_profile_group_id(d->prof[0][0][0], g));
}

static void json_diff(cli_json *j, const diff *x) {
    cli_json_key(j, "diff");
    cli_json_number(j, x->diff);
    cli_json_key(j, "ci_low");
    cli_json_number(j, x->lo);
    cli_json_key(j, "ci_high");
    cli_json_number(j, x->hi);
    cli_json_key(j, "excludes_zero");
    cli_json_bool(j, x->excludes_zero);
}

static void json_agreement(cli_json *j, agreement g) {
    cli_json_key(j, "pearson");
    cli_json_number(j, g.pearson);
    cli_json_key(j, "spearman");
    cli_json_number(j, g.spearman);
    cli_json_key(j, "n");
    cli_json_int(j, (long long)g.n);
}

int demo_compare_json(cli_json *j, const demo *d) {
    size_t ng = vs_evaluator_profile_group_count(d->prof[0][0][0]);
    diff df[64];
    if (d->k > 64) return 0;
    cli_json_key(j, "comparisons");
    cli_json_begin_object(j);
    cli_json_key(j, "confidence");
    cli_json_number(j, CONFIDENCE);
    for (int src = 0; src < 2; src++) {
        char key[64];
        snprintf(key, sizeof key, "profiles_%s", src_suffix[src]);
        cli_json_key(j, key); /* every pair a < b (groups in the order of the profiles), a minus b */
        cli_json_begin_array(j);
        for (size_t a = 0; a < ng; a++)
            for (size_t b = a + 1; b < ng; b++) {
                if (demo_profile_diffs(d, src, a, b, df) != 0) return 1;
                for (size_t t = 0; t < d->k; t++) {
                    cli_json_begin_object(j);
                    cli_json_key(j, "a");
                    cli_json_string(j, group_name(d, a));
                    cli_json_key(j, "b");
                    cli_json_string(j, group_name(d, b));
                    cli_json_key(j, "key");
                    cli_json_string(j, demo_key(d, t));
                    json_diff(j, &df[t]);
                    cli_json_end_object(j);
                }
            }
        cli_json_end_array(j);
        snprintf(key, sizeof key, "reward_%s", src_suffix[src]);
        cli_json_key(j, key);
        cli_json_begin_array(j);
        for (size_t t = 0; t < d->n_targets; t++)
            for (size_t a = 0; a < ng; a++)
                for (size_t b = a + 1; b < ng; b++) {
                    if (demo_reward_diff(d, src, t, a, b, df) != 0) return 1;
                    cli_json_begin_object(j);
                    cli_json_key(j, "target");
                    cli_json_string(j, vs_align_target_name(t));
                    cli_json_key(j, "a");
                    cli_json_string(j, group_name(d, a));
                    cli_json_key(j, "b");
                    cli_json_string(j, group_name(d, b));
                    json_diff(j, df);
                    cli_json_end_object(j);
                }
        cli_json_end_array(j);
    }
    cli_json_key(j, "agreement"); /* labels against predictions */
    cli_json_begin_object(j);
    cli_json_key(j, "per_value");
    cli_json_begin_array(j);
    for (size_t t = 0; t < d->k; t++) {
        cli_json_begin_object(j);
        cli_json_key(j, "key");
        cli_json_string(j, demo_key(d, t));
        json_agreement(j, demo_agreement_value(d, t));
        cli_json_end_object(j);
    }
    cli_json_end_array(j);
    cli_json_key(j, "per_model");
    cli_json_begin_array(j);
    for (size_t g = 0; g < ng; g++) {
        cli_json_begin_object(j);
        cli_json_key(j, "source");
        cli_json_string(j, group_name(d, g));
        json_agreement(j, demo_agreement_model(d, g));
        cli_json_end_object(j);
    }
    cli_json_end_array(j);
    cli_json_end_object(j);
    cli_json_end_object(j);
    return 0;
}

static void diff_cell(demo_doc *o, const diff *x, int digits) {
    char buf[128];
    if (isnan(x->lo)) snprintf(buf, sizeof buf, "%+.*f [n/a]", digits, x->diff);
    else
        snprintf(buf, sizeof buf, "%+.*f [%+.*f, %+.*f]%s", digits, x->diff, digits, x->lo, digits, x->hi,
                 x->excludes_zero ? " *" : "");
    demo_doc_cell(o, buf);
}

static void fmt_r(char *buf, size_t cap, double r) {
    if (isnan(r)) snprintf(buf, cap, "n/a");
    else snprintf(buf, cap, "%+.3f", r);
}

int demo_compare_section(demo_doc *o, const demo *d) {
    size_t ng = vs_evaluator_profile_group_count(d->prof[0][0][0]);
    if (d->k > 64) return 0;
    char buf[1024], header[4096], align[1024];
    diff df[64];
    static const char *const what[2] = {"the human labels", "the evaluator's out-of-fold predictions"};
    demo_doc_heading(o, 2, "Comparisons between the models");
    snprintf(buf, sizeof buf,
             "Each pair of models, the first minus the second, with the %.0f%% percentile bootstrap interval of the "
             "difference: resample r of one model minus resample r of the other, over the %zu resamples the "
             "profiles' own intervals come from (the models are resampled independently). * marks an interval "
             "that excludes 0. No correction for the number of comparisons is made: with many pairs and values, "
             "some intervals exclude 0 by chance. CSV: `comparisons_profiles.csv`, `comparisons_reward.csv`.",
             CONFIDENCE * 100, d->replicates);
    demo_doc_para(o, buf);
    for (int src = 0; src < 2; src++) {
        snprintf(buf, sizeof buf, "Value profiles from %s: differences per value", what[src]);
        demo_doc_heading(o, 3, buf);
        size_t hl = (size_t)snprintf(header, sizeof header, "pair"), al = (size_t)snprintf(align, sizeof align, "|---|");
        for (size_t t = 0; t < d->k && hl < sizeof header && al < sizeof align; t++) {
            hl += (size_t)snprintf(header + hl, sizeof header - hl, "|%s", demo_label(d, t));
            al += (size_t)snprintf(align + al, sizeof align - al, "---:|");
        }
        demo_doc_table_begin(o, header, align);
        for (size_t a = 0; a < ng; a++)
            for (size_t b = a + 1; b < ng; b++) {
                if (demo_profile_diffs(d, src, a, b, df) != 0) return 1;
                demo_doc_row_begin(o);
                snprintf(buf, sizeof buf, "%s - %s", group_name(d, a), group_name(d, b));
                demo_doc_cell(o, buf);
                for (size_t t = 0; t < d->k; t++) diff_cell(o, &df[t], 2);
                demo_doc_row_end(o);
            }
        demo_doc_table_end(o);
        snprintf(buf, sizeof buf, "FULCRA alignment from %s: differences in mean reward", what[src]);
        demo_doc_heading(o, 3, buf);
        hl = (size_t)snprintf(header, sizeof header, "pair");
        al = (size_t)snprintf(align, sizeof align, "|---|");
        for (size_t t = 0; t < d->n_targets && hl < sizeof header && al < sizeof align; t++) {
            hl += (size_t)snprintf(header + hl, sizeof header - hl, "|%s", vs_align_target_name(t));
            al += (size_t)snprintf(align + al, sizeof align - al, "---:|");
        }
        demo_doc_table_begin(o, header, align);
        for (size_t a = 0; a < ng; a++)
            for (size_t b = a + 1; b < ng; b++) {
                demo_doc_row_begin(o);
                snprintf(buf, sizeof buf, "%s - %s", group_name(d, a), group_name(d, b));
                demo_doc_cell(o, buf);
                for (size_t t = 0; t < d->n_targets; t++) {
                    if (demo_reward_diff(d, src, t, a, b, df) != 0) return 1;
                    diff_cell(o, df, 3);
                }
                demo_doc_row_end(o);
            }
        demo_doc_table_end(o);
    }
    demo_doc_heading(o, 3, "Agreement of the label-based and the evaluator-based profiles");
    demo_doc_para(o, "Pearson and Spearman correlation (ties share their average rank) between the mean label and "
                     "the mean out-of-fold prediction: per value across the models, and per model across the values "
                     "(n/a: fewer than 3 pairs or a constant side). With five models a correlation per value rests "
                     "on five points. CSV: `profile_agreement.csv`.");
    demo_doc_table_begin(o, "value|Pearson|Spearman|n", "|---|---:|---:|---:|");
    for (size_t t = 0; t < d->k; t++) {
        agreement g = demo_agreement_value(d, t);
        demo_doc_row_begin(o);
        demo_doc_cell(o, demo_label(d, t));
        fmt_r(buf, sizeof buf, g.pearson);
        demo_doc_cell(o, buf);
        fmt_r(buf, sizeof buf, g.spearman);
        demo_doc_cell(o, buf);
        snprintf(buf, sizeof buf, "%zu", g.n);
        demo_doc_cell(o, buf);
        demo_doc_row_end(o);
    }
    demo_doc_table_end(o);
    demo_doc_table_begin(o, "model|Pearson|Spearman|n", "|---|---:|---:|---:|");
    for (size_t g = 0; g < ng; g++) {
        agreement a = demo_agreement_model(d, g);
        demo_doc_row_begin(o);
        demo_doc_cell(o, group_name(d, g));
        fmt_r(buf, sizeof buf, a.pearson);
        demo_doc_cell(o, buf);
        fmt_r(buf, sizeof buf, a.spearman);
        demo_doc_cell(o, buf);
        snprintf(buf, sizeof buf, "%zu", a.n);
        demo_doc_cell(o, buf);
        demo_doc_row_end(o);
    }
    demo_doc_table_end(o);
    demo_doc_heading(o, 2, "Part 2: projective runs compared (ngram backend)");
    if (d->projective_part) {
        demo_doc_para(o, "The valuelex bank on the CMU trigram model (the ngram backend) under three model settings "
                         "(max_tokens 10, 15 and 20), judged by loglik, one repeat, compared with `valuespace "
                         "projective compare`: its report is `projective/report.html` (and `report.md`, "
                         "`report.json`, CSVs, the figure) beside this one; the journals are "
                         "`projective/run-*.jsonl`.");
        demo_doc_para(o, demo_projective_caveat);
    } else
        demo_doc_para(o, "Not run: this build has no ngram backend (Debian's pocketsphinx-en-us and "
                         "libsphinxbase-dev, then rebuild).");
    return 0;
}

static void csv_diff_row(FILE *f, const char *source, const char *a, const char *b, const char *what,
                         const diff *x) {
    demo_csv_field(f, source);
    fputc(',', f);
    demo_csv_field(f, a);
    fputc(',', f);
    demo_csv_field(f, b);
    fputc(',', f);
    demo_csv_field(f, what);
    demo_csv_num(f, x->diff);
    demo_csv_num(f, x->lo);
    demo_csv_num(f, x->hi);
    fprintf(f, ",%d\n", x->excludes_zero);
}

int demo_compare_csv(const demo *d) {
    size_t ng = vs_evaluator_profile_group_count(d->prof[0][0][0]);
    char path[4096];
    diff df[64];
    if (d->k > 64) return 0;
    FILE *f = demo_csv_open(d, "comparisons_profiles", "from,a,b,key,diff,ci_low,ci_high,excludes_zero", path,
                            sizeof path);
    if (!f) return 1;
    for (int src = 0; src < 2; src++)
        for (size_t a = 0; a < ng; a++)
            for (size_t b = a + 1; b < ng; b++) {
                if (demo_profile_diffs(d, src, a, b, df) != 0) {
                    fclose(f);
                    return 1;
                }
                for (size_t t = 0; t < d->k; t++)
                    csv_diff_row(f, src_suffix[src], group_name(d, a), group_name(d, b), demo_key(d, t), &df[t]);
            }
    if (demo_csv_close(f, path)) return 1;
    if (!(f = demo_csv_open(d, "comparisons_reward", "from,a,b,target,diff,ci_low,ci_high,excludes_zero", path,
                            sizeof path)))
        return 1;
    for (int src = 0; src < 2; src++)
        for (size_t t = 0; t < d->n_targets; t++)
            for (size_t a = 0; a < ng; a++)
                for (size_t b = a + 1; b < ng; b++) {
                    if (demo_reward_diff(d, src, t, a, b, df) != 0) {
                        fclose(f);
                        return 1;
                    }
                    csv_diff_row(f, src_suffix[src], group_name(d, a), group_name(d, b), vs_align_target_name(t), df);
                }
    if (demo_csv_close(f, path)) return 1;
    if (!(f = demo_csv_open(d, "profile_agreement", "over,name,pearson,spearman,n", path, sizeof path))) return 1;
    for (size_t t = 0; t < d->k; t++) {
        agreement g = demo_agreement_value(d, t);
        fputs("models,", f);
        demo_csv_field(f, demo_key(d, t));
        demo_csv_num(f, g.pearson);
        demo_csv_num(f, g.spearman);
        fprintf(f, ",%zu\n", g.n);
    }
    for (size_t g = 0; g < ng; g++) {
        agreement a = demo_agreement_model(d, g);
        fputs("values,", f);
        demo_csv_field(f, group_name(d, g));
        demo_csv_num(f, a.pearson);
        demo_csv_num(f, a.spearman);
        fprintf(f, ",%zu\n", a.n);
    }
    return demo_csv_close(f, path);
}
