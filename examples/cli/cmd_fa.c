/* valuespace fa: exploratory factor analysis of a CSV file (raw data or a correlation matrix),
 * and the factorability / number-of-factors subcommands kmo, bartlett, parallel, map. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_fa.h"
#include "fa_plot.h"

static const char fa_usage[] =
    "usage: valuespace fa FILE.csv --factors K [--cor --n-obs N] [--method minres|uls|pa|ml|wls|gls|alpha|minchi]\n"
    "         [--rotate none|varimax|quartimax|equamax|promax|oblimin|quartimin|geominT|geominQ|\n"
    "                   bentlerT|bentlerQ|targetT|targetQ|simplimax|biquartimin|Promax]\n"
    "         [--target TARGET.csv (targetT/targetQ: p x k pattern, header row, NA = unspecified)]\n"
    "         [--mode psych|tight] [--starts S --seed X]\n"
    "         [--rotate-starts S (1 = identity only; more: seeded random starts, best criterion)]\n"
    "         [--missing pairwise|listwise] [--cor pearson|spearman|kendall|polychoric|tetrachoric]\n"
    "         [--scores regression|bartlett|tenberge|anderson --scores-out OUT.csv] [--json]\n"
    "         [--bootstrap N [--seed S] [--threads T] (raw data: 95% percentile intervals of\n"
    "          loadings, Phi, communalities from N row resamples)]\n"
    "         [--save SOLUTION.json (every array and statistic, for fa congruence and later use)]\n"
    "       valuespace fa omega FILE.csv [--factors K (default 3)] [--method M] [--rotate R (oblique;\n"
    "                 default oblimin)] [--cor --n-obs N] [--json]   (psych::omega's defaults)\n"
    "       valuespace fa scores SOLUTION.json DATA.csv [--scores METHOD] [--scores-out OUT.csv]\n"
    "                 (scores of new raw data with a solution --save'd from raw data; columns matched by\n"
    "                 name and standardised by the fitted data's means and sds; CSV on stdout without\n"
    "                 --scores-out)\n"
    "       valuespace fa congruence A.json B.json [--match] [--procrustes] [--json]\n"
    "                 (Tucker's congruence of two --save'd solutions; --match: reorder and reflect B's\n"
    "                 factors to A's by the largest total |congruence|; --procrustes: rotate B onto A first)\n"
    "       valuespace fa kmo FILE.csv [--cor --n-obs N] [--json]\n"
    "       valuespace fa bartlett FILE.csv [--cor --n-obs N] [--json]   (--n-obs is needed with --cor)\n"
    "       valuespace fa parallel FILE.csv [--cor --n-obs N] [--iter N] [--seed S] [--json]\n"
    "       valuespace fa map FILE.csv [--cor] [--max M] [--json]\n"
    "       (every form also takes [--sep C] [--skip-columns NAME[,NAME...]])\n"
    "       --plot DIR (fit and parallel): figures as PNG and SVG in DIR (fit: fa_scree, fa_loadings,\n"
    "       fa_diagram; parallel: fa_parallel)\n\n"
    "FILE is CSV with a header row: raw data (empty or NA = missing; --cor tetrachoric|polychoric\n"
    "for binary/ordinal items, spearman|kendall for rank correlations, as psych) or, with a bare\n"
    "--cor, a square\n"
    "correlation (or covariance) matrix. Conventions and defaults follow R's psych::fa\n"
    "(minres, oblimin, psych stopping rules).\n" CLI_CSV_HELP;


/* --target FILE: a CSV with a header row (factor names) and p rows of k loadings, NA = unspecified */
static int load_target(fa_args *a, const char *path) {
    double *t = NULL;
    size_t rows = 0, cols = 0;
    int rc = cli_read_csv_numbers("valuespace fa --target", path, NULL, &t, &rows, &cols, NULL);
    if (rc != 0) return rc;
    rc = vs_fa_set_target(a->fa, t, rows, cols);
    free(t);
    if (rc != VS_OK) return cli_fail(path, rc);
    return 0;
}

