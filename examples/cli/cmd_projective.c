/* valuespace projective: projective tests (ValueLex sentence completions).
 *
 * This file holds the `projective` dispatcher, the `bank` subcommands (list, show) and run,
 * resume, rejudge and merge; handlers follow cli.h (arguments after their own name, exit 0/1/2). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "projective_compare.h"
#include "projective_judge.h"
#ifdef VS_HAVE_OPENAI_BACKEND
#include "openai_backend.h"
#endif
#ifdef VS_HAVE_NGRAM_BACKEND
#include "ngram_backend.h"
#endif

/* Registered in main.c as {"projective", ..., cmd_projective}. */

/* NAME|FILE: a file when it ends in .json, holds a '/' or exists; otherwise a built-in. */
static int is_file_arg(const char *arg) {
    size_t len = strlen(arg);
    if ((len > 5 && strcmp(arg + len - 5, ".json") == 0) || strchr(arg, '/')) return 1;
    FILE *f = fopen(arg, "rb");
    if (f) fclose(f);
    return f != NULL;
}

/* Opens a bank by built-in name or file; `space_arg` (NULL for none) is a space NAME|FILE that
 * the bank's items are resolved in instead of the space the bank names. On failure reports the
 * error and returns 1. */
static int open_bank(vs_bank **out, const char *name_or_file, const char *space_arg) {
    vs_space *space = NULL;
    int rc;
    if (space_arg) {
        int file = is_file_arg(space_arg);
        rc = file ? vs_space_load_file(&space, space_arg) : vs_space_builtin(&space, space_arg);
        /* an unknown built-in name is a usage error; the library's message suggests the closest */
        if (rc != VS_OK)
            return rc == VS_ENOTFOUND && !file ? cli_fail_usage("valuespace projective", "--space", rc)
                                               : cli_fail(space_arg, rc);
    }
    int file = is_file_arg(name_or_file);
    if (file) {
        rc = vs_bank_load_file(out, name_or_file, space);
    } else if (space) {
        vs_space_free(space);
        return cli_usage_error("valuespace projective bank show", "--space applies to bank files, not to built-in '%s'",
                               name_or_file);
    } else {
        rc = vs_bank_builtin(out, name_or_file);
    }
    vs_space_free(space); /* the bank keeps its own reference */
    if (rc == VS_OK) return 0;
    return rc == VS_ENOTFOUND && !file ? cli_fail_usage("valuespace projective", NULL, rc) : cli_fail(name_or_file, rc);
}

/* Counts over a bank's items. */
typedef struct bank_stats {
    size_t reverse, multi;
} bank_stats;

static bank_stats stats_of(const vs_bank *b) {
    bank_stats st = {0, 0};
    for (size_t i = 0; i < vs_bank_item_count(b); i++) {
        if (vs_bank_item_reverse(b, i)) st.reverse++;
        if (vs_bank_item_dimension_count(b, i) > 1) st.multi++;
    }
    return st;
}

/* Reverse-keyed items per dimension (a new array, free()), or NULL when out of memory. */
static size_t *reverse_counts(const vs_bank *b) {
    size_t nd = vs_space_dimension_count(vs_bank_space(b));
    size_t *r = calloc(nd ? nd : 1, sizeof *r);
    if (!r) return NULL;
    for (size_t i = 0; i < vs_bank_item_count(b); i++)
        if (vs_bank_item_reverse(b, i))
            for (size_t k = 0; k < vs_bank_item_dimension_count(b, i); k++) r[vs_bank_item_dimension(b, i, k)]++;
    return r;
}

/* {"name","description","space","items","reverse","multi_label","continuations",
 *  "dimensions":[{"key","label","level","items","reverse"}]} for the dimensions the bank probes. */
static int json_summary(cli_json *j, const vs_bank *b) {
    const vs_space *sp = vs_bank_space(b);
    size_t *rev = reverse_counts(b);
    if (!rev) return cli_fail("projective bank", VS_ENOMEM);
    bank_stats st = stats_of(b);
    cli_json_begin_object(j);
    cli_json_key(j, "name");
    cli_json_string(j, vs_bank_name(b));
    cli_json_key(j, "description");
    cli_json_string(j, vs_bank_description(b));
    cli_json_key(j, "space");
    cli_json_string(j, vs_space_name(sp));
    cli_json_key(j, "items");
    cli_json_int(j, (long long)vs_bank_item_count(b));
    cli_json_key(j, "reverse");
    cli_json_int(j, (long long)st.reverse);
    cli_json_key(j, "multi_label");
    cli_json_int(j, (long long)st.multi);
    cli_json_key(j, "continuations");
    cli_json_int(j, (long long)vs_bank_continuation_count(b));
    cli_json_key(j, "dimensions");
    cli_json_begin_array(j);
    for (size_t d = 0; d < vs_space_dimension_count(sp); d++) {
        size_t n = vs_bank_dimension_item_count(b, d);
        if (!n) continue;
        cli_json_begin_object(j);
        cli_json_key(j, "key");
        cli_json_string(j, vs_space_key(sp, d));
        cli_json_key(j, "label");
        cli_json_string(j, vs_space_label(sp, d));
        cli_json_key(j, "level");
        cli_json_string(j, vs_space_level_name(sp, vs_space_dimension_level(sp, d)));
        cli_json_key(j, "items");
        cli_json_int(j, (long long)n);
        cli_json_key(j, "reverse");
        cli_json_int(j, (long long)rev[d]);
        cli_json_end_object(j);
    }
    cli_json_end_array(j);
    cli_json_end_object(j);
    free(rev);
    return 0;
}

