/* Tests of the cluster module.
 *
 * Expected values come from scikit-learn 1.2.1 / SciPy 1.10.1 (Debian bookworm's python3-sklearn)
 * through tests/data/cluster/make_reference.py, which writes the data sets and every expected
 * number into the text files of tests/data/cluster (see each file's header):
 * - k-means: KMeans(init=<the same centres>, n_init=1, algorithm="lloyd") -> identical partition,
 *   identical n_iter_, inertia to 1e-10 relative, centres to 1e-9;
 * - spherical k-means: an independent NumPy implementation of the documented rules;
 * - agglomerative: SciPy's linkage() matrix (same merges, heights to 1e-10 relative) and
 *   AgglomerativeClustering labels for k = 2..6 (identical partitions);
 * - silhouette_samples / silhouette_score to 1e-9 (cross-checked in the script against a direct
 *   computation); adjusted_rand_score to 1e-12.
 * Hand-computed cases: the empty-cluster relocation and small ARI values in comments below. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster_internal.h"
#include "testutil.h"

#define DATA VS_TEST_DATA_DIR "/cluster/"

/* ---- reading the reference files: '#' lines are comments, the rest is numbers */
typedef struct numbers {
    double *v;
    size_t n, pos;
} numbers;

static numbers load(const char *name) {
    char path[512];
    snprintf(path, sizeof path, DATA "%s", name);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    numbers r = {NULL, 0, 0};
    size_t cap = 0;
    char line[8192];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        char *p = line, *e;
        for (;;) {
            double x = strtod(p, &e);
            if (e == p) break;
            if (r.n == cap) {
                cap = cap ? 2 * cap : 1024;
                r.v = realloc(r.v, cap * sizeof(double));
            }
            r.v[r.n++] = x;
            p = e;
        }
    }
    fclose(f);
    return r;
}

static double next(numbers *r) {
    ck_assert_msg(r->pos < r->n, "reference file too short");
    return r->v[r->pos++];
}

static double *take(numbers *r, size_t count) {
    ck_assert_msg(r->pos + count <= r->n, "reference file too short");
    double *p = r->v + r->pos;
    r->pos += count;
    return p;
}

typedef struct dataset {
    numbers raw;
    double *x;
    size_t n, d;
    size_t *truth;
} dataset;

static dataset load_data(const char *name) {
    dataset s;
    s.raw = load(name);
    s.n = (size_t)next(&s.raw);
    s.d = (size_t)next(&s.raw);
    s.x = take(&s.raw, s.n * s.d);
    double *t = take(&s.raw, s.n);
    s.truth = malloc(s.n * sizeof(size_t));
    for (size_t i = 0; i < s.n; i++) s.truth[i] = (size_t)t[i];
    return s;
}

static void free_data(dataset *s) {
    free(s->raw.v);
    free(s->truth);
}

/* Canonical relabelling by first occurrence (independent of the library's). */
static void canon(size_t *out, const double *lab, size_t n) {
    double seen[64];
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < ns && seen[j] != lab[i]) j++;
        if (j == ns) seen[ns++] = lab[i];
        out[i] = j;
    }
}

static size_t *get_labels(const vs_cluster_result *r) {
    size_t n = 0;
    ck_assert_status(vs_cluster_result_labels(&n, r, NULL, 0), n == 0 ? VS_OK : VS_EBUFSIZE);
    size_t *lab = malloc((n ? n : 1) * sizeof(size_t));
    ck_assert_ok(vs_cluster_result_labels(NULL, r, lab, n));
    return lab;
}

static double scalar(const vs_cluster_result *r, int what) {
    double v;
    ck_assert_ok(vs_cluster_result_scalar(&v, r, what));
    return v;
}

static double *get_array(const vs_cluster_result *r, int what, size_t *count) {
    size_t need = 0;
    int rc = vs_cluster_result_get(&need, r, what, NULL, 0);
    ck_assert(rc == VS_OK || rc == VS_EBUFSIZE);
    double *a = malloc((need ? need : 1) * sizeof(double));
    ck_assert_ok(vs_cluster_result_get(NULL, r, what, a, need));
    if (count) *count = need;
    return a;
}

/* Results of two runs are bitwise equal (labels, centres, inertia, iterations). */
static void assert_same_result(const vs_cluster_result *a, const vs_cluster_result *b) {
    size_t *la = get_labels(a), *lb = get_labels(b), na, nb;
    double *ca = get_array(a, VS_CLUSTER_CENTERS, &na), *cb = get_array(b, VS_CLUSTER_CENTERS, &nb);
    ck_assert_uint_eq(na, nb);
    ck_assert(memcmp(la, lb, (size_t)scalar(a, VS_CLUSTER_STAT_N) * sizeof(size_t)) == 0);
    ck_assert(memcmp(ca, cb, na * sizeof(double)) == 0);
    ck_assert(scalar(a, VS_CLUSTER_STAT_INERTIA) == scalar(b, VS_CLUSTER_STAT_INERTIA));
    ck_assert(scalar(a, VS_CLUSTER_STAT_ITERATIONS) == scalar(b, VS_CLUSTER_STAT_ITERATIONS));
    free(la);
    free(lb);
    free(ca);
    free(cb);
}

/* ---- k-means against scikit-learn with the same initial centres */

static void kmeans_case(const char *data_name, const char *file, int spherical) {
    dataset s = load_data(data_name);
    numbers r = load(file);
    size_t k = (size_t)next(&r), max_iter = (size_t)next(&r);
    double tol = next(&r);
    size_t n_iter = (size_t)next(&r);
    double inertia = next(&r);
    double *init = take(&r, k * s.d), *centres = take(&r, k * s.d), *labels = take(&r, s.n);
    size_t *want = malloc(s.n * sizeof(size_t));
    canon(want, labels, s.n);

    vs_cluster *opt;
    ck_assert_ok(vs_cluster_create(&opt));
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, (int64_t)k));
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_MAX_ITER, (int64_t)max_iter));
    ck_assert_ok(vs_cluster_set_double(opt, VS_CLUSTER_OPT_TOL, tol));
    if (spherical) ck_assert_ok(vs_cluster_set_str(opt, VS_CLUSTER_OPT_METRIC, "cosine"));
    ck_assert_ok(vs_cluster_set_init_centers(opt, init, k, s.d));
    vs_cluster_result *res[2];
    for (int t = 0; t < 2; t++) {
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_THREADS, t ? 2 : 1));
        ck_assert_ok(vs_cluster_fit(&res[t], opt, s.x, s.n, s.d));
    }
    assert_same_result(res[0], res[1]);
    size_t *got = get_labels(res[0]);
    for (size_t i = 0; i < s.n; i++)
        ck_assert_msg(got[i] == want[i], "%s: point %zu: label %zu, expected %zu", file, i, got[i], want[i]);
    ck_assert_msg((size_t)scalar(res[0], VS_CLUSTER_STAT_ITERATIONS) == n_iter,
                  "%s: %g iterations, expected %zu", file, scalar(res[0], VS_CLUSTER_STAT_ITERATIONS),
                  n_iter);
    ck_assert_near(scalar(res[0], VS_CLUSTER_STAT_INERTIA), inertia, 1e-10 * inertia);
    ck_assert_near(scalar(res[0], VS_CLUSTER_STAT_K), (double)k, 0);
    ck_assert_near(scalar(res[0], VS_CLUSTER_STAT_NONEMPTY), (double)k, 0);
    /* centres: canonical cluster c is the reference cluster of the first point labelled c */
    double *c = get_array(res[0], VS_CLUSTER_CENTERS, NULL);
    double *sizes = get_array(res[0], VS_CLUSTER_SIZES, NULL);
    for (size_t i = 0; i < s.n; i++) {
        size_t rc = (size_t)labels[i], cc = got[i];
        for (size_t j = 0; j < s.d; j++) ck_assert_near(c[cc * s.d + j], centres[rc * s.d + j], 1e-9);
    }
    double total = 0;
    for (size_t q = 0; q < k; q++) total += sizes[q];
    ck_assert_near(total, (double)s.n, 0);
    free(c);
    free(sizes);
    free(got);
    free(want);
    vs_cluster_result_free(res[0]);
    vs_cluster_result_free(res[1]);
    vs_cluster_free(opt);
    free(r.v);
    free_data(&s);
}

