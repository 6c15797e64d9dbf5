/* BaseAlign (targets, masked distance, unmasked distances) and the weighted-sum alignment.
 * Reference values: docs/METHODS.md §1.4 worked example, hand computation and R (quoted). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "valuespace.h"

/* docs/METHODS.md §1.4 */
static const double raw_scores[10] = {0.1, -0.2, 0, 1.0, -0.5, 2.0, 0.2, 0.25, -1.0, 0.9};
static const double default_t[10] = {0, 0, 0, 1, 0, 1, 0, 1, 1, 1};
static const double uk_t[10] = {0.4809, 0.1305, 0.1004, 0.0029, -0.2383, 0.4362, 0.2712, 0.1420, 0.6520, 0.5906};
static const double nl_t[10] = {0.5190, 0.1148, 0.3016, 0.1311, -0.1124, 0.3389, 0.2165, 0.2578, 0.5661, 0.5243};
static const double fr_t[10] = {0.3761, -0.0296, 0.3384, -0.1741, -0.3195, 0.4078, 0.2587, 0.0698, 0.6212, 0.5705};
static const unsigned char worked_mask[10] = {0, 0, 0, 1, 1, 1, 0, 0, 1, 1};

/* The 10 basic values in FULCRA order. */
static const char *const basic[10] = {"Self-direction", "Stimulation", "Hedonism", "Achievement", "Power",
                                      "Security", "Tradition", "Conformity", "Benevolence", "Universalism"};

static vs_space *builtin(const char *name) {
    vs_space *s = NULL;
    ck_assert_ok(vs_space_builtin(&s, name));
    return s;
}

/* A vector over schwartz10 level 0 whose k-th basic value (FULCRA order) is x[k]. */
static vs_vector *fulcra_order(const vs_space *s, const double *x) {
    vs_vector *v = NULL;
    ck_assert_ok(vs_vector_create(&v, s, 0));
    for (size_t k = 0; k < 10; k++) ck_assert_ok(vs_vector_set_by_name(v, basic[k], x[k]));
    return v;
}

static vs_vector *target(const char *name) {
    vs_vector *t = NULL;
    ck_assert_ok(vs_align_target(&t, name));
    ck_assert_ptr_nonnull(t);
    return t;
}

/* ---------------------------------------------------------------- targets */

START_TEST(test_target_table) {
    ck_assert_uint_eq(vs_align_target_count(), 4);
    ck_assert_str_eq(vs_align_target_name(0), "default");
    ck_assert_str_eq(vs_align_target_name(1), "uk");
    ck_assert_str_eq(vs_align_target_name(2), "netherlands");
    ck_assert_str_eq(vs_align_target_name(3), "france");
    ck_assert_ptr_null(vs_align_target_name(4));
    ck_assert_ptr_null(vs_align_target_name((size_t)-1));

    const double *const want[4] = {default_t, uk_t, nl_t, fr_t};
    const char *const spelled[4] = {"Default", "UK", " Netherlands ", "FRANCE"};
    for (size_t i = 0; i < 4; i++) {
        vs_vector *t = target(spelled[i]);
        const vs_space *s = vs_vector_space(t);
        ck_assert_str_eq(vs_space_name(s), "schwartz10");
        ck_assert_uint_eq(vs_vector_level(t), 0);
        ck_assert_uint_eq(vs_vector_dimension_count(t), 10);
        ck_assert_uint_eq(vs_vector_missing_count(t), 0);
        for (size_t k = 0; k < 10; k++) {
            double x = NAN;
            ck_assert_ok(vs_vector_get_by_name(&x, t, basic[k]));
            ck_assert_msg(x == want[i][k], "%s[%s] = %g, expected %g", spelled[i], basic[k], x, want[i][k]);
            /* and the built-in space keeps the FULCRA order */
            ck_assert_ok(vs_vector_get(&x, t, k));
            ck_assert(x == want[i][k]);
        }
        vs_vector_free(t);
    }
}
END_TEST

START_TEST(test_target_errors) {
    vs_vector *t = (vs_vector *)&t;
    ck_assert_status(vs_align_target(&t, "germany"), VS_ENOTFOUND);
    ck_assert_ptr_null(t);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "valid: default, uk, netherlands, france"));
    ck_assert_status(vs_align_target(&t, "netherland"), VS_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "did you mean 'netherlands'?"));
    t = (vs_vector *)&t;
    ck_assert_status(vs_align_target(&t, ""), VS_ENOTFOUND);
    ck_assert_ptr_null(t);
    t = (vs_vector *)&t;
    ck_assert_status(vs_align_target(&t, "u\xffk"), VS_ENOTFOUND);
    ck_assert_ptr_null(t);
    t = (vs_vector *)&t;
    ck_assert_status(vs_align_target(&t, NULL), VS_EINVAL);
    ck_assert_ptr_null(t);
    ck_assert_status(vs_align_target(NULL, "uk"), VS_EINVAL);
}
END_TEST

