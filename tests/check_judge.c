/* An evaluator as a classify judge (vs_evaluator_judge_create): P(high) = (1 + p(+1) - p(-1)) / 2
 * computed by hand from probabilities a callback evaluator states, label lookup by key, label and
 * alias, per-item failures, a trained built-in evaluator, and the projective runner scoring with it. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "valuespace.h"

/* A space "toy" with one level "value" and two dimensions, "kind" (label "Kind") and "brave"
 * (label "Courageous"). */
static vs_space *toy_space(void) {
    static const char *const dims[] = {"kind", "Kind", "brave", "Courageous"};
    return vs_test_space("toy", "value", dims, 2);
}

/* A callback evaluator: "good" -> (p-, p0, p+) = (0.1, 0.1, 0.8) on dimension 0 and
 * (0.2, 0.2, 0.6) on dimension 1; "bad" the mirror image; anything else (0.1, 0.8, 0.1).
 * "VALUE=x" gives no probabilities, only the value x on every dimension; "FAIL" fails the item.
 * Checks that the judge passes the request's context as the prompt. */
static int toy_eval(void *ud, const size_t *items, const char *const *prompts, const char *const *responses,
                    size_t n, size_t k, double *values, double *probs, int32_t *statuses) {
    (void)ud;
    (void)items;
    for (size_t i = 0; i < n; i++) {
        const char *r = responses[i];
        ck_assert_str_eq(prompts[i], strstr(r, "noctx") ? "" : "When I can, I");
        if (strstr(r, "FAIL")) {
            statuses[i] = -1;
            continue;
        }
        const char *v = strstr(r, "VALUE=");
        for (size_t d = 0; d < k; d++) {
            if (v) {
                values[i * k + d] = atof(v + 6);
                continue;
            }
            double hi = d == 0 ? 0.8 : 0.6, lo = d == 0 ? 0.1 : 0.2, mid = 1.0 - hi - lo;
            double *p = probs + (i * k + d) * 3;
            if (strstr(r, "good")) p[0] = lo, p[1] = mid, p[2] = hi;
            else if (strstr(r, "bad")) p[0] = hi, p[1] = mid, p[2] = lo;
            else p[0] = 0.1, p[1] = 0.8, p[2] = 0.1;
            values[i * k + d] = p[2] - p[0];
        }
    }
    return 0;
}

static vs_evaluator *toy_evaluator(const vs_space *space, size_t level) {
    vs_evaluator_callbacks cb = VS_EVALUATOR_CALLBACKS_INIT;
    cb.evaluate = toy_eval;
    vs_evaluator *ev = NULL;
    ck_assert_ok(vs_evaluator_create_callback(&ev, space, level, &cb, NULL));
    return ev;
}

static void classify(vs_model_results *res, vs_model *judge, const char *const *texts, size_t n,
                     const char *const *labels, size_t n_labels) {
    vs_model_text_request req[8], *rp[8];
    ck_assert_uint_le(n, 8);
    for (size_t i = 0; i < n; i++) {
        vs_model_text_request r = VS_MODEL_TEXT_REQUEST_INIT;
        r.text = texts[i];
        r.context = strstr(texts[i], "noctx") ? NULL : "When I can, I";
        req[i] = r;
        rp[i] = &req[i];
    }
    ck_assert_ok(vs_model_classify(res, judge, (const vs_model_text_request *const *)rp, n, labels, n_labels));
}

static void vec2(const vs_model_results *res, size_t i, double a, double b) {
    double v[2] = {-1, -1};
    size_t need = 0;
    ck_assert_int_eq(vs_model_results_status(res, i), VS_MODEL_ITEM_OK);
    ck_assert_ok(vs_model_results_vector(&need, res, i, v, 2));
    ck_assert_uint_eq(need, 2);
    ck_assert_near(v[0], a, 1e-15);
    ck_assert_near(v[1], b, 1e-15);
}

