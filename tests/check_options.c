/* The option API every handle shares: vs_<x>_option_id/_option_name for every option of every
 * handle (the names are the lowercase ends of the enum values, taken here from the enum names
 * themselves), the getters added with the common option table (vs_<x>_get_str for enum options,
 * vs_runner_get_double/_get_str, vs_lexicon_option_bounds) with their bad-input statuses, and
 * the *_init() functions against their *_INIT macros. */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "testutil.h"

typedef struct opt_case {
    const char *enum_name; /* "VS_FA_OPT_NFACTORS" */
    int id;
} opt_case;
#define C(x) {#x, x}

typedef int (*id_fn)(int *out, const char *name);
typedef const char *(*name_fn)(int option);

/* "VS_FA_OPT_NFACTORS" -> "nfactors" ("VS_EVALUATOR_OPT_C" keeps its capital: the name of C in
 * the LIBLINEAR sense) */
static void expected_name(char *buf, const char *enum_name) {
    const char *s = strstr(enum_name, "_OPT_") + 5;
    if (strcmp(enum_name, "VS_EVALUATOR_OPT_C") == 0) {
        strcpy(buf, "C");
        return;
    }
    size_t i = 0;
    for (; s[i]; i++) buf[i] = (char)tolower((unsigned char)s[i]);
    buf[i] = '\0';
}

static void check_names(const opt_case *cases, size_t n, id_fn id_of, name_fn name_of, const char *fn) {
    int max = cases[0].id, min = cases[0].id;
    for (size_t i = 0; i < n; i++) {
        char want[64];
        expected_name(want, cases[i].enum_name);
        const char *got = name_of(cases[i].id);
        ck_assert_msg(got && strcmp(got, want) == 0, "%s(%s) = %s, want %s", fn, cases[i].enum_name,
                      got ? got : "NULL", want);
        int id = -1;
        ck_assert_ok(id_of(&id, want));
        ck_assert_int_eq(id, cases[i].id);
        if (cases[i].id > max) max = cases[i].id;
        if (cases[i].id < min) min = cases[i].id;
    }
    /* no option beyond the enum, and the bad inputs */
    ck_assert_ptr_null(name_of(min - 1)); /* values start at 1 (0 for the accumulator's only option) */
    ck_assert_ptr_null(name_of(max + 1));
    ck_assert_ptr_null(name_of(-1));
    int id = 12345;
    ck_assert_status(id_of(&id, "no_such_option"), VS_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "unknown option 'no_such_option'"));
    ck_assert_int_eq(id, 12345);
    ck_assert_status(id_of(&id, ""), VS_ENOTFOUND);
    ck_assert_status(id_of(NULL, "seed"), VS_EINVAL);
    ck_assert_status(id_of(&id, NULL), VS_EINVAL);
    ck_assert_int_eq(id, 12345);
}

