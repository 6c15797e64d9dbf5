/* valuespace projective compare RUN... --out DIR: runs of one bank side by side. A RUN is one
 * journal, or the shard journals of one run joined by commas (merged as `projective merge` does);
 * each RUN is one column, labelled by its model id (and, where several runs share a model id, by
 * the settings that tell them apart). Differences between columns get percentile bootstrap
 * intervals from the runs' own resamples (the accumulators behind their intervals), paired by
 * replicate: with one seed the replicate weights of an item are the same in every run (paired
 * over items), with different seeds independent; both are resamples of the difference. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "projective_compare.h"

static const char compare_usage[] =
    "usage: valuespace projective compare RUN... --out DIR [--json]\n\n"
    "Compares runs of one bank: a table of runs x dimensions (score, 95% interval, coverage), the\n"
    "difference of every pair of runs per dimension with its bootstrap interval, a figure, and a\n"
    "report in DIR: report.html, report.md, report.json (with the command line and the SHA-256 of\n"
    "every journal), scores.csv, differences.csv, projective_scores.png/.svg (built with cairo).\n"
    "  RUN        a journal, or the shard journals of one run joined by commas (a0.jsonl,a1.jsonl);\n"
    "             each RUN is one column, labelled by its model id (and its judge or seed where\n"
    "             runs share a model id)\n"
    "  --out DIR  the report directory (created if needed)\n"
    "  --json     print report.json on stdout\n"
    "Exit status: 0 done; 1 a journal that cannot be read or merged, runs of different banks or\n"
    "bootstrap replicates, a sharded run without all its shards; 2 usage error (no run, a journal\n"
    "given twice).\n";

static const char prog[] = "valuespace projective compare";

const char *pc_header(const pc_run *r, const char *field) {
    const char *v = vs_runner_journal_header_field(r->hdr, field);
    return v ? v : "";
}

vs_runner_score pc_score(const pc *c, size_t r, size_t d) {
    vs_runner_score s = VS_RUNNER_SCORE_INIT;
    vs_runner_result_score(&s, c->runs[r].res, d);
    return s;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* type-7 quantile of sorted x[0..m), as the library's intervals */
static double quantile7(const double *x, size_t m, double q) {
    double h = q * (double)(m - 1);
    size_t i = (size_t)floor(h);
    return i >= m - 1 ? x[m - 1] : x[i] + (h - (double)i) * (x[i + 1] - x[i]);
}

int pc_paired(const pc *c, size_t a, size_t b) {
    return strcmp(pc_header(&c->runs[a], "seed"), pc_header(&c->runs[b], "seed")) == 0;
}

pc_diff pc_difference(const pc *c, size_t a, size_t b, size_t d) {
    pc_diff o = {NAN, NAN, NAN, 0};
    vs_runner_score sa = pc_score(c, a, d), sb = pc_score(c, b, d);
    if (sa.n_related == 0 || sb.n_related == 0) return o;
    o.diff = sa.score - sb.score;
    double *x = malloc((c->B ? c->B : 1) * sizeof *x);
    if (!x) return o; /* no interval rather than a wrong one */
    size_t m = 0;
    const double *ra = c->runs[a].reps + d * c->B, *rb = c->runs[b].reps + d * c->B;
    for (size_t r = 0; r < c->B; r++)
        if (!isnan(ra[r]) && !isnan(rb[r])) x[m++] = ra[r] - rb[r];
    if (m >= 2) {
        qsort(x, m, sizeof *x, cmp_double);
        o.lo = quantile7(x, m, 0.025);
        o.hi = quantile7(x, m, 0.975);
        o.excludes_zero = o.lo > 0 || o.hi < 0;
    }
    free(x);
    return o;
}