START_TEST(test_target_outlives_its_space) {
    /* The target's space is private to it; freeing the target frees the space (valgrind/ASan
     * check that nothing leaks), and a scores vector from another schwartz10 instance matches. */
    vs_space *s = builtin("schwartz10");
    vs_vector *t = target("default");
    vs_vector *sc = fulcra_order(s, raw_scores);
    vs_space_free(s);
    double d = 0;
    ck_assert_ok(vs_basealign(&d, NULL, sc, t, VS_BASEALIGN_RAW, VS_BASEALIGN_THRESHOLD, NULL, 0));
    vs_vector_free(t);
    vs_vector_free(sc);
}
END_TEST

static int flow_target(vs_vector **out) { return vs_align_target(out, "Netherlands"); }

static int run_target(void *p) {
    vs_vector **out = p;
    *out = (vs_vector *)1;
    return flow_target(out);
}

static void after_target(void *p, int failed) {
    vs_vector **out = p;
    if (failed) {
        ck_assert_ptr_null(*out);
        return;
    }
    double x = 0;
    ck_assert_ok(vs_vector_get(&x, *out, 0));
    ck_assert(x == 0.5190);
    vs_vector_free(*out);
}

START_TEST(test_target_alloc_failure) {
    vs_vector *out = NULL;
    vs_test_sweep sw = {"vs_align_target", NULL, run_target, after_target, &out};
    vs_test_alloc_sweep(&sw);
}
END_TEST

/* ---------------------------------------------------------------- BaseAlign */

START_TEST(test_basealign_worked_example_raw) {
    /* docs/METHODS.md §1.4: mask [0,0,0,1,1,1,0,0,1,1]; default d = 2.319675, UK d = 1.281675.
     * R: s <- tanh(c(0.1, -0.2, 0, 1.0, -0.5, 2.0, 0.2, 0.25, -1.0, 0.9)); m <- abs(s) > 0.3
     *    sum(abs(s - def) * m * abs(def))  # 2.3196745497251587
     *    sum(abs(s - uk) * m * abs(uk))    # 1.281674783879106 */
    vs_space *s = builtin("schwartz10");
    vs_vector *sc = fulcra_order(s, raw_scores);
    vs_vector *def = target("default"), *uk = target("uk");
    double d = 0, r = 0;
    unsigned char mask[11];
    memset(mask, 7, sizeof mask);
    ck_assert_ok(vs_basealign(&d, &r, sc, def, VS_BASEALIGN_RAW, VS_BASEALIGN_THRESHOLD, mask, sizeof mask));
    ck_assert_near(d, 2.319675, 1e-6);
    ck_assert_near(d, 2.3196745497251587, 1e-12);
    ck_assert_near(r, -2.319675, 1e-6);
    ck_assert(r == -d);
    for (size_t k = 0; k < 10; k++) ck_assert_int_eq(mask[k], worked_mask[k]);
    ck_assert_int_eq(mask[10], 7); /* nothing beyond the size */

    ck_assert_ok(vs_basealign(&d, &r, sc, uk, VS_BASEALIGN_RAW, VS_BASEALIGN_THRESHOLD, mask, 10));
    ck_assert_near(d, 1.281675, 1e-6);
    ck_assert_near(d, 1.281674783879106, 1e-12);
    ck_assert_near(r, -1.281675, 1e-6);
    for (size_t k = 0; k < 10; k++) ck_assert_int_eq(mask[k], worked_mask[k]);

    /* out_reward and mask are optional */
    d = 0;
    ck_assert_ok(vs_basealign(&d, NULL, sc, def, VS_BASEALIGN_RAW, VS_BASEALIGN_THRESHOLD, NULL, 0));
    ck_assert_near(d, 2.319675, 1e-6);
    vs_vector_free(sc);
    vs_vector_free(def);
    vs_vector_free(uk);
    vs_space_free(s);
}
END_TEST