START_TEST(test_kmeans_sklearn) {
    static const char *files[] = {"kmeans_blobs_k4.txt",      "kmeans_blobs_k7.txt",
                                  "kmeans_blobs_k5_tol0.txt", "kmeans_blobs_k6_iter2.txt",
                                  "kmeans_blobs_k5_tol.txt",  "kmeans_blobs_k4_empty.txt"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) kmeans_case("blobs.txt", files[f], 0);
    kmeans_case("embed.txt", "kmeans_embed_k5.txt", 0);
}
END_TEST

START_TEST(test_kmeans_spherical) { kmeans_case("embed.txt", "spherical_embed_k5.txt", 1); }
END_TEST

START_TEST(test_kmeans_empty_cluster_by_hand) {
    /* x = -1, 1, 1.5 with centres -1 and 10: all points go to centre 0 and centre 1 is empty.
     * The point farthest from its centre (-1) is 1.5 (distance 2.5): it becomes centre 1 and is
     * removed from cluster 0, whose centre becomes (-1 + 1) / 2 = 0. Iteration 2: point 1 is 0.5
     * from centre 1.5 and 1 from centre 0, so it joins 1.5 -> centres -1 and 1.25; iteration 3
     * keeps the labels: strict convergence after 3 iterations, inertia 2 * 0.25^2 = 0.125. */
    const double x[3] = {-1, 1, 1.5}, init[2] = {-1, 10};
    vs_cluster *opt;
    vs_cluster_result *r;
    ck_assert_ok(vs_cluster_create(&opt));
    ck_assert_ok(vs_cluster_set_init_centers(opt, init, 2, 1));
    ck_assert_ok(vs_cluster_fit(&r, opt, x, 3, 1));
    size_t *lab = get_labels(r);
    ck_assert_uint_eq(lab[0], 0);
    ck_assert_uint_eq(lab[1], 1);
    ck_assert_uint_eq(lab[2], 1);
    double *c = get_array(r, VS_CLUSTER_CENTERS, NULL);
    ck_assert_near(c[0], -1, 1e-15);
    ck_assert_near(c[1], 1.25, 1e-15);
    ck_assert_near(scalar(r, VS_CLUSTER_STAT_INERTIA), 0.125, 1e-15);
    ck_assert_near(scalar(r, VS_CLUSTER_STAT_ITERATIONS), 3, 0);
    ck_assert_near(scalar(r, VS_CLUSTER_STAT_CONVERGED), 1, 0);
    free(lab);
    free(c);
    vs_cluster_result_free(r);
    vs_cluster_free(opt);
}
END_TEST

/* ---- k-means++ seeding and restarts */

/* Four well-separated blobs in 3-D: centres 20 apart, unit noise (Box-Muller from a fixed LCG). */
static double *separated(size_t n, size_t d, size_t kt, size_t *truth, unsigned seed) {
    double *x = malloc(n * d * sizeof(double));
    unsigned long long s = seed;
    for (size_t i = 0; i < n; i++) {
        size_t c = (i * 7 + i / 3) % kt;
        truth[i] = c;
        for (size_t j = 0; j < d; j++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            double u1 = ((s >> 11) + 1.0) / 9007199254740993.0;
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            double u2 = (s >> 11) / 9007199254740992.0;
            double z = sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
            x[i * d + j] = (j == c % d ? 20.0 * (double)(c + 1) : 0.0) + (c >= d ? -15.0 : 0.0) + z;
        }
    }
    return x;
}

START_TEST(test_kmeans_plusplus) {
    size_t n = 400, d = 3, truth[400];
    double *x = separated(n, d, 4, truth, 11);
    vs_cluster *opt;
    ck_assert_ok(vs_cluster_create(&opt));
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 4));
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_SEED, 12345));
    vs_cluster_result *a, *b, *c;
    ck_assert_ok(vs_cluster_fit(&a, opt, x, n, d));
    ck_assert_ok(vs_cluster_fit(&b, opt, x, n, d));
    assert_same_result(a, b);
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_THREADS, 2));
    ck_assert_ok(vs_cluster_fit(&c, opt, x, n, d));
    assert_same_result(a, c);
    size_t *lab = get_labels(a);
    double ari;
    ck_assert_ok(vs_cluster_adjusted_rand(&ari, lab, truth, n));
    ck_assert_near(ari, 1.0, 0);
    ck_assert_uint_eq(lab[0], 0); /* canonical: first point in cluster 0 */
    ck_assert(scalar(a, VS_CLUSTER_STAT_BEST_INIT) >= 0 && scalar(a, VS_CLUSTER_STAT_BEST_INIT) < 10);
    free(lab);
    vs_cluster_result_free(a);
    vs_cluster_result_free(b);
    vs_cluster_result_free(c);
    /* one restart with different seeds: each run is deterministic; k-means++ still finds the blobs */
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_N_INIT, 1));
    for (int64_t seed = 0; seed < 5; seed++) {
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_SEED, seed));
        ck_assert_ok(vs_cluster_fit(&a, opt, x, n, d));
        ck_assert_near(scalar(a, VS_CLUSTER_STAT_BEST_INIT), 0, 0);
        lab = get_labels(a);
        ck_assert_ok(vs_cluster_adjusted_rand(&ari, lab, truth, n));
        ck_assert_near(ari, 1.0, 0);
        free(lab);
        vs_cluster_result_free(a);
    }
    /* k = 1: one cluster at the mean; inertia = total sum of squares about the mean */
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 1));
    ck_assert_ok(vs_cluster_fit(&a, opt, x, n, d));
    double *cen = get_array(a, VS_CLUSTER_CENTERS, NULL), tss = 0;
    for (size_t j = 0; j < d; j++) {
        double m = 0;
        for (size_t i = 0; i < n; i++) m += x[i * d + j];
        m /= (double)n;
        ck_assert_near(cen[j], m, 1e-12);
        for (size_t i = 0; i < n; i++) tss += (x[i * d + j] - m) * (x[i * d + j] - m);
    }
    ck_assert_near(scalar(a, VS_CLUSTER_STAT_INERTIA), tss, 1e-9 * tss);
    free(cen);
    vs_cluster_result_free(a);
    vs_cluster_free(opt);
    free(x);
}
END_TEST

