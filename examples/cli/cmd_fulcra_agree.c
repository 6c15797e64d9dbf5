/* valuespace fulcra agree: how well an evaluator agrees with the human labels of a FULCRA file,
 * per value: accuracy, macro-F1 and Cohen's kappa with bootstrap intervals and the confusion
 * matrix, beside the majority-class baseline and the built-in evaluator's cross-validated
 * figures on the same file. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_fulcra.h"

static const char agree_usage[] =
    "usage: valuespace fulcra agree FILE --evaluator builtin:MODEL|prompted:BACKEND [--replicates B]\n"
    "                               [--confidence C] [--seed S] [--folds K | --no-cv] [--set types|items]\n"
    "                               [--prompt-mode score|answer] [--backend-opt KEY=VALUE]... [--template FILE]\n"
    "                               [--strict] [--json]\n\n"
    "Agreement of an evaluator with the human labels of FILE, per value: accuracy, macro-F1 and\n"
    "Cohen's kappa with percentile bootstrap intervals, and the confusion matrix (rows: the human\n"
    "label -1, 0, +1; columns: the evaluator's). Beside them: the majority-class baseline (the\n"
    "most frequent human label) and the built-in evaluator's K-fold cross-validated figures on FILE.\n"
    "  --evaluator builtin:MODEL  a model written by 'valuespace fulcra train'\n"
    "  --evaluator prompted:BACKEND  a model backend (ngram, openai) judging each value with FULCRA's\n"
    "                    evaluator prompt (or --template FILE, placeholders {value} {definition} {dialogue})\n"
    "  --prompt-mode M   score: log-likelihood of each label (needs logprobs; default); answer: generate\n"
    "                    and parse strictly (a malformed answer leaves the record out)\n"
    "  --backend-opt K=V an option of the backend, as in 'projective run' (e.g. url=..., model=...)\n"
    "  --replicates B    bootstrap resamples (default 1000; 0: no intervals)\n"
    "  --confidence C    coverage of the intervals (default 0.95)\n"
    "  --seed S          seed of the bootstrap and of the cross-validation folds (default 1)\n"
    "  --folds K         folds of the built-in evaluator's cross-validation (default 5)\n"
    "  --no-cv           leave out the cross-validated figures\n"
    "  --set types|items label set: the 10 basic values (default) or the 54 FULCRA items\n"
    "  --strict          stop at the first malformed label or line of FILE\n"
    "  --json            {\"evaluator\", \"records\", \"failed\", \"replicates\", \"confidence\", \"seed\",\n"
    "                    \"values\": [{\"key\", \"n\", \"accuracy\", \"macro_f1\", \"kappa\" (each\n"
    "                    {\"value\", \"low\", \"high\"}), \"confusion\": 3 rows of 3 counts, \"baseline\":\n"
    "                    {\"class\", \"accuracy\", \"macro_f1\", \"kappa\"}, \"builtin_cv\": {\"folds\",\n"
    "                    \"accuracy\", \"macro_f1\", \"kappa\"} or null}]}\n";

typedef struct agree_args {
    const char *path;
    fulcra_eval_spec e;
    size_t replicates, folds, seed, set;
    double confidence;
    int json, strict, cv;
} agree_args;

static void json_interval(cli_json *j, const char *key, double v, double lo, double hi) {
    cli_json_key(j, key);
    cli_json_begin_object(j);
    cli_json_key(j, "value");
    cli_json_number(j, v);
    cli_json_key(j, "low");
    cli_json_number(j, lo);
    cli_json_key(j, "high");
    cli_json_number(j, hi);
    cli_json_end_object(j);
}

static void json_value(cli_json *j, const char *key, const vs_evaluator_agreement *a, const vs_evaluator_agreement *cv,
                       size_t folds) {
    cli_json_begin_object(j);
    cli_json_key(j, "key");
    cli_json_string(j, key);
    cli_json_key(j, "n");
    cli_json_int(j, (long long)a->n);
    json_interval(j, "accuracy", a->accuracy, a->accuracy_low, a->accuracy_high);
    json_interval(j, "macro_f1", a->macro_f1, a->macro_f1_low, a->macro_f1_high);
    json_interval(j, "kappa", a->kappa, a->kappa_low, a->kappa_high);
    cli_json_key(j, "confusion");
    cli_json_begin_array(j);
    for (int r = 0; r < 3; r++) {
        cli_json_begin_array(j);
        for (int c = 0; c < 3; c++) cli_json_int(j, (long long)a->confusion[r * 3 + c]);
        cli_json_end_array(j);
    }
    cli_json_end_array(j);
    cli_json_key(j, "baseline");
    cli_json_begin_object(j);
    cli_json_key(j, "class");
    cli_json_number(j, a->n ? a->baseline_class : NAN);
    json_interval(j, "accuracy", a->baseline_accuracy, a->baseline_accuracy_low, a->baseline_accuracy_high);
    json_interval(j, "macro_f1", a->baseline_macro_f1, a->baseline_macro_f1_low, a->baseline_macro_f1_high);
    cli_json_key(j, "kappa");
    cli_json_number(j, a->baseline_kappa);
    cli_json_end_object(j);
    cli_json_key(j, "builtin_cv");
    if (cv) {
        cli_json_begin_object(j);
        cli_json_key(j, "folds");
        cli_json_int(j, (long long)folds);
        cli_json_key(j, "accuracy");
        cli_json_number(j, cv->accuracy);
        cli_json_key(j, "macro_f1");
        cli_json_number(j, cv->macro_f1);
        cli_json_key(j, "kappa");
        cli_json_number(j, cv->kappa);
        cli_json_end_object(j);
    } else {
        cli_json_null(j);
    }
    cli_json_end_object(j);
}

/* Marks every figure of a value without a labelled item as unknown. */
static void undefined(vs_evaluator_agreement *a) {
    vs_evaluator_agreement_init(a);
    a->accuracy = a->accuracy_low = a->accuracy_high = a->macro_f1 = a->macro_f1_low = a->macro_f1_high = NAN;
    a->kappa = a->kappa_low = a->kappa_high = a->baseline_accuracy = a->baseline_macro_f1 = a->baseline_kappa = NAN;
    a->baseline_accuracy_low = a->baseline_accuracy_high = a->baseline_macro_f1_low = a->baseline_macro_f1_high = NAN;
}

