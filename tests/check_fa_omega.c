/* Tests of omega (Schmid-Leiman), Tucker's congruence, the per-step convergence flags and the
 * Heywood flags against R psych 2.2.9 (tests/data/fa/make_reference_omega.R wrote
 * reference_omega.txt and longley.csv), plus bad input and allocation failure. psych's own
 * minres stops ~5e-5 short of its optimum, so its omega outputs are compared at 1e-4 as in
 * check_fa; congruence is closed-form and compared at 1e-12. VS_FA_VERBOSE=1 prints the largest
 * deviations. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa_reference.h"
#include "testutil.h"

static refcase *cases;
static size_t ncases;

static void load_reference(void) {
    if (!cases) cases = fa_ref_parse(FA_REF_DIR "reference_omega.txt", &ncases);
}

static const refcase *find_case(const char *id) {
    load_reference();
    for (size_t c = 0; c < ncases; c++)
        if (strcmp(cases[c].id, id) == 0) return &cases[c];
    ck_abort_msg("no reference case %s", id);
    return NULL;
}

static double scalar(const vs_fa_result *r, int what);

static vs_fa *options(int k, const char *method, const char *rot) {
    vs_fa *fa;
    ck_assert_ok(vs_fa_create(&fa));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, k));
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_METHOD, method));
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, rot));
    return fa;
}

static double *omega_array(const vs_fa_omega_result *o, int what, size_t expect) {
    size_t need = 0;
    ck_assert_status(vs_fa_omega_get(&need, o, what, NULL, 0), expect ? VS_EBUFSIZE : VS_OK);
    ck_assert_uint_eq(need, expect);
    double *v = malloc((need ? need : 1) * sizeof(double));
    ck_assert_ok(vs_fa_omega_get(&need, o, what, v, need));
    return v;
}

/* ---------------------------------------------------------------- omega against psych::omega */
START_TEST(test_omega_reference) {
    load_reference();
    static const int coef[6] = {VS_FA_OMEGA_TOTAL, VS_FA_OMEGA_HIERARCHICAL, VS_FA_OMEGA_LIMIT,
                                VS_FA_OMEGA_ALPHA, VS_FA_OMEGA_G6,    VS_FA_OMEGA_ECV};
    double worst[4] = {0};
    size_t done = 0;
    for (size_t c = 0; c < ncases; c++) {
        const refcase *rc = &cases[c];
        if (rc->id[0] != 'o') continue;
        vs_fa_data *d = fa_ref_load_set(rc->set);
        vs_fa *fa = options(rc->k, rc->method, rc->rot);
        const block *tb = fa_ref_find(rc, "target"); /* targetQ: psych's Target */
        if (tb) ck_assert_ok(vs_fa_set_target(fa, tb->v, tb->rows, tb->cols));
        vs_fa_omega_result *o = NULL;
        ck_assert_ok(vs_fa_omega(&o, fa, d));
        size_t p = vs_fa_data_variable_count(d), k = (size_t)rc->k;
        ck_assert_uint_eq(vs_fa_omega_factor_count(o), (size_t)rc->k);
        double conv = 0;
        ck_assert_ok(vs_fa_omega_scalar(&conv, o, VS_FA_OMEGA_CONVERGED));
        ck_assert_double_eq(conv, 1);
        /* psych's general-factor fit stops early when a psi reaches its bound (o3): compare with
         * the converged ("polished") chain, and psych's own output where that fit converged */
        int psych_converged = fa_ref_maxdiff(fa_ref_block(rc, "gload")->v, fa_ref_block(rc, "polished_gload")->v, k) < 1e-5;
        const block *cb = fa_ref_block(rc, "polished_coefficients");
        for (int i = 0; i < 6; i++) {
            double v;
            ck_assert_ok(vs_fa_omega_scalar(&v, o, coef[i]));
            double dv = fabs(v - cb->v[i]);
            ck_assert_msg(dv < 1e-4, "case %s coefficient %d: %.10g, psych %.10g", rc->id, coef[i], v, cb->v[i]);
            if (dv > worst[0]) worst[0] = dv;
        }
        double *sl = omega_array(o, VS_FA_OMEGA_SL_LOADINGS, p * (k + 4));
        double *grp = omega_array(o, VS_FA_OMEGA_SUBSCALES, 3 * (k + 1));
        double *obl = omega_array(o, VS_FA_OMEGA_OBLIQUE, p * k);
        double *phi = omega_array(o, VS_FA_OMEGA_PHI, k * k);
        double *gl = omega_array(o, VS_FA_OMEGA_GENERAL, k);
        double *key = omega_array(o, VS_FA_OMEGA_KEY, p);
        if (psych_converged) {
            ck_assert_double_le(fa_ref_maxdiff(sl, fa_ref_block(rc, "sl")->v, p * (k + 4)), 1e-4);
            ck_assert_double_le(fa_ref_maxdiff(grp, fa_ref_block(rc, "group")->v, 3 * (k + 1)), 1e-4);
        } else {
            /* the cases where psych stops early */
            ck_assert_msg(strcmp(rc->id, "o3") == 0 || strcmp(rc->id, "o10") == 0, "case %s", rc->id);
        }
        double dv[4] = {fa_ref_maxdiff(sl, fa_ref_block(rc, "polished_sl")->v, p * (k + 4)),
                        fa_ref_maxdiff(grp, fa_ref_block(rc, "polished_group")->v, 3 * (k + 1)),
                        fa_ref_maxdiff(obl, fa_ref_block(rc, "oblique")->v, p * k),
                        fa_ref_maxdiff(phi, fa_ref_block(rc, "phi")->v, k * k)};
        for (int i = 0; i < 4; i++) {
            ck_assert_msg(dv[i] < 1e-4, "case %s %s k=%zu: array %d off by %g", rc->id, rc->set, k, i, dv[i]);
            if (dv[i] > worst[1]) worst[1] = dv[i];
        }
        ck_assert_double_le(fa_ref_maxdiff(gl, fa_ref_block(rc, "polished_gload")->v, k), 1e-4);
        ck_assert_double_eq(fa_ref_maxdiff(key, fa_ref_block(rc, "key")->v, p), 0);
        if (fa_ref_verbose()) printf("omega %s: coefficients %.2g, arrays %.2g\n", rc->id, worst[0], dv[0]);
        free(sl);
        free(grp);
        free(obl);
        free(phi);
        free(gl);
        free(key);
        vs_fa_omega_free(o);
        vs_fa_free(fa);
        vs_fa_data_free(d);
        done++;
    }
    ck_assert_uint_eq(done, 11);
    if (fa_ref_verbose()) printf("omega: worst coefficient %.3g, worst array %.3g\n", worst[0], worst[1]);
}
END_TEST