START_TEST(test_kmeans_restarts_keep_best) {
    /* with n_init = 8 the kept inertia is the smallest of the 8 single runs (streams 0..7) */
    dataset s = load_data("blobs.txt");
    vs_cluster *opt;
    vs_cluster_result *r;
    ck_assert_ok(vs_cluster_create(&opt));
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 6));
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_N_INIT, 8));
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_SEED, 3));
    ck_assert_ok(vs_cluster_fit(&r, opt, s.x, s.n, s.d));
    double best = scalar(r, VS_CLUSTER_STAT_INERTIA);
    size_t best_init = (size_t)scalar(r, VS_CLUSTER_STAT_BEST_INIT);
    vs_cluster_result_free(r);
    /* a single run reproduces restart 0; the best of 8 is no worse */
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_N_INIT, 1));
    ck_assert_ok(vs_cluster_fit(&r, opt, s.x, s.n, s.d));
    ck_assert(best <= scalar(r, VS_CLUSTER_STAT_INERTIA));
    if (best_init == 0) ck_assert(best == scalar(r, VS_CLUSTER_STAT_INERTIA));
    vs_cluster_result_free(r);
    vs_cluster_free(opt);
    free_data(&s);
}
END_TEST

START_TEST(test_kmeans_identical_points) {
    /* all points identical: every label 0, the k centres all equal the point, inertia 0 */
    double x[12];
    for (int i = 0; i < 12; i++) x[i] = i % 2 ? 0.1 : -3.7;
    vs_cluster *opt;
    vs_cluster_result *r;
    ck_assert_ok(vs_cluster_create(&opt));
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 3));
    for (int metric = 0; metric < 2; metric++) {
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_METRIC, metric));
        ck_assert_ok(vs_cluster_fit(&r, opt, x, 6, 2));
        size_t *lab = get_labels(r);
        for (int i = 0; i < 6; i++) ck_assert_uint_eq(lab[i], 0);
        ck_assert_near(scalar(r, VS_CLUSTER_STAT_NONEMPTY), 1, 0);
        ck_assert_near(scalar(r, VS_CLUSTER_STAT_INERTIA), 0, 1e-12);
        double *c = get_array(r, VS_CLUSTER_CENTERS, NULL), *sz = get_array(r, VS_CLUSTER_SIZES, NULL);
        double nrm = metric ? sqrt(3.7 * 3.7 + 0.01) : 1;
        for (int q = 0; q < 3; q++) {
            ck_assert_near(c[q * 2], -3.7 / nrm, 1e-12);
            ck_assert_near(c[q * 2 + 1], 0.1 / nrm, 1e-12);
        }
        ck_assert_near(sz[0], 6, 0);
        ck_assert_near(sz[1], 0, 0);
        ck_assert_near(sz[2], 0, 0);
        free(c);
        free(sz);
        free(lab);
        vs_cluster_result_free(r);
    }
    /* fewer distinct points than k: no crash, at most 2 non-empty clusters, zero inertia */
    const double y[5] = {1, 1, 5, 5, 1};
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_METRIC, 0));
    ck_assert_ok(vs_cluster_fit(&r, opt, y, 5, 1));
    ck_assert(scalar(r, VS_CLUSTER_STAT_NONEMPTY) <= 2);
    ck_assert_near(scalar(r, VS_CLUSTER_STAT_INERTIA), 0, 1e-12);
    vs_cluster_result_free(r);
    /* agglomerative on identical points: all heights 0, k clusters */
    ck_assert_ok(vs_cluster_set_str(opt, VS_CLUSTER_OPT_METHOD, "agglomerative"));
    for (int link = 0; link < 3; link++) {
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_LINKAGE, link));
        ck_assert_ok(vs_cluster_fit(&r, opt, x, 6, 2));
        size_t nz;
        double *z = get_array(r, VS_CLUSTER_LINKAGE_MATRIX, &nz);
        ck_assert_uint_eq(nz, 20);
        for (int m = 0; m < 5; m++) ck_assert_near(z[m * 4 + 2], 0, 0);
        ck_assert_near(z[19], 6, 0);
        ck_assert_near(scalar(r, VS_CLUSTER_STAT_NONEMPTY), 3, 0);
        free(z);
        vs_cluster_result_free(r);
    }
    vs_cluster_free(opt);
}
END_TEST

/* ---- agglomerative against SciPy / scikit-learn */

static void agglo_case(const char *data_name, const char *link, const char *metric) {
    char file[128];
    snprintf(file, sizeof file, "agglo_%s_%s_%s.txt", strcmp(data_name, "blobs.txt") == 0 ? "blobs" : "embed",
             link, metric);
    dataset s = load_data(data_name);
    numbers r = load(file);
    size_t n = (size_t)next(&r);
    double *Z = take(&r, (n - 1) * 4);
    vs_cluster *opt;
    ck_assert_ok(vs_cluster_create(&opt));
    ck_assert_ok(vs_cluster_set_str(opt, VS_CLUSTER_OPT_METHOD, "agglomerative"));
    ck_assert_ok(vs_cluster_set_str(opt, VS_CLUSTER_OPT_LINKAGE, link));
    ck_assert_ok(vs_cluster_set_str(opt, VS_CLUSTER_OPT_METRIC, metric));
    size_t *want = malloc(n * sizeof(size_t));
    for (size_t k = 2; k <= 6; k++) {
        double *labels = take(&r, n);
        canon(want, labels, n);
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, (int64_t)k));
        vs_cluster_result *res[2];
        for (int t = 0; t < 2; t++) {
            ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_THREADS, t ? 2 : 1));
            ck_assert_ok(vs_cluster_fit(&res[t], opt, s.x, n, s.d));
        }
        assert_same_result(res[0], res[1]);
        size_t *got = get_labels(res[0]);
        for (size_t i = 0; i < n; i++)
            ck_assert_msg(got[i] == want[i], "%s k=%zu: point %zu: label %zu, expected %zu", file, k, i,
                          got[i], want[i]);
        if (k == 2) {
            size_t nz;
            double *z = get_array(res[0], VS_CLUSTER_LINKAGE_MATRIX, &nz);
            ck_assert_uint_eq(nz, (n - 1) * 4);
            for (size_t m = 0; m < n - 1; m++) {
                ck_assert_msg(z[m * 4] == Z[m * 4] && z[m * 4 + 1] == Z[m * 4 + 1],
                              "%s: merge %zu joins %g and %g, expected %g and %g", file, m, z[m * 4],
                              z[m * 4 + 1], Z[m * 4], Z[m * 4 + 1]);
                ck_assert_near(z[m * 4 + 2], Z[m * 4 + 2], 1e-10 * fabs(Z[m * 4 + 2]) + 1e-15);
                ck_assert_near(z[m * 4 + 3], Z[m * 4 + 3], 0);
            }
            free(z);
        }
        free(got);
        vs_cluster_result_free(res[0]);
        vs_cluster_result_free(res[1]);
    }
    free(want);
    vs_cluster_free(opt);
    free(r.v);
    free_data(&s);
}

