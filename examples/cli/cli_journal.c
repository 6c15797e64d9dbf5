/* Journals a run could not start or finish writing: an empty journal or one whose header line is
 * torn (a full disk, a file size limit, a kill before the first line was complete), and the
 * write failures that leave the complete records in place. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_journal_unstarted(const char *path) {
    static const char head[] = "{\"schema\":\"valuespace/"; /* how every journal's first line starts */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    char buf[4096];
    size_t n = 0;
    int complete_line = 0;
    ssize_t got;
    /* a header is a few KiB: a longer first line is not a torn header */
    while (!complete_line && n < sizeof buf && (got = read(fd, buf + n, sizeof buf - n)) > 0) {
        complete_line = memchr(buf + n, '\n', (size_t)got) != NULL;
        n += (size_t)got;
    }
    int more = n == sizeof buf;
    close(fd);
    if (n == 0) return 1;
    if (complete_line || more) return 0;
    size_t k = n < sizeof head - 1 ? n : sizeof head - 1;
    return memcmp(buf, head, k) == 0;
}

int cli_error_disk_full(void) {
    const char *msg = vs_last_error();
    return strstr(msg, strerror(ENOSPC)) != NULL || strstr(msg, strerror(EFBIG)) != NULL ||
           strstr(msg, strerror(EDQUOT)) != NULL;
}
