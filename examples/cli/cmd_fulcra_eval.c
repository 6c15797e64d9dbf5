/* valuespace fulcra cv | train | predict | profile: the evaluator side of the FULCRA commands
 * (the dispatcher and `fulcra check` are in cmd_fulcra.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd_fulcra.h"

/* ---------------------------------------------------------------- shared pieces */

void fulcra_data_free(fulcra_data *d) {
    vs_dataset_free(d->ds);
    free(d->ids);
    free(d->prompts);
    free(d->responses);
    free(d->sources);
    free(d->labels);
    free(d->groups);
    memset(d, 0, sizeof *d);
}

int fulcra_data_load(fulcra_data *d, const char *path, int strict, size_t set) {
    memset(d, 0, sizeof *d);
    int rc = vs_dataset_load_fulcra(&d->ds, path, strict ? VS_DATASET_STRICT : 0);
    if (rc != VS_OK) return cli_fail("reading the FULCRA file", rc);
    d->n = vs_dataset_count(d->ds);
    d->set = set;
    d->k = vs_dataset_label_dimension_count(d->ds, set);
    if (d->n == 0) {
        fprintf(stderr, "valuespace: %s: no records\n", path);
        fulcra_data_free(d);
        return 1;
    }
    size_t n = d->n, need;
    d->ids = malloc(n * sizeof *d->ids);
    d->prompts = malloc(n * sizeof *d->prompts);
    d->responses = malloc(n * sizeof *d->responses);
    d->sources = malloc(n * sizeof *d->sources);
    d->labels = malloc(n * d->k * sizeof *d->labels);
    d->groups = malloc(n * sizeof *d->groups);
    if (!d->ids || !d->prompts || !d->responses || !d->sources || !d->labels || !d->groups) rc = VS_ENOMEM;
    if (rc == VS_OK) rc = vs_dataset_strings(&need, d->ds, VS_DATASET_FIELD_ID, d->ids, n);
    if (rc == VS_OK) rc = vs_dataset_strings(&need, d->ds, VS_DATASET_FIELD_PROMPT, d->prompts, n);
    if (rc == VS_OK) rc = vs_dataset_strings(&need, d->ds, VS_DATASET_FIELD_RESPONSE, d->responses, n);
    if (rc == VS_OK) rc = vs_dataset_strings(&need, d->ds, VS_DATASET_FIELD_SOURCE, d->sources, n);
    if (rc == VS_OK) rc = vs_dataset_label_matrix(&need, d->ds, set, d->labels, n * d->k);
    if (rc == VS_OK) rc = vs_dataset_source_indices(&need, d->ds, d->groups, n);
    if (rc != VS_OK) {
        fulcra_data_free(d);
        return cli_fail("reading the FULCRA file", rc);
    }
    if (cli_dataset_skipped(d->ds) > 0)
        fprintf(stderr, "valuespace: %s: %zu labels or lines skipped (see 'valuespace fulcra check')\n", path,
                cli_dataset_skipped(d->ds));
    return 0;
}

const vs_space *fulcra_data_space(const fulcra_data *d) { return vs_dataset_label_space(d->ds, d->set); }
size_t fulcra_data_level(const fulcra_data *d) { return vs_dataset_label_level(d->ds, d->set); }

const char *fulcra_dim_key(const vs_space *sp, size_t level, size_t i) {
    return vs_space_key(sp, vs_space_level_offset(sp, level) + i);
}

int fulcra_parse_set(const char *s, size_t *out) {
    if (strcmp(s, "types") == 0) *out = VS_DATASET_TYPES;
    else if (strcmp(s, "items") == 0) *out = VS_DATASET_ITEMS;
    else return -1;
    return 0;
}

/* Options shared by cv and train: the built-in model's settings. */
typedef struct model_args {
    size_t buckets, ngram, threads, seed;
    double c;
    int response_only, have_buckets, have_ngram, have_threads, have_seed, have_c;
} model_args;