START_TEST(test_agglomerative_sklearn) {
    static const char *links[] = {"ward", "average", "complete"}, *metrics[] = {"euclidean", "cosine"};
    for (int dset = 0; dset < 2; dset++)
        for (int l = 0; l < 3; l++)
            for (int m = 0; m < 2; m++) agglo_case(dset ? "embed.txt" : "blobs.txt", links[l], metrics[m]);
}
END_TEST

START_TEST(test_agglomerative_centres) {
    /* Ward, k = 2 on (0,0) (0,2) | (10,10) (10,12) (11,11.5): centres are member means and the
     * inertia is the within-cluster sum of squares, computed here directly */
    const double x[10] = {0, 0, 0, 2, 10, 10, 10, 12, 11, 11.5};
    vs_cluster *opt;
    vs_cluster_result *r;
    ck_assert_ok(vs_cluster_create(&opt));
    ck_assert_ok(vs_cluster_set_str(opt, VS_CLUSTER_OPT_METHOD, "agglomerative"));
    ck_assert_ok(vs_cluster_fit(&r, opt, x, 5, 2));
    size_t *lab = get_labels(r);
    const size_t want[5] = {0, 0, 1, 1, 1};
    for (int i = 0; i < 5; i++) ck_assert_uint_eq(lab[i], want[i]);
    double *c = get_array(r, VS_CLUSTER_CENTERS, NULL);
    const double m[4] = {0, 1, 31.0 / 3, 33.5 / 3};
    for (int j = 0; j < 4; j++) ck_assert_near(c[j], m[j], 1e-13);
    double ss = 0;
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 2; j++)
            ss += (x[i * 2 + j] - m[want[i] * 2 + j]) * (x[i * 2 + j] - m[want[i] * 2 + j]);
    ck_assert_near(scalar(r, VS_CLUSTER_STAT_INERTIA), ss, 1e-12);
    /* SciPy's convention: a Ward merge of two points is at their Euclidean distance; the
     * closest pair is (10,12)-(11,11.5) at sqrt(1.25) and becomes cluster 5 */
    double *z = get_array(r, VS_CLUSTER_LINKAGE_MATRIX, NULL);
    ck_assert_near(z[0], 3, 0);
    ck_assert_near(z[1], 4, 0);
    ck_assert_near(z[2], sqrt(1.25), 1e-15);
    ck_assert_near(z[3], 2, 0);
    free(z);
    free(c);
    free(lab);
    vs_cluster_result_free(r);
    vs_cluster_free(opt);
}
END_TEST

/* ---- silhouette and ARI */

START_TEST(test_silhouette_sklearn) {
    dataset sets[2] = {load_data("blobs.txt"), load_data("embed.txt")};
    numbers r = load("silhouette.txt");
    vs_cluster *opt;
    ck_assert_ok(vs_cluster_create(&opt));
    while (r.pos < r.n) {
        int which = (int)next(&r), metric = (int)next(&r);
        double mean = next(&r);
        dataset *s = &sets[which == 1];
        size_t *lab = malloc(s->n * sizeof(size_t));
        memcpy(lab, s->truth, s->n * sizeof(size_t));
        if (which == 2) {
            for (size_t i = 0; i < s->n; i++) lab[i] = lab[i] * 1000 + 7;
            lab[17] = 123456789;
        }
        double *want = take(&r, s->n), *got = malloc(s->n * sizeof(double)), m = NAN;
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_METRIC, metric));
        for (int t = 1; t <= 2; t++) {
            size_t need = 0;
            ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_THREADS, t));
            ck_assert_ok(vs_cluster_silhouette(&m, &need, opt, s->x, s->n, s->d, lab, got, s->n));
            ck_assert_uint_eq(need, s->n);
            ck_assert_near(m, mean, 1e-9);
            for (size_t i = 0; i < s->n; i++) ck_assert_near(got[i], want[i], 1e-9);
        }
        if (which == 2) ck_assert_near(got[17], 0, 0); /* singleton cluster */
        double m2;
        ck_assert_ok(vs_cluster_silhouette(&m2, NULL, opt, s->x, s->n, s->d, lab, NULL, 0));
        ck_assert(m2 == m);
        free(got);
        free(lab);
    }
    /* NULL options = Euclidean */
    double m3, want3;
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_METRIC, 0));
    ck_assert_ok(vs_cluster_silhouette(&want3, NULL, opt, sets[0].x, 300, 5, sets[0].truth, NULL, 0));
    ck_assert_ok(vs_cluster_silhouette(&m3, NULL, NULL, sets[0].x, 300, 5, sets[0].truth, NULL, 0));
    ck_assert(m3 == want3);
    vs_cluster_free(opt);
    free(r.v);
    free_data(&sets[0]);
    free_data(&sets[1]);
}
END_TEST

START_TEST(test_adjusted_rand_sklearn) {
    numbers r = load("ari.txt");
    int cases = 0;
    while (r.pos < r.n) {
        size_t n = (size_t)next(&r);
        double want = next(&r);
        double *a = take(&r, n), *b = take(&r, n);
        size_t *la = malloc(n * sizeof(size_t)), *lb = malloc(n * sizeof(size_t));
        for (size_t i = 0; i < n; i++) {
            la[i] = (size_t)a[i];
            lb[i] = (size_t)b[i];
        }
        double got;
        ck_assert_ok(vs_cluster_adjusted_rand(&got, la, lb, n));
        ck_assert_near(got, want, 1e-12);
        ck_assert_ok(vs_cluster_adjusted_rand(&got, lb, la, n)); /* symmetric */
        ck_assert_near(got, want, 1e-12);
        free(la);
        free(lb);
        cases++;
    }
    ck_assert_int_eq(cases, 10);
    /* by hand: a = {0,0,1,2}, b = {0,0,1,1}: contingency [[2,0],[0,1],[0,1]]; sum C(nij,2) = 1,
     * rows: 1, columns: 1 + 1 = 2, C(4,2) = 6; expected 1*2/6 = 1/3, max (1+2)/2 = 1.5;
     * ARI = (1 - 1/3) / (1.5 - 1/3) = 4/7 */
    const size_t a[4] = {0, 0, 1, 2}, b[4] = {0, 0, 1, 1}, big[4] = {SIZE_MAX, SIZE_MAX, 5, 77};
    double v;
    ck_assert_ok(vs_cluster_adjusted_rand(&v, a, b, 4));
    ck_assert_near(v, 4.0 / 7.0, 1e-15);
    ck_assert_ok(vs_cluster_adjusted_rand(&v, big, b, 4)); /* any label values */
    ck_assert_near(v, 4.0 / 7.0, 1e-15);
    ck_assert_ok(vs_cluster_adjusted_rand(&v, a, b, 1)); /* one point: identical partitions */
    ck_assert_near(v, 1, 0);
    free(r.v);
}
END_TEST

