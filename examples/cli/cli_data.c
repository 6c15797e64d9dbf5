/* Data the tool reads: the count of a lenient read's skipped records (at the end), and finding
 * the data the tool ships (the FULCRA split of `valuespace demo`) without environment
 * variables: installed, it sits at a fixed place relative to the executable (the install moves
 * bin/ and share/ together, whatever the prefix); in a build tree, in the source tree the build
 * was configured from; last, relative to the working directory (a source checkout). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef VS_CLI_INSTALLED_DATA_DIR
#define VS_CLI_INSTALLED_DATA_DIR "../share/valuespace"
#endif
#ifndef VS_CLI_SOURCE_DATA_DIR
#define VS_CLI_SOURCE_DATA_DIR "examples/data"
#endif

/* The directory of the running executable into dir (no trailing slash); 0, or -1. */
static int exe_dir(char *dir, size_t cap) {
    ssize_t n = readlink("/proc/self/exe", dir, cap - 1);
    if (n <= 0 || (size_t)n >= cap - 1) return -1;
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (!slash) return -1;
    *slash = '\0';
    return 0;
}

static int readable(const char *path) { return access(path, R_OK) == 0; }

int cli_find_data(const char *relative, char *out, size_t cap, char *tried, size_t tried_cap) {
    char dir[PATH_MAX];
    const char *bases[3] = {NULL, VS_CLI_SOURCE_DATA_DIR, "examples/data"};
    char installed[PATH_MAX + 64];
    if (exe_dir(dir, sizeof dir) == 0) {
        snprintf(installed, sizeof installed, "%s/%s", dir, VS_CLI_INSTALLED_DATA_DIR);
        bases[0] = installed;
    }
    if (tried_cap) tried[0] = '\0';
    size_t used = 0;
    for (size_t b = 0; b < 3; b++) {
        if (!bases[b]) continue;
        int n = snprintf(out, cap, "%s/%s", bases[b], relative);
        if (n < 0 || (size_t)n >= cap) continue;
        if (readable(out)) return 0;
        if (used < tried_cap) {
            int w = snprintf(tried + used, tried_cap - used, "%s%s", used ? ", " : "", out);
            if (w > 0) used += (size_t)w;
        }
    }
    errno = ENOENT;
    return -1;
}

/* ---- datasets read leniently */

size_t cli_dataset_skipped(const vs_dataset *ds) {
    size_t n = 0;
    for (uint32_t r = 1; r < VS_DATASET_SKIP_REASON_END; r++) n += vs_dataset_skip_count(ds, r);
    return n;
}
