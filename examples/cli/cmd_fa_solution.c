/* valuespace fa omega, congruence and scores: the subcommands over a fitted model's results
 * (psych::omega's Schmid-Leiman solution, Tucker's congruence of saved solutions, scores of new
 * data with a saved solution). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_fa.h"

/* valuespace fa omega: psych::omega's coefficients and Schmid-Leiman loadings */
int fa_run_omega(fa_args *a, const vs_fa_data *d, char **names, size_t p) {
    vs_fa_omega_result *o = NULL;
    int st = vs_fa_omega(&o, a->fa, d);
    if (st != VS_OK) return cli_fail("omega", st);
    size_t k = vs_fa_omega_factor_count(o), w = k + 4;
    static const char *coef_keys[6] = {"omega_total", "omega_hierarchical", "omega_limit", "alpha", "g6", "ecv"};
    double c[6], conv = 0;
    for (int i = 0; i < 6; i++) vs_fa_omega_scalar(&c[i], o, i + 1);
    vs_fa_omega_scalar(&conv, o, VS_FA_OMEGA_CONVERGED);
    if (conv != 1) fprintf(stderr, "valuespace fa: warning: a step of the omega fit did not converge\n");
    double *sl = malloc(p * w * sizeof(double)), *sub = malloc(3 * (k + 1) * sizeof(double));
    double *phi = malloc(k * k * sizeof(double)), *gl = malloc(k * sizeof(double));
    vs_fa_omega_get(NULL, o, VS_FA_OMEGA_SL_LOADINGS, sl, p * w);
    vs_fa_omega_get(NULL, o, VS_FA_OMEGA_SUBSCALES, sub, 3 * (k + 1));
    vs_fa_omega_get(NULL, o, VS_FA_OMEGA_PHI, phi, k * k);
    vs_fa_omega_get(NULL, o, VS_FA_OMEGA_GENERAL, gl, k);
    if (a->json) {
        cli_json j;
        cli_json_init(&j, stdout);
        cli_json_begin_object(&j);
        cli_json_key(&j, "variables");
        cli_json_begin_array(&j);
        for (size_t i = 0; i < p; i++) cli_json_string(&j, names[i]);
        cli_json_end_array(&j);
        for (int i = 0; i < 6; i++) {
            cli_json_key(&j, coef_keys[i]);
            cli_json_number(&j, c[i]);
        }
        cli_json_key(&j, "converged");
        cli_json_bool(&j, conv == 1);
        cli_json_key(&j, "omega_subscales");
        cli_json_begin_object(&j);
        for (size_t f = 0; f <= k; f++) {
            char key[32];
            if (f == 0) snprintf(key, sizeof key, "g");
            else snprintf(key, sizeof key, "F%zu*", f);
            cli_json_key(&j, key);
            cli_json_begin_object(&j);
            static const char *cols[3] = {"total", "general", "group"};
            for (int m = 0; m < 3; m++) {
                cli_json_key(&j, cols[m]);
                cli_json_number(&j, sub[f * 3 + (size_t)m]);
            }
            cli_json_end_object(&j);
        }
        cli_json_end_object(&j);
        cli_json_key(&j, "sl_columns");
        cli_json_begin_array(&j);
        cli_json_string(&j, "g");
        for (size_t f = 0; f < k; f++) {
            char key[32];
            snprintf(key, sizeof key, "F%zu*", f + 1);
            cli_json_string(&j, key);
        }
        cli_json_string(&j, "h2");
        cli_json_string(&j, "u2");
        cli_json_string(&j, "p2");
        cli_json_end_array(&j);
        fa_json_matrix(&j, "sl_loadings", sl, p, w);
        fa_json_matrix(&j, "phi", phi, k, k);
        fa_json_array(&j, "general_loadings", gl, k);
        cli_json_end_object(&j);
        cli_json_finish(&j);
    } else {
        printf("Schmid-Leiman loadings (psych::omega):\n%-16s       g", "");
        for (size_t f = 0; f < k; f++) printf("    F%zu*", f + 1);
        printf("     h2     u2     p2\n");
        for (size_t i = 0; i < p; i++) {
            printf("%-16.16s", names[i]);
            for (size_t m = 0; m < w; m++) printf(m <= k ? " %7.3f" : " %6.3f", sl[i * w + m]);
            printf("\n");
        }
        printf("\nomega total %.4f, omega hierarchical %.4f, omega limit %.4f, alpha %.4f, G6 %.4f,\n"
               "explained common variance of g %.4f\n\nsubscales   total general  group\n",
               c[0], c[1], c[2], c[3], c[4], c[5]);
        for (size_t f = 0; f <= k; f++) {
            char key[32];
            if (f == 0) snprintf(key, sizeof key, "g");
            else snprintf(key, sizeof key, "F%zu*", f);
            printf("%-10s %6.3f  %6.3f %6.3f\n", key, sub[f * 3], sub[f * 3 + 1], sub[f * 3 + 2]);
        }
    }
    free(sl);
    free(sub);
    free(phi);
    free(gl);
    vs_fa_omega_free(o);
    return 0;
}

/* the loadings (p x k) of a saved solution, or NULL after a message */
static double *solution_loadings(const char *path, size_t *p, size_t *k) {
    vs_fa_result *r = NULL;
    int st = vs_fa_result_load_file(&r, path);
    if (st != VS_OK) {
        cli_fail(path, st);
        return NULL;
    }
    size_t n = 0;
    double *l = fa_get_array(r, VS_FA_LOADINGS, &n);
    *p = vs_fa_result_variable_count(r);
    *k = vs_fa_result_factor_count(r);
    vs_fa_result_free(r);
    if (!l) fprintf(stderr, "valuespace fa: out of memory\n");
    return l;
}

