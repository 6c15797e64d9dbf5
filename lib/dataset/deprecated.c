/* The former names of dataset functions, kept exported for programs built against them (README,
 * "Deprecated names"): each returns what its new name returns. */
#include "valuespace/dataset.h"

size_t vs_dataset_label_size(const vs_dataset *dataset, size_t set) {
    return vs_dataset_label_dimension_count(dataset, set);
}

size_t vs_dataset_source_size(const vs_dataset *dataset, size_t j) {
    return vs_dataset_source_record_count(dataset, j);
}
