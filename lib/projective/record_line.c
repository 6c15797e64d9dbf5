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

static char *put_string(char *p, const char *s, size_t len) {
    *p++ = '"';
    p += vs__json_escape(p, s, len);
    *p++ = '"';
    return p;
}

static char *put_number(char *p, double x) {
    if (!isfinite(x)) return LIT(p, "null");
    char buf[32];
    vs__format_double(buf, x);
    size_t n = strlen(buf);
    memcpy(p, buf, n);
    return p + n;
}

void vs__record_line_strings(const char *str[5], const vs__record_fields *f) {
    str[0] = f->item;
    str[1] = f->status;
    str[2] = f->prompt;
    str[3] = f->completion;
    str[4] = f->error ? f->error : "";
}

size_t vs__record_line_bound(const vs__record_fields *f, const size_t slen[5]) {
    size_t need = 320; /* keys, punctuation, the integers and the two log-probabilities */
    if (f->n_dims > (SIZE_MAX / 2 - need) / 64) return SIZE_MAX;
    need += f->n_dims * 64;
    for (int i = 0; i < 5; i++) {
        if (slen[i] > (SIZE_MAX / 2 - need) / 6) return SIZE_MAX;
        need += 6 * slen[i] + 2;
    }
    return need;
}

int vs__record_line_write(char *dst, size_t *written, const vs__record_fields *f, const size_t slen[5]) {
    const char *str[5];
    vs__record_line_strings(str, f);
    for (int i = 0; i < 5; i++) {
        size_t bad = 0;
        if (!vs__json_utf8_valid(str[i], slen[i], &bad))
            return vs__error(VS_EUTF8, "journal record of item '%.100s': invalid UTF-8 at byte %zu of a string",
                             f->item, bad);
    }
    char *p = dst;
    p = LIT(p, "{\"item\":");
    p = put_string(p, str[0], slen[0]);
    p = LIT(p, ",\"repeat\":");
    p += vs__format_u64(p, f->repeat);
    p = LIT(p, ",\"seed\":\"");
    p += vs__format_u64(p, f->seed);
    p = LIT(p, "\",\"status\":");
    p = put_string(p, str[1], slen[1]);
    p = LIT(p, ",\"attempts\":");
    p += vs__format_u64(p, f->attempts);
    p = LIT(p, ",\"latency_us\":");
    p += vs__format_i64(p, f->latency_us);
    p = LIT(p, ",\"prompt\":");
    p = put_string(p, str[2], slen[2]);
    p = LIT(p, ",\"completion\":");
    p = put_string(p, str[3], slen[3]);
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
    if (f->has_lp) {
        p = LIT(p, ",\"logprob_high\":");
        p = put_number(p, f->lp_hi);
        p = LIT(p, ",\"logprob_low\":");
        p = put_number(p, f->lp_lo);
    }
    if (f->error) {
        p = LIT(p, ",\"error\":");
        p = put_string(p, str[4], slen[4]);
    }
    p = LIT(p, "}\n");
    *written = (size_t)(p - dst);
    return VS_OK;
}