static int agreement(vs_evaluator_agreement *a, const double *truth, const double *pred, size_t n, size_t k,
                     size_t replicates, double confidence, uint64_t seed) {
    vs_evaluator_agreement_init(a);
    int rc = vs_evaluator_agreement_compute(a, truth, pred, n, k, replicates, confidence, seed);
    if (rc == VS_EUNDEFINED) undefined(a);
    return rc == VS_EUNDEFINED ? VS_OK : rc;
}

static int parse(agree_args *g, int argc, char **argv, const char *prog) {
    int r;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) g->json = 1;
        else if (strcmp(a, "--strict") == 0) g->strict = 1;
        else if (strcmp(a, "--no-cv") == 0) g->cv = 0;
        else if ((r = fulcra_eval_arg(&g->e, prog, argc, argv, &i)) != 0) {
            if (r == 2) return 2;
        } else if (strcmp(a, "--replicates") == 0) {
            if (++i >= argc || cli_parse_size(argv[i], &g->replicates) != 0)
                return cli_usage_error(prog, "--replicates needs a number");
        } else if (strcmp(a, "--confidence") == 0) {
            if (++i >= argc || cli_parse_double(argv[i], &g->confidence) != 0)
                return cli_usage_error(prog, "--confidence needs a number");
        } else if (strcmp(a, "--seed") == 0) {
            if (++i >= argc || cli_parse_size(argv[i], &g->seed) != 0) return cli_usage_error(prog, "--seed needs a number");
        } else if (strcmp(a, "--folds") == 0) {
            if (++i >= argc || cli_parse_size(argv[i], &g->folds) != 0) return cli_usage_error(prog, "--folds needs a number");
        } else if (strcmp(a, "--set") == 0) {
            if (++i >= argc || fulcra_parse_set(argv[i], &g->set) != 0)
                return cli_usage_error(prog, "--set takes types or items");
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_unknown_option(prog, a, agree_usage);
        } else if (g->path) {
            return cli_usage_error(prog, "unexpected argument '%s'", a);
        } else {
            g->path = a;
        }
    }
    if (!g->path) return cli_usage_error(prog, "FILE is required");
    if (!g->e.spec) return cli_usage_error(prog, "--evaluator KIND:ARGUMENT is required");
    if (g->replicates != 0 && (g->replicates < 10 || g->replicates > 10000000))
        return cli_usage_error(prog, "--replicates takes 0 or 10..10000000");
    if (!(g->confidence > 0.0 && g->confidence < 1.0)) return cli_usage_error(prog, "--confidence must be in (0, 1)");
    return 0;
}