static const char list_usage[] =
    "usage: valuespace projective bank list [--json]\n\n"
    "Lists the built-in item banks: their space, number of items (reverse-keyed, multi-label, with\n"
    "high/low continuations) and the items per dimension.\n"
    "  --json  [{\"name\", \"description\", \"space\", \"items\", \"reverse\", \"multi_label\",\n"
    "           \"continuations\", \"dimensions\": [{\"key\", \"label\", \"level\", \"items\", \"reverse\"}]}]\n";

static int bank_list(int argc, char **argv) {
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(list_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else {
            return cli_usage_error("valuespace projective bank list", "unexpected argument '%s'", argv[i]);
        }
    }
    cli_json j;
    if (json) {
        cli_json_init(&j, stdout);
        cli_json_begin_array(&j);
    }
    for (size_t w = 0; w < vs_bank_builtin_count(); w++) {
        vs_bank *b = NULL;
        int rc = vs_bank_builtin(&b, vs_bank_builtin_name(w));
        if (rc != VS_OK) return cli_fail(vs_bank_builtin_name(w), rc);
        if (json) {
            rc = json_summary(&j, b);
        } else {
            const vs_space *sp = vs_bank_space(b);
            bank_stats st = stats_of(b);
            printf("%-12s %zu items over space %s (%zu reverse-keyed, %zu multi-label, %zu with continuations)\n",
                   vs_bank_name(b), vs_bank_item_count(b), vs_space_name(sp), st.reverse, st.multi,
                   vs_bank_continuation_count(b));
            const char *sep = "             ";
            for (size_t d = 0; d < vs_space_dimension_count(sp); d++) {
                size_t n = vs_bank_dimension_item_count(b, d);
                if (!n) continue;
                printf("%s%s %zu", sep, vs_space_key(sp, d), n);
                sep = ", ";
            }
            printf("\n");
        }
        vs_bank_free(b);
        if (rc != 0) return rc;
    }
    if (json) {
        cli_json_end_array(&j);
        cli_json_finish(&j);
    }
    return 0;
}

static const char show_usage[] =
    "usage: valuespace projective bank show NAME|FILE [--space NAME|FILE] [--json]\n\n"
    "Shows an item bank: a built-in (valuelex, schwartz10) or a bank file (schema\n"
    "valuespace/bank, version 1). A bank file is checked on the way: the first problem is\n"
    "reported with its FILE:LINE:COLUMN (exit 1).\n"
    "  --space  resolve the file's dimensions in this space (a built-in name or a space file)\n"
    "           instead of the space the file names\n"
    "  --json   print the bank itself as JSON (schema valuespace/bank, version 1), e.g. to start\n"
    "           a bank of your own from a built-in one\n"
    "Without --json: the description, items per dimension (with reverse-keyed ones), then every\n"
    "item: id, dimensions, keying, stem and its high/low continuations.\n";

static void print_item(const vs_bank *b, size_t i) {
    const vs_space *sp = vs_bank_space(b);
    printf("%s [", vs_bank_item_id(b, i));
    for (size_t k = 0; k < vs_bank_item_dimension_count(b, i); k++)
        printf("%s%s", k ? ", " : "", vs_space_key(sp, vs_bank_item_dimension(b, i, k)));
    printf("]%s\n  %s\n", vs_bank_item_reverse(b, i) ? " reverse-keyed" : "", vs_bank_item_stem(b, i));
    if (vs_bank_item_high(b, i)) printf("  high: %s\n  low:  %s\n", vs_bank_item_high(b, i), vs_bank_item_low(b, i));
}

