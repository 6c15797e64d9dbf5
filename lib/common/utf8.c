/* The UTF-8 validator (the rule itself is vs__utf8_sequence in utf8.h). */
#include <string.h>

#include "common/utf8.h"

int vs__utf8_valid(const char *s, size_t len, size_t *bad_offset) {
    size_t i = 0;
    while (i < len) {
        uint64_t word;
        if (len - i >= 8 && (memcpy(&word, s + i, 8), (word & UINT64_C(0x8080808080808080)) == 0)) {
            i += 8; /* eight ASCII bytes at once */
            continue;
        }
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = vs__utf8_sequence(s + i, len - i);
        if (n == 0) {
            if (bad_offset) *bad_offset = i;
            return 0;
        }
        i += n;
    }
    return 1;
}
