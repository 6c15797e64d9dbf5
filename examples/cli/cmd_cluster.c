/* valuespace cluster: k-means and agglomerative clustering of the rows of a CSV file, with the
 * silhouette and a choice of k by silhouette. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char cluster_usage[] =
    "usage: valuespace cluster kmeans FILE.csv (--k K | --choose-k MIN:MAX) [--metric euclidean|cosine]\n"
    "         [--seed S] [--n-init N] [--max-iter N] [--tol T] [--init CENTRES.csv] [--threads T]\n"
    "         [--silhouette] [--labels-out OUT.csv] [--json]\n"
    "       valuespace cluster agglomerative FILE.csv (--k K | --choose-k MIN:MAX)\n"
    "         [--linkage ward|average|complete] [--metric euclidean|cosine] [--threads T]\n"
    "         [--silhouette] [--labels-out OUT.csv] [--json]\n"
    "       (both also take [--sep C] [--skip-columns NAME[,NAME...]])\n\n"
    "FILE is CSV with a header row; every row is a point, every column a coordinate (numbers\n"
    "only: leave out id or text columns with --skip-columns). Labels number the clusters in\n"
    "order of first appearance (row 1 is in cluster 0).\n"
    "--choose-k keeps the k with the largest mean silhouette. --metric cosine runs spherical\n"
    "k-means; Ward with cosine works on the rows scaled to unit length. Defaults follow\n"
    "scikit-learn: k-means++ with 10 restarts, 300 iterations, tol 1e-4; Ward linkage.\n"
    CLI_CSV_HELP "  (--init CENTRES.csv is read with the same --sep, every column kept)\n";

typedef struct cl_args {
    const char *file, *init_file, *labels_out;
    int json, silhouette, choose;
    vs_cluster *opt;
    cli_csv_opts csv;
} cl_args;

static int parse_range(const char *s, size_t *lo, size_t *hi) {
    const char *colon = strchr(s, ':');
    if (!colon) return -1;
    char buf[64];
    size_t len = (size_t)(colon - s);
    if (len == 0 || len >= sizeof buf) return -1;
    memcpy(buf, s, len);
    buf[len] = 0;
    return cli_parse_size(buf, lo) == 0 && cli_parse_size(colon + 1, hi) == 0 ? 0 : -1;
}

static int parse_args(cl_args *a, int argc, char **argv, const char *prog) {
    int have_k = 0;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        int hv = i + 1 < argc, rc = VS_OK;
        size_t sz, lo, hi;
        double x;
        int took = cli_csv_option(&a->csv, prog, argc, argv, &i); /* --sep, --skip-columns */
        if (took == 2) return 2;
        if (took) continue;
        if (cli_is_help(o)) {
            fputs(cluster_usage, stdout);
            return -1;
        } else if (strcmp(o, "--json") == 0)
            a->json = 1;
        else if (strcmp(o, "--silhouette") == 0)
            a->silhouette = 1;
        else if (strcmp(o, "--k") == 0 && hv) {
            if (cli_parse_size(argv[++i], &sz) != 0 || sz < 1)
                return cli_usage_error(prog, "--k needs a count >= 1, not '%s'", argv[i]);
            rc = vs_cluster_set_int(a->opt, VS_CLUSTER_OPT_K, (int64_t)sz);
            have_k = 1;
        } else if (strcmp(o, "--choose-k") == 0 && hv) {
            if (parse_range(argv[++i], &lo, &hi) != 0 || lo < 2 || hi < lo)
                return cli_usage_error(prog, "--choose-k needs MIN:MAX with 2 <= MIN <= MAX, not '%s'",
                                       argv[i]);
            rc = vs_cluster_set_int(a->opt, VS_CLUSTER_OPT_K_MIN, (int64_t)lo);
            if (rc == VS_OK) rc = vs_cluster_set_int(a->opt, VS_CLUSTER_OPT_K_MAX, (int64_t)hi);
            a->choose = 1;
        } else if (strcmp(o, "--metric") == 0 && hv)
            rc = vs_cluster_set_str(a->opt, VS_CLUSTER_OPT_METRIC, argv[++i]);
        else if (strcmp(o, "--linkage") == 0 && hv)
            rc = vs_cluster_set_str(a->opt, VS_CLUSTER_OPT_LINKAGE, argv[++i]);
        else if ((strcmp(o, "--n-init") == 0 || strcmp(o, "--max-iter") == 0 ||
                  strcmp(o, "--threads") == 0) &&
                 hv) {
            if (cli_parse_size(argv[++i], &sz) != 0) return cli_usage_error(prog, "%s needs a count", o);
            int opt = o[2] == 'n'   ? VS_CLUSTER_OPT_N_INIT
                      : o[2] == 'm' ? VS_CLUSTER_OPT_MAX_ITER
                                    : VS_CLUSTER_OPT_THREADS;
            rc = vs_cluster_set_int(a->opt, opt, (int64_t)sz);
        } else if (strcmp(o, "--tol") == 0 && hv) {
            if (cli_parse_double(argv[++i], &x) != 0) return cli_usage_error(prog, "--tol needs a number");
            rc = vs_cluster_set_double(a->opt, VS_CLUSTER_OPT_TOL, x);
        } else if (strcmp(o, "--seed") == 0 && hv) {
            if (cli_parse_double(argv[++i], &x) != 0 || x != floor(x) || fabs(x) > 9.0e15)
                return cli_usage_error(prog, "--seed needs an integer");
            rc = vs_cluster_set_int(a->opt, VS_CLUSTER_OPT_SEED, (int64_t)x);
        } else if (strcmp(o, "--init") == 0 && hv)
            a->init_file = argv[++i];
        else if (strcmp(o, "--labels-out") == 0 && hv)
            a->labels_out = argv[++i];
        else if (o[0] == '-' && o[1] == '-')
            return cli_unknown_option(prog, o, cluster_usage);
        else if (!a->file)
            a->file = o;
        else
            return cli_usage_error(prog, "unexpected argument '%s'", o);
        if (rc != VS_OK) return cli_fail_usage(prog, o, rc); /* a name or number the library rejects */
    }
    if (!a->file) return cli_usage_error(prog, "a CSV file is required");
    if (have_k == a->choose) return cli_usage_error(prog, "give exactly one of --k and --choose-k");
    if (a->choose && a->init_file) return cli_usage_error(prog, "--init needs --k");
    return 0;
}

