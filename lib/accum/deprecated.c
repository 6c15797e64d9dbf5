/* The former names of accum functions, kept exported for programs built against them (README,
 * "Deprecated names"): each returns what its new name returns. */
#include "valuespace/accum.h"

size_t vs_accum_dims(const vs_accum *acc) {
    return vs_accum_dimension_count(acc);
}

size_t vs_accum_replicates(const vs_accum *acc) {
    return vs_accum_replicate_count(acc);
}

uint64_t vs_accum_rows(const vs_accum *acc) {
    return vs_accum_row_count(acc);
}