START_TEST(p_high_by_hand) {
    vs_space *space = toy_space();
    vs_evaluator *ev = toy_evaluator(space, 0);
    vs_model *judge = NULL;
    ck_assert_ok(vs_evaluator_judge_create(&judge, ev));
    ck_assert_int_eq(vs_model_supports(judge, VS_MODEL_CLASSIFY), 1);
    ck_assert_int_eq(vs_model_supports(judge, VS_MODEL_GENERATE), 0);
    vs_model_results *res = NULL;
    ck_assert_ok(vs_model_results_create(&res));
    /* labels by key, by label (folded) and in the other order than the space */
    const char *labels[2] = {"brave", "KIND"};
    const char *texts[5] = {"I do good", "I do bad", "I sleep", "VALUE=0.4 noctx", "I FAIL"};
    classify(res, judge, texts, 5, labels, 2);
    /* (1 + p+ - p-) / 2: brave good (1 + 0.6 - 0.2) / 2 = 0.7, kind good (1 + 0.8 - 0.1) / 2 = 0.85 */
    vec2(res, 0, 0.7, 0.85);
    vec2(res, 1, 0.3, 0.15);
    vec2(res, 2, 0.5, 0.5);  /* unrelated: p+ = p- */
    vec2(res, 3, 0.7, 0.7);  /* no probabilities: (1 + 0.4) / 2 */
    ck_assert_int_eq(vs_model_results_status(res, 4), VS_MODEL_ITEM_PERMANENT);
    ck_assert_ptr_nonnull(strstr(vs_model_results_error(res, 4), "evaluator failed"));
    ck_assert_uint_eq(vs_model_results_attempts(res, 4), 1); /* permanent: not retried */

    /* a value outside [-1, 1] without probabilities cannot be a probability */
    const char *out_of_range[1] = {"VALUE=3 noctx"};
    classify(res, judge, out_of_range, 1, labels, 2);
    ck_assert_int_eq(vs_model_results_status(res, 0), VS_MODEL_ITEM_PERMANENT);
    ck_assert_ptr_nonnull(strstr(vs_model_results_error(res, 0), "\"brave\""));

    /* a label the level lacks fails every item of the call and names it */
    const char *unknown[2] = {"kind", "hedonism"};
    classify(res, judge, texts, 3, unknown, 2);
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(vs_model_results_status(res, i), VS_MODEL_ITEM_PERMANENT);
        const char *msg = vs_model_results_error(res, i);
        ck_assert_ptr_nonnull(strstr(msg, "\"hedonism\""));
        ck_assert_ptr_nonnull(strstr(msg, "\"toy\""));
    }
    vs_model_results_free(res);
    vs_model_free(judge);
    vs_evaluator_free(ev);
    vs_space_free(space);
}
END_TEST

/* The three-way labels of the projective runner: "KEY:high" p(+1), "KEY:unrelated" p(0),
 * "KEY:low" p(-1) as the callback states them; without probabilities, from the value E:
 * p(+1) = max(E, 0), p(0) = 1 - |E|, p(-1) = max(-E, 0). */
START_TEST(three_way_by_hand) {
    vs_space *space = toy_space();
    vs_evaluator *ev = toy_evaluator(space, 0);
    vs_model *judge = NULL;
    ck_assert_ok(vs_evaluator_judge_create(&judge, ev));
    vs_model_results *res = NULL;
    ck_assert_ok(vs_model_results_create(&res));
    const char *labels[6] = {"brave" VS_RUNNER_LABEL_HIGH, "brave" VS_RUNNER_LABEL_UNRELATED, "brave" VS_RUNNER_LABEL_LOW,
                             "Kind:high", "kind", "Courageous:low"};
    const char *texts[5] = {"I do good", "I do bad", "I sleep", "VALUE=0.4 noctx", "VALUE=-0.25 noctx"};
    static const double want[5][6] = {
        {0.6, 0.2, 0.2, 0.8, 0.85, 0.2},  /* brave (0.2, 0.2, 0.6), kind (0.1, 0.1, 0.8) as (p-, p0, p+) */
        {0.2, 0.2, 0.6, 0.1, 0.15, 0.6},
        {0.1, 0.8, 0.1, 0.1, 0.5, 0.1},
        {0.4, 0.6, 0.0, 0.4, 0.7, 0.0},
        {0.0, 0.75, 0.25, 0.0, 0.375, 0.25},
    };
    classify(res, judge, texts, 5, labels, 6);
    for (size_t i = 0; i < 5; i++) {
        double v[6];
        ck_assert_int_eq(vs_model_results_status(res, i), VS_MODEL_ITEM_OK);
        ck_assert_ok(vs_model_results_vector(NULL, res, i, v, 6));
        for (size_t l = 0; l < 6; l++) ck_assert_near(v[l], want[i][l], 1e-12);
    }
    /* a suffix that is not one of the three is an unknown label */
    const char *bogus[1] = {"kind:middle"};
    classify(res, judge, texts, 1, bogus, 1);
    ck_assert_int_eq(vs_model_results_status(res, 0), VS_MODEL_ITEM_PERMANENT);
    ck_assert_ptr_nonnull(strstr(vs_model_results_error(res, 0), "\"kind:middle\""));
    vs_model_results_free(res);
    vs_model_free(judge);
    vs_evaluator_free(ev);
    vs_space_free(space);
}
END_TEST

