/* The library's version (valuespace/common.h). */
#include "common/internal.h"

uint32_t vs_version(void) { return VS_VERSION_NUMBER; }

const char *vs_version_string(void) { return VS_VERSION_STRING; }