START_TEST(test_omega_bad_input) {
    vs_fa_data *d = fa_ref_load_set("thurstone");
    vs_fa *fa = options(3, "minres", "oblimin");
    vs_fa_omega_result *o = (vs_fa_omega_result *)1;
    ck_assert_status(vs_fa_omega(NULL, fa, d), VS_EINVAL);
    ck_assert_status(vs_fa_omega(&o, NULL, d), VS_EINVAL);
    ck_assert_ptr_null(o);
    o = (vs_fa_omega_result *)1;
    ck_assert_status(vs_fa_omega(&o, fa, NULL), VS_EINVAL);
    ck_assert_ptr_null(o);
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, "varimax"));
    ck_assert_status(vs_fa_omega(&o, fa, d), VS_EINVAL);
    ck_assert_str_eq(vs_status_name(VS_EINVAL), "VS_EINVAL");
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "oblique rotation"));
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, "none"));
    ck_assert_status(vs_fa_omega(&o, fa, d), VS_EINVAL);
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, "oblimin"));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, 1));
    ck_assert_status(vs_fa_omega(&o, fa, d), VS_ERANGE);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "at least 2 group factors"));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, 7)); /* 9 variables: df < 0 */
    ck_assert_status(vs_fa_omega(&o, fa, d), VS_ERANGE);
    ck_assert_ptr_null(o);
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, 3));
    /* the oblique rotation's own inputs are checked as by vs_fa_fit */
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, "targetQ"));
    ck_assert_status(vs_fa_omega(&o, fa, d), VS_EINVAL); /* no target */
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "target pattern"));
    double t2[18] = {0};
    ck_assert_ok(vs_fa_set_target(fa, t2, 9, 2));
    ck_assert_status(vs_fa_omega(&o, fa, d), VS_EMISMATCH); /* 9 x 2 target, 3 factors */
    ck_assert_ptr_null(o);
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, "simplimax"));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_SIMPLIMAX_M, 28)); /* 27 loadings */
    ck_assert_status(vs_fa_omega(&o, fa, d), VS_ERANGE);
    ck_assert_ptr_null(o);
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_SIMPLIMAX_M, 0));
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, "oblimin"));
    ck_assert_ok(vs_fa_omega(&o, fa, d));
    double v = 42, buf[4] = {7, 7, 7, 7};
    size_t need = 0;
    ck_assert_status(vs_fa_omega_scalar(&v, o, 0), VS_EINVAL);
    ck_assert_status(vs_fa_omega_scalar(&v, o, 8), VS_EINVAL);
    ck_assert_double_eq(v, 42);
    ck_assert_status(vs_fa_omega_scalar(NULL, o, VS_FA_OMEGA_TOTAL), VS_EINVAL);
    ck_assert_status(vs_fa_omega_scalar(&v, NULL, VS_FA_OMEGA_TOTAL), VS_EINVAL);
    ck_assert_status(vs_fa_omega_get(&need, o, VS_FA_OMEGA_PHI, buf, 4), VS_EBUFSIZE);
    ck_assert_uint_eq(need, 9);
    ck_assert_double_eq(buf[0], 7);
    ck_assert_status(vs_fa_omega_get(&need, o, 99, buf, 4), VS_EINVAL);
    ck_assert_status(vs_fa_omega_get(&need, NULL, VS_FA_OMEGA_PHI, buf, 4), VS_EINVAL);
    ck_assert_status(vs_fa_omega_get(&need, o, VS_FA_OMEGA_GENERAL, NULL, 3), VS_EINVAL);
    ck_assert_uint_eq(vs_fa_omega_factor_count(NULL), 0);
    vs_fa_omega_free(o);
    vs_fa_omega_free(NULL);
    /* a rotation cut short is reported, not hidden */
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_ROTATE_MAX_ITER, 1));
    ck_assert_ok(vs_fa_omega(&o, fa, d));
    ck_assert_ok(vs_fa_omega_scalar(&v, o, VS_FA_OMEGA_CONVERGED));
    ck_assert_double_eq(v, 0);
    vs_fa_omega_free(o);
    vs_fa_free(fa);
    vs_fa_data_free(d);
}
END_TEST

