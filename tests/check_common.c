/* Common API: status codes, messages, version, the allocator hook, number text. */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

#include "common/internal.h"
#include "common/random.h"
#include "common/sort.h"
#include "testutil.h"

START_TEST(status_codes_are_frozen) {
    /* The numeric values are ABI: they must never change. */
    ck_assert_int_eq(VS_OK, 0);
    ck_assert_int_eq(VS_EINVAL, -1);
    ck_assert_int_eq(VS_ENOMEM, -2);
    ck_assert_int_eq(VS_ERANGE, -3);
    ck_assert_int_eq(VS_ENOTFOUND, -4);
    ck_assert_int_eq(VS_EPARSE, -5);
    ck_assert_int_eq(VS_EIO, -6);
    ck_assert_int_eq(VS_EUTF8, -7);
    ck_assert_int_eq(VS_EDUPLICATE, -8);
    ck_assert_int_eq(VS_ESTATE, -9);
    ck_assert_int_eq(VS_EMISMATCH, -10);
    ck_assert_int_eq(VS_ECALLBACK, -11);
    ck_assert_int_eq(VS_ECANCELED, -12);
    ck_assert_int_eq(VS_ENUMERIC, -13);
    ck_assert_int_eq(VS_ELIMIT, -14);
    ck_assert_int_eq(VS_ECYCLE, -15);
    ck_assert_int_eq(VS_EVERSION, -16);
    ck_assert_int_eq(VS_ECORRUPT, -17);
    ck_assert_int_eq(VS_EBUFSIZE, -18);
    ck_assert_int_eq(VS_EUNDEFINED, -19);
}
END_TEST

START_TEST(strerror_and_names) {
    ck_assert_str_eq(vs_strerror(VS_OK), "success");
    ck_assert_str_eq(vs_strerror(VS_ENOMEM), "out of memory");
    ck_assert_str_eq(vs_status_name(VS_EUTF8), "VS_EUTF8");
    ck_assert_str_eq(vs_status_name(VS_EUNDEFINED), "VS_EUNDEFINED");
    /* Unknown codes still give static, non-NULL text. */
    ck_assert_str_eq(vs_strerror(-12345), "unknown status code");
    ck_assert_str_eq(vs_strerror(7), "unknown status code");
    ck_assert_str_eq(vs_status_name(-12345), "VS_UNKNOWN");
    /* Every code from VS_OK to the last has a distinct name and text. */
    for (int a = 0; a >= VS_EUNDEFINED; a--)
        for (int b = a - 1; b >= VS_EUNDEFINED; b--) {
            ck_assert_str_ne(vs_status_name(a), vs_status_name(b));
            ck_assert_str_ne(vs_strerror(a), vs_strerror(b));
        }
}
END_TEST

START_TEST(version_matches_headers) {
    ck_assert_uint_eq(vs_version(), VS_VERSION_NUMBER);
    ck_assert_str_eq(vs_version_string(), VS_VERSION_STRING);
    ck_assert(VS_CHECK_VERSION());
    ck_assert_uint_eq(VS_VERSION_NUMBER, VS_VERSION_MAJOR * 10000u + VS_VERSION_MINOR * 100u + VS_VERSION_PATCH);
}
END_TEST

static void *set_error_in_thread(void *arg) {
    (void)arg;
    vs__error(VS_EIO, "thread-specific failure");
    return (void *)vs_last_error();
}

START_TEST(last_error_is_thread_local) {
    ck_assert_int_eq(vs__error(VS_EINVAL, "main thread: %d", 42), VS_EINVAL);
    ck_assert_str_eq(vs_last_error(), "main thread: 42");
    pthread_t t;
    void *other = NULL;
    ck_assert_int_eq(pthread_create(&t, NULL, set_error_in_thread, NULL), 0);
    ck_assert_int_eq(pthread_join(t, &other), 0);
    ck_assert_str_eq(vs_last_error(), "main thread: 42");
    ck_assert_ptr_ne(other, vs_last_error());
    ck_assert_int_eq(vs__error_prefix(VS_EPARSE, "file.json:%d:%d", 3, 7), VS_EPARSE);
    ck_assert_str_eq(vs_last_error(), "file.json:3:7: main thread: 42");
}
END_TEST

