/* Tests of the fa module's wls / gls extraction and of random rotation starts against R psych
 * 2.2.9 and GPArotation 2022.10-2: tests/data/fa/make_reference_wls.R wrote reference_wls.txt
 * (it reads the CSV data sets of make_reference.R). psych hands its optimiser the ML gradient
 * for the wls / gls objectives, so its own runs stop far from their minimum; the 1e-5 comparisons
 * use the "polished_*" blocks (psych's objective minimised to convergence with the exact gradient,
 * then psych's loadings, rotation, fa.stats and factor.scores), and psych's own result only bounds
 * the criterion. VS_FA_VERBOSE=1 prints the largest deviations. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa/fa_internal.h"
#include "fa_reference.h"
#include "testutil.h"

#define DATA FA_REF_DIR

/* ---------------------------------------------------------------- reference file */

static refcase *cases;
static size_t ncases;

static void load_reference(void) {
    if (!cases) cases = fa_ref_parse(DATA "reference_wls.txt", &ncases);
}




static int under_valgrind(void) {
    const char *vg = getenv("VS_TEST_UNDER_VALGRIND");
    return vg && *vg && strcmp(vg, "0") != 0;
}


/* relative for large numbers (chi-square, BIC), absolute otherwise */

static double *get(const vs_fa_result *r, int what, size_t *n) {
    size_t need = 0;
    vs_fa_result_get(&need, r, what, NULL, 0);
    double *v = malloc((need ? need : 1) * sizeof(double));
    ck_assert_ok(vs_fa_result_get(&need, r, what, v, need));
    if (n) *n = need;
    return v;
}

static double scalar(const vs_fa_result *r, int what) {
    double v;
    ck_assert_ok(vs_fa_result_scalar(&v, r, what));
    return v;
}

static vs_fa_result *fit(vs_fa_data *d, int k, const char *method, const char *rot, int64_t starts,
                         int64_t rotate_starts, int64_t seed) {
    vs_fa *fa;
    ck_assert_ok(vs_fa_create(&fa));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, k));
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_METHOD, method));
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, rot));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_STARTS, starts));
    if (rotate_starts > 0) ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_ROTATE_STARTS, rotate_starts));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_SEED, seed));
    vs_fa_result *r = NULL;
    int rc = vs_fa_fit(&r, fa, d);
    ck_assert_msg(rc == VS_OK, "fit %d %s %s: %s", k, method, rot, vs_last_error());
    vs_fa_free(fa);
    return r;
}

