/* Fuzz target: a space JSON document (vs_space_load_json), then its saved form read again. */
#include <stdlib.h>
#include <string.h>
#include <valuespace.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    vs_space *sp = NULL;
    if (vs_space_load_json(&sp, (const char *)data, size, "fuzz.json") != VS_OK) return 0;
    char *json = NULL;
    if (vs_space_save_json(&json, sp) == VS_OK) {
        vs_space *again = NULL;
        if (vs_space_load_json(&again, json, strlen(json), "saved.json") != VS_OK) abort();
        vs_fuzz_use(vs_space_dimension_count(again));
        vs_space_free(again);
        vs_free(json);
    }
    vs_space_free(sp);
    return 0;
}