START_TEST(allocator_hook_validation) {
    vs_allocator a = VS_ALLOCATOR_INIT;
    ck_assert_status(vs_set_allocator(&a), VS_EINVAL); /* NULL functions */
    vs_test_alloc_install();
    void *p = vs__malloc(10);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(vs_test_alloc_outstanding(), 1);
    vs_free(p);
    ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
    vs_test_alloc_fail_at(1);
    ck_assert_ptr_null(vs__malloc(10));
    ck_assert(vs_test_alloc_failed());
    /* overflow is refused without calling the allocator */
    vs_test_alloc_fail_at(0);
    ck_assert_ptr_null(vs__calloc(SIZE_MAX / 2, 4));
    ck_assert_int_eq(vs_test_alloc_count(), 0);
    vs_test_alloc_uninstall();
    vs_allocator small = VS_ALLOCATOR_INIT;
    small.struct_size = 4;
    ck_assert_status(vs_set_allocator(&small), VS_EINVAL);
    vs_free(NULL);
}
END_TEST

START_TEST(grow_keeps_contents) {
    int *arr = NULL;
    size_t cap = 0;
    for (int i = 0; i < 1000; i++) {
        ck_assert_ok(vs__grow((void **)&arr, &cap, (size_t)i + 1, sizeof *arr));
        arr[i] = i;
    }
    ck_assert_uint_ge(cap, 1000);
    for (int i = 0; i < 1000; i++) ck_assert_int_eq(arr[i], i);
    vs__free(arr);
}
END_TEST

START_TEST(numbers_are_locale_independent) {
    double x = 0;
    char buf[32];
    /* A decimal-comma locale, if this machine has one, must not change our number text. */
    const char *loc = setlocale(LC_NUMERIC, "de_DE.UTF-8");
    ck_assert_ok(vs__parse_double(&x, "0.25", 4));
    ck_assert(x == 0.25);
    vs__format_double(buf, 0.1);
    ck_assert_str_eq(buf, "0.1");
    vs__format_double(buf, 1.0 / 3.0);
    ck_assert_str_eq(buf, "0.3333333333333333");
    ck_assert_ok(vs__parse_double(&x, buf, strlen(buf)));
    ck_assert(x == 1.0 / 3.0);
    vs__format_double(buf, -2.5e-300);
    ck_assert_str_eq(buf, "-2.5e-300");
    vs__format_double(buf, 1.0 / 0.0);
    ck_assert_str_eq(buf, "inf");
    ck_assert_int_eq(vs__parse_double(&x, "1,5", 3), VS_EPARSE);
    ck_assert_int_eq(vs__parse_double(&x, "12abc", 5), VS_EPARSE);
    ck_assert_int_eq(vs__parse_double(&x, "", 0), VS_EPARSE);
    if (loc) setlocale(LC_NUMERIC, "C");
}
END_TEST

/* The reference: the shortest of "%.15g", "%.16g", "%.17g" that reads back (C locale). */
static void reference_format(char buf[32], double x) {
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, x);
        if (strtod(buf, NULL) == x) break;
    }
}

/* vs__format_double has a fast path for short decimals; it must print exactly what the
 * printf-based reference prints, for short decimals, their neighbours and arbitrary doubles. */
