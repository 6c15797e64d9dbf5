/* Agglomerative clustering: the condensed distance matrix, the nearest-neighbour chain
 * (Murtagh 1983; the variant of Mullner 2011 that prefers the previous chain element on ties)
 * with Lance-Williams updates for Ward, average and complete linkage, the SciPy-style sorted
 * linkage matrix, and cutting it into k clusters. */
#include <math.h>
#include <string.h>

#include "cluster/cluster_internal.h"
#include "common/sort.h"

/* Index of pair (i, j), i < j, in the condensed upper triangle of an n x n matrix. */
static size_t cidx(size_t n, size_t i, size_t j) {
    if (i > j) {
        size_t t = i;
        i = j;
        j = t;
    }
    return i * n - i * (i + 1) / 2 + (j - i - 1);
}

typedef struct dist_ctx {
    const vs__cl_points *p;
    double *D;
} dist_ctx;

static void dist_row_item(void *ctx, size_t i, size_t worker) {
    (void)worker;
    dist_ctx *c = ctx;
    size_t n = c->p->n;
    if (i + 1 < n) vs__cl_distances(c->p, i, i + 1, n, c->D + cidx(n, i, i + 1));
}

typedef struct merge {
    size_t a, b;
    double h;
    size_t pos; /* order in which the chain found it (stable sort key) */
} merge;