/* Splits RUN specs into runs of paths; a path given twice is a usage error. */
static int parse_runs(pc *c, char **specs, size_t ns) {
    c->runs = calloc(ns, sizeof *c->runs);
    if (!c->runs) return cli_fail("projective compare", VS_ENOMEM);
    struct stat *seen = calloc(1, sizeof *seen);
    size_t nseen = 0, *owner = NULL;
    for (size_t i = 0; i < ns; i++) {
        pc_run *r = &c->runs[c->nr++];
        size_t n = 1;
        for (const char *s = specs[i]; *s; s++) n += *s == ',';
        r->paths = calloc(n, sizeof *r->paths);
        struct stat *grown = realloc(seen, (nseen + n) * sizeof *seen);
        size_t *own = realloc(owner, (nseen + n) * sizeof *owner);
        if (grown) seen = grown;
        if (own) owner = own;
        if (!r->paths || !grown || !own) {
            free(seen);
            free(owner);
            return cli_fail("projective compare", VS_ENOMEM);
        }
        for (char *tok = specs[i], *next; tok; tok = next) {
            next = strchr(tok, ',');
            if (next) *next++ = '\0';
            if (!*tok) {
                free(seen);
                free(owner);
                return cli_usage_error(prog, "run %zu has an empty journal name; join the shard journals of one "
                                             "run with single commas, as a0.jsonl,a1.jsonl", i + 1);
            }
            struct stat st;
            if (stat(tok, &st) != 0) {
                fprintf(stderr, "%s: cannot read %s: %s\n", prog, tok, strerror(errno));
                free(seen);
                free(owner);
                return 1;
            }
            for (size_t k = 0; k < nseen; k++)
                if (seen[k].st_dev == st.st_dev && seen[k].st_ino == st.st_ino) {
                    int rc = cli_usage_error(prog, "%s is given twice (run %zu and run %zu); give each journal once",
                                             tok, owner[k] + 1, i + 1);
                    free(seen);
                    free(owner);
                    return rc;
                }
            seen[nseen] = st;
            owner[nseen++] = i;
            r->paths[r->np++] = tok;
        }
    }
    free(seen);
    free(owner);
    return 0;
}

/* A run must hold every shard of its sharding: one shard alone would be scored as if it were the
 * whole run. (Two journals of one shard are refused by the merge.) */
static int check_shards(size_t i, const pc_run *r) {
    unsigned long n = 0, seen = 0;
    for (size_t p = 0; p < r->np; p++) {
        char *shard = NULL;
        unsigned long k, m;
        int rc = vs_runner_journal_field(&shard, r->paths[p], "shard");
        if (rc != VS_OK) return cli_fail(r->paths[p], rc);
        int ok = sscanf(shard, "%lu/%lu", &k, &m) == 2;
        vs_free(shard);
        if (!ok) {
            fprintf(stderr, "%s: %s: the header's shard is not k/N\n", prog, r->paths[p]);
            return 1;
        }
        if (p == 0) n = m;
        seen += m == n; /* a different N is the merge's error, with its message */
    }
    if (n > r->np && seen == r->np) {
        fprintf(stderr, "%s: run %zu has %zu of the %lu shards of its run (%s%s); give all its shard journals joined "
                "by commas, as a0.jsonl,a1.jsonl\n", prog, i + 1, r->np, n, r->paths[0], r->np > 1 ? ", ..." : "");
        return 1;
    }
    return 0;
}

