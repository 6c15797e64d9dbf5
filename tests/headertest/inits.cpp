// Compiled as C++11 and C++17 with -pedantic -Werror: the *_INIT macros of the option structs
// initialise from C++ too.
#include "valuespace.h"

int vs_headertest_inits(void);
int vs_headertest_inits(void) {
    vs_dataset_options o = VS_DATASET_OPTIONS_INIT;
    vs_model_callbacks cb = VS_MODEL_CALLBACKS_INIT;
    vs_model_loglik_request q = VS_MODEL_LOGLIK_REQUEST_INIT;
    return (int)(o.struct_size + cb.struct_size + q.struct_size) > 0 ? 0 : 1;
}
