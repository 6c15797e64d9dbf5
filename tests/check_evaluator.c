/* The evaluator module: options, features, training on a separable synthetic set, metrics
 * checked by hand (and with scikit-learn, snippets in the comments), seeded cross-validation,
 * batch-size independence, model files (round trip, truncation, corruption), the callback
 * backend, bootstrap profiles and allocation failures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evaluator/evaluator_internal.h"
#include "testutil.h"

/* ------------------------------------------------------------------ a synthetic data set */

/* A space "toy" with one level "value" and two dimensions, "kind" and "brave". */
static vs_space *toy_space(void) {
    static const char *const dims[] = {"kind", "Kind", "brave", "Brave"};
    return vs_test_space("toy", "value", dims, 2);
}

typedef struct toy {
    size_t n;
    char **prompts, **responses;
    double *labels; /* n x 2 */
    size_t *groups;
} toy;

static uint64_t lcg(uint64_t *s) {
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

/* Separable items: the response holds filler words and, per dimension, a marker word for +1
 * ("helps" / "bold") or -1 ("hurts" / "timid"), none for 0. Labels cycle through all nine
 * combinations, so every class of every dimension occurs. */
static toy make_toy(size_t n, uint64_t seed) {
    static const char *filler[] = {"the", "a", "river", "stone", "cloud", "seven", "blue", "under",
                                   "quiet", "table", "morning", "green", "paper", "window", "slowly"};
    static const char *kind_word[] = {"hurts", "", "helps"}, *brave_word[] = {"timid", "", "bold"};
    toy t;
    t.n = n;
    t.prompts = calloc(n, sizeof *t.prompts);
    t.responses = calloc(n, sizeof *t.responses);
    t.labels = calloc(2 * n, sizeof *t.labels);
    t.groups = calloc(n, sizeof *t.groups);
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++) {
        int a = (int)(i % 3), b = (int)((i / 3) % 3);
        t.labels[2 * i] = a - 1;
        t.labels[2 * i + 1] = b - 1;
        t.groups[i] = lcg(&s) % 4;
        char buf[512];
        size_t len = 0;
        for (int w = 0; w < 6; w++) {
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s ", filler[lcg(&s) % 15]);
            if (w == 2) len += (size_t)snprintf(buf + len, sizeof buf - len, "%s ", kind_word[a]);
            if (w == 4) len += (size_t)snprintf(buf + len, sizeof buf - len, "%s ", brave_word[b]);
        }
        t.responses[i] = strdup(buf);
        snprintf(buf, sizeof buf, "Question %zu: what would you do?", i);
        t.prompts[i] = strdup(buf);
    }
    return t;
}

static void free_toy(toy *t) {
    for (size_t i = 0; i < t->n; i++) {
        free(t->prompts[i]);
        free(t->responses[i]);
    }
    free(t->prompts);
    free(t->responses);
    free(t->labels);
    free(t->groups);
}

#define CP(x) ((const char *const *)(x))

/* A trained toy model with few buckets (small files). */
static vs_evaluator *toy_model(vs_space *space, const toy *t, int64_t buckets) {
    vs_evaluator *ev = NULL;
    ck_assert_ok(vs_evaluator_create(&ev, space, 0));
    ck_assert_ok(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_BUCKETS, buckets));
    ck_assert_ok(vs_evaluator_train(ev, CP(t->prompts), CP(t->responses), t->labels, t->n));
    return ev;
}

/* ------------------------------------------------------------------ options */

START_TEST(options_defaults_bounds_and_errors) {
    vs_space *space = toy_space();
    vs_evaluator *ev = NULL;
    ck_assert_status(vs_evaluator_create(NULL, space, 0), VS_EINVAL);
    ck_assert_status(vs_evaluator_create(&ev, NULL, 0), VS_EINVAL);
    ck_assert_ptr_null(ev);
    ck_assert_status(vs_evaluator_create(&ev, space, 1), VS_ERANGE);
    ck_assert_ok(vs_evaluator_create(&ev, space, 0));
    ck_assert_int_eq(vs_evaluator_kind(ev), VS_EVALUATOR_BUILTIN);
    ck_assert_uint_eq(vs_evaluator_dimension_count(ev), 2);
    ck_assert_uint_eq(vs_evaluator_level(ev), 0);
    ck_assert_ptr_eq(vs_evaluator_space(ev), space);
    ck_assert_int_eq(vs_evaluator_is_ready(ev), 0);
    ck_assert_uint_eq(vs_evaluator_active_bucket_count(ev), 0);

    int64_t v;
    double x, lo, hi;
    ck_assert_ok(vs_evaluator_get_int(&v, ev, VS_EVALUATOR_OPT_BUCKETS));
    ck_assert_int_eq(v, 1 << 18);
    ck_assert_ok(vs_evaluator_get_int(&v, ev, VS_EVALUATOR_OPT_MAX_NGRAM));
    ck_assert_int_eq(v, 2);
    ck_assert_ok(vs_evaluator_get_int(&v, ev, VS_EVALUATOR_OPT_TEXT_FLAGS));
    ck_assert_int_eq(v, VS_TEXT_NFKC | VS_TEXT_CASEFOLD);
    ck_assert_ok(vs_evaluator_get_int(&v, ev, VS_EVALUATOR_OPT_CLASS_WEIGHT));
    ck_assert_int_eq(v, VS_EVALUATOR_CLASS_WEIGHT_BALANCED);
    ck_assert_ok(vs_evaluator_get_double(&x, ev, VS_EVALUATOR_OPT_C));
    ck_assert_double_eq(x, 10.0);
    ck_assert_ok(vs_evaluator_option_bounds(&lo, &hi, VS_EVALUATOR_OPT_MAX_NGRAM));
    ck_assert_double_eq(lo, 1.0);
    ck_assert_double_eq(hi, 3.0);
    for (int opt = VS_EVALUATOR_OPT_BUCKETS; opt <= VS_EVALUATOR_OPT_THREADS; opt++)
        ck_assert_ok(vs_evaluator_option_bounds(&lo, &hi, opt));
    ck_assert_status(vs_evaluator_option_bounds(&lo, &hi, 999), VS_EINVAL);
    ck_assert_status(vs_evaluator_option_bounds(NULL, &hi, VS_EVALUATOR_OPT_C), VS_EINVAL);

    ck_assert_status(vs_evaluator_set_int(ev, 999, 1), VS_EINVAL);
    ck_assert_status(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_C, 1), VS_EINVAL);
    ck_assert_status(vs_evaluator_set_double(ev, VS_EVALUATOR_OPT_BUCKETS, 1.0), VS_EINVAL);
    ck_assert_status(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_BUCKETS, 1000), VS_ERANGE); /* not 2^k */
    ck_assert_status(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_BUCKETS, 8), VS_ERANGE);
    ck_assert_status(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_MAX_NGRAM, 4), VS_ERANGE);
    ck_assert_status(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_TEXT_FLAGS, VS_TEXT_HASH_SIGNED), VS_ERANGE);
    ck_assert_status(vs_evaluator_set_double(ev, VS_EVALUATOR_OPT_C, 0.0), VS_ERANGE);
    ck_assert_status(vs_evaluator_set_double(ev, VS_EVALUATOR_OPT_C, NAN), VS_EINVAL);
    ck_assert_status(vs_evaluator_set_int(NULL, VS_EVALUATOR_OPT_MAX_NGRAM, 1), VS_EINVAL);
    ck_assert_status(vs_evaluator_get_int(&v, ev, VS_EVALUATOR_OPT_TOLERANCE), VS_EINVAL);
    ck_assert_status(vs_evaluator_get_double(&x, ev, VS_EVALUATOR_OPT_SEED), VS_EINVAL);
    ck_assert_ok(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_BUCKETS, 1024));
    ck_assert_ok(vs_evaluator_set_double(ev, VS_EVALUATOR_OPT_TOLERANCE, 1e-6));
    ck_assert_ok(vs_evaluator_get_double(&x, ev, VS_EVALUATOR_OPT_TOLERANCE));
    ck_assert_double_eq(x, 1e-6);

    /* after training the feature options are frozen, the others are not */
    toy t = make_toy(18, 1);
    ck_assert_ok(vs_evaluator_train(ev, CP(t.prompts), CP(t.responses), t.labels, t.n));
    ck_assert_int_eq(vs_evaluator_is_ready(ev), 1);
    ck_assert_uint_gt(vs_evaluator_active_bucket_count(ev), 0);
    ck_assert_status(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_BUCKETS, 2048), VS_ESTATE);
    ck_assert_status(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_SEED, 5), VS_ESTATE);
    ck_assert_ok(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_VALUE, VS_EVALUATOR_VALUE_EXPECTED));
    ck_assert_ok(vs_evaluator_set_double(ev, VS_EVALUATOR_OPT_C, 2.0));
    free_toy(&t);
    vs_evaluator_free(ev);
    vs_evaluator_free(NULL);
    vs_space_free(space);
    ck_assert_int_eq(vs_evaluator_kind(NULL), -1);
    ck_assert_uint_eq(vs_evaluator_dimension_count(NULL), 0);
    ck_assert_int_eq(vs_evaluator_is_ready(NULL), 0);
}
END_TEST

/* ------------------------------------------------------------------ features */

