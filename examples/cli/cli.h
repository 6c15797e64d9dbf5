/* The `valuespace` command-line tool: shared declarations.
 * Each top-level command lives in cmd_<name>.c and is listed in main.c. */
#ifndef VS_CLI_H
#define VS_CLI_H

#include <stdio.h>

#include "valuespace.h"

/* Exit statuses, the same for every command (README, `valuespace --help`). */
enum cli_exit {
    CLI_EXIT_OK = 0,          /* all done */
    CLI_EXIT_ERROR = 1,       /* an error (message on stderr) */
    CLI_EXIT_USAGE = 2,       /* a usage error: unknown flag, unknown name, missing argument */
    CLI_EXIT_ITEMS_FAILED = 3, /* finished, or stopped, with failed items (count and first cause on stderr) */
    CLI_EXIT_SIGINT = 130,     /* a journalled run stopped by SIGINT (128 + 2, as shells report it) */
    CLI_EXIT_SIGTERM = 143     /* a journalled run stopped by SIGTERM (128 + 15) */
};

/* The default of --stop-after-same-failures (VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES). */
#define CLI_SAME_FAILURES 20
/* Every option of the openai backend (vs_openai_backend_set_option()), for --help. */
#define CLI_OPENAI_OPTIONS_HELP                                                                      \
    "                    base_url=URL (default $OPENAI_BASE_URL, else http://127.0.0.1:8080)\n"     \
    "                    model=NAME (default \"default\")\n"                                        \
    "                    api_key_env=VAR (the variable holding the key; default OPENAI_API_KEY\n"  \
    "                      when it is set)\n"                                                       \
    "                    system=TEXT (a system message before each prompt, without white space or\n" \
    "                      ','; default none)\n"                                                    \
    "                    concurrency=N (requests in flight, 1-1024; default 16)\n"                 \
    "                    rpm=N (requests started per minute at most; default 0: no limit)\n"       \
    "                    timeout_ms=N (per request; default 120000)\n"                             \
    "                    connect_timeout_ms=N (default 10000)\n"                                   \
    "                    max_retries=N (of a 408/429/5xx/time-out; default 3)\n"                   \
    "                    max_tokens=N (when the command says 0; default 0: the server's)\n"       \
    "                    max_retry_after_ms=N (longest Retry-After honoured; default 60000)\n"

/* The exit statuses of a command that runs items, for its --help. */
#define CLI_EXIT_HELP_RUN                                                                            \
    "Exit status: 0 all items done; 1 error; 2 usage error; 3 items failed (how many, and the\n"       \
    "first one's cause, on stderr; the journal keeps what finished, and resume runs the rest);\n"   \
    "130 / 143 stopped by SIGINT / SIGTERM (every finished record is in the journal; resume runs\n"  \
    "the rest; a second signal stops at once).\n"

/* ---- signals (cli_signal.c; the library installs no handler) */
/* Once per process: ignores SIGXFSZ, so a write beyond `ulimit -f` fails with EFBIG (an error
 * message) instead of killing the process. */
void cli_signal_init(void);
/* The token a signal sets (created at first use; NULL without memory): a backend that runs many
 * requests within one call watches it too (vs_openai_backend_set_cancel()), so Ctrl-C ends a
 * call within 0.1 s instead of after its last request. */
const vs_cancel *cli_signal_token(void);
/* Before a journalled run: gives the n models one cancellation token and makes the first SIGINT
 * or SIGTERM set it (the run stops before its next batch, every finished record journalled);
 * a second signal kills at once. Returns VS_OK or a vs_status. */
int cli_signal_watch(vs_model *const *models, size_t n);
/* After the run: the default actions again; returns the signal that stopped it, or 0. */
int cli_signal_unwatch(void);
/* Reports on stderr that `prog` was stopped by the signal and `next` (what to do, e.g. how to
 * resume); returns CLI_EXIT_SIGINT or CLI_EXIT_SIGTERM. */
int cli_signal_exit(const char *prog, const char *next);

/* ---- journals a fault cut short (cli_journal.c) */
/* True if the journal at path is empty or holds only the start of a header line (the run stopped
 * before its first line was complete): nothing was recorded, and the run starts afresh on it. */
int cli_journal_unstarted(const char *path);
/* True if the library's last error is a write that failed for want of space (ENOSPC, EDQUOT) or
 * beyond the file size limit (EFBIG): the complete records before it are in the journal. */
int cli_error_disk_full(void);

/* A command handler gets the arguments after its own name (argv[0] is the command name) and
 * returns the process exit status (enum cli_exit). */
typedef int (*cli_handler)(int argc, char **argv);

typedef struct cli_command {
    const char *name;
    const char *summary;
    cli_handler run;
} cli_command;

