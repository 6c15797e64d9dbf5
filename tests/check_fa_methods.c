/* Tests of the extraction methods alpha and minchi against R psych 2.2.9:
 * tests/data/fa/make_reference_methods.R wrote reference_methods.txt. alpha is psych's fixed-point
 * iteration with the same stopping rule, so psych's own output is the reference (1e-6). psych
 * hands its optimiser the ML gradient for minchi's objective and stops short, so minchi is checked
 * against the "polished_*" blocks (psych's objective minimised to convergence with the exact
 * gradient, then psych's loadings, rotation, fa.stats, factor.scores) at 1e-5, and is never
 * worse than psych's own run. Plus bad input. VS_FA_VERBOSE=1 prints the largest deviations. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa/fa_internal.h"
#include "fa_reference.h"
#include "testutil.h"

static refcase *cases;
static size_t ncases;

static void load_reference(void) {
    if (!cases) cases = fa_ref_parse(FA_REF_DIR "reference_methods.txt", &ncases);
}

static double *get(const vs_fa_result *r, int what) {
    size_t need = 0;
    vs_fa_result_get(&need, r, what, NULL, 0);
    double *v = malloc((need ? need : 1) * sizeof(double));
    ck_assert_ok(vs_fa_result_get(&need, r, what, v, need));
    return v;
}

static double scalar(const vs_fa_result *r, int what) {
    double v;
    ck_assert_ok(vs_fa_result_scalar(&v, r, what));
    return v;
}

static vs_fa_result *fit(vs_fa_data *d, int k, const char *method, const char *rot) {
    vs_fa *fa;
    ck_assert_ok(vs_fa_create(&fa));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, k));
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_METHOD, method));
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, rot));
    vs_fa_result *r = NULL;
    int rc = vs_fa_fit(&r, fa, d);
    ck_assert_msg(rc == VS_OK, "fit %d %s %s: %s", k, method, rot, vs_last_error());
    vs_fa_free(fa);
    return r;
}

static const int stat_ids[10] = {VS_FA_STAT_OBJECTIVE, VS_FA_STAT_CHI_SQUARE, VS_FA_STAT_DF,
                                 VS_FA_STAT_P_VALUE,   VS_FA_STAT_RMSEA,      VS_FA_STAT_RMSEA_LOWER,
                                 VS_FA_STAT_RMSEA_UPPER, VS_FA_STAT_TLI,      VS_FA_STAT_BIC,
                                 VS_FA_STAT_RMSR};

START_TEST(test_alpha_vs_psych) {
    load_reference();
    size_t done = 0;
    double worst[4] = {0};
    for (size_t c = 0; c < ncases; c++) {
        const refcase *rc = &cases[c];
        if (strcmp(rc->method, "alpha") != 0) continue;
        vs_fa_data *d = fa_ref_load_set(rc->set);
        size_t p = vs_fa_data_variable_count(d), k = (size_t)rc->k;
        vs_fa_result *r = fit(d, rc->k, "alpha", rc->rot);
        double *L = get(r, VS_FA_LOADINGS), *phi = get(r, VS_FA_PHI), *u = get(r, VS_FA_UNIQUENESSES);
        double dv[4];
        dv[0] = fa_ref_maxdiff(L, fa_ref_block(rc, "loadings")->v, p * k);
        dv[1] = fa_ref_maxdiff(phi, fa_ref_block(rc, "phi")->v, k * k);
        dv[2] = fa_ref_maxdiff(u, fa_ref_block(rc, "uniquenesses")->v, p);
        const block *st = fa_ref_block(rc, "stats");
        dv[3] = 0;
        for (int i = 0; i < 10; i++) {
            double a = scalar(r, stat_ids[i]), b = st->v[i];
            double e = isnan(b) ? (isnan(a) ? 0 : INFINITY) : fa_ref_statdiff(a, b);
            if (e > dv[3]) dv[3] = e;
        }
        if (fa_ref_verbose())
            printf("alpha %s k=%zu %s: L %.2g phi %.2g u %.2g stats %.2g\n", rc->set, k, rc->rot, dv[0], dv[1], dv[2], dv[3]);
        for (int i = 0; i < 4; i++) {
            ck_assert_msg(dv[i] <= 1e-6, "alpha %s k=%zu %s: quantity %d differs by %g", rc->set, k, rc->rot, i, dv[i]);
            if (dv[i] > worst[i]) worst[i] = dv[i];
        }
        free(L);
        free(phi);
        free(u);
        vs_fa_result_free(r);
        vs_fa_data_free(d);
        done++;
    }
    ck_assert_uint_eq(done, 18);
    if (fa_ref_verbose()) printf("alpha worst: L %.3g phi %.3g u %.3g stats %.3g\n", worst[0], worst[1], worst[2], worst[3]);
}
END_TEST

START_TEST(test_minchi_vs_psych) {
    load_reference();
    size_t done = 0;
    double worst[6] = {0}, gain = INFINITY;
    for (size_t c = 0; c < ncases; c++) {
        const refcase *rc = &cases[c];
        if (strcmp(rc->method, "minchi") != 0) continue;
        vs_fa_data *d = fa_ref_load_set(rc->set);
        size_t p = vs_fa_data_variable_count(d), k = (size_t)rc->k;
        vs_fa_result *r = fit(d, rc->k, "minchi", rc->rot);
        double crit = scalar(r, VS_FA_STAT_CRITERION);
        double pol = fa_ref_block(rc, "polished_criterion")->v[0], psy = fa_ref_block(rc, "psych_criterion")->v[0];
        double rel = fabs(crit - pol) / pol;
        ck_assert_msg(rel < 1e-8, "minchi %s k=%zu: criterion %.15g, converged %.15g", rc->set, k, crit, pol);
        ck_assert_msg(crit <= psy * (1 + 1e-10), "minchi %s k=%zu: %.15g worse than psych's %.15g", rc->set, k, crit, psy);
        if ((psy - crit) / psy < gain) gain = (psy - crit) / psy;
        double *L = get(r, VS_FA_LOADINGS), *phi = get(r, VS_FA_PHI), *u = get(r, VS_FA_UNIQUENESSES);
        double *psi = get(r, VS_FA_PSI), *w = get(r, VS_FA_WEIGHTS);
        double dv[6];
        dv[0] = fa_ref_maxdiff(L, fa_ref_block(rc, "polished_loadings")->v, p * k);
        dv[1] = fa_ref_maxdiff(phi, fa_ref_block(rc, "polished_phi")->v, k * k);
        dv[2] = fa_ref_maxdiff(u, fa_ref_block(rc, "polished_uniquenesses")->v, p);
        dv[3] = fa_ref_maxdiff(psi, fa_ref_block(rc, "polished_psi")->v, p);
        dv[4] = fa_ref_maxdiff(w, fa_ref_block(rc, "polished_weights")->v, p * k);
        const block *st = fa_ref_block(rc, "polished_stats");
        dv[5] = 0;
        for (int i = 0; i < 10; i++) {
            double a = scalar(r, stat_ids[i]), b = st->v[i];
            double e = isnan(b) ? (isnan(a) ? 0 : INFINITY) : fa_ref_statdiff(a, b);
            if (e > dv[5]) dv[5] = e;
        }
        if (fa_ref_verbose())
            printf("minchi %s k=%zu %s: L %.2g phi %.2g u %.2g psi %.2g w %.2g stats %.2g crit %.2g (psych +%.2g)\n",
                   rc->set, k, rc->rot, dv[0], dv[1], dv[2], dv[3], dv[4], dv[5], rel, (psy - crit) / psy);
        for (int i = 0; i < 6; i++) {
            ck_assert_msg(dv[i] <= 1e-5, "minchi %s k=%zu %s: quantity %d differs by %g", rc->set, k, rc->rot, i, dv[i]);
            if (dv[i] > worst[i]) worst[i] = dv[i];
        }
        free(L);
        free(phi);
        free(u);
        free(psi);
        free(w);
        vs_fa_result_free(r);
        vs_fa_data_free(d);
        done++;
    }
    ck_assert_uint_eq(done, 21);
    if (fa_ref_verbose())
        printf("minchi worst: L %.3g phi %.3g u %.3g psi %.3g w %.3g stats %.3g; smallest gain over psych %.3g\n",
               worst[0], worst[1], worst[2], worst[3], worst[4], worst[5], gain);
}
END_TEST

START_TEST(test_bad_input) {
    vs_fa *fa;
    ck_assert_ok(vs_fa_create(&fa));
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_METHOD, "minchi"));
    int64_t v;
    ck_assert_ok(vs_fa_get_int(&v, fa, VS_FA_OPT_METHOD));
    ck_assert_int_eq(v, VS_FA_MINCHI);
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_METHOD, "alpha"));
    ck_assert_status(vs_fa_set_int(fa, VS_FA_OPT_METHOD, 8), VS_ERANGE);
    ck_assert_status(vs_fa_set_str(fa, VS_FA_OPT_METHOD, "Alpha"), VS_ENOTFOUND);
    ck_assert_ok(vs_fa_get_int(&v, fa, VS_FA_OPT_METHOD));
    ck_assert_int_eq(v, VS_FA_ALPHA);
    /* minchi on a matrix without n: refused (psych silently uses minres) */
    double r[9] = {1, .5, .4, .5, 1, .3, .4, .3, 1};
    vs_fa_data *d;
    ck_assert_ok(vs_fa_data_from_cor(&d, r, 3, 3, 0));
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_METHOD, "minchi"));
    vs_fa_result *res = (vs_fa_result *)&res;
    ck_assert_status(vs_fa_fit(&res, fa, d), VS_EUNDEFINED);
    ck_assert_ptr_null(res);
    vs_fa_data_free(d);
    ck_assert_ok(vs_fa_data_from_cor(&d, r, 3, 3, 100));
    ck_assert_ok(vs_fa_fit(&res, fa, d));
    vs_fa_result_free(res);
    vs_fa_data_free(d);
    /* alpha with a zero SMC (an uncorrelated variable): the rescaling is undefined */
    double r0[9] = {1, .5, 0, .5, 1, 0, 0, 0, 1};
    ck_assert_ok(vs_fa_data_from_cor(&d, r0, 3, 3, 100));
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_METHOD, "alpha"));
    ck_assert_status(vs_fa_fit(&res, fa, d), VS_ENUMERIC);
    ck_assert_ptr_null(res);
    vs_fa_data_free(d);
    vs_fa_free(fa);
}
END_TEST