START_TEST(format_double_matches_printf) {
    static const double fixed[] = {1e-4, 0.0001000000000000001, 9.99999999999999e14, 1e15, 999999999999999.0,
                                   0.5, 0.1 + 0.2, 100, 123456789012345.0, 1234567890123456.0, 0.000123,
                                   2.675, -3.25, 1.0 / 3.0, 4503599627370496.5, 0.30000000000000004};
    char got[32], want[32];
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        for (int sign = -1; sign <= 1; sign += 2) {
            double x = sign * fixed[i];
            vs__format_double(got, x);
            reference_format(want, x);
            ck_assert_msg(strcmp(got, want) == 0, "%.17g: got %s, want %s", x, got, want);
        }
    vs__format_double(got, 0.0);
    ck_assert_str_eq(got, "0");
    vs__format_double(got, -0.0);
    ck_assert_str_eq(got, "-0");
    uint64_t st = 12345;
    const int draws = vs_test_under_valgrind() ? 20000 : 200000; /* each a printf reference */
    for (int i = 0; i < draws; i++) {
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        uint64_t r = st >> 11;
        double x;
        switch (i % 4) {
        case 0: /* a short decimal: up to 6 digits, up to 7 decimals */
            x = (double)(r % 1000000) / (double)(1ULL << 0) / pow(10.0, (double)(r % 8));
            break;
        case 1: /* a random double in a wide range */
            x = ldexp((double)r, (int)(r % 120) - 100 - 53);
            break;
        case 2: /* a neighbour of a short decimal */
            x = nextafter((double)(r % 100000) / 1000.0, r & 1 ? 1e300 : -1e300);
            break;
        default: /* a log-probability-like value */
            x = -(double)(r % 100000) / 997.0;
            break;
        }
        if (r & 2) x = -x;
        ck_assert_uint_eq(vs__format_double(got, x), strlen(got)); /* the length it returns */
        reference_format(want, x);
        ck_assert_msg(strcmp(got, want) == 0, "%.17g: got %s, want %s", x, got, want);
    }
    ck_assert_uint_eq(vs__format_double(got, -1.0 / 0.0), 4);
    ck_assert_str_eq(got, "-inf");
}
END_TEST

START_TEST(format_integers) {
    char buf[24];
    buf[vs__format_u64(buf, 0)] = '\0';
    ck_assert_str_eq(buf, "0");
    buf[vs__format_u64(buf, UINT64_MAX)] = '\0';
    ck_assert_str_eq(buf, "18446744073709551615");
    buf[vs__format_i64(buf, INT64_MIN)] = '\0';
    ck_assert_str_eq(buf, "-9223372036854775808");
    buf[vs__format_i64(buf, -7)] = '\0';
    ck_assert_str_eq(buf, "-7");
    buf[vs__format_i64(buf, 1234567890)] = '\0';
    ck_assert_str_eq(buf, "1234567890");
    /* every length and both parities of digit count, against printf */
    uint64_t v = 1;
    for (int k = 0; k < 64; k++, v = v * 3 + (uint64_t)k) {
        char want[24];
        snprintf(want, sizeof want, "%llu", (unsigned long long)v);
        buf[vs__format_u64(buf, v)] = '\0';
        ck_assert_str_eq(buf, want);
    }
    for (uint64_t p = 1, d = 0; d < 19; d++, p *= 10) {
        char want[24];
        snprintf(want, sizeof want, "%llu", (unsigned long long)(p - 1));
        buf[vs__format_u64(buf, p - 1)] = '\0';
        ck_assert_str_eq(buf, want);
        snprintf(want, sizeof want, "%llu", (unsigned long long)p);
        buf[vs__format_u64(buf, p)] = '\0';
        ck_assert_str_eq(buf, want);
    }
    /* random values of every magnitude, some with whole 8-digit blocks of zeros */
    uint64_t st = 99;
    const int draws = vs_test_under_valgrind() ? 20000 : 200000; /* each a printf reference */
    for (int i = 0; i < draws; i++) {
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        uint64_t x = st >> (st % 64);
        if (i % 3 == 0) x = x / 100000000u * 100000000u + (x & 7); /* a low block 0000000d */
        char want[24];
        snprintf(want, sizeof want, "%llu", (unsigned long long)x);
        buf[vs__format_u64(buf, x)] = '\0';
        ck_assert_str_eq(buf, want);
    }
}
END_TEST