/* The buckets and counts are those of vs_text_features() (same tokens, hash and seed). */
START_TEST(features_match_text_module) {
    static const char *texts[] = {"The river, the river and THE stone.", "Self-direction matters; don't stop.",
                                  u8"Ｆｕｌｌｗｉｄｔｈ ﬁne café CAFÉ", "", "one"};
    vs__ev_options o;
    vs__ev_options_default(&o);
    o.input = VS_EVALUATOR_INPUT_RESPONSE;
    o.weighting = VS_EVALUATOR_WEIGHT_COUNT;
    o.buckets = 64; /* few buckets: collisions must merge exactly as in the text module */
    o.seed = 12345;
    vs__ev_featurizer f;
    memset(&f, 0, sizeof f);
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        uint32_t *idx = NULL;
        int64_t *cnt = NULL;
        size_t m = 0;
        ck_assert_ok(vs_text_features(&idx, &cnt, &m, texts[i], VS_TEXT_NULTERM, o.text_flags, 2, o.buckets, o.seed));
        ck_assert_ok(vs__ev_featurize(&f, &o, "ignored prompt", texts[i], i, "test"));
        ck_assert_uint_eq(f.n, m);
        double ss = 0.0;
        for (size_t e = 0; e < m; e++) ss += (double)cnt[e] * (double)cnt[e];
        for (size_t e = 0; e < m; e++) {
            size_t found = 0;
            for (size_t j = 0; j < f.n; j++)
                if (f.idx[j] == idx[e]) {
                    found++;
                    ck_assert_double_eq_tol(f.val[j], (double)cnt[e] / sqrt(ss), 1e-15);
                }
            ck_assert_uint_eq(found, 1);
        }
        vs_free(idx);
        vs_free(cnt);
    }
    /* binary weighting: every present bucket has the value 1 / sqrt(count of buckets) */
    o.weighting = VS_EVALUATOR_WEIGHT_BINARY;
    ck_assert_ok(vs__ev_featurize(&f, &o, NULL, texts[0], 0, "test"));
    for (size_t j = 0; j < f.n; j++) ck_assert_double_eq_tol(f.val[j], 1.0 / sqrt((double)f.n), 1e-15);
    /* the prompt adds features of its own (another hash seed) */
    size_t alone = f.n;
    o.input = VS_EVALUATOR_INPUT_BOTH;
    ck_assert_ok(vs__ev_featurize(&f, &o, "a prompt", texts[0], 0, "test"));
    ck_assert_uint_gt(f.n, alone);
    /* invalid UTF-8: an error naming the item; with VS_TEXT_REPLACE_INVALID it is a separator */
    int rc = vs__ev_featurize(&f, &o, NULL, "ok \xC0\xAF bad", 7, "vs_evaluator_predict");
    ck_assert_int_eq(rc, VS_EUTF8);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "item 7"));
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "response"));
    o.text_flags |= VS_TEXT_REPLACE_INVALID;
    ck_assert_ok(vs__ev_featurize(&f, &o, NULL, "ok \xC0\xAF bad", 7, "test"));
    vs__ev_featurizer_release(&f);
}
END_TEST

/* ------------------------------------------------------------------ training and prediction */

START_TEST(separable_set_reaches_full_accuracy) {
    vs_space *space = toy_space();
    toy train = make_toy(90, 11), test = make_toy(45, 999);
    vs_evaluator *ev = NULL;
    ck_assert_ok(vs_evaluator_create(&ev, space, 0));
    ck_assert_status(vs_evaluator_predict(NULL, 0, NULL, 0, NULL, 0, ev, NULL, CP(test.responses), 1), VS_ESTATE);
    ck_assert_ok(vs_evaluator_train(ev, CP(train.prompts), CP(train.responses), train.labels, train.n));
    double *values = calloc(2 * test.n, sizeof *values), *probs = calloc(6 * test.n, sizeof *probs);
    int32_t *st = calloc(test.n, sizeof *st);
    ck_assert_ok(vs_evaluator_predict(values, 2 * test.n, probs, 6 * test.n, st, test.n, ev, CP(test.prompts),
                                      CP(test.responses), test.n));
    for (size_t d = 0; d < 2; d++) {
        vs_evaluator_metrics m = VS_EVALUATOR_METRICS_INIT;
        ck_assert_ok(vs_evaluator_metrics_compute(&m, test.labels + d, values + d, test.n, 2));
        ck_assert_double_eq(m.accuracy, 1.0);
        ck_assert_double_eq(m.macro_f1, 1.0);
    }
    for (size_t i = 0; i < test.n; i++) {
        ck_assert_int_eq(st[i], VS_OK);
        for (size_t d = 0; d < 2; d++) {
            const double *p = probs + (i * 2 + d) * 3;
            ck_assert_double_eq_tol(p[0] + p[1] + p[2], 1.0, 1e-12);
            int c = (int)test.labels[i * 2 + d] + 1;
            ck_assert(p[c] > 1.0 / 3.0 && p[c] >= p[(c + 1) % 3] && p[c] >= p[(c + 2) % 3]);
        }
    }
    /* expected values p(+1) - p(-1) have the label's sign */
    ck_assert_ok(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_VALUE, VS_EVALUATOR_VALUE_EXPECTED));
    ck_assert_ok(vs_evaluator_predict(values, 2 * test.n, NULL, 0, NULL, 0, ev, CP(test.prompts),
                                      CP(test.responses), test.n));
    for (size_t i = 0; i < 2 * test.n; i++) {
        if (test.labels[i] > 0) ck_assert(values[i] > 0.3);
        if (test.labels[i] < 0) ck_assert(values[i] < -0.3);
        if (test.labels[i] == 0) ck_assert(fabs(values[i]) < 0.5);
    }
    /* other feature settings learn the set too: trigrams, the response alone (all right); log
     * counts (repeated filler words weigh more there, so a miss or two is allowed) */
    for (int variant = 0; variant < 3; variant++) {
        vs_evaluator *other = NULL;
        ck_assert_ok(vs_evaluator_create(&other, space, 0));
        if (variant == 0) ck_assert_ok(vs_evaluator_set_int(other, VS_EVALUATOR_OPT_MAX_NGRAM, 3));
        if (variant == 1)
            ck_assert_ok(vs_evaluator_set_int(other, VS_EVALUATOR_OPT_INPUT, VS_EVALUATOR_INPUT_RESPONSE));
        if (variant == 2)
            ck_assert_ok(vs_evaluator_set_int(other, VS_EVALUATOR_OPT_WEIGHTING, VS_EVALUATOR_WEIGHT_LOG));
        ck_assert_ok(vs_evaluator_train(other, CP(train.prompts), CP(train.responses), train.labels, train.n));
        ck_assert_ok(vs_evaluator_predict(values, 2 * test.n, NULL, 0, NULL, 0, other, CP(test.prompts),
                                          CP(test.responses), test.n));
        size_t wrong = 0;
        for (size_t i = 0; i < 2 * test.n; i++) wrong += values[i] != test.labels[i];
        const size_t allowed = variant < 2 ? 0 : 3;
        ck_assert_msg(wrong <= allowed, "variant %d: %zu wrong", variant, wrong);
        vs_evaluator_free(other);
    }
    /* buffers too small, NULL buffer with capacity, NULL response */
    ck_assert_status(vs_evaluator_predict(values, 1, NULL, 0, NULL, 0, ev, NULL, CP(test.responses), 2), VS_EBUFSIZE);
    ck_assert_status(vs_evaluator_predict(NULL, 0, probs, 5, NULL, 0, ev, NULL, CP(test.responses), 1), VS_EBUFSIZE);
    ck_assert_status(vs_evaluator_predict(NULL, 0, NULL, 0, st, 0, ev, NULL, CP(test.responses), 1), VS_EBUFSIZE);
    ck_assert_status(vs_evaluator_predict(NULL, 4, NULL, 0, NULL, 0, ev, NULL, CP(test.responses), 1), VS_EINVAL);
    const char *null_resp[1] = {NULL};
    ck_assert_status(vs_evaluator_predict(values, 2, NULL, 0, NULL, 0, ev, NULL, null_resp, 1), VS_EINVAL);
    ck_assert_ok(vs_evaluator_predict(NULL, 0, NULL, 0, NULL, 0, ev, NULL, NULL, 0));
    free(values);
    free(probs);
    free(st);
    free_toy(&train);
    free_toy(&test);
    vs_evaluator_free(ev);
    vs_space_free(space);
}
END_TEST