/* alpha's loadings equal psych's formula for one factor by hand: at the fixed point with one factor
 * the rescaled matrix's leading eigenpair reproduces h2 (checked: h2 = diag(L L') within min_err). */
START_TEST(test_alpha_one_factor) {
    vs_fa_data *d = fa_ref_load_set("thurstone");
    vs_fa_result *r = fit(d, 1, "alpha", "none");
    double *L = get(r, VS_FA_LOADINGS), *u = get(r, VS_FA_UNIQUENESSES);
    for (size_t i = 0; i < 9; i++) {
        ck_assert(L[i] > 0.4 && L[i] < 1);
        ck_assert_near(u[i], 1 - L[i] * L[i], 1e-12);
    }
    ck_assert_double_eq(scalar(r, VS_FA_STAT_CONVERGED), 1);
    free(L);
    free(u);
    vs_fa_result_free(r);
    vs_fa_data_free(d);
}
END_TEST

/* parallel analysis with the new methods: the observed "fa" eigenvalues of a one-factor fit
 * (minchi with equal weights on a matrix, as the simulated sets have no pairwise counts) */
START_TEST(test_parallel_methods) {
    vs_fa_data *d = fa_ref_load_set("thurstone");
    static const char *m[3] = {"alpha", "minchi", "minres"};
    double pb[3][54];
    for (int i = 0; i < 3; i++) {
        vs_fa *fa;
        ck_assert_ok(vs_fa_create(&fa));
        ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_METHOD, m[i]));
        ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_PARALLEL_ITER, 5));
        size_t nf, nc;
        ck_assert_msg(vs_fa_parallel(&nf, &nc, NULL, fa, d, pb[i], 54) == VS_OK, "%s: %s", m[i], vs_last_error());
        for (size_t j = 0; j < 36; j++) ck_assert(isfinite(pb[i][j]));
        vs_fa_free(fa);
    }
    /* the observed values are those of the one-factor fit (minchi weights n = 213 everywhere on
     * this matrix input: equal weights, the same optimum as parallel analysis's) */
    for (int i = 0; i < 2; i++) {
        vs_fa_result *r = fit(d, 1, m[i], "none");
        double *ev = get(r, VS_FA_EIGENVALUES_REDUCED);
        ck_assert_msg(fa_ref_maxdiff(pb[i], ev, 9) < 1e-9, "%s: %g", m[i], fa_ref_maxdiff(pb[i], ev, 9));
        free(ev);
        vs_fa_result_free(r);
    }
    vs_fa_data_free(d);
}
END_TEST

