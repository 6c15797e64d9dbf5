/* Hashed word n-gram features: FNV-1a 64 over the n-gram bytes, a seed mixed in with the
 * MurmurHash3 finaliser, bucket = hash mod n_buckets, sign = bit 63 (documented in text.h). */
#include <stdint.h>
#include <string.h>

#include "common/internal.h"
#include "common/sort.h"
#include "text/text_internal.h"

uint64_t vs_text_hash(const void *data, size_t len, uint64_t seed) {
    return vs__hash_finish(data ? vs__fnv1a64(VS__FNV_BASIS, data, len) : VS__FNV_BASIS, seed);
}

int vs__features_compute(vs__features *f, const vs_tokens *tokens, uint32_t flags, uint32_t max_n,
                         uint32_t n_buckets, uint64_t seed, const char *where) {
    f->n = 0;
    const size_t count = tokens->count;
    size_t total = 0; /* number of n-grams */
    for (size_t k = 1; k <= max_n && k <= count; k++) total += count - k + 1;
    if (total == 0) return VS_OK;
    int rc = vs__grow((void **)&f->keys, &f->keys_cap, total, sizeof *f->keys);
    if (rc) return vs__error_prefix(rc, "%s", where);
    /* key = bucket << 1 | negative: sorting the keys groups each bucket. The n-grams starting
     * at token i extend the FNV state of the shorter ones by " " and the next token. */
    const int sign = (flags & VS_TEXT_HASH_SIGNED) != 0;
    size_t m = 0;
    for (size_t i = 0; i < count; i++) {
        uint64_t h = VS__FNV_BASIS;
        for (size_t k = 0; k < max_n && i + k < count; k++) {
            const vs__token *t = &tokens->tok[i + k];
            if (k) h = vs__fnv1a64(h, " ", 1);
            h = vs__fnv1a64(h, tokens->text + t->text, t->text_len);
            uint64_t x = vs__hash_finish(h, seed);
            f->keys[m++] = (x % n_buckets) << 1 | (sign ? x >> 63 : 0);
        }
    }
    vs__sort_u64(f->keys, m);
    size_t distinct = 1;
    for (size_t i = 1; i < m; i++) distinct += (f->keys[i] >> 1) != (f->keys[i - 1] >> 1);
    if (distinct > f->cap) {
        uint32_t *ix = vs__realloc_array(f->index, distinct, sizeof *ix);
        if (!ix) return vs__nomem(where);
        f->index = ix;
        int64_t *ct = vs__realloc_array(f->count, distinct, sizeof *ct);
        if (!ct) return vs__nomem(where); /* f->cap still fits both arrays */
        f->count = ct;
        f->cap = distinct;
    }
    size_t n = 0;
    for (size_t i = 0; i < m;) {
        uint64_t bucket = f->keys[i] >> 1;
        int64_t sum = 0;
        for (; i < m && f->keys[i] >> 1 == bucket; i++) sum += (f->keys[i] & 1) ? -1 : 1;
        if (sum == 0) continue; /* only with signed hashing: the signs cancelled */
        f->index[n] = (uint32_t)bucket;
        f->count[n] = sum;
        n++;
    }
    f->n = n;
    return VS_OK;
}

void vs__features_release(vs__features *f) {
    vs__free(f->index);
    vs__free(f->count);
    vs__free(f->keys);
    memset(f, 0, sizeof *f);
}

static int check_args(uint32_t **out_index, int64_t **out_count, size_t *out_n, const void *input,
                      uint32_t flags, uint32_t max_n, uint32_t n_buckets, const char *where) {
    if (!out_index || !out_count || !out_n) return vs__error(VS_EINVAL, "%s: NULL output pointer", where);
    *out_index = NULL;
    *out_count = NULL;
    *out_n = 0;
    if (!input) return vs__error(VS_EINVAL, "%s: NULL input", where);
    const uint32_t known = VS__TEXT_NORM_FLAGS | VS_TEXT_HASH_SIGNED;
    if (flags & ~known) return vs__error(VS_EINVAL, "%s: unknown flags 0x%x", where, (unsigned)(flags & ~known));
    if (max_n < 1 || max_n > VS_TEXT_MAX_NGRAM)
        return vs__error(VS_EINVAL, "%s: max_n %u is not in 1..%d", where, (unsigned)max_n, VS_TEXT_MAX_NGRAM);
    if (n_buckets == 0) return vs__error(VS_EINVAL, "%s: n_buckets is 0", where);
    return VS_OK;
}

/* Hands the arrays of f to the caller (NULL when empty) and frees the rest. */
static int finish(uint32_t **out_index, int64_t **out_count, size_t *out_n, vs__features *f, int rc) {
    if (rc == VS_OK && f->n > 0) {
        *out_index = f->index;
        *out_count = f->count;
        *out_n = f->n;
        f->index = NULL;
        f->count = NULL;
    }
    vs__features_release(f);
    return rc;
}

int vs_tokens_features(uint32_t **out_index, int64_t **out_count, size_t *out_n, const vs_tokens *tokens,
                       uint32_t flags, uint32_t max_n, uint32_t n_buckets, uint64_t seed) {
    static const char where[] = "vs_tokens_features";
    int rc = check_args(out_index, out_count, out_n, tokens, flags, max_n, n_buckets, where);
    if (rc) return rc;
    vs__features f = {0};
    rc = vs__features_compute(&f, tokens, flags, max_n, n_buckets, seed, where);
    return finish(out_index, out_count, out_n, &f, rc);
}

int vs_text_features(uint32_t **out_index, int64_t **out_count, size_t *out_n, const char *text, size_t len,
                     uint32_t flags, uint32_t max_n, uint32_t n_buckets, uint64_t seed) {
    static const char where[] = "vs_text_features";
    int rc = check_args(out_index, out_count, out_n, text, flags, max_n, n_buckets, where);
    if (rc) return rc;
    if (len == VS_TEXT_NULTERM) len = strlen(text);
    if (len > (size_t)(PTRDIFF_MAX / 8)) return vs__error(VS_ELIMIT, "%s: text of %zu bytes is too long", where, len);
    vs_tokens tokens = {0};
    vs__features f = {0};
    rc = vs__tokens_fill(&tokens, text, len, flags & (uint32_t)VS__TEXT_NORM_FLAGS, where);
    if (rc == VS_OK) rc = vs__features_compute(&f, &tokens, flags, max_n, n_buckets, seed, where);
    vs__tokens_release(&tokens);
    return finish(out_index, out_count, out_n, &f, rc);
}
