/* valuespace space list|show|validate */
#include <string.h>

#include "cli.h"

/* NAME is a built-in unless it names an existing file or ends in .json. On failure reports it
 * and returns the exit status: 2 for an unknown built-in name (the library suggests the closest),
 * 1 otherwise (a file that cannot be read names the reason). */
static int open_space(vs_space **out, const char *prog, const char *name_or_file) {
    size_t len = strlen(name_or_file);
    int is_file = (len > 5 && strcmp(name_or_file + len - 5, ".json") == 0) || strchr(name_or_file, '/');
    if (!is_file) {
        FILE *f = fopen(name_or_file, "rb");
        if (f) {
            fclose(f);
            is_file = 1;
        }
    }
    int rc = is_file ? vs_space_load_file(out, name_or_file) : vs_space_builtin(out, name_or_file);
    if (rc == VS_OK) return 0;
    return rc == VS_ENOTFOUND && !is_file ? cli_fail_usage(prog, NULL, rc) : cli_fail(name_or_file, rc);
}

static int space_list(int argc, char **argv) {
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            printf("usage: valuespace space list [--json]\nLists the built-in value spaces.\n");
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strncmp(argv[i], "--", 2) == 0) {
            return cli_unknown_option("valuespace space list", argv[i], "[--json]"); /* suggests --json */
        } else {
            return cli_usage_error("valuespace space list", "unexpected argument '%s'", argv[i]);
        }
    }
    cli_json j;
    if (json) {
        cli_json_init(&j, stdout);
        cli_json_begin_array(&j);
    }
    for (size_t i = 0; i < vs_space_builtin_count(); i++) {
        vs_space *s = NULL;
        int rc = vs_space_builtin(&s, vs_space_builtin_name(i));
        if (rc != VS_OK) return cli_fail(vs_space_builtin_name(i), rc);
        size_t levels = vs_space_level_count(s);
        if (json) {
            cli_json_begin_object(&j);
            cli_json_key(&j, "name");
            cli_json_string(&j, vs_space_name(s));
            cli_json_key(&j, "description");
            cli_json_string(&j, vs_space_description(s));
            cli_json_key(&j, "levels");
            cli_json_begin_array(&j);
            for (size_t l = 0; l < levels; l++) {
                cli_json_begin_object(&j);
                cli_json_key(&j, "name");
                cli_json_string(&j, vs_space_level_name(s, l));
                cli_json_key(&j, "size");
                cli_json_int(&j, (long long)vs_space_level_dimension_count(s, l));
                cli_json_end_object(&j);
            }
            cli_json_end_array(&j);
            cli_json_end_object(&j);
        } else {
            printf("%-12s", vs_space_name(s));
            for (size_t l = 0; l < levels; l++)
                printf("%s%zu %s", l ? " -> " : "", vs_space_level_dimension_count(s, l), vs_space_level_name(s, l));
            printf("\n");
        }
        vs_space_free(s);
    }
    if (json) {
        cli_json_end_array(&j);
        cli_json_finish(&j);
    }
    return 0;
}

/* The parent of a dimension at the next level up (the one shown by `space show`). */
static size_t next_parent(const vs_space *s, size_t d) {
    size_t level = vs_space_dimension_level(s, d);
    for (size_t l = level + 1; l < vs_space_level_count(s); l++) {
        size_t p = vs_space_parent(s, d, l);
        if (p != VS_NPOS) return p;
    }
    return VS_NPOS;
}

