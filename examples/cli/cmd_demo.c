/* valuespace demo: the main job end to end on the shipped FULCRA split.
 *   FULCRA JSONL -> seeded 5-fold cross-validation of the built-in evaluator with majority
 *   baselines -> the evaluator trained on everything and saved -> value profiles of the five
 *   LLMs with bootstrap confidence intervals, from the human labels and from the evaluator's
 *   out-of-fold predictions -> BaseAlign distance of each profile to each built-in target ->
 *   a report in a folder: report.json written here, the figures by demo_figures.c, report.md,
 *   report.html and the CSVs by demo_report.c. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "demo.h"


static const char demo_usage[] =
    "usage: valuespace demo [--data FILE] [--out DIR] [--folds K] [--seed S] [--threads N]\n"
    "                       [--replicates B]\n\n"
    "The main job on the FULCRA public split: K-fold cross-validation of the built-in evaluator\n"
    "(accuracy and macro-F1 per value beside the majority-class baseline), the evaluator trained on\n"
    "every record and saved, value profiles of each LLM with bootstrap confidence intervals (from the\n"
    "human labels and from the evaluator's out-of-fold predictions), the BaseAlign distance of each\n"
    "profile to every built-in target with a ranking, and a report in DIR: report.html (self-contained,\n"
    "figures inline), report.md, report.json (with the command line, seeds, options and the SHA-256 of\n"
    "the data), one CSV per table, the figures as PNG and SVG (when built with cairo), model.vsev.\n"
    "Part 2, when built with the ngram backend: the valuelex bank on the CMU trigram model under\n"
    "three model settings (loglik judge, one repeat, about a second), compared by `projective\n"
    "compare` into DIR/projective/ (a trigram model shows the machinery, not values).\n"
    "  --data FILE       default: the shipped split, share/valuespace/fulcra/trustworthy_data.jsonl\n"
    "                    beside the installed tool (or examples/data/fulcra/ of the source tree)\n"
    "  --out DIR         default valuespace-demo (created if needed)\n"
    "  --folds K         default 5\n"
    "  --seed S          seed of the folds and the bootstrap (default 1)\n"
    "  --threads N       training threads (results do not depend on it; default: the CPUs, at most 4)\n"
    "  --replicates B    bootstrap resamples per profile (default 2000)\n";

#define DEMO_DATA "fulcra/trustworthy_data.jsonl" /* under the shipped data directory */
const double demo_thresholds[2] = {VS_BASEALIGN_THRESHOLD, 0.0};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

const char *demo_key(const demo *d, size_t t) {
    return vs_space_key(d->space, vs_space_level_offset(d->space, vs_dataset_label_level(d->ds, VS_DATASET_TYPES)) + t);
}
const char *demo_label(const demo *d, size_t t) {
    return vs_space_label(d->space, vs_space_level_offset(d->space, vs_dataset_label_level(d->ds, VS_DATASET_TYPES)) + t);
}

static int load(demo *d) {
    int rc = vs_dataset_load_fulcra(&d->ds, d->data_path, 0);
    if (rc != VS_OK) return cli_fail(d->data_path, rc);
    d->n = vs_dataset_count(d->ds);
    d->k = vs_dataset_label_dimension_count(d->ds, VS_DATASET_TYPES);
    d->space = vs_dataset_label_space(d->ds, VS_DATASET_TYPES);
    size_t n = d->n, need;
    d->prompts = malloc(n * sizeof *d->prompts);
    d->responses = malloc(n * sizeof *d->responses);
    d->labels = malloc(n * d->k * sizeof *d->labels);
    d->oof = malloc(n * d->k * sizeof *d->oof);
    d->groups = malloc(n * sizeof *d->groups);
    if (!d->prompts || !d->responses || !d->labels || !d->oof || !d->groups) return cli_fail("demo", VS_ENOMEM);
    rc = vs_dataset_strings(&need, d->ds, VS_DATASET_FIELD_PROMPT, d->prompts, n);
    if (rc == VS_OK) rc = vs_dataset_strings(&need, d->ds, VS_DATASET_FIELD_RESPONSE, d->responses, n);
    if (rc == VS_OK) rc = vs_dataset_label_matrix(&need, d->ds, VS_DATASET_TYPES, d->labels, n * d->k);
    if (rc == VS_OK) rc = vs_dataset_source_indices(&need, d->ds, d->groups, n);
    if (rc != VS_OK) return cli_fail("demo", rc);
    printf("== data: %s\n%zu records from %zu lines; %zu labels or lines skipped by the lenient reader:\n",
           d->data_path, n, vs_dataset_line_count(d->ds), cli_dataset_skipped(d->ds));
    for (uint32_t r = 1; r < VS_DATASET_SKIP_REASON_END; r++)
        if (vs_dataset_skip_count(d->ds, r))
            printf("  %-16s %zu\n", vs_dataset_skip_reason_name(r), vs_dataset_skip_count(d->ds, r));
    printf("responses per model:\n");
    for (size_t s = 0; s < vs_dataset_source_count(d->ds); s++)
        printf("  %5zu  %s\n", vs_dataset_source_record_count(d->ds, s), vs_dataset_source_name(d->ds, s));
    return 0;
}

