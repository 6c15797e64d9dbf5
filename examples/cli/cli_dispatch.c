/* Command dispatch and the CLI's error reporting: unknown commands, flags and backends with a
 * suggestion, usage errors, failed items (the exit statuses of cli.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"

int cli_is_help(const char *arg) { return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0; }

/* ---- suggestions for the CLI's own tables (commands, flags, backends, CSV columns): the
 *      library's vs_closest_name() picks the same "did you mean" as its own messages */

/* The flags a usage text mentions ("--rotate", ...), each once, into flags[0..max); returns the
 * count. Taking them from the --help text keeps the suggestions in step with it. */
static size_t usage_flags(const char *usage, char flags[][32], size_t max) {
    size_t n = 0;
    for (const char *p = usage; n < max && (p = strstr(p, "--")) != NULL;) {
        size_t len = 2;
        while (isalnum((unsigned char)p[len]) || p[len] == '-') len++;
        int starts_word = p == usage || !(isalnum((unsigned char)p[-1]) || p[-1] == '-');
        if (starts_word && len > 2 && len < 32) {
            memcpy(flags[n], p, len);
            flags[n][len] = '\0';
            size_t k = 0;
            while (k < n && strcmp(flags[k], flags[n]) != 0) k++;
            n += k == n;
        }
        p += len;
    }
    return n;
}

int cli_unknown_option(const char *prog, const char *opt, const char *usage) {
    char flags[96][32];
    const char *names[96];
    size_t n = usage_flags(usage, flags, 96);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(flags[i], opt) == 0) return cli_usage_error(prog, "option '%s' needs a value", opt);
        names[i] = flags[i];
    }
    size_t best = vs_closest_name(opt, names, n);
    if (best != VS_NPOS) return cli_usage_error(prog, "unknown option '%s' (did you mean '%s'?)", opt, names[best]);
    return cli_usage_error(prog, "unknown option '%s'", opt);
}

int cli_unknown_backend(const char *prog, const char *backend) {
    static const char *const built[] = {
#ifdef VS_HAVE_NGRAM_BACKEND
        "ngram",
#endif
#ifdef VS_HAVE_OPENAI_BACKEND
        "openai",
#endif
        "", /* keeps the array non-empty */
    };
    size_t n = sizeof built / sizeof built[0] - 1;
    if (n == 0)
        return cli_usage_error(prog,
                               "unknown backend '%s': this build has no backend (install libsphinxbase-dev and "
                               "pocketsphinx-en-us for ngram, or libcurl4-openssl-dev and libjansson-dev for "
                               "openai, then configure and build again)",
                               backend);
    char list[64] = "";
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", built[i]);
    }
    size_t best = vs_closest_name(backend, built, n);
    if (best != VS_NPOS)
        return cli_usage_error(prog, "unknown backend '%s' (did you mean '%s'? this build has: %s)", backend,
                               built[best], list);
    return cli_usage_error(prog, "unknown backend '%s' (this build has: %s)", backend, list);
}

static void print_commands(FILE *f, const char *prog, const cli_command *commands) {
    int width = 10; /* the summaries line up even after a long name ("agglomerative") */
    for (const cli_command *c = commands; c->name; c++)
        if ((int)strlen(c->name) > width) width = (int)strlen(c->name);
    fprintf(f, "usage: %s <command> [options]\n\ncommands:\n", prog);
    for (const cli_command *c = commands; c->name; c++) fprintf(f, "  %-*s %s\n", width, c->name, c->summary);
    fprintf(f, "\nRun '%s <command> --help' for the options of a command.\n", prog);
    if (strchr(prog, ' ') == NULL) /* the top level: the exit statuses of every command */
        fprintf(f, "Exit status: 0 all done; 1 error; 2 usage error (unknown flag or name); 3 finished with\n"
                   "failed items (projective run/resume/merge, lexical elicit: how many, and the first\n"
                   "one's cause, on stderr); 130 / 143 a journalled run stopped by SIGINT / SIGTERM (resume\n"
                   "runs the rest).\n");
}

int cli_dispatch(const char *prog, const cli_command *commands, int argc, char **argv) {
    if (argc < 2) {
        print_commands(stderr, prog, commands);
        return 2;
    }
    if (cli_is_help(argv[1])) {
        print_commands(stdout, prog, commands);
        return 0;
    }
    const char *names[64];
    size_t n = 0;
    for (const cli_command *c = commands; c->name; c++) {
        if (strcmp(c->name, argv[1]) == 0) return c->run(argc - 1, argv + 1);
        if (n < 64) names[n++] = c->name;
    }
    size_t best = vs_closest_name(argv[1], names, n);
    if (best != VS_NPOS) fprintf(stderr, "%s: unknown command '%s' (did you mean '%s'?)\n", prog, argv[1], names[best]);
    else fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[1]);
    print_commands(stderr, prog, commands);
    return 2;
}

int cli_fail(const char *what, int status) {
    const char *detail = vs_last_error();
    fprintf(stderr, "valuespace: %s: %s: %s\n", what, vs_status_name(status), detail[0] ? detail : vs_strerror(status));
    return status == VS_EFAILED ? CLI_EXIT_ITEMS_FAILED : CLI_EXIT_ERROR;
}

int cli_items_failed(const char *prog, uint64_t failed, uint64_t total, const char *first_id,
                     const char *first_error, const char *next) {
    fprintf(stderr, "%s: %llu of %llu items failed; the first, %s: %s\n", prog, (unsigned long long)failed,
            (unsigned long long)total, first_id ? first_id : "(unknown)",
            first_error && first_error[0] ? first_error : "no message");
    if (next) fprintf(stderr, "%s: %s\n", prog, next);
    return CLI_EXIT_ITEMS_FAILED;
}

/* The library's message without its leading "vs_function: " (the user typed a flag, not a call). */
static const char *without_api_prefix(const char *msg) {
    if (strncmp(msg, "vs_", 3) != 0) return msg;
    const char *p = msg + 3;
    while (isalnum((unsigned char)*p) || *p == '_') p++;
    return p[0] == ':' && p[1] == ' ' ? p + 2 : msg;
}

int cli_fail_usage(const char *prog, const char *flag, int status) {
    const char *detail = vs_last_error();
    detail = detail[0] ? without_api_prefix(detail) : vs_strerror(status);
    if (flag) fprintf(stderr, "%s: %s: %s\n", prog, flag, detail);
    else fprintf(stderr, "%s: %s\n", prog, detail);
    return 2;
}

int cli_usage_error(const char *prog, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see '%s --help')\n", prog);
    va_end(ap);
    return 2;
}
