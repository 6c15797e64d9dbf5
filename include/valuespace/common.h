/**
 * @file valuespace/common.h
 * @brief Version, status codes, error messages, the allocator hook, vs_free() and the
 *        closest-name hint (vs_closest_name()).
 *
 * Every fallible function returns an `int`: #VS_OK (0) on success or one of the negative
 * #vs_status codes below. The codes are frozen: new ones are only appended.
 * After a failure, vs_last_error() gives a detail message naming the place of the failure.
 */
#ifndef VALUESPACE_COMMON_H
#define VALUESPACE_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "valuespace/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Marks a function exported from the shared library. */
#if defined(VS_BUILDING_LIBRARY)
#define VS_API __attribute__((visibility("default")))
#else
#define VS_API
#endif

/**
 * Marks a deprecated function: a name kept working for programs written against an older
 * version (README, "Deprecated names"), whose documentation names its replacement. Compilers
 * that support it warn where a program calls one; define `VS_NO_DEPRECATION_WARNINGS` before
 * including any valuespace header to silence the warnings.
 */
#if defined(VS_NO_DEPRECATION_WARNINGS)
#define VS_DEPRECATED(replacement)
#elif defined(__GNUC__) || defined(__clang__)
#define VS_DEPRECATED(replacement) __attribute__((deprecated("use " replacement)))
#elif defined(_MSC_VER)
#define VS_DEPRECATED(replacement) __declspec(deprecated("use " replacement))
#else
#define VS_DEPRECATED(replacement)
#endif

/** Status codes. Frozen: values never change, new codes are appended. */
typedef enum vs_status {
    VS_OK = 0,            /**< success */
    VS_EINVAL = -1,       /**< an argument is invalid (NULL where not allowed, out of domain) */
    VS_ENOMEM = -2,       /**< an allocation failed */
    VS_ERANGE = -3,       /**< an index or size is out of range */
    VS_ENOTFOUND = -4,    /**< a name, key or file was not found */
    VS_EPARSE = -5,       /**< malformed input text (JSON, CSV, numbers) */
    VS_EIO = -6,          /**< reading or writing a file failed */
    VS_EUTF8 = -7,        /**< a string is not valid UTF-8 */
    VS_EDUPLICATE = -8,   /**< a key, name or alias is defined twice */
    VS_ESTATE = -9,       /**< the object is not in a state that allows the call */
    VS_EMISMATCH = -10,   /**< objects do not fit together (different spaces, sizes) */
    VS_ECALLBACK = -11,   /**< a caller-supplied callback reported failure */
    VS_ECANCELED = -12,   /**< the operation was cancelled by the caller */
    VS_ENUMERIC = -13,    /**< a numerical method failed (singular matrix, no convergence) */
    VS_ELIMIT = -14,      /**< an input exceeds a documented limit (size, nesting depth) */
    VS_ECYCLE = -15,      /**< a hierarchy is not acyclic (a parent not above its child) */
    VS_EVERSION = -16,    /**< a file or schema version this library cannot read */
    VS_ECORRUPT = -17,    /**< a checksum mismatch or truncated binary data */
    VS_EBUFSIZE = -18,    /**< the caller's buffer is too small; the needed size was reported */
    VS_EUNDEFINED = -19,  /**< the result is undefined for this input (e.g. all values missing) */
    VS_EFAILED = -20      /**< a run stopped because its items failed (failure threshold, or its first
                               items all failed alike); what finished is kept */
} vs_status;

/**
 * @return a static, never-NULL English description of a status code (unknown codes included).
 * @threadsafety safe from any thread.
 */
VS_API const char *vs_strerror(int status);

/**
 * @return a static, never-NULL symbolic name of a status code, e.g. "VS_EINVAL".
 */
VS_API const char *vs_status_name(int status);

/**
 * @return the detail message of the last failure on the calling thread (thread-local storage,
 * owned by the library, valid until the next failing call on this thread), or "" if none.
 * Successful calls do not clear it.
 */
VS_API const char *vs_last_error(void);

