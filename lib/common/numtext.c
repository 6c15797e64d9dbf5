/* Numbers as text independent of the caller's LC_NUMERIC: parsing and shortest round-trip
 * formatting of doubles, decimal integers. */
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/internal.h"

/* The "C" locale object, made once. Hosts may set LC_NUMERIC to a locale with a decimal
 * comma; our files must not change with it. */
static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static void make_c_locale(void) { c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

static locale_t get_c_locale(void) {
    pthread_once(&c_locale_once, make_c_locale);
    return c_locale;
}

int vs__parse_double(double *out, const char *s, size_t len) {
    char tmp[128];
    if (len == 0 || len >= sizeof tmp) return VS_EPARSE;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    locale_t loc = get_c_locale();
    char *end = NULL;
    double v = loc ? strtod_l(tmp, &end, loc) : strtod(tmp, &end);
    if (end != tmp + len) return VS_EPARSE;
    *out = v;
    return VS_OK;
}

static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                  "8081828384858687888990919293949596979899";

/* Exactly 8 digits of v < 10^8 (leading zeros kept), in 32-bit arithmetic. */
static void put8(char *o, uint32_t v) {
    uint32_t hi = v / 10000, lo = v % 10000;
    memcpy(o, digit_pairs + 2 * (hi / 100), 2);
    memcpy(o + 2, digit_pairs + 2 * (hi % 100), 2);
    memcpy(o + 4, digit_pairs + 2 * (lo / 100), 2);
    memcpy(o + 6, digit_pairs + 2 * (lo % 100), 2);
}

/* The digits of v < 10^8 without leading zeros. */
static size_t put_short(char *o, uint32_t v) {
    if (v < 10) {
        o[0] = (char)('0' + v);
        return 1;
    }
    if (v < 100) {
        memcpy(o, digit_pairs + 2 * v, 2);
        return 2;
    }
    char tmp[8];
    put8(tmp, v);
    size_t skip = 0;
    while (skip < 7 && tmp[skip] == '0') skip++;
    memcpy(o, tmp + skip, 8 - skip);
    return 8 - skip;
}

size_t vs__format_u64(char *buf, uint64_t v) {
    /* blocks of 8 digits in 32-bit arithmetic (journal records are mostly 19-digit seeds) */
    if (v < 100000000u) return put_short(buf, (uint32_t)v);
    uint64_t high = v / 100000000u;
    uint32_t low = (uint32_t)(v % 100000000u);
    size_t n;
    if (high < 100000000u) {
        n = put_short(buf, (uint32_t)high);
    } else { /* v >= 10^16: at most 4 more digits in front */
        n = put_short(buf, (uint32_t)(high / 100000000u));
        put8(buf + n, (uint32_t)(high % 100000000u));
        n += 8;
    }
    put8(buf + n, low);
    return n + 8;
}

size_t vs__format_i64(char *buf, int64_t v) {
    if (v >= 0) return vs__format_u64(buf, (uint64_t)v);
    buf[0] = '-';
    return 1 + vs__format_u64(buf + 1, (uint64_t)0 - (uint64_t)v);
}

/* The fast path of vs__format_double: x = m / 10^k for an integer |m| < 10^15 found by trying
 * k = 0, 1, ...; m / 10^k (both exact doubles, so the quotient is correctly rounded) == x is
 * exactly "the decimal m * 10^-k reads back as x". Such a decimal has at most 15 significant
 * digits and lies within half an ulp of x, far less than half a unit of x's 15th digit, so it
 * is also what "%.15g" prints: the output is the slow path's, character for character. Only
 * for 1e-4 <= |x| < 1e15, where "%.15g" uses fixed notation. Returns 0 when it does not apply. */
static size_t format_short_decimal(char buf[32], double x) {
    static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
                                 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};
    double a = fabs(x);
    if (!(a >= 1e-4 && a < 1e15)) return 0;
    for (int k = 0; k <= 18; k++) {
        double m = nearbyint(a * p10[k]);
        if (m >= 1e15) return 0;
        if (m / p10[k] != a) continue;
        char digits[24];
        size_t nd = vs__format_u64(digits, (uint64_t)m), o = 0;
        if (x < 0) buf[o++] = '-';
        if ((size_t)k >= nd) { /* 0.000ddd */
            buf[o++] = '0';
            buf[o++] = '.';
            for (size_t z = nd; z < (size_t)k; z++) buf[o++] = '0';
            memcpy(buf + o, digits, nd);
            o += nd;
        } else {
            memcpy(buf + o, digits, nd - (size_t)k);
            o += nd - (size_t)k;
            if (k > 0) {
                buf[o++] = '.';
                memcpy(buf + o, digits + nd - (size_t)k, (size_t)k);
                o += (size_t)k;
            }
        }
        buf[o] = '\0';
        return o;
    }
    return 0;
}

static size_t put_literal(char buf[32], const char *text) {
    size_t n = strlen(text);
    memcpy(buf, text, n + 1);
    return n;
}

size_t vs__format_double(char buf[32], double x) {
    if (isnan(x)) return put_literal(buf, "nan");
    if (isinf(x)) return put_literal(buf, x > 0 ? "inf" : "-inf");
    if (x == 0.0) return put_literal(buf, signbit(x) ? "-0" : "0");
    if (fabs(x) < 1e15 && x == (double)(int64_t)x) { /* an integer: "%.15g" prints its digits */
        size_t k = vs__format_i64(buf, (int64_t)x);
        buf[k] = '\0';
        return k;
    }
    size_t n = format_short_decimal(buf, x);
    if (n) return n;
    locale_t loc = get_c_locale();
    locale_t old = loc ? uselocale(loc) : (locale_t)0;
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, x);
        if (strtod(buf, NULL) == x) break;
    }
    if (loc) uselocale(old);
    return strlen(buf);
}
