/* The heap sort declared in common/sort.h: one algorithm (sift-down heap sort), written once
 * below and instantiated twice, for any element through a comparison function and for 64-bit
 * keys compared directly (the n-gram features sort a few hundred keys per text; through the
 * comparison function that takes about 3x longer). */
#include <stdint.h>
#include <string.h>

#include "common/sort.h"

/* The algorithm, over LESS(i, j) (element i before element j) and SWAP(i, j) on indices of an
 * array of n elements. */
#define VS_SIFT_DOWN(root_, n_)                                   \
    do {                                                          \
        size_t r_ = (root_);                                      \
        for (;;) {                                                \
            size_t child = 2 * r_ + 1;                            \
            if (child >= (n_)) break;                             \
            if (child + 1 < (n_) && LESS(child, child + 1)) child++; \
            if (!LESS(r_, child)) break;                          \
            SWAP(r_, child);                                      \
            r_ = child;                                           \
        }                                                         \
    } while (0)
#define VS_HEAP_SORT(n_)                                                   \
    do {                                                                   \
        if ((n_) < 2) break;                                               \
        for (size_t i_ = (n_) / 2; i_-- > 0;) VS_SIFT_DOWN(i_, (n_));      \
        for (size_t last_ = (n_) - 1; last_ > 0; last_--) {               \
            SWAP(0, last_);                                                \
            VS_SIFT_DOWN(0, last_);                                        \
        }                                                                  \
    } while (0)

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size) {
    if (size == sizeof(uint64_t)) { /* the common case (doubles, 64-bit keys, pointers, size_t) */
        uint64_t t;
        memcpy(&t, a, sizeof t);
        memcpy(a, b, sizeof t);
        memcpy(b, &t, sizeof t);
        return;
    }
    while (size--) {
        unsigned char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

void vs__sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *, void *), void *ctx) {
    unsigned char *b = base;
#define LESS(i, j) (cmp(b + (i) * size, b + (j) * size, ctx) < 0)
#define SWAP(i, j) swap_bytes(b + (i) * size, b + (j) * size, size)
    VS_HEAP_SORT(n);
#undef LESS
#undef SWAP
}

void vs__sort_u64(uint64_t *a, size_t n) {
#define LESS(i, j) (a[i] < a[j])
#define SWAP(i, j)            \
    do {                      \
        uint64_t t_ = a[i];   \
        a[i] = a[j];          \
        a[j] = t_;            \
    } while (0)
    VS_HEAP_SORT(n);
#undef LESS
#undef SWAP
}