/* Consumes a model option at argv[*i]; 1 if it was one, 0 if not, -1 on a bad value. */
static int model_arg(model_args *m, int argc, char **argv, int *i) {
    const char *a = argv[*i];
    if (strcmp(a, "--response-only") == 0) {
        m->response_only = 1;
        return 1;
    }
    size_t *target = NULL;
    int *flag = NULL;
    if (strcmp(a, "--buckets") == 0) target = &m->buckets, flag = &m->have_buckets;
    else if (strcmp(a, "--ngram") == 0) target = &m->ngram, flag = &m->have_ngram;
    else if (strcmp(a, "--threads") == 0) target = &m->threads, flag = &m->have_threads;
    else if (strcmp(a, "--seed") == 0) target = &m->seed, flag = &m->have_seed;
    else if (strcmp(a, "--C") != 0) return 0;
    if (*i + 1 >= argc) return -1;
    ++*i;
    if (!target) {
        m->have_c = 1;
        return cli_parse_double(argv[*i], &m->c) == 0 ? 1 : -1;
    }
    *flag = 1;
    return cli_parse_size(argv[*i], target) == 0 ? 1 : -1;
}

/* Applies the options; `use_seed` says whether --seed is the feature-hash seed. */
static int model_apply(vs_evaluator *ev, const model_args *m, int use_seed) {
    int rc = VS_OK;
    if (m->have_buckets) rc = vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_BUCKETS, (int64_t)m->buckets);
    if (rc == VS_OK && m->have_ngram) rc = vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_MAX_NGRAM, (int64_t)m->ngram);
    if (rc == VS_OK && m->have_threads) rc = vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_THREADS, (int64_t)m->threads);
    if (rc == VS_OK && m->have_c) rc = vs_evaluator_set_double(ev, VS_EVALUATOR_OPT_C, m->c);
    if (rc == VS_OK && m->response_only)
        rc = vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_INPUT, VS_EVALUATOR_INPUT_RESPONSE);
    if (rc == VS_OK && use_seed && m->have_seed) rc = vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_SEED, (int64_t)m->seed);
    return rc == VS_OK ? 0 : cli_fail("evaluator options", rc);
}

#define MODEL_OPTIONS_HELP                                                                                 \
    "  --buckets N       hash buckets, a power of two (default 262144 = 2^18)\n"                         \
    "  --ngram N         largest word n-gram (default 2: unigrams and bigrams)\n"                        \
    "  --C X             inverse L2 strength of the logistic regressions (default 10)\n"                 \
    "  --response-only   ignore the prompt (default: prompt n-grams are separate features)\n"            \
    "  --threads N       worker threads (results do not depend on it; default 1)\n"                      \
    "  --set types|items label set: the 10 basic values (default) or the 54 FULCRA items\n"              \
    "  --strict          stop at the first malformed label or line of FILE\n"