static int merge_cmp(const void *pa, const void *pb, void *ctx) {
    (void)ctx;
    const merge *a = pa, *b = pb;
    if (a->h < b->h) return -1;
    if (a->h > b->h) return 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static size_t uf_find(size_t *parent, size_t x) {
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

int vs__cl_linkage(double *Z, const vs_cluster *opt, const double *x, size_t n, size_t d) {
    static const char *where = "vs_cluster_fit";
    int cosine = opt->metric == VS_CLUSTER_COSINE, linkage = (int)opt->linkage, rc = VS_OK;
    if (n < 2) return VS_OK;
    size_t npairs = n * (n - 1) / 2; /* n - 1 fits the earlier limit check, so no overflow */
    double *unit = NULL, *D = vs__malloc(npairs * sizeof(double));
    double *size = vs__malloc(n * sizeof(double));
    size_t *chain = vs__malloc(n * sizeof(size_t)), *parent = vs__malloc((2 * n - 1) * sizeof(size_t));
    size_t *node = vs__malloc(n * sizeof(size_t));
    merge *mg = vs__malloc((n - 1) * sizeof(merge));
    vs__cl_points pts;
    memset(&pts, 0, sizeof pts);
    if (!D || !size || !chain || !parent || !node || !mg) {
        rc = vs__nomem(where);
        goto done;
    }
    /* Ward works on Euclidean distances; with cosine, of the unit rows */
    const double *rows = x;
    if (cosine) {
        unit = vs__malloc(n * d * sizeof(double));
        if (!unit) {
            rc = vs__nomem(where);
            goto done;
        }
        rc = vs__cl_unit_rows(where, "x", unit, x, n, d);
        if (rc != VS_OK) goto done;
        rows = unit;
    }
    rc = vs__cl_points_init(where, &pts, rows, n, d, cosine && linkage != VS_CLUSTER_WARD, 0);
    if (rc != VS_OK) goto done;
    {
        dist_ctx dc = {&pts, D};
        vs__cl_pool pool;
        vs__cl_pool_start(&pool, vs__cl_threads(opt, n, 0.5 * (double)n * (double)n * (double)d));
        vs__cl_parallel(&pool, n, &dc, dist_row_item);
        vs__cl_pool_stop(&pool);
    }

    /* nearest-neighbour chain; size[i] == 0 marks a cluster that no longer exists, the merged
     * cluster lives on at the larger index (as SciPy's nn_chain) */
    for (size_t i = 0; i < n; i++) size[i] = 1;
    size_t len = 0;
    for (size_t step = 0; step < n - 1; step++) {
        if (len == 0) {
            for (size_t i = 0; i < n; i++)
                if (size[i] > 0) {
                    chain[len++] = i;
                    break;
                }
        }
        size_t xa, ya = 0;
        double best;
        for (;;) {
            xa = chain[len - 1];
            if (len > 1) {
                ya = chain[len - 2];
                best = D[cidx(n, xa, ya)];
            } else {
                best = HUGE_VAL;
            }
            for (size_t i = 0; i < n; i++) {
                if (size[i] == 0 || i == xa) continue;
                double v = D[cidx(n, xa, i)];
                if (v < best) {
                    best = v;
                    ya = i;
                }
            }
            if (len > 1 && ya == chain[len - 2]) break;
            chain[len++] = ya;
        }
        len -= 2;
        if (xa > ya) {
            size_t t = xa;
            xa = ya;
            ya = t;
        }
        double nx = size[xa], ny = size[ya];
        mg[step].a = xa;
        mg[step].b = ya;
        mg[step].h = best;
        mg[step].pos = step;
        size[xa] = 0;
        size[ya] = nx + ny;
        for (size_t i = 0; i < n; i++) {
            double ni = size[i];
            if (ni == 0 || i == ya) continue;
            double dxi = D[cidx(n, i, xa)], dyi = D[cidx(n, i, ya)], nd;
            switch (linkage) {
            case VS_CLUSTER_WARD: {
                double t = 1.0 / (nx + ny + ni);
                double s = (ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi - ni * t * best * best;
                nd = sqrt(s > 0 ? s : 0); /* >= 0 in exact arithmetic; rounding must not give NaN */
                break;
            }
            case VS_CLUSTER_AVERAGE: nd = (nx * dxi + ny * dyi) / (nx + ny); break;
            default: nd = dxi > dyi ? dxi : dyi; break;
            }
            D[cidx(n, i, ya)] = nd;
        }
    }

    /* sort by height (stable), then name clusters as SciPy: merge m makes cluster n + m */
    vs__sort(mg, n - 1, sizeof(merge), merge_cmp, NULL);
    for (size_t i = 0; i < 2 * n - 1; i++) parent[i] = i;
    for (size_t i = 0; i < n; i++) node[i] = i; /* root point -> current cluster id */
    for (size_t m = 0; m < n - 1; m++) {
        size_t ra = uf_find(parent, mg[m].a), rb = uf_find(parent, mg[m].b);
        size_t ia = node[ra], ib = node[rb];
        Z[m * 4] = (double)(ia < ib ? ia : ib);
        Z[m * 4 + 1] = (double)(ia < ib ? ib : ia);
        Z[m * 4 + 2] = mg[m].h;
        parent[ra] = rb;
        node[rb] = n + m;
        Z[m * 4 + 3] = 0; /* sizes filled below */
    }
    /* sizes from the children */
    for (size_t m = 0; m < n - 1; m++) {
        size_t a = (size_t)Z[m * 4], b = (size_t)Z[m * 4 + 1];
        double sa = a < n ? 1 : Z[(a - n) * 4 + 3], sb = b < n ? 1 : Z[(b - n) * 4 + 3];
        Z[m * 4 + 3] = sa + sb;
    }

done:
    vs__cl_points_free(&pts);
    vs__free(unit);
    vs__free(D);
    vs__free(size);
    vs__free(chain);
    vs__free(parent);
    vs__free(node);
    vs__free(mg);
    return rc;
}

int vs__cl_cut(size_t *labels, const double *Z, size_t n, size_t k) {
    /* undo the k - 1 highest merges: apply the first n - k, then number the roots */
    size_t nodes = 2 * n - 1;
    size_t *parent = vs__malloc(nodes * sizeof(size_t)), *root = vs__malloc(nodes * sizeof(size_t));
    if (!parent || !root) {
        vs__free(parent);
        vs__free(root);
        return vs__nomem("vs_cluster_fit");
    }
    for (size_t i = 0; i < nodes; i++) parent[i] = i;
    for (size_t m = 0; m + k < n; m++) {
        parent[(size_t)Z[m * 4]] = n + m;
        parent[(size_t)Z[m * 4 + 1]] = n + m;
    }
    /* a node's parent was made later, so its root is known when walking down */
    for (size_t v = nodes; v-- > 0;) root[v] = parent[v] == v ? v : root[parent[v]];
    for (size_t v = 0; v < nodes; v++) parent[v] = SIZE_MAX; /* reused: root -> label */
    size_t next = 0;
    for (size_t i = 0; i < n; i++) {
        size_t r = root[i];
        if (parent[r] == SIZE_MAX) parent[r] = next++;
        labels[i] = parent[r];
    }
    vs__free(parent);
    vs__free(root);
    return VS_OK;
}
