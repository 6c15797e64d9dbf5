/* The report directory of `valuespace projective compare`: report.json (provenance, every run's
 * scores, the differences), report.md and report.html (the same tables; the HTML self-contained
 * with the figure inline), scores.csv, differences.csv and the figure. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "projective_compare.h"
#ifdef VS_HAVE_CAIRO
#include "plot/plot.h"
#endif

static const char *dim_key(const pc *c, size_t d) { return vs_runner_result_dimension_key(c->runs[0].res, d); }

/* ---------------------------------------------------------------- report.json */

static void json_num_or_null(cli_json *j, const char *key, double x) {
    cli_json_key(j, key);
    cli_json_number(j, x); /* NaN -> null */
}

static int write_json(const pc *c, const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "valuespace projective compare: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    size_t ni = 0;
    for (size_t r = 0; r < c->nr; r++) ni += c->runs[r].np;
    const char **inputs = malloc((ni ? ni : 1) * sizeof *inputs);
    if (!inputs) {
        fclose(f);
        return cli_fail("projective compare", VS_ENOMEM);
    }
    ni = 0;
    for (size_t r = 0; r < c->nr; r++)
        for (size_t p = 0; p < c->runs[r].np; p++) inputs[ni++] = c->runs[r].paths[p];
    cli_json j;
    cli_json_init(&j, f);
    cli_json_begin_object(&j);
    int rc = cli_report_provenance(&j, "valuespace/projective-compare", 1, c->created_utc, inputs, ni);
    free(inputs);
    if (rc != 0) {
        fclose(f);
        return 1;
    }
    cli_json_key(&j, "options");
    cli_json_begin_object(&j);
    cli_json_key(&j, "out");
    cli_json_string(&j, c->out_dir);
    cli_json_key(&j, "runs"); /* the journals of each column */
    cli_json_begin_array(&j);
    for (size_t r = 0; r < c->nr; r++) {
        cli_json_begin_array(&j);
        for (size_t p = 0; p < c->runs[r].np; p++) cli_json_string(&j, c->runs[r].paths[p]);
        cli_json_end_array(&j);
    }
    cli_json_end_array(&j);
    cli_json_end_object(&j);
    cli_json_key(&j, "bank");
    cli_json_string(&j, pc_header(&c->runs[0], "bank"));
    cli_json_key(&j, "bank_hash");
    cli_json_string(&j, pc_header(&c->runs[0], "bank_hash"));
    cli_json_key(&j, "bootstrap");
    cli_json_begin_object(&j);
    cli_json_key(&j, "replicates");
    cli_json_int(&j, (long long)c->B);
    cli_json_key(&j, "confidence");
    cli_json_number(&j, 0.95);
    cli_json_end_object(&j);
    cli_json_key(&j, "dimensions");
    cli_json_begin_array(&j);
    for (size_t d = 0; d < c->nd; d++) cli_json_string(&j, dim_key(c, d));
    cli_json_end_array(&j);
    cli_json_key(&j, "runs");
    cli_json_begin_array(&j);
    for (size_t r = 0; r < c->nr; r++) {
        const pc_run *run = &c->runs[r];
        cli_json_begin_object(&j);
        cli_json_key(&j, "label");
        cli_json_string(&j, run->label);
        static const char *const fields[] = {"model", "judge", "seed", "bank_ref", "library"};
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
            cli_json_key(&j, fields[k]);
            cli_json_string(&j, pc_header(run, fields[k]));
        }
        cli_json_key(&j, "journals");
        cli_json_begin_array(&j);
        for (size_t p = 0; p < run->np; p++) cli_json_string(&j, run->paths[p]);
        cli_json_end_array(&j);
        cli_json_key(&j, "done");
        cli_json_int(&j, (long long)vs_runner_result_done(run->res));
        cli_json_key(&j, "failed");
        cli_json_int(&j, (long long)vs_runner_result_failed(run->res));
        cli_json_key(&j, "scores");
        cli_json_begin_array(&j);
        for (size_t d = 0; d < c->nd; d++) {
            vs_runner_score s = pc_score(c, r, d);
            cli_json_begin_object(&j);
            cli_json_key(&j, "key");
            cli_json_string(&j, dim_key(c, d));
            json_num_or_null(&j, "score", s.score);
            json_num_or_null(&j, "ci_low", s.ci_low);
            json_num_or_null(&j, "ci_high", s.ci_high);
            cli_json_key(&j, "n");
            cli_json_int(&j, (long long)s.n);
            cli_json_key(&j, "n_related");
            cli_json_int(&j, (long long)s.n_related);
            json_num_or_null(&j, "coverage", s.coverage);
            cli_json_end_object(&j);
        }
        cli_json_end_array(&j);
        cli_json_end_object(&j);
    }
    cli_json_end_array(&j);
    cli_json_key(&j, "differences"); /* every pair a < b (column indices from 0), a minus b */
    cli_json_begin_array(&j);
    for (size_t a = 0; a < c->nr; a++)
        for (size_t b = a + 1; b < c->nr; b++)
            for (size_t d = 0; d < c->nd; d++) {
                pc_diff x = pc_difference(c, a, b, d);
                cli_json_begin_object(&j);
                cli_json_key(&j, "a");
                cli_json_int(&j, (long long)a);
                cli_json_key(&j, "b");
                cli_json_int(&j, (long long)b);
                cli_json_key(&j, "key");
                cli_json_string(&j, dim_key(c, d));
                json_num_or_null(&j, "diff", x.diff);
                json_num_or_null(&j, "ci_low", x.lo);
                json_num_or_null(&j, "ci_high", x.hi);
                cli_json_key(&j, "excludes_zero");
                cli_json_bool(&j, x.excludes_zero);
                cli_json_key(&j, "paired"); /* one seed: each replicate weights the items alike in both */
                cli_json_bool(&j, pc_paired(c, a, b));
                cli_json_end_object(&j);
            }
    cli_json_end_array(&j);
    cli_json_key(&j, "figures");
    cli_json_begin_array(&j);
    if (c->have_figure) {
        cli_json_begin_object(&j);
        cli_json_key(&j, "name");
        cli_json_string(&j, PC_FIGURE);
        cli_json_key(&j, "caption");
        cli_json_string(&j, PC_FIGURE_CAPTION);
        cli_json_end_object(&j);
    }
    cli_json_end_array(&j);
    cli_json_end_object(&j);
    cli_json_finish(&j);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "valuespace projective compare: error writing %s\n", path);
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- report.md and report.html */