static int cross_validate(demo *d) {
    vs_evaluator *ev = NULL;
    int rc = vs_evaluator_create(&ev, d->space, vs_dataset_label_level(d->ds, VS_DATASET_TYPES));
    if (rc == VS_OK) rc = vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_THREADS, (int64_t)d->threads);
    double t0 = now();
    if (rc == VS_OK)
        rc = vs_evaluator_cv_run(&d->cv, ev, d->prompts, d->responses, d->labels, d->groups, d->n, d->folds,
                                 (uint64_t)d->seed);
    d->seconds_cv = now() - t0;
    size_t need;
    if (rc == VS_OK) rc = vs_evaluator_cv_get(&need, d->cv, VS_EVALUATOR_CV_VALUES, d->oof, d->n * d->k);
    if (rc != VS_OK) {
        vs_evaluator_free(ev);
        return cli_fail("cross-validation", rc);
    }
    printf("\n== %zu-fold cross-validation of the built-in evaluator (seed %zu, stratified by model): %.1f s\n",
           d->folds, d->seed, d->seconds_cv);
    printf("%-16s %6s %6s  %8s %8s  %8s %8s\n", "value", "n_pos", "n_neg", "accuracy", "macroF1", "base_acc", "base_F1");
    for (size_t t = 0; t < d->k; t++) {
        vs_evaluator_metrics m = VS_EVALUATOR_METRICS_INIT;
        if (vs_evaluator_cv_metrics(&m, d->cv, t, VS_NPOS) != VS_OK) continue;
        printf("%-16s %6zu %6zu  %8.3f %8.3f  %8.3f %8.3f\n", demo_label(d, t), m.n_pos, m.n_neg, m.accuracy,
               m.macro_f1, m.baseline_accuracy, m.baseline_macro_f1);
    }
    /* the evaluator on every record, saved beside the report */
    char path[4096];
    snprintf(path, sizeof path, "%s/model.vsev", d->out_dir);
    t0 = now();
    rc = vs_evaluator_train(ev, d->prompts, d->responses, d->labels, d->n);
    d->seconds_train = now() - t0;
    if (rc == VS_OK) rc = vs_evaluator_save(ev, path);
    d->active = vs_evaluator_active_bucket_count(ev);
    vs_evaluator_free(ev);
    if (rc != VS_OK) return cli_fail("training", rc);
    printf("\n== the evaluator trained on all %zu records in %.1f s (%zu active buckets): %s\n", d->n,
           d->seconds_train, d->active, path);
    return 0;
}

/* FULCRA's alignment of group g in q: mean per-response reward, interval, rank, coverage. */
reward demo_reward(const vs_evaluator_profile *q, size_t g) {
    reward r;
    vs_evaluator_profile_scalar(&r.mean, q, g, VS_EVALUATOR_PROFILE_REWARD);
    vs_evaluator_profile_scalar(&r.lo, q, g, VS_EVALUATOR_PROFILE_REWARD_CI_LOW);
    vs_evaluator_profile_scalar(&r.hi, q, g, VS_EVALUATOR_PROFILE_REWARD_CI_HIGH);
    vs_evaluator_profile_scalar(&r.rank, q, g, VS_EVALUATOR_PROFILE_REWARD_RANK);
    vs_evaluator_profile_scalar(&r.coverage, q, g, VS_EVALUATOR_PROFILE_COVERAGE);
    return r;
}

