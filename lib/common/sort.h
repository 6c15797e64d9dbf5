/* The library's one sort: used wherever an array is sorted, because the C library's qsort may
 * allocate outside the allocator hook (vs_set_allocator) and its order for equal keys is not
 * the same on every platform. */
#ifndef VS_COMMON_SORT_H
#define VS_COMMON_SORT_H

#include <stddef.h>
#include <stdint.h>

/* In-place heap sort of n elements of `size` bytes in ascending order of cmp (which gets ctx);
 * O(n log n) comparisons, allocates nothing. Not stable: a caller that needs a stable order
 * breaks ties in cmp (by index or address). */
void vs__sort(void *base, size_t n, size_t size, int (*cmp)(const void *a, const void *b, void *ctx), void *ctx);
/* The same sort of 64-bit keys in ascending order, without a comparison function (the same
 * algorithm, so the same result as vs__sort with an ascending comparison). */
void vs__sort_u64(uint64_t *a, size_t n);

#endif