static int parse_args(fa_args *a, int argc, char **argv, int first) {
    const char *prog = "valuespace fa";
    for (int i = first; i < argc; i++) {
        const char *o = argv[i];
        int hv = i + 1 < argc;
        int rc = VS_OK;
        size_t sz;
        double x;
        int took = cli_csv_option(&a->csv, prog, argc, argv, &i); /* --sep, --skip-columns */
        if (took == 2) return 2;
        if (took) continue;
        if (cli_is_help(o)) {
            fputs(fa_usage, stdout);
            return -1;
        } else if (strcmp(o, "--json") == 0) a->json = 1;
        else if (strcmp(o, "--cor") == 0 && hv && vs_fa_cor_kind_from_name(&a->cor_kind, argv[i + 1]) == VS_OK) {
            i++; /* --cor NAME: the correlation of raw data */
        } else if (strcmp(o, "--cor") == 0) a->cor = 1; /* bare --cor: FILE is a matrix */
        else if (strcmp(o, "--n-obs") == 0 && hv) {
            if (cli_parse_double(argv[++i], &a->n_obs) != 0 || a->n_obs < 3)
                return cli_usage_error(prog, "--n-obs needs a number >= 3, not '%s'", argv[i]);
        } else if (strcmp(o, "--factors") == 0 && hv) {
            if (cli_parse_size(argv[++i], &sz) != 0) return cli_usage_error(prog, "--factors needs a count");
            rc = vs_fa_set_int(a->fa, VS_FA_OPT_NFACTORS, (int64_t)sz);
            a->have_factors = 1;
        } else if (strcmp(o, "--method") == 0 && hv) rc = vs_fa_set_str(a->fa, VS_FA_OPT_METHOD, argv[++i]);
        else if (strcmp(o, "--rotate") == 0 && hv) rc = vs_fa_set_str(a->fa, VS_FA_OPT_ROTATION, argv[++i]);
        else if (strcmp(o, "--target") == 0 && hv) {
            int trc = load_target(a, argv[++i]);
            if (trc != 0) return trc;
        } else if (strcmp(o, "--mode") == 0 && hv) rc = vs_fa_set_str(a->fa, VS_FA_OPT_MODE, argv[++i]);
        else if (strcmp(o, "--scores") == 0 && hv) rc = vs_fa_set_str(a->fa, VS_FA_OPT_SCORES, argv[++i]);
        else if (strcmp(o, "--scores-out") == 0 && hv) a->scores_out = argv[++i];
        else if (strcmp(o, "--save") == 0 && hv) a->save = argv[++i];
        else if (strcmp(o, "--match") == 0) a->match = 1;
        else if (strcmp(o, "--procrustes") == 0) a->procrustes = 1;
        else if (strcmp(o, "--plot") == 0 && hv) a->plot_dir = argv[++i];
        else if (strcmp(o, "--missing") == 0 && hv) {
            i++;
            if (strcmp(argv[i], "pairwise") == 0) a->missing = VS_FA_PAIRWISE;
            else if (strcmp(argv[i], "listwise") == 0) a->missing = VS_FA_LISTWISE;
            else return cli_usage_error(prog, "--missing: pairwise or listwise, not '%s'", argv[i]);
        } else if (strcmp(o, "--rotate-starts") == 0 && hv) {
            if (cli_parse_size(argv[++i], &sz) != 0 || sz < 1)
                return cli_usage_error(prog, "--rotate-starts needs a count >= 1");
            rc = vs_fa_set_int(a->fa, VS_FA_OPT_ROTATE_STARTS, (int64_t)sz);
        } else if ((strcmp(o, "--starts") == 0 || strcmp(o, "--iter") == 0 || strcmp(o, "--max") == 0) && hv) {
            if (cli_parse_size(argv[++i], &sz) != 0) return cli_usage_error(prog, "%s needs a count", o);
            int opt = o[2] == 's' ? VS_FA_OPT_STARTS : o[2] == 'i' ? VS_FA_OPT_PARALLEL_ITER : VS_FA_OPT_MAP_MAX;
            rc = vs_fa_set_int(a->fa, opt, (int64_t)sz);
        } else if (strcmp(o, "--bootstrap") == 0 && hv) {
            if (cli_parse_size(argv[++i], &sz) != 0 || sz < 2)
                return cli_usage_error(prog, "--bootstrap needs a number of replicates >= 2");
            rc = vs_fa_set_int(a->fa, VS_FA_OPT_BOOT_ITER, (int64_t)sz);
            a->bootstrap = sz;
        } else if (strcmp(o, "--threads") == 0 && hv) {
            if (cli_parse_size(argv[++i], &sz) != 0 || sz < 1) return cli_usage_error(prog, "--threads needs a count >= 1");
            rc = vs_fa_set_int(a->fa, VS_FA_OPT_THREADS, (int64_t)sz);
        } else if (strcmp(o, "--seed") == 0 && hv) {
            if (cli_parse_double(argv[++i], &x) != 0 || x != floor(x) || fabs(x) > 9.0e15)
                return cli_usage_error(prog, "--seed needs an integer");
            rc = vs_fa_set_int(a->fa, VS_FA_OPT_SEED, (int64_t)x);
        } else if (o[0] == '-' && o[1] == '-') {
            return cli_unknown_option(prog, o, fa_usage);
        } else if (!a->file) a->file = o;
        else if (!a->file2 && a->sub && (strcmp(a->sub, "congruence") == 0 || strcmp(a->sub, "scores") == 0))
            a->file2 = o;
        else return cli_usage_error(prog, "unexpected argument '%s'", o);
        if (rc != VS_OK) return cli_fail_usage(prog, o, rc); /* a name or number the library rejects */
    }
    if (a->sub && strcmp(a->sub, "scores") == 0) {
        if (!a->file2) return cli_usage_error(prog, "scores needs a solution file and a CSV file (SOLUTION.json DATA.csv)");
    } else if (a->sub && strcmp(a->sub, "congruence") == 0) {
        if (!a->file2) return cli_usage_error(prog, "congruence needs two solution files (A.json B.json)");
    } else if (!a->file) {
        return cli_usage_error(prog, "a CSV file is required");
    }
    if ((a->match || a->procrustes) && !(a->sub && strcmp(a->sub, "congruence") == 0))
        return cli_usage_error(prog, "--match and --procrustes are options of 'fa congruence'");
    if (a->save && a->sub) return cli_usage_error(prog, "--save is an option of a fit (valuespace fa FILE.csv ...)");
    if (a->plot_dir && a->sub && strcmp(a->sub, "parallel") != 0)
        return cli_usage_error(prog, "--plot is an option of a fit and of 'fa parallel' (no figure for this subcommand)");
    return 0;
}