START_TEST(hash_vectors) {
    /* Published FNV-1a 64 test vectors (Fowler/Noll/Vo): "" and "a", "foobar". */
    ck_assert_uint_eq(vs__fnv1a64(VS__FNV_BASIS, "", 0), UINT64_C(0xcbf29ce484222325));
    ck_assert_uint_eq(vs__fnv1a64(VS__FNV_BASIS, "a", 1), UINT64_C(0xaf63dc4c8601ec8c));
    ck_assert_uint_eq(vs__fnv1a64(VS__FNV_BASIS, "foobar", 6), UINT64_C(0x85944171f73967e8));
    /* splitmix64 from state 0: first output 0xe220a8397b1dcdaf (Vigna's reference generator). */
    ck_assert_uint_eq(vs__mix64(UINT64_C(0x9E3779B97F4A7C15)), UINT64_C(0xe220a8397b1dcdaf));
    ck_assert_uint_ne(vs__hash_combine(1, 2), vs__hash_combine(2, 1));
}
END_TEST

START_TEST(rng_streams_and_moments) {
    vs__rng a, b, c;
    vs__rng_seed(&a, 42, 0);
    vs__rng_seed(&b, 42, 0);
    vs__rng_seed(&c, 42, 1);
    int same_c = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = vs__rng_next(&a);
        ck_assert_uint_eq(x, vs__rng_next(&b));
        same_c += x == vs__rng_next(&c);
    }
    ck_assert_int_eq(same_c, 0);
    /* Moments of 200000 draws: mean of U(0,1) within 5 standard errors of 1/2 (se = 0.00065),
     * normal mean 0 (se 0.0022) and variance 1 (se 0.0032), Poisson(1) mean 1 (se 0.0022). */
    const int n = 200000;
    double su = 0, sn = 0, sn2 = 0, sp = 0;
    size_t below[7] = {0};
    for (int i = 0; i < n; i++) {
        double u = vs__rng_uniform(&a);
        ck_assert(u >= 0 && u < 1);
        su += u;
        double z = vs__rng_normal(&a);
        sn += z;
        sn2 += z * z;
        sp += vs__rng_poisson(&a, 1.0);
        below[vs__rng_below(&a, 7)]++;
    }
    ck_assert_near(su / n, 0.5, 5 * 0.00065);
    ck_assert_near(sn / n, 0.0, 5 * 0.0022);
    ck_assert_near(sn2 / n, 1.0, 5 * 0.0032);
    ck_assert_near(sp / n, 1.0, 5 * 0.0022);
    for (int k = 0; k < 7; k++) ck_assert_near(below[k] / (double)n, 1.0 / 7, 5 * 0.00078);
}
END_TEST

static int cmp_int(const void *a, const void *b, void *ctx) {
    int x = *(const int *)a, y = *(const int *)b;
    (void)ctx;
    return (x > y) - (x < y);
}

START_TEST(sort_orders) {
    int v[] = {5, -3, 9, 0, 5, 2, -8, 7, 1, 1};
    const int want[] = {-8, -3, 0, 1, 1, 2, 5, 5, 7, 9};
    vs__sort(v, 10, sizeof v[0], cmp_int, NULL);
    for (int i = 0; i < 10; i++) ck_assert_int_eq(v[i], want[i]);
    vs__sort(v, 0, sizeof v[0], cmp_int, NULL);
    vs__sort(v, 1, sizeof v[0], cmp_int, NULL);
}
END_TEST

static int cmp_u64(const void *a, const void *b, void *ctx) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    (void)ctx;
    return (x > y) - (x < y);
}

/* The 64-bit key sort: a hand example (duplicates, the extremes), then 1000 keys (many
 * repeated) against the generic sort and against being ascending. */
