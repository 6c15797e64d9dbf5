/* The global allocator hook. Every allocation of the library goes through vs__malloc /
 * vs__realloc_array / vs__free, so a host can account for, limit or fail allocations. */
#include <stdlib.h>
#include <string.h>

#include "common/internal.h"

static void *default_malloc(void *ud, size_t size) {
    (void)ud;
    return malloc(size);
}
static void *default_realloc(void *ud, void *p, size_t size) {
    (void)ud;
    return realloc(p, size);
}
static void default_free(void *ud, void *p) {
    (void)ud;
    free(p);
}

static vs_allocator current = {sizeof(vs_allocator), NULL, default_malloc, default_realloc, default_free};

int vs_set_allocator(const vs_allocator *a) {
    if (!a) {
        vs_allocator d = {sizeof(vs_allocator), NULL, default_malloc, default_realloc, default_free};
        current = d;
        return VS_OK;
    }
    if (a->struct_size < sizeof(vs_allocator))
        return vs__error(VS_EINVAL, "vs_set_allocator: struct_size %u is smaller than %zu",
                         (unsigned)a->struct_size, sizeof(vs_allocator));
    if (!a->malloc_fn || !a->realloc_fn || !a->free_fn)
        return vs__error(VS_EINVAL, "vs_set_allocator: every function pointer must be set");
    current = *a;
    current.struct_size = sizeof(vs_allocator);
    return VS_OK;
}

void *vs__malloc(size_t size) { return current.malloc_fn(current.user_data, size ? size : 1); }

void *vs__calloc(size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) return NULL;
    void *p = vs__malloc(n * size);
    if (p && n * size > 0) memset(p, 0, n * size);
    return p;
}

void *vs__realloc_array(void *ptr, size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) return NULL;
    size_t bytes = n * size;
    return current.realloc_fn(current.user_data, ptr, bytes ? bytes : 1);
}

void vs__free(void *ptr) {
    if (ptr) current.free_fn(current.user_data, ptr);
}

void vs_free(void *ptr) { vs__free(ptr); }

char *vs__strndup(const char *s, size_t len) {
    char *p = vs__malloc(len + 1);
    if (!p) return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *vs__strdup(const char *s) { return vs__strndup(s, strlen(s)); }

void *vs__memdup(const void *src, size_t size) {
    void *p = vs__malloc(size);
    if (p && size) memcpy(p, src, size);
    return p;
}

int vs__grow(void **array, size_t *cap, size_t need, size_t elem_size) {
    if (need <= *cap) return VS_OK;
    size_t next = *cap ? *cap : 8;
    while (next < need) {
        if (next > SIZE_MAX / 2) return vs__error(VS_ENOMEM, "array size overflow");
        next *= 2;
    }
    void *p = vs__realloc_array(*array, next, elem_size);
    if (!p) return vs__error(VS_ENOMEM, "out of memory growing an array to %zu elements", next);
    *array = p;
    *cap = next;
    return VS_OK;
}

void vs_allocator_init(vs_allocator *o) {
    if (!o) return;
    vs_allocator init = VS_ALLOCATOR_INIT;
    *o = init;
}