START_TEST(training_is_deterministic_and_validates) {
    vs_space *space = toy_space();
    toy t = make_toy(27, 3);
    vs_evaluator *a = toy_model(space, &t, 4096), *b = NULL;
    ck_assert_ok(vs_evaluator_create(&b, space, 0));
    ck_assert_ok(vs_evaluator_set_int(b, VS_EVALUATOR_OPT_BUCKETS, 4096));
    ck_assert_ok(vs_evaluator_set_int(b, VS_EVALUATOR_OPT_THREADS, 2)); /* same result with threads */
    ck_assert_ok(vs_evaluator_train(b, CP(t.prompts), CP(t.responses), t.labels, t.n));
    void *fa = NULL, *fb = NULL;
    size_t la, lb;
    ck_assert_ok(vs_evaluator_save_buffer(&fa, &la, a));
    ck_assert_ok(vs_evaluator_save_buffer(&fb, &lb, b));
    ck_assert_uint_eq(la, lb);
    /* the files differ only in the stored thread count (offset after the keys and 10 options) */
    size_t diff = 0;
    for (size_t i = 0; i < la; i++) diff += ((unsigned char *)fa)[i] != ((unsigned char *)fb)[i];
    ck_assert_uint_le(diff, 9); /* the threads field (1 byte) and the checksum (8 bytes) */
    vs_free(fa);
    vs_free(fb);

    /* bad labels are rejected with the item and dimension; the model stays as it was */
    double saved = t.labels[5 * 2 + 1];
    t.labels[5 * 2 + 1] = 0.5;
    ck_assert_status(vs_evaluator_train(b, CP(t.prompts), CP(t.responses), t.labels, t.n), VS_EINVAL);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "item 5"));
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "brave"));
    ck_assert_int_eq(vs_evaluator_is_ready(b), 1);
    t.labels[5 * 2 + 1] = INFINITY;
    ck_assert_status(vs_evaluator_train(b, CP(t.prompts), CP(t.responses), t.labels, t.n), VS_EINVAL);
    t.labels[5 * 2 + 1] = saved;
    ck_assert_status(vs_evaluator_train(b, CP(t.prompts), CP(t.responses), t.labels, 0), VS_ERANGE);
    ck_assert_status(vs_evaluator_train(b, CP(t.prompts), NULL, t.labels, t.n), VS_EINVAL);
    ck_assert_status(vs_evaluator_train(NULL, CP(t.prompts), CP(t.responses), t.labels, t.n), VS_EINVAL);
    char *bad = t.responses[4];
    t.responses[4] = (char *)"ok \xE2\x82";
    ck_assert_status(vs_evaluator_train(b, CP(t.prompts), CP(t.responses), t.labels, t.n), VS_EUTF8);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "item 4"));
    t.responses[4] = bad;

    /* one class only: predicted with probability 1; no label at all: NaN */
    for (size_t i = 0; i < t.n; i++) {
        t.labels[2 * i] = 1.0;
        t.labels[2 * i + 1] = NAN;
    }
    ck_assert_ok(vs_evaluator_train(b, CP(t.prompts), CP(t.responses), t.labels, t.n));
    double v[2], p[6];
    const char *one[1] = {"anything at all"};
    ck_assert_ok(vs_evaluator_predict(v, 2, p, 6, NULL, 0, b, NULL, one, 1));
    ck_assert_double_eq(v[0], 1.0);
    ck_assert_double_eq(p[0], 0.0);
    ck_assert_double_eq(p[1], 0.0);
    ck_assert_double_eq(p[2], 1.0);
    ck_assert(isnan(v[1]) && isnan(p[3]) && isnan(p[4]) && isnan(p[5]));
    free_toy(&t);
    vs_evaluator_free(a);
    vs_evaluator_free(b);
    vs_space_free(space);
}
END_TEST

/* Items predicted one at a time give bit-identical results to one call for all. */
START_TEST(prediction_independent_of_batch) {
    vs_space *space = toy_space();
    toy t = make_toy(36, 5), u = make_toy(20, 77);
    vs_evaluator *ev = toy_model(space, &t, 1 << 12);
    double all_v[40], all_p[120], one_v[2], one_p[6];
    ck_assert_ok(vs_evaluator_predict(all_v, 40, all_p, 120, NULL, 0, ev, CP(u.prompts), CP(u.responses), u.n));
    for (size_t i = 0; i < u.n; i++) {
        ck_assert_ok(vs_evaluator_predict(one_v, 2, one_p, 6, NULL, 0, ev, CP(u.prompts + i), CP(u.responses + i), 1));
        ck_assert(memcmp(one_v, all_v + 2 * i, sizeof one_v) == 0);
        ck_assert(memcmp(one_p, all_p + 6 * i, sizeof one_p) == 0);
    }
    /* a failing item does not disturb the others; its status and message name it */
    char *keep = u.responses[3];
    u.responses[3] = (char *)"bad \xFF byte";
    int32_t st[20];
    double v2[40];
    ck_assert_status(vs_evaluator_predict(v2, 40, NULL, 0, st, 20, ev, CP(u.prompts), CP(u.responses), u.n),
                     VS_EUTF8);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "item 3"));
    for (size_t i = 0; i < u.n; i++) {
        ck_assert_int_eq(st[i], i == 3 ? VS_EUTF8 : VS_OK);
        if (i != 3) ck_assert(memcmp(v2 + 2 * i, all_v + 2 * i, 2 * sizeof(double)) == 0);
    }
    ck_assert(isnan(v2[6]) && isnan(v2[7]));
    u.responses[3] = keep;
    free_toy(&t);
    free_toy(&u);
    vs_evaluator_free(ev);
    vs_space_free(space);
}
END_TEST

/* ------------------------------------------------------------------ metrics */

/* truth [-1,0,1,1,0,0,1,-1,0,1,0,0], pred [-1,0,1,0,0,1,1,0,0,1,-1,0]. By hand (rows truth,
 * columns prediction, order -1,0,+1): confusion [[1,1,0],[1,4,1],[0,1,3]]; accuracy 8/12;
 * F1(-1) = 2*1/(2+1+1) = 0.5, F1(0) = 8/12, F1(+1) = 6/8; macro-F1 = 0.638888...
 * Baseline: the majority class 0 (6 of 12): accuracy 0.5, F1(0) = 12/18, the other classes
 * occur in the truth with F1 0, so macro-F1 = 2/9. scikit-learn 1.2.1 agrees:
 *   from sklearn.metrics import accuracy_score, f1_score, confusion_matrix
 *   t = [-1,0,1,1,0,0,1,-1,0,1,0,0]; p = [-1,0,1,0,0,1,1,0,0,1,-1,0]
 *   accuracy_score(t, p)                 # 0.6666666666666666
 *   f1_score(t, p, average="macro")      # 0.6388888888888888
 *   confusion_matrix(t, p, labels=[-1,0,1])
 *   f1_score(t, [0]*12, average="macro") # 0.2222222222222222
 *   f1_score([0,0,1,1,0], [0,-1,1,0,0], average="macro")  # 0.4444444444444444
 */
START_TEST(metrics_by_hand) {
    const double t[12] = {-1, 0, 1, 1, 0, 0, 1, -1, 0, 1, 0, 0};
    const double p[12] = {-1, 0, 1, 0, 0, 1, 1, 0, 0, 1, -1, 0};
    vs_evaluator_metrics m = VS_EVALUATOR_METRICS_INIT;
    ck_assert_ok(vs_evaluator_metrics_compute(&m, t, p, 12, 1));
    ck_assert_uint_eq(m.n, 12);
    ck_assert_uint_eq(m.n_neg, 2);
    ck_assert_uint_eq(m.n_zero, 6);
    ck_assert_uint_eq(m.n_pos, 4);
    const uint64_t conf[9] = {1, 1, 0, 1, 4, 1, 0, 1, 3};
    for (int i = 0; i < 9; i++) ck_assert_uint_eq(m.confusion[i], conf[i]);
    ck_assert_double_eq_tol(m.accuracy, 8.0 / 12.0, 1e-15);
    ck_assert_double_eq_tol(m.f1[0], 0.5, 1e-15);
    ck_assert_double_eq_tol(m.f1[1], 8.0 / 12.0, 1e-15);
    ck_assert_double_eq_tol(m.f1[2], 0.75, 1e-15);
    ck_assert_double_eq_tol(m.precision[2], 0.75, 1e-15);
    ck_assert_double_eq_tol(m.recall[1], 4.0 / 6.0, 1e-15);
    ck_assert_double_eq_tol(m.macro_f1, 0.6388888888888888, 1e-15);
    ck_assert_double_eq(m.baseline_class, 0.0);
    ck_assert_double_eq_tol(m.baseline_accuracy, 0.5, 1e-15);
    ck_assert_double_eq_tol(m.baseline_macro_f1, 2.0 / 9.0, 1e-15);

    /* a class only in the prediction counts in the macro average */
    const double t2[5] = {0, 0, 1, 1, 0}, p2[5] = {0, -1, 1, 0, 0};
    ck_assert_ok(vs_evaluator_metrics_compute(&m, t2, p2, 5, 1));
    ck_assert_double_eq_tol(m.macro_f1, 0.4444444444444444, 1e-15);
    ck_assert_double_eq_tol(m.accuracy, 0.6, 1e-15);
    ck_assert(isnan(m.precision[0]) == 0 && m.precision[0] == 0.0);
    ck_assert(isnan(m.recall[0])); /* no truth of class -1 */
    /* classes in neither do not count: a perfect binary prediction has macro-F1 1 */
    const double t3[4] = {1, 1, 0, 0}, p3[4] = {1, 1, 0, 0};
    ck_assert_ok(vs_evaluator_metrics_compute(&m, t3, p3, 4, 1));
    ck_assert_double_eq(m.macro_f1, 1.0);
    ck_assert(isnan(m.f1[0]));
    /* expected values map to the nearest class; NaN skips; stride picks a column */
    const double t4[6] = {1, 9, -1, 9, NAN, 9}, p4[6] = {0.6, 9, -0.5, 9, 0.2, 9};
    ck_assert_ok(vs_evaluator_metrics_compute(&m, t4, p4, 3, 2));
    ck_assert_uint_eq(m.n, 2);
    ck_assert_uint_eq(m.n_skipped, 1);
    ck_assert_double_eq(m.accuracy, 1.0);
    /* ties of the majority go to 0, then +1 */
    const double t5[4] = {1, 1, -1, -1};
    ck_assert_ok(vs_evaluator_metrics_compute(&m, t5, t5, 4, 1));
    ck_assert_double_eq(m.baseline_class, 1.0);
    /* errors */
    const double bad[2] = {0.5, 1};
    ck_assert_status(vs_evaluator_metrics_compute(&m, bad, p, 2, 1), VS_EINVAL);
    const double inf[1] = {INFINITY};
    ck_assert_status(vs_evaluator_metrics_compute(&m, t, inf, 1, 1), VS_EINVAL);
    const double nan1[1] = {NAN};
    ck_assert_status(vs_evaluator_metrics_compute(&m, nan1, p, 1, 1), VS_EUNDEFINED);
    ck_assert_status(vs_evaluator_metrics_compute(&m, t, p, 12, 0), VS_EINVAL);
    m.struct_size = 4;
    ck_assert_status(vs_evaluator_metrics_compute(&m, t, p, 12, 1), VS_EINVAL);
    ck_assert_status(vs_evaluator_metrics_compute(NULL, t, p, 12, 1), VS_EINVAL);
}
END_TEST

