/* Whole-file reads and atomic whole-file writes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/internal.h"
#include "io/file.h"

int vs__read_file(char **out, size_t *out_len, const char *path, size_t max_bytes) {
    *out = NULL;
    if (out_len) *out_len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int err = errno; /* the OS reason, so the caller can act on it ("No such file", "Permission denied") */
        return vs__error(err == ENOENT ? VS_ENOTFOUND : VS_EIO, "cannot open '%s': %s", path, strerror(err));
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = VS_OK;
    for (;;) {
        if ((rc = vs__grow((void **)&buf, &cap, len + 65536 + 1, 1)) != VS_OK) {
            vs__error_prefix(rc, "%s", path);
            break;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (len > max_bytes) {
            rc = vs__error(VS_ELIMIT, "%s: file is larger than the limit of %zu bytes", path, max_bytes);
            break;
        }
        if (n == 0) {
            if (ferror(f)) rc = vs__error(VS_EIO, "cannot read '%s': %s", path, strerror(errno));
            break;
        }
    }
    fclose(f);
    if (rc != VS_OK) {
        vs__free(buf);
        return rc;
    }
    buf[len] = '\0';
    *out = buf;
    if (out_len) *out_len = len;
    return VS_OK;
}

int vs__write_file(const char *path, const char *data, size_t len) {
    size_t plen = strlen(path);
    char *tmp = vs__malloc(plen + 16);
    if (!tmp) return vs__nomem("vs__write_file");
    snprintf(tmp, plen + 16, "%s.tmp%ld", path, (long)getpid() % 100000);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        int rc = vs__error(VS_EIO, "%s: cannot create: %s", tmp, strerror(errno));
        vs__free(tmp);
        return rc;
    }
    int ok = fwrite(data, 1, len, f) == len;
    ok = (fflush(f) == 0) && ok;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        int rc = vs__error(VS_EIO, "%s: cannot write: %s", path, strerror(errno));
        remove(tmp);
        vs__free(tmp);
        return rc;
    }
    vs__free(tmp);
    return VS_OK;
}