/* Reads and merges each run, and checks that the runs can be compared. */
static int load_runs(pc *c) {
    for (size_t i = 0; i < c->nr; i++) {
        pc_run *r = &c->runs[i];
        int rc = vs_runner_journal_header_read(&r->hdr, r->paths[0]);
        if (rc != VS_OK) return cli_fail(r->paths[0], rc);
        rc = vs_runner_merge_journals(&r->res, r->paths, r->np);
        if (rc != VS_OK) {
            fprintf(stderr, "%s: run %zu (%s%s): ", prog, i + 1, r->paths[0], r->np > 1 ? ", ..." : "");
            return cli_fail("merge", rc);
        }
        if (check_shards(i, r) != 0) return 1;
        const pc_run *f = &c->runs[0];
        if (strcmp(pc_header(r, "bank_hash"), pc_header(f, "bank_hash")) != 0) {
            fprintf(stderr, "%s: run %zu (%s) used bank '%s' (hash %s) and run 1 (%s) bank '%s' (hash %s); "
                    "compare runs of one bank\n", prog, i + 1, r->paths[0], pc_header(r, "bank"),
                    pc_header(r, "bank_hash"), f->paths[0], pc_header(f, "bank"), pc_header(f, "bank_hash"));
            return 1;
        }
        size_t nd = vs_runner_result_dimension_count(r->res);
        if (i == 0) c->nd = nd;
        for (size_t d = 0; d < nd && nd == c->nd; d++)
            if (strcmp(vs_runner_result_dimension_key(r->res, d), vs_runner_result_dimension_key(f->res, d)) != 0)
                nd = 0;
        if (nd != c->nd) { /* one bank hash reports one set of dimensions; refuse rather than misalign */
            fprintf(stderr, "%s: run %zu (%s) reports other dimensions than run 1; compare runs of one bank\n", prog,
                    i + 1, r->paths[0]);
            return 1;
        }
        const vs_accum *acc = vs_runner_result_accum(r->res);
        r->B = vs_accum_replicate_count(acc);
        if (i == 0) c->B = r->B;
        if (r->B != c->B) {
            fprintf(stderr, "%s: run %zu (%s) has %zu bootstrap replicates and run 1 %zu; the difference intervals "
                    "pair the replicates, so run them with the same --replicates\n", prog, i + 1, r->paths[0], r->B,
                    c->B);
            return 1;
        }
        r->reps = malloc((c->nd * c->B > 0 ? c->nd * c->B : 1) * sizeof *r->reps);
        if (!r->reps) return cli_fail("projective compare", VS_ENOMEM);
        for (size_t d = 0; d < c->nd && c->B; d++) {
            size_t need;
            rc = vs_accum_replicate_means(&need, acc, d, r->reps + d * c->B, c->B);
            if (rc != VS_OK) return cli_fail("replicates", rc);
            for (size_t b = 0; b < c->B; b++) r->reps[d * c->B + b] *= 100.0; /* on the scores' scale */
        }
    }
    return 0;
}

/* Column labels: the model id; where runs share it, the settings in which they differ; a label
 * that is still not unique (the same model and settings) gets its run number. */
static void label_runs(pc *c) {
    static const char *const fields[] = {"judge", "seed", "bank_ref"};
    for (size_t i = 0; i < c->nr; i++) {
        pc_run *r = &c->runs[i];
        const char *model = pc_header(r, "model");
        size_t len = (size_t)snprintf(r->label, sizeof r->label, "%s", model), shown = 0;
        for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
            int differs = 0;
            for (size_t j = 0; j < c->nr; j++)
                differs |= strcmp(pc_header(&c->runs[j], "model"), model) == 0 &&
                           strcmp(pc_header(&c->runs[j], fields[f]), pc_header(r, fields[f])) != 0;
            if (differs && len < sizeof r->label)
                len += (size_t)snprintf(r->label + len, sizeof r->label - len, "%s%s=%s", shown++ ? ", " : " (",
                                        fields[f], pc_header(r, fields[f]));
        }
        if (shown && len < sizeof r->label) len += (size_t)snprintf(r->label + len, sizeof r->label - len, ")");
    }
    int dup[512] = {0};
    for (size_t i = 0; i < c->nr && i < 512; i++)
        for (size_t j = 0; j < c->nr; j++) dup[i] |= j != i && strcmp(c->runs[i].label, c->runs[j].label) == 0;
    for (size_t i = 0; i < c->nr && i < 512; i++)
        if (dup[i]) {
            size_t len = strlen(c->runs[i].label);
            snprintf(c->runs[i].label + len, sizeof c->runs[i].label - len, " [run %zu]", i + 1);
        }
}