/* ------------------------------------------------------------------ cross-validation */

static vs_evaluator_cv *run_cv(vs_space *space, const toy *t, size_t folds, uint64_t seed, int64_t threads) {
    vs_evaluator *ev = NULL;
    vs_evaluator_cv *cv = NULL;
    ck_assert_ok(vs_evaluator_create(&ev, space, 0));
    ck_assert_ok(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_BUCKETS, 1 << 12));
    ck_assert_ok(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_THREADS, threads));
    ck_assert_ok(vs_evaluator_cv_run(&cv, ev, CP(t->prompts), CP(t->responses), t->labels, t->groups, t->n, folds,
                                     seed));
    vs_evaluator_free(ev); /* the result does not need the evaluator */
    return cv;
}

static double *cv_array(const vs_evaluator_cv *cv, int what, size_t *n) {
    ck_assert_int_eq(vs_evaluator_cv_get(n, cv, what, NULL, 0), VS_EBUFSIZE);
    double *buf = malloc(*n * sizeof *buf);
    ck_assert_ok(vs_evaluator_cv_get(NULL, cv, what, buf, *n));
    return buf;
}

START_TEST(cv_deterministic_stratified_and_thread_independent) {
    vs_space *space = toy_space();
    toy t = make_toy(63, 21);
    vs_evaluator_cv *a = run_cv(space, &t, 5, 42, 1), *b = run_cv(space, &t, 5, 42, 2), *c = run_cv(space, &t, 5, 43, 1);
    ck_assert_uint_eq(vs_evaluator_cv_count(a), 63);
    ck_assert_uint_eq(vs_evaluator_cv_dimension_count(a), 2);
    ck_assert_uint_eq(vs_evaluator_cv_fold_count(a), 5);
    int whats[4] = {VS_EVALUATOR_CV_VALUES, VS_EVALUATOR_CV_PROBS, VS_EVALUATOR_CV_BASELINE, VS_EVALUATOR_CV_FOLD};
    size_t na, nb;
    for (int w = 0; w < 4; w++) {
        double *x = cv_array(a, whats[w], &na), *y = cv_array(b, whats[w], &nb);
        ck_assert_uint_eq(na, nb);
        ck_assert_msg(memcmp(x, y, na * sizeof *x) == 0, "array %d differs between runs", whats[w]);
        free(x);
        free(y);
    }
    /* folds: every group spread evenly (sizes differ by at most 1), every fold 12 or 13 items */
    double *fa = cv_array(a, VS_EVALUATOR_CV_FOLD, &na), *fc = cv_array(c, VS_EVALUATOR_CV_FOLD, &nb);
    size_t per[4][5] = {{0}}, tot[5] = {0}, differ = 0;
    for (size_t i = 0; i < t.n; i++) {
        per[t.groups[i]][(size_t)fa[i]]++;
        tot[(size_t)fa[i]]++;
        differ += fa[i] != fc[i];
    }
    for (int f = 0; f < 5; f++) ck_assert(tot[f] == 12 || tot[f] == 13);
    for (int g = 0; g < 4; g++) {
        size_t lo = SIZE_MAX, hi = 0;
        for (int f = 0; f < 5; f++) {
            if (per[g][f] < lo) lo = per[g][f];
            if (per[g][f] > hi) hi = per[g][f];
        }
        ck_assert_uint_le(hi - lo, 1);
    }
    ck_assert_uint_gt(differ, 0); /* another seed, other folds */
    free(fa);
    free(fc);
    /* metrics: pooled and per fold; the synthetic set is learnable */
    vs_evaluator_metrics m = VS_EVALUATOR_METRICS_INIT, mf = VS_EVALUATOR_METRICS_INIT;
    ck_assert_ok(vs_evaluator_cv_metrics(&m, a, 0, VS_NPOS));
    ck_assert_uint_eq(m.n, 63);
    ck_assert_double_ge(m.accuracy, 0.95);
    ck_assert(m.macro_f1 > m.baseline_macro_f1);
    size_t sum = 0;
    for (size_t f = 0; f < 5; f++) {
        ck_assert_ok(vs_evaluator_cv_metrics(&mf, a, 1, f));
        sum += mf.n;
    }
    ck_assert_uint_eq(sum, 63);
    ck_assert_status(vs_evaluator_cv_metrics(&m, a, 2, VS_NPOS), VS_ERANGE);
    ck_assert_status(vs_evaluator_cv_metrics(&m, a, 0, 5), VS_ERANGE);
    ck_assert_status(vs_evaluator_cv_get(NULL, a, 99, NULL, 0), VS_EINVAL);
    vs_evaluator_cv_free(a);
    vs_evaluator_cv_free(b);
    vs_evaluator_cv_free(c);
    vs_evaluator_cv_free(NULL);

    /* errors */
    vs_evaluator *ev = NULL;
    vs_evaluator_cv *cv = NULL;
    ck_assert_ok(vs_evaluator_create(&ev, space, 0));
    ck_assert_status(vs_evaluator_cv_run(&cv, ev, NULL, CP(t.responses), t.labels, NULL, t.n, 1, 0), VS_ERANGE);
    ck_assert_status(vs_evaluator_cv_run(&cv, ev, NULL, CP(t.responses), t.labels, NULL, 3, 4, 0), VS_ERANGE);
    ck_assert_status(vs_evaluator_cv_run(&cv, NULL, NULL, CP(t.responses), t.labels, NULL, t.n, 2, 0), VS_EINVAL);
    ck_assert_ptr_null(cv);
    vs_evaluator_free(ev);
    free_toy(&t);
    vs_space_free(space);
}
END_TEST

/* ------------------------------------------------------------------ model files */

START_TEST(save_load_round_trip_bit_identical) {
    vs_space *space = toy_space();
    toy t = make_toy(45, 8), u = make_toy(30, 1234);
    vs_evaluator *ev = toy_model(space, &t, 1 << 10), *back = NULL, *bound = NULL;
    void *buf = NULL, *buf2 = NULL;
    size_t len, len2;
    ck_assert_ok(vs_evaluator_save_buffer(&buf, &len, ev));
    ck_assert_ok(vs_evaluator_load_buffer(&back, buf, len, NULL)); /* "toy" is not built in: a new space */
    ck_assert_str_eq(vs_space_name(vs_evaluator_space(back)), "toy");
    ck_assert_str_eq(vs_space_key(vs_evaluator_space(back), 1), "brave");
    ck_assert_ok(vs_evaluator_load_buffer(&bound, buf, len, space));
    ck_assert_ptr_eq(vs_evaluator_space(bound), space);
    ck_assert_ok(vs_evaluator_save_buffer(&buf2, &len2, back));
    ck_assert_uint_eq(len, len2);
    ck_assert(memcmp(buf, buf2, len) == 0);
    double v1[60], v2[60], p1[180], p2[180];
    ck_assert_ok(vs_evaluator_predict(v1, 60, p1, 180, NULL, 0, ev, CP(u.prompts), CP(u.responses), u.n));
    ck_assert_ok(vs_evaluator_predict(v2, 60, p2, 180, NULL, 0, back, CP(u.prompts), CP(u.responses), u.n));
    ck_assert(memcmp(v1, v2, sizeof v1) == 0);
    ck_assert(memcmp(p1, p2, sizeof p1) == 0);
    int64_t b;
    ck_assert_ok(vs_evaluator_get_int(&b, back, VS_EVALUATOR_OPT_BUCKETS));
    ck_assert_int_eq(b, 1 << 10);

    /* through a file */
    char path[] = "/tmp/vs_check_evaluator_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_ok(vs_evaluator_save(ev, path));
    vs_evaluator *file = NULL;
    ck_assert_ok(vs_evaluator_load(&file, path, NULL));
    ck_assert_ok(vs_evaluator_predict(v2, 60, p2, 180, NULL, 0, file, CP(u.prompts), CP(u.responses), u.n));
    ck_assert(memcmp(p1, p2, sizeof p1) == 0);
    remove(path);
    vs_evaluator *gone = NULL;
    ck_assert_status(vs_evaluator_load(&gone, path, NULL), VS_ENOTFOUND);
    ck_assert_ptr_null(gone);

    /* a space without a level of these keys */
    vs_space *s10 = NULL;
    ck_assert_ok(vs_space_builtin(&s10, "schwartz10"));
    vs_evaluator *mis = NULL;
    ck_assert_status(vs_evaluator_load_buffer(&mis, buf, len, s10), VS_EMISMATCH);
    ck_assert_ptr_null(mis);
    /* untrained and callback evaluators have no model */
    vs_evaluator *fresh = NULL;
    void *none = NULL;
    ck_assert_ok(vs_evaluator_create(&fresh, s10, 0));
    ck_assert_status(vs_evaluator_save_buffer(&none, &len2, fresh), VS_ESTATE);
    ck_assert_ptr_null(none);
    vs_evaluator_free(fresh);
    vs_space_free(s10);
    vs_free(buf);
    vs_free(buf2);
    vs_evaluator_free(file);
    vs_evaluator_free(ev);
    vs_evaluator_free(back);
    vs_evaluator_free(bound);
    free_toy(&t);
    free_toy(&u);
    vs_space_free(space);
}
END_TEST