/* ---- choosing k */

START_TEST(test_choose_k) {
    size_t n = 240, d = 3, truth[240];
    double *x = separated(n, d, 4, truth, 5);
    vs_cluster *opt;
    ck_assert_ok(vs_cluster_create(&opt));
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K_MIN, 2));
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K_MAX, 7));
    for (int method = 0; method < 2; method++) {
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_METHOD, method));
        vs_cluster_result *r, *r2;
        ck_assert_ok(vs_cluster_choose_k(&r, opt, x, n, d));
        ck_assert_near(scalar(r, VS_CLUSTER_STAT_K), 4, 0);
        ck_assert_near(scalar(r, VS_CLUSTER_STAT_K_MIN), 2, 0);
        size_t nk;
        double *ks = get_array(r, VS_CLUSTER_K_SCORES, &nk);
        ck_assert_uint_eq(nk, 6);
        for (size_t q = 0; q < nk; q++) ck_assert(ks[q] <= ks[2]);
        ck_assert(ks[2] == scalar(r, VS_CLUSTER_STAT_SILHOUETTE));
        /* the score of the chosen k is the silhouette of its labels */
        size_t *lab = get_labels(r);
        double m, ari;
        ck_assert_ok(vs_cluster_silhouette(&m, NULL, opt, x, n, d, lab, NULL, 0));
        ck_assert(m == ks[2]);
        ck_assert_ok(vs_cluster_adjusted_rand(&ari, lab, truth, n));
        ck_assert_near(ari, 1, 0);
        /* and equals vs_cluster_fit at that k */
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 4));
        ck_assert_ok(vs_cluster_fit(&r2, opt, x, n, d));
        assert_same_result(r, r2);
        ck_assert_status(vs_cluster_result_get(NULL, r2, VS_CLUSTER_K_SCORES, ks, nk), VS_EUNDEFINED);
        ck_assert(isnan(scalar(r2, VS_CLUSTER_STAT_SILHOUETTE)));
        /* threads do not change anything */
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_THREADS, 2));
        vs_cluster_result *r3;
        ck_assert_ok(vs_cluster_choose_k(&r3, opt, x, n, d));
        assert_same_result(r, r3);
        double *ks3 = get_array(r3, VS_CLUSTER_K_SCORES, NULL);
        ck_assert(memcmp(ks, ks3, nk * sizeof(double)) == 0);
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_THREADS, 1));
        free(ks3);
        free(ks);
        free(lab);
        vs_cluster_result_free(r);
        vs_cluster_result_free(r2);
        vs_cluster_result_free(r3);
    }
    /* duplicate points only: no k has a silhouette with k-means */
    double y[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    vs_cluster_result *r = (vs_cluster_result *)1;
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_METHOD, 0));
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K_MAX, 3));
    ck_assert_status(vs_cluster_choose_k(&r, opt, y, 8, 1), VS_EUNDEFINED);
    ck_assert_ptr_null(r);
    vs_cluster_free(opt);
    free(x);
}
END_TEST

/* ---- options and bad input */

START_TEST(test_options) {
    vs_cluster *opt;
    int64_t v;
    double dv, lo, hi;
    ck_assert_ok(vs_cluster_create(&opt));
    static const struct {
        int option;
        int64_t def;
    } defs[] = {{VS_CLUSTER_OPT_METHOD, VS_CLUSTER_KMEANS},
                {VS_CLUSTER_OPT_K, 2},
                {VS_CLUSTER_OPT_METRIC, 0},
                {VS_CLUSTER_OPT_LINKAGE, VS_CLUSTER_WARD},
                {VS_CLUSTER_OPT_SEED, 0},
                {VS_CLUSTER_OPT_N_INIT, 10},
                {VS_CLUSTER_OPT_MAX_ITER, 300},
                {VS_CLUSTER_OPT_THREADS, 1},
                {VS_CLUSTER_OPT_K_MIN, 2},
                {VS_CLUSTER_OPT_K_MAX, 10}};
    for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++) {
        ck_assert_ok(vs_cluster_get_int(&v, opt, defs[i].option));
        ck_assert_int_eq(v, defs[i].def);
        ck_assert_ok(vs_cluster_option_bounds(&lo, &hi, defs[i].option));
        ck_assert(lo <= (double)defs[i].def && (double)defs[i].def <= hi);
    }
    ck_assert_ok(vs_cluster_get_double(&dv, opt, VS_CLUSTER_OPT_TOL));
    ck_assert_near(dv, 1e-4, 0);
    ck_assert_status(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 0), VS_ERANGE);
    ck_assert_status(vs_cluster_set_int(opt, VS_CLUSTER_OPT_METRIC, 2), VS_ERANGE);
    ck_assert_status(vs_cluster_set_int(opt, VS_CLUSTER_OPT_TOL, 1), VS_EINVAL);
    ck_assert_status(vs_cluster_set_int(opt, 999, 1), VS_EINVAL);
    ck_assert_status(vs_cluster_set_double(opt, VS_CLUSTER_OPT_TOL, -1), VS_ERANGE);
    ck_assert_status(vs_cluster_set_double(opt, VS_CLUSTER_OPT_TOL, INFINITY), VS_ERANGE);
    ck_assert_status(vs_cluster_set_double(opt, VS_CLUSTER_OPT_TOL, NAN), VS_EINVAL);
    ck_assert_status(vs_cluster_set_double(opt, VS_CLUSTER_OPT_K, 3), VS_EINVAL);
    ck_assert_status(vs_cluster_get_double(&dv, opt, VS_CLUSTER_OPT_K), VS_EINVAL);
    ck_assert_status(vs_cluster_get_int(&v, opt, VS_CLUSTER_OPT_TOL), VS_EINVAL);
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_SEED, INT64_MIN));
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_SEED, INT64_MAX));
    ck_assert_ok(vs_cluster_set_str(opt, VS_CLUSTER_OPT_LINKAGE, "complete"));
    ck_assert_ok(vs_cluster_get_int(&v, opt, VS_CLUSTER_OPT_LINKAGE));
    ck_assert_int_eq(v, VS_CLUSTER_COMPLETE);
    ck_assert_ok(vs_cluster_set_str(opt, VS_CLUSTER_OPT_METHOD, "agglomerative"));
    ck_assert_ok(vs_cluster_set_str(opt, VS_CLUSTER_OPT_METRIC, "cosine"));
    ck_assert_status(vs_cluster_set_str(opt, VS_CLUSTER_OPT_LINKAGE, "single"), VS_ENOTFOUND);
    ck_assert_str_eq(vs_last_error(), "vs_cluster_set_str: unknown linkage 'single' (valid: ward, average, complete)");
    ck_assert_status(vs_cluster_set_str(opt, VS_CLUSTER_OPT_LINKAGE, "Ward"), VS_ENOTFOUND);
    ck_assert_status(vs_cluster_set_str(opt, VS_CLUSTER_OPT_K, "3"), VS_EINVAL);
    ck_assert_status(vs_cluster_set_str(opt, VS_CLUSTER_OPT_METRIC, NULL), VS_EINVAL);
    ck_assert_status(vs_cluster_option_bounds(&lo, &hi, 0), VS_EINVAL);
    ck_assert_status(vs_cluster_create(NULL), VS_EINVAL);
    ck_assert_status(vs_cluster_set_int(NULL, VS_CLUSTER_OPT_K, 2), VS_EINVAL);
    /* initial centres */
    const double c[4] = {0, 1, 2, 3}, bad[4] = {0, 1, INFINITY, 3};
    ck_assert_status(vs_cluster_set_init_centers(opt, bad, 2, 2), VS_EINVAL);
    ck_assert_msg(strstr(vs_last_error(), "row 2, column 1") != NULL, "%s", vs_last_error());
    ck_assert_status(vs_cluster_set_init_centers(opt, NULL, 2, 2), VS_EINVAL);
    ck_assert_status(vs_cluster_set_init_centers(opt, c, 0, 2), VS_ERANGE);
    ck_assert_ok(vs_cluster_set_init_centers(opt, c, 2, 2));
    ck_assert_ok(vs_cluster_set_init_centers(opt, NULL, 0, 0));
    ck_assert_ok(vs_cluster_set_init_centers(opt, c, 2, 2));
    vs_cluster_free(opt); /* frees the centres */
    vs_cluster_free(NULL);
    vs_cluster_result_free(NULL);
}
END_TEST