static int bank_show(int argc, char **argv) {
    const char *name = NULL, *space_arg = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(show_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--space") == 0 && i + 1 < argc) {
            space_arg = argv[++i];
        } else if (!name && argv[i][0] != '-') {
            name = argv[i];
        } else {
            return cli_usage_error("valuespace projective bank show", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!name) return cli_usage_error("valuespace projective bank show", "a bank name or file is required");
    vs_bank *b = NULL;
    int rc = open_bank(&b, name, space_arg);
    if (rc != 0) return rc;
    if (json) {
        char *text = NULL;
        int st = vs_bank_save_json(&text, b);
        if (st == VS_OK) fputs(text, stdout);
        vs_free(text);
        vs_bank_free(b);
        return st == VS_OK ? 0 : cli_fail(name, st);
    }
    const vs_space *sp = vs_bank_space(b);
    size_t *rev = reverse_counts(b);
    if (!rev) {
        vs_bank_free(b);
        return cli_fail(name, VS_ENOMEM);
    }
    bank_stats st = stats_of(b);
    printf("%s: %s\n", vs_bank_name(b), vs_bank_description(b));
    printf("space %s; %zu items, %zu reverse-keyed, %zu multi-label, %zu with high/low continuations\n\n",
           vs_space_name(sp), vs_bank_item_count(b), st.reverse, st.multi, vs_bank_continuation_count(b));
    printf("  %-24s %6s %8s\n", "dimension", "items", "reverse");
    for (size_t d = 0; d < vs_space_dimension_count(sp); d++) {
        size_t n = vs_bank_dimension_item_count(b, d);
        if (n) printf("  %-24s %6zu %8zu\n", vs_space_key(sp, d), n, rev[d]);
    }
    printf("\n");
    for (size_t i = 0; i < vs_bank_item_count(b); i++) print_item(b, i);
    free(rev);
    vs_bank_free(b);
    return 0;
}

static int projective_bank(int argc, char **argv) {
    static const cli_command bank_commands[] = {
        {"list", "the built-in item banks", bank_list},
        {"show", "the items of a bank (built-in or file); --json writes it as a bank file", bank_show},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("valuespace projective bank", bank_commands, argc, argv);
}

/* ---------------------------------------------------------------- run, resume, merge */


#if defined(VS_HAVE_NGRAM_BACKEND) || defined(VS_HAVE_OPENAI_BACKEND)
/* Splits a --backend-opt "KEY=VALUE" into key (a caller buffer) and value; 0 on success. */
static int split_opt(const char *opt, char key[64], const char **value) {
    const char *eq = strchr(opt, '=');
    if (!eq || eq == opt || (size_t)(eq - opt) >= 64) return -1;
    memcpy(key, opt, (size_t)(eq - opt));
    key[eq - opt] = '\0';
    *value = eq + 1;
    return 0;
}
#endif

#ifdef VS_HAVE_NGRAM_BACKEND
static int open_ngram(vs_model **out, const char *prog, char **opts, int nopts) {
    const char *lm = NULL;
    for (int i = 0; i < nopts; i++)
        if (strncmp(opts[i], "lm=", 3) == 0) lm = opts[i] + 3;
    vs_model_callbacks cb;
    void *be = NULL;
    int rc = vs_ngram_backend_create(&cb, &be, lm);
    if (rc != VS_OK) return cli_fail("ngram backend", rc);
    for (int i = 0; i < nopts; i++) {
        char key[64];
        const char *value;
        if (strncmp(opts[i], "lm=", 3) == 0) continue;
        if (split_opt(opts[i], key, &value) != 0) {
            vs_ngram_backend_destroy(be);
            return cli_usage_error(prog, "--backend-opt '%s' is not KEY=VALUE", opts[i]);
        }
        if ((rc = vs_ngram_backend_set_option(be, key, value)) != VS_OK) {
            vs_ngram_backend_destroy(be);
            return cli_fail(opts[i], rc);
        }
    }
    if ((rc = vs_model_create(out, &cb, be)) != VS_OK) {
        vs_ngram_backend_destroy(be);
        return cli_fail("ngram backend", rc);
    }
    return 0;
}
#endif

#ifdef VS_HAVE_OPENAI_BACKEND
static int open_openai(vs_model **out, const char *prog, char **opts, int nopts) {
    const char *keys[32], *values[32];
    char key_buf[32][64];
    if (nopts > 32) return cli_usage_error(prog, "at most 32 --backend-opt options");
    for (int i = 0; i < nopts; i++) {
        if (split_opt(opts[i], key_buf[i], &values[i]) != 0)
            return cli_usage_error(prog, "--backend-opt '%s' is not KEY=VALUE", opts[i]);
        keys[i] = key_buf[i];
    }
    int rc = cli_openai_model(out, keys, values, (size_t)nopts);
    return rc == VS_OK ? 0 : cli_fail("openai backend", rc);
}
#endif

/* The model id written to the journal: the backend name, then " k=v" per --backend-opt, in the
 * order given (values may not contain white space), so that resume can reopen the backend. */
static int open_backend(vs_model **out, const char *prog, const char *backend, char **opts, int nopts) {
    *out = NULL;
    (void)opts;
    (void)nopts;
#ifdef VS_HAVE_NGRAM_BACKEND
    if (strcmp(backend, "ngram") == 0) return open_ngram(out, prog, opts, nopts);
#endif
#ifdef VS_HAVE_OPENAI_BACKEND
    if (strcmp(backend, "openai") == 0) return open_openai(out, prog, opts, nopts);
#endif
    return cli_unknown_backend(prog, backend);
}

int cli_open_backend(vs_model **out, const char *prog, const char *backend, char **opts, int nopts) {
    return open_backend(out, prog, backend, opts, nopts);
}

/* Requests per model call by default: large, so that the openai backend's window of
 * `concurrency` requests in flight stays full through a call (it drains only at the call's
 * end); records go to the journal after each call. */
#define CLI_PROJECTIVE_BATCH 1024

/* Requests per model call, and the early stop when the first items all fail alike. */
static int set_model_options(vs_model *m, size_t batch, size_t same_failures) {
    int rc = vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, (int64_t)batch);
    if (rc == VS_OK) rc = vs_model_set_int(m, VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES, (int64_t)same_failures);
    return rc;
}

static int print_result(const vs_runner_result *res, int json) {
    size_t nd = vs_runner_result_dimension_count(res);
    cli_json j;
    if (json) {
        cli_json_init(&j, stdout);
        cli_json_begin_object(&j);
        cli_json_key(&j, "dimensions");
        cli_json_begin_array(&j);
    } else {
        printf("%-24s %8s %8s %8s %8s %10s %8s\n", "dimension", "score", "ci_low", "ci_high", "n", "n_related",
               "coverage");
    }
    for (size_t d = 0; d < nd; d++) {
        vs_runner_score s = VS_RUNNER_SCORE_INIT;
        int rc = vs_runner_result_score(&s, res, d);
        if (rc != VS_OK) return cli_fail("score", rc);
        if (json) {
            cli_json_begin_object(&j);
            cli_json_key(&j, "key");
            cli_json_string(&j, vs_runner_result_dimension_key(res, d));
            cli_json_key(&j, "score");
            cli_json_number(&j, s.score);
            cli_json_key(&j, "ci_low");
            cli_json_number(&j, s.ci_low);
            cli_json_key(&j, "ci_high");
            cli_json_number(&j, s.ci_high);
            cli_json_key(&j, "n");
            cli_json_int(&j, (long long)s.n);
            cli_json_key(&j, "n_related");
            cli_json_int(&j, (long long)s.n_related);
            cli_json_key(&j, "coverage");
            cli_json_number(&j, s.coverage); /* null when n = 0 */
            cli_json_end_object(&j);
        } else {
            char cov[16] = "-";
            if (s.n) snprintf(cov, sizeof cov, "%.3f", s.coverage);
            if (s.n_related == 0) /* no related judgement: no score (not "nan", 0, 50 or 100) */
                printf("%-24s %8s %8s %8s %8llu %10llu %8s\n", vs_runner_result_dimension_key(res, d), "-", "-", "-",
                       (unsigned long long)s.n, 0ULL, cov);
            else if (isnan(s.ci_low))
                printf("%-24s %8.2f %8s %8s %8llu %10llu %8s\n", vs_runner_result_dimension_key(res, d), s.score, "-",
                       "-", (unsigned long long)s.n, (unsigned long long)s.n_related, cov);
            else
                printf("%-24s %8.2f %8.2f %8.2f %8llu %10llu %8s\n", vs_runner_result_dimension_key(res, d), s.score,
                       s.ci_low, s.ci_high, (unsigned long long)s.n, (unsigned long long)s.n_related, cov);
        }
    }
    uint64_t first = 0, answers = 0;
    vs_runner_result_position(res, &first, &answers);
    if (json) {
        cli_json_end_array(&j);
        if (answers) { /* the choice judge: how often the option shown first was chosen */
            cli_json_key(&j, "position");
            cli_json_begin_object(&j);
            cli_json_key(&j, "first");
            cli_json_int(&j, (long long)first);
            cli_json_key(&j, "answers");
            cli_json_int(&j, (long long)answers);
            cli_json_key(&j, "share_first");
            cli_json_number(&j, (double)first / (double)answers);
            cli_json_end_object(&j);
        }
        cli_json_key(&j, "done");
        cli_json_int(&j, (long long)vs_runner_result_done(res));
        cli_json_key(&j, "failed");
        cli_json_int(&j, (long long)vs_runner_result_failed(res));
        cli_json_end_object(&j);
        cli_json_finish(&j);
    } else {
        if (answers)
            printf("position: option A chosen in %llu of %llu answers (%.3f)\n", (unsigned long long)first,
                   (unsigned long long)answers, (double)first / (double)answers);
        printf("done %llu, failed %llu\n", (unsigned long long)vs_runner_result_done(res),
               (unsigned long long)vs_runner_result_failed(res));
    }
    return 0;
}

static const char run_usage[] =
    "usage: valuespace projective run --bank NAME|FILE --backend ngram|openai [--backend-opt K=V]...\n"
    "         --judge loglik|choice|builtin:MODEL [--repeats R] [--seed S] [--shard k/N] [--batch B]\n"
    "         [--max-tokens N] [--temperature T] [--stop-after-same-failures N] [--fsync]\n"
    "         --journal FILE [--quiet | --progress json] [--json]\n\n"
    "Runs a bank against a model and judges every item and repeat:\n"
    "  --judge loglik          forced choice: which of the item's keyed high/low continuations\n"
    "                          the model finds more likely (no generation)\n"
    "  --judge choice          forced choice for chat-only servers: the model is shown the stem\n"
    "                          with the high and low continuations as options A and B (seeded\n"
    "                          order) and answers a letter; anything but A or B fails the record\n"
    "                          (its answer is in the journal); the output counts how often\n"
    "                          option A was chosen (position bias)\n"
    "  --judge builtin:MODEL   the model completes the stem (seeded per item and repeat), then the\n"
    "                          FULCRA evaluator in MODEL (a file of `valuespace fulcra train`)\n"
    "                          judges the completion on each value: the largest of p(+1) (high),\n"
    "                          p(0) (unrelated) and p(-1) (low); a tie for the largest is\n"
    "                          unrelated. The evaluator must know every value of the bank (e.g.\n"
    "                          schwartz10)\n"
    "Every finished record is appended to the journal at once (resume an interrupted run with\n"
    "`projective resume`). Scores: 100 x the share of related (not unrelated) judgements that are\n"
    "high, per dimension (reverse-keyed items flipped), with a 95% bootstrap interval over items;\n"
    "n counts the judgements, n_related those that are high or low, coverage = n_related / n. A\n"
    "dimension without a related judgement has no score (\"-\"; null in --json).\n"
    "  --backend ngram   the CMU trigram model (real, but far too weak for value findings);\n"
    "                    options: lm=PATH, max_tokens=N\n"
    "  --backend openai  an OpenAI-compatible server (llama.cpp, vLLM, Ollama); options:\n"
    CLI_OPENAI_OPTIONS_HELP
    "                    (the loglik judge needs /v1/completions with echo + logprobs; one probe\n"
    "                    request checks what the judge needs first and refuses, exit 2, a server\n"
    "                    that cannot serve it)\n"
    "  --shard k/N       only the items whose id hash is k mod N (merge shards with `merge`)\n"
    "  --batch B         requests per model call (results do not depend on it; default 1024):\n"
    "                    records are journalled after each call, the openai backend keeps\n"
    "                    `concurrency` of a call's requests in flight\n"
    "  --max-tokens N    generation length (builtin judge; 0 = the backend's default)\n"
    "  --temperature T   generation temperature (builtin judge; default 1)\n"
    "  --stop-after-same-failures N\n"
    "                    stop when the first N records all failed with the same cause (a server\n"
    "                    that is down, a judge the server cannot serve); 0 = never; default 20\n"
    "  --json            {\"dimensions\":[{\"key\",\"score\",\"ci_low\",\"ci_high\",\"n\",\"n_related\",\n"
    "                    \"coverage\"}],\"position\" (choice: {\"first\",\"answers\",\"share_first\"}),\n"
    "                    \"done\",\"failed\"}\n"
    CLI_PROGRESS_HELP
    CLI_EXIT_HELP_RUN;

/* Exit 3 with the count and the first failure's cause when records failed (the scores of the
 * rest are printed all the same); `journal` (NULL after a merge) goes into the resume hint. */
static int report_failures(const vs_runner_result *res, const char *prog, const char *journal) {
    uint64_t failed = vs_runner_result_failed(res);
    if (failed == 0) return CLI_EXIT_OK;
    const char *item = NULL, *msg = NULL;
    uint64_t repeat = 0;
    char where[600], next[4200];
    if (vs_runner_result_first_failure(res, &item, &repeat, NULL, &msg) == VS_OK)
        snprintf(where, sizeof where, "item '%s' repeat %llu", item, (unsigned long long)repeat);
    else
        snprintf(where, sizeof where, "(unknown)");
    if (journal)
        snprintf(next, sizeof next,
                 "the failed records are in the journal; fix the cause, then run them again with "
                 "`valuespace projective resume --journal %s`",
                 journal);
    else
        snprintf(next, sizeof next, "run the journals that hold them again with `valuespace projective resume`");
    return cli_items_failed(prog, failed, failed + vs_runner_result_done(res), where, msg, next);
}

static int finish_run(vs_runner *r, vs_model *m, cli_judge *judge, int resume, const char *journal, int json) {
    const char *prog = resume ? "valuespace projective resume" : "valuespace projective run";
    cli_progress_start("records", 0, !m ? 0 : judge->kind == VS_RUNNER_JUDGE_LOGLIK ? 2 : 1);
    if (cli_progress_on()) vs_runner_set_progress(r, cli_progress_runner_hook, NULL);
    vs_runner_result *res = NULL;
    /* a signal cancels through every model the run calls: the generator (none when rejudging)
     * and the judge model */
    vs_model *watched[2];
    size_t nwatched = 0;
    if (m) watched[nwatched++] = m;
    if (judge && judge->model) watched[nwatched++] = judge->model;
    int rc = cli_signal_watch(watched, nwatched);
    if (rc == VS_OK) rc = resume ? vs_runner_resume(&res, r) : vs_runner_run(&res, r);
    cli_progress_finish();
    char next[4200];
    snprintf(next, sizeof next, "run the rest with `valuespace projective resume --journal %s`", journal);
    int st;
    if (cli_signal_unwatch() && rc == VS_ECANCELED)
        st = cli_signal_exit(prog, next);
    else
        st = rc == VS_OK ? print_result(res, json) : cli_fail(prog + strlen("valuespace "), rc);
    if (rc == VS_OK && st == 0) st = report_failures(res, prog, journal);
    else if (rc == VS_EFAILED)
        fprintf(stderr, "%s: the records so far are in the journal; fix the cause, then %s\n", prog, next);
    else if (rc == VS_EIO && cli_error_disk_full() && cli_journal_unstarted(journal))
        fprintf(stderr, "%s: nothing was recorded; free space (or raise the file size limit), then start the run "
                        "again with the same command\n", prog);
    else if (rc == VS_EIO && cli_error_disk_full()) /* the complete records are kept */
        fprintf(stderr, "%s: every complete record is in the journal; free space (or raise the file size limit), "
                        "then %s\n", prog, next);
    vs_runner_result_free(res);
    vs_runner_free(r);
    vs_model_free(m);
    cli_judge_close(judge);
    return st;
}

/* A runner rejudging `source` with the judge jd into `journal`; shard "k/N" or NULL for the
 * source's. */
static int rejudge_runner(vs_runner **out, const char *source, const vs_bank *bank, const cli_judge *jd,
                          const char *shard, const char *journal, int fsync_flag) {
    vs_runner *r = NULL;
    int rc = vs_runner_create_rejudge(&r, source, bank, jd->kind, jd->model);
    if (rc == VS_OK && shard) {
        unsigned long long k = 0, n = 1;
        if (sscanf(shard, "%llu/%llu", &k, &n) == 2 &&
            (rc = vs_runner_set_int(r, VS_RUNNER_OPT_SHARD_COUNT, (int64_t)n)) == VS_OK)
            rc = vs_runner_set_int(r, VS_RUNNER_OPT_SHARD_INDEX, (int64_t)k);
    }
    if (rc == VS_OK && (rc = vs_runner_set_str(r, VS_RUNNER_OPT_JUDGE_ID, jd->id)) == VS_OK &&
        (rc = vs_runner_set_int(r, VS_RUNNER_OPT_FSYNC, fsync_flag)) == VS_OK)
        rc = vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, journal);
    if (rc != VS_OK) {
        vs_runner_free(r);
        return rc;
    }
    *out = r;
    return VS_OK;
}