/* Dispatches argv[1] among `commands` (NULL-terminated by name); prints `usage` for --help,
 * -h, no argument or an unknown command. `prog` is e.g. "valuespace space". */
int cli_dispatch(const char *prog, const cli_command *commands, int argc, char **argv);

/* Reports a library failure on stderr as "valuespace: what: STATUS_NAME: detail" and returns 1,
 * or 3 for VS_EFAILED (a run stopped because its items failed). */
int cli_fail(const char *what, int status);
/* ---- progress on stderr (cli_progress.c) */
enum { CLI_PROGRESS_OFF = 0, CLI_PROGRESS_AUTO, CLI_PROGRESS_TTY, CLI_PROGRESS_JSON };
/* Consumes --quiet or --progress auto|json|none at argv[*i] (moving *i past a value): 1 when it
 * did, 0 when argv[*i] is another flag, CLI_EXIT_USAGE (message printed) for a bad mode. */
int cli_progress_flag(int argc, char **argv, int *i, const char *prog);
/* Starts showing progress of `total` things called `what` ("records", "items"); each takes
 * `requests_per_record` HTTP requests (0: unknown), used for the ETA within a model call. */
void cli_progress_start(const char *what, uint64_t total, unsigned requests_per_record);
void cli_progress_records(uint64_t done, uint64_t total);
/* vs_runner_progress_fn: the records journalled so far. */
int cli_progress_runner_hook(void *user_data, uint64_t done, uint64_t total);
/* The openai backend's observer: one request finished (ok: a 2xx answer). */
void cli_progress_request(void *user_data, int ok);
/* The last line (a newline on a terminal); showing stops. */
void cli_progress_finish(void);
/* 1 while progress is being shown. */
int cli_progress_on(void);
/* vs_openai_backend_model() with the progress observer set (openai builds only). */
int cli_openai_model(vs_model **out, const char *const *keys, const char *const *values, size_t n);
/* The help lines of --quiet and --progress. */
#define CLI_PROGRESS_HELP                                                                            \
    "  --quiet           no progress on stderr (default: a progress line when it is a terminal:\n" \
    "                    done/total, requests and failed requests, rate, ETA)\n"                   \
    "  --progress json   progress as JSON lines on stderr (at most one a second, the last with\n"  \
    "                    \"final\": true), for harnesses; --progress none = --quiet\n"

/* The capability probe before a run of `judge_kind` (VS_RUNNER_JUDGE_*) against a server: one
 * request with one attempt; 0 when it worked or failed transiently (a server that is down), else
 * a sentence naming the server's answer and a judge that would work on stderr and CLI_EXIT_USAGE. */
int cli_probe(vs_model *m, const char *prog, int judge_kind);
/* Reports on stderr that `failed` of `total` items failed, the first one's cause in words, and
 * `next` (what to do, e.g. how to resume; may be NULL); returns 3. */
int cli_items_failed(const char *prog, uint64_t failed, uint64_t total, const char *first_id,
                     const char *first_error, const char *next);
/* Reports a usage error on stderr and returns 2. */
int cli_usage_error(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reports the library's rejection of a value the user typed (a name given to a flag such as
 * --rotate or --target, a built-in space or bank) as a usage error: "prog: flag: message" (flag
 * may be NULL), the message without its API-function prefix and, for VS_ENOTFOUND, with the
 * library's "did you mean ...? valid: ..." hint. Returns 2. */
int cli_fail_usage(const char *prog, const char *flag, int status);

/* Reports an unknown flag as a usage error, suggesting the closest flag of `usage` (the command's
 * --help text); a known flag given last without its value is reported as such. Returns 2. */
int cli_unknown_option(const char *prog, const char *opt, const char *usage);
/* Reports an unknown --backend: suggests the closest and names those of this build. Returns 2. */
int cli_unknown_backend(const char *prog, const char *backend);
/* Opens a model backend of this build ("ngram", "openai") with --backend-opt KEY=VALUE options
 * (cmd_projective.c); 0, or the CLI status after a message. */
int cli_open_backend(vs_model **out, const char *prog, const char *backend, char **opts, int nopts);

/* True if arg is "--help" or "-h". */
int cli_is_help(const char *arg);
/* Parses a finite double / a non-negative integer; return 0 on success, -1 on error. */
int cli_parse_double(const char *s, double *out);
int cli_parse_size(const char *s, size_t *out);
/* Parses "v1,v2,...,vK" into a new array (free()); returns the count or -1 on error. */
long cli_parse_double_list(const char *s, double **out);