START_TEST(every_option_has_its_name) {
    static const opt_case fa[] = {
        C(VS_FA_OPT_NFACTORS),          C(VS_FA_OPT_METHOD),          C(VS_FA_OPT_ROTATION),
        C(VS_FA_OPT_MODE),              C(VS_FA_OPT_STARTS),          C(VS_FA_OPT_SEED),
        C(VS_FA_OPT_MAX_ITER),          C(VS_FA_OPT_ROTATE_MAX_ITER), C(VS_FA_OPT_KAISER_NORMALIZE),
        C(VS_FA_OPT_OBLIMIN_GAMMA),     C(VS_FA_OPT_GEOMIN_DELTA),    C(VS_FA_OPT_PROMAX_POWER),
        C(VS_FA_OPT_SCORES),            C(VS_FA_OPT_PARALLEL_ITER),   C(VS_FA_OPT_PARALLEL_QUANTILE),
        C(VS_FA_OPT_MAP_MAX),           C(VS_FA_OPT_RMSEA_ALPHA),     C(VS_FA_OPT_THREADS),
        C(VS_FA_OPT_ROTATE_STARTS),     C(VS_FA_OPT_SIMPLIMAX_M),     C(VS_FA_OPT_BOOT_ITER),
        C(VS_FA_OPT_BOOT_ALPHA)};
    static const opt_case cluster[] = {
        C(VS_CLUSTER_OPT_METHOD), C(VS_CLUSTER_OPT_K),        C(VS_CLUSTER_OPT_METRIC), C(VS_CLUSTER_OPT_LINKAGE),
        C(VS_CLUSTER_OPT_SEED),   C(VS_CLUSTER_OPT_N_INIT),   C(VS_CLUSTER_OPT_MAX_ITER), C(VS_CLUSTER_OPT_TOL),
        C(VS_CLUSTER_OPT_THREADS), C(VS_CLUSTER_OPT_K_MIN),   C(VS_CLUSTER_OPT_K_MAX)};
    static const opt_case runner[] = {
        C(VS_RUNNER_OPT_REPEATS),    C(VS_RUNNER_OPT_SHARD_INDEX), C(VS_RUNNER_OPT_SHARD_COUNT),
        C(VS_RUNNER_OPT_REPLICATES), C(VS_RUNNER_OPT_FSYNC),       C(VS_RUNNER_OPT_MAX_TOKENS),
        C(VS_RUNNER_OPT_TEMPERATURE), C(VS_RUNNER_OPT_MODEL_ID),   C(VS_RUNNER_OPT_JUDGE_ID),
        C(VS_RUNNER_OPT_BANK_REF),   C(VS_RUNNER_OPT_JOURNAL)};
    static const opt_case model[] = {
        C(VS_MODEL_OPT_MAX_BATCH),   C(VS_MODEL_OPT_MAX_ATTEMPTS),        C(VS_MODEL_OPT_BACKOFF_BASE),
        C(VS_MODEL_OPT_BACKOFF_MAX), C(VS_MODEL_OPT_MAX_FAILED),          C(VS_MODEL_OPT_MAX_FAILED_FRACTION),
        C(VS_MODEL_OPT_MAX_TEXT_BYTES), C(VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES)};
    static const opt_case evaluator[] = {
        C(VS_EVALUATOR_OPT_BUCKETS),   C(VS_EVALUATOR_OPT_MAX_NGRAM), C(VS_EVALUATOR_OPT_TEXT_FLAGS),
        C(VS_EVALUATOR_OPT_INPUT),     C(VS_EVALUATOR_OPT_WEIGHTING), C(VS_EVALUATOR_OPT_SEED),
        C(VS_EVALUATOR_OPT_C),         C(VS_EVALUATOR_OPT_CLASS_WEIGHT), C(VS_EVALUATOR_OPT_MAX_ITER),
        C(VS_EVALUATOR_OPT_TOLERANCE), C(VS_EVALUATOR_OPT_HISTORY),   C(VS_EVALUATOR_OPT_VALUE),
        C(VS_EVALUATOR_OPT_BATCH_SIZE), C(VS_EVALUATOR_OPT_THREADS)};
    static const opt_case lexical[] = {
        C(VS_LEXICAL_OPT_NFACTORS),    C(VS_LEXICAL_OPT_COUNTS),      C(VS_LEXICAL_OPT_METHOD),
        C(VS_LEXICAL_OPT_ROTATION),    C(VS_LEXICAL_OPT_SEED),        C(VS_LEXICAL_OPT_SUBDIMS),
        C(VS_LEXICAL_OPT_SUBDIMS_MIN), C(VS_LEXICAL_OPT_SUBDIMS_MAX), C(VS_LEXICAL_OPT_NAME_TERMS),
        C(VS_LEXICAL_OPT_METRIC)};
    static const opt_case lexicon[] = {C(VS_LEXICON_OPT_MIN_FREQ), C(VS_LEXICON_OPT_MIN_MODELS),
                                       C(VS_LEXICON_OPT_MAX_WORDS)};
    static const opt_case accum[] = {C(VS_ACCUM_OPT_SCALE_BITS)};
#define CHECK(x, cases) check_names(cases, sizeof cases / sizeof cases[0], vs_##x##_option_id, vs_##x##_option_name, #x)
    CHECK(fa, fa);
    CHECK(cluster, cluster);
    CHECK(runner, runner);
    CHECK(model, model);
    CHECK(evaluator, evaluator);
    CHECK(lexical, lexical);
    CHECK(lexicon, lexicon);
    CHECK(accum, accum);
#undef CHECK
    /* case-sensitive, with a suggestion */
    int id = 0;
    ck_assert_status(vs_fa_option_id(&id, "NFactors"), VS_ENOTFOUND);
    ck_assert_ptr_nonnull(
        strstr(vs_last_error(), "vs_fa_option_id: unknown option 'NFactors' (did you mean 'nfactors'?"));
}
END_TEST