static int projective_run(int argc, char **argv) {
    const char *prog = "valuespace projective run";
    const char *bank_arg = NULL, *backend = NULL, *judge = NULL, *journal = NULL;
    char *opts[64];
    int nopts = 0, json = 0, fsync_flag = 0, pf = 0;
    size_t repeats = 1, batch = CLI_PROJECTIVE_BATCH, k = 0, n = 1, max_tokens = 0, same_failures = CLI_SAME_FAILURES;
    unsigned long long seed = 0;
    double temperature = 1.0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (cli_is_help(a)) {
            fputs(run_usage, stdout);
            return 0;
        } else if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--fsync") == 0) {
            fsync_flag = 1;
        } else if (strcmp(a, "--bank") == 0 && has) {
            bank_arg = argv[++i];
        } else if (strcmp(a, "--backend") == 0 && has) {
            backend = argv[++i];
        } else if (strcmp(a, "--backend-opt") == 0 && has) {
            const char *o = argv[++i];
            if (nopts == 64) return cli_usage_error(prog, "too many --backend-opt");
            if (!strchr(o, '=') || strpbrk(o, " \t\r\n"))
                return cli_usage_error(prog, "--backend-opt '%s' must be KEY=VALUE without white space", o);
            opts[nopts++] = argv[i];
        } else if (strcmp(a, "--judge") == 0 && has) {
            judge = argv[++i];
        } else if (strcmp(a, "--journal") == 0 && has) {
            journal = argv[++i];
        } else if (strcmp(a, "--repeats") == 0 && has) {
            if (cli_parse_size(argv[++i], &repeats) != 0 || repeats == 0)
                return cli_usage_error(prog, "--repeats must be a positive integer");
        } else if (strcmp(a, "--batch") == 0 && has) {
            if (cli_parse_size(argv[++i], &batch) != 0 || batch == 0)
                return cli_usage_error(prog, "--batch must be a positive integer");
        } else if (strcmp(a, "--stop-after-same-failures") == 0 && has) {
            if (cli_parse_size(argv[++i], &same_failures) != 0)
                return cli_usage_error(prog, "--stop-after-same-failures must be a non-negative integer");
        } else if (strcmp(a, "--max-tokens") == 0 && has) {
            if (cli_parse_size(argv[++i], &max_tokens) != 0)
                return cli_usage_error(prog, "--max-tokens must be a non-negative integer");
        } else if (strcmp(a, "--temperature") == 0 && has) {
            char *end = NULL;
            const char *v = argv[++i];
            temperature = strtod(v, &end);
            if (!v[0] || *end || !(temperature >= 0 && temperature <= 100))
                return cli_usage_error(prog, "--temperature must be a number in [0, 100]");
        } else if (strcmp(a, "--seed") == 0 && has) {
            char *end = NULL;
            const char *v = argv[++i];
            seed = strtoull(v, &end, 10);
            if (!v[0] || *end || v[0] == '-') return cli_usage_error(prog, "--seed must be a non-negative integer");
        } else if (strcmp(a, "--shard") == 0 && has) {
            const char *v = argv[++i];
            char extra;
            if (sscanf(v, "%zu/%zu%c", &k, &n, &extra) != 2 || n == 0 || k >= n)
                return cli_usage_error(prog, "--shard must be k/N with 0 <= k < N, e.g. 0/3");
        } else if ((pf = cli_progress_flag(argc, argv, &i, prog)) != 0) {
            if (pf != 1) return pf;
        } else if (a[0] == '-') {
            return cli_unknown_option(prog, a, run_usage);
        } else {
            return cli_usage_error(prog, "unexpected argument '%s'", a);
        }
    }
    if (!bank_arg || !backend || !judge || !journal)
        return cli_usage_error(prog, "--bank, --backend, --judge and --journal are required");
    vs_bank *bank = NULL;
    int st = open_bank(&bank, bank_arg, NULL);
    if (st != 0) return st;
    cli_judge jd;
    st = cli_judge_open(&jd, prog, judge, bank);
    if (st != 0) {
        vs_bank_free(bank);
        return st;
    }
    vs_model *m = NULL;
    st = open_backend(&m, prog, backend, opts, nopts);
    if (st == 0 && strcmp(backend, "openai") == 0 && (st = cli_probe(m, prog, jd.kind)) != 0) vs_model_free(m);
    if (st != 0) {
        vs_bank_free(bank);
        cli_judge_close(&jd);
        return st;
    }
    char model_id[4096];
    size_t len = (size_t)snprintf(model_id, sizeof model_id, "%s", backend);
    for (int i = 0; i < nopts && len < sizeof model_id; i++)
        len += (size_t)snprintf(model_id + len, sizeof model_id - len, " %s", opts[i]);
    if (len >= sizeof model_id) {
        vs_bank_free(bank);
        vs_model_free(m);
        cli_judge_close(&jd);
        return cli_usage_error(prog, "the backend options are too long");
    }
    vs_runner *r = NULL;
    int rc = set_model_options(m, batch, same_failures);
    if (rc == VS_OK) rc = vs_runner_create(&r, bank, m, jd.kind, jd.model);
    vs_bank_free(bank);
    if (rc == VS_OK && (rc = vs_runner_set_int(r, VS_RUNNER_OPT_REPEATS, (int64_t)repeats)) == VS_OK &&
        (rc = vs_runner_set_int(r, VS_RUNNER_OPT_SHARD_COUNT, (int64_t)n)) == VS_OK &&
        (rc = vs_runner_set_int(r, VS_RUNNER_OPT_SHARD_INDEX, (int64_t)k)) == VS_OK &&
        (rc = vs_runner_set_int(r, VS_RUNNER_OPT_FSYNC, fsync_flag)) == VS_OK &&
        (rc = vs_runner_set_seed(r, (uint64_t)seed)) == VS_OK &&
        (rc = vs_runner_set_str(r, VS_RUNNER_OPT_MODEL_ID, model_id)) == VS_OK &&
        (rc = vs_runner_set_str(r, VS_RUNNER_OPT_BANK_REF, bank_arg)) == VS_OK &&
        (rc = vs_runner_set_int(r, VS_RUNNER_OPT_MAX_TOKENS, (int64_t)max_tokens)) == VS_OK &&
        (rc = vs_runner_set_double(r, VS_RUNNER_OPT_TEMPERATURE, temperature)) == VS_OK &&
        (!jd.id || (rc = vs_runner_set_str(r, VS_RUNNER_OPT_JUDGE_ID, jd.id)) == VS_OK))
        rc = vs_runner_set_str(r, VS_RUNNER_OPT_JOURNAL, journal);
    if (rc != VS_OK) {
        vs_runner_free(r);
        vs_model_free(m);
        cli_judge_close(&jd);
        return cli_fail(prog + strlen("valuespace "), rc);
    }
    if (cli_journal_unstarted(journal) && truncate(journal, 0) != 0) /* it holds nothing: start on it */
        fprintf(stderr, "%s: cannot empty the journal '%s' a fault left without header: %s\n", prog, journal,
                strerror(errno));
    return finish_run(r, m, &jd, 0, journal, json);
}

