/* Hashed n-gram features of one item. The buckets are exactly those of vs_text_features()
 * (same tokens, same hash, same seed); instead of sorting the n-grams, a small open-addressing
 * set merges repeated buckets, so the cost is linear in the number of n-grams. Buckets come out
 * in order of first occurrence (prompt first), which fixes the order of every later sum. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "common/internal.h"
#include "common/random.h"
#include "evaluator/evaluator_internal.h"

void vs__ev_featurizer_release(vs__ev_featurizer *f) {
    vs__tokens_release(&f->tokens);
    vs__free(f->slot);
    vs__free(f->slot_pos);
    vs__free(f->idx);
    vs__free(f->val);
    vs__free(f->entry_slot);
    memset(f, 0, sizeof *f);
}

/* Makes room for `more` further distinct buckets (entries and a set at most half full). */
static int reserve(vs__ev_featurizer *f, size_t more, const char *where) {
    size_t need = f->n + more;
    if (need > f->cap) {
        size_t cap = f->cap;
        uint32_t *idx = f->idx;
        if (vs__grow((void **)&idx, &cap, need, sizeof *idx)) return vs__error_prefix(VS_ENOMEM, "%s", where);
        f->idx = idx;
        double *val = vs__realloc_array(f->val, cap, sizeof *val);
        if (!val) return vs__nomem(where); /* f->cap stays: both arrays hold at least f->cap */
        f->val = val;
        uint32_t *es = vs__realloc_array(f->entry_slot, cap, sizeof *es);
        if (!es) return vs__nomem(where);
        f->entry_slot = es;
        f->cap = cap;
    }
    if (need > SIZE_MAX / 4) return vs__error(VS_ELIMIT, "%s: too many n-grams", where);
    if (2 * need <= f->slot_cap) return VS_OK;
    size_t cap = f->slot_cap ? f->slot_cap : 64;
    while (cap < 2 * need) cap *= 2;
    uint32_t *slot = vs__calloc(cap, sizeof *slot);
    uint32_t *pos = vs__malloc(cap * sizeof *pos);
    if (!slot || !pos) {
        vs__free(slot);
        vs__free(pos);
        return vs__nomem(where);
    }
    for (size_t e = 0; e < f->n; e++) { /* re-insert the entries already there */
        size_t s = f->idx[e] & (cap - 1);
        while (slot[s]) s = (s + 1) & (cap - 1);
        slot[s] = f->idx[e] + 1;
        pos[s] = (uint32_t)e;
        f->entry_slot[e] = (uint32_t)s;
    }
    vs__free(f->slot);
    vs__free(f->slot_pos);
    f->slot = slot;
    f->slot_pos = pos;
    f->slot_cap = cap;
    return VS_OK;
}

static int add_text(vs__ev_featurizer *f, const vs__ev_options *opt, const char *text, uint64_t seed,
                    const char *role) {
    size_t len = strlen(text);
    if (len > (size_t)(PTRDIFF_MAX / 8)) return vs__error(VS_ELIMIT, "%s: text of %zu bytes is too long", role, len);
    int rc = vs__tokens_fill(&f->tokens, text, len, opt->text_flags, role);
    if (rc) return rc;
    const vs_tokens *t = &f->tokens;
    const size_t count = t->count, max_n = opt->max_ngram;
    size_t total = 0;
    for (size_t k = 1; k <= max_n && k <= count; k++) total += count - k + 1;
    if (total == 0) return VS_OK;
    if ((rc = reserve(f, total, role)) != VS_OK) return rc;
    const uint64_t mask = opt->buckets - 1;
    const size_t smask = f->slot_cap - 1;
    for (size_t i = 0; i < count; i++) {
        uint64_t h = VS__FNV_BASIS;
        for (size_t k = 0; k < max_n && i + k < count; k++) {
            const vs__token *tok = &t->tok[i + k];
            if (k) h = vs__fnv1a64(h, " ", 1);
            h = vs__fnv1a64(h, t->text + tok->text, tok->text_len);
            uint32_t bucket = (uint32_t)(vs__hash_finish(h, seed) & mask);
            size_t s = bucket & smask;
            for (;;) {
                uint32_t in = f->slot[s];
                if (in == bucket + 1) {
                    f->val[f->slot_pos[s]] += 1.0;
                    break;
                }
                if (in == 0) {
                    f->slot[s] = bucket + 1;
                    f->slot_pos[s] = (uint32_t)f->n;
                    f->entry_slot[f->n] = (uint32_t)s;
                    f->idx[f->n] = bucket;
                    f->val[f->n] = 1.0;
                    f->n++;
                    break;
                }
                s = (s + 1) & smask;
            }
        }
    }
    return VS_OK;
}