static int load_data(vs_fa_data **d, const fa_args *a, char ***names, size_t *p) {
    if (!a->cor && a->n_obs > 0)
        return cli_usage_error("valuespace fa",
                               "--n-obs is for a correlation matrix (--cor); with raw data n is the number of rows "
                               "(for psych's fa(na.omit(x)) statistics use --missing listwise)");
    double *x = NULL;
    size_t rows = 0, cols = 0;
    int rc = cli_read_csv_numbers("valuespace fa", a->file, &a->csv, &x, &rows, &cols, names);
    if (rc != 0) return rc;
    *p = cols;
    rc = a->cor ? vs_fa_data_from_cor(d, x, rows, cols, a->n_obs)
                : vs_fa_data_from_raw_kind(d, x, rows, cols, a->missing, a->cor_kind);
    free(x);
    if (rc != VS_OK) return cli_fail(a->file, rc);
    return 0;
}

void fa_json_array(cli_json *j, const char *key, const double *v, size_t n) {
    cli_json_key(j, key);
    cli_json_begin_array(j);
    for (size_t i = 0; i < n; i++) cli_json_number(j, v[i]);
    cli_json_end_array(j);
}

void fa_json_matrix(cli_json *j, const char *key, const double *v, size_t r, size_t c) {
    cli_json_key(j, key);
    cli_json_begin_array(j);
    for (size_t i = 0; i < r; i++) {
        cli_json_begin_array(j);
        for (size_t k = 0; k < c; k++) cli_json_number(j, v[i * c + k]);
        cli_json_end_array(j);
    }
    cli_json_end_array(j);
}

double *fa_get_array(const vs_fa_result *res, int what, size_t *n) {
    size_t need = 0;
    int rc = vs_fa_result_get(&need, res, what, NULL, 0);
    if (rc != VS_EBUFSIZE && rc != VS_OK) return NULL;
    double *v = malloc((need ? need : 1) * sizeof(double));
    if (vs_fa_result_get(&need, res, what, v, need) != VS_OK) {
        free(v);
        return NULL;
    }
    *n = need;
    return v;
}

