/* The non-central chi-square CDF (lib/fa/fit.c, a recurrence anchored by one incomplete gamma
 * function) and psych's RMSEA interval, against R: tests/data/fa/make_reference_rmsea.R wrote
 * reference_rmsea.txt (R's pchisq(q, df, ncp) on a grid with ncp up to 80000, q = 0 and df = 1;
 * psych 2.2.9 fa() fits of misspecified models with n up to 100000; psych's interval code on a
 * grid with chi = 0, df = 1, 2 and non-centralities in the thousands). Also every fit case of
 * reference.txt: the interval from the case's chi-square, df and n equals psych's.
 * VS_FA_VERBOSE=1 prints the largest deviations. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa/fa_internal.h"
#include "fa_reference.h"
#include "testutil.h"

#define DATA FA_REF_DIR

typedef struct rline {
    char kind[16], label[96];
    double v[8];
} rline;

static double num(const char *s) { return strcmp(s, "NA") == 0 ? NAN : strtod(s, NULL); }

static rline *read_lines(size_t *n) {
    FILE *f = fopen(DATA "reference_rmsea.txt", "r");
    ck_assert_msg(f != NULL, "cannot open reference_rmsea.txt");
    size_t cap = 4096, m = 0;
    rline *out = malloc(cap * sizeof *out);
    char buf[1024];
    while (fgets(buf, sizeof buf, f)) {
        if (buf[0] == '#' || buf[0] == '\n') continue;
        rline r;
        memset(&r, 0, sizeof r);
        char t[8][48];
        int got;
        if (strncmp(buf, "pnchisq ", 8) == 0) {
            got = sscanf(buf, "%15s %47s %47s %47s %47s", r.kind, t[0], t[1], t[2], t[3]);
            ck_assert_int_eq(got, 5);
            for (int i = 0; i < 4; i++) r.v[i] = num(t[i]);
        } else {
            got = sscanf(buf, "%15s %95s %47s %47s %47s %47s %47s %47s %47s", r.kind, r.label, t[0], t[1], t[2],
                         t[3], t[4], t[5], t[6]);
            ck_assert_int_eq(got, 9);
            for (int i = 0; i < 7; i++) r.v[i] = num(t[i]);
        }
        if (m == cap) out = realloc(out, (cap *= 2) * sizeof *out);
        out[m++] = r;
    }
    fclose(f);
    *n = m;
    return out;
}

/* equal NaN-ness, else the absolute difference */
static double nandiff(double a, double b) {
    if (isnan(a) || isnan(b)) return isnan(a) && isnan(b) ? 0 : INFINITY;
    return fabs(a - b);
}

START_TEST(test_pnchisq_vs_r) {
    size_t n, cnt = 0;
    rline *l = read_lines(&n);
    double worst = 0, wq = 0, wdf = 0, wncp = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(l[i].kind, "pnchisq") != 0) continue;
        double q = l[i].v[0], df = l[i].v[1], ncp = l[i].v[2], ref = l[i].v[3];
        double got = vs__fa_pnchisq(q, df, ncp);
        ck_assert_msg(got >= 0 && got <= 1, "pnchisq(%g, %g, %g) = %g", q, df, ncp, got);
        double d = fabs(got - ref);
        if (d > worst) {
            worst = d;
            wq = q;
            wdf = df;
            wncp = ncp;
        }
        /* R's pnchisq is accurate to 1e-12 absolute for ncp >= 80 (its error bound), ~1e-15 below */
        ck_assert_msg(d <= 1e-10, "pnchisq(%.17g, %g, %g): %.17g vs R %.17g", q, df, ncp, got, ref);
        if (q == 0) ck_assert(got == 0);
        cnt++;
    }
    ck_assert_uint_ge(cnt, 1500);
    if (fa_ref_verbose()) printf("pnchisq: %zu values, worst %.3g (q %g df %g ncp %g)\n", cnt, worst, wq, wdf, wncp);
    free(l);
}
END_TEST