static int profiles(demo *d) {
    d->n_targets = vs_align_target_count();
    if (d->n_targets > 8) d->n_targets = 8;
    for (size_t t = 0; t < d->n_targets; t++) {
        int rc = vs_align_target(&d->targets[t], vs_align_target_name(t));
        for (int src = 0; rc == VS_OK && src < 2; src++)
            for (int th = 0; rc == VS_OK && th < 2; th++)
                rc = vs_evaluator_profile_compute(&d->prof[src][th][t], src ? d->oof : d->labels, d->n, d->k,
                                                  d->groups, d->targets[t], demo_thresholds[th], d->replicates,
                                                  CONFIDENCE, (uint64_t)d->seed);
        if (rc != VS_OK) return cli_fail("profiles", rc);
    }
    static const char *const what[2] = {"human labels", "evaluator, out-of-fold predictions"};
    for (int src = 0; src < 2; src++) {
        const vs_evaluator_profile *p = d->prof[src][0][0];
        printf("\n== value profiles from the %s: mean [95%% bootstrap interval], %zu resamples\n", what[src],
               d->replicates);
        printf("%-16s", "value");
        for (size_t g = 0; g < vs_evaluator_profile_group_count(p); g++)
            printf(" %22.22s", vs_dataset_source_name(d->ds, vs_evaluator_profile_group_id(p, g)));
        printf("\n");
        double m[16], lo[16], hi[16];
        size_t need;
        for (size_t t = 0; t < d->k && d->k <= 16; t++) {
            printf("%-16s", demo_label(d, t));
            for (size_t g = 0; g < vs_evaluator_profile_group_count(p); g++) {
                vs_evaluator_profile_get(&need, p, g, VS_EVALUATOR_PROFILE_MEAN, m, 16);
                vs_evaluator_profile_get(&need, p, g, VS_EVALUATOR_PROFILE_CI_LOW, lo, 16);
                vs_evaluator_profile_get(&need, p, g, VS_EVALUATOR_PROFILE_CI_HIGH, hi, 16);
                printf("   %+.2f [%+.2f, %+.2f]", m[t], lo[t], hi[t]);
            }
            printf("\n");
        }
        printf("FULCRA alignment: mean per-response BaseAlign reward [95%% interval] #rank, mask |score| > %g on\n"
               "each response (rank 1 = highest reward; cov = share of responses with a value past the mask):\n",
               demo_thresholds[0]);
        for (size_t t = 0; t < d->n_targets; t++) {
            printf("  %-14s", vs_align_target_name(t));
            const vs_evaluator_profile *q = d->prof[src][0][t];
            for (size_t g = 0; g < vs_evaluator_profile_group_count(q); g++) {
                reward r = demo_reward(q, g);
                printf("   %+.3f [%+.2f,%+.2f] #%.0f cov %.2f", r.mean, r.lo, r.hi, r.rank, r.coverage);
            }
            printf("\n");
        }
        for (int th = 0; th < 2; th++) {
            printf("Secondary view: BaseAlign distance of the mean vector, mask |mean| > %g (rank 1 = closest;\n"
                   "n/a = no value of the mean past the mask):\n",
                   demo_thresholds[th]);
            for (size_t t = 0; t < d->n_targets; t++) {
                printf("  %-14s", vs_align_target_name(t));
                const vs_evaluator_profile *q = d->prof[src][th][t];
                for (size_t g = 0; g < vs_evaluator_profile_group_count(q); g++) {
                    double dist, rank;
                    vs_evaluator_profile_scalar(&dist, q, g, VS_EVALUATOR_PROFILE_DISTANCE);
                    vs_evaluator_profile_scalar(&rank, q, g, VS_EVALUATOR_PROFILE_RANK);
                    if (isnan(dist)) printf("   %22s", "n/a");
                    else printf("   %14.3f (#%.0f)", dist, rank);
                }
                printf("\n");
            }
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- the report */

static void json_numbers(cli_json *j, const double *x, size_t n) {
    cli_json_begin_array(j);
    for (size_t i = 0; i < n; i++) cli_json_number(j, x[i]);
    cli_json_end_array(j);
}

static void json_profiles(cli_json *j, const demo *d, int src) {
    const vs_evaluator_profile *p = d->prof[src][0][0];
    double buf[3][64];
    size_t need, k = d->k < 64 ? d->k : 64;
    cli_json_begin_array(j);
    for (size_t g = 0; g < vs_evaluator_profile_group_count(p); g++) {
        vs_evaluator_profile_get(&need, p, g, VS_EVALUATOR_PROFILE_MEAN, buf[0], 64);
        vs_evaluator_profile_get(&need, p, g, VS_EVALUATOR_PROFILE_CI_LOW, buf[1], 64);
        vs_evaluator_profile_get(&need, p, g, VS_EVALUATOR_PROFILE_CI_HIGH, buf[2], 64);
        cli_json_begin_object(j);
        cli_json_key(j, "source");
        cli_json_string(j, vs_dataset_source_name(d->ds, vs_evaluator_profile_group_id(p, g)));
        cli_json_key(j, "n");
        cli_json_int(j, (long long)vs_evaluator_profile_group_item_count(p, g));
        cli_json_key(j, "mean");
        json_numbers(j, buf[0], k);
        cli_json_key(j, "ci_low");
        json_numbers(j, buf[1], k);
        cli_json_key(j, "ci_high");
        json_numbers(j, buf[2], k);
        cli_json_key(j, "basealign");
        cli_json_begin_object(j);
        for (size_t t = 0; t < d->n_targets; t++) {
            double v[4];
            static const int stat[4] = {VS_EVALUATOR_PROFILE_DISTANCE, VS_EVALUATOR_PROFILE_DISTANCE_CI_LOW,
                                        VS_EVALUATOR_PROFILE_DISTANCE_CI_HIGH, VS_EVALUATOR_PROFILE_RANK};
            static const char *const name[4] = {"distance", "ci_low", "ci_high", "rank"};
            cli_json_key(j, vs_align_target_name(t));
            cli_json_begin_object(j);
            for (int th = 0; th < 2; th++) {
                if (th) {
                    cli_json_key(j, "unmasked");
                    cli_json_begin_object(j);
                }
                for (int s = 0; s < 4; s++) {
                    vs_evaluator_profile_scalar(&v[s], d->prof[src][th][t], g, stat[s]);
                    cli_json_key(j, name[s]); /* null: no value of the mean past the mask */
                    cli_json_number(j, v[s]);
                }
                if (th) cli_json_end_object(j);
            }
            reward r = demo_reward(d->prof[src][0][t], g);
            const double rv[5] = {r.mean, r.lo, r.hi, r.rank, r.coverage};
            static const char *const rname[5] = {"mean", "ci_low", "ci_high", "rank", "coverage"};
            cli_json_key(j, "reward"); /* FULCRA's: the mean per-response reward */
            cli_json_begin_object(j);
            for (int s = 0; s < 5; s++) {
                cli_json_key(j, rname[s]);
                cli_json_number(j, rv[s]);
            }
            cli_json_end_object(j);
            cli_json_end_object(j);
        }
        cli_json_end_object(j);
        cli_json_end_object(j);
    }
    cli_json_end_array(j);
}

static int write_json(const demo *d, const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "valuespace: demo: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    cli_json j;
    cli_json_init(&j, f);
    cli_json_begin_object(&j);
    const char *inputs[1] = {d->data_path};
    if (cli_report_provenance(&j, "valuespace/demo-report", 1, d->created_utc, inputs, 1) != 0) {
        fclose(f);
        return 1;
    }
    cli_json_key(&j, "options"); /* every option, defaults included */
    cli_json_begin_object(&j);
    cli_json_key(&j, "data");
    cli_json_string(&j, d->data_path);
    cli_json_key(&j, "out");
    cli_json_string(&j, d->out_dir);
    cli_json_key(&j, "folds");
    cli_json_int(&j, (long long)d->folds);
    cli_json_key(&j, "seed");
    cli_json_int(&j, (long long)d->seed);
    cli_json_key(&j, "threads");
    cli_json_int(&j, (long long)d->threads);
    cli_json_key(&j, "replicates");
    cli_json_int(&j, (long long)d->replicates);
    cli_json_key(&j, "confidence");
    cli_json_number(&j, CONFIDENCE);
    cli_json_key(&j, "thresholds");
    json_numbers(&j, demo_thresholds, 2);
    cli_json_end_object(&j);
    cli_json_key(&j, "seeds");
    cli_json_begin_object(&j);
    cli_json_key(&j, "folds");
    cli_json_int(&j, (long long)d->seed);
    cli_json_key(&j, "bootstrap");
    cli_json_int(&j, (long long)d->seed);
    cli_json_end_object(&j);
    cli_json_key(&j, "data");
    cli_json_begin_object(&j);
    cli_json_key(&j, "file");
    cli_json_string(&j, d->data_path);
    cli_json_key(&j, "records");
    cli_json_int(&j, (long long)d->n);
    cli_json_key(&j, "skipped");
    cli_json_int(&j, (long long)cli_dataset_skipped(d->ds));
    cli_json_key(&j, "sources");
    cli_json_begin_array(&j);
    for (size_t s = 0; s < vs_dataset_source_count(d->ds); s++) {
        cli_json_begin_object(&j);
        cli_json_key(&j, "source");
        cli_json_string(&j, vs_dataset_source_name(d->ds, s));
        cli_json_key(&j, "n");
        cli_json_int(&j, (long long)vs_dataset_source_record_count(d->ds, s));
        cli_json_end_object(&j);
    }
    cli_json_end_array(&j);
    cli_json_end_object(&j);
    cli_json_key(&j, "keys");
    cli_json_begin_array(&j);
    for (size_t t = 0; t < d->k; t++) cli_json_string(&j, demo_key(d, t));
    cli_json_end_array(&j);
    cli_json_key(&j, "cv");
    cli_json_begin_object(&j);
    cli_json_key(&j, "folds");
    cli_json_int(&j, (long long)d->folds);
    cli_json_key(&j, "seed");
    cli_json_int(&j, (long long)d->seed);
    cli_json_key(&j, "seconds");
    cli_json_number(&j, d->seconds_cv);
    cli_json_key(&j, "dimensions");
    cli_json_begin_array(&j);
    for (size_t t = 0; t < d->k; t++) {
        vs_evaluator_metrics m = VS_EVALUATOR_METRICS_INIT;
        if (vs_evaluator_cv_metrics(&m, d->cv, t, VS_NPOS) != VS_OK) continue;
        cli_json_begin_object(&j);
        cli_json_key(&j, "key");
        cli_json_string(&j, demo_key(d, t));
        cli_json_key(&j, "n_pos");
        cli_json_int(&j, (long long)m.n_pos);
        cli_json_key(&j, "n_neg");
        cli_json_int(&j, (long long)m.n_neg);
        cli_json_key(&j, "accuracy");
        cli_json_number(&j, m.accuracy);
        cli_json_key(&j, "macro_f1");
        cli_json_number(&j, m.macro_f1);
        cli_json_key(&j, "baseline_accuracy");
        cli_json_number(&j, m.baseline_accuracy);
        cli_json_key(&j, "baseline_macro_f1");
        cli_json_number(&j, m.baseline_macro_f1);
        cli_json_end_object(&j);
    }
    cli_json_end_array(&j);
    cli_json_end_object(&j);
    cli_json_key(&j, "bootstrap");
    cli_json_begin_object(&j);
    cli_json_key(&j, "replicates");
    cli_json_int(&j, (long long)d->replicates);
    cli_json_key(&j, "confidence");
    cli_json_number(&j, CONFIDENCE);
    cli_json_key(&j, "seed");
    cli_json_int(&j, (long long)d->seed);
    cli_json_end_object(&j);
    size_t order[64];
    cli_json_key(&j, "circle_order"); /* the order of the values in the figures */
    cli_json_begin_array(&j);
    if (d->k <= 64) {
        demo_circle_order(d, order);
        for (size_t t = 0; t < d->k; t++) cli_json_string(&j, demo_key(d, order[t]));
    }
    cli_json_end_array(&j);
    cli_json_key(&j, "figures"); /* DIR/NAME.svg and DIR/NAME.png; empty without cairo */
    cli_json_begin_array(&j);
    for (size_t i = 0; i < d->n_figures; i++) {
        cli_json_begin_object(&j);
        cli_json_key(&j, "name");
        cli_json_string(&j, d->figures[i].name);
        cli_json_key(&j, "caption");
        cli_json_string(&j, d->figures[i].caption);
        cli_json_end_object(&j);
    }
    cli_json_end_array(&j);
    cli_json_key(&j, "profiles_labels");
    json_profiles(&j, d, 0);
    cli_json_key(&j, "profiles_predicted");
    json_profiles(&j, d, 1);
    if (demo_compare_json(&j, d) != 0) {
        fclose(f);
        return 1;
    }
    cli_json_key(&j, "seconds");
    cli_json_number(&j, d->seconds_total);
    cli_json_end_object(&j);
    cli_json_finish(&j);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "valuespace: demo: error writing %s\n", path);
        return 1;
    }
    return 0;
}

static void demo_free(demo *d) {
    vs_evaluator_cv_free(d->cv);
    for (size_t t = 0; t < 8; t++) {
        vs_vector_free(d->targets[t]);
        for (int src = 0; src < 2; src++)
            for (int th = 0; th < 2; th++) vs_evaluator_profile_free(d->prof[src][th][t]);
    }
    free(d->prompts);
    free(d->responses);
    free(d->labels);
    free(d->oof);
    free(d->groups);
    vs_dataset_free(d->ds);
}

int cmd_demo(int argc, char **argv) {
    const char *prog = "valuespace demo";
    demo d;
    memset(&d, 0, sizeof d);
    d.data_path = NULL;
    d.out_dir = "valuespace-demo";
    d.folds = 5;
    d.seed = 1;
    d.replicates = 2000;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    d.threads = cpus < 1 ? 1 : cpus > 4 ? 4 : (size_t)cpus;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        size_t *num = NULL;
        if (cli_is_help(a)) {
            fputs(demo_usage, stdout);
            return 0;
        } else if (strcmp(a, "--data") == 0 || strcmp(a, "--out") == 0) {
            if (i + 1 >= argc) return cli_usage_error(prog, "%s needs a value", a);
            *(a[2] == 'd' ? &d.data_path : &d.out_dir) = argv[++i];
            continue;
        } else if (strcmp(a, "--folds") == 0) num = &d.folds;
        else if (strcmp(a, "--seed") == 0) num = &d.seed;
        else if (strcmp(a, "--threads") == 0) num = &d.threads;
        else if (strcmp(a, "--replicates") == 0) num = &d.replicates;
        else return cli_usage_error(prog, "unexpected argument '%s'", a);
        if (i + 1 >= argc || cli_parse_size(argv[++i], num) != 0) return cli_usage_error(prog, "%s needs a number", a);
    }
    char found[4096];
    if (!d.data_path) {
        char tried[8192];
        if (cli_find_data(DEMO_DATA, found, sizeof found, tried, sizeof tried) != 0) {
            fprintf(stderr, "valuespace demo: the FULCRA split %s is not installed (looked at %s); "
                    "pass it with --data FILE\n", DEMO_DATA, tried);
            return 1;
        }
        d.data_path = found;
    }
    if (mkdir(d.out_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "valuespace: demo: cannot create %s: %s\n", d.out_dir, strerror(errno));
        return 1;
    }
    cli_utc_now(d.created_utc);
    double t0 = now();
    int status = load(&d);
    if (!status) status = cross_validate(&d);
    if (!status) status = profiles(&d);
    if (!status) status = demo_figures(&d);
    if (!status) status = demo_projective(&d);
    d.seconds_total = now() - t0;
    char path[4096];
    if (!status) {
        snprintf(path, sizeof path, "%s/report.json", d.out_dir);
        status = write_json(&d, path);
    }
    if (!status) {
        snprintf(path, sizeof path, "%s/report.md", d.out_dir);
        status = demo_write_markdown(&d, path);
    }
    if (!status) {
        snprintf(path, sizeof path, "%s/report.html", d.out_dir);
        status = demo_write_html(&d, path);
    }
    if (!status) status = demo_write_csv(&d);
    if (!status)
        printf("\nreport written to %s/ (report.html, report.md, report.json, a CSV per table%s, model.vsev) in %.1f s\n",
               d.out_dir, d.n_figures ? ", the figures" : "", d.seconds_total);
    demo_free(&d);
    return status;
}