static int space_show(int argc, char **argv) {
    const char *name = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            printf("usage: valuespace space show NAME|FILE.json [--json]\n"
                   "Shows every dimension with its level and parent (the parent at the nearest level\n"
                   "above that has one). JSON: {\"name\", \"dimensions\": [{\"key\",\"label\",\"level\",\"parent\"}...]}\n");
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strncmp(argv[i], "--", 2) == 0) {
            return cli_unknown_option("valuespace space show", argv[i], "[--json]"); /* suggests --json */
        } else if (!name) {
            name = argv[i];
        } else {
            return cli_usage_error("valuespace space show", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!name) return cli_usage_error("valuespace space show", "a space name or file is required");
    vs_space *s = NULL;
    int rc = open_space(&s, "valuespace space show", name);
    if (rc) return rc;
    size_t n = vs_space_dimension_count(s);
    if (json) {
        cli_json j;
        cli_json_init(&j, stdout);
        cli_json_begin_object(&j);
        cli_json_key(&j, "name");
        cli_json_string(&j, vs_space_name(s));
        cli_json_key(&j, "dimensions");
        cli_json_begin_array(&j);
        for (size_t d = 0; d < n; d++) {
            size_t p = next_parent(s, d);
            cli_json_begin_object(&j);
            cli_json_key(&j, "key");
            cli_json_string(&j, vs_space_key(s, d));
            cli_json_key(&j, "label");
            cli_json_string(&j, vs_space_label(s, d));
            cli_json_key(&j, "level");
            cli_json_string(&j, vs_space_level_name(s, vs_space_dimension_level(s, d)));
            cli_json_key(&j, "parent");
            if (p == VS_NPOS) cli_json_null(&j);
            else cli_json_string(&j, vs_space_key(s, p));
            cli_json_end_object(&j);
        }
        cli_json_end_array(&j);
        cli_json_end_object(&j);
        cli_json_finish(&j);
    } else {
        printf("%s: %s\n", vs_space_name(s), vs_space_description(s));
        for (size_t l = 0; l < vs_space_level_count(s); l++) {
            printf("\nlevel %zu: %s (%zu)\n", l, vs_space_level_name(s, l), vs_space_level_dimension_count(s, l));
            size_t off = vs_space_level_offset(s, l);
            for (size_t i = 0; i < vs_space_level_dimension_count(s, l); i++) {
                size_t d = off + i, p = next_parent(s, d);
                printf("  %-32s %-36s", vs_space_key(s, d), vs_space_label(s, d));
                if (p != VS_NPOS) printf(" -> %s", vs_space_key(s, p));
                double angle = vs_space_angle(s, d);
                if (angle == angle) printf("  [%g deg]", angle);
                printf("\n");
            }
        }
    }
    vs_space_free(s);
    return 0;
}

static int space_validate(int argc, char **argv) {
    if (argc != 2 || cli_is_help(argv[1])) {
        if (argc == 2) {
            printf("usage: valuespace space validate FILE.json\n"
                   "Checks a space definition; prints the first problem with its line:column.\n");
            return 0;
        }
        return cli_usage_error("valuespace space validate", "exactly one FILE.json is required");
    }
    vs_space *s = NULL;
    int rc = vs_space_load_file(&s, argv[1]);
    if (rc != VS_OK) return cli_fail("invalid space", rc);
    printf("%s: valid space '%s' with %zu levels and %zu dimensions\n", argv[1], vs_space_name(s),
           vs_space_level_count(s), vs_space_dimension_count(s));
    vs_space_free(s);
    return 0;
}

static int space_export(int argc, char **argv) {
    const char *name = NULL, *out_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            printf("usage: valuespace space export NAME|FILE.json [-o OUT.json]\n"
                   "Writes the space's definition as JSON (schema valuespace/space, version 1), e.g. to\n"
                   "start a custom space from a built-in one. Without -o it goes to stdout.\n");
            return 0;
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out_path = argv[++i];
        } else if (!name && argv[i][0] != '-') {
            name = argv[i];
        } else {
            return cli_usage_error("valuespace space export", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!name) return cli_usage_error("valuespace space export", "a space name or file is required");
    vs_space *s = NULL;
    int rc = open_space(&s, "valuespace space export", name);
    if (rc) return rc;
    if (out_path) {
        rc = vs_space_save_file(s, out_path);
    } else {
        char *text = NULL;
        rc = vs_space_save_json(&text, s);
        if (rc == VS_OK) fputs(text, stdout);
        vs_free(text);
    }
    vs_space_free(s);
    return rc == VS_OK ? 0 : cli_fail(out_path ? out_path : name, rc);
}

int cmd_space(int argc, char **argv) {
    static const cli_command sub[] = {
        {"list", "the built-in value spaces", space_list},
        {"show", "the levels and dimensions of a space", space_show},
        {"validate", "check a space definition", space_validate},
        {"export", "write a space definition as JSON", space_export},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("valuespace space", sub, argc, argv);
}