static double seconds_since(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* ---------------------------------------------------------------- cv */

static const char cv_usage[] =
    "usage: valuespace fulcra cv FILE [--folds K] [--seed S] [--json] [model options]\n\n"
    "Seeded K-fold cross-validation of the built-in evaluator (hashed word n-grams + one multinomial\n"
    "logistic regression per value, class-balanced), folds stratified by response source. For every\n"
    "value: accuracy and macro-F1 of the out-of-fold predictions, beside the majority-class baseline\n"
    "(the majority class of each training fold).\n"
    "  --folds K         number of folds (default 5)\n"
    "  --seed S          seed of the fold assignment (default 1)\n"
    "  --json            {\"dimensions\": [{\"key\", \"n_pos\", \"n_neg\", \"accuracy\", \"macro_f1\",\n"
    "                    \"baseline_accuracy\", \"baseline_macro_f1\"}], \"folds\", \"seed\"}\n" MODEL_OPTIONS_HELP;

int fulcra_cv(int argc, char **argv) {
    const char *prog = "valuespace fulcra cv", *path = NULL;
    size_t folds = 5, seed = 1, set = VS_DATASET_TYPES;
    int json = 0, strict = 0;
    model_args m;
    memset(&m, 0, sizeof m);
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) {
            fputs(cv_usage, stdout);
            return 0;
        }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "--strict") == 0) strict = 1;
        else if (strcmp(a, "--folds") == 0) {
            if (++i >= argc || cli_parse_size(argv[i], &folds) != 0) return cli_usage_error(prog, "--folds needs a number");
        } else if (strcmp(a, "--seed") == 0) {
            if (++i >= argc || cli_parse_size(argv[i], &seed) != 0) return cli_usage_error(prog, "--seed needs a number");
        } else if (strcmp(a, "--set") == 0) {
            if (++i >= argc || fulcra_parse_set(argv[i], &set) != 0) return cli_usage_error(prog, "--set takes types or items");
        } else {
            int r = model_arg(&m, argc, argv, &i);
            if (r < 0) return cli_usage_error(prog, "bad value for %s", a);
            if (r > 0) continue;
            if (a[0] == '-' && a[1] != '\0') return cli_unknown_option(prog, a, cv_usage);
            if (path) return cli_usage_error(prog, "unexpected argument '%s'", a);
            path = a;
        }
    }
    if (!path) return cli_usage_error(prog, "FILE is required");
    fulcra_data d;
    int status = fulcra_data_load(&d, path, strict, set);
    if (status) return status;
    vs_evaluator *ev = NULL;
    vs_evaluator_cv *cv = NULL;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = vs_evaluator_create(&ev, fulcra_data_space(&d), fulcra_data_level(&d));
    if (rc != VS_OK) status = cli_fail("creating the evaluator", rc);
    if (!status) status = model_apply(ev, &m, 0);
    if (!status) {
        rc = vs_evaluator_cv_run(&cv, ev, d.prompts, d.responses, d.labels, d.groups, d.n, folds, (uint64_t)seed);
        if (rc != VS_OK) status = cli_fail("cross-validation", rc);
    }
    if (!status) {
        double secs = seconds_since(&t0);
        const vs_space *sp = fulcra_data_space(&d);
        cli_json j;
        if (json) {
            cli_json_init(&j, stdout);
            cli_json_begin_object(&j);
            cli_json_key(&j, "dimensions");
            cli_json_begin_array(&j);
        } else {
            printf("%zu-fold cross-validation (seed %zu) of the built-in evaluator on %zu records, %.1f s\n", folds,
                   seed, d.n, secs);
            printf("%-22s %6s %6s  %8s %8s  %8s %8s\n", "value", "n_pos", "n_neg", "accuracy", "macroF1", "base_acc",
                   "base_F1");
        }
        for (size_t k = 0; k < d.k; k++) {
            vs_evaluator_metrics mt = VS_EVALUATOR_METRICS_INIT;
            rc = vs_evaluator_cv_metrics(&mt, cv, k, VS_NPOS);
            if (rc == VS_EUNDEFINED) { /* no labelled item: report counts only */
                mt.accuracy = mt.macro_f1 = mt.baseline_accuracy = mt.baseline_macro_f1 = NAN;
            } else if (rc != VS_OK) {
                status = cli_fail("metrics", rc);
                break;
            }
            const char *key = fulcra_dim_key(sp, fulcra_data_level(&d), k);
            if (json) {
                cli_json_begin_object(&j);
                cli_json_key(&j, "key");
                cli_json_string(&j, key);
                cli_json_key(&j, "n_pos");
                cli_json_int(&j, (long long)mt.n_pos);
                cli_json_key(&j, "n_neg");
                cli_json_int(&j, (long long)mt.n_neg);
                cli_json_key(&j, "accuracy");
                cli_json_number(&j, mt.accuracy);
                cli_json_key(&j, "macro_f1");
                cli_json_number(&j, mt.macro_f1);
                cli_json_key(&j, "baseline_accuracy");
                cli_json_number(&j, mt.baseline_accuracy);
                cli_json_key(&j, "baseline_macro_f1");
                cli_json_number(&j, mt.baseline_macro_f1);
                cli_json_end_object(&j);
            } else {
                printf("%-22s %6zu %6zu  %8.3f %8.3f  %8.3f %8.3f%s\n", key, mt.n_pos, mt.n_neg, mt.accuracy,
                       mt.macro_f1, mt.baseline_accuracy, mt.baseline_macro_f1,
                       mt.macro_f1 > mt.baseline_macro_f1 ? "" : "  (not above the baseline)");
            }
        }
        if (json && !status) {
            cli_json_end_array(&j);
            cli_json_key(&j, "folds");
            cli_json_int(&j, (long long)folds);
            cli_json_key(&j, "seed");
            cli_json_int(&j, (long long)seed);
            cli_json_end_object(&j);
            cli_json_finish(&j);
        }
    }
    vs_evaluator_cv_free(cv);
    vs_evaluator_free(ev);
    fulcra_data_free(&d);
    return status;
}