START_TEST(test_bad_input) {
    double x[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    const size_t lab[6] = {0, 0, 0, 1, 1, 1};
    size_t lb1[1];
    vs_cluster *opt;
    vs_cluster_result *r = (vs_cluster_result *)1;
    ck_assert_ok(vs_cluster_create(&opt));
    for (int method = 0; method < 2; method++) {
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_METHOD, method));
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 2));
        x[7] = NAN; /* row 4, column 2 */
        ck_assert_status(vs_cluster_fit(&r, opt, x, 6, 2), VS_EINVAL);
        ck_assert_ptr_null(r);
        ck_assert_msg(strstr(vs_last_error(), "row 4, column 2 is NaN") != NULL, "%s", vs_last_error());
        x[7] = -INFINITY;
        ck_assert_status(vs_cluster_fit(&r, opt, x, 6, 2), VS_EINVAL);
        ck_assert_msg(strstr(vs_last_error(), "row 4, column 2 is infinite") != NULL, "%s", vs_last_error());
        ck_assert_status(vs_cluster_choose_k(&r, opt, x, 6, 2), VS_EINVAL);
        x[7] = 7;
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 7));
        ck_assert_status(vs_cluster_fit(&r, opt, x, 6, 2), VS_ERANGE);
        ck_assert_ptr_null(r);
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 6)); /* k = n is allowed */
        ck_assert_ok(vs_cluster_fit(&r, opt, x, 6, 2));
        ck_assert_near(scalar(r, VS_CLUSTER_STAT_INERTIA), 0, 1e-12);
        vs_cluster_result_free(r);
        ck_assert_status(vs_cluster_fit(&r, opt, x, 6, 0), VS_ERANGE);
        ck_assert_status(vs_cluster_fit(&r, opt, x, 0, 2), VS_ERANGE);
        ck_assert_status(vs_cluster_fit(&r, NULL, x, 6, 2), VS_EINVAL);
        ck_assert_status(vs_cluster_fit(&r, opt, NULL, 6, 2), VS_EINVAL);
        ck_assert_status(vs_cluster_fit(NULL, opt, x, 6, 2), VS_EINVAL);
        /* cosine: a zero row has no direction */
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 2));
        ck_assert_ok(vs_cluster_set_str(opt, VS_CLUSTER_OPT_METRIC, "cosine"));
        double z[6] = {1, 2, 0, 0, 3, 1};
        ck_assert_status(vs_cluster_fit(&r, opt, z, 3, 2), VS_EUNDEFINED);
        ck_assert_msg(strstr(vs_last_error(), "row 2") != NULL, "%s", vs_last_error());
        const size_t lab3[3] = {0, 1, 1};
        ck_assert_status(vs_cluster_silhouette(NULL, NULL, opt, z, 3, 2, lab3, NULL, 0), VS_EUNDEFINED);
        ck_assert_msg(strstr(vs_last_error(), "row 2 is all zeros") != NULL, "%s", vs_last_error());
        ck_assert_ok(vs_cluster_set_str(opt, VS_CLUSTER_OPT_METRIC, "euclidean"));
        /* k range */
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K_MAX, 6));
        ck_assert_status(vs_cluster_choose_k(&r, opt, x, 6, 2), VS_ERANGE);
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K_MAX, 5));
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K_MIN, 6));
        ck_assert_status(vs_cluster_choose_k(&r, opt, x, 6, 2), VS_ERANGE);
        ck_assert_ptr_null(r);
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K_MIN, 2));
        ck_assert_ok(vs_cluster_choose_k(&r, opt, x, 6, 2));
        vs_cluster_result_free(r);
    }
    /* values whose squared distances could overflow */
    x[5] = -2e150;
    ck_assert_status(vs_cluster_fit(&r, opt, x, 6, 2), VS_ERANGE);
    ck_assert_msg(strstr(vs_last_error(), "row 3, column 2") != NULL, "%s", vs_last_error());
    ck_assert_status(vs_cluster_silhouette(NULL, NULL, opt, x, 6, 2, lab, NULL, 0), VS_ERANGE);
    x[5] = 1e150; /* the limit itself is accepted */
    ck_assert_ok(vs_cluster_fit(&r, opt, x, 6, 2));
    vs_cluster_result_free(r);
    x[5] = 5;
    /* one point, k = 1: label 0, the centre is the point, no merges */
    for (int method = 0; method < 2; method++) {
        const double one_pt[2] = {3, -4};
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_METHOD, method));
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 1));
        ck_assert_ok(vs_cluster_fit(&r, opt, one_pt, 1, 2));
        size_t nl;
        double cc[2];
        ck_assert_ok(vs_cluster_result_labels(&nl, r, lb1, 1));
        ck_assert_uint_eq(lb1[0], 0);
        ck_assert_ok(vs_cluster_result_get(NULL, r, VS_CLUSTER_CENTERS, cc, 2));
        ck_assert_near(cc[0], 3, 0);
        ck_assert_near(cc[1], -4, 0);
        if (method == 1) {
            ck_assert_ok(vs_cluster_result_get(&nl, r, VS_CLUSTER_LINKAGE_MATRIX, NULL, 0));
            ck_assert_uint_eq(nl, 0);
        }
        vs_cluster_result_free(r);
    }
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 2));
    /* initial centres of the wrong shape */
    const double c3[6] = {0, 0, 1, 1, 2, 2};
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_METHOD, 0));
    ck_assert_ok(vs_cluster_set_init_centers(opt, c3, 3, 2));
    ck_assert_status(vs_cluster_fit(&r, opt, x, 6, 2), VS_EMISMATCH);
    ck_assert_status(vs_cluster_fit(&r, opt, x, 4, 3), VS_EMISMATCH);
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 3));
    ck_assert_ok(vs_cluster_fit(&r, opt, x, 6, 2));
    vs_cluster_result_free(r);
    /* cosine with a zero initial centre */
    const double cz[6] = {0, 0, 1, 1, 2, 2};
    ck_assert_ok(vs_cluster_set_init_centers(opt, cz, 3, 2));
    ck_assert_ok(vs_cluster_set_str(opt, VS_CLUSTER_OPT_METRIC, "cosine"));
    x[0] = 0.5;
    ck_assert_status(vs_cluster_fit(&r, opt, x, 6, 2), VS_EUNDEFINED);
    ck_assert_msg(strstr(vs_last_error(), "initial centers: row 1") != NULL, "%s", vs_last_error());
    x[0] = 0;
    ck_assert_ok(vs_cluster_set_str(opt, VS_CLUSTER_OPT_METRIC, "euclidean"));
    /* silhouette */
    double s[6], m;
    size_t need = 0;
    const size_t one[6] = {3, 3, 3, 3, 3, 3}, all[6] = {0, 1, 2, 3, 4, 5};
    ck_assert_status(vs_cluster_silhouette(&m, NULL, NULL, x, 6, 2, one, NULL, 0), VS_EUNDEFINED);
    ck_assert_status(vs_cluster_silhouette(&m, NULL, NULL, x, 6, 2, all, NULL, 0), VS_EUNDEFINED);
    ck_assert_status(vs_cluster_silhouette(&m, &need, NULL, x, 6, 2, lab, s, 5), VS_EBUFSIZE);
    ck_assert_uint_eq(need, 6);
    ck_assert_status(vs_cluster_silhouette(&m, NULL, NULL, x, 6, 2, lab, NULL, 6), VS_EINVAL);
    ck_assert_status(vs_cluster_silhouette(&m, NULL, NULL, x, 1, 2, lab, NULL, 0), VS_ERANGE);
    ck_assert_status(vs_cluster_silhouette(&m, NULL, NULL, NULL, 6, 2, lab, NULL, 0), VS_EINVAL);
    x[3] = NAN;
    ck_assert_status(vs_cluster_silhouette(&m, NULL, NULL, x, 6, 2, lab, NULL, 0), VS_EINVAL);
    ck_assert_msg(strstr(vs_last_error(), "row 2, column 2") != NULL, "%s", vs_last_error());
    x[3] = 3;
    /* by hand: points 0..5 on a line (x = 2i, y = 2i + 1), clusters {0,1,2}, {3,4,5}. Point 0:
     * a = (d01 + d02) / 2 = (2.828427 + 5.656854) / 2, b = (d03 + d04 + d05) / 3 */
    ck_assert_ok(vs_cluster_silhouette(&m, NULL, NULL, x, 6, 2, lab, s, 6));
    double u = sqrt(8.0), a0 = (u + 2 * u) / 2, b0 = (3 * u + 4 * u + 5 * u) / 3;
    ck_assert_near(s[0], (b0 - a0) / b0, 1e-15);
    /* ARI */
    double v;
    ck_assert_status(vs_cluster_adjusted_rand(&v, lab, lab, 0), VS_ERANGE);
    ck_assert_status(vs_cluster_adjusted_rand(NULL, lab, lab, 6), VS_EINVAL);
    ck_assert_status(vs_cluster_adjusted_rand(&v, NULL, lab, 6), VS_EINVAL);
    /* result accessors */
    ck_assert_ok(vs_cluster_set_init_centers(opt, NULL, 0, 0));
    ck_assert_ok(vs_cluster_fit(&r, opt, x, 6, 2));
    size_t lb[6];
    double buf[6];
    ck_assert_status(vs_cluster_result_labels(&need, r, lb, 5), VS_EBUFSIZE);
    ck_assert_uint_eq(need, 6);
    ck_assert_status(vs_cluster_result_labels(&need, r, NULL, 6), VS_EINVAL);
    ck_assert_status(vs_cluster_result_labels(&need, NULL, lb, 6), VS_EINVAL);
    ck_assert_status(vs_cluster_result_get(&need, r, VS_CLUSTER_CENTERS, buf, 5), VS_EBUFSIZE);
    ck_assert_uint_eq(need, 6);
    ck_assert_status(vs_cluster_result_get(&need, r, VS_CLUSTER_LINKAGE_MATRIX, buf, 6), VS_EUNDEFINED);
    ck_assert_status(vs_cluster_result_get(&need, r, 99, buf, 6), VS_EINVAL);
    ck_assert_status(vs_cluster_result_scalar(&m, r, 99), VS_EINVAL);
    ck_assert_status(vs_cluster_result_scalar(NULL, r, VS_CLUSTER_STAT_K), VS_EINVAL);
    vs_cluster_result_free(r);
    vs_cluster_free(opt);
}
END_TEST