typedef struct fit_arg {
    vs_fa *fa;
    vs_fa_data *d;
    vs_fa_result *res;
} fit_arg;

static int run_fit(void *p) {
    fit_arg *a = p;
    a->res = (vs_fa_result *)1;
    return vs_fa_fit(&a->res, a->fa, a->d);
}

static void after_fit(void *p, int failed) {
    fit_arg *a = p;
    if (failed) ck_assert_ptr_null(a->res);
    vs_fa_result_free(a->res);
}

START_TEST(test_alloc_failure) {
    static const char *m[2] = {"alpha", "minchi"};
    for (int i = 0; i < 2; i++) {
        fit_arg a;
        a.d = fa_ref_load_set("thurstone");
        ck_assert_ok(vs_fa_create(&a.fa));
        ck_assert_ok(vs_fa_set_int(a.fa, VS_FA_OPT_NFACTORS, 2));
        ck_assert_ok(vs_fa_set_str(a.fa, VS_FA_OPT_METHOD, m[i]));
        vs_test_sweep sw = {m[i], NULL, run_fit, after_fit, &a};
        vs_test_alloc_sweep(&sw);
        vs_fa_free(a.fa);
        vs_fa_data_free(a.d);
    }
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("fa_methods");
    TCase *t = tcase_create("methods");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, test_alpha_vs_psych);
    tcase_add_test(t, test_minchi_vs_psych);
    tcase_add_test(t, test_bad_input);
    tcase_add_test(t, test_alpha_one_factor);
    tcase_add_test(t, test_parallel_methods);
    tcase_add_test(t, test_alloc_failure);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return vs_test_run(suite()); }
