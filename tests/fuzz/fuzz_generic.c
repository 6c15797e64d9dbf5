/* Fuzz target: the generic reader (vs_dataset_read), JSONL or CSV, lenient or strict, with or
 * without a prompt and a labels object, by the bits of the first byte. */
#include <valuespace.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    static vs_space *space;
    if (!space && vs_space_builtin(&space, "fulcra") != VS_OK) return 0;
    vs_dataset_options o = VS_DATASET_OPTIONS_INIT;
    o.space = space;
    o.level = data[0] & 0x10 ? 1 : 0;
    int csv = data[0] & 1;
    o.flags = (csv ? VS_DATASET_CSV : VS_DATASET_JSONL) | ((data[0] & 2) ? VS_DATASET_STRICT : 0);
    if (data[0] & 4) o.prompt_field = "prompt";
    if (!csv && (data[0] & 8)) o.labels_field = "labels";
    if (data[0] & 0x20) o.max_line_bytes = 64;
    vs_dataset *ds = NULL;
    if (vs_dataset_read(&ds, (const char *)data + 1, size - 1, "fuzz", &o) != VS_OK) return 0;
    for (size_t k = 0; k < vs_dataset_skip_total(ds); k++)
        vs_fuzz_use(vs_dataset_skip_column(ds, k) + (size_t)vs_dataset_skip_message(ds, k)[0]);
    for (size_t r = 0; r < vs_dataset_count(ds); r++) vs_fuzz_use((size_t)vs_dataset_text(ds, r)[0]);
    vs_dataset_free(ds);
    return 0;
}