static double *result_array(const vs_cluster_result *r, int what, size_t *n) {
    size_t need = 0;
    *n = 0;
    int rc = vs_cluster_result_get(&need, r, what, NULL, 0);
    if (rc != VS_OK && rc != VS_EBUFSIZE) return NULL;
    double *v = malloc((need ? need : 1) * sizeof(double));
    if (v && vs_cluster_result_get(NULL, r, what, v, need) == VS_OK) {
        *n = need;
        return v;
    }
    free(v);
    return NULL;
}

static double stat(const vs_cluster_result *r, int what) {
    double v = NAN;
    vs_cluster_result_scalar(&v, r, what);
    return v;
}

static void print_result(const cl_args *a, int method, const vs_cluster_result *r, const size_t *labels,
                         double sil, size_t d) {
    size_t n = (size_t)stat(r, VS_CLUSTER_STAT_N), k = (size_t)stat(r, VS_CLUSTER_STAT_K), nsz, ncen, nks;
    double *sizes = result_array(r, VS_CLUSTER_SIZES, &nsz),
           *cen = result_array(r, VS_CLUSTER_CENTERS, &ncen);
    double *ks = a->choose ? result_array(r, VS_CLUSTER_K_SCORES, &nks) : NULL;
    int64_t metric = 0, linkage = 0, kmin = 0;
    vs_cluster_get_int(&metric, a->opt, VS_CLUSTER_OPT_METRIC);
    vs_cluster_get_int(&linkage, a->opt, VS_CLUSTER_OPT_LINKAGE);
    vs_cluster_get_int(&kmin, a->opt, VS_CLUSTER_OPT_K_MIN);
    static const char *links[] = {"ward", "average", "complete"};
    const char *mname = method == VS_CLUSTER_KMEANS ? "kmeans" : "agglomerative";
    if (a->json) {
        cli_json j;
        cli_json_init(&j, stdout);
        cli_json_begin_object(&j);
        cli_json_key(&j, "method");
        cli_json_string(&j, mname);
        cli_json_key(&j, "metric");
        cli_json_string(&j, metric == VS_CLUSTER_COSINE ? "cosine" : "euclidean");
        if (method == VS_CLUSTER_AGGLOMERATIVE) {
            cli_json_key(&j, "linkage");
            cli_json_string(&j, links[linkage]);
        }
        cli_json_key(&j, "n");
        cli_json_int(&j, (long long)n);
        cli_json_key(&j, "d");
        cli_json_int(&j, (long long)d);
        cli_json_key(&j, "k");
        cli_json_int(&j, (long long)k);
        cli_json_key(&j, "inertia");
        cli_json_number(&j, stat(r, VS_CLUSTER_STAT_INERTIA));
        if (method == VS_CLUSTER_KMEANS) {
            cli_json_key(&j, "iterations");
            cli_json_int(&j, (long long)stat(r, VS_CLUSTER_STAT_ITERATIONS));
            cli_json_key(&j, "converged");
            cli_json_bool(&j, stat(r, VS_CLUSTER_STAT_CONVERGED) == 1);
        }
        cli_json_key(&j, "silhouette");
        cli_json_number(&j, sil);
        if (ks) {
            cli_json_key(&j, "k_scores");
            cli_json_begin_array(&j);
            for (size_t q = 0; q < nks; q++) {
                cli_json_begin_object(&j);
                cli_json_key(&j, "k");
                cli_json_int(&j, (long long)(kmin + (int64_t)q));
                cli_json_key(&j, "silhouette");
                cli_json_number(&j, ks[q]);
                cli_json_end_object(&j);
            }
            cli_json_end_array(&j);
        }
        cli_json_key(&j, "sizes");
        cli_json_begin_array(&j);
        for (size_t q = 0; q < nsz; q++) cli_json_int(&j, (long long)sizes[q]);
        cli_json_end_array(&j);
        cli_json_key(&j, "centers");
        cli_json_begin_array(&j);
        for (size_t q = 0; q < k && cen; q++) {
            cli_json_begin_array(&j);
            for (size_t c = 0; c < d; c++) cli_json_number(&j, cen[q * d + c]);
            cli_json_end_array(&j);
        }
        cli_json_end_array(&j);
        cli_json_key(&j, "labels");
        cli_json_begin_array(&j);
        for (size_t i = 0; i < n; i++) cli_json_int(&j, (long long)labels[i]);
        cli_json_end_array(&j);
        cli_json_end_object(&j);
        cli_json_finish(&j);
    } else {
        printf("%s (%s%s%s): n = %zu, d = %zu, k = %zu, inertia %.10g", mname,
               metric == VS_CLUSTER_COSINE ? "cosine" : "euclidean",
               method == VS_CLUSTER_AGGLOMERATIVE ? ", " : "",
               method == VS_CLUSTER_AGGLOMERATIVE ? links[linkage] : "", n, d, k,
               stat(r, VS_CLUSTER_STAT_INERTIA));
        if (method == VS_CLUSTER_KMEANS)
            printf(", %.0f iterations%s", stat(r, VS_CLUSTER_STAT_ITERATIONS),
                   stat(r, VS_CLUSTER_STAT_CONVERGED) == 1 ? "" : " (not converged)");
        if (!isnan(sil)) printf(", silhouette %.6f", sil);
        printf("\nsizes:");
        for (size_t q = 0; q < nsz; q++) printf(" %.0f", sizes[q]);
        printf("\n");
        for (size_t q = 0; ks && q < nks; q++)
            printf("k = %lld: silhouette %.6f\n", (long long)(kmin + (int64_t)q), ks[q]);
    }
    free(sizes);
    free(cen);
    free(ks);
}