int vs__ev_featurize(vs__ev_featurizer *f, const vs__ev_options *opt, const char *prompt, const char *response,
                     size_t item, const char *where) {
    /* empty the set from the previous item */
    for (size_t e = 0; e < f->n; e++) f->slot[f->entry_slot[e]] = 0;
    f->n = 0;
    int rc = VS_OK;
    if (opt->input == VS_EVALUATOR_INPUT_BOTH && prompt && *prompt)
        rc = add_text(f, opt, prompt, opt->seed ^ VS__EV_PROMPT_SALT, "prompt");
    if (rc == VS_OK) rc = add_text(f, opt, response, opt->seed, "response");
    if (rc) {
        if (f->slot) memset(f->slot, 0, f->slot_cap * sizeof *f->slot);
        f->n = 0;
        return vs__error_prefix(rc, "%s: item %zu", where, item);
    }
    double ss = 0.0;
    for (size_t e = 0; e < f->n; e++) {
        double v = f->val[e];
        if (opt->weighting == VS_EVALUATOR_WEIGHT_BINARY)
            v = 1.0;
        else if (opt->weighting == VS_EVALUATOR_WEIGHT_LOG)
            v = 1.0 + log(v);
        f->val[e] = v;
        ss += v * v;
    }
    if (ss > 0.0) {
        double scale = 1.0 / sqrt(ss);
        for (size_t e = 0; e < f->n; e++) f->val[e] *= scale;
    }
    return VS_OK;
}

void vs__ev_csr_release(vs__ev_csr *x) {
    vs__free(x->start);
    vs__free(x->col);
    vs__free(x->val);
    memset(x, 0, sizeof *x);
}

int vs__ev_csr_build(vs__ev_csr *x, const vs__ev_options *opt, const char *const *prompts,
                     const char *const *responses, size_t n, const char *where) {
    memset(x, 0, sizeof *x);
    vs__ev_featurizer f;
    memset(&f, 0, sizeof f);
    size_t cap = 0, nnz = 0;
    int rc = VS_OK;
    x->start = vs__malloc((n + 1) * sizeof *x->start);
    if (!x->start) return vs__nomem(where);
    x->start[0] = 0;
    for (size_t i = 0; i < n && rc == VS_OK; i++) {
        rc = vs__ev_featurize(&f, opt, prompts ? prompts[i] : NULL, responses[i], i, where);
        if (rc) break;
        if (nnz + f.n > cap) {
            size_t c = cap;
            uint32_t *col = x->col;
            if ((rc = vs__grow((void **)&col, &c, nnz + f.n, sizeof *col)) != VS_OK) break;
            x->col = col;
            double *val = vs__realloc_array(x->val, c, sizeof *val);
            if (!val) {
                rc = vs__nomem(where);
                break;
            }
            x->val = val;
            cap = c;
        }
        memcpy(x->col + nnz, f.idx, f.n * sizeof *f.idx);
        memcpy(x->val + nnz, f.val, f.n * sizeof *f.val);
        nnz += f.n;
        x->start[i + 1] = nnz;
    }
    vs__ev_featurizer_release(&f);
    if (rc) {
        vs__ev_csr_release(x);
        return rc;
    }
    x->rows = n;
    return VS_OK;
}
