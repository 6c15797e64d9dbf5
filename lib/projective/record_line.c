/* One journal record as a JSON line, written straight into a buffer sized by a bound: no writer
 * state, no allocation, integers without printf, escaped strings in one pass.
 * It writes exactly what the generic JSON writer would (same keys, order and number text); the
 * journal reader and the resume tests check the format. */
#include <math.h>
#include <string.h>

#include "common/internal.h"
#include "io/json.h"
#include "projective/record_line.h"

#define LIT(p, s) (memcpy((p), (s), sizeof(s) - 1), (p) + sizeof(s) - 1)

/* The quoted escape of s; NULL (message set) if s is not UTF-8. */
static char *put_string(char *p, const char *s, size_t len, const vs__record_fields *f) {
    size_t n = 0, bad = 0;
    *p++ = '"';
    if (!vs__json_escape_valid(p, s, len, &n, &bad)) {
        vs__error(VS_EUTF8, "journal record of item '%.100s': invalid UTF-8 at byte %zu of a string", f->item, bad);
        return NULL;
    }
    p += n;
    *p++ = '"';
    return p;
}

static char *put_number(char *p, double x) {
    if (!isfinite(x)) return LIT(p, "null");
    return p + vs__format_double(p, x); /* the bound leaves it its 32 bytes */
}

void vs__record_line_strings(const char *str[5], const vs__record_fields *f) {
    str[0] = f->item;
    str[1] = f->status;
    str[2] = f->prompt;
    str[3] = f->completion;
    str[4] = f->error ? f->error : "";
}

int vs__record_line_write(char *dst, size_t *written, const vs__record_fields *f, const size_t slen[5]) {
    const char *str[5];
    vs__record_line_strings(str, f);
    char *p = dst;
    p = LIT(p, "{\"item\":");
    if (!(p = put_string(p, str[0], slen[0], f))) return VS_EUTF8;
    p = LIT(p, ",\"repeat\":");
    p += vs__format_u64(p, f->repeat);
    p = LIT(p, ",\"seed\":\"");
    p += vs__format_u64(p, f->seed);
    p = LIT(p, "\",\"status\":\""); /* a status name: plain ASCII, nothing to escape */
    memcpy(p, str[1], slen[1]);
    p += slen[1];
    *p++ = '"';
    p = LIT(p, ",\"attempts\":");
    p += vs__format_u64(p, f->attempts);
    p = LIT(p, ",\"latency_us\":");
    p += vs__format_i64(p, f->latency_us);
    p = LIT(p, ",\"prompt\":");
    if (!(p = put_string(p, str[2], slen[2], f))) return VS_EUTF8;
    p = LIT(p, ",\"completion\":");
    if (!(p = put_string(p, str[3], slen[3], f))) return VS_EUTF8;
    p = f->reverse ? LIT(p, ",\"reverse\":true,\"dims\":[") : LIT(p, ",\"reverse\":false,\"dims\":[");
    for (size_t q = 0; q < f->n_dims; q++) {
        if (q) *p++ = ',';
        p += vs__format_u64(p, f->dims[q]);
    }
    p = LIT(p, "],\"judgements\":[");
    for (size_t q = 0; f->judgements && q < f->n_dims; q++) {
        double j = f->judgements[q];
        if (q) *p++ = ',';
        if (j == 0.0 || j == 1.0) *p++ = j == 1.0 ? '1' : '0'; /* also -0.0 -> "0", as the writer's int */
        else p = put_number(p, j);
    }
    *p++ = ']';
    if (f->probs && f->probs_per_dim == 1) {
        p = LIT(p, ",\"p_high\":[");
        for (size_t q = 0; q < f->n_dims; q++) {
            if (q) *p++ = ',';
            p = put_number(p, f->probs[q]);
        }
        *p++ = ']';
    } else if (f->probs && f->probs_per_dim == 3) {
        p = LIT(p, ",\"probabilities\":[");
        for (size_t q = 0; q < f->n_dims; q++) {
            if (q) *p++ = ',';
            *p++ = '[';
            for (size_t c = 0; c < 3; c++) {
                if (c) *p++ = ',';
                p = put_number(p, f->probs[3 * q + c]);
            }
            *p++ = ']';
        }
        *p++ = ']';
    }
    if (f->first) p = f->first == 1 ? LIT(p, ",\"first\":\"high\"") : LIT(p, ",\"first\":\"low\"");
    if (f->has_lp) {
        p = LIT(p, ",\"logprob_high\":");
        p = put_number(p, f->lp_hi);
        p = LIT(p, ",\"logprob_low\":");
        p = put_number(p, f->lp_lo);
    }
    if (f->error) {
        p = LIT(p, ",\"error\":");
        if (!(p = put_string(p, str[4], slen[4], f))) return VS_EUTF8;
    }
    p = LIT(p, "}\n");
    *written = (size_t)(p - dst);
    return VS_OK;
}
