/* Tests of the rotations target (targetT / targetQ, partially specified: pstT / pstQ), simplimax,
 * biquartimin and psych's plain "Promax" against R: tests/data/fa/make_reference_rotate.R wrote
 * reference_rotate.txt (psych 2.2.9, GPArotation 2022.10-2). The rotation itself is checked on R's
 * own unrotated loadings (same input, so 1e-6 holds), the whole fit against psych::fa at psych's
 * extraction accuracy (1e-4, as check_fa's psych-own comparisons). Plus bad input. */
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
    if (!cases) cases = fa_ref_parse(FA_REF_DIR "reference_rotate.txt", &ncases);
}

static int rotation_of(const char *name) {
    vs_fa *fa;
    ck_assert_ok(vs_fa_create(&fa));
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, name));
    int64_t v;
    ck_assert_ok(vs_fa_get_int(&v, fa, VS_FA_OPT_ROTATION));
    vs_fa_free(fa);
    return (int)v;
}

START_TEST(test_rotation_vs_r) {
    load_reference();
    size_t done = 0;
    double worst = 0;
    for (size_t c = 0; c < ncases; c++) {
        const refcase *rc = &cases[c];
        const block *a = fa_ref_block(rc, "unrotated");
        size_t p = a->rows, k = a->cols;
        double *l = malloc(p * k * sizeof(double)), *phi = malloc(k * k * sizeof(double));
        double *t = malloc(k * k * sizeof(double));
        vs__fa_rotate r;
        memset(&r, 0, sizeof r);
        r.a = a->v;
        r.p = p;
        r.k = k;
        r.rotation = rotation_of(rc->rot);
        r.normalize = -1;
        r.max_iter = 1000;
        r.gamma = 0;
        r.delta = 0.01;
        r.power = 4;
        r.starts = 1;
        const block *tg = fa_ref_find(rc, "target");
        r.target = tg ? tg->v : NULL;
        r.loadings = l;
        r.phi = phi;
        r.rotmat = t;
        ck_assert_msg(vs__fa_rotate_run(&r) == VS_OK, "%s: %s", rc->id, vs_last_error());
        double dl = fa_ref_maxdiff(l, fa_ref_block(rc, "loadings")->v, p * k);
        double dp = fa_ref_maxdiff(phi, fa_ref_block(rc, "phi")->v, k * k);
        if (fa_ref_verbose()) printf("%s %s %s: loadings %.3g phi %.3g\n", rc->id, rc->set, rc->rot, dl, dp);
        ck_assert_msg(dl <= 1e-6 && dp <= 1e-6, "case %s %s: loadings differ by %g, phi by %g", rc->id, rc->rot, dl, dp);
        if (dl > worst) worst = dl;
        /* pattern = unrotated * rotmat */
        double *chk = malloc(p * k * sizeof(double));
        vs__fa_mm(chk, a->v, t, p, k, k);
        ck_assert_double_le(fa_ref_maxdiff(chk, l, p * k), 1e-10);
        const block *cv = fa_ref_find(rc, "converged");
        if (cv) ck_assert_int_eq(r.converged, cv->v[0] != 0);
        free(chk);
        free(l);
        free(phi);
        free(t);
        done++;
    }
    ck_assert_uint_eq(done, 16);
    if (fa_ref_verbose()) printf("rotation worst %.3g\n", worst);
}
END_TEST

/* the public fit against psych::fa(rotate = name, Target = ...) */
START_TEST(test_fit_vs_psych) {
    load_reference();
    size_t done = 0;
    for (size_t c = 0; c < ncases; c++) {
        const refcase *rc = &cases[c];
        const block *fl = fa_ref_find(rc, "fa_loadings");
        if (!fl) continue;
        vs_fa_data *d = fa_ref_load_set(rc->set);
        vs_fa *fa;
        ck_assert_ok(vs_fa_create(&fa));
        ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, rc->k));
        ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, rc->rot));
        const block *tg = fa_ref_find(rc, "target");
        if (tg) ck_assert_ok(vs_fa_set_target(fa, tg->v, tg->rows, tg->cols));
        vs_fa_result *res;
        ck_assert_msg(vs_fa_fit(&res, fa, d) == VS_OK, "%s: %s", rc->id, vs_last_error());
        size_t p = vs_fa_result_variable_count(res), k = (size_t)rc->k, need;
        double *l = malloc(p * k * sizeof(double)), *phi = malloc(k * k * sizeof(double));
        ck_assert_ok(vs_fa_result_get(&need, res, VS_FA_LOADINGS, l, p * k));
        ck_assert_ok(vs_fa_result_get(&need, res, VS_FA_PHI, phi, k * k));
        double dl = fa_ref_maxdiff(l, fl->v, p * k), dp = fa_ref_maxdiff(phi, fa_ref_block(rc, "fa_phi")->v, k * k);
        if (fa_ref_verbose()) printf("fit %s %s: loadings %.3g phi %.3g\n", rc->id, rc->rot, dl, dp);
        /* simplimax s1 stops at 1000 iterations in R too (observed 7e-5 here) */
        ck_assert_msg(dl <= 1e-4 && dp <= 1e-4, "case %s %s: loadings differ by %g, phi by %g", rc->id, rc->rot, dl, dp);
        free(l);
        free(phi);
        vs_fa_result_free(res);
        vs_fa_free(fa);
        vs_fa_data_free(d);
        done++;
    }
    ck_assert_uint_eq(done, 13);
}
END_TEST