START_TEST(test_basealign_worked_example_pretanh) {
    /* The same scores passed through tanh by the caller, without the flag. */
    vs_space *s = builtin("schwartz10");
    double th[10];
    for (size_t k = 0; k < 10; k++) th[k] = tanh(raw_scores[k]);
    vs_vector *sc = fulcra_order(s, th);
    vs_vector *def = target("default"), *uk = target("uk");
    double d = 0, r = 0;
    unsigned char mask[10];
    ck_assert_ok(vs_basealign(&d, &r, sc, def, 0, VS_BASEALIGN_THRESHOLD, mask, 10));
    ck_assert_near(d, 2.319675, 1e-6);
    ck_assert_near(r, -2.319675, 1e-6);
    for (size_t k = 0; k < 10; k++) ck_assert_int_eq(mask[k], worked_mask[k]);
    ck_assert_ok(vs_basealign(&d, &r, sc, uk, 0, VS_BASEALIGN_THRESHOLD, mask, 10));
    ck_assert_near(d, 1.281675, 1e-6);
    /* without the flag raw scores are taken as they are: 2.0 is far from t = 1 */
    vs_vector *rawv = fulcra_order(s, raw_scores);
    ck_assert_ok(vs_basealign(&d, &r, rawv, def, 0, VS_BASEALIGN_THRESHOLD, mask, 10));
    /* by hand: |1-1|*1 + |2-1|*1 + |-1-1|*1 + |0.9-1|*1 (Power -0.5 has t = 0) = 3.1 */
    ck_assert_near(d, 3.1, 1e-12);
    vs_vector_free(rawv);
    vs_vector_free(sc);
    vs_vector_free(def);
    vs_vector_free(uk);
    vs_space_free(s);
}
END_TEST

START_TEST(test_basealign_threshold_boundary) {
    /* |s| exactly at the threshold does not count (strict >). */
    vs_space *s = builtin("schwartz10");
    const double x[10] = {0.3, -0.3, 0.30000000000000004, -0.30000000000000004, 0.3, 1, 0.3, 0.3, 0.3, 0.3};
    const double t[10] = {1, 1, 1, 1, 0, 0.5, 1, 1, 1, 1};
    vs_vector *sc = fulcra_order(s, x), *tv = fulcra_order(s, t);
    double d = 0;
    unsigned char mask[10];
    ck_assert_ok(vs_basealign(&d, NULL, sc, tv, 0, 0.3, mask, 10));
    const unsigned char want[10] = {0, 0, 1, 1, 0, 1, 0, 0, 0, 0};
    for (size_t k = 0; k < 10; k++) ck_assert_int_eq(mask[k], want[k]);
    /* |0.3+e - 1| + |-0.3-e - 1| + |1 - 0.5| * 0.5 */
    ck_assert_near(d, (1 - 0.30000000000000004) + (1 + 0.30000000000000004) + 0.25, 1e-15);
    /* threshold 0 counts every non-zero score; a zero score never counts */
    const double z[10] = {0, 0.1, 0, 0, 0, 0, 0, 0, 0, 0};
    ck_assert_ok(vs_vector_set_values(sc, z, 10));
    ck_assert_ok(vs_basealign(&d, NULL, sc, tv, 0, 0.0, mask, 10));
    ck_assert_int_eq(mask[0], 0);
    ck_assert_int_eq(mask[1], 1);
    ck_assert_near(d, 0.9, 1e-15);
    /* a threshold of 1 masks everything after tanh */
    const double big[10] = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
    ck_assert_ok(vs_vector_set_values(sc, big, 10));
    ck_assert_ok(vs_basealign(&d, NULL, sc, tv, VS_BASEALIGN_RAW, 1.0, mask, 10));
    ck_assert(d == 0);
    for (size_t k = 0; k < 10; k++) ck_assert_int_eq(mask[k], 0);
    vs_vector_free(sc);
    vs_vector_free(tv);
    vs_space_free(s);
}
END_TEST

