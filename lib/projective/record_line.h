/* One journal record as a JSON line, encoded by hand (the hot path of a journalled run). */
#ifndef VS_PROJECTIVE_RECORD_LINE_H
#define VS_PROJECTIVE_RECORD_LINE_H

#include <stddef.h>
#include <stdint.h>

#include "projective/bank_internal.h"

typedef struct vs__record_fields {
    const char *item, *prompt, *completion, *error; /* error: failed records only */
    const char *status; /* one of vs__runner_status_name()'s names (written without escaping) */
    uint64_t repeat, seed;
    uint32_t attempts;
    int64_t latency_us;
    int reverse;
    const uint32_t *dims; /* reported dimension indices */
    size_t n_dims;
    const double *judgements; /* n_dims (NaN: unrelated, written null), or NULL (failed record: []) */
    const double *probs;      /* classify judges: probs_per_dim per dimension, or NULL */
    uint32_t probs_per_dim;   /* 1: "p_high"; 3: "probabilities" [p_high, p_unrelated, p_low] */
    int first;                /* choice judge: "first" 1 "high", 2 "low"; 0 none */
    int has_lp;
    double lp_hi, lp_lo;
} vs__record_fields;

/* The five strings of a record in the order item, status, prompt, completion, error ("" when
 * f->error is NULL). */
void vs__record_line_strings(const char *str[5], const vs__record_fields *f);

/* Most bytes vs__record_line_write writes for a record of n_dims dimensions whose strings have
 * the lengths slen (SIZE_MAX when that does not fit in a size_t): 352 for keys, punctuation, the
 * integers and the two log-probabilities, 192 per dimension (index, judgement, up to three
 * probabilities), 6 per string byte (journal_writer.c
 * relies on this formula for its SHORT_TEXT bound). Inline: the writer asks it per record. */
static inline size_t vs__record_line_bound(size_t n_dims, const size_t slen[5]) {
    size_t need = 352;
    if (n_dims > (SIZE_MAX / 2 - need) / 192) return SIZE_MAX;
    need += n_dims * 192;
    for (int i = 0; i < 5; i++) {
        if (slen[i] > (SIZE_MAX / 2 - need) / 6) return SIZE_MAX;
        need += 6 * slen[i] + 2;
    }
    return need;
}

/* Writes the record's line (with its '\n') into dst, which has room for the bound; *written gets
 * its length. The key order and number text are the journal format's (projective.h). Every
 * string but the status is checked to be UTF-8: VS_OK or VS_EUTF8 (message set; dst's content unspecified). */
int vs__record_line_write(char *dst, size_t *written, const vs__record_fields *f, const size_t slen[5]);

#endif