START_TEST(sort_u64_orders) {
    uint64_t v[] = {7, UINT64_MAX, 0, 7, 3, UINT64_C(1) << 63, 3, 1};
    const uint64_t want[] = {0, 1, 3, 3, 7, 7, UINT64_C(1) << 63, UINT64_MAX};
    vs__sort_u64(v, 8);
    for (int i = 0; i < 8; i++) ck_assert_uint_eq(v[i], want[i]);
    vs__sort_u64(v, 0);
    vs__sort_u64(v, 1);
    static uint64_t a[1000], b[1000];
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 1000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        a[i] = b[i] = x % 300;
    }
    vs__sort_u64(a, 1000);
    vs__sort(b, 1000, sizeof b[0], cmp_u64, NULL);
    for (int i = 0; i < 1000; i++) {
        ck_assert_uint_eq(a[i], b[i]);
        if (i) ck_assert_uint_le(a[i - 1], a[i]);
    }
}
END_TEST

/* The suggestion helper of every by-name lookup: distances worked out by hand. */
START_TEST(edit_distance_by_hand) {
    ck_assert_uint_eq(vs__edit_distance("", ""), 0);
    ck_assert_uint_eq(vs__edit_distance("", "abc"), 3);          /* three insertions */
    ck_assert_uint_eq(vs__edit_distance("varimax", "varimax"), 0);
    ck_assert_uint_eq(vs__edit_distance("VariMax", "varimax"), 0); /* case-insensitive */
    ck_assert_uint_eq(vs__edit_distance("varimx", "varimax"), 1); /* one deletion */
    ck_assert_uint_eq(vs__edit_distance("spcae", "space"), 1);    /* one transposition (Damerau) */
    ck_assert_uint_eq(vs__edit_distance("kitten", "sitting"), 3); /* k->s, e->i, +g */
    ck_assert_uint_eq(vs__edit_distance("ca", "abc"), 3);         /* optimal string alignment, not 2 */
    /* "pro" -> "quarti" (then "max" matches): 3 insertions, and only 'r' in common, so 2 substitutions */
    ck_assert_uint_eq(vs__edit_distance("promax", "quartimax"), 5);
    char long_name[80];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    ck_assert_uint_eq(vs__edit_distance(long_name, "a"), SIZE_MAX); /* longer than 64 bytes: too far */
}
END_TEST

START_TEST(closest_name_and_message) {
    static const char *const rotations[] = {"none", "varimax", "quartimax", "promax", "oblimin", "geominQ", "geominT"};
    vs__names names = VS__NAMES_OF(rotations);
    ck_assert_str_eq(vs__closest_name("varimx", names), "varimax");
    ck_assert_str_eq(vs__closest_name("Promax", names), "promax");   /* distance 0 up to case */
    ck_assert_str_eq(vs__closest_name("geomin", names), "geominQ");  /* a tie goes to the first */
    ck_assert_ptr_null(vs__closest_name("xyz", names));              /* 3 > the limit of 1 for 4 letters */
    ck_assert_str_eq(vs__closest_name("quartimin", names), "quartimax"); /* 2 edits; limit 9 / 3 = 3 */
    ck_assert_ptr_null(vs__closest_name("max", names));                  /* promax: 3 edits; limit 6 / 3 = 2 */
    char buf[256];
    size_t n = vs__suggest_format(buf, sizeof buf, "varimx", names);
    ck_assert_str_eq(buf, "did you mean 'varimax'? valid: none, varimax, quartimax, promax, oblimin, geominQ, geominT");
    ck_assert_uint_eq(n, strlen(buf));
    vs__suggest_format(buf, sizeof buf, "xyz", names);
    ck_assert_str_eq(buf, "valid: none, varimax, quartimax, promax, oblimin, geominQ, geominT");
    /* truncated like snprintf, the full length returned */
    char small[12];
    ck_assert_uint_eq(vs__suggest_format(small, sizeof small, "varimx", names), n);
    ck_assert_str_eq(small, "did you mea");
    ck_assert_uint_eq(vs__suggest_format(NULL, 0, "varimx", names), n);

    /* a struct table ending in a NULL name; names equal up to case listed once */
    static const struct {
        const char *name;
        int value;
    } scores[] = {{"bartlett", 1}, {"Bartlett", 1}, {"tenBerge", 2}, {NULL, 0}};
    vs__suggest_format(buf, sizeof buf, "bartlet", VS__NAMES(scores, name));
    ck_assert_str_eq(buf, "did you mean 'bartlett'? valid: bartlett, tenBerge");

    ck_assert_int_eq(vs__error_unknown_name("f", "rotation", "varimx", names), VS_ENOTFOUND);
    ck_assert_str_eq(vs_last_error(), "f: unknown rotation 'varimx' (did you mean 'varimax'? valid: none, varimax, "
                                      "quartimax, promax, oblimin, geominQ, geominT)");
}
END_TEST