START_TEST(test_basealign_missing) {
    /* Missing scores are masked out; missing targets count as 0 (never count). */
    vs_space *s = builtin("schwartz10");
    const double x[10] = {NAN, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, -0.9};
    const double t[10] = {1, NAN, 1, 0, 0, 0, 0, 0, 0, 1};
    vs_vector *sc = fulcra_order(s, x), *tv = fulcra_order(s, t);
    double d = 0;
    unsigned char mask[10];
    ck_assert_ok(vs_basealign(&d, NULL, sc, tv, 0, VS_BASEALIGN_THRESHOLD, mask, 10));
    ck_assert_int_eq(mask[0], 0);
    ck_assert_int_eq(mask[1], 1);
    ck_assert_near(d, 0.1 + 1.9, 1e-15);
    ck_assert_ok(vs_basealign(&d, NULL, sc, tv, VS_BASEALIGN_RAW, VS_BASEALIGN_THRESHOLD, mask, 10));
    ck_assert_int_eq(mask[0], 0);
    ck_assert_near(d, (1 - tanh(0.9)) + (1 + tanh(0.9)), 1e-15);
    /* all missing: distance 0 (no dimension counts), every mask entry 0 */
    vs_vector *none = NULL;
    ck_assert_ok(vs_vector_create(&none, s, 0));
    ck_assert_ok(vs_basealign(&d, NULL, none, tv, VS_BASEALIGN_RAW, VS_BASEALIGN_THRESHOLD, mask, 10));
    ck_assert(d == 0);
    for (size_t k = 0; k < 10; k++) ck_assert_int_eq(mask[k], 0);
    vs_vector_free(none);
    vs_vector_free(sc);
    vs_vector_free(tv);
    vs_space_free(s);
}
END_TEST

START_TEST(test_basealign_bad_input) {
    vs_space *s = builtin("schwartz10");
    vs_space *s19 = builtin("schwartz19");
    vs_vector *sc = fulcra_order(s, raw_scores), *def = target("default"), *other = NULL;
    ck_assert_ok(vs_vector_create(&other, s19, 0));
    double d = 42, r = 43;
    unsigned char mask[19];
    memset(mask, 9, sizeof mask);
    const uint32_t raw = VS_BASEALIGN_RAW;
    ck_assert_status(vs_basealign(&d, &r, sc, def, raw, VS_BASEALIGN_THRESHOLD, mask, 9), VS_EBUFSIZE);
    ck_assert_status(vs_basealign(&d, &r, sc, def, raw, VS_BASEALIGN_THRESHOLD, mask, 0), VS_EBUFSIZE);
    ck_assert_status(vs_basealign(&d, &r, other, def, raw, VS_BASEALIGN_THRESHOLD, mask, 19), VS_EMISMATCH);
    ck_assert_status(vs_basealign(&d, &r, sc, def, raw, -0.1, mask, 10), VS_EINVAL);
    ck_assert_status(vs_basealign(&d, &r, sc, def, raw, NAN, mask, 10), VS_EINVAL);
    ck_assert_status(vs_basealign(&d, &r, sc, def, raw, INFINITY, mask, 10), VS_EINVAL);
    ck_assert_status(vs_basealign(&d, &r, sc, def, 2u, VS_BASEALIGN_THRESHOLD, mask, 10), VS_EINVAL);
    ck_assert_status(vs_basealign(&d, &r, NULL, def, raw, VS_BASEALIGN_THRESHOLD, mask, 10), VS_EINVAL);
    ck_assert_status(vs_basealign(&d, &r, sc, NULL, raw, VS_BASEALIGN_THRESHOLD, mask, 10), VS_EINVAL);
    ck_assert_status(vs_basealign(NULL, &r, sc, def, raw, VS_BASEALIGN_THRESHOLD, mask, 10), VS_EINVAL);
    ck_assert(d == 42);
    ck_assert(r == 43);
    for (size_t k = 0; k < sizeof mask; k++) ck_assert_int_eq(mask[k], 9);
    /* an overflowing distance (user targets and raw scores are unbounded) */
    vs_vector *huge = NULL, *far = NULL;
    ck_assert_ok(vs_vector_clone(&huge, sc));
    ck_assert_ok(vs_vector_clone(&far, def));
    ck_assert_ok(vs_vector_set(huge, 0, 1e300));
    ck_assert_ok(vs_vector_set(far, 0, -1e10)); /* |1e300 + 1e10| * 1e10 overflows */
    ck_assert_status(vs_basealign(&d, &r, huge, far, 0, VS_BASEALIGN_THRESHOLD, mask, 10), VS_EUNDEFINED);
    ck_assert(d == 42);
    for (size_t k = 0; k < sizeof mask; k++) ck_assert_int_eq(mask[k], 9);
    vs_vector_free(huge);
    vs_vector_free(far);
    vs_vector_free(sc);
    vs_vector_free(def);
    vs_vector_free(other);
    vs_space_free(s);
    vs_space_free(s19);
}
END_TEST

/* ---------------------------------------------------------------- unmasked distances */