/* Out-of-fold values of the built-in evaluator (default options) on the file; 0 or a status. */
static int cv_values(double **out, const fulcra_data *d, size_t folds, size_t seed) {
    vs_evaluator *ev = NULL;
    vs_evaluator_cv *cv = NULL;
    *out = malloc(d->n * d->k * sizeof **out);
    if (!*out) return cli_fail("cross-validation", VS_ENOMEM);
    int rc = vs_evaluator_create(&ev, fulcra_data_space(d), fulcra_data_level(d));
    if (rc == VS_OK)
        rc = vs_evaluator_cv_run(&cv, ev, d->prompts, d->responses, d->labels, d->groups, d->n, folds, (uint64_t)seed);
    if (rc == VS_OK) rc = vs_evaluator_cv_get(NULL, cv, VS_EVALUATOR_CV_VALUES, *out, d->n * d->k);
    vs_evaluator_cv_free(cv);
    vs_evaluator_free(ev);
    if (rc == VS_OK) return 0;
    free(*out);
    *out = NULL;
    return cli_fail("cross-validating the built-in evaluator (use --no-cv to leave it out)", rc);
}

int fulcra_agree(int argc, char **argv) {
    const char *prog = "valuespace fulcra agree";
    agree_args g;
    memset(&g, 0, sizeof g);
    g.replicates = 1000, g.folds = 5, g.seed = 1, g.set = VS_DATASET_TYPES, g.confidence = 0.95, g.cv = 1;
    g.e.mode = VS_EVALUATOR_PROMPT_SCORE;
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) {
            fputs(agree_usage, stdout);
            return 0;
        }
    int status = parse(&g, argc, argv, prog);
    if (status) return status;
    fulcra_data d;
    status = fulcra_data_load(&d, g.path, g.strict, g.set);
    if (status) return status;
    vs_evaluator *ev = NULL;
    vs_model *model = NULL;
    status = fulcra_open_evaluator(&ev, &model, prog, &g.e, &d);
    const size_t n = d.n, k = d.k;
    double *values = NULL, *probs = NULL, *oof = NULL;
    int32_t *st = NULL;
    size_t failed = 0;
    if (!status) {
        values = malloc(n * k * sizeof *values);
        probs = malloc(n * k * 3 * sizeof *probs);
        st = malloc(n * sizeof *st);
        if (!values || !probs || !st) status = cli_fail("predicting", VS_ENOMEM);
    }
    if (!status) {
        int rc = vs_evaluator_predict(values, n * k, probs, n * k * 3, st, n, ev, d.prompts, d.responses, n);
        size_t first_bad = n;
        for (size_t i = 0; i < n; i++)
            if (st[i] != VS_OK && failed++ == 0) first_bad = i;
        const char *text = first_bad < n ? vs_evaluator_prompted_answer(ev, first_bad, 0) : NULL;
        if (text) /* answer mode: show what the model said */
            fprintf(stderr, "valuespace: record %s: the model answered \"%.200s\" for %s (an answer must be one of "
                            "Opposed, No connection, Important)\n",
                    d.ids[first_bad], text, fulcra_dim_key(fulcra_data_space(&d), fulcra_data_level(&d), 0));
        if (rc != VS_OK && failed < n)
            fprintf(stderr, "valuespace: %zu of %zu records could not be evaluated and are left out (first: %s)\n",
                    failed, n, vs_last_error());
        else if (rc != VS_OK)
            status = cli_fail("evaluating the records", rc);
    }
    if (!status && g.cv && g.folds > 0) status = cv_values(&oof, &d, g.folds, g.seed);
    cli_json j;
    const vs_space *sp = fulcra_data_space(&d);
    if (!status && g.json) {
        cli_json_init(&j, stdout);
        cli_json_begin_object(&j);
        cli_json_key(&j, "evaluator");
        cli_json_string(&j, g.e.spec);
        cli_json_key(&j, "records");
        cli_json_int(&j, (long long)n);
        cli_json_key(&j, "failed");
        cli_json_int(&j, (long long)failed);
        cli_json_key(&j, "replicates");
        cli_json_int(&j, (long long)g.replicates);
        cli_json_key(&j, "confidence");
        cli_json_number(&j, g.confidence);
        cli_json_key(&j, "seed");
        cli_json_int(&j, (long long)g.seed);
        cli_json_key(&j, "values");
        cli_json_begin_array(&j);
    } else if (!status) {
        printf("agreement of %s with the human labels of %s (%zu records; %g%% bootstrap intervals, %zu resamples)\n",
               g.e.spec, g.path, n, 100.0 * g.confidence, g.replicates);
        printf("%-22s %5s  %-21s %-21s %-22s  %6s %6s", "value", "n", "accuracy", "macro-F1", "kappa", "b_acc",
               "b_F1");
        if (oof) printf("  %6s %6s %6s", "cv_acc", "cv_F1", "cv_k");
        printf("\n");
    }
    vs_evaluator_agreement *all = status ? NULL : calloc(k ? k : 1, sizeof *all);
    if (!status && !all) status = cli_fail("agreement", VS_ENOMEM);
    for (size_t t = 0; t < k && !status; t++) {
        vs_evaluator_agreement *a = &all[t], c;
        int rc = agreement(a, d.labels + t, values + t, n, k, g.replicates, g.confidence, (uint64_t)g.seed);
        if (rc == VS_OK && oof) rc = agreement(&c, d.labels + t, oof + t, n, k, 0, g.confidence, 0);
        if (rc != VS_OK) {
            status = cli_fail("agreement", rc);
            break;
        }
        const char *key = fulcra_dim_key(sp, fulcra_data_level(&d), t);
        if (g.json) {
            json_value(&j, key, a, oof ? &c : NULL, g.folds);
            continue;
        }
        printf("%-22s %5zu  %.3f [%.3f, %.3f]   %.3f [%.3f, %.3f]   %+.3f [%+.3f, %+.3f]  %6.3f %6.3f", key, a->n,
               a->accuracy, a->accuracy_low, a->accuracy_high, a->macro_f1, a->macro_f1_low, a->macro_f1_high, a->kappa,
               a->kappa_low, a->kappa_high, a->baseline_accuracy, a->baseline_macro_f1);
        if (oof) printf("  %6.3f %6.3f %+6.3f", c.accuracy, c.macro_f1, c.kappa);
        printf("\n");
    }
    if (!status && g.json) {
        cli_json_end_array(&j);
        cli_json_end_object(&j);
        cli_json_finish(&j);
    } else if (!status) {
        printf("\nconfusion matrices (rows: human -1, 0, +1; columns: evaluator -1, 0, +1)\n");
        for (size_t t = 0; t < k; t++) {
            const uint64_t *m = all[t].confusion;
            printf("%-22s", fulcra_dim_key(sp, fulcra_data_level(&d), t));
            for (int r = 0; r < 3; r++)
                printf("  [%4llu %4llu %4llu]", (unsigned long long)m[r * 3], (unsigned long long)m[r * 3 + 1],
                       (unsigned long long)m[r * 3 + 2]);
            printf("\n");
        }
        printf("\nb_acc, b_F1: the majority-class baseline; cv_*: the built-in evaluator, %zu-fold cross-validated\n"
               "on this file. Kappa 0 is chance agreement, 1 perfect agreement.\n",
               g.folds);
        if (failed) printf("%zu records could not be evaluated and are left out.\n", failed);
    }
    free(all);
    free(values);
    free(probs);
    free(st);
    free(oof);
    vs_evaluator_free(ev);
    vs_model_free(model);
    fulcra_data_free(&d);
    return status;
}