/* n x k scores as CSV (F1..Fk, NA for missing) to path, or to stdout when path is NULL */
int fa_write_score_rows(const char *path, const double *s, size_t n, size_t k) {
    FILE *f = path ? fopen(path, "w") : stdout;
    if (!f) {
        fprintf(stderr, "valuespace fa: cannot write '%s': %s\n", path, strerror(errno));
        return 1;
    }
    for (size_t j = 0; j < k; j++) fprintf(f, "%sF%zu", j ? "," : "", j + 1);
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < k; j++) {
            double v = s[i * k + j];
            if (isnan(v)) fprintf(f, "%sNA", j ? "," : "");
            else fprintf(f, "%s%.17g", j ? "," : "", v);
        }
        fputc('\n', f);
    }
    if (!path) return fflush(f) == 0 ? 0 : 1;
    return fclose(f) == 0 ? 0 : 1;
}

static int write_scores(const char *path, const vs_fa_result *res) {
    size_t n = 0, k = vs_fa_result_factor_count(res);
    double *s = fa_get_array(res, VS_FA_SCORES, &n);
    if (!s) {
        fprintf(stderr, "valuespace fa: no scores to write (raw data and --scores are needed)\n");
        return 1;
    }
    int rc = fa_write_score_rows(path, s, n / k, k);
    free(s);
    return rc;
}

/* psych-style warnings of a fit, one sentence each: Heywood and ultra-Heywood variables, and the
 * step that did not converge; to `f` as "valuespace fa: warning: ..." lines, or into the JSON
 * array being written to j. */
static void fit_warnings(FILE *f, cli_json *j, const vs_fa_result *res, char **names, const double *h2,
                         const double *hw, double xconv, double rconv, double iters, double riters) {
    char msg[512];
    size_t p = vs_fa_result_variable_count(res);
    for (size_t i = 0; i < p; i++) {
        if (hw[i] == 0) continue;
        if (hw[i] == 2)
            snprintf(msg, sizeof msg,
                     "ultra-Heywood case: '%s' has communality %.4f > 1; examine the results carefully", names[i],
                     h2[i]);
        else
            snprintf(msg, sizeof msg,
                     "Heywood case: '%s' has communality %.4f (uniqueness at its bound); its loadings are not "
                     "trustworthy", names[i], h2[i]);
        if (f) fprintf(f, "valuespace fa: warning: %s\n", msg);
        else cli_json_string(j, msg);
    }
    if (xconv != 1) {
        snprintf(msg, sizeof msg, "the extraction did not converge in %g iterations", iters);
        if (f) fprintf(f, "valuespace fa: warning: %s\n", msg);
        else cli_json_string(j, msg);
    }
    if (rconv != 1) {
        snprintf(msg, sizeof msg, "the rotation did not converge in %g iterations", riters);
        if (f) fprintf(f, "valuespace fa: warning: %s\n", msg);
        else cli_json_string(j, msg);
    }
}

/* one block of the bootstrap output: loadings, phi, communality */
static void json_boot_block(cli_json *j, const char *key, const double *v, size_t p, size_t k) {
    cli_json_key(j, key);
    cli_json_begin_object(j);
    fa_json_matrix(j, "loadings", v, p, k);
    fa_json_matrix(j, "phi", v + p * k, k, k);
    fa_json_array(j, "communality", v + p * k + k * k, p);
    cli_json_end_object(j);
}

static void json_bootstrap(cli_json *j, const double *b, size_t p, size_t k, size_t iters, size_t used) {
    size_t m = p * k + k * k + p;
    cli_json_key(j, "bootstrap");
    cli_json_begin_object(j);
    cli_json_key(j, "replicates");
    cli_json_int(j, (long long)iters);
    cli_json_key(j, "used");
    cli_json_int(j, (long long)used);
    json_boot_block(j, "mean", b + VS_FA_BOOT_MEAN * m, p, k);
    json_boot_block(j, "sd", b + VS_FA_BOOT_SD * m, p, k);
    json_boot_block(j, "lower", b + VS_FA_BOOT_LOWER * m, p, k);
    json_boot_block(j, "upper", b + VS_FA_BOOT_UPPER * m, p, k);
    cli_json_end_object(j);
}

