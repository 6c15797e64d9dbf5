/* Fuzz target: a bank JSON document (vs_bank_load_json), then its saved form read again. */
#include <stdlib.h>
#include <string.h>
#include <valuespace.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    vs_bank *b = NULL;
    if (vs_bank_load_json(&b, (const char *)data, size, "fuzz.json", NULL) != VS_OK) return 0;
    char *json = NULL;
    if (vs_bank_save_json(&json, b) == VS_OK) {
        vs_bank *again = NULL;
        if (vs_bank_load_json(&again, json, strlen(json), "saved.json", vs_bank_space(b)) != VS_OK) abort();
        vs_fuzz_use(vs_bank_item_count(again));
        vs_bank_free(again);
        vs_free(json);
    }
    vs_bank_free(b);
    return 0;
}