START_TEST(test_pnchisq_properties) {
    /* ncp = 0 is the central distribution, monotone in q and decreasing in ncp (to rounding: the
     * weights are anchored with a relative error of a few 1e-15), q = inf is 1 */
    ck_assert_double_eq_tol(vs__fa_pnchisq(3.5, 4, 0), 0.52212165551127598, 1e-15);
    ck_assert(vs__fa_pnchisq(INFINITY, 3, 5000) == 1.0);
    ck_assert(isnan(vs__fa_pnchisq(1, -1, 2)));
    ck_assert(isnan(vs__fa_pnchisq(1, 2, -1)));
    double prev = 1;
    for (double ncp = 0; ncp < 2e5; ncp = ncp * 1.7 + 1) {
        double v = vs__fa_pnchisq(20000, 3000, ncp);
        ck_assert_msg(v <= prev + 1e-13, "not decreasing in ncp at %g", ncp);
        prev = v;
    }
    prev = 0;
    for (double q = 1; q < 1e6; q *= 1.3) {
        double v = vs__fa_pnchisq(q, 7, 40000);
        ck_assert_msg(v >= prev - 1e-13, "not increasing in q at %g", q);
        prev = v;
    }
    /* the mixture's weights sum to one: far above the window it is 1 to rounding */
    ck_assert_double_eq_tol(vs__fa_pnchisq(1e7, 10, 1e6), 1.0, 1e-14);
}
END_TEST

START_TEST(test_rmsea_vs_psych) {
    size_t n, cnt = 0, nfit = 0;
    rline *l = read_lines(&n);
    double worst = 0;
    const char *wl = "";
    for (size_t i = 0; i < n; i++) {
        if (strcmp(l[i].kind, "rmsea") != 0) continue;
        double chi = l[i].v[0], df = l[i].v[1], nobs = l[i].v[2], alpha = l[i].v[3];
        double lo, up;
        vs__fa_rmsea_ci(chi, df, nobs, alpha, 0, &lo, &up);
        double d = nandiff(lo, l[i].v[5]), e = nandiff(up, l[i].v[6]);
        if (e > d) d = e;
        if (d > worst) {
            worst = d;
            wl = l[i].label;
        }
        ck_assert_msg(d <= 1e-6, "%s chi %.17g df %g n %g: [%.10g, %.10g] vs psych [%.10g, %.10g]", l[i].label, chi,
                      df, nobs, lo, up, l[i].v[5], l[i].v[6]);
        cnt++;
        nfit += strncmp(l[i].label, "fit:", 4) == 0;
    }
    ck_assert_uint_ge(nfit, 20);
    ck_assert_uint_ge(cnt, 100);
    if (fa_ref_verbose()) printf("rmsea interval: %zu cases (%zu fits), worst %.3g (%s)\n", cnt, nfit, worst, wl);
    free(l);
}
END_TEST

/* every fit case of reference.txt (psych's own run and the polished one): the interval from its
 * chi-square, df and the data set's n */
START_TEST(test_rmsea_reference_cases) {
    size_t ncases, cnt = 0;
    refcase *cases = fa_ref_parse(DATA "reference.txt", &ncases);
    ck_assert_uint_gt(ncases, 100);
    char cur[64] = "";
    double nobs = NAN, worst = 0;
    for (size_t c = 0; c < ncases; c++) {
        static const char *names[] = {"stats", "polished_stats"};
        for (int b = 0; b < 2; b++) {
            const block *sb = fa_ref_find(&cases[c], names[b]);
            if (!sb) continue;
            if (strcmp(cur, cases[c].set) != 0) {
                vs_fa_data *d = fa_ref_load_set(cases[c].set);
                nobs = d->n_obs;
                vs_fa_data_free(d);
                snprintf(cur, sizeof cur, "%s", cases[c].set);
            }
            /* objective chi df pval rmsea lower upper tli bic rms */
            double chi = sb->v[1], df = sb->v[2];
            if (!(df > 0) || isnan(chi) || !(nobs > 0)) continue;
            double lo, up;
            vs__fa_rmsea_ci(chi, df, nobs, 0.1, 0, &lo, &up);
            double d = nandiff(lo, sb->v[5]), e = nandiff(up, sb->v[6]);
            if (e > d) d = e;
            if (d > worst) worst = d;
            ck_assert_msg(d <= 1e-6, "%s %s k=%d %s %s (%s): [%.10g, %.10g] vs psych [%.10g, %.10g]", cases[c].id,
                          cases[c].set, cases[c].k, cases[c].method, cases[c].rot, names[b], lo, up, sb->v[5],
                          sb->v[6]);
            cnt++;
        }
    }
    ck_assert_uint_gt(cnt, 500);
    if (fa_ref_verbose()) printf("reference.txt intervals: %zu, worst %.3g\n", cnt, worst);
    fa_ref_free(cases, ncases);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("fa_rmsea");
    TCase *t = tcase_create("rmsea");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_pnchisq_vs_r);
    tcase_add_test(t, test_pnchisq_properties);
    tcase_add_test(t, test_rmsea_vs_psych);
    tcase_add_test(t, test_rmsea_reference_cases);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return vs_test_run(suite()); }