START_TEST(bad_arguments) {
    vs_space *space = toy_space();
    vs_model *judge = (vs_model *)&judge;
    ck_assert_status(vs_evaluator_judge_create(NULL, NULL), VS_EINVAL);
    ck_assert_status(vs_evaluator_judge_create(&judge, NULL), VS_EINVAL);
    ck_assert_ptr_null(judge);
    vs_evaluator *untrained = NULL;
    ck_assert_ok(vs_evaluator_create(&untrained, space, 0));
    judge = (vs_model *)&judge;
    ck_assert_status(vs_evaluator_judge_create(&judge, untrained), VS_ESTATE);
    ck_assert_ptr_null(judge);
    vs_evaluator_free(untrained);
    vs_space_free(space);
}
END_TEST

/* A built-in evaluator trained where every "kind" label is +1 and every "brave" label -1: each
 * dimension has a single class, predicted with probability 1, so P(high) is exactly 1 and 0. */
START_TEST(trained_builtin_single_class) {
    vs_space *space = toy_space();
    vs_evaluator *ev = NULL;
    ck_assert_ok(vs_evaluator_create(&ev, space, 0));
    ck_assert_ok(vs_evaluator_set_int(ev, VS_EVALUATOR_OPT_BUCKETS, 1024));
    const char *prompts[3] = {"a", "b", "c"}, *responses[3] = {"x y", "y z", "z x"};
    double labels[6] = {1, -1, 1, -1, 1, -1};
    ck_assert_ok(vs_evaluator_train(ev, prompts, responses, labels, 3));
    vs_model *judge = NULL;
    ck_assert_ok(vs_evaluator_judge_create(&judge, ev));
    vs_model_results *res = NULL;
    ck_assert_ok(vs_model_results_create(&res));
    const char *l[2] = {"Kind", "courageous"};
    const char *texts[2] = {"anything at all noctx", "\xc3\xa9t\xc3\xa9 noctx"};
    classify(res, judge, texts, 2, l, 2);
    vec2(res, 0, 1.0, 0.0);
    vec2(res, 1, 1.0, 0.0);
    vs_model_results_free(res);
    vs_model_free(judge);
    vs_evaluator_free(ev);
    vs_space_free(space);
}
END_TEST

/* Generation: "good" on repeat 0, "bad" on repeat 1 -> with the judge every dimension scores
 * exactly 50 (reverse-keyed items included: the classify judge is not flipped); "good" on every
 * repeat -> 100. */
typedef struct gen_mode {
    int all_good;
    int sleep_on_odd; /* repeat 1 says " sleep": the evaluator's value 0 */
} gen_mode;

static int gen(void *ud, vs_model_batch *batch, const vs_model_gen_request *const *req, size_t n, int *status) {
    const gen_mode *g = ud;
    (void)status;
    for (size_t i = 0; i < n; i++) {
        const char *t = g->all_good || req[i]->repeat == 0 ? " do good" : g->sleep_on_odd ? " sleep" : " do bad";
        ck_assert_ok(vs_model_set_text(batch, i, t, (size_t)-1));
    }
    return 0;
}

static int eval_by_word(void *ud, const size_t *items, const char *const *prompts, const char *const *responses,
                        size_t n, size_t k, double *values, double *probs, int32_t *statuses) {
    (void)ud, (void)items, (void)prompts, (void)statuses, (void)probs;
    for (size_t i = 0; i < n; i++)
        for (size_t d = 0; d < k; d++)
            values[i * k + d] = strstr(responses[i], "good") ? 1.0 : strstr(responses[i], "sleep") ? 0.0 : -1.0;
    return 0;
}

/* judge: the runner's; sleep_on_odd: repeat 1 is unrelated (value 0); expect the score,
 * expect_related the share of judgements that are related. */
