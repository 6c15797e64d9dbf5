/* Status codes, their texts and the thread-local detail message. */
#include <stdio.h>
#include <string.h>

#include "common/internal.h"

/* One fixed buffer per thread: setting an error never allocates, so an allocation
 * failure can always be reported. */
static _Thread_local char last_error[1024];

static const struct {
    int code;
    const char *name;
    const char *text;
} status_table[] = {
    {VS_OK, "VS_OK", "success"},
    {VS_EINVAL, "VS_EINVAL", "invalid argument"},
    {VS_ENOMEM, "VS_ENOMEM", "out of memory"},
    {VS_ERANGE, "VS_ERANGE", "index or size out of range"},
    {VS_ENOTFOUND, "VS_ENOTFOUND", "not found"},
    {VS_EPARSE, "VS_EPARSE", "malformed input"},
    {VS_EIO, "VS_EIO", "input/output error"},
    {VS_EUTF8, "VS_EUTF8", "invalid UTF-8"},
    {VS_EDUPLICATE, "VS_EDUPLICATE", "duplicate definition"},
    {VS_ESTATE, "VS_ESTATE", "object in the wrong state for this call"},
    {VS_EMISMATCH, "VS_EMISMATCH", "objects do not match"},
    {VS_ECALLBACK, "VS_ECALLBACK", "a callback reported failure"},
    {VS_ECANCELED, "VS_ECANCELED", "cancelled"},
    {VS_ENUMERIC, "VS_ENUMERIC", "numerical failure"},
    {VS_ELIMIT, "VS_ELIMIT", "input exceeds a limit"},
    {VS_ECYCLE, "VS_ECYCLE", "hierarchy is not acyclic"},
    {VS_EVERSION, "VS_EVERSION", "unsupported version"},
    {VS_ECORRUPT, "VS_ECORRUPT", "corrupt or truncated data"},
    {VS_EBUFSIZE, "VS_EBUFSIZE", "buffer too small"},
    {VS_EUNDEFINED, "VS_EUNDEFINED", "result undefined for this input"},
    {VS_EFAILED, "VS_EFAILED", "stopped: items failed"},
};

const char *vs_strerror(int status) {
    for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++)
        if (status_table[i].code == status) return status_table[i].text;
    return "unknown status code";
}

const char *vs_status_name(int status) {
    for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++)
        if (status_table[i].code == status) return status_table[i].name;
    return "VS_UNKNOWN";
}

const char *vs_last_error(void) { return last_error; }

int vs_set_last_error(int status, const char *message) {
    size_t n = message ? strlen(message) : 0;
    if (n > sizeof last_error - 1) {
        n = sizeof last_error - 1;
        /* cut before a UTF-8 character that does not fit whole */
        while (n > 0 && ((unsigned char)message[n] & 0xC0) == 0x80) n--;
    }
    if (n) memmove(last_error, message, n); /* the message may be vs_last_error() itself */
    last_error[n] = '\0';
    return status;
}

int vs__verror(int status, const char *fmt, va_list ap) {
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    return status;
}

int vs__error(int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vs__verror(status, fmt, ap);
    va_end(ap);
    return status;
}

int vs__nomem(const char *where) { return vs__error(VS_ENOMEM, "%s: out of memory", where); }

int vs__error_prefix(int status, const char *fmt, ...) {
    char prefix[512], old[sizeof last_error];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, last_error, sizeof old);
    /* Truncation is acceptable: the message is a diagnostic. */
    size_t n = strlen(prefix);
    if (n > sizeof last_error - 3) n = sizeof last_error - 3;
    memcpy(last_error, prefix, n);
    memcpy(last_error + n, ": ", 2);
    size_t rest = sizeof last_error - n - 3;
    size_t m = strlen(old);
    if (m > rest) m = rest;
    memcpy(last_error + n + 2, old, m);
    last_error[n + 2 + m] = '\0';
    return status;
}