/* How to read a CSV file: the field separator and the columns to leave out (by header name). */
typedef struct cli_csv_opts {
    char sep;         /* 0 = ',' */
    const char *skip; /* "NAME[,NAME...]" or NULL */
} cli_csv_opts;
/* The --help lines of the two options, for the commands that read a CSV. */
#define CLI_CSV_HELP                                                                                  \
    "  --sep C           field separator: one byte, or \\t or tab (default ,)\n"                     \
    "  --skip-columns NAME[,NAME...]  leave out these columns (by header name), e.g. id or text;\n"    \
    "                    a first column with an empty header (R's write.csv row names) is\n"          \
    "                    always left out, with a notice on stderr\n"
/* Takes --sep C or --skip-columns LIST at argv[*i] into o (advancing *i past the value).
 * Returns 1 if it took one, 0 if argv[*i] is neither, 2 after a usage error. */
int cli_csv_option(cli_csv_opts *o, const char *prog, int argc, char **argv, int *i);

/* Report entries of a lenient dataset read, all reasons (vs_dataset_skip_total() counts only
 * the first VS_DATASET_SKIP_DETAILS_MAX, whose details are kept). */
size_t cli_dataset_skipped(const vs_dataset *ds);

/* Reads a CSV of numbers with a header row (cli_csv.c): a UTF-8 byte-order mark is dropped;
 * empty, NA, nan or NaN = missing (NaN); fields may be quoted (and then hold the separator).
 * opts may be NULL (commas, every column). *out is rows x cols row-major (free()) over the kept
 * columns; *names gets their header names (free with cli_free_names(names, cols)) unless names
 * is NULL. Returns 0, 1 after a message on stderr (cannot open, a field that is not a number:
 * its line, column name and value), or 2 for an unknown --skip-columns name. */
int cli_read_csv_numbers(const char *prog, const char *path, const cli_csv_opts *opts, double **out, size_t *rows,
                         size_t *cols, char ***names);
void cli_free_names(char **names, size_t n);

/* Finds a data file the tool ships, e.g. "fulcra/trustworthy_data.jsonl" (cli_data.c): in the
 * installed share/valuespace beside the executable's bin/, in the source tree of a build, or
 * under ./examples/data. Writes the path to out and returns 0; otherwise returns -1 with the
 * places looked at in `tried` (comma-separated). */
int cli_find_data(const char *relative, char *out, size_t cap, char *tried, size_t tried_cap);

/* ---- a minimal JSON emitter for --json output (one document on stdout) */
typedef struct cli_json {
    FILE *f;
    int depth;
    int need_comma[64];
    int after_key;
} cli_json;

void cli_json_init(cli_json *j, FILE *f);
void cli_json_begin_object(cli_json *j);
void cli_json_end_object(cli_json *j);
void cli_json_begin_array(cli_json *j);
void cli_json_end_array(cli_json *j);
void cli_json_key(cli_json *j, const char *key);
void cli_json_string(cli_json *j, const char *s);
/* Non-finite numbers print as null. */
void cli_json_number(cli_json *j, double x);
void cli_json_int(cli_json *j, long long x);
void cli_json_bool(cli_json *j, int b);
void cli_json_null(cli_json *j);
/* Ends the document with a newline. */
void cli_json_finish(cli_json *j);

/* ---- reports (cli_report.c): provenance of what a command wrote */
/* main() records the command line as typed, for reports. */
void cli_set_command_line(int argc, char **argv);
/* SHA-256 of a file's bytes as 64 lowercase hex digits (cli_sha256.c). Returns 0, or 1 after a
 * message on stderr (cannot read). */
int cli_sha256_file(const char *path, char hex[65], unsigned long long *bytes);
/* Writes the provenance members of a report object (at the open object of j): "schema",
 * "version" (of that schema), "library_version", "command_line" (the arguments as typed),
 * "created_utc" (ISO 8601; created_utc, or now when NULL) and "inputs" ([{"path", "bytes", "sha256"}] of the n files).
 * Returns 0, or 1 after a message on stderr (an input that cannot be read). */
int cli_report_provenance(cli_json *j, const char *schema, int version, const char *created_utc,
                          const char *const *inputs, size_t n);
/* The current UTC time as 2026-01-31T12:00:00Z. */
void cli_utc_now(char buf[32]);
/* Where figures would be written in a build without cairo (VS_WITH_CAIRO=OFF): */
#define CLI_FIGURES_OFF "figures are off (built without cairo)"

/* Top-level commands. */
int cmd_version(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_space(int argc, char **argv);
int cmd_align(int argc, char **argv);
int cmd_fa(int argc, char **argv);
int cmd_fulcra(int argc, char **argv);
int cmd_projective(int argc, char **argv);
int cmd_cluster(int argc, char **argv);
int cmd_lexical(int argc, char **argv);

#endif