START_TEST(test_omega_alloc_failure) {
    vs_fa_data *d = fa_ref_load_set("thurstone");
    vs_fa *fa = options(3, "minres", "oblimin");
    int ok = 0;
    for (long n = 1; n < 100000 && !ok; n++) {
        vs_test_alloc_install();
        vs_test_alloc_fail_at(n);
        vs_fa_omega_result *o = (vs_fa_omega_result *)1;
        int rc = vs_fa_omega(&o, fa, d);
        int failed = vs_test_alloc_failed();
        if (rc == VS_OK) {
            vs_fa_omega_free(o);
            if (!failed) ok = 1;
        } else {
            ck_assert_int_eq(rc, VS_ENOMEM);
            ck_assert_ptr_null(o);
        }
        ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
        vs_test_alloc_uninstall();
    }
    ck_assert(ok);
    vs_fa_free(fa);
    vs_fa_data_free(d);
}
END_TEST

/* ---------------------------------------------------------------- congruence */
START_TEST(test_congruence_reference) {
    load_reference();
    size_t done = 0;
    for (size_t c = 0; c < ncases; c++) {
        const refcase *rc = &cases[c];
        if (rc->id[0] != 'c') continue;
        const block *a = fa_ref_block(rc, "a"), *b = fa_ref_block(rc, "b");
        size_t p = a->rows, k = a->cols;
        double *out = malloc(k * k * sizeof(double)), sign[8];
        size_t order[8];
        /* plain: psych::factor.congruence */
        ck_assert_ok(vs_fa_congruence(out, order, sign, a->v, b->v, p, k, k, 0));
        ck_assert_double_le(fa_ref_maxdiff(out, fa_ref_block(rc, "phi")->v, k * k), 1e-12);
        for (size_t j = 0; j < k; j++) {
            ck_assert_uint_eq(order[j], j);
            ck_assert_double_eq(sign[j], 1);
        }
        /* matched: the brute-force best permutation and reflections */
        ck_assert_ok(vs_fa_congruence(out, order, sign, a->v, b->v, p, k, k, VS_FA_CONGRUENCE_MATCH));
        const block *perm = fa_ref_block(rc, "perm");
        for (size_t j = 0; j < k; j++) ck_assert_uint_eq(order[j] + 1, (size_t)perm->v[j]);
        ck_assert_double_le(fa_ref_maxdiff(out, fa_ref_block(rc, "matched")->v, k * k), 1e-12);
        const block *phi = fa_ref_block(rc, "phi");
        for (size_t j = 0; j < k; j++) {
            ck_assert(out[j * k + j] > 0);
            ck_assert_double_eq(sign[j], phi->v[j * k + order[j]] < 0 ? -1 : 1);
        }
        /* Procrustes */
        ck_assert_ok(vs_fa_congruence(out, NULL, NULL, a->v, b->v, p, k, k, VS_FA_CONGRUENCE_PROCRUSTES));
        ck_assert_double_le(fa_ref_maxdiff(out, fa_ref_block(rc, "procrustes")->v, k * k), 1e-10);
        free(out);
        done++;
    }
    ck_assert_uint_eq(done, 3);
}
END_TEST

