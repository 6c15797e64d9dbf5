/* The demo's report as Markdown (report.md) and as one self-contained HTML page (report.html:
 * figures inline as SVG, no request outside the file), written from one description so the two
 * say the same; and one CSV per table with full-precision numbers. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"

/* ---------------------------------------------------------------- one writer, two formats */

typedef struct doc {
    FILE *f;
    int html;
    const demo *d;
} doc;

/* Text for the page: HTML-escaped; in both formats `code` spans stay code. */
static void text(doc *o, const char *s) {
    if (!o->html) {
        fputs(s, o->f);
        return;
    }
    int code = 0;
    for (; *s; s++) {
        if (*s == '`') {
            fputs(code ? "</code>" : "<code>", o->f);
            code = !code;
        } else if (*s == '&') fputs("&amp;", o->f);
        else if (*s == '<') fputs("&lt;", o->f);
        else if (*s == '>') fputs("&gt;", o->f);
        else if (*s == '"') fputs("&quot;", o->f);
        else fputc(*s, o->f);
    }
    if (code) fputs("</code>", o->f);
}

static void textf(doc *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void textf(doc *o, const char *fmt, ...) {
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    text(o, buf);
}

static void heading(doc *o, int level, const char *s) {
    if (o->html) fprintf(o->f, "<h%d>", level);
    else fprintf(o->f, "%.*s ", level, "######");
    text(o, s);
    fputs(o->html ? "" : "\n\n", o->f);
    if (o->html) fprintf(o->f, "</h%d>\n", level);
}

static void para_begin(doc *o) {
    if (o->html) fputs("<p>", o->f);
}
static void para_end(doc *o) { fputs(o->html ? "</p>\n" : "\n\n", o->f); }

/* A table: header cells separated by '|'; then rows of cells. */
static void table_begin(doc *o, const char *header, const char *align) {
    const char *h = header;
    if (o->html) fputs("<table>\n<thead><tr>", o->f);
    else fputs("|", o->f);
    while (*h) {
        size_t n = strcspn(h, "|");
        char cell[256];
        snprintf(cell, sizeof cell, "%.*s", (int)n, h);
        if (o->html) {
            fputs("<th>", o->f);
            text(o, cell);
            fputs("</th>", o->f);
        } else fprintf(o->f, " %s |", cell);
        h += n + (h[n] == '|');
    }
    if (o->html) fputs("</tr></thead>\n<tbody>\n", o->f);
    else fprintf(o->f, "\n%s\n", align);
}
static void row_begin(doc *o) { fputs(o->html ? "<tr>" : "|", o->f); }
static void cell(doc *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cell(doc *o, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fputs(o->html ? "<td>" : " ", o->f);
    text(o, buf);
    fputs(o->html ? "</td>" : " |", o->f);
}
static void row_end(doc *o) { fputs(o->html ? "</tr>\n" : "\n", o->f); }
static void table_end(doc *o) { fputs(o->html ? "</tbody>\n</table>\n" : "\n", o->f); }

/* A figure: Markdown links the PNG; HTML inlines the SVG written beside the report. */
static int figure(doc *o, const char *name) {
    const demo *d = o->d;
    const char *caption = NULL;
    for (size_t i = 0; i < d->n_figures; i++)
        if (strcmp(d->figures[i].name, name) == 0) caption = d->figures[i].caption;
    if (!caption) return 0; /* not drawn (a build without cairo) */
    if (!o->html) {
        fprintf(o->f, "![%s](%s.png)\n\n*%s* (`%s.svg`, `%s.png`)\n\n", name, name, caption, name, name);
        return 0;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.svg", d->out_dir, name);
    FILE *in = fopen(path, "r");
    if (!in) {
        fprintf(stderr, "valuespace demo: cannot read %s for report.html: %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(o->f, "<figure id=\"fig-%s\">\n", name);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, o->f);
    int bad = ferror(in);
    fclose(in);
    fputs("<figcaption>", o->f);
    text(o, caption);
    fprintf(o->f, " (<a href=\"%s.svg\">SVG</a>, <a href=\"%s.png\">PNG</a>)</figcaption>\n</figure>\n", name, name);
    return bad;
}

/* ---------------------------------------------------------------- tables */

static const char *source_name(const demo *d, const vs_evaluator_profile *p, size_t g) {
    return vs_dataset_source_name(d->ds, vs_evaluator_profile_group_id(p, g));
}

static void models_header(doc *o, const char *first, const vs_evaluator_profile *p) {
    char header[2048], align[512];
    size_t ng = vs_evaluator_profile_group_count(p), hl = 0, al = 0;
    hl += (size_t)snprintf(header, sizeof header, "%s", first);
    al += (size_t)snprintf(align, sizeof align, "|---|");
    for (size_t g = 0; g < ng && hl < sizeof header && al < sizeof align; g++) {
        hl += (size_t)snprintf(header + hl, sizeof header - hl, "|%s", source_name(o->d, p, g));
        al += (size_t)snprintf(align + al, sizeof align - al, "---|");
    }
    table_begin(o, header, align);
}

static void table_cv(doc *o) {
    const demo *d = o->d;
    table_begin(o, "value|+1|-1|accuracy|macro-F1|baseline accuracy|baseline macro-F1",
                "|---|---:|---:|---:|---:|---:|---:|");
    for (size_t t = 0; t < d->k; t++) {
        vs_evaluator_metrics m = VS_EVALUATOR_METRICS_INIT;
        if (vs_evaluator_cv_metrics(&m, d->cv, t, VS_NPOS) != VS_OK) continue;
        row_begin(o);
        cell(o, "%s", demo_label(d, t));
        cell(o, "%zu", m.n_pos);
        cell(o, "%zu", m.n_neg);
        cell(o, "%.3f", m.accuracy);
        cell(o, "%.3f", m.macro_f1);
        cell(o, "%.3f", m.baseline_accuracy);
        cell(o, "%.3f", m.baseline_macro_f1);
        row_end(o);
    }
    table_end(o);
}

/* Agreement of the out-of-fold predictions with the human labels (the table of
 * `valuespace fulcra agree`): kappa says how far above chance the evaluator agrees. */
static void table_agreement(doc *o) {
    const demo *d = o->d;
    para_begin(o);
    textf(o, "Agreement of the out-of-fold predictions with the human labels, with %.0f%% bootstrap intervals "
             "(%zu resamples, seed %zu): Cohen's kappa is 0 at chance agreement and 1 at perfect agreement; "
             "the majority-class baseline's kappa is 0. Any evaluator gets this table from "
             "`valuespace fulcra agree FILE --evaluator builtin:MODEL`. CSV: `agreement.csv`.",
          CONFIDENCE * 100, d->replicates, d->seed);
    para_end(o);
    table_begin(o, "value|n|accuracy|macro-F1|kappa|baseline accuracy",
                "|---|---:|---:|---:|---:|---:|");
    for (size_t t = 0; t < d->k; t++) {
        vs_evaluator_agreement a = VS_EVALUATOR_AGREEMENT_INIT;
        if (vs_evaluator_agreement_compute(&a, d->labels + t, d->oof + t, d->n, d->k, d->replicates, CONFIDENCE,
                                           (uint64_t)d->seed) != VS_OK)
            continue;
        row_begin(o);
        cell(o, "%s", demo_label(d, t));
        cell(o, "%zu", a.n);
        const double fig[3][3] = {{a.accuracy, a.accuracy_low, a.accuracy_high},
                                  {a.macro_f1, a.macro_f1_low, a.macro_f1_high},
                                  {a.kappa, a.kappa_low, a.kappa_high}};
        for (int c = 0; c < 3; c++) {
            if (isnan(fig[c][1])) cell(o, "%.3f", fig[c][0]); /* no resamples, or kappa undefined */
            else cell(o, "%.3f [%.3f, %.3f]", fig[c][0], fig[c][1], fig[c][2]);
        }
        cell(o, "%.3f", a.baseline_accuracy);
        row_end(o);
    }
    table_end(o);
}

static void table_profiles(doc *o, int src) {
    const demo *d = o->d;
    const vs_evaluator_profile *p = d->prof[src][0][0];
    size_t ng = vs_evaluator_profile_group_count(p), need;
    models_header(o, "value", p);
    double m[64], lo[64], hi[64];
    for (size_t t = 0; t < d->k && d->k <= 64; t++) {
        row_begin(o);
        cell(o, "%s", demo_label(d, t));
        for (size_t g = 0; g < ng; g++) {
            vs_evaluator_profile_get(&need, p, g, VS_EVALUATOR_PROFILE_MEAN, m, 64);
            vs_evaluator_profile_get(&need, p, g, VS_EVALUATOR_PROFILE_CI_LOW, lo, 64);
            vs_evaluator_profile_get(&need, p, g, VS_EVALUATOR_PROFILE_CI_HIGH, hi, 64);
            cell(o, "%+.2f [%+.2f, %+.2f]", m[t], lo[t], hi[t]);
        }
        row_end(o);
    }
    row_begin(o);
    cell(o, "n");
    for (size_t g = 0; g < ng; g++) cell(o, "%zu", vs_evaluator_profile_group_item_count(p, g));
    row_end(o);
    table_end(o);
}

static void table_alignment(doc *o, int src) {
    const demo *d = o->d;
    const vs_evaluator_profile *p = d->prof[src][0][0];
    size_t ng = vs_evaluator_profile_group_count(p);
    models_header(o, "target", p);
    for (size_t t = 0; t < d->n_targets; t++) {
        row_begin(o);
        cell(o, "%s", vs_align_target_name(t));
        for (size_t g = 0; g < ng; g++) {
            reward r = demo_reward(d->prof[src][0][t], g);
            cell(o, "%+.3f [%+.3f, %+.3f] #%.0f, coverage %.2f", r.mean, r.lo, r.hi, r.rank, r.coverage);
        }
        row_end(o);
    }
    table_end(o);
}

static void table_distance(doc *o, int src, int th) {
    const demo *d = o->d;
    const vs_evaluator_profile *p = d->prof[src][th][0];
    size_t ng = vs_evaluator_profile_group_count(p);
    models_header(o, "target", p);
    for (size_t t = 0; t < d->n_targets; t++) {
        row_begin(o);
        cell(o, "%s", vs_align_target_name(t));
        for (size_t g = 0; g < ng; g++) {
            double dist, a, b, rank;
            const vs_evaluator_profile *q = d->prof[src][th][t];
            vs_evaluator_profile_scalar(&dist, q, g, VS_EVALUATOR_PROFILE_DISTANCE);
            vs_evaluator_profile_scalar(&a, q, g, VS_EVALUATOR_PROFILE_DISTANCE_CI_LOW);
            vs_evaluator_profile_scalar(&b, q, g, VS_EVALUATOR_PROFILE_DISTANCE_CI_HIGH);
            vs_evaluator_profile_scalar(&rank, q, g, VS_EVALUATOR_PROFILE_RANK);
            if (isnan(dist)) cell(o, "n/a (no value above the threshold)");
            else cell(o, "%.3f [%.3f, %.3f] #%.0f", dist, a, b, rank);
        }
        row_end(o);
    }
    table_end(o);
}

/* ---------------------------------------------------------------- the report */

static const char *const references[] = {
    "Yao, J., Yi, X., Wang, X., Gong, Y. and Xie, X. (2024). Value FULCRA: Mapping Large Language Models to the "
    "Multidimensional Spectrum of Basic Human Values. NAACL 2024. arXiv:2311.10766. Data and code: "
    "github.com/microsoft/ValueCompass (MIT).",
    "Schwartz, S. H. (1992). Universals in the content and structure of values: Theoretical advances and empirical "
    "tests in 20 countries. Advances in Experimental Social Psychology, 25, 1-65.",
    "Efron, B. and Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.",
    "libvaluespace " /* the version follows */,
};

static int sections(doc *o) {
    const demo *d = o->d;
    int rc = 0;
    heading(o, 1, "Value profiles of five LLMs (Value FULCRA public split)");
    para_begin(o);
    textf(o, "Data: `%s`, %zu records (%zu labels or lines skipped by the lenient reader; "
             "`valuespace fulcra check` lists them). libvaluespace %s. The numbers of every table and figure are "
             "in `report.json` (with the command line, the seeds, every option and the SHA-256 of the data), one "
             "CSV file per table beside it.",
          d->data_path, d->n, cli_dataset_skipped(d->ds), vs_version_string());
    para_end(o);
    if (d->figures_off) {
        para_begin(o);
        text(o, "No figures: " CLI_FIGURES_OFF ".");
        para_end(o);
    }
    heading(o, 2, "Methods");
    para_begin(o);
    textf(o, "Responses of five LLMs from the public split of Value FULCRA [1], labelled by annotators on "
             "Schwartz's ten basic values [2] with +1 (the response upholds the value), -1 (it opposes it) or 0 "
             "(no connection). The built-in evaluator (hashed unigrams and bigrams of the NFKC-case-folded prompt "
             "and response, 2^18 buckets; one class-balanced multinomial logistic regression per value over "
             "{-1, 0, +1}) is cross-validated in %zu folds stratified by model (seed %zu); the baseline predicts "
             "the majority class of each training fold. A model's value profile is its mean label per value, "
             "from the human labels and from the out-of-fold predictions, with a %.0f%% percentile bootstrap "
             "interval [3] over %zu resamples of its responses (seed %zu). Alignment to a target follows FULCRA "
             "[1]: the BaseAlign distance d = sum_k |s_k - t_k| * |t_k| over the values whose |s_k| exceeds %g, "
             "reward -d, computed per response and averaged per model.",
          d->folds, d->seed, CONFIDENCE * 100, d->replicates, d->seed, demo_thresholds[0]);
    para_end(o);

    heading(o, 2, "The built-in evaluator, cross-validated");
    para_begin(o);
    textf(o, "Out-of-fold figures; %.1f s. The evaluator trained on all records (%zu active buckets) is saved as "
             "`model.vsev` (`valuespace fulcra predict --model model.vsev FILE`). CSV: `cv.csv`.",
          d->seconds_cv, d->active);
    para_end(o);
    rc |= figure(o, "cv_macro_f1");
    table_cv(o);
    table_agreement(o);
    static const char *const title[2] = {"Value profiles from the human labels",
                                         "Value profiles from the evaluator (out-of-fold predictions)"};
    static const char *const suffix[2] = {"labels", "predicted"};
    for (int src = 0; src < 2; src++) {
        heading(o, 2, title[src]);
        para_begin(o);
        if (src == 0)
            textf(o, "Mean label per value (+1 important, 0 no connection, -1 opposed) with the %.0f%% percentile "
                     "bootstrap interval (%zu resamples of each model's responses, seed %zu). CSV: "
                     "`profiles_labels.csv`.",
                  CONFIDENCE * 100, d->replicates, d->seed);
        else
            text(o, "The same, with each response valued by the cross-validation model that did not see it. CSV: "
                    "`profiles_predicted.csv`.");
        para_end(o);
        char name[64];
        snprintf(name, sizeof name, "profiles_%s", suffix[src]);
        rc |= figure(o, name);
        snprintf(name, sizeof name, "profiles_%s_overlay", suffix[src]);
        rc |= figure(o, name);
        table_profiles(o, src);
        heading(o, 3, "FULCRA alignment");
        para_begin(o);
        textf(o, "Each model's mean per-response BaseAlign reward (the published mask |score| > %g on each "
                 "response's own values), its %.0f%% bootstrap interval, its rank (1 = highest reward) and coverage "
                 "(the share of its responses with a value past the mask). CSV: `alignment_%s.csv`.",
              demo_thresholds[0], CONFIDENCE * 100, suffix[src]);
        para_end(o);
        snprintf(name, sizeof name, "alignment_%s", suffix[src]);
        rc |= figure(o, name);
        table_alignment(o, src);
        for (int th = 0; th < 2; th++) {
            para_begin(o);
            textf(o, "Secondary view: BaseAlign distance of each mean vector to each target, counting the values "
                     "with |mean| > %g%s, with its %.0f%% bootstrap interval and rank (1 = closest; n/a: no value of "
                     "the mean is past the mask, so there is nothing to compare). CSV: `distance_%s_%s.csv`.",
                  demo_thresholds[th], th ? "" : " (the published mask)", CONFIDENCE * 100, suffix[src],
                  th ? "unmasked" : "masked");
            para_end(o);
            table_distance(o, src, th);
        }
    }
    rc |= demo_compare_section(o, d);
    heading(o, 2, "How to read the alignment");
    para_begin(o);
    text(o, "FULCRA scores each response with BaseAlign (s = the response's values); a model's alignment is the "
            "mean reward of its responses. A response that expresses no value past the mask has reward 0: "
            "silence is not penalised, so read the reward beside the coverage. The distance of a model's mean "
            "vector is a secondary view: a model whose responses express different values can have a mean below "
            "the threshold everywhere, and it then has no distance (n/a) rather than a perfect 0; the unmasked "
            "tables (threshold 0) count every value the model expresses at all.");
    para_end(o);
    heading(o, 2, "References");
    for (size_t i = 0; i < sizeof references / sizeof references[0]; i++) {
        fputs(o->html ? "<p class=\"ref\">" : "", o->f);
        textf(o, "[%zu] %s%s", i + 1, references[i],
              i + 1 == sizeof references / sizeof references[0] ? vs_version_string() : "");
        if (i + 1 == sizeof references / sizeof references[0])
            text(o, ": how to cite it is in its CITATION.cff.");
        fputs(o->html ? "</p>\n" : "\n\n", o->f);
    }
    para_begin(o);
    textf(o, "Total time %.1f s.", d->seconds_total);
    para_end(o);
    return rc;
}

static int finish(FILE *f, const char *path, int rc) {
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "valuespace: demo: error writing %s\n", path);
        return 1;
    }
    return rc;
}

int demo_write_markdown(const demo *d, const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "valuespace: demo: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    doc o = {f, 0, d};
    return finish(f, path, sections(&o));
}

static const char html_style[] =
    "body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;max-width:1180px;margin:2em auto;padding:0 1em;"
    "color:#1a1a1a;line-height:1.45}"
    "table{border-collapse:collapse;margin:1em 0;font-size:0.9em}"
    "th,td{border:1px solid #ccc;padding:0.25em 0.6em;text-align:left}th{background:#f2f2f2}"
    "tbody tr:nth-child(even){background:#fafafa}"
    "figure{margin:1.5em 0}figure svg{max-width:100%;height:auto;display:block}"
    "figcaption{font-size:0.9em;color:#444;margin-top:0.4em}code{background:#f4f4f4;padding:0 0.2em}"
    "p.ref{font-size:0.9em;margin:0.3em 0}";

int demo_write_html(const demo *d, const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "valuespace: demo: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    /* self-contained: the style is inline and the figures are inline SVG, so the page makes no request */
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
               "<title>Value profiles of five LLMs (Value FULCRA public split)</title>\n<style>%s</style>\n"
               "</head>\n<body>\n",
            html_style);
    doc o = {f, 1, d};
    int rc = sections(&o);
    fputs("</body>\n</html>\n", f);
    return finish(f, path, rc);
}