/* ---------------------------------------------------------------- wls / gls against psych */
START_TEST(test_wls_gls_reference) {
    load_reference();
    static const int stat_ids[10] = {VS_FA_STAT_OBJECTIVE, VS_FA_STAT_CHI_SQUARE, VS_FA_STAT_DF,
                                     VS_FA_STAT_P_VALUE,   VS_FA_STAT_RMSEA,      VS_FA_STAT_RMSEA_LOWER,
                                     VS_FA_STAT_RMSEA_UPPER, VS_FA_STAT_TLI,      VS_FA_STAT_BIC,
                                     VS_FA_STAT_RMSR};
    double worst[9] = {0};
    const char *wname[9] = {"loadings", "phi", "uniquenesses", "psi", "stats", "weights", "values",
                            "criterion (rel)", "gain over psych (rel, min)"};
    worst[8] = INFINITY;
    size_t done = 0, multi = 0;
    for (size_t c = 0; c < ncases; c++) {
        const refcase *rc = &cases[c];
        if (strcmp(rc->method, "wls") != 0 && strcmp(rc->method, "gls") != 0) continue;
        if (under_valgrind() && c % 6 != 0) continue;
        vs_fa_data *d = fa_ref_load_set(rc->set);
        size_t p = vs_fa_data_variable_count(d), k = (size_t)rc->k;
        double pol = fa_ref_block(rc, "polished_criterion")->v[0];
        double psy = fa_ref_block(rc, "psych_criterion")->v[0];
        /* psych's single (SMC) start; where that start leads to another local minimum (the
         * reference's polished_start is then 1: only psych's end point led to the minimum), the
         * multi-start must find it */
        int64_t starts = 1;
        vs_fa_result *r = fit(d, rc->k, rc->method, rc->rot, 1, 0, 0);
        double crit = scalar(r, VS_FA_STAT_CRITERION);
        if (crit > pol * (1 + 1e-8)) {
            ck_assert_msg(fa_ref_block(rc, "polished_start")->v[0] == 1,
                          "case %s: psych's start reached %.12g in R but %.12g here", rc->id, pol, crit);
            vs_fa_result_free(r);
            starts = 20;
            multi++;
            r = fit(d, rc->k, rc->method, rc->rot, starts, 0, 1);
            crit = scalar(r, VS_FA_STAT_CRITERION);
        }
        double rel = (crit - pol) / pol;
        ck_assert_msg(fabs(rel) < 1e-8, "case %s %s %s k=%d: criterion %.15g, converged %.15g", rc->id,
                      rc->set, rc->method, rc->k, crit, pol);
        /* never worse than psych's own run */
        ck_assert_msg(crit <= psy * (1 + 1e-10), "case %s: criterion %.15g worse than psych's %.15g", rc->id, crit, psy);
        if (fabs(rel) > worst[7]) worst[7] = fabs(rel);
        if ((psy - crit) / psy < worst[8]) worst[8] = (psy - crit) / psy;
        double *L = get(r, VS_FA_LOADINGS, NULL), *phi = get(r, VS_FA_PHI, NULL);
        double *u = get(r, VS_FA_UNIQUENESSES, NULL), *psi = get(r, VS_FA_PSI, NULL);
        double *w = get(r, VS_FA_WEIGHTS, NULL), *ev = get(r, VS_FA_EIGENVALUES_REDUCED, NULL);
        double dv[7];
        dv[0] = fa_ref_maxdiff(L, fa_ref_block(rc, "polished_loadings")->v, p * k);
        dv[1] = fa_ref_maxdiff(phi, fa_ref_block(rc, "polished_phi")->v, k * k);
        dv[2] = fa_ref_maxdiff(u, fa_ref_block(rc, "polished_uniquenesses")->v, p);
        dv[3] = fa_ref_maxdiff(psi, fa_ref_block(rc, "polished_psi")->v, p);
        const block *sb = fa_ref_block(rc, "polished_stats");
        dv[4] = 0;
        for (int i = 0; i < 10; i++) {
            double sd = fa_ref_statdiff(scalar(r, stat_ids[i]), sb->v[i]);
            if (sd > dv[4]) dv[4] = sd;
        }
        dv[5] = fa_ref_maxdiff(w, fa_ref_block(rc, "polished_weights")->v, p * k);
        dv[6] = fa_ref_maxdiff(ev, fa_ref_block(rc, "polished_values")->v, p);
        static const double tol[7] = {1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5};
        for (int i = 0; i < 7; i++) {
            ck_assert_msg(dv[i] <= tol[i], "case %s %s k=%d %s %s: %s differ by %g", rc->id, rc->set, rc->k,
                          rc->method, rc->rot, wname[i], dv[i]);
            if (dv[i] > worst[i]) worst[i] = dv[i];
        }
        if (fa_ref_verbose() > 1)
            printf("case %s %s k=%d %s %s starts %lld: L %.2g phi %.2g u %.2g psi %.2g stats %.2g crit %.2g\n", rc->id,
                   rc->set, rc->k, rc->method, rc->rot, (long long)starts, dv[0], dv[1], dv[2], dv[3], dv[4], rel);
        free(L);
        free(phi);
        free(u);
        free(psi);
        free(w);
        free(ev);
        vs_fa_result_free(r);
        vs_fa_data_free(d);
        done++;
    }
    ck_assert(done >= (under_valgrind() ? 5u : 48u));
    if (fa_ref_verbose())
        for (int i = 0; i < 9; i++) printf("wls/gls worst %s: %.3g (%zu cases, %zu needed starts)\n", wname[i], worst[i], done, multi);
}
END_TEST