/* rectangular matching, by hand: A has 2 columns, B 3; B2 = -A1, B3 = A2, B1 unrelated */
START_TEST(test_congruence_rectangular) {
    const double a[4 * 2] = {1, 0, 1, 0, 0, 1, 0, 1};
    const double b[4 * 3] = {1, -1, 0, -1, -1, 0, 1, 0, 1, -1, 0, 1};
    double out[6];
    size_t order[3];
    double sign[3];
    ck_assert_ok(vs_fa_congruence(out, order, sign, a, b, 4, 2, 3, VS_FA_CONGRUENCE_MATCH));
    ck_assert_uint_eq(order[0], 1);
    ck_assert_uint_eq(order[1], 2);
    ck_assert_uint_eq(order[2], 0);
    ck_assert_double_eq(sign[0], -1);
    ck_assert_double_eq(sign[1], 1);
    ck_assert_double_eq(sign[2], 1);
    ck_assert_near(out[0], 1, 1e-15);              /* A1 with -B2 */
    ck_assert_near(out[1 * 3 + 1], 1, 1e-15);      /* A2 with B3 */
    ck_assert_near(out[0 * 3 + 2], 0, 1e-15);                /* A1 . B1 = 1 - 1 */
    ck_assert_near(out[1 * 3 + 0], 0, 1e-15);                /* A2 . -B2 = 0 */
    ck_assert_near(out[1 * 3 + 2], 0, 1e-15);                /* A2 . B1 = 1 - 1 */
    /* B with fewer columns than A: its columns follow the A columns they match */
    double out2[6];
    const double bt[4 * 2] = {0, 1, 0, 1, 1, 0, 1, 0}; /* swapped A */
    ck_assert_ok(vs_fa_congruence(out2, order, sign, b, bt, 4, 3, 2, VS_FA_CONGRUENCE_MATCH));
    ck_assert_uint_eq(order[0], 1);            /* B2 = -A1 matches bt2 = A1 (reflected) */
    ck_assert_uint_eq(order[1], 0);            /* B3 = A2 matches bt1 */
    ck_assert_double_eq(sign[0], -1);
    ck_assert_double_eq(sign[1], 1);
    ck_assert_near(out2[1 * 2 + 0], 1, 1e-15);
    ck_assert_near(out2[2 * 2 + 1], 1, 1e-15);
}
END_TEST

