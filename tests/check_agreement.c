/* vs_evaluator_agreement_compute(): a hand-computed case, scikit-learn's figures
 * (tests/data/agreement/make_reference.py), the bootstrap intervals and bad inputs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

START_TEST(hand_computed_case) {
    /* confusion (truth rows -1, 0, +1): [1 0 0; 0 1 1; 0 1 2]; p_o = 4/6, p_e = 14/36 */
    const double truth[] = {1, 1, 1, 0, 0, -1, NAN, 1};
    const double pred[] = {1, 1, 0, 0, 1, -1, 1, NAN};
    vs_evaluator_agreement a = VS_EVALUATOR_AGREEMENT_INIT;
    ck_assert_ok(vs_evaluator_agreement_compute(&a, truth, pred, 8, 1, 0, 0.95, 1));
    ck_assert_uint_eq(a.n, 6);
    ck_assert_uint_eq(a.n_skipped, 2);
    ck_assert_near(a.accuracy, 4.0 / 6.0, 1e-15);
    ck_assert_near(a.macro_f1, (1.0 + 0.5 + 2.0 / 3.0) / 3.0, 1e-15);
    ck_assert_near(a.kappa, 5.0 / 11.0, 1e-15);
    const uint64_t conf[9] = {1, 0, 0, 0, 1, 1, 0, 1, 2};
    for (int i = 0; i < 9; i++) ck_assert_uint_eq(a.confusion[i], conf[i]);
    /* the baseline says +1 (3 of 6): accuracy 1/2, F1 of +1 = 6/9, kappa 0 */
    ck_assert(a.baseline_class == 1.0);
    ck_assert_near(a.baseline_accuracy, 0.5, 1e-15);
    ck_assert_near(a.baseline_macro_f1, (6.0 / 9.0) / 3.0, 1e-15);
    ck_assert_near(a.baseline_kappa, 0.0, 1e-15);
    ck_assert(isnan(a.accuracy_low) && isnan(a.kappa_high) && isnan(a.baseline_macro_f1_low));
    /* stride: the same column inside a 8 x 2 matrix */
    double t2[16], p2[16];
    for (int i = 0; i < 8; i++) {
        t2[2 * i] = 0, p2[2 * i] = 0;
        t2[2 * i + 1] = truth[i], p2[2 * i + 1] = pred[i];
    }
    vs_evaluator_agreement b = VS_EVALUATOR_AGREEMENT_INIT;
    ck_assert_ok(vs_evaluator_agreement_compute(&b, t2 + 1, p2 + 1, 8, 2, 0, 0.95, 1));
    ck_assert(b.kappa == a.kappa && b.macro_f1 == a.macro_f1);
    /* expected values map to the nearest class */
    const double soft[] = {0.7, 0.5, -0.49, 0.2, 0.9, -0.5};
    ck_assert_ok(vs_evaluator_agreement_compute(&b, truth, soft, 6, 1, 0, 0.95, 1));
    ck_assert_near(b.kappa, 5.0 / 11.0, 1e-15);
}
END_TEST

START_TEST(matches_scikit_learn) {
    FILE *f = fopen(VS_TEST_DATA_DIR "/agreement/reference.txt", "r");
    ck_assert_ptr_nonnull(f);
    char name[64];
    size_t n, cases = 0;
    while (fscanf(f, " case %63s %zu", name, &n) == 2) {
        double *t = malloc(n * sizeof *t), *p = malloc(n * sizeof *p), acc, f1, kappa;
        for (size_t i = 0; i < n; i++) ck_assert_int_eq(fscanf(f, "%lf %lf", &t[i], &p[i]), 2);
        ck_assert_int_eq(fscanf(f, " accuracy %lf macro_f1 %lf kappa %lf", &acc, &f1, &kappa), 3);
        vs_evaluator_agreement a = VS_EVALUATOR_AGREEMENT_INIT;
        ck_assert_ok(vs_evaluator_agreement_compute(&a, t, p, n, 1, 2000, 0.95, 7));
        ck_assert_msg(fabs(a.accuracy - acc) < 1e-12, "%s: accuracy %.15g vs %.15g", name, a.accuracy, acc);
        ck_assert_msg(fabs(a.macro_f1 - f1) < 1e-12, "%s: macro_f1 %.15g vs %.15g", name, a.macro_f1, f1);
        ck_assert_msg(fabs(a.kappa - kappa) < 1e-12, "%s: kappa %.15g vs %.15g", name, a.kappa, kappa);
        /* the estimate lies inside its interval, and the interval is not degenerate */
        ck_assert(a.kappa_low < a.kappa && a.kappa < a.kappa_high);
        ck_assert(a.accuracy_low < a.accuracy && a.accuracy < a.accuracy_high);
        ck_assert(a.macro_f1_low < a.macro_f1 && a.macro_f1 < a.macro_f1_high);
        ck_assert(a.baseline_accuracy_low <= a.baseline_accuracy && a.baseline_accuracy <= a.baseline_accuracy_high);
        /* the same seed gives the same interval; another seed another one */
        vs_evaluator_agreement b = VS_EVALUATOR_AGREEMENT_INIT;
        ck_assert_ok(vs_evaluator_agreement_compute(&b, t, p, n, 1, 2000, 0.95, 7));
        ck_assert(b.kappa_low == a.kappa_low && b.kappa_high == a.kappa_high);
        ck_assert_ok(vs_evaluator_agreement_compute(&b, t, p, n, 1, 2000, 0.95, 8));
        ck_assert(b.kappa_low != a.kappa_low || b.kappa_high != a.kappa_high);
        free(t);
        free(p);
        cases++;
    }
    fclose(f);
    ck_assert_uint_eq(cases, 3);
}
END_TEST

