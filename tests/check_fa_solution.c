/* Saving and loading factor solutions (lib/fa/solution_io.c): a round trip keeps every array and
 * statistic bit-identical and the loaded solution scores new data as the fitted one; malformed
 * documents fail with specific codes; allocation failures leak nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa_reference.h"
#include "testutil.h"

static vs_fa_result *fit_set(const char *set, int k, const char *scores) {
    vs_fa_data *d = fa_ref_load_set(set);
    vs_fa *fa;
    ck_assert_ok(vs_fa_create(&fa));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, k));
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_SCORES, scores));
    vs_fa_result *r = NULL;
    ck_assert_ok(vs_fa_fit(&r, fa, d));
    vs_fa_free(fa);
    vs_fa_data_free(d);
    return r;
}

static int same_bits(const double *a, const double *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!(a[i] == b[i] || (isnan(a[i]) && isnan(b[i])))) return 0;
    return 1;
}

static void assert_same(const vs_fa_result *a, const vs_fa_result *b) {
    ck_assert_uint_eq(vs_fa_result_variable_count(a), vs_fa_result_variable_count(b));
    ck_assert_uint_eq(vs_fa_result_factor_count(a), vs_fa_result_factor_count(b));
    for (int what = VS_FA_LOADINGS; what <= VS_FA_SCORE_R2; what++) {
        if (what == VS_FA_SCORES) continue;
        size_t na = 0, nb = 0;
        int ra = vs_fa_result_get(&na, a, what, NULL, 0), rb = vs_fa_result_get(&nb, b, what, NULL, 0);
        ck_assert_int_eq(ra, rb);
        ck_assert_uint_eq(na, nb);
        if (na == 0) continue;
        double *va = malloc(na * sizeof(double)), *vb = malloc(nb * sizeof(double));
        ck_assert_ok(vs_fa_result_get(&na, a, what, va, na));
        ck_assert_ok(vs_fa_result_get(&nb, b, what, vb, nb));
        ck_assert_msg(same_bits(va, vb, na), "array %d differs after the round trip", what);
        free(va);
        free(vb);
    }
    for (int s = VS_FA_STAT_OBJECTIVE; s <= VS_FA_STAT_CRMS; s++) {
        double x, y;
        ck_assert_ok(vs_fa_result_scalar(&x, a, s));
        ck_assert_ok(vs_fa_result_scalar(&y, b, s));
        ck_assert_msg(same_bits(&x, &y, 1), "statistic %d: %.17g vs %.17g", s, x, y);
    }
}

START_TEST(test_round_trip) {
    vs_fa_result *r = fit_set("bfi_complete", 5, "regression");
    char *text = NULL;
    ck_assert_ok(vs_fa_result_save_json(&text, r, NULL));
    ck_assert_ptr_nonnull(strstr(text, "\"schema\":\"valuespace.fa_solution\""));
    ck_assert_ptr_nonnull(strstr(text, "\"variables\":null"));
    vs_fa_result *l = NULL;
    ck_assert_ok(vs_fa_result_load_json(&l, text, strlen(text), "mem"));
    assert_same(r, l);
    ck_assert_ptr_null(vs_fa_result_variable(l, 0));
    /* the scores of the fitted data are not kept */
    size_t need = 7;
    ck_assert_status(vs_fa_result_get(&need, l, VS_FA_SCORES, NULL, 0), VS_EUNDEFINED);
    /* weights of another method and scores of new data as the fitted solution gives them */
    size_t rows, cols;
    double *x = fa_ref_read_csv("bfi_complete", &rows, &cols);
    rows = 50;
    double *s1 = malloc(rows * 5 * sizeof(double)), *s2 = malloc(rows * 5 * sizeof(double));
    ck_assert_ok(vs_fa_result_scores(&need, r, VS_FA_SCORES_BARTLETT, x, rows, cols, s1, rows * 5));
    ck_assert_ok(vs_fa_result_scores(&need, l, VS_FA_SCORES_BARTLETT, x, rows, cols, s2, rows * 5));
    ck_assert(same_bits(s1, s2, rows * 5));
    free(s1);
    free(s2);
    free(x);
    /* names: given at save, read back, saved again from the loaded result */
    const char *names[25];
    char buf[25][8];
    for (int i = 0; i < 25; i++) {
        snprintf(buf[i], sizeof buf[i], "v\"%d", i + 1); /* a quote, escaped */
        names[i] = buf[i];
    }
    vs_free(text);
    vs_fa_result_free(l);
    ck_assert_ok(vs_fa_result_save_json(&text, r, names));
    ck_assert_ok(vs_fa_result_load_json(&l, text, strlen(text), "mem"));
    ck_assert_str_eq(vs_fa_result_variable(l, 24), "v\"25");
    ck_assert_ptr_null(vs_fa_result_variable(l, 25));
    char *again = NULL;
    ck_assert_ok(vs_fa_result_save_json(&again, l, NULL));
    ck_assert_str_eq(again, text);
    vs_free(again);
    vs_free(text);
    vs_fa_result_free(l);
    vs_fa_result_free(r);
    /* no weights (scores "none") and a file */
    r = fit_set("thurstone", 3, "none");
    char path[] = "/tmp/vs_fa_solution_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_ok(vs_fa_result_save_file(r, NULL, path));
    ck_assert_ok(vs_fa_result_load_file(&l, path));
    assert_same(r, l);
    ck_assert_status(vs_fa_result_get(&need, l, VS_FA_WEIGHTS, NULL, 0), VS_EUNDEFINED);
    remove(path);
    vs_fa_result_free(l);
    vs_fa_result_free(r);
}
END_TEST