/* A model over a built-in space binds to that space again. */
START_TEST(load_binds_builtin_space) {
    vs_space *s10 = NULL;
    ck_assert_ok(vs_space_builtin(&s10, "schwartz10"));
    toy t = make_toy(18, 4);
    double *labels = calloc(t.n * 10, sizeof *labels);
    for (size_t i = 0; i < t.n; i++) {
        labels[i * 10 + 8] = t.labels[2 * i];     /* benevolence */
        labels[i * 10 + 3] = t.labels[2 * i + 1]; /* achievement */
    }
    vs_evaluator *ev = NULL, *back = NULL;
    ck_assert_ok(vs_evaluator_create(&ev, s10, 0));
    ck_assert_ok(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_BUCKETS, 512));
    ck_assert_ok(vs_evaluator_train(ev, CP(t.prompts), CP(t.responses), labels, t.n));
    void *buf = NULL;
    size_t len;
    ck_assert_ok(vs_evaluator_save_buffer(&buf, &len, ev));
    ck_assert_ok(vs_evaluator_load_buffer(&back, buf, len, NULL));
    ck_assert_str_eq(vs_space_name(vs_evaluator_space(back)), "schwartz10");
    ck_assert_uint_eq(vs_space_level_count(vs_evaluator_space(back)), vs_space_level_count(s10));
    vs_free(buf);
    free(labels);
    free_toy(&t);
    vs_evaluator_free(ev);
    vs_evaluator_free(back);
    vs_space_free(s10);
}
END_TEST

static void put32(unsigned char *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

/* Recomputes the trailing checksum so that a crafted change reaches the payload checks. */
static void reseal(unsigned char *b, size_t len) {
    uint64_t x = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i + 8 < len; i++) {
        x ^= b[i];
        x *= UINT64_C(0x100000001b3);
    }
    for (int i = 0; i < 8; i++) b[len - 8 + (size_t)i] = (unsigned char)(x >> (8 * i));
}

START_TEST(truncated_and_corrupt_files_fail_cleanly) {
    vs_space *space = toy_space();
    toy t = make_toy(27, 9);
    vs_evaluator *ev = toy_model(space, &t, 64), *out = NULL;
    void *buf = NULL;
    size_t len;
    ck_assert_ok(vs_evaluator_save_buffer(&buf, &len, ev));
    unsigned char *b = malloc(len);
    const size_t step = vs_test_under_valgrind() ? 13 : 1;
    /* every truncation (and one extra byte) */
    for (size_t cut = 0; cut < len; cut += step) {
        memcpy(b, buf, cut);
        int rc = vs_evaluator_load_buffer(&out, b, cut, NULL);
        ck_assert_msg(rc == VS_ECORRUPT, "cut at %zu: %s", cut, vs_status_name(rc));
        ck_assert_ptr_null(out);
    }
    unsigned char *longer = malloc(len + 1);
    memcpy(longer, buf, len);
    longer[len] = 0;
    ck_assert_status(vs_evaluator_load_buffer(&out, longer, len + 1, NULL), VS_ECORRUPT);
    free(longer);
    /* every single-byte change is detected: the version field gives VS_EVERSION, the rest VS_ECORRUPT */
    for (size_t i = 0; i < len; i += step) {
        for (int bit = 0; bit < 8; bit += (vs_test_under_valgrind() ? 8 : 3)) {
            memcpy(b, buf, len);
            b[i] ^= (unsigned char)(1u << bit);
            int rc = vs_evaluator_load_buffer(&out, b, len, NULL);
            if (i >= 8 && i < 12)
                ck_assert_msg(rc == VS_EVERSION, "byte %zu: %s", i, vs_status_name(rc));
            else
                ck_assert_msg(rc == VS_ECORRUPT, "byte %zu bit %d: %s", i, bit, vs_status_name(rc));
            ck_assert_ptr_null(out);
        }
    }
    /* a future version */
    memcpy(b, buf, len);
    put32(b + 8, 2);
    ck_assert_status(vs_evaluator_load_buffer(&out, b, len, NULL), VS_EVERSION);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "version 2"));
    /* payload damage behind a valid checksum: a NaN weight, an out-of-range option, a bad key */
    memcpy(b, buf, len);
    memset(b + len - 16, 0xFF, 8); /* the last weight becomes a NaN */
    reseal(b, len);
    ck_assert_status(vs_evaluator_load_buffer(&out, b, len, NULL), VS_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "weight"));
    /* layout: header 24, "toy" 4+3, "value" 4+5, K 4, "kind" 4+4, "brave" 4+5, then options */
    const size_t opt_at = 24 + 7 + 9 + 4 + 8 + 9;
    memcpy(b, buf, len);
    put32(b + opt_at, 1000); /* buckets not a power of two */
    reseal(b, len);
    ck_assert_status(vs_evaluator_load_buffer(&out, b, len, NULL), VS_ECORRUPT);
    memcpy(b, buf, len);
    b[24 + 7 + 9 + 4 + 4] = ' '; /* key "kind" -> " ind": not a valid key */
    reseal(b, len);
    ck_assert_status(vs_evaluator_load_buffer(&out, b, len, NULL), VS_ECORRUPT);
    memcpy(b, buf, len);
    put32(b + 24 + 7 + 9, 3); /* K = 3: the sizes no longer add up */
    reseal(b, len);
    ck_assert_status(vs_evaluator_load_buffer(&out, b, len, NULL), VS_ECORRUPT);
    memcpy(b, buf, len);
    put32(b + 24 + 7 + 9, 0xFFFFFFFFu); /* a huge K is rejected before any allocation */
    reseal(b, len);
    ck_assert_status(vs_evaluator_load_buffer(&out, b, len, NULL), VS_ECORRUPT);
    ck_assert_ptr_null(out);
    ck_assert_status(vs_evaluator_load_buffer(&out, NULL, 0, NULL), VS_EINVAL);
    ck_assert_status(vs_evaluator_load_buffer(NULL, buf, len, NULL), VS_EINVAL);
    free(b);
    vs_free(buf);
    vs_evaluator_free(ev);
    free_toy(&t);
    vs_space_free(space);
}
END_TEST

/* ------------------------------------------------------------------ callback backend */

typedef struct judge {
    int calls, destroyed;
    size_t max_batch;
} judge;

/* Value of dimension d: +1 if the response contains "good", -1 if "bad", else 0, plus d / 10.
 * Items containing "FAIL" fail; "BATCH" fails the whole batch; "BADPROB" returns invalid
 * probabilities; "INF" an infinite value. */
static int judge_eval(void *ud, const size_t *items, const char *const *prompts, const char *const *responses,
                      size_t n, size_t k, double *values, double *probs, int32_t *statuses) {
    judge *j = ud;
    j->calls++;
    if (n > j->max_batch) j->max_batch = n;
    for (size_t i = 0; i < n; i++) {
        ck_assert_ptr_nonnull(prompts[i]);
        if (strstr(responses[i], "BATCH")) return 7;
    }
    for (size_t i = 0; i < n; i++) {
        const char *r = responses[i];
        if (strstr(r, "FAIL")) {
            statuses[i] = -1;
            continue;
        }
        double base = strstr(r, "good") ? 1.0 : strstr(r, "bad") ? -1.0 : 0.0;
        for (size_t d = 0; d < k; d++) {
            values[i * k + d] = base + (double)d / 10.0 + (double)items[i] * 0.0;
            double *p = probs + (i * k + d) * 3;
            p[0] = base < 0 ? 0.8 : 0.1;
            p[1] = base == 0 ? 0.8 : 0.1;
            p[2] = base > 0 ? 0.8 : 0.1;
        }
        if (strstr(r, "BADPROB")) probs[i * k * 3] = 1.5;
        if (strstr(r, "INF")) values[i * k] = INFINITY;
    }
    return 0;
}

static void judge_destroy(void *ud) { ((judge *)ud)->destroyed++; }

