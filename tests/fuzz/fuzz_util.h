/* Helpers shared by the fuzz targets: the input as a file (memfd, no disk), and a quiet sink for
 * the values a target reads so that the compiler keeps the reads. */
#ifndef VS_FUZZ_UTIL_H
#define VS_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* Writes data to a new memory file; its path (/proc/self/fd/N) goes to path. Returns the fd
 * (close it when done) or -1. */
static inline int vs_fuzz_file(char path[64], const uint8_t *data, size_t size) {
    int fd = memfd_create("vs-fuzz", 0);
    if (fd < 0) return -1;
    size_t o = 0;
    while (o < size) {
        ssize_t w = write(fd, data + o, size - o);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        o += (size_t)w;
    }
    snprintf(path, 64, "/proc/self/fd/%d", fd);
    return fd;
}

static volatile size_t vs_fuzz_sink;
static inline void vs_fuzz_use(size_t x) { vs_fuzz_sink += x; }

#endif