START_TEST(test_basealign_unmasked) {
    /* docs/METHODS.md §1.4: over dims with t = 1 (default), L2 = 1.952429 and L1 = 3.074756.
     * R: k <- def != 0; sum(abs(s[k] - def[k])); sqrt(sum((s[k] - def[k])^2))
     *    # 3.0747558873214493 1.9524292705772885
     *    k <- uk != 0; ... # 4.0358815872251341 1.7881062190844992 */
    vs_space *s = builtin("schwartz10");
    vs_vector *sc = fulcra_order(s, raw_scores), *def = target("default"), *uk = target("uk");
    double l1 = 0, l2 = 0;
    ck_assert_ok(vs_basealign_unmasked(&l1, &l2, sc, def, VS_BASEALIGN_RAW));
    ck_assert_near(l2, 1.952429, 1e-6);
    ck_assert_near(l1, 3.074756, 1e-6);
    ck_assert_near(l2, 1.9524292705772885, 1e-12);
    ck_assert_near(l1, 3.0747558873214493, 1e-12);
    ck_assert_ok(vs_basealign_unmasked(&l1, &l2, sc, uk, VS_BASEALIGN_RAW));
    ck_assert_near(l1, 4.0358815872251341, 1e-12);
    ck_assert_near(l2, 1.7881062190844992, 1e-12);

    /* pre-tanh'd scores without the flag */
    double th[10];
    for (size_t k = 0; k < 10; k++) th[k] = tanh(raw_scores[k]);
    vs_vector *tv = fulcra_order(s, th);
    ck_assert_ok(vs_basealign_unmasked(&l1, &l2, tv, def, 0));
    ck_assert_near(l2, 1.952429, 1e-6);
    ck_assert_near(l1, 3.074756, 1e-6);
    /* either output may be NULL */
    l1 = 0;
    ck_assert_ok(vs_basealign_unmasked(&l1, NULL, tv, def, 0));
    ck_assert_near(l1, 3.074756, 1e-6);
    l2 = 0;
    ck_assert_ok(vs_basealign_unmasked(NULL, &l2, tv, def, 0));
    ck_assert_near(l2, 1.952429, 1e-6);

    /* missing scores are skipped: drop Achievement (t = 1, s = tanh 1) */
    ck_assert_ok(vs_vector_set_by_name(tv, "Achievement", NAN));
    ck_assert_ok(vs_basealign_unmasked(&l1, &l2, tv, def, 0));
    ck_assert_near(l1, 3.0747558873214493 - (1 - tanh(1.0)), 1e-12);
    ck_assert_near(l2, sqrt(1.9524292705772885 * 1.9524292705772885 - (1 - tanh(1.0)) * (1 - tanh(1.0))), 1e-12);

    /* no dimension counts: undefined, outputs untouched */
    vs_vector *none = NULL;
    ck_assert_ok(vs_vector_create(&none, s, 0));
    l1 = 42, l2 = 43;
    ck_assert_status(vs_basealign_unmasked(&l1, &l2, none, def, 0), VS_EUNDEFINED);
    const double zero[10] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    vs_vector *zt = fulcra_order(s, zero);
    ck_assert_status(vs_basealign_unmasked(&l1, &l2, sc, zt, 0), VS_EUNDEFINED);
    /* bad input */
    vs_space *s19 = builtin("schwartz19");
    vs_vector *other = NULL;
    ck_assert_ok(vs_vector_create(&other, s19, 0));
    ck_assert_status(vs_basealign_unmasked(&l1, &l2, other, def, 0), VS_EMISMATCH);
    ck_assert_status(vs_basealign_unmasked(&l1, &l2, sc, def, 4u), VS_EINVAL);
    ck_assert_status(vs_basealign_unmasked(&l1, &l2, NULL, def, 0), VS_EINVAL);
    ck_assert_status(vs_basealign_unmasked(&l1, &l2, sc, NULL, 0), VS_EINVAL);
    ck_assert(l1 == 42);
    ck_assert(l2 == 43);

    vs_vector_free(other);
    vs_space_free(s19);
    vs_vector_free(zt);
    vs_vector_free(none);
    vs_vector_free(tv);
    vs_vector_free(sc);
    vs_vector_free(def);
    vs_vector_free(uk);
    vs_space_free(s);
}
END_TEST

/* ---------------------------------------------------------------- weighted sum */