START_TEST(callback_backend) {
    vs_space *space = toy_space();
    judge j = {0, 0, 0};
    vs_evaluator_callbacks cb = VS_EVALUATOR_CALLBACKS_INIT;
    vs_evaluator *ev = NULL;
    ck_assert_status(vs_evaluator_create_callback(&ev, space, 0, &cb, &j), VS_EINVAL); /* no evaluate */
    cb.evaluate = judge_eval;
    cb.destroy = judge_destroy;
    vs_evaluator_callbacks small = cb;
    small.struct_size = 4;
    ck_assert_status(vs_evaluator_create_callback(&ev, space, 0, &small, &j), VS_EINVAL);
    ck_assert_status(vs_evaluator_create_callback(&ev, space, 3, &cb, &j), VS_ERANGE);
    ck_assert_int_eq(j.destroyed, 0); /* argument errors never call destroy */
    ck_assert_ok(vs_evaluator_create_callback(&ev, space, 0, &cb, &j));
    ck_assert_int_eq(vs_evaluator_kind(ev), VS_EVALUATOR_CALLBACK);
    ck_assert_int_eq(vs_evaluator_is_ready(ev), 1);

    const char *resp[7] = {"good day", "bad day", "plain", "FAIL here", "good again", "BADPROB good", "INF"};
    double ref_v[14], ref_p[42], v[14], p[42];
    int32_t ref_s[7], s[7];
    int rc = vs_evaluator_predict(ref_v, 14, ref_p, 42, ref_s, 7, ev, NULL, resp, 7);
    ck_assert_int_eq(rc, VS_ECALLBACK);
    ck_assert_msg(strstr(vs_last_error(), "item 3") != NULL, "message: %s", vs_last_error());
    for (size_t i = 0; i < 7; i++) ck_assert_int_eq(ref_s[i], i == 3 || i >= 5 ? VS_ECALLBACK : VS_OK);
    ck_assert_double_eq(ref_v[0], 1.0);
    ck_assert_double_eq(ref_v[1], 1.1);
    ck_assert_double_eq(ref_v[2], -1.0);
    ck_assert_double_eq(ref_p[2], 0.8);
    ck_assert(isnan(ref_v[6]) && isnan(ref_p[18]) && isnan(ref_v[10]) && isnan(ref_v[12]));
    /* results do not depend on the batch size */
    for (int64_t bs = 1; bs <= 8; bs++) {
        ck_assert_ok(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_BATCH_SIZE, bs));
        j.max_batch = 0;
        ck_assert_int_eq(vs_evaluator_predict(v, 14, p, 42, s, 7, ev, NULL, resp, 7), VS_ECALLBACK);
        ck_assert_uint_le(j.max_batch, (size_t)bs);
        ck_assert(memcmp(v, ref_v, sizeof v) == 0);
        ck_assert(memcmp(p, ref_p, sizeof p) == 0);
        ck_assert(memcmp(s, ref_s, sizeof s) == 0);
    }
    /* a whole batch failing: its items fail, the other batches are kept */
    const char *resp2[4] = {"good", "BATCH", "bad", "plain"};
    ck_assert_ok(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_BATCH_SIZE, 2));
    ck_assert_status(vs_evaluator_predict(v, 8, NULL, 0, s, 4, ev, NULL, resp2, 4), VS_ECALLBACK);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "item 0"));
    ck_assert_int_eq(s[0], VS_ECALLBACK);
    ck_assert_int_eq(s[1], VS_ECALLBACK);
    ck_assert_int_eq(s[2], VS_OK);
    ck_assert_double_eq(v[4], -1.0);
    /* success, and probabilities left out by the callback stay NaN */
    const char *resp3[2] = {"good", "plain"};
    ck_assert_ok(vs_evaluator_predict(v, 4, p, 12, s, 2, ev, NULL, resp3, 2));
    /* a callback evaluator cannot be trained, cross-validated or saved */
    double labels[4] = {0, 0, 0, 0};
    ck_assert_status(vs_evaluator_train(ev, NULL, resp3, labels, 2), VS_ESTATE);
    vs_evaluator_cv *cv = NULL;
    ck_assert_status(vs_evaluator_cv_run(&cv, ev, NULL, resp3, labels, NULL, 2, 2, 0), VS_EINVAL);
    void *buf = NULL;
    size_t len;
    ck_assert_status(vs_evaluator_save_buffer(&buf, &len, ev), VS_ESTATE);
    vs_evaluator_free(ev);
    ck_assert_int_eq(j.destroyed, 1);
    vs_space_free(space);
}
END_TEST

/* ------------------------------------------------------------------ profiles */

START_TEST(profile_bootstrap_known_cases) {
    /* group 0: 400 items, values 0 and 1 half each (k = 1). The bootstrap mean is close to
     * normal with sd sqrt(0.25 / 400) = 0.025, so the 95% interval is about 0.5 -+ 0.049.
     * group 5: a constant gives a zero-width interval. group 9: values {0, 1}: resample means
     * are 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4, so the 2.5% and 97.5% quantiles are 0 and 1. */
    size_t n = 400 + 30 + 2;
    double *v = malloc(n * sizeof *v);
    size_t *g = malloc(n * sizeof *g);
    for (size_t i = 0; i < 400; i++) {
        v[i] = (double)(i % 2);
        g[i] = 0;
    }
    for (size_t i = 400; i < 430; i++) {
        v[i] = 0.25;
        g[i] = 5;
    }
    v[430] = 0.0;
    v[431] = 1.0;
    g[430] = g[431] = 9;
    vs_evaluator_profile *p = NULL, *q = NULL;
    const size_t B = vs_test_under_valgrind() ? 400 : 4000;
    ck_assert_ok(vs_evaluator_profile_compute(&p, v, n, 1, g, NULL, VS_BASEALIGN_THRESHOLD, B, 0.95, 7));
    ck_assert_uint_eq(vs_evaluator_profile_group_count(p), 3);
    ck_assert_uint_eq(vs_evaluator_profile_group_id(p, 1), 5);
    ck_assert_uint_eq(vs_evaluator_profile_group_item_count(p, 0), 400);
    double mean, lo, hi, x;
    ck_assert_ok(vs_evaluator_profile_get(NULL, p, 0, VS_EVALUATOR_PROFILE_MEAN, &mean, 1));
    ck_assert_ok(vs_evaluator_profile_get(NULL, p, 0, VS_EVALUATOR_PROFILE_CI_LOW, &lo, 1));
    ck_assert_ok(vs_evaluator_profile_get(NULL, p, 0, VS_EVALUATOR_PROFILE_CI_HIGH, &hi, 1));
    ck_assert_double_eq(mean, 0.5);
    ck_assert_double_eq_tol(lo, 0.5 - 1.959964 * 0.025, vs_test_under_valgrind() ? 0.02 : 0.008);
    ck_assert_double_eq_tol(hi, 0.5 + 1.959964 * 0.025, vs_test_under_valgrind() ? 0.02 : 0.008);
    ck_assert_ok(vs_evaluator_profile_get(NULL, p, 1, VS_EVALUATOR_PROFILE_CI_LOW, &lo, 1));
    ck_assert_ok(vs_evaluator_profile_get(NULL, p, 1, VS_EVALUATOR_PROFILE_CI_HIGH, &hi, 1));
    ck_assert_double_eq(lo, 0.25);
    ck_assert_double_eq(hi, 0.25);
    ck_assert_ok(vs_evaluator_profile_get(NULL, p, 2, VS_EVALUATOR_PROFILE_CI_LOW, &lo, 1));
    ck_assert_ok(vs_evaluator_profile_get(NULL, p, 2, VS_EVALUATOR_PROFILE_CI_HIGH, &hi, 1));
    ck_assert_double_eq(lo, 0.0);
    ck_assert_double_eq(hi, 1.0);
    ck_assert_ok(vs_evaluator_profile_scalar(&x, p, 0, VS_EVALUATOR_PROFILE_RANK));
    ck_assert(isnan(x)); /* no target, no ranking */

    /* a group's interval depends only on the seed and its own items */
    ck_assert_ok(vs_evaluator_profile_compute(&q, v, 400, 1, g, NULL, VS_BASEALIGN_THRESHOLD, B, 0.95, 7));
    double lo2, hi2;
    ck_assert_ok(vs_evaluator_profile_get(NULL, p, 0, VS_EVALUATOR_PROFILE_CI_LOW, &lo, 1));
    ck_assert_ok(vs_evaluator_profile_get(NULL, q, 0, VS_EVALUATOR_PROFILE_CI_LOW, &lo2, 1));
    ck_assert_ok(vs_evaluator_profile_get(NULL, q, 0, VS_EVALUATOR_PROFILE_CI_HIGH, &hi2, 1));
    ck_assert_double_eq(lo, lo2);
    vs_evaluator_profile_free(q);
    ck_assert_ok(vs_evaluator_profile_compute(&q, v, 400, 1, g, NULL, VS_BASEALIGN_THRESHOLD, B, 0.95, 8));
    ck_assert_ok(vs_evaluator_profile_get(NULL, q, 0, VS_EVALUATOR_PROFILE_CI_LOW, &lo2, 1));
    ck_assert_double_ne(lo, lo2); /* another seed, other resamples */
    (void)hi2;
    vs_evaluator_profile_free(q);
    vs_evaluator_profile_free(p);

    /* errors */
    ck_assert_status(vs_evaluator_profile_compute(&p, v, n, 1, g, NULL, VS_BASEALIGN_THRESHOLD, 5, 0.95, 7), VS_ERANGE);
    ck_assert_status(vs_evaluator_profile_compute(&p, v, n, 1, g, NULL, VS_BASEALIGN_THRESHOLD, 100, 1.0, 7), VS_EINVAL);
    ck_assert_status(vs_evaluator_profile_compute(&p, v, 0, 1, g, NULL, VS_BASEALIGN_THRESHOLD, 100, 0.9, 7), VS_EINVAL);
    v[3] = INFINITY;
    ck_assert_status(vs_evaluator_profile_compute(&p, v, n, 1, g, NULL, VS_BASEALIGN_THRESHOLD, 100, 0.9, 7), VS_EINVAL);
    ck_assert_ptr_null(p);
    free(v);
    free(g);
}
END_TEST

