/* The former names of vector functions, kept exported for programs built against them (README,
 * "Deprecated names"): each returns what its new name returns. */
#include "valuespace/vector.h"

size_t vs_vector_size(const vs_vector *vector) {
    return vs_vector_dimension_count(vector);
}