/* ---- threads: bit-identical results on a larger problem */

START_TEST(test_threads_bitwise) {
    size_t n = vs_test_under_valgrind() ? 600 : 3000, d = 17, truth[3000];
    double *x = separated(n, d, 9, truth, 3);
    for (size_t i = 0; i < n * d; i++) x[i] += 3.0 * sin((double)i); /* overlap: more iterations */
    vs_cluster *opt;
    ck_assert_ok(vs_cluster_create(&opt));
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 9));
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_N_INIT, 2));
    for (int metric = 0; metric < 2; metric++) {
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_METRIC, metric));
        vs_cluster_result *r[3];
        const int64_t threads[3] = {1, 2, 3};
        for (int t = 0; t < 3; t++) {
            ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_THREADS, threads[t]));
            ck_assert_ok(vs_cluster_fit(&r[t], opt, x, n, d));
        }
        assert_same_result(r[0], r[1]);
        assert_same_result(r[0], r[2]);
        size_t *lab = get_labels(r[0]);
        double s[3];
        for (int t = 0; t < 3; t++) {
            ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_THREADS, threads[t]));
            ck_assert_ok(vs_cluster_silhouette(&s[t], NULL, opt, x, n, d, lab, NULL, 0));
        }
        ck_assert(s[0] == s[1] && s[0] == s[2]);
        free(lab);
        for (int t = 0; t < 3; t++) vs_cluster_result_free(r[t]);
    }
    /* agglomerative (distance matrix split by rows) on the first 600 points */
    ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_METHOD, VS_CLUSTER_AGGLOMERATIVE));
    for (int link = 0; link < 3; link++) {
        vs_cluster_result *r[2];
        ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_LINKAGE, link));
        for (int t = 0; t < 2; t++) {
            ck_assert_ok(vs_cluster_set_int(opt, VS_CLUSTER_OPT_THREADS, t + 1));
            ck_assert_ok(vs_cluster_fit(&r[t], opt, x, 600, d));
        }
        assert_same_result(r[0], r[1]);
        size_t nz;
        double *z0 = get_array(r[0], VS_CLUSTER_LINKAGE_MATRIX, &nz),
               *z1 = get_array(r[1], VS_CLUSTER_LINKAGE_MATRIX, NULL);
        ck_assert(memcmp(z0, z1, nz * sizeof(double)) == 0);
        free(z0);
        free(z1);
        vs_cluster_result_free(r[0]);
        vs_cluster_result_free(r[1]);
    }
    vs_cluster_free(opt);
    free(x);
}
END_TEST

