/* Provenance of a report: the schema, versions, the command line, the time, and the SHA-256 of
 * every input, so a published figure can be traced to its exact inputs. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_sha256.h"

static int cmd_argc;
static char **cmd_argv;

void cli_set_command_line(int argc, char **argv) {
    cmd_argc = argc;
    cmd_argv = argv;
}

int cli_sha256_file(const char *path, char hex[65], unsigned long long *bytes) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "valuespace: cannot read %s: %s\n", path, strerror(errno));
        return 1;
    }
    cli_sha256 ctx;
    cli_sha256_init(&ctx);
    unsigned char buf[1 << 16];
    size_t n;
    *bytes = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        cli_sha256_update(&ctx, buf, n);
        *bytes += n;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "valuespace: error reading %s\n", path);
        return 1;
    }
    unsigned char digest[32];
    cli_sha256_final(&ctx, digest);
    for (size_t i = 0; i < sizeof digest; i++) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    return 0;
}

void cli_utc_now(char buf[32]) {
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &utc);
}

int cli_report_provenance(cli_json *j, const char *schema, int version, const char *created_utc,
                          const char *const *inputs, size_t n) {
    cli_json_key(j, "schema");
    cli_json_string(j, schema);
    cli_json_key(j, "version");
    cli_json_int(j, version);
    cli_json_key(j, "library_version");
    cli_json_string(j, vs_version_string());
    cli_json_key(j, "command_line");
    cli_json_begin_array(j);
    for (int i = 0; i < cmd_argc; i++) cli_json_string(j, cmd_argv[i]);
    cli_json_end_array(j);
    char when[32];
    if (!created_utc) cli_utc_now(when);
    cli_json_key(j, "created_utc");
    cli_json_string(j, created_utc ? created_utc : when);
    cli_json_key(j, "inputs");
    cli_json_begin_array(j);
    for (size_t i = 0; i < n; i++) {
        char hex[65];
        unsigned long long bytes;
        if (cli_sha256_file(inputs[i], hex, &bytes) != 0) return 1;
        cli_json_begin_object(j);
        cli_json_key(j, "path");
        cli_json_string(j, inputs[i]);
        cli_json_key(j, "bytes");
        cli_json_int(j, (long long)bytes);
        cli_json_key(j, "sha256");
        cli_json_string(j, hex);
        cli_json_end_object(j);
    }
    cli_json_end_array(j);
    return 0;
}