START_TEST(enum_options_read_as_names) {
    vs_fa *fa = NULL;
    const char *s = NULL;
    ck_assert_ok(vs_fa_create(&fa));
    ck_assert_ok(vs_fa_get_str(&s, fa, VS_FA_OPT_ROTATION));
    ck_assert_str_eq(s, "oblimin"); /* the documented default */
    ck_assert_ok(vs_fa_get_str(&s, fa, VS_FA_OPT_METHOD));
    ck_assert_str_eq(s, "minres");
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_METHOD, "mle")); /* an alias reads back canonical */
    ck_assert_ok(vs_fa_get_str(&s, fa, VS_FA_OPT_METHOD));
    ck_assert_str_eq(s, "ml");
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_SCORES, VS_FA_SCORES_TENBERGE));
    ck_assert_ok(vs_fa_get_str(&s, fa, VS_FA_OPT_SCORES));
    ck_assert_str_eq(s, "tenBerge");
    ck_assert_ok(vs_fa_get_str(&s, fa, VS_FA_OPT_MODE));
    ck_assert_str_eq(s, "psych");
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, "TargetQ")); /* psych's spelling, an alias */
    ck_assert_ok(vs_fa_get_str(&s, fa, VS_FA_OPT_ROTATION));
    ck_assert_str_eq(s, "targetQ");
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_ROTATION, VS_FA_ROT_PROMAX_PLAIN));
    ck_assert_ok(vs_fa_get_str(&s, fa, VS_FA_OPT_ROTATION));
    ck_assert_str_eq(s, "Promax"); /* not "promax": case matters */
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_METHOD, VS_FA_ALPHA));
    ck_assert_ok(vs_fa_get_str(&s, fa, VS_FA_OPT_METHOD));
    ck_assert_str_eq(s, "alpha");
    s = "x";
    ck_assert_status(vs_fa_get_str(&s, fa, VS_FA_OPT_NFACTORS), VS_EINVAL);
    ck_assert_ptr_null(s);
    ck_assert_status(vs_fa_get_str(&s, fa, 0), VS_EINVAL);
    ck_assert_status(vs_fa_get_str(NULL, fa, VS_FA_OPT_METHOD), VS_EINVAL);
    ck_assert_status(vs_fa_get_str(&s, NULL, VS_FA_OPT_METHOD), VS_EINVAL);
    vs_fa_free(fa);

    vs_cluster *c = NULL;
    ck_assert_ok(vs_cluster_create(&c));
    ck_assert_ok(vs_cluster_get_str(&s, c, VS_CLUSTER_OPT_METHOD));
    ck_assert_str_eq(s, "kmeans");
    ck_assert_ok(vs_cluster_get_str(&s, c, VS_CLUSTER_OPT_LINKAGE));
    ck_assert_str_eq(s, "ward");
    ck_assert_ok(vs_cluster_set_str(c, VS_CLUSTER_OPT_METRIC, "cosine"));
    ck_assert_ok(vs_cluster_get_str(&s, c, VS_CLUSTER_OPT_METRIC));
    ck_assert_str_eq(s, "cosine");
    ck_assert_status(vs_cluster_get_str(&s, c, VS_CLUSTER_OPT_TOL), VS_EINVAL);
    ck_assert_status(vs_cluster_get_str(&s, c, 99), VS_EINVAL);
    vs_cluster_free(c);

    vs_lexical *x = NULL;
    ck_assert_ok(vs_lexical_create(&x));
    ck_assert_ok(vs_lexical_get_str(&s, x, VS_LEXICAL_OPT_METRIC));
    ck_assert_str_eq(s, "cosine");
    ck_assert_ok(vs_lexical_get_str(&s, x, VS_LEXICAL_OPT_ROTATION));
    ck_assert_str_eq(s, "oblimin");
    ck_assert_ok(vs_lexical_set_str(x, VS_LEXICAL_OPT_METHOD, "pa"));
    ck_assert_ok(vs_lexical_get_str(&s, x, VS_LEXICAL_OPT_METHOD));
    ck_assert_str_eq(s, "pa");
    int64_t v = -1;
    ck_assert_ok(vs_lexical_get_int(&v, x, VS_LEXICAL_OPT_METHOD));
    ck_assert_int_eq(v, VS_FA_PA);
    ck_assert_status(vs_lexical_set_str(x, VS_LEXICAL_OPT_ROTATION, "varimx"), VS_ENOTFOUND);
    ck_assert_ptr_nonnull(
        strstr(vs_last_error(), "vs_lexical_set_str: unknown rotation 'varimx' (did you mean 'varimax'?"));
    ck_assert_status(vs_lexical_set_int(x, VS_LEXICAL_OPT_ROTATION, 11), VS_ERANGE);
    ck_assert_ok(vs_lexical_get_str(&s, x, VS_LEXICAL_OPT_ROTATION));
    ck_assert_str_eq(s, "oblimin");
    ck_assert_status(vs_lexical_get_str(&s, x, VS_LEXICAL_OPT_NFACTORS), VS_EINVAL);
    ck_assert_status(vs_lexical_get_str(&s, NULL, VS_LEXICAL_OPT_METRIC), VS_EINVAL);
    vs_lexical_free(x);
}
END_TEST

