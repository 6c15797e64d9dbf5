/* Atomic reference counts of shared handles (common/internal.h). */
#include "common/internal.h"

void vs__ref_init(vs_refcount *r) { __atomic_store_n(&r->count, 1, __ATOMIC_RELAXED); }

void vs__ref_inc(vs_refcount *r) { __atomic_add_fetch(&r->count, 1, __ATOMIC_RELAXED); }

int vs__ref_dec(vs_refcount *r) { return __atomic_sub_fetch(&r->count, 1, __ATOMIC_ACQ_REL) == 0; }