static const char resume_usage[] =
    "usage: valuespace projective resume --journal FILE [--batch B] [--stop-after-same-failures N]\n"
    "         [--quiet | --progress json] [--json]\n\n"
    "Continues an interrupted `projective run` from its journal: reopens the bank and the backend\n"
    "named in the journal's header, skips the finished records, truncates a torn last line and\n"
    "runs the rest. Prints the scores of the whole run (as `run`). --batch as in `run`\n"
    "(default 1024).\n"
    CLI_PROGRESS_HELP
    CLI_EXIT_HELP_RUN;

static int projective_resume(int argc, char **argv) {
    const char *prog = "valuespace projective resume";
    const char *journal = NULL;
    int json = 0, pf = 0;
    size_t batch = CLI_PROJECTIVE_BATCH, same_failures = CLI_SAME_FAILURES;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(resume_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--journal") == 0 && i + 1 < argc) {
            journal = argv[++i];
        } else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
            if (cli_parse_size(argv[++i], &batch) != 0 || batch == 0)
                return cli_usage_error(prog, "--batch must be a positive integer");
        } else if (strcmp(argv[i], "--stop-after-same-failures") == 0 && i + 1 < argc) {
            if (cli_parse_size(argv[++i], &same_failures) != 0)
                return cli_usage_error(prog, "--stop-after-same-failures must be a non-negative integer");
        } else if ((pf = cli_progress_flag(argc, argv, &i, prog)) != 0) {
            if (pf != 1) return pf;
        } else if (argv[i][0] == '-') {
            return cli_unknown_option(prog, argv[i], resume_usage);
        } else {
            return cli_usage_error(prog, "unexpected argument '%s'", argv[i]);
        }
    }
    if (!journal) return cli_usage_error(prog, "--journal is required");
    if (cli_journal_unstarted(journal)) {
        fprintf(stderr, "%s: journal '%s' is empty or holds only a torn header (the run stopped before its first "
                        "line was complete, e.g. on a full disk), so nothing was recorded: start the run again with "
                        "the same `valuespace projective run` command, which accepts this journal\n", prog, journal);
        return CLI_EXIT_ERROR;
    }
    /* the header once (which bank, backend and judge to open), the records once (the resume) */
    vs_runner_journal_header *hdr = NULL;
    int rc = vs_runner_journal_header_read(&hdr, journal);
    if (rc != VS_OK) return cli_fail(journal, rc);
    const char *bank_ref = vs_runner_journal_header_field(hdr, "bank_ref");
    char *model_id = strdup(vs_runner_journal_header_field(hdr, "model"));
    char *judge = strdup(vs_runner_journal_header_field(hdr, "judge"));
    if (!model_id || !judge) {
        free(model_id);
        free(judge);
        vs_runner_journal_header_free(hdr);
        return cli_fail(journal, VS_ENOMEM);
    }
    int st = 0;
    vs_bank *bank = NULL;
    vs_model *m = NULL;
    char *words[66];
    int nw = 0;
    for (char *t = strtok(model_id, " "); t && nw < 66; t = strtok(NULL, " ")) words[nw++] = t;
    cli_judge jd;
    memset(&jd, 0, sizeof jd);
    /* a journal of `projective rejudge` replays its source's completions (model "rejudge source=PATH") */
    int rejudge = nw == 2 && strcmp(words[0], "rejudge") == 0 && strncmp(words[1], "source=", 7) == 0;
    if (nw == 0) st = cli_usage_error(prog, "the journal names no backend");
    if (st == 0) st = open_bank(&bank, bank_ref, NULL);
    if (st == 0) st = cli_judge_open(&jd, prog, judge, bank);
    if (st == 0 && !rejudge) st = open_backend(&m, prog, words[0], words + 1, nw - 1);
    if (st == 0 && !rejudge && strcmp(words[0], "openai") == 0) st = cli_probe(m, prog, jd.kind);
    vs_runner *r = NULL;
    if (st == 0 && rejudge) {
        rc = rejudge_runner(&r, words[1] + 7, bank, &jd, vs_runner_journal_header_field(hdr, "shard"), journal, 0);
        if (rc != VS_OK) st = cli_fail(journal, rc);
    } else if (st == 0) {
        rc = set_model_options(m, batch, same_failures);
        if (rc == VS_OK) rc = vs_runner_create_from_header(&r, hdr, bank, m, jd.model);
        if (rc != VS_OK) st = cli_fail(journal, rc);
    }
    vs_bank_free(bank);
    vs_runner_journal_header_free(hdr);
    free(model_id);
    free(judge);
    jd.id = NULL; /* pointed into `judge`; the runner took the id from the journal */
    if (st != 0) {
        vs_model_free(m);
        cli_judge_close(&jd);
        return st;
    }
    return finish_run(r, m, &jd, 1, journal, json);
}

