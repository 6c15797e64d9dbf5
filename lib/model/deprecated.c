/* The former names of model functions, kept exported for programs built against them (README,
 * "Deprecated names"): each returns what its new name returns. */
#include "valuespace/model.h"

size_t vs_model_results_size(const vs_model_results *results) {
    return vs_model_results_item_count(results);
}
