/* Options of the cluster module: typed setters keyed by enum, bounds, names, initial centres. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "cluster/cluster_internal.h"

typedef struct opt_info {
    int option, is_double;
    double min, max;
    const char *name; /* what error messages call the option */
} opt_info;

static const opt_info opts[] = {
    {VS_CLUSTER_OPT_METHOD, 0, 0, 1, "method"},
    {VS_CLUSTER_OPT_K, 0, 1, 1e9, "k"},
    {VS_CLUSTER_OPT_METRIC, 0, 0, 1, "metric"},
    {VS_CLUSTER_OPT_LINKAGE, 0, 0, 2, "linkage"},
    {VS_CLUSTER_OPT_SEED, 0, -9223372036854775807.0 - 1.0, 9223372036854775807.0, "seed"},
    {VS_CLUSTER_OPT_N_INIT, 0, 1, 1e6, "n_init"},
    {VS_CLUSTER_OPT_MAX_ITER, 0, 1, 1e9, "max_iter"},
    {VS_CLUSTER_OPT_TOL, 1, 0, DBL_MAX, "tol"},
    {VS_CLUSTER_OPT_THREADS, 0, 0, 256, "threads"},
    {VS_CLUSTER_OPT_K_MIN, 0, 2, 1e9, "k_min"},
    {VS_CLUSTER_OPT_K_MAX, 0, 2, 1e9, "k_max"},
};

static const opt_info *find_opt(int option) {
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        if (opts[i].option == option) return &opts[i];
    return NULL;
}

static int64_t *int_field(vs_cluster *c, int option) {
    switch (option) {
    case VS_CLUSTER_OPT_METHOD: return &c->method;
    case VS_CLUSTER_OPT_K: return &c->k;
    case VS_CLUSTER_OPT_METRIC: return &c->metric;
    case VS_CLUSTER_OPT_LINKAGE: return &c->linkage;
    case VS_CLUSTER_OPT_SEED: return &c->seed;
    case VS_CLUSTER_OPT_N_INIT: return &c->n_init;
    case VS_CLUSTER_OPT_MAX_ITER: return &c->max_iter;
    case VS_CLUSTER_OPT_THREADS: return &c->threads;
    case VS_CLUSTER_OPT_K_MIN: return &c->k_min;
    case VS_CLUSTER_OPT_K_MAX: return &c->k_max;
    default: return NULL;
    }
}

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

int vs_cluster_set_int(vs_cluster *c, int option, int64_t value) {
    if (!c) return vs__error(VS_EINVAL, "vs_cluster_set_int: NULL handle");
    const opt_info *o = find_opt(option);
    int64_t *f = int_field(c, option);
    if (!o || !f)
        return vs__error(VS_EINVAL, "vs_cluster_set_int: option %d is not an integer option", option);
    if ((double)value < o->min || (double)value > o->max)
        return vs__error(VS_ERANGE, "vs_cluster_set_int: %s: %lld outside [%.0f, %.0f]", o->name,
                         (long long)value, o->min, o->max);
    *f = value;
    return VS_OK;
}

int vs_cluster_set_double(vs_cluster *c, int option, double value) {
    if (!c) return vs__error(VS_EINVAL, "vs_cluster_set_double: NULL handle");
    const opt_info *o = find_opt(option);
    if (!o || !o->is_double)
        return vs__error(VS_EINVAL, "vs_cluster_set_double: option %d is not a double option", option);
    if (isnan(value)) return vs__error(VS_EINVAL, "vs_cluster_set_double: %s: NaN", o->name);
    if (value < o->min || value > o->max)
        return vs__error(VS_ERANGE, "vs_cluster_set_double: %s: %g outside [%g, %g]", o->name, value, o->min,
                         o->max);
    c->tol = value; /* the only double option */
    return VS_OK;
}

typedef struct name_value {
    const char *name;
    int value;
} name_value;

static const name_value method_names[] = {{"kmeans", VS_CLUSTER_KMEANS},
                                          {"agglomerative", VS_CLUSTER_AGGLOMERATIVE}};
static const name_value metric_names[] = {{"euclidean", VS_CLUSTER_EUCLIDEAN}, {"cosine", VS_CLUSTER_COSINE}};
static const name_value linkage_names[] = {
    {"ward", VS_CLUSTER_WARD}, {"average", VS_CLUSTER_AVERAGE}, {"complete", VS_CLUSTER_COMPLETE}};

int vs_cluster_set_str(vs_cluster *c, int option, const char *value) {
    static const char *where = "vs_cluster_set_str";
    if (!c || !value) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    const name_value *names;
    size_t count;
    switch (option) {
    case VS_CLUSTER_OPT_METHOD:
        names = method_names;
        count = sizeof method_names / sizeof method_names[0];
        break;
    case VS_CLUSTER_OPT_METRIC:
        names = metric_names;
        count = sizeof metric_names / sizeof metric_names[0];
        break;
    case VS_CLUSTER_OPT_LINKAGE:
        names = linkage_names;
        count = sizeof linkage_names / sizeof linkage_names[0];
        break;
    default: return vs__error(VS_EINVAL, "%s: option %d does not take a name", where, option);
    }
    for (size_t i = 0; i < count; i++)
        if (strcmp(names[i].name, value) == 0) return vs_cluster_set_int(c, option, names[i].value);
    return vs__error_unknown_name(where, find_opt(option)->name, value,
                                  (vs__names){&names[0].name, count, sizeof names[0]});
}

int vs_cluster_get_int(int64_t *out, const vs_cluster *c, int option) {
    if (!out || !c) return vs__error(VS_EINVAL, "vs_cluster_get_int: NULL argument");
    const int64_t *f = int_field((vs_cluster *)c, option);
    if (!f) return vs__error(VS_EINVAL, "vs_cluster_get_int: option %d is not an integer option", option);
    *out = *f;
    return VS_OK;
}

int vs_cluster_get_double(double *out, const vs_cluster *c, int option) {
    if (!out || !c) return vs__error(VS_EINVAL, "vs_cluster_get_double: NULL argument");
    if (option != VS_CLUSTER_OPT_TOL)
        return vs__error(VS_EINVAL, "vs_cluster_get_double: option %d is not a double option", option);
    *out = c->tol;
    return VS_OK;
}

int vs_cluster_option_bounds(double *out_min, double *out_max, int option) {
    if (!out_min || !out_max) return vs__error(VS_EINVAL, "vs_cluster_option_bounds: NULL argument");
    const opt_info *o = find_opt(option);
    if (!o) return vs__error(VS_EINVAL, "vs_cluster_option_bounds: unknown option %d", option);
    *out_min = o->min;
    *out_max = o->max;
    return VS_OK;
}

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