/* The analysis passes its method and rotation to a vs_fa, so every value of the lexical handle
 * must be fa's value of the same name: each reads back alike, and each name one sets, the other
 * accepts. fa has more (alpha and minchi; the target rotations, which need a target pattern the
 * lexical analysis has no way to take, simplimax, biquartimin, Promax): values above lexical's
 * range, which lexical refuses. */
START_TEST(lexical_and_fa_share_names) {
    vs_fa *fa = NULL;
    vs_lexical *x = NULL;
    ck_assert_ok(vs_fa_create(&fa));
    ck_assert_ok(vs_lexical_create(&x));
    static const int pairs[][4] = {{VS_FA_OPT_METHOD, VS_LEXICAL_OPT_METHOD, 5, VS_FA_MINCHI},
                                   {VS_FA_OPT_ROTATION, VS_LEXICAL_OPT_ROTATION, 10, VS_FA_ROT_PROMAX_PLAIN}};
    for (size_t k = 0; k < 2; k++) {
        double lo, hi, llo, lhi;
        ck_assert_ok(vs_fa_option_bounds(&lo, &hi, pairs[k][0]));
        ck_assert_ok(vs_lexical_option_bounds(&llo, &lhi, pairs[k][1]));
        ck_assert_double_eq(lo, llo);
        ck_assert_double_eq(lhi, pairs[k][2]);
        ck_assert_double_eq(hi, pairs[k][3]);
        const char *more = NULL;
        ck_assert_ok(vs_fa_set_int(fa, pairs[k][0], pairs[k][2] + 1));
        ck_assert_ok(vs_fa_get_str(&more, fa, pairs[k][0]));
        ck_assert_status(vs_lexical_set_str(x, pairs[k][1], more), VS_ENOTFOUND);
        ck_assert_status(vs_lexical_set_int(x, pairs[k][1], pairs[k][2] + 1), VS_ERANGE);
        for (int v = 0; v <= pairs[k][2]; v++) {
            const char *a = NULL, *b = NULL;
            ck_assert_ok(vs_fa_set_int(fa, pairs[k][0], v));
            ck_assert_ok(vs_lexical_set_int(x, pairs[k][1], v));
            ck_assert_ok(vs_fa_get_str(&a, fa, pairs[k][0]));
            ck_assert_ok(vs_lexical_get_str(&b, x, pairs[k][1]));
            ck_assert_str_eq(a, b);
            ck_assert_ok(vs_lexical_set_str(x, pairs[k][1], a));
            ck_assert_ok(vs_fa_set_str(fa, pairs[k][0], b));
        }
    }
    ck_assert_ok(vs_lexical_set_str(x, VS_LEXICAL_OPT_METHOD, "mle")); /* fa's alias too */
    int64_t m = -1;
    ck_assert_ok(vs_lexical_get_int(&m, x, VS_LEXICAL_OPT_METHOD));
    ck_assert_int_eq(m, VS_FA_ML);
    vs_lexical_free(x);
    vs_fa_free(fa);
}
END_TEST