/* a saved document with one substitution applied, loaded: the status */
static int load_edited(const char *text, const char *from, const char *to) {
    const char *at = strstr(text, from);
    ck_assert_ptr_nonnull(at);
    size_t n = strlen(text) + strlen(to) + 1;
    char *e = malloc(n);
    size_t pre = (size_t)(at - text);
    memcpy(e, text, pre);
    strcpy(e + pre, to);
    strcat(e, at + strlen(from));
    vs_fa_result *l = (vs_fa_result *)1;
    int rc = vs_fa_result_load_json(&l, e, strlen(e), "edited");
    if (rc != VS_OK) ck_assert_ptr_null(l);
    vs_fa_result_free(rc == VS_OK ? l : NULL);
    free(e);
    return rc;
}

START_TEST(test_bad_documents) {
    vs_fa_result *r = fit_set("thurstone", 2, "regression");
    char *text = NULL;
    ck_assert_ok(vs_fa_result_save_json(&text, r, NULL));
    ck_assert_int_eq(load_edited(text, "valuespace.fa_solution", "valuespace.space"), VS_EPARSE);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "edited:"));
    ck_assert_int_eq(load_edited(text, "\"version\":2", "\"version\":3"), VS_EVERSION);
    ck_assert_int_eq(load_edited(text, "\"means\":null,", ""), VS_EPARSE);       /* version 2 needs it */
    ck_assert_int_eq(load_edited(text, "\"version\":2", "\"version\":1"), VS_EPARSE); /* ... version 1 has none */
    ck_assert_int_eq(load_edited(text, "\"nfactors\":2", "\"nfactors\":0"), VS_ERANGE);
    ck_assert_int_eq(load_edited(text, "\"nfactors\":2", "\"nfactors\":1.5"), VS_ERANGE);
    ck_assert_int_eq(load_edited(text, "\"nfactors\":2", "\"nfactors\":2,\"extra\":1"), VS_EPARSE);
    ck_assert_int_eq(load_edited(text, "\"loadings\":[", "\"loadings\":[[0,0],"), VS_EMISMATCH);
    ck_assert_int_eq(load_edited(text, "\"phi\":[[", "\"phi\":[[null,"), VS_EMISMATCH);
    ck_assert_int_eq(load_edited(text, "\"phi\":[[1", "\"phi\":[[null"), VS_EPARSE);
    ck_assert_int_eq(load_edited(text, "\"weights\"", "\"weightz\""), VS_EPARSE);
    ck_assert_int_eq(load_edited(text, "\"chi_square\"", "\"chi2\""), VS_EPARSE);
    ck_assert_int_eq(load_edited(text, "\"variables\":null", "\"variables\":[\"a\"]"), VS_EMISMATCH);
    ck_assert_int_eq(load_edited(text, "{", "["), VS_EPARSE);
    ck_assert_int_eq(load_edited(text, "\"weights\":[", "\"weights\":null,\"w\":["), VS_EPARSE);
    vs_fa_result *l = (vs_fa_result *)1;
    ck_assert_status(vs_fa_result_load_json(&l, NULL, 0, NULL), VS_EINVAL);
    ck_assert_ptr_null(l);
    ck_assert_status(vs_fa_result_load_json(NULL, text, strlen(text), NULL), VS_EINVAL);
    ck_assert_status(vs_fa_result_load_file(&l, "/nonexistent/solution.json"), VS_ENOTFOUND);
    ck_assert_status(vs_fa_result_save_json(NULL, r, NULL), VS_EINVAL);
    char *t2 = (char *)1;
    ck_assert_status(vs_fa_result_save_json(&t2, NULL, NULL), VS_EINVAL);
    ck_assert_ptr_null(t2);
    const char *bad_names[9] = {"a", "b", NULL};
    ck_assert_status(vs_fa_result_save_json(&t2, r, bad_names), VS_EINVAL);
    ck_assert_status(vs_fa_result_save_file(r, NULL, NULL), VS_EINVAL);
    ck_assert_ptr_null(vs_fa_result_variable(NULL, 0));
    vs_free(text);
    vs_fa_result_free(r);
}
END_TEST