/* ---------------------------------------------------------------- CSV, one file per table */

static void csv_field(FILE *f, const char *s) {
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"') fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else fputs(s, f);
}

static void csv_num(FILE *f, double x) {
    if (!isfinite(x)) { /* empty = not available (R and pandas read it as NA) */
        fputc(',', f);
        return;
    }
    char buf[32];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, x);
        if (strtod(buf, NULL) == x) break;
    }
    fprintf(f, ",%s", buf);
}

static FILE *csv_open(const demo *d, const char *name, const char *header, char *path, size_t cap) {
    snprintf(path, cap, "%s/%s.csv", d->out_dir, name);
    FILE *f = fopen(path, "w");
    if (!f) fprintf(stderr, "valuespace: demo: cannot write %s: %s\n", path, strerror(errno));
    else fprintf(f, "%s\n", header);
    return f;
}

/* agreement.csv: the agreement table at full precision, with the confusion matrix. */
static int csv_agreement(const demo *d) {
    char path[4096];
    FILE *f = csv_open(d, "agreement",
                       "key,label,n,accuracy,accuracy_low,accuracy_high,macro_f1,macro_f1_low,macro_f1_high,kappa,"
                       "kappa_low,kappa_high,baseline_class,baseline_accuracy,baseline_macro_f1,confusion",
                       path, sizeof path);
    if (!f) return 1;
    for (size_t t = 0; t < d->k; t++) {
        vs_evaluator_agreement a = VS_EVALUATOR_AGREEMENT_INIT;
        if (vs_evaluator_agreement_compute(&a, d->labels + t, d->oof + t, d->n, d->k, d->replicates, CONFIDENCE,
                                           (uint64_t)d->seed) != VS_OK)
            continue;
        csv_field(f, demo_key(d, t));
        fputc(',', f);
        csv_field(f, demo_label(d, t));
        fprintf(f, ",%zu", a.n);
        const double x[] = {a.accuracy, a.accuracy_low, a.accuracy_high, a.macro_f1, a.macro_f1_low, a.macro_f1_high,
                            a.kappa, a.kappa_low, a.kappa_high, a.baseline_class, a.baseline_accuracy,
                            a.baseline_macro_f1};
        for (size_t i = 0; i < sizeof x / sizeof x[0]; i++) csv_num(f, x[i]);
        fputs(",", f); /* 9 counts, truth rows -1, 0, +1 by prediction columns, space-separated */
        for (int i = 0; i < 9; i++) fprintf(f, "%s%llu", i ? " " : "", (unsigned long long)a.confusion[i]);
        fputc('\n', f);
    }
    return finish(f, path, 0);
}