static void print_table(const pc *c) {
    printf("%-24s", "dimension");
    for (size_t r = 0; r < c->nr; r++) printf("  %-30.30s", c->runs[r].label);
    printf("\n");
    for (size_t d = 0; d < c->nd; d++) {
        printf("%-24s", vs_runner_result_dimension_key(c->runs[0].res, d));
        for (size_t r = 0; r < c->nr; r++) {
            vs_runner_score s = pc_score(c, r, d);
            char cell[64];
            if (s.n_related == 0) snprintf(cell, sizeof cell, "n/a (0 of %llu related)", (unsigned long long)s.n);
            else if (isnan(s.ci_low)) snprintf(cell, sizeof cell, "%.1f cov %.2f", s.score, s.coverage);
            else snprintf(cell, sizeof cell, "%.1f [%.1f, %.1f] cov %.2f", s.score, s.ci_low, s.ci_high, s.coverage);
            printf("  %-30s", cell);
        }
        printf("\n");
    }
}

static void free_runs(pc *c) {
    for (size_t i = 0; i < c->nr; i++) {
        vs_runner_result_free(c->runs[i].res);
        vs_runner_journal_header_free(c->runs[i].hdr);
        free(c->runs[i].paths);
        free(c->runs[i].reps);
    }
    free(c->runs);
}

static void free_specs(char **specs, size_t n) {
    for (size_t i = 0; i < n; i++) free(specs[i]);
    free(specs);
}

int projective_compare(int argc, char **argv) {
    pc c;
    memset(&c, 0, sizeof c);
    int json = 0;
    char **specs = calloc((size_t)argc + 1, sizeof *specs);
    size_t ns = 0;
    if (!specs) return cli_fail("projective compare", VS_ENOMEM);
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(compare_usage, stdout);
            free_specs(specs, ns);
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--out") == 0) {
            if (i + 1 >= argc) {
                free_specs(specs, ns);
                return cli_usage_error(prog, "--out needs a directory");
            }
            c.out_dir = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            free_specs(specs, ns);
            return cli_unknown_option(prog, argv[i], compare_usage);
        } else if (!(specs[ns] = strdup(argv[i]))) { /* split in place; the command line stays as typed */
            free_specs(specs, ns);
            return cli_fail("projective compare", VS_ENOMEM);
        } else {
            ns++;
        }
    }
    int st = 0;
    if (ns > 512) st = cli_usage_error(prog, "%zu runs are more than one comparison shows (512)", ns);
    else if (ns == 0) st = cli_usage_error(prog, "no run to compare; give one or more journals (shards of one run joined "
                                            "by commas)");
    else if (!c.out_dir) st = cli_usage_error(prog, "--out DIR is required (the report directory)");
    if (!st) st = parse_runs(&c, specs, ns);
    if (!st) st = load_runs(&c);
    if (!st && mkdir(c.out_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "%s: cannot create %s: %s\n", prog, c.out_dir, strerror(errno));
        st = 1;
    }
    if (!st) {
        cli_utc_now(c.created_utc);
        label_runs(&c);
        if (!json) print_table(&c);
        st = pc_write_report(&c);
    }
    if (!st && json) {
        char path[4096];
        snprintf(path, sizeof path, "%s/report.json", c.out_dir);
        FILE *f = fopen(path, "r");
        char buf[8192];
        size_t n;
        while (f && (n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
        if (f) fclose(f);
        else st = 1;
    } else if (!st)
        printf("\nreport written to %s/ (report.html, report.md, report.json, scores.csv, differences.csv%s)\n",
               c.out_dir, c.have_figure ? ", the figure" : "");
    free_runs(&c);
    free_specs(specs, ns);
    return st;
}
