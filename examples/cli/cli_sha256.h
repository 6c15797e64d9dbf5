/* SHA-256 (FIPS 180-4) for the tool's report provenance: init, update with bytes, final digest. */
#ifndef VS_CLI_SHA256_H
#define VS_CLI_SHA256_H
#include <stddef.h>
#include <stdint.h>

typedef struct cli_sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t fill;
} cli_sha256;

void cli_sha256_init(cli_sha256 *s);
void cli_sha256_update(cli_sha256 *s, const void *data, size_t n);
void cli_sha256_final(cli_sha256 *s, unsigned char digest[32]);

#endif
