/* valuespace: the command-line face of libvaluespace. Every capability of the library gets a
 * subcommand; this file only dispatches. */
#include <string.h>

#include "cli.h"

static const cli_command commands[] = {
    {"demo", "the main job: FULCRA cross-validation, LLM value profiles, BaseAlign, a report", cmd_demo},
    {"version", "print the library version", cmd_version},
    {"--version", "the same as 'version'", cmd_version},
    {"space", "list, show, validate and export value spaces", cmd_space},
    {"align", "BaseAlign distance and reward of a score vector to a target", cmd_align},
    {"fulcra", "FULCRA data, evaluator and value profiles", cmd_fulcra},
    {"fa", "exploratory factor analysis (fit, kmo, bartlett, parallel, map)", cmd_fa},
    {"lexical", "ValueLex: elicit value words from models, build a value space from them", cmd_lexical},
    {"cluster", "k-means and agglomerative clustering of the rows of a CSV file", cmd_cluster},
    {"projective", "projective tests: item banks, runs against a model, resume, merge", cmd_projective},
    {NULL, NULL, NULL},
};

/* The optional components this build has (VS_WITH_* at configure time), for `version`. */
static const struct {
    const char *name;
    int built;
} components[] = {
#ifdef VS_HAVE_NGRAM_BACKEND
    {"ngram", 1},
#else
    {"ngram", 0},
#endif
#ifdef VS_HAVE_OPENAI_BACKEND
    {"openai", 1},
#else
    {"openai", 0},
#endif
#ifdef VS_HAVE_WORDNET_LEMMATIZER
    {"wordnet", 1},
#else
    {"wordnet", 0},
#endif
#ifdef VS_HAVE_CAIRO
    {"cairo", 1},
#else
    {"cairo", 0},
#endif
};
#define N_COMPONENTS (sizeof components / sizeof components[0])

int cmd_version(int argc, char **argv) {
    if (argc > 1 && cli_is_help(argv[1])) {
        printf("usage: valuespace version [--json]   (or valuespace --version [--json])\n"
               "Prints the library and header versions and the optional components of this build\n"
               "(backends ngram and openai, the wordnet lemmatiser, cairo for figures); --json:\n"
               "{\"version\", \"version_number\", \"components\": {\"ngram\": bool, \"openai\": bool,\n"
               "\"wordnet\": bool, \"cairo\": bool}}.\n");
        return 0;
    }
    int json = argc > 1 && strcmp(argv[1], "--json") == 0;
    if (argc > 1 + json) return cli_usage_error("valuespace version", "unexpected argument '%s'", argv[1 + json]);
    if (json) {
        cli_json j;
        cli_json_init(&j, stdout);
        cli_json_begin_object(&j);
        cli_json_key(&j, "version");
        cli_json_string(&j, vs_version_string());
        cli_json_key(&j, "version_number");
        cli_json_int(&j, vs_version());
        cli_json_key(&j, "components");
        cli_json_begin_object(&j);
        for (size_t c = 0; c < N_COMPONENTS; c++) {
            cli_json_key(&j, components[c].name);
            cli_json_bool(&j, components[c].built);
        }
        cli_json_end_object(&j);
        cli_json_end_object(&j);
        cli_json_finish(&j);
    } else {
        printf("valuespace %s (library %s)\ncomponents:", VS_VERSION_STRING, vs_version_string());
        for (size_t c = 0; c < N_COMPONENTS; c++)
            printf(" %s=%s", components[c].name, components[c].built ? "on" : "off");
        printf("\n");
    }
    return 0;
}

int main(int argc, char **argv) {
    cli_set_command_line(argc, argv);
    cli_signal_init();
    return cli_dispatch("valuespace", commands, argc, argv);
}