static void put(FILE *f, int html, const char *s) {
    for (; *s; s++) {
        if (html && *s == '&') fputs("&amp;", f);
        else if (html && *s == '<') fputs("&lt;", f);
        else if (html && *s == '>') fputs("&gt;", f);
        else if (!html && *s == '|') fputs("\\|", f); /* a label with a bar stays in its cell */
        else fputc(*s, f);
    }
}

static void para(FILE *f, int html, const char *s) {
    fputs(html ? "<p>" : "", f);
    put(f, html, s);
    fputs(html ? "</p>\n" : "\n\n", f);
}

static void heading(FILE *f, int html, int level, const char *s) {
    if (html) fprintf(f, "<h%d>", level);
    else fprintf(f, "%.*s ", level, "######");
    put(f, html, s);
    if (html) fprintf(f, "</h%d>\n", level);
    else fputs("\n\n", f);
}

static void row(FILE *f, int html, int head, const char *const *cells, size_t n) {
    fputs(html ? "<tr>" : "|", f);
    for (size_t i = 0; i < n; i++) {
        fputs(html ? (head ? "<th>" : "<td>") : " ", f);
        put(f, html, cells[i]);
        fputs(html ? (head ? "</th>" : "</td>") : " |", f);
    }
    fputs(html ? "</tr>\n" : "\n", f);
    if (head && !html) {
        fputs("|---|", f);
        for (size_t i = 1; i < n; i++) fputs("---:|", f);
        fputc('\n', f);
    }
}

static void score_cell(char *buf, size_t cap, vs_runner_score s) {
    if (s.n_related == 0) snprintf(buf, cap, "n/a (0 of %llu related)", (unsigned long long)s.n);
    else if (isnan(s.ci_low))
        snprintf(buf, cap, "%.1f, coverage %.2f (%llu of %llu)", s.score, s.coverage, (unsigned long long)s.n_related,
                 (unsigned long long)s.n);
    else
        snprintf(buf, cap, "%.1f [%.1f, %.1f], coverage %.2f (%llu of %llu)", s.score, s.ci_low, s.ci_high,
                 s.coverage, (unsigned long long)s.n_related, (unsigned long long)s.n);
}