/* ---------------------------------------------------------------- train */

static const char train_usage[] =
    "usage: valuespace fulcra train FILE -o MODEL [--seed S] [model options]\n\n"
    "Trains the built-in evaluator on every record of FILE and saves it to MODEL (a versioned,\n"
    "checksummed binary file; see vs_evaluator_save()).\n"
    "  -o MODEL          the model file to write\n"
    "  --seed S          seed of the feature hash (default 0); training itself has no random choice\n" MODEL_OPTIONS_HELP;

int fulcra_train(int argc, char **argv) {
    const char *prog = "valuespace fulcra train", *path = NULL, *out = NULL;
    size_t set = VS_DATASET_TYPES;
    int strict = 0;
    model_args m;
    memset(&m, 0, sizeof m);
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) {
            fputs(train_usage, stdout);
            return 0;
        }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (++i >= argc) return cli_usage_error(prog, "%s needs a file name", a);
            out = argv[i];
        } else if (strcmp(a, "--strict") == 0) {
            strict = 1;
        } else if (strcmp(a, "--set") == 0) {
            if (++i >= argc || fulcra_parse_set(argv[i], &set) != 0) return cli_usage_error(prog, "--set takes types or items");
        } else {
            int r = model_arg(&m, argc, argv, &i);
            if (r < 0) return cli_usage_error(prog, "bad value for %s", a);
            if (r > 0) continue;
            if (a[0] == '-' && a[1] != '\0') return cli_unknown_option(prog, a, train_usage);
            if (path) return cli_usage_error(prog, "unexpected argument '%s'", a);
            path = a;
        }
    }
    if (!path) return cli_usage_error(prog, "FILE is required");
    if (!out) return cli_usage_error(prog, "-o MODEL is required");
    fulcra_data d;
    int status = fulcra_data_load(&d, path, strict, set);
    if (status) return status;
    vs_evaluator *ev = NULL;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = vs_evaluator_create(&ev, fulcra_data_space(&d), fulcra_data_level(&d));
    if (rc != VS_OK) status = cli_fail("creating the evaluator", rc);
    if (!status) status = model_apply(ev, &m, 1);
    if (!status && (rc = vs_evaluator_train(ev, d.prompts, d.responses, d.labels, d.n)) != VS_OK)
        status = cli_fail("training", rc);
    if (!status && (rc = vs_evaluator_save(ev, out)) != VS_OK) status = cli_fail("saving the model", rc);
    if (!status)
        printf("trained on %zu records (%zu values of \"%s\"), %zu active buckets, %.1f s; model written to %s\n", d.n,
               d.k, vs_space_name(fulcra_data_space(&d)), vs_evaluator_active_bucket_count(ev), seconds_since(&t0), out);
    vs_evaluator_free(ev);
    fulcra_data_free(&d);
    return status;
}

/* ---------------------------------------------------------------- predict */