static void run_scores(int judge_kind, int all_good, int sleep_on_odd, double expect, double expect_coverage) {
    vs_bank *bank = NULL;
    ck_assert_ok(vs_bank_builtin(&bank, "schwartz10"));
    const vs_space *space = vs_bank_space(bank);
    size_t level = vs_space_dimension_level(space, vs_bank_item_dimension(bank, 0, 0));
    vs_evaluator_callbacks cb = VS_EVALUATOR_CALLBACKS_INIT;
    cb.evaluate = eval_by_word;
    vs_evaluator *ev = NULL;
    ck_assert_ok(vs_evaluator_create_callback(&ev, space, level, &cb, NULL));
    vs_model *judge = NULL, *model = NULL;
    ck_assert_ok(vs_evaluator_judge_create(&judge, ev));
    gen_mode g = {all_good, sleep_on_odd};
    vs_model_callbacks mc = VS_MODEL_CALLBACKS_INIT;
    mc.generate = gen;
    ck_assert_ok(vs_model_create(&model, &mc, &g));
    char dir[] = "/tmp/vs_check_judge_XXXXXX", path[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/j.jsonl", dir);
    vs_runner *r = NULL;
    ck_assert_ok(vs_runner_create(&r, bank, model, judge_kind, judge));
    ck_assert_ok(vs_runner_set_int(r, VS_RUNNER_OPT_REPEATS, 2));
    ck_assert_ok(vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, path));
    vs_runner_result *res = NULL;
    ck_assert_ok(vs_runner_run(&res, r));
    ck_assert_uint_eq(vs_runner_result_failed(res), 0);
    ck_assert_uint_eq(vs_runner_result_done(res), 2 * vs_bank_item_count(bank));
    ck_assert_uint_eq(vs_runner_result_dimension_count(res), 10);
    for (size_t d = 0; d < 10; d++) {
        vs_runner_score s = VS_RUNNER_SCORE_INIT;
        ck_assert_ok(vs_runner_result_score(&s, res, d));
        ck_assert_uint_ge(s.n, 20); /* >= 10 items per value, 2 repeats */
        ck_assert_near(s.coverage, expect_coverage, 1e-12);
        ck_assert_near((double)s.n_related, expect_coverage * (double)s.n, 1e-9);
        if (isnan(expect)) ck_assert(isnan(s.score) && s.n_related == 0 && isnan(s.ci_low) && isnan(s.ci_high));
        else ck_assert_near(s.score, expect, 1e-12);
    }
    vs_runner_result_free(res);
    vs_runner_free(r);
    remove(path);
    remove(dir);
    vs_model_free(model);
    vs_model_free(judge);
    vs_evaluator_free(ev);
    vs_bank_free(bank);
}

START_TEST(runner_scores_with_the_judge) {
    run_scores(VS_RUNNER_JUDGE_CLASSIFY, 0, 0, 50.0, 1.0);
    run_scores(VS_RUNNER_JUDGE_CLASSIFY, 1, 0, 100.0, 1.0);
    /* three-way: E = +1 is high, E = -1 low, E = 0 unrelated (left out of the score) */
    run_scores(VS_RUNNER_JUDGE_CLASSIFY3, 0, 0, 50.0, 1.0);
    run_scores(VS_RUNNER_JUDGE_CLASSIFY3, 0, 1, 100.0, 0.5);
    /* two-way: E = 0 is P(high) = 0.5 exactly, a tie: unrelated, never high */
    run_scores(VS_RUNNER_JUDGE_CLASSIFY, 0, 1, 100.0, 0.5);
}
END_TEST

START_TEST(allocation_failures) {
    vs_space *space = toy_space();
    vs_evaluator *ev = toy_evaluator(space, 0);
    const char *labels[2] = {"kind", "brave"};
    const char *texts[2] = {"good", "bad"};
    vs_test_alloc_install();
    for (long fail = 1;; fail++) {
        vs_test_alloc_fail_at(fail);
        vs_model *judge = NULL;
        int rc = vs_evaluator_judge_create(&judge, ev);
        if (rc != VS_OK) {
            ck_assert_int_eq(rc, VS_ENOMEM);
            ck_assert_ptr_null(judge);
            ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
            continue;
        }
        vs_model_results *res = NULL;
        rc = vs_model_results_create(&res);
        vs_model_text_request q[2] = {VS_MODEL_TEXT_REQUEST_INIT, VS_MODEL_TEXT_REQUEST_INIT};
        const vs_model_text_request *qp[2] = {&q[0], &q[1]};
        q[0].text = texts[0], q[1].text = texts[1];
        q[0].context = q[1].context = "When I can, I";
        /* no retry back-off waits in this loop: one attempt only */
        if (rc == VS_OK) rc = vs_model_set_int(judge, VS_MODEL_OPT_MAX_ATTEMPTS, 1);
        if (rc == VS_OK) rc = vs_model_classify(res, judge, qp, 2, labels, 2);
        int failed = vs_test_alloc_failed();
        int all_ok = rc == VS_OK && vs_model_results_count(res, VS_MODEL_ITEM_OK) == 2;
        if (rc != VS_OK) ck_assert_int_eq(rc, VS_ENOMEM);
        vs_model_results_free(res);
        vs_model_free(judge);
        ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
        if (!failed) {
            ck_assert(all_ok);
            break;
        }
    }
    vs_test_alloc_uninstall();
    vs_evaluator_free(ev);
    vs_space_free(space);
}
END_TEST

static Suite *judge_suite(void) {
    Suite *s = suite_create("judge");
    TCase *tc = tcase_create("judge");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, p_high_by_hand);
    tcase_add_test(tc, three_way_by_hand);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, trained_builtin_single_class);
    tcase_add_test(tc, runner_scores_with_the_judge);
    tcase_add_test(tc, allocation_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(judge_suite()); }