static int write_doc(const pc *c, const char *path, int html) {
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "valuespace projective compare: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    char title[512], buf[2048];
    snprintf(title, sizeof title, "Projective runs compared (bank %s)", pc_header(&c->runs[0], "bank"));
    if (html)
        fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
                   "<title>%s</title>\n<style>body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:1180px;"
                   "margin:2em auto;padding:0 1em}table{border-collapse:collapse;font-size:0.9em}th,td{border:1px "
                   "solid #ccc;padding:0.25em 0.6em}figure svg{max-width:100%%;height:auto}</style>\n</head>\n<body>\n",
                title);
    heading(f, html, 1, title);
    snprintf(buf, sizeof buf,
             "%zu runs of bank %s (hash %s); libvaluespace %s. Each run is one column: a journal, or the shard "
             "journals of one run merged. A score is 100 x the share of a dimension's related judgements (high or "
             "low) that are high, with its 95%% percentile bootstrap interval over items (%zu replicates); coverage "
             "is the share of its judgements that are related; n/a: no related judgement, so no score. The numbers "
             "are in report.json (with the command line and the SHA-256 of every journal), scores.csv and "
             "differences.csv.",
             c->nr, pc_header(&c->runs[0], "bank"), pc_header(&c->runs[0], "bank_hash"), vs_version_string(), c->B);
    para(f, html, buf);
    if (c->figures_off) para(f, html, "No figure: " CLI_FIGURES_OFF ".");
    if (c->have_figure) {
        if (!html) fprintf(f, "![%s](%s.png)\n\n*%s*\n\n", PC_FIGURE, PC_FIGURE, PC_FIGURE_CAPTION);
        else {
            char svg[4096];
            snprintf(svg, sizeof svg, "%s/%s.svg", c->out_dir, PC_FIGURE);
            FILE *in = fopen(svg, "r");
            if (!in) {
                fprintf(stderr, "valuespace projective compare: cannot read %s: %s\n", svg, strerror(errno));
                fclose(f);
                return 1;
            }
            fputs("<figure>\n", f);
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, f);
            fclose(in);
            fputs("<figcaption>", f);
            put(f, 1, PC_FIGURE_CAPTION);
            fputs("</figcaption>\n</figure>\n", f);
        }
    }
    heading(f, html, 2, "Scores");
    const char **cells = malloc((c->nr + c->nd + 2) * sizeof *cells);
    char *store = malloc((c->nr + c->nd + 2) * 160);
    if (!cells || !store) {
        free(cells);
        free(store);
        fclose(f);
        return cli_fail("projective compare", VS_ENOMEM);
    }
    if (html) fputs("<table>\n", f);
    cells[0] = "dimension";
    for (size_t r = 0; r < c->nr; r++) cells[r + 1] = c->runs[r].label;
    row(f, html, 1, cells, c->nr + 1);
    for (size_t d = 0; d < c->nd; d++) {
        cells[0] = dim_key(c, d);
        for (size_t r = 0; r < c->nr; r++) {
            score_cell(store + r * 160, 160, pc_score(c, r, d));
            cells[r + 1] = store + r * 160;
        }
        row(f, html, 0, cells, c->nr + 1);
    }
    if (html) fputs("</table>\n", f);
    else fputc('\n', f);
    for (size_t r = 0; r < c->nr; r++) {
        const pc_run *run = &c->runs[r];
        snprintf(buf, sizeof buf, "%s: model %s, judge %s, seed %s; %llu records done, %llu failed; journals:",
                 run->label, pc_header(run, "model"), pc_header(run, "judge"), pc_header(run, "seed"),
                 (unsigned long long)vs_runner_result_done(run->res), (unsigned long long)vs_runner_result_failed(run->res));
        for (size_t p = 0; p < run->np; p++) {
            size_t l = strlen(buf);
            snprintf(buf + l, sizeof buf - l, " %s", run->paths[p]);
        }
        para(f, html, buf);
    }
    if (c->nr > 1) {
        heading(f, html, 2, "Differences between the runs");
        snprintf(buf, sizeof buf,
                 "The first run minus the second, per dimension, with the 95%% percentile interval of replicate r of "
                 "one minus replicate r of the other: runs with one seed weight the items alike in each replicate "
                 "(a paired bootstrap over items, marked p), runs with different seeds are resampled independently. "
                 "* marks an interval that excludes 0; there is no correction for the number of comparisons. n/a: a "
                 "run without a score there.");
        para(f, html, buf);
        if (html) fputs("<table>\n", f);
        cells[0] = "pair";
        for (size_t d = 0; d < c->nd; d++) cells[d + 1] = dim_key(c, d);
        row(f, html, 1, cells, c->nd + 1);
        for (size_t a = 0; a < c->nr; a++)
            for (size_t b = a + 1; b < c->nr; b++) {
                snprintf(buf, sizeof buf, "%s - %s%s", c->runs[a].label, c->runs[b].label,
                         pc_paired(c, a, b) ? " (p)" : "");
                cells[0] = buf;
                for (size_t d = 0; d < c->nd; d++) {
                    pc_diff x = pc_difference(c, a, b, d);
                    char *s = store + d * 160;
                    if (isnan(x.diff)) snprintf(s, 160, "n/a");
                    else if (isnan(x.lo)) snprintf(s, 160, "%+.1f", x.diff);
                    else snprintf(s, 160, "%+.1f [%+.1f, %+.1f]%s", x.diff, x.lo, x.hi, x.excludes_zero ? " *" : "");
                    cells[d + 1] = s;
                }
                row(f, html, 0, cells, c->nd + 1);
            }
        if (html) fputs("</table>\n", f);
        else fputc('\n', f);
    }
    free(cells);
    free(store);
    if (html) fputs("</body>\n</html>\n", f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "valuespace projective compare: error writing %s\n", path);
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- CSV */