/* The public closest-name function: the same choice as the library's own hints (the cases of
 * closest_name_and_message above, by index), over a plain array with NULL entries skipped. */
START_TEST(public_closest_name) {
    static const char *const rotations[] = {"none", "varimax", "quartimax", "promax", "oblimin", "geominQ", "geominT"};
    ck_assert_uint_eq(vs_closest_name("varimx", rotations, 7), 1);
    ck_assert_uint_eq(vs_closest_name("Promax", rotations, 7), 3);    /* distance 0 up to case */
    ck_assert_uint_eq(vs_closest_name("geomin", rotations, 7), 5);    /* a tie goes to the first */
    ck_assert_uint_eq(vs_closest_name("xyz", rotations, 7), VS_NPOS); /* 3 > the limit of 1 for 4 letters */
    ck_assert_uint_eq(vs_closest_name("quartimin", rotations, 7), 2); /* 2 edits; limit 9 / 3 = 3 */
    ck_assert_uint_eq(vs_closest_name("max", rotations, 7), VS_NPOS); /* promax: 3 edits; limit 6 / 3 = 2 */
    ck_assert_uint_eq(vs_closest_name("spcae", (const char *const[]){"space"}, 1), 0); /* a swap costs 1 */
    /* the limit: at least 1 edit, one in three letters, at most 3 */
    ck_assert_uint_eq(vs_closest_name("ml", (const char *const[]){"pa"}, 1), VS_NPOS);    /* 2 > 1 */
    ck_assert_uint_eq(vs_closest_name("ml", (const char *const[]){"mll"}, 1), 0);         /* 1 <= 1 */
    ck_assert_uint_eq(vs_closest_name("abcdefghijkl", (const char *const[]){"abcdefghiXYZ"}, 1), 0); /* 3 <= 3 */
    ck_assert_uint_eq(vs_closest_name("abcdefghijklmnop", (const char *const[]){"abcdefghijklWXYZ"}, 1),
                      VS_NPOS); /* 4 > 3, although 16 / 3 = 5 */
    /* only the first n; NULL entries skipped; the closest wins over the first close one */
    static const char *const with_null[] = {"varimax", NULL, "varimx"};
    ck_assert_uint_eq(vs_closest_name("varimx", with_null, 3), 2);
    ck_assert_uint_eq(vs_closest_name("varimx", with_null, 2), 0);
    ck_assert_uint_eq(vs_closest_name("varimx", with_null, 0), VS_NPOS);
    /* names longer than 64 bytes are never close, not even to themselves */
    char long_name[80];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    const char *const longs[] = {long_name};
    ck_assert_uint_eq(vs_closest_name(long_name, longs, 1), VS_NPOS);
    ck_assert_uint_eq(vs_closest_name(NULL, rotations, 7), VS_NPOS);
    ck_assert_uint_eq(vs_closest_name("varimx", NULL, 7), VS_NPOS);
    /* it sets no message (nothing failed) */
    vs_set_last_error(VS_OK, "untouched");
    vs_closest_name(NULL, NULL, 0);
    ck_assert_str_eq(vs_last_error(), "untouched");
}
END_TEST