static int write_labels(const char *path, const size_t *labels, size_t n) {
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "valuespace cluster: cannot write '%s': %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(f, "row,cluster\n");
    for (size_t i = 0; i < n; i++) fprintf(f, "%zu,%zu\n", i + 1, labels[i]);
    return fclose(f) == 0 ? 0 : 1;
}

static int run(int argc, char **argv, int method) {
    const char *prog =
        method == VS_CLUSTER_KMEANS ? "valuespace cluster kmeans" : "valuespace cluster agglomerative";
    cl_args a;
    memset(&a, 0, sizeof a);
    int st = vs_cluster_create(&a.opt);
    if (st != VS_OK) return cli_fail("cluster", st);
    vs_cluster_set_int(a.opt, VS_CLUSTER_OPT_METHOD, method);
    int rc = parse_args(&a, argc, argv, prog);
    double *x = NULL, *init = NULL;
    size_t n = 0, d = 0, *labels = NULL;
    vs_cluster_result *r = NULL;
    if (rc) goto done;
    if (method == VS_CLUSTER_AGGLOMERATIVE && a.init_file) {
        rc = cli_usage_error(prog, "--init is for kmeans");
        goto done;
    }
    if ((rc = cli_read_csv_numbers("valuespace cluster", a.file, &a.csv, &x, &n, &d, NULL)) != 0) goto done;
    if (a.init_file) {
        size_t ki, di;
        cli_csv_opts init_csv = {a.csv.sep, NULL};
        if ((rc = cli_read_csv_numbers("valuespace cluster", a.init_file, &init_csv, &init, &ki, &di, NULL)) != 0)
            goto done;
        st = vs_cluster_set_init_centers(a.opt, init, ki, di);
        if (st != VS_OK) {
            rc = cli_fail(a.init_file, st);
            goto done;
        }
    }
    st = a.choose ? vs_cluster_choose_k(&r, a.opt, x, n, d) : vs_cluster_fit(&r, a.opt, x, n, d);
    if (st != VS_OK) {
        rc = cli_fail(a.file, st);
        goto done;
    }
    labels = malloc((n ? n : 1) * sizeof(size_t));
    if (!labels || vs_cluster_result_labels(NULL, r, labels, n) != VS_OK) {
        rc = cli_fail("cluster", VS_ENOMEM);
        goto done;
    }
    double sil = stat(r, VS_CLUSTER_STAT_SILHOUETTE);
    if (a.silhouette && isnan(sil)) {
        st = vs_cluster_silhouette(&sil, NULL, a.opt, x, n, d, labels, NULL, 0);
        if (st == VS_EUNDEFINED)
            sil = NAN; /* one cluster, or every point alone: reported as null */
        else if (st != VS_OK) {
            rc = cli_fail("silhouette", st);
            goto done;
        }
    }
    print_result(&a, method, r, labels, sil, d);
    if (a.labels_out) rc = write_labels(a.labels_out, labels, n);
done:
    free(x);
    free(init);
    free(labels);
    vs_cluster_result_free(r);
    vs_cluster_free(a.opt);
    return rc < 0 ? 0 : rc;
}

static int cluster_kmeans(int argc, char **argv) { return run(argc, argv, VS_CLUSTER_KMEANS); }
static int cluster_agglomerative(int argc, char **argv) { return run(argc, argv, VS_CLUSTER_AGGLOMERATIVE); }

int cmd_cluster(int argc, char **argv) {
    static const cli_command sub[] = {
        {"kmeans", "k-means (k-means++, Lloyd; spherical with --metric cosine)", cluster_kmeans},
        {"agglomerative", "hierarchical clustering (ward, average, complete) cut into k clusters",
         cluster_agglomerative},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("valuespace cluster", sub, argc, argv);
}
