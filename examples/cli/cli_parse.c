/* Numbers from the command line: the whole argument must be one finite number (a flag with
 * "1.5x" or "nan" is a usage error, never silently truncated). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_parse_double(const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

int cli_parse_size(const char *s, size_t *out) {
    char *end;
    errno = 0;
    if (*s == '-' || *s == '\0') return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0' || errno == ERANGE) return -1;
    *out = (size_t)v;
    return 0;
}

long cli_parse_double_list(const char *s, double **out) {
    *out = NULL;
    size_t n = 1;
    for (const char *p = s; *p; p++) n += *p == ',';
    double *v = malloc(n * sizeof *v);
    if (!v) return -1;
    const char *p = s;
    for (size_t i = 0; i < n; i++) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char tmp[64];
        if (len == 0 || len >= sizeof tmp) goto bad;
        memcpy(tmp, p, len);
        tmp[len] = '\0';
        if (cli_parse_double(tmp, &v[i]) != 0) goto bad;
        p += len + 1;
    }
    *out = v;
    return (long)n;
bad:
    free(v);
    return -1;
}
