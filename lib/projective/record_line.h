/* One journal record as a JSON line, encoded by hand (the hot path of a journalled run). */
#ifndef VS_PROJECTIVE_RECORD_LINE_H
#define VS_PROJECTIVE_RECORD_LINE_H

#include <stddef.h>
#include <stdint.h>

#include "projective/bank_internal.h"

typedef struct vs__record_fields {
    const char *item, *status, *prompt, *completion, *error; /* error: failed records only */
    uint64_t repeat, seed;
    uint32_t attempts;
    int64_t latency_us;
    int reverse;
    const uint32_t *dims; /* reported dimension indices */
    size_t n_dims;
    const double *judgements; /* n_dims, or NULL (failed record: []) */
    int has_lp;
    double lp_hi, lp_lo;
} vs__record_fields;

/* Appends the record's line (with its '\n') to buf[0..*len), growing it through the allocator.
 * The key order and number text are the journal format's (projective.h); every string is checked
 * to be UTF-8. Returns VS_OK, VS_EUTF8 or VS_ENOMEM (message set; buf unchanged but maybe grown). */
int vs__record_line_append(char **buf, size_t *len, size_t *cap, const vs__record_fields *f);

#endif