static void *set_public_error_in_thread(void *arg) {
    (void)arg;
    vs_set_last_error(VS_EIO, "other thread");
    return NULL;
}

/* The public setter of the detail message: what an extension (a backend's option setter) uses. */
START_TEST(public_set_last_error) {
    ck_assert_int_eq(vs_set_last_error(VS_EINVAL, "my_backend_set_option: timeout_ms must be >= 1"), VS_EINVAL);
    ck_assert_str_eq(vs_last_error(), "my_backend_set_option: timeout_ms must be >= 1");
    ck_assert_int_eq(vs_set_last_error(VS_OK, "kept"), VS_OK);   /* any status, returned unchanged */
    ck_assert_int_eq(vs_set_last_error(12345, "kept"), 12345);
    ck_assert_str_eq(vs_last_error(), "kept");
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, set_public_error_in_thread, NULL), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_str_eq(vs_last_error(), "kept"); /* thread-local */
    /* the library's next failure replaces it, and a prefix builds on it */
    ck_assert_status(vs_set_allocator(&(vs_allocator)VS_ALLOCATOR_INIT), VS_EINVAL);
    ck_assert_str_ne(vs_last_error(), "kept");
    vs_set_last_error(VS_EIO, "inner");
    vs__error_prefix(VS_EIO, "outer");
    ck_assert_str_eq(vs_last_error(), "outer: inner");
    /* its own text (a caller passing vs_last_error() back) and NULL */
    ck_assert_int_eq(vs_set_last_error(VS_EIO, vs_last_error()), VS_EIO);
    ck_assert_str_eq(vs_last_error(), "outer: inner");
    ck_assert_int_eq(vs_set_last_error(VS_EIO, NULL), VS_EIO);
    ck_assert_str_eq(vs_last_error(), "");
    /* longer than the buffer: 1023 bytes, cut before a 2-byte character that does not fit */
    char big[1100];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    vs_set_last_error(VS_EIO, big);
    ck_assert_uint_eq(strlen(vs_last_error()), 1023);
    big[1022] = '\xc3'; /* "\xc3\xa9" (e acute) at bytes 1022..1023: only its first byte would fit */
    big[1023] = '\xa9';
    vs_set_last_error(VS_EIO, big);
    ck_assert_uint_eq(strlen(vs_last_error()), 1022);
    big[1021] = '\xc3'; /* at bytes 1021..1022: fits whole */
    big[1022] = '\xa9';
    big[1023] = 'x';
    vs_set_last_error(VS_EIO, big);
    ck_assert_uint_eq(strlen(vs_last_error()), 1023);
}
END_TEST

static Suite *common_suite(void) {
    Suite *s = suite_create("common");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120); /* the printf comparisons take seconds when the machine is busy */
    tcase_add_test(tc, status_codes_are_frozen);
    tcase_add_test(tc, strerror_and_names);
    tcase_add_test(tc, version_matches_headers);
    tcase_add_test(tc, last_error_is_thread_local);
    tcase_add_test(tc, allocator_hook_validation);
    tcase_add_test(tc, grow_keeps_contents);
    tcase_add_test(tc, numbers_are_locale_independent);
    tcase_add_test(tc, hash_vectors);
    tcase_add_test(tc, rng_streams_and_moments);
    tcase_add_test(tc, sort_orders);
    tcase_add_test(tc, sort_u64_orders);
    tcase_add_test(tc, format_double_matches_printf);
    tcase_add_test(tc, format_integers);
    tcase_add_test(tc, edit_distance_by_hand);
    tcase_add_test(tc, closest_name_and_message);
    tcase_add_test(tc, public_closest_name);
    tcase_add_test(tc, public_set_last_error);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(common_suite()); }