static const char rejudge_usage[] =
    "usage: valuespace projective rejudge --journal RUN.jsonl --judge builtin:MODEL --out NEW.jsonl\n"
    "         [--shard k/N] [--fsync] [--quiet | --progress json] [--json]\n\n"
    "Scores the completions recorded in the journal of a `projective run` (one made with a\n"
    "builtin judge) again with another judge, without calling the model that generated them, and\n"
    "writes a new journal (model \"rejudge source=RUN.jsonl\"). Seeds, bootstrap and judge requests\n"
    "are the run's: rejudging with the run's own judge gives its scores bit for bit. A record that\n"
    "failed in RUN.jsonl fails again (exit 3) with the reason. Resume an interrupted rejudge with\n"
    "`valuespace projective resume --journal NEW.jsonl` (from the same directory: the source's\n"
    "path is kept as given); merge rejudged shards with `merge`.\n"
    "  --judge builtin:MODEL  the FULCRA evaluator in MODEL, three-way (see `projective run --help`)\n"
    "  --shard k/N            only the items whose id hash is k mod N (default: the run's shard)\n"
    "  --json                 the object `projective run --json` prints\n"
    CLI_PROGRESS_HELP
    CLI_EXIT_HELP_RUN;

static int projective_rejudge(int argc, char **argv) {
    const char *prog = "valuespace projective rejudge";
    const char *source = NULL, *judge = NULL, *out = NULL, *shard = NULL;
    int json = 0, fsync_flag = 0, pf = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (cli_is_help(a)) {
            fputs(rejudge_usage, stdout);
            return 0;
        } else if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--fsync") == 0) {
            fsync_flag = 1;
        } else if (strcmp(a, "--journal") == 0 && has) {
            source = argv[++i];
        } else if (strcmp(a, "--judge") == 0 && has) {
            judge = argv[++i];
        } else if (strcmp(a, "--out") == 0 && has) {
            out = argv[++i];
        } else if (strcmp(a, "--shard") == 0 && has) {
            size_t k = 0, n = 0;
            char extra;
            shard = argv[++i];
            if (sscanf(shard, "%zu/%zu%c", &k, &n, &extra) != 2 || n == 0 || k >= n)
                return cli_usage_error(prog, "--shard must be k/N with 0 <= k < N, e.g. 0/3");
        } else if ((pf = cli_progress_flag(argc, argv, &i, prog)) != 0) {
            if (pf != 1) return pf;
        } else if (a[0] == '-') {
            return cli_unknown_option(prog, a, rejudge_usage);
        } else {
            return cli_usage_error(prog, "unexpected argument '%s'", a);
        }
    }
    if (!source || !judge || !out) return cli_usage_error(prog, "--journal, --judge and --out are required");
    if (strcmp(judge, "loglik") == 0)
        return cli_usage_error(prog, "the loglik judge scores continuations, not completions: rejudge with builtin:MODEL");
    if (strpbrk(source, " \t\r\n"))
        return cli_usage_error(prog, "the journal's path must not contain white space (it is kept in the new journal's header)");
    if (strcmp(source, out) == 0) return cli_usage_error(prog, "--out must be another file than --journal");
    char *bank_ref = NULL;
    int rc = vs_runner_journal_field(&bank_ref, source, "bank_ref");
    if (rc != VS_OK) return cli_fail(source, rc);
    vs_bank *bank = NULL;
    int st = open_bank(&bank, bank_ref, NULL);
    vs_free(bank_ref);
    if (st != 0) return st;
    cli_judge jd;
    st = cli_judge_open(&jd, prog, judge, bank);
    if (st != 0) {
        vs_bank_free(bank);
        return st;
    }
    vs_runner *r = NULL;
    rc = rejudge_runner(&r, source, bank, &jd, shard, out, fsync_flag);
    vs_bank_free(bank);
    if (rc != VS_OK) {
        cli_judge_close(&jd);
        return cli_fail(prog + strlen("valuespace "), rc);
    }
    return finish_run(r, NULL, &jd, 0, out, json);
}

