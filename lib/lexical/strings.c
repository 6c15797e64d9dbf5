/* The string containers of the lexical module: growable lists of owned strings and
 * string -> index maps (open addressing over FNV-1a hashes). */
#include <string.h>

#include "common/random.h"
#include "lexical/lexical_internal.h"

int vs__strlist_push(vs__strlist *l, const char *s, size_t len) {
    int rc = vs__grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
    if (rc != VS_OK) return rc;
    char *c = vs__strndup(s, len);
    if (!c) return vs__nomem("lexical");
    l->v[l->n++] = c;
    return VS_OK;
}

void vs__strlist_clear(vs__strlist *l) {
    for (size_t i = 0; i < l->n; i++) vs__free(l->v[i]);
    vs__free(l->v);
    memset(l, 0, sizeof *l);
}

static uint64_t str_hash(const char *s) { return vs__hash_finish(vs__fnv1a64(VS__FNV_BASIS, s, strlen(s)), 0); }

size_t vs__strmap_find(const vs__strmap *m, char *const *strs, const char *s) {
    if (!m->cap) return SIZE_MAX;
    size_t i = (size_t)str_hash(s) & (m->cap - 1);
    while (m->slots[i]) {
        size_t idx = m->slots[i] - 1;
        if (strcmp(strs[idx], s) == 0) return idx;
        i = (i + 1) & (m->cap - 1);
    }
    return SIZE_MAX;
}

int vs__strmap_insert(vs__strmap *m, char *const *strs, size_t idx) {
    if (idx >= UINT32_MAX) return vs__error(VS_ELIMIT, "lexical: more than 2^32 - 1 strings");
    if (2 * (m->n + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 64;
        uint32_t *slots = vs__calloc(cap, sizeof *slots);
        if (!slots) return vs__nomem("lexical");
        for (size_t k = 0; k < m->cap; k++) {
            if (!m->slots[k]) continue;
            size_t i = (size_t)str_hash(strs[m->slots[k] - 1]) & (cap - 1);
            while (slots[i]) i = (i + 1) & (cap - 1);
            slots[i] = m->slots[k];
        }
        vs__free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    size_t i = (size_t)str_hash(strs[idx]) & (m->cap - 1);
    while (m->slots[i]) i = (i + 1) & (m->cap - 1);
    m->slots[i] = (uint32_t)(idx + 1);
    m->n++;
    return VS_OK;
}

void vs__strmap_clear(vs__strmap *m) {
    vs__free(m->slots);
    memset(m, 0, sizeof *m);
}