static void print_bootstrap(const double *b, char **names, size_t p, size_t k, size_t iters, size_t used) {
    size_t m = p * k + k * k + p;
    const double *lo = b + VS_FA_BOOT_LOWER * m, *hi = b + VS_FA_BOOT_UPPER * m;
    printf("\nBootstrap: %zu of %zu row resamples fitted; 95%% percentile intervals\n", used, iters);
    printf("%-16s", "");
    for (size_t f = 0; f < k; f++) printf("  F%-14zu", f + 1);
    printf("  h2\n");
    for (size_t i = 0; i < p; i++) {
        printf("%-16.16s", names[i]);
        for (size_t f = 0; f < k; f++) printf(" [%6.3f, %6.3f]", lo[i * k + f], hi[i * k + f]);
        printf(" [%5.3f, %5.3f]\n", lo[p * k + k * k + i], hi[p * k + k * k + i]);
    }
    for (size_t a = 0; a < k; a++)
        for (size_t c = 0; c < a; c++)
            printf("Phi F%zu-F%zu [%6.3f, %6.3f]\n", c + 1, a + 1, lo[p * k + a * k + c], hi[p * k + a * k + c]);
}

static int run_fit(fa_args *a) {
    if (!a->have_factors) return cli_usage_error("valuespace fa", "--factors is required");
    vs_fa_data *d = NULL;
    char **names = NULL;
    size_t p = 0;
    int rc = load_data(&d, a, &names, &p);
    if (rc) {
        cli_free_names(names, p);
        return rc;
    }
    vs_fa_result *res = NULL;
    int st = vs_fa_fit(&res, a->fa, d);
    if (st != VS_OK) {
        cli_free_names(names, p);
        vs_fa_data_free(d);
        return cli_fail("fa", st);
    }
    size_t k = vs_fa_result_factor_count(res), n, used = 0;
    double *boot = NULL;
    if (a->bootstrap) {
        size_t need = 4 * (p * k + k * k + p);
        boot = malloc(need * sizeof(double));
        st = boot ? vs_fa_bootstrap(&used, NULL, a->fa, d, boot, need) : VS_ENOMEM;
        if (st != VS_OK) {
            free(boot);
            cli_free_names(names, p);
            vs_fa_result_free(res);
            vs_fa_data_free(d);
            return cli_fail("fa --bootstrap", st);
        }
    }
    double *L = fa_get_array(res, VS_FA_LOADINGS, &n), *S = fa_get_array(res, VS_FA_STRUCTURE, &n);
    double *phi = fa_get_array(res, VS_FA_PHI, &n), *h2 = fa_get_array(res, VS_FA_COMMUNALITY, &n);
    double *u2 = fa_get_array(res, VS_FA_UNIQUENESSES, &n), *ev = fa_get_array(res, VS_FA_EIGENVALUES, &n);
    double *evr = fa_get_array(res, VS_FA_EIGENVALUES_REDUCED, &n), *ss = fa_get_array(res, VS_FA_SS_LOADINGS, &n);
    static const struct {
        const char *key;
        int id;
    } stats[] = {{"objective", VS_FA_STAT_OBJECTIVE}, {"chi_square", VS_FA_STAT_CHI_SQUARE},
                 {"df", VS_FA_STAT_DF},               {"p_value", VS_FA_STAT_P_VALUE},
                 {"rmsea", VS_FA_STAT_RMSEA},         {"tli", VS_FA_STAT_TLI},
                 {"bic", VS_FA_STAT_BIC},             {"rmsr", VS_FA_STAT_RMSR}};
    double sv[8], conv, iters, hey, crit, lo, hi, rcrit, rbest, xconv, rconv, riters;
    for (int i = 0; i < 8; i++) vs_fa_result_scalar(&sv[i], res, stats[i].id);
    vs_fa_result_scalar(&conv, res, VS_FA_STAT_CONVERGED);
    vs_fa_result_scalar(&iters, res, VS_FA_STAT_ITERATIONS);
    vs_fa_result_scalar(&hey, res, VS_FA_STAT_HEYWOOD);
    vs_fa_result_scalar(&crit, res, VS_FA_STAT_CRITERION);
    vs_fa_result_scalar(&lo, res, VS_FA_STAT_RMSEA_LOWER);
    vs_fa_result_scalar(&hi, res, VS_FA_STAT_RMSEA_UPPER);
    vs_fa_result_scalar(&rcrit, res, VS_FA_STAT_ROTATION_CRITERION);
    vs_fa_result_scalar(&rbest, res, VS_FA_STAT_ROTATION_BEST_START);
    vs_fa_result_scalar(&xconv, res, VS_FA_STAT_EXTRACTION_CONVERGED);
    vs_fa_result_scalar(&rconv, res, VS_FA_STAT_ROTATION_CONVERGED);
    vs_fa_result_scalar(&riters, res, VS_FA_STAT_ROTATE_ITERATIONS);
    static const struct {
        const char *key;
        int id;
    } extra_stats[] = {{"sabic", VS_FA_STAT_SABIC}, {"ebic", VS_FA_STAT_EBIC}, {"esabic", VS_FA_STAT_ESABIC},
                       {"crms", VS_FA_STAT_CRMS}};
    double xv[4];
    for (int i = 0; i < 4; i++) vs_fa_result_scalar(&xv[i], res, extra_stats[i].id);
    double *resid = fa_get_array(res, VS_FA_RESIDUAL, &n), *r2 = fa_get_array(res, VS_FA_SCORE_R2, &n);
    size_t nw = 0;
    double *w = NULL;
    if (vs_fa_result_get(&nw, res, VS_FA_WEIGHTS, NULL, 0) == VS_EBUFSIZE) w = fa_get_array(res, VS_FA_WEIGHTS, &nw);
    double *hw = fa_get_array(res, VS_FA_HEYWOOD, &n);
    fit_warnings(stderr, NULL, res, names, h2, hw, xconv, rconv, iters, riters);
    if (a->json) {
        cli_json j;
        cli_json_init(&j, stdout);
        cli_json_begin_object(&j);
        cli_json_key(&j, "variables");
        cli_json_begin_array(&j);
        for (size_t i = 0; i < p; i++) cli_json_string(&j, names[i]);
        cli_json_end_array(&j);
        fa_json_matrix(&j, "loadings", L, p, k);
        fa_json_matrix(&j, "structure", S, p, k);
        fa_json_matrix(&j, "phi", phi, k, k);
        fa_json_array(&j, "communality", h2, p);
        fa_json_array(&j, "uniquenesses", u2, p);
        fa_json_array(&j, "eigenvalues", ev, p);
        fa_json_array(&j, "eigenvalues_reduced", evr, p);
        fa_json_array(&j, "ss_loadings", ss, k);
        cli_json_key(&j, "fit");
        cli_json_begin_object(&j);
        for (int i = 0; i < 8; i++) {
            cli_json_key(&j, stats[i].key);
            cli_json_number(&j, sv[i]);
            if (i == 4) {
                double ci[2] = {lo, hi};
                fa_json_array(&j, "rmsea_ci", ci, 2);
            }
        }
        for (int i = 0; i < 4; i++) {
            cli_json_key(&j, extra_stats[i].key);
            cli_json_number(&j, xv[i]);
        }
        cli_json_end_object(&j);
        fa_json_matrix(&j, "residual", resid, p, p);
        if (w) fa_json_matrix(&j, "weights", w, p, k);
        fa_json_array(&j, "score_r2", r2, k);
        for (size_t f = 0; f < k; f++) r2[f] = r2[f] >= 0 ? sqrt(r2[f]) : NAN;
        fa_json_array(&j, "factor_determinacy", r2, k);
        cli_json_key(&j, "criterion");
        cli_json_number(&j, crit);
        cli_json_key(&j, "rotation_criterion");
        cli_json_number(&j, rcrit);
        cli_json_key(&j, "rotation_best_start");
        cli_json_int(&j, (long long)rbest);
        cli_json_key(&j, "converged");
        cli_json_bool(&j, conv == 1);
        cli_json_key(&j, "extraction_converged");
        cli_json_bool(&j, xconv == 1);
        cli_json_key(&j, "rotation_converged");
        cli_json_bool(&j, rconv == 1);
        cli_json_key(&j, "heywood_variables");
        cli_json_begin_array(&j);
        for (size_t i = 0; i < p; i++) {
            if (hw[i] == 0) continue;
            cli_json_begin_object(&j);
            cli_json_key(&j, "variable");
            cli_json_string(&j, names[i]);
            cli_json_key(&j, "communality");
            cli_json_number(&j, h2[i]);
            cli_json_key(&j, "kind");
            cli_json_string(&j, hw[i] == 2 ? "ultra-heywood" : "heywood");
            cli_json_end_object(&j);
        }
        cli_json_end_array(&j);
        cli_json_key(&j, "warnings");
        cli_json_begin_array(&j);
        fit_warnings(NULL, &j, res, names, h2, hw, xconv, rconv, iters, riters);
        cli_json_end_array(&j);
        cli_json_key(&j, "iterations");
        cli_json_int(&j, (long long)iters);
        cli_json_key(&j, "heywood");
        cli_json_int(&j, (long long)hey);
        if (boot) json_bootstrap(&j, boot, p, k, a->bootstrap, used);
        cli_json_end_object(&j);
        cli_json_finish(&j);
    } else {
        printf("%-16s", "");
        for (size_t f = 0; f < k; f++) printf("   F%-4zu", f + 1);
        printf("     h2     u2\n");
        for (size_t i = 0; i < p; i++) {
            printf("%-16.16s", names[i]);
            for (size_t f = 0; f < k; f++) printf(" %7.3f", L[i * k + f]);
            printf(" %6.3f %6.3f\n", h2[i], u2[i]);
        }
        printf("%-16s", "SS loadings");
        for (size_t f = 0; f < k; f++) printf(" %7.3f", ss[f]);
        printf("\n");
        if (k > 1) {
            printf("\nPhi (factor correlations):\n");
            for (size_t i = 0; i < k; i++) {
                for (size_t f = 0; f < k; f++) printf(" %7.3f", phi[i * k + f]);
                printf("\n");
            }
        }
        printf("\nobjective %.5g, chi-square %.5g on %g df (p = %.3g), RMSEA %.4f [%.4f, %.4f], TLI %.4f,\n"
               "BIC %.5g, RMSR %.4f; criterion %.8g, %s after %g iterations, %g Heywood variable(s)\n",
               sv[0], sv[1], sv[2], sv[3], sv[4], lo, hi, sv[5], sv[6], sv[7], crit,
               conv == 1                ? "converged"
               : xconv != 1 && rconv != 1 ? "extraction and rotation NOT converged"
               : xconv != 1               ? "extraction NOT converged"
                                          : "rotation NOT converged",
               iters, hey);
        if (!isnan(rcrit)) printf("rotation criterion %.10g (start %g)\n", rcrit, rbest);
        printf("SABIC %.5g, EBIC %.5g, ESABIC %.5g, corrected RMSR %.4f\n", xv[0], xv[1], xv[2], xv[3]);
        if (k > 0 && !isnan(r2[0])) {
            printf("factor determinacy (correlation of regression scores with factors):");
            for (size_t f = 0; f < k; f++) printf(" %.3f", r2[f] >= 0 ? sqrt(r2[f]) : NAN);
            printf("\n");
        }
        if (boot) print_bootstrap(boot, names, p, k, a->bootstrap, used);
    }
    free(boot);
    int out = 0;
    if (a->scores_out) out = write_scores(a->scores_out, res);
    if (a->plot_dir && !out) out = fa_plot_fit(a->plot_dir, names, p, k, L, phi, ev, evr);
    if (out == 0 && a->save) {
        int sst = vs_fa_result_save_file(res, (const char *const *)names, a->save);
        if (sst != VS_OK) out = cli_fail(a->save, sst);
    }
    free(resid);
    free(r2);
    free(w);
    free(L);
    free(S);
    free(phi);
    free(h2);
    free(u2);
    free(ev);
    free(evr);
    free(ss);
    free(hw);
    cli_free_names(names, p);
    vs_fa_result_free(res);
    vs_fa_data_free(d);
    return out;
}