/* "Promax" and "promax" differ (psych documents it), and Kaiser normalisation 1 makes them equal */
START_TEST(test_promax_plain) {
    vs_fa_data *d = fa_ref_load_set("thurstone");
    vs_fa *fa;
    ck_assert_ok(vs_fa_create(&fa));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, 3));
    double l[3][27];
    const char *names[3] = {"promax", "Promax", "Promax"};
    for (int i = 0; i < 3; i++) {
        ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, names[i]));
        if (i == 2) ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_KAISER_NORMALIZE, 1));
        vs_fa_result *r;
        ck_assert_ok(vs_fa_fit(&r, fa, d));
        ck_assert_ok(vs_fa_result_get(NULL, r, VS_FA_LOADINGS, l[i], 27));
        vs_fa_result_free(r);
    }
    ck_assert_double_gt(fa_ref_maxdiff(l[0], l[1], 27), 1e-2);
    ck_assert_double_le(fa_ref_maxdiff(l[0], l[2], 27), 1e-12);
    vs_fa_free(fa);
    vs_fa_data_free(d);
}
END_TEST

START_TEST(test_bad_input) {
    vs_fa_data *d = fa_ref_load_set("thurstone");
    vs_fa *fa;
    vs_fa_result *res = (vs_fa_result *)&res;
    ck_assert_ok(vs_fa_create(&fa));
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, 3));
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, "targetQ"));
    /* no target */
    ck_assert_status(vs_fa_fit(&res, fa, d), VS_EINVAL);
    ck_assert_ptr_null(res);
    double tg[27];
    for (int i = 0; i < 27; i++) tg[i] = (i / 3) / 3 == i % 3 ? 1 : 0;
    ck_assert_status(vs_fa_set_target(NULL, tg, 9, 3), VS_EINVAL);
    ck_assert_status(vs_fa_set_target(fa, NULL, 9, 3), VS_EINVAL);
    ck_assert_status(vs_fa_set_target(fa, tg, 0, 3), VS_ERANGE);
    /* wrong size: set, then the fit refuses it */
    ck_assert_ok(vs_fa_set_target(fa, tg, 9, 2));
    ck_assert_status(vs_fa_fit(&res, fa, d), VS_EMISMATCH);
    ck_assert_ok(vs_fa_set_target(fa, tg, 9, 3));
    /* refused targets leave the set one in place */
    double bad[27];
    memcpy(bad, tg, sizeof bad);
    bad[4] = INFINITY;
    ck_assert_status(vs_fa_set_target(fa, bad, 9, 3), VS_EINVAL);
    for (int i = 0; i < 27; i++) bad[i] = NAN;
    ck_assert_status(vs_fa_set_target(fa, bad, 9, 3), VS_EINVAL);
    ck_assert_uint_eq(fa->target_rows, 9);
    ck_assert_uint_eq(fa->target_cols, 3);
    ck_assert_double_le(fa_ref_maxdiff(fa->target, tg, 27), 0);
    ck_assert_ok(vs_fa_fit(&res, fa, d));
    vs_fa_result_free(res);
    /* removing it */
    ck_assert_ok(vs_fa_set_target(fa, NULL, 0, 0));
    ck_assert_status(vs_fa_fit(&res, fa, d), VS_EINVAL);
    /* one factor: nothing to rotate, no target needed */
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, 1));
    ck_assert_ok(vs_fa_fit(&res, fa, d));
    vs_fa_result_free(res);
    /* simplimax: m beyond p k */
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_NFACTORS, 3));
    ck_assert_ok(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, "simplimax"));
    ck_assert_status(vs_fa_set_int(fa, VS_FA_OPT_SIMPLIMAX_M, -1), VS_ERANGE);
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_SIMPLIMAX_M, 28));
    ck_assert_status(vs_fa_fit(&res, fa, d), VS_ERANGE);
    ck_assert_ok(vs_fa_set_int(fa, VS_FA_OPT_SIMPLIMAX_M, 27));
    ck_assert_ok(vs_fa_fit(&res, fa, d));
    vs_fa_result_free(res);
    /* names are case-sensitive: "Targetq" is not one */
    ck_assert_status(vs_fa_set_str(fa, VS_FA_OPT_ROTATION, "Targetq"), VS_ENOTFOUND);
    int64_t v;
    ck_assert_ok(vs_fa_get_int(&v, fa, VS_FA_OPT_ROTATION));
    ck_assert_int_eq(v, VS_FA_ROT_SIMPLIMAX);
    vs_fa_free(fa);
    vs_fa_data_free(d);
}
END_TEST

