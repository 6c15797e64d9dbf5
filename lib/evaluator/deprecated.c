/* The former names of evaluator functions, kept exported for programs built against them (README,
 * "Deprecated names"): each returns what its new name returns. */
#include "valuespace/evaluator.h"

size_t vs_evaluator_active_buckets(const vs_evaluator *evaluator) {
    return vs_evaluator_active_bucket_count(evaluator);
}

size_t vs_evaluator_cv_folds(const vs_evaluator_cv *cv) {
    return vs_evaluator_cv_fold_count(cv);
}

size_t vs_evaluator_cv_size(const vs_evaluator_cv *cv) {
    return vs_evaluator_cv_dimension_count(cv);
}

size_t vs_evaluator_profile_group_size(const vs_evaluator_profile *profile, size_t j) {
    return vs_evaluator_profile_group_item_count(profile, j);
}

size_t vs_evaluator_profile_size(const vs_evaluator_profile *profile) {
    return vs_evaluator_profile_dimension_count(profile);
}

size_t vs_evaluator_size(const vs_evaluator *evaluator) {
    return vs_evaluator_dimension_count(evaluator);
}
