/* The libvaluespace side of tests/bench/bench_evaluator.sh.
 *   bench_evaluator FULCRA.jsonl WORKDIR FOLDS SEED THREADS
 * 1. Loads the file, runs the seeded K-fold cross-validation of the built-in evaluator (default
 *    options, THREADS threads) and times it (featurisation included; the file reading not).
 * 2. Writes for the Python side, into WORKDIR: items.jsonl (prompt, response, source, labels,
 *    fold of each record: the same texts and folds) and features.txt (the evaluator's own
 *    feature matrix, one row per record: "bucket:value ..."), so scikit-learn can be run on
 *    the same folds with its own HashingVectorizer and with exactly our features.
 * 3. Trains on every record and measures prediction throughput on one thread.
 * Prints "key value" lines on stdout. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evaluator/evaluator_internal.h"
#include "valuespace.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void json_string(FILE *f, const char *s) {
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
        else if (*p < 0x20) fprintf(f, "\\u%04x", *p);
        else fputc(*p, f);
    }
    fputc('"', f);
}

static int fail(const char *what, int rc) {
    fprintf(stderr, "bench_evaluator: %s: %s: %s\n", what, vs_status_name(rc), vs_last_error());
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: bench_evaluator FULCRA.jsonl WORKDIR FOLDS SEED THREADS\n");
        return 2;
    }
    const char *path = argv[1], *work = argv[2];
    size_t folds = (size_t)atol(argv[3]);
    uint64_t seed = (uint64_t)atoll(argv[4]);
    int threads = atoi(argv[5]);
    vs_dataset *ds = NULL;
    int rc = vs_dataset_load_fulcra(&ds, path, 0);
    if (rc) return fail("load", rc);
    size_t n = vs_dataset_count(ds), k = vs_dataset_label_dimension_count(ds, VS_DATASET_TYPES), need;
    const char **prompts = malloc(n * sizeof *prompts), **responses = malloc(n * sizeof *responses);
    double *labels = malloc(n * k * sizeof *labels), *fold = malloc(n * sizeof *fold);
    size_t *groups = malloc(n * sizeof *groups);
    vs_dataset_strings(&need, ds, VS_DATASET_FIELD_PROMPT, prompts, n);
    vs_dataset_strings(&need, ds, VS_DATASET_FIELD_RESPONSE, responses, n);
    vs_dataset_label_matrix(&need, ds, VS_DATASET_TYPES, labels, n * k);
    vs_dataset_source_indices(&need, ds, groups, n);
    const vs_space *space = vs_dataset_label_space(ds, VS_DATASET_TYPES);
    size_t level = vs_dataset_label_level(ds, VS_DATASET_TYPES);

    vs_evaluator *ev = NULL;
    if ((rc = vs_evaluator_create(&ev, space, level)) != VS_OK) return fail("create", rc);
    vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_THREADS, threads);
    vs_evaluator_cv *cv = NULL;
    double t0 = now();
    if ((rc = vs_evaluator_cv_run(&cv, ev, prompts, responses, labels, groups, n, folds, seed)) != VS_OK)
        return fail("cv", rc);
    double t_cv = now() - t0;
    printf("records %zu\nfolds %zu\nseed %llu\nthreads %d\ncv_seconds %.4f\n", n, folds, (unsigned long long)seed,
           threads, t_cv);
    vs_evaluator_cv_get(&need, cv, VS_EVALUATOR_CV_FOLD, fold, n);
    for (size_t d = 0; d < k; d++) {
        vs_evaluator_metrics m = VS_EVALUATOR_METRICS_INIT;
        vs_evaluator_cv_metrics(&m, cv, d, VS_NPOS);
        printf("f1 %s %.6f %.6f %zu %zu\n", vs_space_key(space, vs_space_level_offset(space, level) + d), m.macro_f1,
               m.baseline_macro_f1, m.n_pos, m.n_neg);
    }
    double c;
    vs_evaluator_get_double(&c, ev, VS_EVALUATOR_OPT_C);
    printf("C %.17g\n", c);

    /* the same texts, labels and folds for scikit-learn */
    char file[4096];
    snprintf(file, sizeof file, "%s/items.jsonl", work);
    FILE *f = fopen(file, "w");
    if (!f) return 1;
    for (size_t i = 0; i < n; i++) {
        fputs("{\"prompt\":", f);
        json_string(f, prompts[i]);
        fputs(",\"response\":", f);
        json_string(f, responses[i]);
        fprintf(f, ",\"fold\":%d,\"labels\":[", (int)fold[i]);
        for (size_t d = 0; d < k; d++) fprintf(f, "%s%d", d ? "," : "", (int)labels[i * k + d]);
        fputs("]}\n", f);
    }
    fclose(f);
    /* our own feature matrix (the evaluator's private featuriser, default options) */
    vs__ev_csr x;
    if ((rc = vs__ev_csr_build(&x, &ev->opt, prompts, responses, n, "bench")) != VS_OK) return fail("features", rc);
    snprintf(file, sizeof file, "%s/features.txt", work);
    f = fopen(file, "w");
    if (!f) return 1;
    fprintf(f, "%u\n", (unsigned)ev->opt.buckets);
    for (size_t i = 0; i < n; i++) {
        for (size_t e = x.start[i]; e < x.start[i + 1]; e++)
            fprintf(f, "%s%u:%.17g", e > x.start[i] ? " " : "", (unsigned)x.col[e], x.val[e]);
        fputc('\n', f);
    }
    fclose(f);
    vs__ev_csr_release(&x);

    /* prediction throughput on one thread: every (prompt, response) of the file, repeated */
    vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_THREADS, 1);
    t0 = now();
    if ((rc = vs_evaluator_train(ev, prompts, responses, labels, n)) != VS_OK) return fail("train", rc);
    printf("train_seconds %.4f\nactive_buckets %zu\n", now() - t0, vs_evaluator_active_bucket_count(ev));
    double *values = malloc(n * k * sizeof *values), *probs = malloc(n * k * 3 * sizeof *probs);
    size_t done = 0;
    t0 = now();
    double t = 0.0;
    while (t < 2.0) {
        if ((rc = vs_evaluator_predict(values, n * k, probs, n * k * 3, NULL, 0, ev, prompts, responses, n)) != VS_OK)
            return fail("predict", rc);
        done += n;
        t = now() - t0;
    }
    printf("predict_per_second %.1f\n", (double)done / t);
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) bytes += strlen(prompts[i]) + strlen(responses[i]);
    printf("mean_item_bytes %.1f\n", (double)bytes / (double)n);
    /* and with the response only (a separate model) */
    vs_evaluator *ro = NULL;
    vs_evaluator_create(&ro, space, level);
    vs_evaluator_set_int(ro, VS_EVALUATOR_OPT_INPUT, VS_EVALUATOR_INPUT_RESPONSE);
    if ((rc = vs_evaluator_train(ro, prompts, responses, labels, n)) != VS_OK) return fail("train", rc);
    done = 0;
    t0 = now();
    t = 0.0;
    while (t < 2.0) {
        if ((rc = vs_evaluator_predict(values, n * k, probs, n * k * 3, NULL, 0, ro, NULL, responses, n)) != VS_OK)
            return fail("predict", rc);
        done += n;
        t = now() - t0;
    }
    printf("predict_response_only_per_second %.1f\n", (double)done / t);
    vs_evaluator_free(ro);
    free(values);
    free(probs);
    vs_evaluator_cv_free(cv);
    vs_evaluator_free(ev);
    free(prompts);
    free(responses);
    free(labels);
    free(fold);
    free(groups);
    vs_dataset_free(ds);
    return 0;
}