/**
 * Sets the calling thread's detail message (what vs_last_error() returns next) and returns
 * `status` unchanged, for code that extends the library and follows its convention of a status
 * code plus a message: a model backend's option setter, a lemmatiser, any helper of yours that
 * returns a #vs_status. Its callers then read one place for every failure, the library's and
 * yours:
 *
 *     if (v < 1) return vs_set_last_error(VS_EINVAL, "my_backend_set_option: timeout_ms must be >= 1");
 *
 * The message is copied (at most 1023 bytes, cut at a UTF-8 character boundary; NULL = "").
 * Format it yourself (snprintf); the library's own next failure on this thread replaces it.
 * @threadsafety changes only the calling thread's message.
 * @return status (any int, also VS_OK).
 */
VS_API int vs_set_last_error(int status, const char *message);

/** "No such index": what the functions that return an index give when there is none. */
#ifndef VS_NPOS
#define VS_NPOS ((size_t)-1)
#endif

/**
 * The name among names[0..n) closest to `value`, chosen as the library chooses the "did you
 * mean ...?" of its own messages, for the same hint in your program's (unknown flags, commands,
 * column names): the optimal-string-alignment edit distance (a wrong, missing or extra byte,
 * or two neighbouring bytes swapped, costs 1 each), ASCII case-insensitive, must be at most
 * about one edit in three letters: max(1, min(3, L / 3)) for L the length of the longer of the
 * two. The closest such name wins, the first of equally close ones. Names or values longer than
 * 64 bytes are never close; NULL entries are skipped. Allocates nothing.
 *
 *     static const char *const rotations[] = {"varimax", "promax", "oblimin"};
 *     vs_closest_name("varimx", rotations, 3);    -> 0
 *     vs_closest_name("VARIMAX", rotations, 3);   -> 0 (distance 0 up to case)
 *     vs_closest_name("xyz", rotations, 3);       -> VS_NPOS (nothing is that close)
 *
 * @threadsafety safe from any thread.
 * @return the index of the closest name, or #VS_NPOS when none is that close (also for a NULL
 *         value or names).
 */
VS_API size_t vs_closest_name(const char *value, const char *const *names, size_t n);

/** Runtime version: VS_VERSION_NUMBER of the library actually loaded. */
VS_API uint32_t vs_version(void);

/** Runtime version string, e.g. "0.1.0". Static, never NULL. */
VS_API const char *vs_version_string(void);

/**
 * Checks that the loaded library has the same major version as the headers, and at least
 * their minor version. Evaluates to 1 when compatible.
 */
#define VS_CHECK_VERSION()                                                        \
    ((vs_version() / 10000u) == VS_VERSION_MAJOR &&                               \
     (vs_version() % 10000u) / 100u >= VS_VERSION_MINOR)

/**
 * Allocator hook. Every allocation the library makes goes through these functions.
 * `realloc` must behave like C realloc (NULL pointer = allocate; on failure the old block
 * stays valid). `free` must accept NULL. `struct_size` must be set to sizeof(vs_allocator)
 * (use VS_ALLOCATOR_INIT).
 */
typedef struct vs_allocator {
    uint32_t struct_size; /**< sizeof(vs_allocator), for later growth */
    void *user_data;      /**< passed unchanged as the first argument of the three functions */
    void *(*malloc_fn)(void *user_data, size_t size);             /**< like C malloc */
    void *(*realloc_fn)(void *user_data, void *ptr, size_t size); /**< like C realloc */
    void (*free_fn)(void *user_data, void *ptr);                  /**< like C free; accepts NULL */
} vs_allocator;

/** Initialiser of a vs_allocator: struct_size set, every pointer NULL (fill in the three functions). */
#define VS_ALLOCATOR_INIT {(uint32_t)sizeof(vs_allocator), NULL, NULL, NULL, NULL}

/**
 * Sets `*o` to #VS_ALLOCATOR_INIT: struct_size and every default, for callers that cannot use the macro (bindings, other languages).
 * @param o the struct to fill; NULL is a no-op
 */
VS_API void vs_allocator_init(vs_allocator *o);

/**
 * Installs a global allocator (copied), or restores the C library's with NULL.
 * @threadsafety not thread-safe; call it before any other library function, while no
 * object allocated by the library is alive.
 * @return VS_OK, or VS_EINVAL if struct_size is too small or a function pointer is NULL.
 */
VS_API int vs_set_allocator(const vs_allocator *allocator);

/** Frees memory the library handed out (strings, arrays). NULL is a no-op. */
VS_API void vs_free(void *ptr);

#ifdef __cplusplus
}
#endif

#endif /* VALUESPACE_COMMON_H */