/* BaseAlign distances of group means to the default target [0,0,0,1,0,1,0,1,1,1], by hand:
 * group 3 (two identical items) mean [0,0,0,0.5,0,0.2,0,1,0.4,-0.5]: mask |s| > 0.3 keeps
 * dimensions 3, 7, 8, 9 -> d = 0.5 + 0 + 0.6 + 1.5 = 2.6. group 1 mean [0,0,0,1,0,1,0,1,1,0.5]
 * (items 1 and 0 on the last dimension): d = 0.5. group 2: all zero, nothing passes the mask:
 * no distance ("n/a", NaN) and no rank, where it used to rank first with d = 0. Ranking:
 * group 1 (0.5), group 3 (2.6).
 * FULCRA's per-response rewards (the mask on each item's own values): the items of group 3
 * -2.6 each (as its mean: both items are alike); group 1's items 0 and 0 (every masked value
 * equals the target; item b2's last value 0 is masked out); group 2's items 0 (nothing passes).
 * Mean rewards 0, 0, -2.6 for groups 1, 2, 3: ranks 1, 2 (the tie goes by group id), 3;
 * coverage (items with a masked value) 1, 0, 1. */
START_TEST(profile_distance_and_rank) {
    double v[6 * 10] = {0};
    const double a[10] = {0, 0, 0, 0.5, 0, 0.2, 0, 1, 0.4, -0.5};
    const double b1[10] = {0, 0, 0, 1, 0, 1, 0, 1, 1, 1}, b2[10] = {0, 0, 0, 1, 0, 1, 0, 1, 1, 0};
    memcpy(v, a, sizeof a);
    memcpy(v + 10, a, sizeof a);
    memcpy(v + 20, b1, sizeof b1);
    memcpy(v + 30, b2, sizeof b2);
    const size_t g[6] = {3, 3, 1, 1, 2, 2};
    vs_vector *target = NULL;
    ck_assert_ok(vs_align_target(&target, "default"));
    vs_evaluator_profile *p = NULL;
    ck_assert_ok(vs_evaluator_profile_compute(&p, v, 6, 10, g, target, VS_BASEALIGN_THRESHOLD, 200, 0.9, 1));
    ck_assert_uint_eq(vs_evaluator_profile_dimension_count(p), 10);
    double d, r, lo, hi;
    const double want_d[3] = {0.5, NAN, 2.6}, want_r[3] = {1, NAN, 2}; /* groups 1, 2, 3 */
    const double want_rew[3] = {0.0, 0.0, -2.6}, want_rr[3] = {1, 2, 3}, want_cov[3] = {1, 0, 1};
    for (size_t j = 0; j < 3; j++) {
        ck_assert_uint_eq(vs_evaluator_profile_group_id(p, j), j + 1);
        ck_assert_ok(vs_evaluator_profile_scalar(&d, p, j, VS_EVALUATOR_PROFILE_DISTANCE));
        ck_assert_ok(vs_evaluator_profile_scalar(&r, p, j, VS_EVALUATOR_PROFILE_RANK));
        ck_assert_ok(vs_evaluator_profile_scalar(&lo, p, j, VS_EVALUATOR_PROFILE_DISTANCE_CI_LOW));
        ck_assert_ok(vs_evaluator_profile_scalar(&hi, p, j, VS_EVALUATOR_PROFILE_DISTANCE_CI_HIGH));
        if (isnan(want_d[j])) { /* n/a: no distance, no interval, no rank */
            ck_assert(isnan(d) && isnan(r) && isnan(lo) && isnan(hi));
        } else {
            ck_assert_double_eq_tol(d, want_d[j], 1e-12);
            ck_assert_double_eq(r, want_r[j]);
            ck_assert(lo <= d + 1e-12 && d <= hi + 1e-12);
        }
        double rew, rlo, rhi, rr, cov;
        ck_assert_ok(vs_evaluator_profile_scalar(&rew, p, j, VS_EVALUATOR_PROFILE_REWARD));
        ck_assert_ok(vs_evaluator_profile_scalar(&rlo, p, j, VS_EVALUATOR_PROFILE_REWARD_CI_LOW));
        ck_assert_ok(vs_evaluator_profile_scalar(&rhi, p, j, VS_EVALUATOR_PROFILE_REWARD_CI_HIGH));
        ck_assert_ok(vs_evaluator_profile_scalar(&rr, p, j, VS_EVALUATOR_PROFILE_REWARD_RANK));
        ck_assert_ok(vs_evaluator_profile_scalar(&cov, p, j, VS_EVALUATOR_PROFILE_COVERAGE));
        ck_assert_double_eq_tol(rew, want_rew[j], 1e-12);
        ck_assert_double_eq_tol(rlo, want_rew[j], 1e-12); /* the items of each group are alike */
        ck_assert_double_eq_tol(rhi, want_rew[j], 1e-12);
        ck_assert_double_eq(rr, want_rr[j]);
        ck_assert_double_eq(cov, want_cov[j]);
    }
    /* group 1's bootstrap: the last mean is 1, 0.5 or 0 -> distance 0, 0.5 or 0 (0 is masked) */
    ck_assert_ok(vs_evaluator_profile_scalar(&lo, p, 0, VS_EVALUATOR_PROFILE_DISTANCE_CI_LOW));
    ck_assert_ok(vs_evaluator_profile_scalar(&hi, p, 0, VS_EVALUATOR_PROFILE_DISTANCE_CI_HIGH));
    ck_assert_double_eq(lo, 0.0);
    ck_assert_double_eq_tol(hi, 0.5, 1e-12);
    double buf[10];
    size_t need;
    ck_assert_status(vs_evaluator_profile_get(&need, p, 0, VS_EVALUATOR_PROFILE_MEAN, buf, 3), VS_EBUFSIZE);
    ck_assert_uint_eq(need, 10);
    ck_assert_status(vs_evaluator_profile_get(&need, p, 3, VS_EVALUATOR_PROFILE_MEAN, buf, 10), VS_ERANGE);
    ck_assert_status(vs_evaluator_profile_get(&need, p, 0, 42, buf, 10), VS_EINVAL);
    ck_assert_status(vs_evaluator_profile_scalar(&d, p, 0, 42), VS_EINVAL);
    /* the resamples behind the intervals: group 3's two items are alike, so every resample mean
     * is a and every resample reward -2.6; group 1's resamples have dimension 3 at 1 and the last
     * at 0, 0.5 or 1; so group 3 minus group 1 on dimension 3 is -0.5 in every resample */
    ck_assert_uint_eq(vs_evaluator_profile_replicate_count(p), 200);
    double *rep3 = malloc(200 * 10 * sizeof *rep3), *rep1 = malloc(200 * 10 * sizeof *rep1), rew[200];
    ck_assert_ptr_nonnull(rep3);
    ck_assert_ptr_nonnull(rep1);
    ck_assert_ok(vs_evaluator_profile_replicates(&need, p, 2, VS_EVALUATOR_PROFILE_REPLICATE_MEAN, rep3, 2000));
    ck_assert_uint_eq(need, 2000);
    ck_assert_ok(vs_evaluator_profile_replicates(&need, p, 0, VS_EVALUATOR_PROFILE_REPLICATE_MEAN, rep1, 2000));
    ck_assert_ok(vs_evaluator_profile_replicates(&need, p, 2, VS_EVALUATOR_PROFILE_REPLICATE_REWARD, rew, 200));
    ck_assert_uint_eq(need, 200);
    size_t halves = 0;
    for (size_t b = 0; b < 200; b++) {
        for (size_t t = 0; t < 10; t++) ck_assert_double_eq(rep3[b * 10 + t], a[t]);
        ck_assert_double_eq_tol(rew[b], -2.6, 1e-12);
        ck_assert_double_eq(rep3[b * 10 + 3] - rep1[b * 10 + 3], -0.5);
        double last = rep1[b * 10 + 9];
        ck_assert(last == 0.0 || last == 0.5 || last == 1.0);
        halves += last == 0.5;
    }
    ck_assert_uint_gt(halves, 60); /* two items: half the resamples draw both (binomial 200, 1/2) */
    ck_assert_uint_lt(halves, 140);
    ck_assert_status(vs_evaluator_profile_replicates(&need, p, 0, VS_EVALUATOR_PROFILE_REPLICATE_MEAN, rep1, 1999),
                     VS_EBUFSIZE);
    ck_assert_status(vs_evaluator_profile_replicates(&need, p, 3, VS_EVALUATOR_PROFILE_REPLICATE_MEAN, rep1, 2000),
                     VS_ERANGE);
    ck_assert_status(vs_evaluator_profile_replicates(&need, p, 0, 42, rep1, 2000), VS_EINVAL);
    ck_assert_status(vs_evaluator_profile_replicates(&need, NULL, 0, VS_EVALUATOR_PROFILE_REPLICATE_MEAN, rep1, 2000),
                     VS_EINVAL);
    free(rep3);
    free(rep1);
    vs_evaluator_profile_free(p);
    /* without a target there is no reward; without replicates nothing is kept */
    ck_assert_ok(vs_evaluator_profile_compute(&p, v, 6, 10, g, NULL, VS_BASEALIGN_THRESHOLD, 20, 0.9, 1));
    ck_assert_status(vs_evaluator_profile_replicates(&need, p, 0, VS_EVALUATOR_PROFILE_REPLICATE_REWARD, buf, 10),
                     VS_EUNDEFINED);
    vs_evaluator_profile_free(p);
    ck_assert_ok(vs_evaluator_profile_compute(&p, v, 6, 10, g, target, VS_BASEALIGN_THRESHOLD, 0, 0.9, 1));
    ck_assert_uint_eq(vs_evaluator_profile_replicate_count(p), 0);
    ck_assert_ok(vs_evaluator_profile_replicates(&need, p, 0, VS_EVALUATOR_PROFILE_REPLICATE_MEAN, NULL, 0));
    ck_assert_uint_eq(need, 0);
    vs_evaluator_profile_free(p);
    /* FULCRA's alpaca case: four items, each expressing one value strongly (dimensions 3, 5, 7,
     * 8 at +1, -1, +1, +1): the mean is +-0.25 there, below the mask everywhere, so the mean
     * vector has no distance; per response the rewards are 0, -|-1 - 1| * 1 = -2, 0, 0, mean
     * -0.5, coverage 1. */
    double w[4 * 10] = {0};
    w[0 * 10 + 3] = 1, w[1 * 10 + 5] = -1, w[2 * 10 + 7] = 1, w[3 * 10 + 8] = 1;
    ck_assert_ok(vs_evaluator_profile_compute(&p, w, 4, 10, NULL, target, VS_BASEALIGN_THRESHOLD, 0, 0.9, 1));
    ck_assert_ok(vs_evaluator_profile_scalar(&d, p, 0, VS_EVALUATOR_PROFILE_DISTANCE));
    ck_assert(isnan(d));
    ck_assert_ok(vs_evaluator_profile_scalar(&d, p, 0, VS_EVALUATOR_PROFILE_REWARD));
    ck_assert_double_eq_tol(d, -0.5, 1e-12);
    ck_assert_ok(vs_evaluator_profile_scalar(&d, p, 0, VS_EVALUATOR_PROFILE_COVERAGE));
    ck_assert_double_eq(d, 1.0);
    vs_evaluator_profile_free(p);
    /* threshold 0: group 3 also counts dimension 5 (0.2): d = 0.5 + 0.8 + 0 + 0.6 + 1.5 = 3.4 */
    ck_assert_ok(vs_evaluator_profile_compute(&p, v, 6, 10, g, target, 0.0, 0, 0.9, 1));
    ck_assert_ok(vs_evaluator_profile_scalar(&d, p, 2, VS_EVALUATOR_PROFILE_DISTANCE));
    ck_assert_double_eq_tol(d, 3.4, 1e-12);
    ck_assert_ok(vs_evaluator_profile_scalar(&lo, p, 2, VS_EVALUATOR_PROFILE_DISTANCE_CI_LOW));
    ck_assert(isnan(lo)); /* no replicates, no interval */
    vs_evaluator_profile_free(p);
    ck_assert_status(vs_evaluator_profile_compute(&p, v, 6, 10, g, target, -1.0, 0, 0.9, 1), VS_EINVAL);
    ck_assert_status(vs_evaluator_profile_compute(&p, v, 6, 10, g, target, NAN, 0, 0.9, 1), VS_EINVAL);
    /* a target of another size */
    ck_assert_status(vs_evaluator_profile_compute(&p, v, 6, 5, g, target, VS_BASEALIGN_THRESHOLD, 0, 0.9, 1), VS_EMISMATCH);
    vs_vector_free(target);
}
END_TEST