static int fake_loglik(void *ud, vs_model_batch *b, const vs_model_loglik_request *const *req, size_t n, double *lp,
                       int *greedy, int *status) {
    (void)ud;
    (void)b;
    (void)req;
    for (size_t i = 0; i < n; i++) {
        lp[i] = -1;
        if (greedy) greedy[i] = 0;
        status[i] = VS_MODEL_ITEM_OK;
    }
    return 0;
}

START_TEST(runner_reads_every_type) {
    vs_model_callbacks cb;
    vs_model_callbacks_init(&cb);
    cb.loglikelihood = fake_loglik;
    vs_model *m = NULL;
    vs_bank *b = NULL;
    vs_runner *r = NULL;
    ck_assert_ok(vs_model_create(&m, &cb, NULL));
    ck_assert_ok(vs_bank_builtin(&b, "valuelex"));
    ck_assert_ok(vs_runner_create(&r, b, m, VS_RUNNER_JUDGE_LOGLIK, NULL));
    double d = -1;
    ck_assert_ok(vs_runner_get_double(&d, r, VS_RUNNER_OPT_TEMPERATURE));
    ck_assert_double_eq(d, 1.0); /* the documented default */
    ck_assert_ok(vs_runner_set_double(r, VS_RUNNER_OPT_TEMPERATURE, 0.25));
    ck_assert_ok(vs_runner_get_double(&d, r, VS_RUNNER_OPT_TEMPERATURE));
    ck_assert_double_eq(d, 0.25);
    ck_assert_status(vs_runner_set_double(r, VS_RUNNER_OPT_TEMPERATURE, NAN), VS_EINVAL);
    ck_assert_status(vs_runner_set_double(r, VS_RUNNER_OPT_TEMPERATURE, 100.5), VS_ERANGE);
    ck_assert_status(vs_runner_get_double(&d, r, VS_RUNNER_OPT_REPEATS), VS_EINVAL);
    ck_assert_status(vs_runner_get_double(&d, r, VS_RUNNER_OPT_JOURNAL), VS_EINVAL);
    ck_assert_status(vs_runner_get_double(&d, r, 0), VS_EINVAL);
    ck_assert_status(vs_runner_get_double(NULL, r, VS_RUNNER_OPT_TEMPERATURE), VS_EINVAL);
    ck_assert_status(vs_runner_get_double(&d, NULL, VS_RUNNER_OPT_TEMPERATURE), VS_EINVAL);
    ck_assert_double_eq(d, 0.25);

    const char *s = NULL;
    ck_assert_ok(vs_runner_get_str(&s, r, VS_RUNNER_OPT_BANK_REF));
    ck_assert_str_eq(s, "valuelex"); /* defaults to the bank's name */
    ck_assert_ok(vs_runner_get_str(&s, r, VS_RUNNER_OPT_JOURNAL));
    ck_assert_str_eq(s, "");
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_MODEL_ID, "m\xc3\xa9"));
    ck_assert_ok(vs_runner_get_str(&s, r, VS_RUNNER_OPT_MODEL_ID));
    ck_assert_str_eq(s, "m\xc3\xa9");
    ck_assert_status(vs_runner_set_str(r, VS_RUNNER_OPT_MODEL_ID, "bad \xff"), VS_EUTF8);
    ck_assert_ok(vs_runner_get_str(&s, r, VS_RUNNER_OPT_MODEL_ID));
    ck_assert_str_eq(s, "m\xc3\xa9");
    ck_assert_status(vs_runner_get_str(&s, r, VS_RUNNER_OPT_REPEATS), VS_EINVAL);
    ck_assert_ptr_null(s);
    ck_assert_status(vs_runner_get_str(&s, r, 99), VS_EINVAL);
    ck_assert_status(vs_runner_get_str(NULL, r, VS_RUNNER_OPT_JOURNAL), VS_EINVAL);
    double lo, hi;
    ck_assert_status(vs_runner_option_bounds(&lo, &hi, VS_RUNNER_OPT_JOURNAL), VS_EINVAL);
    ck_assert_ok(vs_runner_option_bounds(&lo, &hi, VS_RUNNER_OPT_TEMPERATURE));
    ck_assert_double_eq(lo, 0);
    ck_assert_double_eq(hi, 100);
    vs_runner_free(r);
    vs_bank_free(b);
    vs_model_free(m);
}
END_TEST