static int run_sub(fa_args *a) {
    if (strcmp(a->sub, "congruence") == 0) return fa_run_congruence(a);
    if (strcmp(a->sub, "scores") == 0) return fa_run_scores(a);
    vs_fa_data *d = NULL;
    char **names = NULL;
    size_t p = 0;
    int rc = load_data(&d, a, &names, &p);
    if (rc) {
        cli_free_names(names, p);
        return rc;
    }
    int st = VS_OK;
    cli_json j;
    cli_json_init(&j, stdout);
    if (strcmp(a->sub, "omega") == 0) {
        if (!a->have_factors) vs_fa_set_int(a->fa, VS_FA_OPT_NFACTORS, 3); /* psych's default */
        rc = fa_run_omega(a, d, names, p);
        cli_free_names(names, p);
        vs_fa_data_free(d);
        return rc;
    }
    if (strcmp(a->sub, "kmo") == 0) {
        double overall, *msa = malloc(p * sizeof(double));
        st = vs_fa_kmo(&overall, msa, p, d);
        if (st == VS_OK && a->json) {
            cli_json_begin_object(&j);
            cli_json_key(&j, "overall");
            cli_json_number(&j, overall);
            fa_json_array(&j, "msa", msa, p);
            cli_json_end_object(&j);
            cli_json_finish(&j);
        } else if (st == VS_OK) {
            printf("overall MSA %.4f\n", overall);
            for (size_t i = 0; i < p; i++) printf("%-16.16s %.4f\n", names[i], msa[i]);
        }
        free(msa);
    } else if (strcmp(a->sub, "bartlett") == 0) {
        double chi, df, pv;
        st = vs_fa_bartlett(&chi, &df, &pv, d);
        if (st == VS_OK && a->json) {
            cli_json_begin_object(&j);
            cli_json_key(&j, "chi_square");
            cli_json_number(&j, chi);
            cli_json_key(&j, "df");
            cli_json_number(&j, df);
            cli_json_key(&j, "p_value");
            cli_json_number(&j, pv);
            cli_json_end_object(&j);
            cli_json_finish(&j);
        } else if (st == VS_OK) {
            printf("Bartlett's test: chi-square %.6g on %g df, p = %.4g\n", chi, df, pv);
        }
    } else if (strcmp(a->sub, "parallel") == 0) {
        double *v = malloc(6 * p * sizeof(double));
        size_t nf = 0, nc = 0, need;
        st = vs_fa_parallel(&nf, &nc, &need, a->fa, d, v, 6 * p);
        if (st == VS_OK && a->json) {
            static const char *keys[] = {"observed_fa", "observed_pc", "simulated_fa_q95", "simulated_pc_q95",
                                         "resampled_fa_q95", "resampled_pc_q95"};
            cli_json_begin_object(&j);
            cli_json_key(&j, "n_factors");
            cli_json_int(&j, (long long)nf);
            cli_json_key(&j, "n_components");
            cli_json_int(&j, (long long)nc);
            for (int s = 0; s < (a->cor ? 4 : 6); s++) fa_json_array(&j, keys[s], v + (size_t)s * p, p);
            cli_json_end_object(&j);
            cli_json_finish(&j);
        } else if (st == VS_OK) {
            printf("Parallel analysis suggests %zu factors and %zu components\n", nf, nc);
            printf("   #  observed_fa  sim_fa_q95  observed_pc  sim_pc_q95\n");
            for (size_t i = 0; i < p; i++)
                printf("%4zu %12.4f %11.4f %12.4f %11.4f\n", i + 1, v[i], v[2 * p + i], v[p + i], v[3 * p + i]);
        }
        if (st == VS_OK && a->plot_dir && fa_plot_parallel(a->plot_dir, p, v, !a->cor, nf, nc) != 0) {
            free(v);
            cli_free_names(names, p);
            vs_fa_data_free(d);
            return 1;
        }
        free(v);
    } else if (strcmp(a->sub, "map") == 0) {
        double v[4096];
        size_t nf = 0, need;
        st = vs_fa_map(&nf, &need, a->fa, d, v, 4096);
        if (st == VS_OK && a->json) {
            cli_json_begin_object(&j);
            cli_json_key(&j, "n_factors");
            cli_json_int(&j, (long long)nf);
            fa_json_array(&j, "map", v, need);
            cli_json_end_object(&j);
            cli_json_finish(&j);
        } else if (st == VS_OK) {
            printf("Velicer's MAP is smallest with %zu factor(s)\n", nf);
            for (size_t i = 0; i < need; i++) printf("%4zu %.6f\n", i + 1, v[i]);
        }
    }
    cli_free_names(names, p);
    vs_fa_data_free(d);
    return st == VS_OK ? 0 : cli_fail(a->sub, st);
}

int cmd_fa(int argc, char **argv) {
    fa_args a;
    memset(&a, 0, sizeof a);
    if (argc < 2) {
        fputs(fa_usage, stderr);
        return 2;
    }
    if (vs_fa_create(&a.fa) != VS_OK) return cli_fail("fa", VS_ENOMEM);
    int first = 1;
    if (strcmp(argv[1], "kmo") == 0 || strcmp(argv[1], "bartlett") == 0 || strcmp(argv[1], "parallel") == 0 ||
        strcmp(argv[1], "map") == 0 || strcmp(argv[1], "omega") == 0 || strcmp(argv[1], "congruence") == 0 ||
        strcmp(argv[1], "scores") == 0) {
        a.sub = argv[1];
        first = 2;
    }
    int rc = parse_args(&a, argc, argv, first);
    if (rc == 0) rc = a.sub ? run_sub(&a) : run_fit(&a);
    else if (rc < 0) rc = 0; /* --help */
    vs_fa_free(a.fa);
    return rc;
}