static const char predict_usage[] =
    "usage: valuespace fulcra predict (--model MODEL | --evaluator builtin:MODEL|prompted:BACKEND) FILE\n"
    "                                 [--prompt-mode score|answer] [--backend-opt K=V]... [--template FILE]\n"
    "                                 [--expected] [--strict] [--json]\n\n"
    "Evaluates every record of FILE (its prompt and response) with a saved model or another evaluator.\n"
    "  --model MODEL     a file written by 'valuespace fulcra train' (= --evaluator builtin:MODEL)\n"
    "  --evaluator, --prompt-mode, --backend-opt, --template  as in 'valuespace fulcra agree'\n"
    "  --expected        report p(+1) - p(-1) per value instead of the most probable class (builtin only)\n"
    "  --json            JSON lines, one per record: {\"id\", \"source\", \"vector\": [K numbers],\n"
    "                    \"probs\": [[p(-1), p(0), p(+1)], ...]}\n"
    "  --strict          stop at the first malformed label or line of FILE\n";

int fulcra_predict(int argc, char **argv) {
    const char *prog = "valuespace fulcra predict", *path = NULL, *model = NULL;
    int json = 0, strict = 0, expected = 0;
    fulcra_eval_spec e;
    memset(&e, 0, sizeof e);
    e.mode = VS_EVALUATOR_PROMPT_SCORE;
    int r;
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) {
            fputs(predict_usage, stdout);
            return 0;
        }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--model") == 0) {
            if (++i >= argc) return cli_usage_error(prog, "--model needs a file name");
            model = argv[i];
        } else if ((r = fulcra_eval_arg(&e, prog, argc, argv, &i)) != 0) {
            if (r == 2) return 2;
        } else if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "--strict") == 0) strict = 1;
        else if (strcmp(a, "--expected") == 0) expected = 1;
        else if (a[0] == '-' && a[1] != '\0') return cli_unknown_option(prog, a, predict_usage);
        else if (path) return cli_usage_error(prog, "unexpected argument '%s'", a);
        else path = a;
    }
    if (!model == !e.spec) return cli_usage_error(prog, "give one of --model MODEL and --evaluator KIND:ARGUMENT");
    if (!path) return cli_usage_error(prog, "FILE is required");
    if (expected && e.spec && strncmp(e.spec, "builtin:", 8) != 0)
        return cli_usage_error(prog, "--expected needs the built-in evaluator");
    vs_evaluator *ev = NULL;
    vs_model *backend = NULL;
    int rc = VS_OK;
    if (model && (rc = vs_evaluator_load(&ev, model, NULL)) != VS_OK) return cli_fail("loading the model", rc);
    fulcra_data d;
    int status = fulcra_data_load(&d, path, strict, VS_DATASET_TYPES);
    if (!status && e.spec) status = fulcra_open_evaluator(&ev, &backend, prog, &e, &d);
    if (status) {
        vs_evaluator_free(ev);
        vs_model_free(backend);
        if (d.ds) fulcra_data_free(&d);
        return status;
    }
    if (expected) vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_VALUE, VS_EVALUATOR_VALUE_EXPECTED);
    size_t k = vs_evaluator_dimension_count(ev), n = d.n;
    double *values = malloc(n * k * sizeof *values), *probs = malloc(n * k * 3 * sizeof *probs);
    int32_t *st = malloc(n * sizeof *st);
    if (!values || !probs || !st) {
        status = cli_fail("predicting", VS_ENOMEM);
    } else {
        rc = vs_evaluator_predict(values, n * k, probs, n * k * 3, st, n, ev, d.prompts, d.responses, n);
        if (rc != VS_OK) status = cli_fail("predicting (the other records are printed)", rc);
        const vs_space *sp = vs_evaluator_space(ev);
        size_t level = vs_evaluator_level(ev);
        if (!json) {
            printf("id\tsource");
            for (size_t j = 0; j < k; j++) printf("\t%s", fulcra_dim_key(sp, level, j));
            printf("\n");
        }
        for (size_t i = 0; i < n; i++) {
            if (json) {
                cli_json j;
                cli_json_init(&j, stdout);
                cli_json_begin_object(&j);
                cli_json_key(&j, "id");
                cli_json_string(&j, d.ids[i]);
                cli_json_key(&j, "source");
                cli_json_string(&j, d.sources[i]);
                cli_json_key(&j, "vector");
                cli_json_begin_array(&j);
                for (size_t t = 0; t < k; t++) cli_json_number(&j, values[i * k + t]);
                cli_json_end_array(&j);
                cli_json_key(&j, "probs");
                cli_json_begin_array(&j);
                for (size_t t = 0; t < k; t++) {
                    cli_json_begin_array(&j);
                    for (int c = 0; c < 3; c++) cli_json_number(&j, probs[(i * k + t) * 3 + (size_t)c]);
                    cli_json_end_array(&j);
                }
                cli_json_end_array(&j);
                cli_json_end_object(&j);
                cli_json_finish(&j);
            } else {
                printf("%s\t%s", d.ids[i], d.sources[i]);
                for (size_t t = 0; t < k; t++) {
                    double v = values[i * k + t];
                    if (expected || isnan(v)) printf("\t%.3f", v);
                    else printf("\t%s", v > 0 ? "+1" : v < 0 ? "-1" : "0");
                }
                printf("\n");
            }
        }
    }
    free(values);
    free(probs);
    free(st);
    vs_evaluator_free(ev);
    vs_model_free(backend);
    fulcra_data_free(&d);
    return status;
}