int demo_write_csv(const demo *d) {
    char path[4096];
    if (csv_agreement(d)) return 1;
    FILE *f = csv_open(d, "cv", "key,label,n_pos,n_neg,accuracy,macro_f1,baseline_accuracy,baseline_macro_f1", path,
                       sizeof path);
    if (!f) return 1;
    for (size_t t = 0; t < d->k; t++) {
        vs_evaluator_metrics m = VS_EVALUATOR_METRICS_INIT;
        if (vs_evaluator_cv_metrics(&m, d->cv, t, VS_NPOS) != VS_OK) continue;
        csv_field(f, demo_key(d, t));
        fputc(',', f);
        csv_field(f, demo_label(d, t));
        fprintf(f, ",%zu,%zu", m.n_pos, m.n_neg);
        csv_num(f, m.accuracy);
        csv_num(f, m.macro_f1);
        csv_num(f, m.baseline_accuracy);
        csv_num(f, m.baseline_macro_f1);
        fputc('\n', f);
    }
    if (finish(f, path, 0)) return 1;
    static const char *const suffix[2] = {"labels", "predicted"};
    for (int src = 0; src < 2; src++) {
        char name[64];
        const vs_evaluator_profile *p = d->prof[src][0][0];
        size_t ng = vs_evaluator_profile_group_count(p), need;
        snprintf(name, sizeof name, "profiles_%s", suffix[src]);
        if (!(f = csv_open(d, name, "source,n,key,label,mean,ci_low,ci_high", path, sizeof path))) return 1;
        double m[64], lo[64], hi[64];
        for (size_t g = 0; g < ng && d->k <= 64; g++) {
            vs_evaluator_profile_get(&need, p, g, VS_EVALUATOR_PROFILE_MEAN, m, 64);
            vs_evaluator_profile_get(&need, p, g, VS_EVALUATOR_PROFILE_CI_LOW, lo, 64);
            vs_evaluator_profile_get(&need, p, g, VS_EVALUATOR_PROFILE_CI_HIGH, hi, 64);
            for (size_t t = 0; t < d->k; t++) {
                csv_field(f, source_name(d, p, g));
                fprintf(f, ",%zu,", vs_evaluator_profile_group_item_count(p, g));
                csv_field(f, demo_key(d, t));
                fputc(',', f);
                csv_field(f, demo_label(d, t));
                csv_num(f, m[t]);
                csv_num(f, lo[t]);
                csv_num(f, hi[t]);
                fputc('\n', f);
            }
        }
        if (finish(f, path, 0)) return 1;
        snprintf(name, sizeof name, "alignment_%s", suffix[src]);
        if (!(f = csv_open(d, name, "target,source,reward,ci_low,ci_high,rank,coverage", path, sizeof path))) return 1;
        for (size_t t = 0; t < d->n_targets; t++)
            for (size_t g = 0; g < ng; g++) {
                reward r = demo_reward(d->prof[src][0][t], g);
                csv_field(f, vs_align_target_name(t));
                fputc(',', f);
                csv_field(f, source_name(d, p, g));
                csv_num(f, r.mean);
                csv_num(f, r.lo);
                csv_num(f, r.hi);
                csv_num(f, r.rank);
                csv_num(f, r.coverage);
                fputc('\n', f);
            }
        if (finish(f, path, 0)) return 1;
        for (int th = 0; th < 2; th++) {
            snprintf(name, sizeof name, "distance_%s_%s", suffix[src], th ? "unmasked" : "masked");
            if (!(f = csv_open(d, name, "target,source,threshold,distance,ci_low,ci_high,rank", path, sizeof path)))
                return 1;
            for (size_t t = 0; t < d->n_targets; t++)
                for (size_t g = 0; g < ng; g++) {
                    static const int stat[4] = {VS_EVALUATOR_PROFILE_DISTANCE, VS_EVALUATOR_PROFILE_DISTANCE_CI_LOW,
                                                VS_EVALUATOR_PROFILE_DISTANCE_CI_HIGH, VS_EVALUATOR_PROFILE_RANK};
                    csv_field(f, vs_align_target_name(t));
                    fputc(',', f);
                    csv_field(f, source_name(d, p, g));
                    csv_num(f, demo_thresholds[th]);
                    for (int s = 0; s < 4; s++) {
                        double v;
                        vs_evaluator_profile_scalar(&v, d->prof[src][th][t], g, stat[s]);
                        csv_num(f, v);
                    }
                    fputc('\n', f);
                }
            if (finish(f, path, 0)) return 1;
        }
    }
    return demo_compare_csv(d);
}

/* ---------------------------------------------------------------- for sections written elsewhere */

int demo_doc_html(const demo_doc *o) { return o->html; }
void demo_doc_heading(demo_doc *o, int level, const char *s) { heading(o, level, s); }
void demo_doc_para(demo_doc *o, const char *s) {
    para_begin(o);
    text(o, s);
    para_end(o);
}
void demo_doc_table_begin(demo_doc *o, const char *header, const char *align) { table_begin(o, header, align); }
void demo_doc_row_begin(demo_doc *o) { row_begin(o); }
void demo_doc_cell(demo_doc *o, const char *s) { cell(o, "%s", s); }
void demo_doc_row_end(demo_doc *o) { row_end(o); }
void demo_doc_table_end(demo_doc *o) { table_end(o); }
FILE *demo_csv_open(const demo *d, const char *name, const char *header, char *path, size_t cap) {
    return csv_open(d, name, header, path, cap);
}
void demo_csv_field(FILE *f, const char *s) { csv_field(f, s); }
void demo_csv_num(FILE *f, double x) { csv_num(f, x); }
int demo_csv_close(FILE *f, const char *path) { return finish(f, path, 0); }
