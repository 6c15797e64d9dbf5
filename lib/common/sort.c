/* The heap sort declared in common/sort.h. */
#include <stdint.h>
#include <string.h>

#include "common/sort.h"

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

static void sift_down(unsigned char *base, size_t root, size_t n, size_t size,
                      int (*cmp)(const void *, const void *, void *), void *ctx) {
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && cmp(base + (child + 1) * size, base + child * size, ctx) > 0) child++;
        if (cmp(base + root * size, base + child * size, ctx) >= 0) return;
        swap_bytes(base + root * size, base + child * size, size);
        root = child;
    }
}

void vs__sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *, void *), void *ctx) {
    unsigned char *b = base;
    if (n < 2) return;
    for (size_t i = n / 2; i-- > 0;) sift_down(b, i, n, size, cmp, ctx);
    for (size_t last = n - 1; last > 0; last--) {
        swap_bytes(b, b + last * size, size);
        sift_down(b, 0, last, size, cmp, ctx);
    }
}