static const char merge_usage[] =
    "usage: valuespace projective merge FILE... [--json]\n\n"
    "Merges journals of one run configuration (shards k/N with the same N) into the scores of\n"
    "the unsharded run, bit for bit.\n"
    "Exit status: 0 no record failed; 1 error; 2 usage error; 3 some records failed (how many,\n"
    "and the first one's cause, on stderr).\n";

static int projective_merge(int argc, char **argv) {
    const char *prog = "valuespace projective merge";
    int json = 0;
    const char **files = calloc((size_t)argc, sizeof *files);
    size_t nf = 0;
    if (!files) return cli_fail("projective merge", VS_ENOMEM);
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(merge_usage, stdout);
            free(files);
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            free(files);
            return cli_unknown_option(prog, argv[i], merge_usage);
        } else {
            files[nf++] = argv[i];
        }
    }
    if (nf == 0) {
        free(files);
        return cli_usage_error(prog, "at least one journal is required");
    }
    vs_runner_result *res = NULL;
    int rc = vs_runner_merge_journals(&res, files, nf);
    free(files);
    if (rc != VS_OK) return cli_fail("projective merge", rc);
    int st = print_result(res, json);
    if (st == 0) st = report_failures(res, prog, NULL);
    vs_runner_result_free(res);
    return st;
}

int cmd_projective(int argc, char **argv) {
    static const cli_command projective_commands[] = {
        {"bank", "item banks: sentence-completion stems, dimensions, keying", projective_bank},
        {"run", "run a bank against a model backend, journalled; scores with CIs", projective_run},
        {"resume", "continue an interrupted run from its journal", projective_resume},
        {"rejudge", "score a run's recorded completions with another judge, into a new journal",
         projective_rejudge},
        {"merge", "merge the journals of shards into the single-run scores", projective_merge},
        {"compare", "runs of one bank side by side: scores, differences, a figure, a report", projective_compare},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("valuespace projective", projective_commands, argc, argv);
}