/* Scores of new rows through a saved and loaded solution are in the fitted data's scale: rows
 * taken from the fitted data get the fit's own scores. (Standardising the rows by their own mean
 * and sd, as vs_fa_result_scores() did before, shifts them: checked below.) */
START_TEST(test_scores_training_scale) {
    size_t rows, cols, need;
    double *x = fa_ref_read_csv("bfi_complete", &rows, &cols);
    vs_fa_result *r = fit_set("bfi_complete", 5, "regression");
    double *fitted = malloc(rows * 5 * sizeof(double));
    ck_assert_ok(vs_fa_result_get(&need, r, VS_FA_SCORES, fitted, rows * 5));
    char *text = NULL;
    ck_assert_ok(vs_fa_result_save_json(&text, r, NULL));
    ck_assert_ptr_nonnull(strstr(text, "\"version\":2"));
    vs_fa_result *l = NULL;
    ck_assert_ok(vs_fa_result_load_json(&l, text, strlen(text), "mem"));
    /* the kept moments are the columns' own, bit for bit after the round trip */
    double mean[25], sd[25], lm[25], ls[25];
    ck_assert_ok(vs_fa_result_get(&need, r, VS_FA_MEANS, mean, 25));
    ck_assert_uint_eq(need, 25);
    ck_assert_ok(vs_fa_result_get(&need, r, VS_FA_SDS, sd, 25));
    ck_assert_ok(vs_fa_result_get(&need, l, VS_FA_MEANS, lm, 25));
    ck_assert_ok(vs_fa_result_get(&need, l, VS_FA_SDS, ls, 25));
    ck_assert(same_bits(mean, lm, 25) && same_bits(sd, ls, 25));
    double s0 = 0, ss = 0;
    for (size_t i = 0; i < rows; i++) s0 += x[i * cols];
    for (size_t i = 0; i < rows; i++) ss += (x[i * cols] - s0 / (double)rows) * (x[i * cols] - s0 / (double)rows);
    ck_assert_double_le(fabs(mean[0] - s0 / (double)rows), 1e-12);
    ck_assert_double_le(fabs(sd[0] - sqrt(ss / (double)(rows - 1))), 1e-12);
    /* 40 rows from the middle, and a single row */
    const size_t first = 700, n = 40;
    double *s = malloc(n * 5 * sizeof(double));
    ck_assert_ok(vs_fa_result_scores(&need, l, VS_FA_SCORES_REGRESSION, x + first * cols, n, cols, s, n * 5));
    double dev = fa_ref_maxdiff(s, fitted + first * 5, n * 5);
    ck_assert_msg(dev < 1e-12, "scores of fitted rows through the loaded solution off by %g", dev);
    ck_assert_ok(vs_fa_result_scores(&need, l, VS_FA_SCORES_REGRESSION, x + 5 * cols, 1, cols, s, 5));
    ck_assert_double_le(fa_ref_maxdiff(s, fitted + 5 * 5, 5), 1e-12);
    /* the same rows standardised by their own moments: far from the fit's scores */
    double om[25], os[25];
    for (size_t j = 0; j < cols; j++) {
        double a = 0, b = 0;
        for (size_t i = 0; i < n; i++) a += x[(first + i) * cols + j];
        om[j] = a / (double)n;
        for (size_t i = 0; i < n; i++) b += (x[(first + i) * cols + j] - om[j]) * (x[(first + i) * cols + j] - om[j]);
        os[j] = sqrt(b / (double)(n - 1));
    }
    ck_assert_ok(vs_fa_result_scores_scaled(&need, l, VS_FA_SCORES_REGRESSION, x + first * cols, n, cols, om, os, s,
                                            n * 5));
    ck_assert_double_ge(fa_ref_maxdiff(s, fitted + first * 5, n * 5), 0.05);
    /* given the training moments, the scaled form is the plain one */
    ck_assert_ok(vs_fa_result_scores_scaled(&need, l, VS_FA_SCORES_REGRESSION, x + first * cols, n, cols, mean, sd,
                                            s, n * 5));
    ck_assert_double_le(fa_ref_maxdiff(s, fitted + first * 5, n * 5), 1e-12);
    /* a version-1 document (no moments) still loads; its scores of new data are refused */
    vs_fa_result *m = fit_set("thurstone", 2, "regression");
    char *t1 = NULL;
    ck_assert_ok(vs_fa_result_save_json(&t1, m, NULL));
    char *at = strstr(t1, "\"means\":null,\"sds\":null,");
    ck_assert_ptr_nonnull(at);
    memmove(at, at + strlen("\"means\":null,\"sds\":null,"), strlen(at + strlen("\"means\":null,\"sds\":null,")) + 1);
    at = strstr(t1, "\"version\":2");
    ck_assert_ptr_nonnull(at);
    at[10] = '1';
    vs_fa_result *v1 = NULL;
    ck_assert_ok(vs_fa_result_load_json(&v1, t1, strlen(t1), "v1"));
    double tx[9 * 3] = {0}, out[6] = {42, 42, 42, 42, 42, 42};
    for (int i = 0; i < 27; i++) tx[i] = (double)(i % 7);
    ck_assert_status(vs_fa_result_scores(&need, v1, VS_FA_SCORES_REGRESSION, tx, 3, 9, out, 6), VS_EUNDEFINED);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "version-1"));
    ck_assert_double_eq(out[0], 42);
    vs_free(t1);
    vs_fa_result_free(v1);
    vs_fa_result_free(m);
    /* bad moments in a document */
    ck_assert_int_eq(load_edited(text, "\"sds\":[", "\"sds\":[0,"), VS_EMISMATCH);
    char *z = strstr(text, "\"sds\":[");
    ck_assert_ptr_nonnull(z);
    char *comma = strchr(z + 7, ',');
    char sd0[64];
    snprintf(sd0, sizeof sd0, "%.*s", (int)(comma - z), z);
    ck_assert_int_eq(load_edited(text, sd0, "\"sds\":[-1"), VS_EPARSE);
    char *mb = strstr(text, "\"means\":[");
    ck_assert_ptr_nonnull(mb);
    size_t mlen = (size_t)(strchr(mb, ']') - mb) + 1;
    char *marr = malloc(mlen + 1);
    snprintf(marr, mlen + 1, "%.*s", (int)mlen, mb);
    ck_assert_int_eq(load_edited(text, marr, "\"means\":null"), VS_EPARSE); /* means null, sds given */
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "means"));
    free(marr);
    free(s);
    vs_free(text);
    vs_fa_result_free(l);
    vs_fa_result_free(r);
    free(fitted);
    free(x);
}
END_TEST