START_TEST(lexicon_bounds) {
    static const int opts[] = {VS_LEXICON_OPT_MIN_FREQ, VS_LEXICON_OPT_MIN_MODELS, VS_LEXICON_OPT_MAX_WORDS};
    vs_lexicon *l = NULL;
    ck_assert_ok(vs_lexicon_create(&l));
    for (size_t i = 0; i < 3; i++) {
        double lo = 0, hi = 0;
        ck_assert_ok(vs_lexicon_option_bounds(&lo, &hi, opts[i]));
        ck_assert_double_eq(lo, 1); /* documented: 1..1000000 */
        ck_assert_double_eq(hi, 1000000);
        ck_assert_ok(vs_lexicon_set_int(l, opts[i], (int64_t)hi));
        ck_assert_status(vs_lexicon_set_int(l, opts[i], (int64_t)hi + 1), VS_ERANGE);
        ck_assert_status(vs_lexicon_set_int(l, opts[i], (int64_t)lo - 1), VS_ERANGE);
        int64_t v = 0;
        ck_assert_ok(vs_lexicon_get_int(&v, l, opts[i]));
        ck_assert_int_eq(v, 1000000);
    }
    double lo = -5, hi = -5;
    ck_assert_status(vs_lexicon_option_bounds(&lo, &hi, 0), VS_EINVAL);
    ck_assert_status(vs_lexicon_option_bounds(&lo, &hi, 4), VS_EINVAL);
    ck_assert_status(vs_lexicon_option_bounds(NULL, &hi, VS_LEXICON_OPT_MIN_FREQ), VS_EINVAL);
    ck_assert_status(vs_lexicon_option_bounds(&lo, NULL, VS_LEXICON_OPT_MIN_FREQ), VS_EINVAL);
    ck_assert_double_eq(lo, -5);
    ck_assert_double_eq(hi, -5);
    vs_lexicon_free(l);
}
END_TEST

/* Each init function gives what its macro gives: the struct is filled with 0xA5 first, so a
 * field it forgot would show; a is the macro's value, b the function's. */
#define INIT_PAIR(T, MACRO) \
    T a = MACRO, b;          \
    memset(&b, 0xA5, sizeof b); \
    T##_init(&b);            \
    T##_init(NULL);          \
    ck_assert_uint_eq(b.struct_size, sizeof(T)); \
    ck_assert_uint_eq(a.struct_size, b.struct_size)