/* ------------------------------------------------------------------ allocation failures */

START_TEST(train_allocation_failures) {
    toy t = make_toy(12, 2);
    vs_test_alloc_install();
    vs_space *space = toy_space();
    vs_evaluator *ev = NULL;
    ck_assert_ok(vs_evaluator_create(&ev, space, 0));
    ck_assert_ok(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_BUCKETS, 256));
    long base = vs_test_alloc_outstanding();
    int rc = VS_ENOMEM;
    long n;
    for (n = 1; n < 100000 && rc != VS_OK; n++) {
        vs_test_alloc_fail_at(n);
        rc = vs_evaluator_train(ev, CP(t.prompts), CP(t.responses), t.labels, t.n);
        if (rc == VS_OK) {
            ck_assert_int_eq(vs_test_alloc_failed(), 0);
            break;
        }
        ck_assert_msg(rc == VS_ENOMEM, "failing allocation %ld: %s", n, vs_status_name(rc));
        ck_assert_int_eq(vs_evaluator_is_ready(ev), 0);
        ck_assert_int_eq(vs_test_alloc_outstanding(), base);
    }
    ck_assert_int_eq(rc, VS_OK);
    ck_assert_int_gt(n, 5);
    vs_test_alloc_fail_at(0);
    /* cross-validation too */
    base = vs_test_alloc_outstanding();
    vs_evaluator_cv *cv = NULL;
    rc = VS_ENOMEM;
    for (n = 1; n < 100000 && rc != VS_OK; n++) {
        vs_test_alloc_fail_at(n);
        rc = vs_evaluator_cv_run(&cv, ev, CP(t.prompts), CP(t.responses), t.labels, t.groups, t.n, 3, 1);
        if (rc == VS_OK) break;
        ck_assert_msg(rc == VS_ENOMEM, "failing allocation %ld: %s", n, vs_status_name(rc));
        ck_assert_ptr_null(cv);
        ck_assert_int_eq(vs_test_alloc_outstanding(), base);
    }
    vs_test_alloc_fail_at(0);
    ck_assert_int_eq(rc, VS_OK);
    vs_evaluator_cv_free(cv);
    vs_evaluator_free(ev);
    vs_space_free(space);
    ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
    vs_test_alloc_uninstall();
    free_toy(&t);
}
END_TEST

/* A model-file load of the allocation-failure sweep (testutil): NULL after a failure. */
typedef struct load_flow {
    const void *buf;
    size_t len;
    vs_evaluator *out;
} load_flow;

static int run_load(void *p) {
    load_flow *f = p;
    f->out = (vs_evaluator *)1;
    return vs_evaluator_load_buffer(&f->out, f->buf, f->len, NULL);
}

static void after_load(void *p, int failed) {
    load_flow *f = p;
    if (failed) ck_assert_ptr_null(f->out);
    else vs_evaluator_free(f->out);
}

START_TEST(load_allocation_failures) {
    toy t = make_toy(12, 2);
    vs_space *space = toy_space();
    vs_evaluator *ev = toy_model(space, &t, 128);
    void *buf = NULL;
    size_t len;
    ck_assert_ok(vs_evaluator_save_buffer(&buf, &len, ev));
    void *copy = malloc(len);
    memcpy(copy, buf, len);
    vs_free(buf);
    vs_evaluator_free(ev);
    vs_space_free(space);
    load_flow f = {copy, len, NULL};
    vs_test_sweep sw = {"vs_evaluator_load_buffer", NULL, run_load, after_load, &f};
    ck_assert_int_gt(vs_test_alloc_sweep(&sw), 3);
    free(copy);
    free_toy(&t);
}
END_TEST

static Suite *evaluator_suite(void) {
    Suite *s = suite_create("evaluator");
    TCase *tc = tcase_create("model");
    tcase_add_test(tc, options_defaults_bounds_and_errors);
    tcase_add_test(tc, features_match_text_module);
    tcase_add_test(tc, separable_set_reaches_full_accuracy);
    tcase_add_test(tc, training_is_deterministic_and_validates);
    tcase_add_test(tc, prediction_independent_of_batch);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("metrics");
    tcase_add_test(tc, metrics_by_hand);
    tcase_add_test(tc, cv_deterministic_stratified_and_thread_independent);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("files");
    tcase_add_test(tc, save_load_round_trip_bit_identical);
    tcase_add_test(tc, load_binds_builtin_space);
    tcase_add_test(tc, truncated_and_corrupt_files_fail_cleanly);
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);

    tc = tcase_create("callback");
    tcase_add_test(tc, callback_backend);
    suite_add_tcase(s, tc);

    tc = tcase_create("profiles");
    tcase_add_test(tc, profile_bootstrap_known_cases);
    tcase_add_test(tc, profile_distance_and_rank);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("allocation");
    tcase_add_test(tc, train_allocation_failures);
    tcase_add_test(tc, load_allocation_failures);
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(evaluator_suite()); }