/* wls and gls differ from each other and from uls; the methods' names and values */
START_TEST(test_wls_options) {
    vs_fa *fa;
    ck_assert_ok(vs_fa_create(&fa));
    int64_t iv;
    double lo, hi;
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_METHOD, "wls"));
    ck_assert_ok(vs_fa_get_int(&iv, fa, VS_FA_OPT_METHOD));
    ck_assert_int_eq(iv, VS_FA_WLS);
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_METHOD, "gls"));
    ck_assert_ok(vs_fa_get_int(&iv, fa, VS_FA_OPT_METHOD));
    ck_assert_int_eq(iv, VS_FA_GLS);
    ck_assert_int_eq(VS_FA_WLS, 4);
    ck_assert_int_eq(VS_FA_GLS, 5);
    ck_assert_int_eq(VS_FA_ML, 3); /* frozen */
    ck_assert_status(vs_fa_set_str(fa, VS_FA_OPT_METHOD, "WLS"), VS_ENOTFOUND);
    ck_assert_ok(vs_fa_get_int(&iv, fa, VS_FA_OPT_METHOD));
    ck_assert_int_eq(iv, VS_FA_GLS); /* unchanged */
    ck_assert_status(vs_fa_set_int(fa, VS_FA_OPT_METHOD, 8), VS_ERANGE);
    ck_assert_status(vs_fa_set_int(fa, VS_FA_OPT_METHOD, -1), VS_ERANGE);
    ck_assert_ok(vs_fa_option_bounds(&lo, &hi, VS_FA_OPT_METHOD));
    ck_assert_near(lo, 0, 0);
    ck_assert_near(hi, 7, 0); /* alpha and minchi followed gls */
    /* rotation starts */
    ck_assert_ok(vs_fa_get_int(&iv, fa, VS_FA_OPT_ROTATE_STARTS));
    ck_assert_int_eq(iv, 1);
    ck_assert_status(vs_fa_set_int(fa, VS_FA_OPT_ROTATE_STARTS, 0), VS_ERANGE);
    ck_assert_str_eq(vs_last_error(), "vs_fa_set_int: option rotate_starts = 0 is outside [1, 1000000]");
    ck_assert_status(vs_fa_set_int(fa, VS_FA_OPT_ROTATE_STARTS, -3), VS_ERANGE);
    ck_assert_status(vs_fa_set_double(fa, VS_FA_OPT_ROTATE_STARTS, 2), VS_EINVAL);
    ck_assert_status(vs_fa_set_str(fa, VS_FA_OPT_ROTATE_STARTS, "2"), VS_EINVAL);
    ck_assert_ok(vs_fa_get_int(&iv, fa, VS_FA_OPT_ROTATE_STARTS));
    ck_assert_int_eq(iv, 1); /* unchanged */
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_ROTATE_STARTS, 7));
    ck_assert_ok(vs_fa_get_int(&iv, fa, VS_FA_OPT_ROTATE_STARTS));
    ck_assert_int_eq(iv, 7);
    ck_assert_ok(vs_fa_option_bounds(&lo, &hi, VS_FA_OPT_ROTATE_STARTS));
    ck_assert_near(lo, 1, 0);
    ck_assert_near(hi, 1e6, 0);
    double v;
    vs_fa_result *none = NULL;
    ck_assert_status(vs_fa_result_scalar(&v, none, VS_FA_STAT_ROTATION_CRITERION), VS_EINVAL);
    vs_fa_free(fa);
}
END_TEST

/* a singular correlation matrix: wls and gls need R^-1 (psych: solve() fails) */
START_TEST(test_wls_singular) {
    /* x3 = (x1 + x2) / sqrt(2(1 + .5)) exactly: rank 2 among the first three variables */
    double a = 1.0 / sqrt(3.0), b = 0.5;
    double c = (1 + b) * a; /* cor(x1, x3) = (1 + .5) / sqrt(3) */
    double r[16] = {1, b, c, 0.3, b, 1, c, 0.3, c, c, 1, 0.6 * a, 0.3, 0.3, 0.6 * a, 1};
    vs_fa_data *d;
    ck_assert_ok(vs_fa_data_from_cor(&d, r, 4, 4, 100));
    for (int m = VS_FA_WLS; m <= VS_FA_GLS; m++) {
        vs_fa *fa;
        ck_assert_ok(vs_fa_create(&fa));
        ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_METHOD, m));
        vs_fa_result *res = (vs_fa_result *)1;
        ck_assert_status(vs_fa_fit(&res, fa, d), VS_ENUMERIC);
        ck_assert_ptr_null(res);
        ck_assert_msg(strstr(vs_last_error(), m == VS_FA_WLS ? "wls" : "gls") != NULL, "%s", vs_last_error());
        ck_assert_msg(strstr(vs_last_error(), "invertible") != NULL, "%s", vs_last_error());
        vs_fa_free(fa);
    }
    vs_fa_data_free(d);
}
END_TEST

/* ---------------------------------------------------------------- random rotation starts */
static const refcase *rotation_case(void) {
    load_reference();
    for (size_t c = 0; c < ncases; c++)
        if (strcmp(cases[c].rot, "geominT") == 0) return &cases[c];
    ck_abort_msg("no rotation case");
    return NULL;
}

