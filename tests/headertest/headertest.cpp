// Compiled as C++11 with -pedantic -Werror and linked: the headers work from C++.
#include "valuespace.h"

int main() {
    vs_space *space = nullptr;
    int rc = vs_space_builtin(&space, "schwartz10");
    bool ok = rc == VS_OK && vs_space_level_dimension_count(space, 0) == 10 && VS_CHECK_VERSION();
    vs_space_free(space);
    return ok ? 0 : 1;
}
