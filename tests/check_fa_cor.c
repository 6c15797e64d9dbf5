/* Tests of the correlation kinds of vs_fa_data_from_raw_kind() (Spearman, Kendall; the kind as
 * its own argument) against R: tests/data/fa/make_reference_cor.R wrote reference_cor.txt (R's
 * cor(method = ...) on 300 rows x 8 columns of bfi with missing values, and psych 2.2.9's
 * fa(cor = ...)). Plus the old flag call, names and bad input. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa/fa_internal.h"
#include "fa_reference.h"
#include "testutil.h"

static refcase *cases;
static size_t ncases;
static double *bfi300;

/* the first 300 rows and 8 columns of bfi.csv */
static void load(void) {
    if (cases) return;
    cases = fa_ref_parse(FA_REF_DIR "reference_cor.txt", &ncases);
    size_t rows, cols;
    double *x = fa_ref_read_csv("bfi", &rows, &cols);
    bfi300 = malloc(300 * 8 * sizeof(double));
    for (size_t t = 0; t < 300; t++)
        for (size_t j = 0; j < 8; j++) bfi300[t * 8 + j] = x[t * cols + j];
    free(x);
}

static const refcase *find_case(const char *id) {
    for (size_t c = 0; c < ncases; c++)
        if (strcmp(cases[c].id, id) == 0) return &cases[c];
    ck_abort_msg("no case %s", id);
    return NULL;
}

START_TEST(test_rank_cor_vs_r) {
    load();
    static const char *names[2] = {"spearman", "kendall"};
    for (int m = 0; m < 2; m++) {
        const refcase *rc = find_case(names[m]);
        int kind;
        ck_assert_ok(vs_fa_cor_kind_from_name(&kind, names[m]));
        ck_assert_int_eq(kind, m == 0 ? VS_FA_CORKIND_SPEARMAN : VS_FA_CORKIND_KENDALL);
        for (int lw = 0; lw < 2; lw++) {
            vs_fa_data *d;
            ck_assert_ok(vs_fa_data_from_raw_kind(&d, bfi300, 300, 8, lw ? VS_FA_LISTWISE : VS_FA_PAIRWISE, kind));
            double r[64];
            ck_assert_ok(vs_fa_data_cor(NULL, d, r, 64));
            double diff = fa_ref_maxdiff(r, fa_ref_block(rc, lw ? "cor_listwise" : "cor_pairwise")->v, 64);
            if (fa_ref_verbose()) printf("%s %s: %.3g\n", names[m], lw ? "listwise" : "pairwise", diff);
            ck_assert_msg(diff <= 1e-13, "%s %s differs by %g", names[m], lw ? "listwise" : "pairwise", diff);
            if (!lw) {
                /* psych::fa(cor = m): its own output (psych's extraction stops ~1e-5 short: 1e-4) */
                vs_fa *fa;
                ck_assert_ok(vs_fa_create(&fa));
                ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, 2));
                vs_fa_result *res;
                ck_assert_ok(vs_fa_fit(&res, fa, d));
                double l[16], phi[4];
                ck_assert_ok(vs_fa_result_get(NULL, res, VS_FA_LOADINGS, l, 16));
                ck_assert_ok(vs_fa_result_get(NULL, res, VS_FA_PHI, phi, 4));
                double dl = fa_ref_maxdiff(l, fa_ref_block(rc, "loadings")->v, 16);
                double dp = fa_ref_maxdiff(phi, fa_ref_block(rc, "phi")->v, 4);
                if (fa_ref_verbose()) printf("%s fit: loadings %.3g phi %.3g\n", names[m], dl, dp);
                ck_assert_msg(dl <= 1e-4 && dp <= 1e-4, "%s fit differs: %g %g", names[m], dl, dp);
                vs_fa_result_free(res);
                vs_fa_free(fa);
                /* no resampled sets in parallel analysis for rank correlations */
                ck_assert_ok(vs_fa_create(&fa));
                ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_PARALLEL_ITER, 3));
                double pb[48];
                size_t nf, nc;
                ck_assert_ok(vs_fa_parallel(&nf, &nc, NULL, fa, d, pb, 48));
                ck_assert(isnan(pb[4 * 8]) && isnan(pb[5 * 8 + 7]));
                vs_fa_free(fa);
            }
            vs_fa_data_free(d);
        }
    }
}
END_TEST