/* ---- allocation failures */

typedef int (*flow_fn)(const double *x, size_t n, size_t d);

static int flow_kmeans(const double *x, size_t n, size_t d) {
    vs_cluster *opt = NULL;
    vs_cluster_result *r = (vs_cluster_result *)1;
    int rc = vs_cluster_create(&opt);
    if (rc == VS_OK) rc = vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 3);
    if (rc == VS_OK) rc = vs_cluster_set_int(opt, VS_CLUSTER_OPT_N_INIT, 2);
    if (rc == VS_OK) rc = vs_cluster_set_int(opt, VS_CLUSTER_OPT_THREADS, 2);
    if (rc == VS_OK) {
        rc = vs_cluster_fit(&r, opt, x, n, d);
        if (rc != VS_OK) ck_assert_ptr_null(r);
    }
    if (rc == VS_OK) vs_cluster_result_free(r);
    vs_cluster_free(opt);
    return rc;
}

static int flow_kmeans_init_cosine(const double *x, size_t n, size_t d) {
    vs_cluster *opt = NULL;
    vs_cluster_result *r = (vs_cluster_result *)1;
    int rc = vs_cluster_create(&opt);
    if (rc == VS_OK) rc = vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 2);
    if (rc == VS_OK) rc = vs_cluster_set_int(opt, VS_CLUSTER_OPT_METRIC, VS_CLUSTER_COSINE);
    if (rc == VS_OK) rc = vs_cluster_set_init_centers(opt, x, 2, d);
    if (rc == VS_OK) {
        rc = vs_cluster_fit(&r, opt, x, n, d);
        if (rc != VS_OK) ck_assert_ptr_null(r);
    }
    if (rc == VS_OK) vs_cluster_result_free(r);
    vs_cluster_free(opt);
    return rc;
}

static int flow_agglo(const double *x, size_t n, size_t d) {
    vs_cluster *opt = NULL;
    vs_cluster_result *r = (vs_cluster_result *)1;
    int rc = vs_cluster_create(&opt);
    if (rc == VS_OK) rc = vs_cluster_set_int(opt, VS_CLUSTER_OPT_METHOD, VS_CLUSTER_AGGLOMERATIVE);
    if (rc == VS_OK) rc = vs_cluster_set_int(opt, VS_CLUSTER_OPT_METRIC, VS_CLUSTER_COSINE);
    if (rc == VS_OK) rc = vs_cluster_set_int(opt, VS_CLUSTER_OPT_K, 3);
    if (rc == VS_OK) {
        rc = vs_cluster_fit(&r, opt, x, n, d);
        if (rc != VS_OK) ck_assert_ptr_null(r);
    }
    if (rc == VS_OK) vs_cluster_result_free(r);
    vs_cluster_free(opt);
    return rc;
}

static int flow_choose(const double *x, size_t n, size_t d) {
    vs_cluster *opt = NULL;
    vs_cluster_result *r = (vs_cluster_result *)1;
    int rc = vs_cluster_create(&opt);
    if (rc == VS_OK) rc = vs_cluster_set_int(opt, VS_CLUSTER_OPT_K_MAX, 4);
    if (rc == VS_OK) rc = vs_cluster_set_int(opt, VS_CLUSTER_OPT_N_INIT, 1);
    for (int method = 0; method < 2 && rc == VS_OK; method++) {
        rc = vs_cluster_set_int(opt, VS_CLUSTER_OPT_METHOD, method);
        if (rc == VS_OK) {
            rc = vs_cluster_choose_k(&r, opt, x, n, d);
            if (rc != VS_OK) ck_assert_ptr_null(r);
        }
        if (rc == VS_OK) vs_cluster_result_free(r);
    }
    vs_cluster_free(opt);
    return rc;
}

static int flow_measures(const double *x, size_t n, size_t d) {
    size_t lab[40], big[40];
    double s[40], m, v;
    for (size_t i = 0; i < n; i++) {
        lab[i] = i % 3;
        big[i] = (i % 4) * 1000000007u;
    }
    int rc = vs_cluster_silhouette(&m, NULL, NULL, x, n, d, big, s, n);
    if (rc == VS_OK) rc = vs_cluster_adjusted_rand(&v, lab, big, n);
    return rc;
}

/* A flow of the sweep (testutil): each checks and frees its own outputs. */
typedef struct cluster_flow {
    flow_fn flow;
    const double *x;
    size_t n, d;
} cluster_flow;

static int run_cluster_flow(void *p) {
    cluster_flow *f = p;
    return f->flow(f->x, f->n, f->d);
}

START_TEST(test_alloc_failure) {
    size_t n = 40, d = 3, truth[40];
    double *x = separated(n, d, 3, truth, 2);
    flow_fn flows[] = {flow_kmeans, flow_kmeans_init_cosine, flow_agglo, flow_choose, flow_measures};
    const char *names[] = {"kmeans", "kmeans cosine init", "agglomerative", "choose k", "measures"};
    for (size_t f = 0; f < sizeof flows / sizeof flows[0]; f++) {
        cluster_flow cf = {flows[f], x, n, d};
        vs_test_sweep sw = {names[f], NULL, run_cluster_flow, NULL, &cf};
        vs_test_alloc_sweep(&sw);
    }
    free(x);
}
END_TEST

int main(void) {
    Suite *s = suite_create("cluster");
    TCase *ref = tcase_create("reference");
    tcase_set_timeout(ref, 120);
    tcase_add_test(ref, test_kmeans_sklearn);
    tcase_add_test(ref, test_kmeans_spherical);
    tcase_add_test(ref, test_kmeans_empty_cluster_by_hand);
    tcase_add_test(ref, test_agglomerative_sklearn);
    tcase_add_test(ref, test_agglomerative_centres);
    tcase_add_test(ref, test_silhouette_sklearn);
    tcase_add_test(ref, test_adjusted_rand_sklearn);
    suite_add_tcase(s, ref);
    TCase *api = tcase_create("api");
    tcase_set_timeout(api, 120);
    tcase_add_test(api, test_kmeans_plusplus);
    tcase_add_test(api, test_kmeans_restarts_keep_best);
    tcase_add_test(api, test_kmeans_identical_points);
    tcase_add_test(api, test_choose_k);
    tcase_add_test(api, test_options);
    tcase_add_test(api, test_bad_input);
    tcase_add_test(api, test_threads_bitwise);
    tcase_add_test(api, test_alloc_failure);
    suite_add_tcase(s, api);
    return vs_test_run(s);
}