/* geominT on Thurstone's 3-factor minres loadings: from the identity GPArotation stops at
 * 0.93877, 370 of 500 Random.Start starts reach 0.86295 */
START_TEST(test_rotate_starts_reference) {
    const refcase *rc = rotation_case();
    double f_id = fa_ref_block(rc, "rotation_identity")->v[0], f_best = fa_ref_block(rc, "rotation_best")->v[0];
    ck_assert(f_id > f_best * 1.05); /* a real local minimum */
    vs_fa_data *d = fa_ref_load_set("thurstone");
    /* psych parity: one start */
    vs_fa_result *r1 = fit(d, 3, "minres", "geominT", 1, 1, 0);
    ck_assert_near(scalar(r1, VS_FA_STAT_ROTATION_CRITERION), f_id, 1e-8 * f_id);
    ck_assert_near(scalar(r1, VS_FA_STAT_ROTATION_BEST_START), 0, 0);
    double *L1 = get(r1, VS_FA_LOADINGS, NULL);
    ck_assert_double_le(fa_ref_maxdiff(L1, fa_ref_block(rc, "identity_loadings")->v, 27), 1e-5);
    /* many starts reach the global minimum */
    vs_fa_result *rm = fit(d, 3, "minres", "geominT", 1, 20, 11);
    double fm = scalar(rm, VS_FA_STAT_ROTATION_CRITERION);
    ck_assert_msg(fabs(fm - f_best) <= 1e-8 * f_best, "multi-start criterion %.15g, GPArotation's best %.15g", fm, f_best);
    ck_assert(scalar(rm, VS_FA_STAT_ROTATION_BEST_START) >= 1);
    double *Lm = get(rm, VS_FA_LOADINGS, NULL), *T = get(rm, VS_FA_ROTATION_MATRIX, NULL);
    double *U = get(rm, VS_FA_UNROTATED, NULL), *phi = get(rm, VS_FA_PHI, NULL);
    ck_assert_double_le(fa_ref_maxdiff(Lm, fa_ref_block(rc, "best_loadings")->v, 27), 1e-5);
    /* pattern = unrotated * T, T orthogonal, Phi = I */
    for (size_t i = 0; i < 9; i++)
        for (size_t j = 0; j < 3; j++) {
            double s = 0;
            for (size_t l = 0; l < 3; l++) s += U[i * 3 + l] * T[l * 3 + j];
            ck_assert_near(s, Lm[i * 3 + j], 1e-12);
        }
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++) {
            double s = 0;
            for (size_t l = 0; l < 3; l++) s += T[l * 3 + i] * T[l * 3 + j];
            ck_assert_near(s, i == j, 1e-12);
            ck_assert_near(phi[i * 3 + j], i == j, 0);
        }
    /* the same seed gives the same result, bit for bit */
    vs_fa_result *rm2 = fit(d, 3, "minres", "geominT", 1, 20, 11);
    double *Lm2 = get(rm2, VS_FA_LOADINGS, NULL);
    ck_assert_int_eq(memcmp(Lm, Lm2, 27 * sizeof(double)), 0);
    free(L1);
    free(Lm);
    free(Lm2);
    free(T);
    free(U);
    free(phi);
    vs_fa_result_free(r1);
    vs_fa_result_free(rm);
    vs_fa_result_free(rm2);
    vs_fa_data_free(d);
}
END_TEST

/* the rotation alone on R's unrotated loadings (internal driver) */
START_TEST(test_rotate_starts_internal) {
    const refcase *rc = rotation_case();
    const double *a = fa_ref_block(rc, "unrotated")->v;
    double f_id = fa_ref_block(rc, "rotation_identity")->v[0], f_best = fa_ref_block(rc, "rotation_best")->v[0];
    double l[27], phi[9], t[9];
    for (int64_t starts = 1; starts <= 30; starts += 29) {
        vs__fa_rotate r;
        memset(&r, 0, sizeof r);
        r.a = a;
        r.p = 9;
        r.k = 3;
        r.rotation = VS_FA_ROT_GEOMIN_T;
        r.normalize = -1;
        r.max_iter = 1000;
        r.delta = 0.01;
        r.starts = starts;
        r.seed = 3;
        r.loadings = l;
        r.phi = phi;
        r.rotmat = t;
        ck_assert_ok(vs__fa_rotate_run(&r));
        double want = starts == 1 ? f_id : f_best;
        ck_assert_msg(fabs(r.criterion - want) <= 1e-8 * want, "%lld starts: %.15g, want %.15g", (long long)starts,
                      r.criterion, want);
        ck_assert(r.converged);
    }
}
END_TEST