START_TEST(test_alloc_failure) {
    vs_fa_result *r = fit_set("thurstone", 3, "regression");
    char *text = NULL;
    const char *names[9] = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
    ck_assert_ok(vs_fa_result_save_json(&text, r, names));
    for (int what = 0; what < 2; what++) {
        int ok = 0;
        for (long n = 1; n < 100000 && !ok; n++) {
            vs_test_alloc_install();
            vs_test_alloc_fail_at(n);
            int rc;
            if (what == 0) {
                vs_fa_result *l = (vs_fa_result *)1;
                rc = vs_fa_result_load_json(&l, text, strlen(text), NULL);
                if (rc == VS_OK) vs_fa_result_free(l);
                else ck_assert_ptr_null(l);
            } else {
                char *t = NULL;
                rc = vs_fa_result_save_json(&t, r, names);
                if (rc == VS_OK) vs_free(t);
            }
            if (rc == VS_OK) ok = !vs_test_alloc_failed();
            else ck_assert_int_eq(rc, VS_ENOMEM);
            ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
            vs_test_alloc_uninstall();
        }
        ck_assert(ok);
    }
    vs_free(text);
    vs_fa_result_free(r);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("fa_solution");
    TCase *t = tcase_create("io");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_round_trip);
    tcase_add_test(t, test_bad_documents);
    tcase_add_test(t, test_scores_training_scale);
    tcase_add_test(t, test_alloc_failure);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return vs_test_run(suite()); }
