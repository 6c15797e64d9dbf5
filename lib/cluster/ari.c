/* Label bookkeeping: compacting arbitrary label values, and the adjusted Rand index
 * (Hubert & Arabie 1985) computed as scikit-learn 1.2's adjusted_rand_score, from the pair
 * confusion matrix in exact integer arithmetic. */
#include <string.h>

#include "cluster/cluster_internal.h"
#include "common/sort.h"

static int by_label(const void *pa, const void *pb, void *ctx) {
    const size_t *lab = ctx;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    if (lab[a] != lab[b]) return lab[a] < lab[b] ? -1 : 1;
    return a < b ? -1 : a > b;
}

int vs__cl_compact(const char *where, size_t *out, size_t *out_nl, const size_t *labels, size_t n) {
    size_t max = 0, nl = 0;
    for (size_t i = 0; i < n; i++)
        if (labels[i] > max) max = labels[i];
    if (max < n) { /* direct map */
        size_t *id = vs__malloc((n ? n : 1) * sizeof(size_t));
        if (!id) return vs__nomem(where);
        for (size_t i = 0; i < n; i++) id[i] = SIZE_MAX;
        for (size_t i = 0; i < n; i++) {
            if (id[labels[i]] == SIZE_MAX) id[labels[i]] = nl++;
            out[i] = id[labels[i]];
        }
        vs__free(id);
        *out_nl = nl;
        return VS_OK;
    }
    /* sort point indices by label, give each run a group, then number groups by first point */
    size_t *idx = vs__malloc(n * sizeof(size_t)), *grp = vs__malloc(n * sizeof(size_t));
    size_t *gid = vs__malloc(n * sizeof(size_t));
    if (!idx || !grp || !gid) {
        vs__free(idx);
        vs__free(grp);
        vs__free(gid);
        return vs__nomem(where);
    }
    for (size_t i = 0; i < n; i++) idx[i] = i;
    vs__sort(idx, n, sizeof(size_t), by_label, (void *)labels);
    size_t g = 0;
    for (size_t r = 0; r < n; r++) {
        if (r > 0 && labels[idx[r]] != labels[idx[r - 1]]) g++;
        grp[idx[r]] = g;
        gid[g] = SIZE_MAX;
    }
    for (size_t i = 0; i < n; i++) {
        if (gid[grp[i]] == SIZE_MAX) gid[grp[i]] = nl++;
        out[i] = gid[grp[i]];
    }
    vs__free(idx);
    vs__free(grp);
    vs__free(gid);
    *out_nl = nl;
    return VS_OK;
}

static int by_u64(const void *pa, const void *pb, void *ctx) {
    (void)ctx;
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

#if defined(__SIZEOF_INT128__)
typedef __int128 wide;
#else
typedef long double wide;
#endif

int vs_cluster_adjusted_rand(double *out, const size_t *a, const size_t *b, size_t n) {
    static const char *where = "vs_cluster_adjusted_rand";
    if (!out || !a || !b) return vs__error(VS_EINVAL, "%s: NULL argument", where);
    if (n == 0) return vs__error(VS_ERANGE, "%s: no points (n = 0)", where);
    if ((uint64_t)n > UINT32_MAX) return vs__error(VS_ELIMIT, "%s: n = %zu exceeds 2^32 - 1", where, n);
    size_t *ca = vs__malloc(n * sizeof(size_t)), *cb = vs__malloc(n * sizeof(size_t)), na = 0, nb = 0;
    uint64_t *key = vs__malloc(n * sizeof(uint64_t));
    uint64_t *cnt = vs__calloc(2 * n, sizeof(uint64_t));
    int rc = VS_OK;
    if (!ca || !cb || !key || !cnt) {
        rc = vs__nomem(where);
        goto done;
    }
    if ((rc = vs__cl_compact(where, ca, &na, a, n)) != VS_OK ||
        (rc = vs__cl_compact(where, cb, &nb, b, n)) != VS_OK)
        goto done;
    /* cluster sizes of each labelling, and the contingency counts from sorted pair keys */
    uint64_t *cnt_a = cnt, *cnt_b = cnt + n, sum_a = 0, sum_b = 0, sum_ab = 0, N = n;
    for (size_t i = 0; i < n; i++) {
        cnt_a[ca[i]]++;
        cnt_b[cb[i]]++;
        key[i] = (uint64_t)ca[i] * (uint64_t)nb + cb[i];
    }
    for (size_t i = 0; i < na; i++) sum_a += cnt_a[i] * cnt_a[i];
    for (size_t i = 0; i < nb; i++) sum_b += cnt_b[i] * cnt_b[i];
    vs__sort(key, n, sizeof(uint64_t), by_u64, NULL);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && key[j] == key[i]) j++;
        uint64_t c = j - i;
        sum_ab += c * c;
        i = j;
    }
    /* pair confusion matrix over ordered pairs: tp same/same, fp same in b only, fn same in a only */
    uint64_t tp = sum_ab - N, fp = sum_b - sum_ab, fn = sum_a - sum_ab;
    uint64_t tn = N * N - fp - fn - sum_ab;
    if (fn == 0 && fp == 0) {
        *out = 1.0;
    } else {
        wide num = (wide)tp * (wide)tn - (wide)fn * (wide)fp;
        wide den = (wide)(tp + fn) * (wide)(fn + tn) + (wide)(tp + fp) * (wide)(fp + tn);
        *out = (double)num * 2.0 / (double)den;
    }
done:
    vs__free(ca);
    vs__free(cb);
    vs__free(key);
    vs__free(cnt);
    return rc;
}
