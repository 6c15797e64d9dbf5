/* The former names of fa functions, kept exported for programs built against them (README,
 * "Deprecated names"): each returns what its new name returns. */
#include "valuespace/fa.h"

size_t vs_fa_data_nvars(const vs_fa_data *data) {
    return vs_fa_data_variable_count(data);
}

size_t vs_fa_result_nfactors(const vs_fa_result *result) {
    return vs_fa_result_factor_count(result);
}

size_t vs_fa_result_nvars(const vs_fa_result *result) {
    return vs_fa_result_variable_count(result);
}
