/* Fuzz target: accumulator blobs (vs_accum_deserialize) and merging them (vs_accum_merge). The
 * first two bytes give the length of the first blob; the rest is the second. */
#include <stdlib.h>
#include <valuespace.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    size_t n1 = ((size_t)data[0] << 8 | data[1]);
    data += 2;
    size -= 2;
    if (n1 > size) n1 = size;
    vs_accum *a = NULL, *b = NULL;
    int ra = vs_accum_deserialize(&a, data, n1);
    int rb = vs_accum_deserialize(&b, data + n1, size - n1);
    if (ra == VS_OK && rb == VS_OK && vs_accum_merge(a, b) == VS_OK) {
        size_t needed = 0;
        if (vs_accum_serialize(&needed, a, NULL, 0) == VS_EBUFSIZE && needed) {
            unsigned char *buf = malloc(needed);
            if (buf && vs_accum_serialize(&needed, a, buf, needed) == VS_OK) {
                vs_accum *c = NULL;
                if (vs_accum_deserialize(&c, buf, needed) != VS_OK) abort();
                vs_accum_free(c);
            }
            free(buf);
        }
    }
    vs_fuzz_use(vs_accum_dimension_count(a) + vs_accum_dimension_count(b));
    vs_accum_free(a);
    vs_accum_free(b);
    return 0;
}