/* ROTATE_STARTS = 1 is the psych-parity path, bit for bit; more starts never raise the criterion */
START_TEST(test_rotate_starts_parity) {
    static const char *rots[] = {"varimax", "oblimin", "quartimax", "geominQ", "equamax", "bentlerQ", "promax", "none"};
    vs_fa_data *d = fa_ref_load_set("harman74");
    size_t nrot = under_valgrind() ? 3 : sizeof rots / sizeof rots[0];
    for (size_t i = 0; i < nrot; i++) {
        vs_fa_result *r0 = fit(d, 4, "minres", rots[i], 1, 0, 5), *r1 = fit(d, 4, "minres", rots[i], 1, 1, 5);
        vs_fa_result *r8 = fit(d, 4, "minres", rots[i], 1, 8, 5);
        int what[] = {VS_FA_LOADINGS, VS_FA_PHI, VS_FA_ROTATION_MATRIX, VS_FA_STRUCTURE};
        for (int w = 0; w < 4; w++) {
            size_t n0, n1;
            double *x0 = get(r0, what[w], &n0), *x1 = get(r1, what[w], &n1);
            ck_assert_int_eq(n0, n1);
            ck_assert_msg(memcmp(x0, x1, n0 * sizeof(double)) == 0, "%s: array %d differs", rots[i], what[w]);
            free(x0);
            free(x1);
        }
        double f1 = scalar(r1, VS_FA_STAT_ROTATION_CRITERION), f8 = scalar(r8, VS_FA_STAT_ROTATION_CRITERION);
        int crit_rot = strcmp(rots[i], "promax") != 0 && strcmp(rots[i], "none") != 0;
        ck_assert_int_eq(isnan(f1), !crit_rot);
        ck_assert_int_eq(isnan(f8), !crit_rot);
        if (crit_rot) ck_assert_double_le(f8, f1);
        else ck_assert_near(scalar(r8, VS_FA_STAT_ROTATION_BEST_START), 0, 0);
        vs_fa_result_free(r0);
        vs_fa_result_free(r1);
        vs_fa_result_free(r8);
    }
    vs_fa_data_free(d);
}
END_TEST

/* ---------------------------------------------------------------- allocation failure */
static void alloc_loop(vs_fa *fa, vs_fa_data *d) {
    int ok = 0;
    for (size_t n = 1; n < 100000 && !ok; n++) {
        vs_test_alloc_install();
        vs_test_alloc_fail_at(n);
        vs_fa_result *res = (vs_fa_result *)1;
        int rc = vs_fa_fit(&res, fa, d);
        int failed = vs_test_alloc_failed();
        if (rc == VS_OK) {
            vs_fa_result_free(res);
            ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
            if (!failed) ok = 1;
        } else {
            ck_assert_int_eq(rc, VS_ENOMEM);
            ck_assert_ptr_null(res);
            ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
        }
        vs_test_alloc_uninstall();
    }
    ck_assert(ok);
}

START_TEST(test_alloc_failure) {
    vs_fa_data *d = fa_ref_load_set("ability");
    vs_fa *fa;
    ck_assert_ok(vs_fa_create(&fa));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, 2));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_METHOD, VS_FA_WLS));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_STARTS, 2));
    alloc_loop(fa, d);
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_METHOD, VS_FA_GLS));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_STARTS, 1));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_ROTATE_STARTS, 3));
    alloc_loop(fa, d);
    vs_fa_data_free(d);
    /* multi-start rotation */
    d = fa_ref_load_set("thurstone");
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_METHOD, VS_FA_MINRES));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, 3));
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, "geominQ"));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_ROTATE_STARTS, 4));
    alloc_loop(fa, d);
    vs_fa_free(fa);
    vs_fa_data_free(d);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("fa_wls");
    TCase *t = tcase_create("wls");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, test_wls_gls_reference);
    tcase_add_test(t, test_wls_options);
    tcase_add_test(t, test_wls_singular);
    suite_add_tcase(s, t);
    TCase *u = tcase_create("rotate_starts");
    tcase_set_timeout(u, 300);
    tcase_add_test(u, test_rotate_starts_reference);
    tcase_add_test(u, test_rotate_starts_internal);
    tcase_add_test(u, test_rotate_starts_parity);
    tcase_add_test(u, test_alloc_failure);
    suite_add_tcase(s, u);
    return s;
}

int main(void) { return vs_test_run(suite()); }