static void csv_str(FILE *f, const char *s) {
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"') fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else fputs(s, f);
}

static void csv_num(FILE *f, double x) { /* ",number" at full precision, "," when not available */
    char b[32] = "";
    for (int prec = 15; isfinite(x) && prec <= 17; prec++) {
        snprintf(b, sizeof b, "%.*g", prec, x);
        if (strtod(b, NULL) == x) break;
    }
    fprintf(f, ",%s", b);
}

static int write_csv(const pc *c) {
    char path[4096];
    snprintf(path, sizeof path, "%s/scores.csv", c->out_dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "valuespace projective compare: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    fputs("run,label,key,score,ci_low,ci_high,n,n_related,coverage\n", f);
    for (size_t r = 0; r < c->nr; r++)
        for (size_t d = 0; d < c->nd; d++) {
            vs_runner_score s = pc_score(c, r, d);
            fprintf(f, "%zu,", r);
            csv_str(f, c->runs[r].label);
            fputc(',', f);
            csv_str(f, dim_key(c, d));
            csv_num(f, s.score);
            csv_num(f, s.ci_low);
            csv_num(f, s.ci_high);
            fprintf(f, ",%llu,%llu", (unsigned long long)s.n, (unsigned long long)s.n_related);
            csv_num(f, s.coverage);
            fputc('\n', f);
        }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) return cli_fail(path, VS_EIO);
    snprintf(path, sizeof path, "%s/differences.csv", c->out_dir);
    if (!(f = fopen(path, "w"))) {
        fprintf(stderr, "valuespace projective compare: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    fputs("a,b,key,diff,ci_low,ci_high,excludes_zero\n", f);
    for (size_t a = 0; a < c->nr; a++)
        for (size_t b = a + 1; b < c->nr; b++)
            for (size_t d = 0; d < c->nd; d++) {
                pc_diff x = pc_difference(c, a, b, d);
                fprintf(f, "%zu,%zu,", a, b);
                csv_str(f, dim_key(c, d));
                csv_num(f, x.diff);
                csv_num(f, x.lo);
                csv_num(f, x.hi);
                fprintf(f, ",%d\n", x.excludes_zero);
            }
    bad = ferror(f);
    if (fclose(f) != 0 || bad) return cli_fail(path, VS_EIO);
    return 0;
}

/* ---------------------------------------------------------------- the figure */

static int figure(pc *c) {
#ifdef VS_HAVE_CAIRO
    size_t n = c->nd * c->nr;
    double *buf = malloc((n > 0 ? 4 * n : 1) * sizeof *buf);
    const char **dims = malloc((c->nd ? c->nd : 1) * sizeof *dims), **runs = malloc(c->nr * sizeof *runs);
    if (!buf || !dims || !runs) {
        free(buf);
        free(dims);
        free(runs);
        return cli_fail("projective compare", VS_ENOMEM);
    }
    double *sc = buf, *lo = sc + n, *hi = lo + n, *cov = hi + n;
    for (size_t r = 0; r < c->nr; r++) runs[r] = c->runs[r].label;
    for (size_t d = 0; d < c->nd; d++) {
        dims[d] = dim_key(c, d);
        for (size_t r = 0; r < c->nr; r++) {
            vs_runner_score s = pc_score(c, r, d);
            size_t i = d * c->nr + r;
            sc[i] = s.n_related ? s.score : NAN;
            lo[i] = s.ci_low;
            hi[i] = s.ci_high;
            cov[i] = s.coverage;
        }
    }
    char sub[256];
    snprintf(sub, sizeof sub, "bank %s; %zu bootstrap replicates over items", pc_header(&c->runs[0], "bank"), c->B);
    plot_projective p = {c->nd, c->nr, dims, runs, sc, lo, hi, cov, sub};
    int rc = plot_projective_scores(c->out_dir, PC_FIGURE, &p);
    plot_release();
    free(buf);
    free(dims);
    free(runs);
    c->have_figure = rc == 0;
    return rc;
#else
    c->figures_off = 1;
    printf("figures are off (built without cairo); install libcairo2-dev and rebuild to draw them\n");
    return 0;
#endif
}

int pc_write_report(pc *c) {
    char path[4096];
    int rc = figure(c);
    if (!rc) {
        snprintf(path, sizeof path, "%s/report.json", c->out_dir);
        rc = write_json(c, path);
    }
    if (!rc) {
        snprintf(path, sizeof path, "%s/report.md", c->out_dir);
        rc = write_doc(c, path, 0);
    }
    if (!rc) {
        snprintf(path, sizeof path, "%s/report.html", c->out_dir);
        rc = write_doc(c, path, 1);
    }
    if (!rc) rc = write_csv(c);
    return rc;
}