/* ---------------------------------------------------------------- profile */

static const char profile_usage[] =
    "usage: valuespace fulcra profile FILE [--model MODEL | --evaluator KIND:ARG | --labels] [--target NAME]\n"
    "                                 [--json]\n\n"
    "Per response source (the LLM that answered): the mean value vector with percentile bootstrap\n"
    "confidence intervals, and alignment to a target as FULCRA defines it: the mean of the\n"
    "per-response BaseAlign reward (the mask |value| > threshold on each response's own values)\n"
    "with its interval, rank (1 = highest) and coverage (the share of responses with a value past\n"
    "the mask); beside it, the BaseAlign distance of the mean vector (n/a, JSON null, when no value\n"
    "of the mean passes the mask) and its rank (1 = closest).\n"
    "  --labels          profile the human labels of FILE (default)\n"    "  --evaluator, --prompt-mode, --backend-opt, --template  profile another evaluator's\n"
    "                    judgements, as in 'valuespace fulcra agree'\n"
    "  --model MODEL     profile the values a saved model predicts for FILE\n"
    "  --target NAME     default, uk, netherlands or france (default: default)\n"
    "  --threshold T     BaseAlign's mask: only values with |value| > T count (default 0.3, as\n"
    "                    published; 0 counts every value a model expresses at all)\n"
    "  --replicates B    bootstrap resamples (default 2000)\n"
    "  --confidence C    interval coverage (default 0.95)\n"
    "  --seed S          bootstrap seed (default 1)\n"
    "  --json            [{\"source\", \"n\", \"mean\": [...], \"ci_low\": [...], \"ci_high\": [...],\n"
    "                    \"reward\": {\"mean\", \"ci_low\", \"ci_high\", \"rank\", \"coverage\"}, \"distance\",\n"
    "                    \"distance_rank\"}] in the order the sources first appear in FILE\n"
    "  --strict          stop at the first malformed label or line of FILE\n";

