/* Fuzz target: FULCRA JSONL (vs_dataset_read_fulcra), lenient or strict by the first byte; every
 * report entry and record is read back. */
#include <valuespace.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    uint32_t flags = (data[0] & 1) ? VS_DATASET_STRICT : 0;
    vs_dataset *ds = NULL;
    if (vs_dataset_read_fulcra(&ds, (const char *)data + 1, size - 1, "fuzz.jsonl", flags) != VS_OK) return 0;
    for (size_t k = 0; k < vs_dataset_skip_total(ds); k++)
        vs_fuzz_use(vs_dataset_skip_line(ds, k) + vs_dataset_skip_column(ds, k) +
                    (size_t)vs_dataset_skip_message(ds, k)[0] + (size_t)vs_dataset_skip_token(ds, k)[0]);
    double labels[64];
    size_t needed;
    for (size_t r = 0; r < vs_dataset_count(ds); r++)
        for (size_t s = 0; s < vs_dataset_label_set_count(ds); s++)
            if (vs_dataset_labels(&needed, ds, r, s, labels, 64) == VS_OK) vs_fuzz_use((size_t)(labels[0] > 0));
    vs_dataset_free(ds);
    return 0;
}