START_TEST(test_congruence_bad_input) {
    const double a[3 * 2] = {1, 0, 0.5, 0.5, 0, 1};
    double b[3 * 3] = {1, 0, 0, 0, 1, 0, 0.2, 0.3, 0};
    double out[6] = {9, 9, 9, 9, 9, 9};
    size_t order[3] = {9, 9, 9};
    ck_assert_status(vs_fa_congruence(NULL, NULL, NULL, a, b, 3, 2, 3, 0), VS_EINVAL);
    ck_assert_status(vs_fa_congruence(out, NULL, NULL, NULL, b, 3, 2, 3, 0), VS_EINVAL);
    ck_assert_status(vs_fa_congruence(out, NULL, NULL, a, b, 3, 2, 3, 4), VS_EINVAL);
    ck_assert_status(vs_fa_congruence(out, NULL, NULL, a, b, 0, 2, 3, 0), VS_ERANGE);
    ck_assert_status(vs_fa_congruence(out, NULL, NULL, a, b, 3, 2, 0, 0), VS_ERANGE);
    ck_assert_status(vs_fa_congruence(out, order, NULL, a, b, 3, 2, 3, VS_FA_CONGRUENCE_PROCRUSTES), VS_EMISMATCH);
    /* the third column of b is zero */
    ck_assert_status(vs_fa_congruence(out, order, NULL, a, b, 3, 2, 3, 0), VS_EUNDEFINED);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "column 3 of B"));
    b[8] = NAN;
    ck_assert_status(vs_fa_congruence(out, order, NULL, a, b, 3, 2, 3, 0), VS_EINVAL);
    for (int i = 0; i < 6; i++) ck_assert_double_eq(out[i], 9);
    ck_assert_uint_eq(order[0], 9);
}
END_TEST

/* ---------------------------------------------------------------- convergence and Heywood flags */
static double scalar(const vs_fa_result *r, int what) {
    double v;
    ck_assert_ok(vs_fa_result_scalar(&v, r, what));
    return v;
}