START_TEST(perfect_and_degenerate_agreement) {
    const double t[] = {-1, 0, 1, 1, 0, 0, -1, 1, 0, 1};
    vs_evaluator_agreement a = VS_EVALUATOR_AGREEMENT_INIT;
    ck_assert_ok(vs_evaluator_agreement_compute(&a, t, t, 10, 1, 100, 0.9, 3));
    ck_assert(a.accuracy == 1.0 && a.macro_f1 == 1.0 && a.kappa == 1.0);
    ck_assert(a.kappa_low == 1.0 && a.kappa_high == 1.0);
    /* one class on both sides: chance agreement is 1, kappa undefined (NaN), accuracy 1 */
    const double z[] = {0, 0, 0, 0};
    ck_assert_ok(vs_evaluator_agreement_compute(&a, z, z, 4, 1, 0, 0.9, 3));
    ck_assert(a.accuracy == 1.0 && isnan(a.kappa) && isnan(a.baseline_kappa));
}
END_TEST

START_TEST(bad_inputs_leave_out_untouched) {
    const double t[] = {1, 0, -1}, p[] = {1, 0, 0}, bad[] = {1, 2, 0}, inf[] = {1, INFINITY, 0};
    const double nan3[] = {NAN, NAN, NAN};
    vs_evaluator_agreement a = VS_EVALUATOR_AGREEMENT_INIT;
    a.accuracy = 42.0;
    ck_assert_status(vs_evaluator_agreement_compute(&a, bad, p, 3, 1, 0, 0.95, 1), VS_EINVAL);
    ck_assert_status(vs_evaluator_agreement_compute(&a, t, inf, 3, 1, 0, 0.95, 1), VS_EINVAL);
    ck_assert_status(vs_evaluator_agreement_compute(&a, t, p, 3, 0, 0, 0.95, 1), VS_EINVAL);
    ck_assert_status(vs_evaluator_agreement_compute(&a, t, p, 3, 1, 5, 0.95, 1), VS_ERANGE);
    ck_assert_status(vs_evaluator_agreement_compute(&a, t, p, 3, 1, 100, 1.0, 1), VS_EINVAL);
    ck_assert_status(vs_evaluator_agreement_compute(&a, t, p, 3, 1, 100, NAN, 1), VS_EINVAL);
    ck_assert_status(vs_evaluator_agreement_compute(&a, t, nan3, 3, 1, 0, 0.95, 1), VS_EUNDEFINED);
    ck_assert_status(vs_evaluator_agreement_compute(NULL, t, p, 3, 1, 0, 0.95, 1), VS_EINVAL);
    ck_assert_status(vs_evaluator_agreement_compute(&a, NULL, p, 3, 1, 0, 0.95, 1), VS_EINVAL);
    ck_assert(a.accuracy == 42.0);
    vs_evaluator_agreement small = VS_EVALUATOR_AGREEMENT_INIT;
    small.struct_size = 8;
    ck_assert_status(vs_evaluator_agreement_compute(&small, t, p, 3, 1, 0, 0.95, 1), VS_EINVAL);
    vs_evaluator_agreement_init(&small);
    ck_assert_uint_eq(small.struct_size, sizeof small);
    vs_evaluator_agreement_init(NULL);
}
END_TEST

static Suite *agreement_suite(void) {
    Suite *s = suite_create("agreement");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, hand_computed_case);
    tcase_add_test(tc, matches_scikit_learn);
    tcase_add_test(tc, perfect_and_degenerate_agreement);
    tcase_add_test(tc, bad_inputs_leave_out_untouched);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(agreement_suite()); }