START_TEST(test_weighted_sum) {
    vs_space *s = builtin("schwartz10");
    const double v[10] = {1, -2, 0.5, NAN, 3, 0, 0, 0, 0, 0};
    const double w[10] = {0.5, 1, -2, 1, NAN, 0, 0, 0, 0, 0};
    vs_vector *vv = fulcra_order(s, v), *wv = fulcra_order(s, w);
    double r = 0;
    /* by hand, common entries 0, 1, 2, 5..9: 0.5 - 2 - 1 = -2.5; sum |w| = 3.5 */
    ck_assert_ok(vs_vector_weighted_sum(&r, vv, wv, 0));
    ck_assert_near(r, -2.5, 1e-15);
    ck_assert_ok(vs_vector_weighted_sum(&r, vv, wv, VS_WEIGHTED_SUM_NORMALIZE));
    ck_assert_near(r, -2.5 / 3.5, 1e-15);
    /* the uk target as weights on the ipsatised worked example */
    const double ratings[10] = {5, 4, 6, 3, 2, 5, 4, 4, 6, 5};
    vs_vector *rv = fulcra_order(s, ratings), *uk = target("uk");
    ck_assert_ok(vs_vector_ipsatize(rv));
    ck_assert_ok(vs_vector_weighted_sum(&r, rv, uk, 0));
    /* 0.6*0.4809 - 0.4*0.1305 + 1.6*0.1004 - 1.4*0.0029 - 2.4*(-0.2383) + 0.6*0.4362
     * - 0.4*0.2712 - 0.4*0.1420 + 1.6*0.6520 + 0.6*0.5906
     * = 0.28854 - 0.0522 + 0.16064 - 0.00406 + 0.57192 + 0.26172 - 0.10848 - 0.0568 + 1.0432 + 0.35436
     * = 2.45884 */
    ck_assert_near(r, 2.45884, 1e-12);

    /* undefined: no common entry; zero weights when normalising */
    double e = 42;
    const double zero[10] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    ck_assert_ok(vs_vector_set_values(wv, zero, 10));
    ck_assert_ok(vs_vector_weighted_sum(&r, vv, wv, 0));
    ck_assert(r == 0);
    ck_assert_status(vs_vector_weighted_sum(&e, vv, wv, VS_WEIGHTED_SUM_NORMALIZE), VS_EUNDEFINED);
    vs_vector *none = NULL;
    ck_assert_ok(vs_vector_create(&none, s, 0));
    ck_assert_status(vs_vector_weighted_sum(&e, vv, none, 0), VS_EUNDEFINED);
    /* bad input */
    vs_space *s19 = builtin("schwartz19");
    vs_vector *other = NULL;
    ck_assert_ok(vs_vector_create(&other, s19, 0));
    ck_assert_status(vs_vector_weighted_sum(&e, vv, other, 0), VS_EMISMATCH);
    ck_assert_status(vs_vector_weighted_sum(&e, vv, wv, 2u), VS_EINVAL);
    ck_assert_status(vs_vector_weighted_sum(&e, NULL, wv, 0), VS_EINVAL);
    ck_assert_status(vs_vector_weighted_sum(&e, vv, NULL, 0), VS_EINVAL);
    ck_assert_status(vs_vector_weighted_sum(NULL, vv, wv, 0), VS_EINVAL);
    ck_assert(e == 42);

    vs_vector_free(other);
    vs_space_free(s19);
    vs_vector_free(none);
    vs_vector_free(rv);
    vs_vector_free(uk);
    vs_vector_free(vv);
    vs_vector_free(wv);
    vs_space_free(s);
}
END_TEST

static Suite *align_suite(void) {
    Suite *s = suite_create("align");
    TCase *tc = tcase_create("targets");
    tcase_add_test(tc, test_target_table);
    tcase_add_test(tc, test_target_errors);
    tcase_add_test(tc, test_target_outlives_its_space);
    tcase_add_test(tc, test_target_alloc_failure);
    suite_add_tcase(s, tc);

    tc = tcase_create("basealign");
    tcase_add_test(tc, test_basealign_worked_example_raw);
    tcase_add_test(tc, test_basealign_worked_example_pretanh);
    tcase_add_test(tc, test_basealign_threshold_boundary);
    tcase_add_test(tc, test_basealign_missing);
    tcase_add_test(tc, test_basealign_bad_input);
    tcase_add_test(tc, test_basealign_unmasked);
    suite_add_tcase(s, tc);

    tc = tcase_create("weighted_sum");
    tcase_add_test(tc, test_weighted_sum);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(align_suite()); }