START_TEST(test_longley_converged) {
    const refcase *rc = find_case("longley");
    vs_fa_data *d = fa_ref_load_set("longley");
    vs_fa *fa = options(2, "ml", "oblimin");
    vs_fa_result *r = NULL;
    ck_assert_ok(vs_fa_fit(&r, fa, d));
    /* psych's optimum, reached: the optimiser stalls there with a projected gradient ~1e-6 at F ~ 4 */
    double u[7], h[7];
    size_t need;
    ck_assert_ok(vs_fa_result_get(&need, r, VS_FA_UNIQUENESSES, u, 7));
    ck_assert_double_le(fa_ref_maxdiff(u, fa_ref_block(rc, "uniquenesses")->v, 7), 1e-6);
    ck_assert_near(scalar(r, VS_FA_STAT_OBJECTIVE), fa_ref_block(rc, "objective")->v[0], 1e-5);
    ck_assert_double_eq(scalar(r, VS_FA_STAT_EXTRACTION_CONVERGED), 1);
    ck_assert_double_eq(scalar(r, VS_FA_STAT_ROTATION_CONVERGED), 1);
    ck_assert_double_eq(scalar(r, VS_FA_STAT_CONVERGED), 1);
    /* GNP, Unemployed and Year sit at the psi bound */
    ck_assert_ok(vs_fa_result_get(&need, r, VS_FA_HEYWOOD, h, 7));
    const double expect[7] = {0, 1, 1, 0, 0, 1, 0};
    ck_assert_double_eq(fa_ref_maxdiff(h, expect, 7), 0);
    ck_assert_double_eq(scalar(r, VS_FA_STAT_HEYWOOD), 3);
    ck_assert_double_eq(scalar(r, VS_FA_STAT_ULTRA_HEYWOOD), 0);
    vs_fa_result_free(r);
    /* a rotation cut short: only the rotation is reported as not converged */
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_ROTATE_MAX_ITER, 1));
    ck_assert_ok(vs_fa_fit(&r, fa, d));
    ck_assert_double_eq(scalar(r, VS_FA_STAT_EXTRACTION_CONVERGED), 1);
    ck_assert_double_eq(scalar(r, VS_FA_STAT_ROTATION_CONVERGED), 0);
    ck_assert_double_eq(scalar(r, VS_FA_STAT_CONVERGED), 0);
    vs_fa_result_free(r);
    /* an extraction cut short: only the extraction */
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_ROTATE_MAX_ITER, 0));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_MAX_ITER, 2));
    ck_assert_ok(vs_fa_fit(&r, fa, d));
    ck_assert_double_eq(scalar(r, VS_FA_STAT_EXTRACTION_CONVERGED), 0);
    ck_assert_double_eq(scalar(r, VS_FA_STAT_ROTATION_CONVERGED), 1);
    ck_assert_double_eq(scalar(r, VS_FA_STAT_CONVERGED), 0);
    vs_fa_result_free(r);
    vs_fa_free(fa);
    vs_fa_data_free(d);
}
END_TEST

/* pa on the Heywood matrix, 2 factors: psych reports an ultra-Heywood case (communality of V1 > 1) */
START_TEST(test_ultra_heywood) {
    refcase *all;
    size_t n;
    all = fa_ref_parse(FA_REF_DIR "reference.txt", &n);
    const refcase *rc = NULL;
    for (size_t c = 0; c < n; c++)
        if (strcmp(all[c].set, "heywood") == 0 && all[c].k == 2 && strcmp(all[c].method, "pa") == 0 &&
            strcmp(all[c].rot, "none") == 0)
            rc = &all[c];
    ck_assert_ptr_nonnull(rc);
    vs_fa_data *d = fa_ref_load_set("heywood");
    vs_fa *fa = options(2, "pa", "none");
    vs_fa_result *r = NULL;
    ck_assert_ok(vs_fa_fit(&r, fa, d));
    double h[8], comm[8];
    size_t need;
    ck_assert_ok(vs_fa_result_get(&need, r, VS_FA_HEYWOOD, h, 8));
    ck_assert_ok(vs_fa_result_get(&need, r, VS_FA_COMMUNALITY, comm, 8));
    const block *pc = fa_ref_block(rc, "communality");
    size_t ultra = 0;
    for (size_t i = 0; i < 8; i++) {
        ck_assert_double_eq(h[i], pc->v[i] > 1 ? 2 : pc->v[i] >= 1 ? 1 : 0);
        ultra += h[i] == 2;
    }
    ck_assert_uint_eq(ultra, 1);
    ck_assert_double_gt(comm[0], 1);
    ck_assert_double_eq(scalar(r, VS_FA_STAT_ULTRA_HEYWOOD), 1);
    ck_assert_double_eq(scalar(r, VS_FA_STAT_HEYWOOD), 1);
    vs_fa_result_free(r);
    vs_fa_free(fa);
    vs_fa_data_free(d);
    fa_ref_free(all, n);
}
END_TEST