/* valuespace fa congruence A.json B.json: Tucker's coefficients of two saved solutions */
int fa_run_congruence(const fa_args *a) {
    size_t pa, ka, pb, kb;
    double *la = solution_loadings(a->file, &pa, &ka);
    if (!la) return 1;
    double *lb = solution_loadings(a->file2, &pb, &kb);
    if (!lb) {
        free(la);
        return 1;
    }
    int rc = 0;
    if (pa != pb) {
        fprintf(stderr, "valuespace fa: %s has %zu variables and %s %zu: congruence needs the same variables\n",
                a->file, pa, a->file2, pb);
        rc = 1;
    }
    double *c = malloc(ka * kb * sizeof(double)), *sign = malloc(kb * sizeof(double));
    size_t *order = malloc(kb * sizeof(size_t));
    int flags = (a->match ? VS_FA_CONGRUENCE_MATCH : 0) | (a->procrustes ? VS_FA_CONGRUENCE_PROCRUSTES : 0);
    if (rc == 0) {
        int st = vs_fa_congruence(c, order, sign, la, lb, pa, ka, kb, flags);
        if (st != VS_OK) rc = cli_fail("congruence", st);
    }
    if (rc == 0 && a->json) {
        cli_json j;
        cli_json_init(&j, stdout);
        cli_json_begin_object(&j);
        fa_json_matrix(&j, "congruence", c, ka, kb);
        cli_json_key(&j, "b_factors");
        cli_json_begin_array(&j);
        for (size_t f = 0; f < kb; f++) cli_json_int(&j, (long long)order[f] + 1);
        cli_json_end_array(&j);
        fa_json_array(&j, "b_signs", sign, kb);
        cli_json_end_object(&j);
        cli_json_finish(&j);
    } else if (rc == 0) {
        printf("Tucker's congruence (rows: factors of %s; columns: factors of %s)\n%6s", a->file, a->file2, "");
        for (size_t f = 0; f < kb; f++) printf("  %sB%-4zu", sign[f] < 0 ? "-" : " ", order[f] + 1);
        printf("\n");
        for (size_t i = 0; i < ka; i++) {
            printf("A%-5zu", i + 1);
            for (size_t f = 0; f < kb; f++) printf(" %7.3f", c[i * kb + f]);
            printf("\n");
        }
    }
    free(la);
    free(lb);
    free(c);
    free(sign);
    free(order);
    return rc;
}

/* valuespace fa scores SOLUTION.json DATA.csv: the CSV's columns are put in the solution's
 * variable order by name (every variable must be there, nothing else) */
int fa_run_scores(const fa_args *a) {
    const char *prog = "valuespace fa";
    vs_fa_result *r = NULL;
    int st = vs_fa_result_load_file(&r, a->file);
    if (st != VS_OK) return cli_fail(a->file, st);
    if (vs_fa_result_get(NULL, r, VS_FA_MEANS, NULL, 0) == VS_EUNDEFINED) {
        /* standardising new rows by their own mean would silently shift every score */
        fprintf(stderr,
                "%s: %s holds no means and standard deviations of its variables (fitted from a correlation "
                "matrix, or saved by an older version), so new data cannot be put on its scale: fit and --save the "
                "solution from the raw data\n",
                prog, a->file);
        vs_fa_result_free(r);
        return CLI_EXIT_USAGE;
    }
    double *x = NULL, *xs = NULL, *out = NULL;
    char **names = NULL;
    size_t rows = 0, cols = 0, p = vs_fa_result_variable_count(r), k = vs_fa_result_factor_count(r);
    int64_t method = VS_FA_SCORES_REGRESSION;
    vs_fa_get_int(&method, a->fa, VS_FA_OPT_SCORES);
    int rc = cli_read_csv_numbers(prog, a->file2, &a->csv, &x, &rows, &cols, &names);
    if (rc != 0) goto done;
    rc = 1;
    if (cols != p) {
        fprintf(stderr, "%s: %s has %zu columns, the solution %zu variables (leave columns out with --skip-columns)\n",
                prog, a->file2, cols, p);
        goto done;
    }
    xs = malloc(rows * p * sizeof(double) + 1);
    out = malloc(rows * k * sizeof(double) + 1);
    if (!xs || !out) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto done;
    }
    for (size_t v = 0; v < p; v++) {
        const char *want = vs_fa_result_variable(r, v);
        size_t c = v;
        if (want) {
            for (c = 0; c < cols && strcmp(names[c], want) != 0; c++) {}
            if (c == cols) {
                fprintf(stderr, "%s: %s has no column '%s' of the solution\n", prog, a->file2, want);
                goto done;
            }
        }
        for (size_t i = 0; i < rows; i++) xs[i * p + v] = x[i * cols + c];
    }
    if (method == VS_FA_SCORES_NONE) method = VS_FA_SCORES_REGRESSION;
    st = vs_fa_result_scores(NULL, r, (int)method, xs, rows, p, out, rows * k);
    if (st != VS_OK) {
        rc = cli_fail(a->file2, st);
        goto done;
    }
    rc = fa_write_score_rows(a->scores_out, out, rows, k);
done:
    free(x);
    free(xs);
    free(out);
    cli_free_names(names, cols);
    vs_fa_result_free(r);
    return rc;
}