/* the same correlations through both calls for the kinds the flags have */
START_TEST(test_kind_matches_flags) {
    load();
    double x[40 * 3];
    for (int t = 0; t < 40; t++) {
        x[t * 3] = t % 2;
        x[t * 3 + 1] = (t / 3) % 2;
        x[t * 3 + 2] = (t % 5 == 0) ? 1 : (t % 7) % 2;
    }
    static const int flags[3] = {VS_FA_COR_PEARSON, VS_FA_COR_POLYCHORIC, VS_FA_COR_TETRACHORIC};
    static const int kinds[3] = {VS_FA_CORKIND_PEARSON, VS_FA_CORKIND_POLYCHORIC, VS_FA_CORKIND_TETRACHORIC};
    for (int i = 0; i < 3; i++) {
        vs_fa_data *a, *b;
        ck_assert_ok(vs_fa_data_from_raw(&a, x, 40, 3, VS_FA_PAIRWISE | flags[i]));
        ck_assert_ok(vs_fa_data_from_raw_kind(&b, x, 40, 3, VS_FA_PAIRWISE, kinds[i]));
        double ra[9], rb[9];
        ck_assert_ok(vs_fa_data_cor(NULL, a, ra, 9));
        ck_assert_ok(vs_fa_data_cor(NULL, b, rb, 9));
        ck_assert_double_le(fa_ref_maxdiff(ra, rb, 9), 0);
        vs_fa_data_free(a);
        vs_fa_data_free(b);
    }
    /* Spearman of a monotone transform equals Pearson of the ranks: exactly 1 for x vs x^3 */
    double y[20 * 2];
    for (int t = 0; t < 20; t++) {
        y[t * 2] = t - 7.5;
        y[t * 2 + 1] = pow(t - 7.5, 3);
    }
    vs_fa_data *d;
    ck_assert_ok(vs_fa_data_from_raw_kind(&d, y, 20, 2, VS_FA_LISTWISE, VS_FA_CORKIND_SPEARMAN));
    double r[4];
    ck_assert_ok(vs_fa_data_cor(NULL, d, r, 4));
    ck_assert_near(r[1], 1, 1e-15);
    vs_fa_data_free(d);
    /* Kendall by hand: x = 1 2 3 4, y = 1 3 2 4: 5 concordant, 1 discordant pair: tau = 4/6 */
    double z[8] = {1, 1, 2, 3, 3, 2, 4, 4};
    ck_assert_ok(vs_fa_data_from_raw_kind(&d, z, 4, 2, VS_FA_PAIRWISE, VS_FA_CORKIND_KENDALL));
    ck_assert_ok(vs_fa_data_cor(NULL, d, r, 4));
    ck_assert_near(r[1], 4.0 / 6.0, 1e-15);
    vs_fa_data_free(d);
}
END_TEST

START_TEST(test_bad_input) {
    load();
    vs_fa_data *d = (vs_fa_data *)&d;
    ck_assert_status(vs_fa_data_from_raw_kind(&d, bfi300, 300, 8, VS_FA_PAIRWISE, 5), VS_EINVAL);
    ck_assert_ptr_null(d);
    ck_assert_status(vs_fa_data_from_raw_kind(&d, bfi300, 300, 8, VS_FA_PAIRWISE, -1), VS_EINVAL);
    /* the flag belongs to the old call */
    ck_assert_status(vs_fa_data_from_raw_kind(&d, bfi300, 300, 8, VS_FA_PAIRWISE | VS_FA_COR_TETRACHORIC,
                                              VS_FA_CORKIND_PEARSON), VS_EINVAL);
    ck_assert_status(vs_fa_data_from_raw_kind(NULL, bfi300, 300, 8, VS_FA_PAIRWISE, 0), VS_EINVAL);
    ck_assert_status(vs_fa_data_from_raw_kind(&d, bfi300, 2, 8, VS_FA_PAIRWISE, VS_FA_CORKIND_KENDALL), VS_ERANGE);
    int kind = 99;
    ck_assert_status(vs_fa_cor_kind_from_name(&kind, "Spearman"), VS_ENOTFOUND);
    ck_assert_int_eq(kind, 99);
    ck_assert(strstr(vs_last_error(), "spearman") != NULL); /* the suggestion */
    ck_assert_status(vs_fa_cor_kind_from_name(NULL, "kendall"), VS_EINVAL);
    /* a pair constant on its common rows: column 2 varies only where column 1 is missing */
    double x[6 * 2] = {1, 0, 2, 0, 3, 0, NAN, 5, NAN, 6, 4, 0};
    ck_assert_status(vs_fa_data_from_raw_kind(&d, x, 6, 2, VS_FA_PAIRWISE, VS_FA_CORKIND_SPEARMAN), VS_EUNDEFINED);
    ck_assert_ptr_null(d);
}
END_TEST

static int run_kind(void *p) {
    vs_fa_data **d = p;
    *d = (vs_fa_data *)1;
    return vs_fa_data_from_raw_kind(d, bfi300, 300, 8, VS_FA_PAIRWISE, VS_FA_CORKIND_SPEARMAN);
}

static void after_kind(void *p, int failed) {
    vs_fa_data **d = p;
    if (failed) ck_assert_ptr_null(*d);
    vs_fa_data_free(*d);
}

START_TEST(test_alloc_failure) {
    load();
    vs_fa_data *d = NULL;
    vs_test_sweep sw = {"vs_fa_data_from_raw_kind", NULL, run_kind, after_kind, &d};
    vs_test_alloc_sweep(&sw);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("fa_cor");
    TCase *t = tcase_create("cor");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_rank_cor_vs_r);
    tcase_add_test(t, test_kind_matches_flags);
    tcase_add_test(t, test_bad_input);
    tcase_add_test(t, test_alloc_failure);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return vs_test_run(suite()); }