/* ---------------------------------------------------------------- residual, SABIC, EBIC, R2 */
START_TEST(test_fit_extras) {
    load_reference();
    size_t done = 0;
    for (size_t c = 0; c < ncases; c++) {
        const refcase *rc = &cases[c];
        if (rc->id[0] != 'e') continue;
        vs_fa_data *d = fa_ref_load_set(rc->set);
        vs_fa *fa = options(rc->k, "minres", "oblimin");
        vs_fa_result *r = NULL;
        ck_assert_ok(vs_fa_fit(&r, fa, d));
        size_t p = vs_fa_data_variable_count(d), k = (size_t)rc->k, need;
        double *res = malloc(p * p * sizeof(double)), *w = malloc(p * k * sizeof(double)), r2[8];
        ck_assert_ok(vs_fa_result_get(&need, r, VS_FA_RESIDUAL, res, p * p));
        ck_assert_ok(vs_fa_result_get(&need, r, VS_FA_WEIGHTS, w, p * k));
        ck_assert_ok(vs_fa_result_get(&need, r, VS_FA_SCORE_R2, r2, k));
        ck_assert_uint_eq(need, k);
        double dr = fa_ref_maxdiff(res, fa_ref_block(rc, "residual")->v, p * p);
        double dw = fa_ref_maxdiff(w, fa_ref_block(rc, "weights")->v, p * k);
        double d2 = fa_ref_maxdiff(r2, fa_ref_block(rc, "R2")->v, k);
        ck_assert_msg(dr < 1e-4 && dw < 1e-4 && d2 < 1e-4, "case %s: residual %g, weights %g, R2 %g", rc->id, dr,
                      dw, d2);
        static const int ids[5] = {VS_FA_STAT_BIC, VS_FA_STAT_SABIC, VS_FA_STAT_EBIC, VS_FA_STAT_ESABIC,
                                   VS_FA_STAT_CRMS};
        const block *fb = fa_ref_block(rc, "fit");
        for (int i = 0; i < 5; i++) {
            double v = scalar(r, ids[i]);
            ck_assert_msg(fa_ref_statdiff(v, fb->v[i]) < 1e-4, "case %s statistic %d: %.10g, psych %.10g", rc->id,
                          ids[i], v, fb->v[i]);
        }
        if (fa_ref_verbose()) printf("extras %s: residual %.2g weights %.2g R2 %.2g\n", rc->id, dr, dw, d2);
        free(res);
        free(w);
        vs_fa_result_free(r);
        vs_fa_free(fa);
        vs_fa_data_free(d);
        done++;
    }
    ck_assert_uint_eq(done, 3);
    /* n unknown: the n-based statistics are NaN, crms (no n) is not */
    vs_fa_data *d = NULL;
    size_t rows, cols;
    double *x = fa_ref_read_csv("thurstone", &rows, &cols);
    ck_assert_ok(vs_fa_data_from_cor(&d, x, rows, cols, 0));
    free(x);
    vs_fa *fa = options(2, "minres", "oblimin");
    vs_fa_result *r = NULL;
    ck_assert_ok(vs_fa_fit(&r, fa, d));
    ck_assert(isnan(scalar(r, VS_FA_STAT_SABIC)) && isnan(scalar(r, VS_FA_STAT_EBIC)));
    ck_assert_near(scalar(r, VS_FA_STAT_CRMS), fa_ref_block(find_case("e2"), "fit")->v[4], 1e-4);
    vs_fa_result_free(r);
    vs_fa_free(fa);
    vs_fa_data_free(d);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("fa_omega");
    TCase *t = tcase_create("omega");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, test_omega_reference);
    tcase_add_test(t, test_omega_bad_input);
    tcase_add_test(t, test_omega_alloc_failure);
    suite_add_tcase(s, t);
    TCase *c = tcase_create("congruence");
    tcase_add_test(c, test_congruence_reference);
    tcase_add_test(c, test_congruence_rectangular);
    tcase_add_test(c, test_congruence_bad_input);
    suite_add_tcase(s, c);
    TCase *f = tcase_create("flags");
    tcase_add_test(f, test_longley_converged);
    tcase_add_test(f, test_ultra_heywood);
    tcase_add_test(f, test_fit_extras);
    suite_add_tcase(s, f);
    return s;
}

int main(void) {
    int rc = vs_test_run(suite());
    fa_ref_free(cases, ncases);
    return rc;
}