/* simplimax with m = p k weights every loading: f = sum L^2, which an orthogonal rotation keeps */
START_TEST(test_criteria_by_hand) {
    double l[6] = {0.9, 0.1, -0.2, 0.8, 0.3, 0.4}, g[6], s[6];
    double f = vs__fa_crit_simplimax(l, 6, 6, g, s);
    ck_assert_near(f, 0.81 + 0.01 + 0.04 + 0.64 + 0.09 + 0.16, 1e-15);
    f = vs__fa_crit_simplimax(l, 6, 2, g, s); /* the two smallest: 0.01 and 0.04 */
    ck_assert_near(f, 0.05, 1e-15);
    ck_assert_near(g[1], 0.2, 1e-15);
    ck_assert_near(g[2], -0.4, 1e-15);
    ck_assert_near(g[0], 0, 0);
    double t[6] = {1, 0, NAN, 1, 0, NAN};
    f = vs__fa_crit_target(l, t, 6, g);
    ck_assert_near(f, 0.01 + 0.01 + 0.04 + 0.09, 1e-15);
    ck_assert_near(g[2], 0, 0);
    ck_assert_near(g[0], -0.2, 1e-15);
    /* biquartimin with k = 3: factor 1 free; rows sum L_i2^2 L_i3^2 twice */
    double b[6] = {0.5, 0.3, 0.4, 0.2, 0.6, 0.1};
    f = vs__fa_crit_biquartimin(b, 2, 3, g);
    ck_assert_near(f, 2 * (0.09 * 0.16) + 2 * (0.36 * 0.01), 1e-15);
    ck_assert_near(g[0], 0, 0);
    ck_assert_near(g[1], 4 * 0.3 * 0.16, 1e-15);
}
END_TEST

/* allocation failure in vs_fa_set_target and in a targetQ fit */
typedef struct tg_arg {
    vs_fa *fa;
    vs_fa_data *d;
    vs_fa_result *res;
    double tg[27];
} tg_arg;

static int run_target(void *p) {
    tg_arg *a = p;
    a->res = (vs_fa_result *)1;
    ck_assert_ok(vs_fa_set_target(a->fa, NULL, 0, 0));
    int rc = vs_fa_set_target(a->fa, a->tg, 9, 3);
    if (rc != VS_OK) {
        a->res = NULL;
        ck_assert_ptr_null(a->fa->target); /* removed above, not half-set */
        return rc;
    }
    return vs_fa_fit(&a->res, a->fa, a->d);
}

static void after_target(void *p, int failed) {
    tg_arg *a = p;
    if (failed) ck_assert_ptr_null(a->res);
    vs_fa_result_free(a->res);
    ck_assert_ok(vs_fa_set_target(a->fa, NULL, 0, 0)); /* the options' own block, not a leak */
}

START_TEST(test_alloc_failure) {
    tg_arg a;
    a.d = fa_ref_load_set("thurstone");
    ck_assert_ok(vs_fa_create(&a.fa));
    ck_assert_ok(vs_fa_set_int(a.fa, VS_FA_OPT_NFACTORS, 3));
    ck_assert_ok(vs_fa_set_str(a.fa, VS_FA_OPT_ROTATION, "targetQ"));
    for (int i = 0; i < 27; i++) a.tg[i] = (i / 3) / 3 == i % 3 ? 1 : i == 4 ? NAN : 0;
    vs_test_sweep sw = {"targetQ fit", NULL, run_target, after_target, &a};
    vs_test_alloc_sweep(&sw);
    vs_fa_free(a.fa);
    vs_fa_data_free(a.d);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("fa_rotate");
    TCase *t = tcase_create("rotate");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_rotation_vs_r);
    tcase_add_test(t, test_fit_vs_psych);
    tcase_add_test(t, test_promax_plain);
    tcase_add_test(t, test_bad_input);
    tcase_add_test(t, test_criteria_by_hand);
    tcase_add_test(t, test_alloc_failure);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return vs_test_run(suite()); }
