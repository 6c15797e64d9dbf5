/* The former names of space functions, kept exported for programs built against them (README,
 * "Deprecated names"): each returns what its new name returns. */
#include "valuespace/space.h"

size_t vs_space_level_size(const vs_space *space, size_t level) {
    return vs_space_level_dimension_count(space, level);
}