START_TEST(init_functions_match_macros) {
    {
        INIT_PAIR(vs_allocator, VS_ALLOCATOR_INIT);
        ck_assert_ptr_eq(b.user_data, a.user_data);
        ck_assert_ptr_null(b.malloc_fn);
        ck_assert_ptr_null(b.realloc_fn);
        ck_assert_ptr_null(b.free_fn);
    }
    {
        INIT_PAIR(vs_dataset_options, VS_DATASET_OPTIONS_INIT);
        ck_assert_uint_eq(b.flags, a.flags);
        ck_assert_ptr_null(b.id_field);
        ck_assert_ptr_null(b.labels_field);
        ck_assert_ptr_null(b.space);
        ck_assert_uint_eq(b.level, 0);
        ck_assert_uint_eq(b.max_line_bytes, 0);
    }
    {
        INIT_PAIR(vs_evaluator_callbacks, VS_EVALUATOR_CALLBACKS_INIT);
        ck_assert_ptr_eq(b.destroy, a.destroy);
    }
    {
        INIT_PAIR(vs_evaluator_metrics, VS_EVALUATOR_METRICS_INIT);
        ck_assert_uint_eq(b.n, a.n);
        ck_assert_uint_eq(b.n_skipped, 0);
        ck_assert_uint_eq(b.n_neg, 0);
    }
    {
        INIT_PAIR(vs_lexical_elicit_opts, VS_LEXICAL_ELICIT_OPTS_INIT);
        ck_assert_uint_eq(b.max_tokens, 0);
        ck_assert_uint_eq(b.seed, 0);
        ck_assert_uint_eq(b.repeats, a.repeats);
        ck_assert_uint_eq(b.repeats, 1);
        ck_assert_double_eq(b.temperature, 1.0);
        ck_assert_int_eq(b.resume, 0);
        ck_assert_ptr_null(b.prompts);
        ck_assert_uint_eq(b.n_prompts, 0);
    }
    {
        INIT_PAIR(vs_model_gen_request, VS_MODEL_GEN_REQUEST_INIT);
        ck_assert_double_eq(b.temperature, a.temperature);
        ck_assert_double_eq(b.temperature, 1.0);
        ck_assert_uint_eq(b.max_tokens, 0);
        ck_assert_ptr_null(b.id);
        ck_assert_ptr_null(b.prompt);
        ck_assert_uint_eq(b.n_messages, 0);
    }
    {
        INIT_PAIR(vs_model_loglik_request, VS_MODEL_LOGLIK_REQUEST_INIT);
        ck_assert_ptr_eq(b.id, a.id);
        ck_assert_ptr_null(b.context);
        ck_assert_ptr_null(b.continuation);
    }
    {
        INIT_PAIR(vs_model_text_request, VS_MODEL_TEXT_REQUEST_INIT);
        ck_assert_ptr_eq(b.id, a.id);
        ck_assert_ptr_null(b.text);
        ck_assert_ptr_null(b.context);
    }
    {
        INIT_PAIR(vs_model_callbacks, VS_MODEL_CALLBACKS_INIT);
        ck_assert_ptr_eq(b.generate, a.generate);
        ck_assert_ptr_null(b.loglikelihood);
        ck_assert_ptr_null(b.embed);
        ck_assert_ptr_null(b.classify);
        ck_assert_ptr_null(b.destroy);
    }
    {
        INIT_PAIR(vs_runner_score, VS_RUNNER_SCORE_INIT);
        ck_assert_uint_eq(b.n, a.n);
        ck_assert_double_eq(b.score, 0);
        ck_assert_double_eq(b.ci_low, 0);
        ck_assert_double_eq(b.ci_high, 0);
    }
    {
        INIT_PAIR(vs_circle_fit, VS_CIRCLE_FIT_INIT);
        ck_assert_double_eq(b.mesor, a.mesor);
        ck_assert_double_eq(b.amplitude, 0);
        ck_assert_double_eq(b.r_squared, 0);
        ck_assert_uint_eq(b.n, 0);
    }
    {
        INIT_PAIR(vs_accum_stats, VS_ACCUM_STATS_INIT);
        ck_assert_uint_eq(b.n, a.n);
        ck_assert_double_eq(b.mean, 0);
        ck_assert_double_eq(b.m2, 0);
    }
}
END_TEST
#undef INIT_PAIR

static Suite *options_suite(void) {
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, every_option_has_its_name);
    tcase_add_test(tc, enum_options_read_as_names);
    tcase_add_test(tc, lexical_and_fa_share_names);
    tcase_add_test(tc, runner_reads_every_type);
    tcase_add_test(tc, lexicon_bounds);
    tcase_add_test(tc, init_functions_match_macros);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(options_suite()); }
