/* Options of the cluster module (the table of lib/common/option_table.h) and initial centres. */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "cluster/cluster_internal.h"
#include "common/option_table.h"

static const vs__opt_name method_names[] = {
    {"kmeans", VS_CLUSTER_KMEANS}, {"agglomerative", VS_CLUSTER_AGGLOMERATIVE}, {NULL, 0}};
static const vs__opt_name metric_names[] = {
    {"euclidean", VS_CLUSTER_EUCLIDEAN}, {"cosine", VS_CLUSTER_COSINE}, {NULL, 0}};
static const vs__opt_name linkage_names[] = {
    {"ward", VS_CLUSTER_WARD}, {"average", VS_CLUSTER_AVERAGE}, {"complete", VS_CLUSTER_COMPLETE}, {NULL, 0}};

static const vs__option opts[] = {
    VS__OPT_ROW_ENUM(vs_cluster, VS_CLUSTER_OPT_METHOD, method, 0, 1, "method", method_names, NULL),
    VS__OPT_ROW_INT(vs_cluster, VS_CLUSTER_OPT_K, k, 1, 1e9, "k"),
    VS__OPT_ROW_ENUM(vs_cluster, VS_CLUSTER_OPT_METRIC, metric, 0, 1, "metric", metric_names, NULL),
    VS__OPT_ROW_ENUM(vs_cluster, VS_CLUSTER_OPT_LINKAGE, linkage, 0, 2, "linkage", linkage_names, NULL),
    VS__OPT_ROW_INT(vs_cluster, VS_CLUSTER_OPT_SEED, seed, -9223372036854775807.0 - 1.0, 9223372036854775807.0, "seed"),
    VS__OPT_ROW_INT(vs_cluster, VS_CLUSTER_OPT_N_INIT, n_init, 1, 1e6, "n_init"),
    VS__OPT_ROW_INT(vs_cluster, VS_CLUSTER_OPT_MAX_ITER, max_iter, 1, 1e9, "max_iter"),
    VS__OPT_ROW_DOUBLE(vs_cluster, VS_CLUSTER_OPT_TOL, tol, 0, DBL_MAX, "tol"),
    VS__OPT_ROW_INT(vs_cluster, VS_CLUSTER_OPT_THREADS, threads, 0, 256, "threads"),
    VS__OPT_ROW_INT(vs_cluster, VS_CLUSTER_OPT_K_MIN, k_min, 2, 1e9, "k_min"),
    VS__OPT_ROW_INT(vs_cluster, VS_CLUSTER_OPT_K_MAX, k_max, 2, 1e9, "k_max"),
};
static const vs__option_table table = VS__OPTION_TABLE("vs_cluster", opts);

int vs_cluster_create(vs_cluster **out) {
    if (!out) return vs__error(VS_EINVAL, "vs_cluster_create: NULL out");
    *out = NULL;
    vs_cluster *c = vs__calloc(1, sizeof *c);
    if (!c) return vs__nomem("vs_cluster_create");
    c->method = VS_CLUSTER_KMEANS;
    c->k = 2;
    c->metric = VS_CLUSTER_EUCLIDEAN;
    c->linkage = VS_CLUSTER_WARD;
    c->seed = 0;
    c->n_init = 10;
    c->max_iter = 300;
    c->tol = 1e-4;
    c->threads = 1;
    c->k_min = 2;
    c->k_max = 10;
    *out = c;
    return VS_OK;
}

void vs_cluster_free(vs_cluster *c) {
    if (!c) return;
    vs__free(c->init);
    vs__free(c);
}

int vs_cluster_set_int(vs_cluster *c, int option, int64_t value) { return vs__opt_set_int(&table, c, option, value); }
int vs_cluster_set_double(vs_cluster *c, int option, double value) {
    return vs__opt_set_double(&table, c, option, value);
}
int vs_cluster_set_str(vs_cluster *c, int option, const char *value) {
    return vs__opt_set_str(&table, c, option, value);
}
int vs_cluster_get_int(int64_t *out, const vs_cluster *c, int option) {
    return vs__opt_get_int(&table, out, c, option);
}
int vs_cluster_get_double(double *out, const vs_cluster *c, int option) {
    return vs__opt_get_double(&table, out, c, option);
}
int vs_cluster_get_str(const char **out, const vs_cluster *c, int option) {
    return vs__opt_get_str(&table, out, c, option);
}
int vs_cluster_option_bounds(double *out_min, double *out_max, int option) {
    return vs__opt_bounds(&table, out_min, out_max, option);
}
int vs_cluster_option_id(int *out, const char *name) { return vs__opt_id(&table, out, name); }
const char *vs_cluster_option_name(int option) { return vs__opt_name_of(&table, option); }

int vs_cluster_set_init_centers(vs_cluster *c, const double *centers, size_t k, size_t d) {
    static const char *where = "vs_cluster_set_init_centers";
    if (!c) return vs__error(VS_EINVAL, "%s: NULL handle", where);
    if (!centers) {
        if (k || d) return vs__error(VS_EINVAL, "%s: NULL centers with k = %zu, d = %zu", where, k, d);
        vs__free(c->init);
        c->init = NULL;
        c->init_k = c->init_d = 0;
        return VS_OK;
    }
    if (k == 0 || d == 0)
        return vs__error(VS_ERANGE, "%s: k = %zu, d = %zu: both must be at least 1", where, k, d);
    int rc = vs__cl_check_finite(where, "centers", centers, k, d);
    if (rc != VS_OK) return rc;
    if (k > SIZE_MAX / sizeof(double) / d) return vs__nomem(where);
    double *copy = vs__memdup(centers, k * d * sizeof(double));
    if (!copy) return vs__nomem(where);
    vs__free(c->init);
    c->init = copy;
    c->init_k = k;
    c->init_d = d;
    return VS_OK;
}