int fulcra_profile(int argc, char **argv) {
    const char *prog = "valuespace fulcra profile", *path = NULL, *model = NULL, *target_name = "default";
    int json = 0, strict = 0, labels = 0;
    size_t replicates = 2000, seed = 1;
    double confidence = 0.95, threshold = VS_BASEALIGN_THRESHOLD;
    fulcra_eval_spec e;
    memset(&e, 0, sizeof e);
    e.mode = VS_EVALUATOR_PROMPT_SCORE;
    int r;
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) {
            fputs(profile_usage, stdout);
            return 0;
        }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--model") == 0) {
            if (++i >= argc) return cli_usage_error(prog, "--model needs a file name");
            model = argv[i];
        } else if (strcmp(a, "--target") == 0) {
            if (++i >= argc) return cli_usage_error(prog, "--target needs a name");
            target_name = argv[i];
        } else if (strcmp(a, "--replicates") == 0) {
            if (++i >= argc || cli_parse_size(argv[i], &replicates) != 0)
                return cli_usage_error(prog, "--replicates needs a number");
        } else if (strcmp(a, "--confidence") == 0) {
            if (++i >= argc || cli_parse_double(argv[i], &confidence) != 0)
                return cli_usage_error(prog, "--confidence needs a number");
        } else if (strcmp(a, "--threshold") == 0) {
            if (++i >= argc || cli_parse_double(argv[i], &threshold) != 0)
                return cli_usage_error(prog, "--threshold needs a number");
        } else if (strcmp(a, "--seed") == 0) {
            if (++i >= argc || cli_parse_size(argv[i], &seed) != 0) return cli_usage_error(prog, "--seed needs a number");
        } else if ((r = fulcra_eval_arg(&e, prog, argc, argv, &i)) != 0) {
            if (r == 2) return 2;
        } else if (strcmp(a, "--labels") == 0) labels = 1;
        else if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "--strict") == 0) strict = 1;
        else if (a[0] == '-' && a[1] != '\0') return cli_unknown_option(prog, a, profile_usage);
        else if (path) return cli_usage_error(prog, "unexpected argument '%s'", a);
        else path = a;
    }
    if (!path) return cli_usage_error(prog, "FILE is required");
    if (labels && (model || e.spec)) return cli_usage_error(prog, "--labels excludes --model and --evaluator");
    if (model && e.spec) return cli_usage_error(prog, "give one of --model MODEL and --evaluator KIND:ARGUMENT");
    vs_vector *target = NULL;
    int rc = vs_align_target(&target, target_name);
    if (rc != VS_OK) return rc == VS_ENOTFOUND ? cli_fail_usage(prog, "--target", rc) : cli_fail("target", rc);
    vs_evaluator *ev = NULL;
    if (model && (rc = vs_evaluator_load(&ev, model, NULL)) != VS_OK) {
        vs_vector_free(target);
        return cli_fail("loading the model", rc);
    }
    fulcra_data d;
    vs_model *backend = NULL;
    int status = fulcra_data_load(&d, path, strict, VS_DATASET_TYPES);
    if (!status && e.spec) status = fulcra_open_evaluator(&ev, &backend, prog, &e, &d);
    if (status) {
        vs_vector_free(target);
        vs_evaluator_free(ev);
        vs_model_free(backend);
        if (d.ds) fulcra_data_free(&d);
        return status;
    }
    const vs_space *sp = ev ? vs_evaluator_space(ev) : fulcra_data_space(&d);
    size_t level = ev ? vs_evaluator_level(ev) : fulcra_data_level(&d);
    size_t k = ev ? vs_evaluator_dimension_count(ev) : d.k;
    double *values = d.labels;
    if (ev) {
        values = malloc(d.n * k * sizeof *values);
        if (!values) status = cli_fail("predicting", VS_ENOMEM);
        else if ((rc = vs_evaluator_predict(values, d.n * k, NULL, 0, NULL, 0, ev, d.prompts, d.responses, d.n)) != VS_OK)
            status = cli_fail("predicting", rc);
    }
    vs_evaluator_profile *p = NULL;
    if (!status) {
        rc = vs_evaluator_profile_compute(&p, values, d.n, k, d.groups, vs_vector_dimension_count(target) == k ? target : NULL,
                                          threshold, replicates, confidence, (uint64_t)seed);
        if (rc != VS_OK) status = cli_fail("profiles", rc);
    }
    if (!status) {
        size_t ng = vs_evaluator_profile_group_count(p), need;
        double *buf = malloc(3 * k * sizeof *buf);
        if (!buf) {
            status = cli_fail("profiles", VS_ENOMEM);
            ng = 0;
        }
        cli_json j;
        if (json) {
            cli_json_init(&j, stdout);
            cli_json_begin_array(&j);
        } else {
            printf("value profiles of %s (%s), %zu bootstrap resamples, %.0f%% intervals; BaseAlign target \"%s\", "
                   "threshold %g\n",
                   path, ev ? "model predictions" : "human labels", replicates, confidence * 100.0, target_name,
                   threshold);
        }
        for (size_t g = 0; g < ng; g++) {
            const char *source = vs_dataset_source_name(d.ds, vs_evaluator_profile_group_id(p, g));
            vs_evaluator_profile_get(&need, p, g, VS_EVALUATOR_PROFILE_MEAN, buf, k);
            vs_evaluator_profile_get(&need, p, g, VS_EVALUATOR_PROFILE_CI_LOW, buf + k, k);
            vs_evaluator_profile_get(&need, p, g, VS_EVALUATOR_PROFILE_CI_HIGH, buf + 2 * k, k);
            double dist, lo, hi, rank, rw[5];
            vs_evaluator_profile_scalar(&dist, p, g, VS_EVALUATOR_PROFILE_DISTANCE);
            vs_evaluator_profile_scalar(&lo, p, g, VS_EVALUATOR_PROFILE_DISTANCE_CI_LOW);
            vs_evaluator_profile_scalar(&hi, p, g, VS_EVALUATOR_PROFILE_DISTANCE_CI_HIGH);
            vs_evaluator_profile_scalar(&rank, p, g, VS_EVALUATOR_PROFILE_RANK);
            static const int rstat[5] = {VS_EVALUATOR_PROFILE_REWARD, VS_EVALUATOR_PROFILE_REWARD_CI_LOW,
                                         VS_EVALUATOR_PROFILE_REWARD_CI_HIGH, VS_EVALUATOR_PROFILE_REWARD_RANK,
                                         VS_EVALUATOR_PROFILE_COVERAGE};
            for (int s = 0; s < 5; s++) vs_evaluator_profile_scalar(&rw[s], p, g, rstat[s]);
            if (json) {
                static const char *const names[3] = {"mean", "ci_low", "ci_high"};
                cli_json_begin_object(&j);
                cli_json_key(&j, "source");
                cli_json_string(&j, source);
                cli_json_key(&j, "n");
                cli_json_int(&j, (long long)vs_evaluator_profile_group_item_count(p, g));
                for (int a = 0; a < 3; a++) {
                    cli_json_key(&j, names[a]);
                    cli_json_begin_array(&j);
                    for (size_t t = 0; t < k; t++) cli_json_number(&j, buf[(size_t)a * k + t]);
                    cli_json_end_array(&j);
                }
                static const char *const rnames[5] = {"mean", "ci_low", "ci_high", "rank", "coverage"};
                cli_json_key(&j, "reward");
                cli_json_begin_object(&j);
                for (int s = 0; s < 5; s++) {
                    cli_json_key(&j, rnames[s]);
                    cli_json_number(&j, rw[s]);
                }
                cli_json_end_object(&j);
                cli_json_key(&j, "distance"); /* null: no value of the mean passes the mask */
                cli_json_number(&j, dist);
                cli_json_key(&j, "distance_rank");
                cli_json_number(&j, rank);
                cli_json_end_object(&j);
            } else {
                printf("\n%s (n = %zu): mean per-response BaseAlign reward %+.3f [%+.3f, %+.3f], rank %.0f, "
                       "coverage %.2f\n",
                       source, vs_evaluator_profile_group_item_count(p, g), rw[0], rw[1], rw[2], rw[3], rw[4]);
                if (isnan(dist))
                    printf("  BaseAlign distance of the mean vector: n/a (no value of the mean past the mask)\n");
                else
                    printf("  BaseAlign distance of the mean vector %.3f [%.3f, %.3f], rank %.0f\n", dist, lo, hi,
                           rank);
                for (size_t t = 0; t < k; t++)
                    printf("  %-22s %+.3f  [%+.3f, %+.3f]\n", fulcra_dim_key(sp, level, t), buf[t], buf[k + t], buf[2 * k + t]);
            }
        }
        if (json && !status) {
            cli_json_end_array(&j);
            cli_json_finish(&j);
        }
        free(buf);
    }
    vs_evaluator_profile_free(p);
    if (values != d.labels) free(values);
    vs_vector_free(target);
    vs_evaluator_free(ev);
    vs_model_free(backend);
    fulcra_data_free(&d);
    return status;
}
