/* valuespace fulcra: the FULCRA dataset and evaluator subcommands. This file holds the
 * dispatcher and `fulcra check`; the evaluator subcommands are in cmd_fulcra_eval.c. */
#include <stdlib.h>
#include <string.h>

#include "cmd_fulcra.h"

static const char check_usage[] =
    "usage: valuespace fulcra check FILE [--strict] [--json]\n\n"
    "Reads a FULCRA JSONL file (dialogue, value_types, value_items, response_source) and reports\n"
    "what it holds: records, records per response source, label counts per value type and item,\n"
    "and every label or line the reader skipped, by reason, with line numbers.\n"
    "  --strict  stop at the first bad line or label (exit 1, message FILE:LINE:COLUMN: ...)\n"
    "            instead of skipping it\n"
    "  --json    one JSON document: {\"file\", \"mode\", \"records\", \"lines\",\n"
    "            \"sources\": [{\"source\", \"records\"}],\n"
    "            \"labels\": {\"types\"|\"items\": [{\"key\", \"label\", \"positive\", \"negative\",\n"
    "                        \"written_plus\", \"written_one\", \"written_minus\"}]},\n"
    "            \"skips\": {\"total\", \"by_reason\": {REASON: {\"count\", \"lines\"}},\n"
    "                      \"entries\": [{\"reason\", \"line\", \"column\", \"token\", \"message\"}]}}\n"
    "Label counts: positive/negative count records after the duplicate rule (a dimension given\n"
    "opposite scores in one record counts as unlabelled); written_* count the valid labels as\n"
    "written (\"+1\", \"1\", \"-1\") before it.\n";

/* Per-dimension counts of one label set, in the order of VS_DATASET_COUNT_POSITIVE .. _WRITTEN_MINUS. */
#define N_COUNTS 7

static int label_counts(size_t *counts[N_COUNTS], const vs_dataset *ds, size_t set) {
    size_t n = vs_dataset_label_dimension_count(ds, set), needed;
    for (int w = 0; w < N_COUNTS; w++) counts[w] = NULL;
    for (int w = 0; w < N_COUNTS; w++) {
        counts[w] = calloc(n ? n : 1, sizeof(size_t));
        if (!counts[w]) return VS_ENOMEM;
        int rc = vs_dataset_label_counts(&needed, ds, set, (uint32_t)w, counts[w], n);
        if (rc != VS_OK) return rc;
    }
    return VS_OK;
}

static void free_counts(size_t *counts[N_COUNTS]) {
    for (int w = 0; w < N_COUNTS; w++) free(counts[w]);
}

static int json_labels(cli_json *j, const vs_dataset *ds, size_t set) {
    size_t *c[N_COUNTS];
    int rc = label_counts(c, ds, set);
    if (rc == VS_OK) {
        const vs_space *sp = vs_dataset_label_space(ds, set);
        size_t off = vs_space_level_offset(sp, vs_dataset_label_level(ds, set));
        cli_json_begin_array(j);
        for (size_t k = 0; k < vs_dataset_label_dimension_count(ds, set); k++) {
            cli_json_begin_object(j);
            cli_json_key(j, "key");
            cli_json_string(j, vs_space_key(sp, off + k));
            cli_json_key(j, "label");
            cli_json_string(j, vs_space_label(sp, off + k));
            cli_json_key(j, "positive");
            cli_json_int(j, (long long)c[VS_DATASET_COUNT_POSITIVE][k]);
            cli_json_key(j, "negative");
            cli_json_int(j, (long long)c[VS_DATASET_COUNT_NEGATIVE][k]);
            cli_json_key(j, "written_plus");
            cli_json_int(j, (long long)c[VS_DATASET_COUNT_WRITTEN_PLUS][k]);
            cli_json_key(j, "written_one");
            cli_json_int(j, (long long)c[VS_DATASET_COUNT_WRITTEN_ONE][k]);
            cli_json_key(j, "written_minus");
            cli_json_int(j, (long long)c[VS_DATASET_COUNT_WRITTEN_MINUS][k]);
            cli_json_end_object(j);
        }
        cli_json_end_array(j);
    }
    free_counts(c);
    return rc;
}

static int print_json(const vs_dataset *ds, const char *path, int strict) {
    cli_json j;
    cli_json_init(&j, stdout);
    cli_json_begin_object(&j);
    cli_json_key(&j, "file");
    cli_json_string(&j, path);
    cli_json_key(&j, "mode");
    cli_json_string(&j, strict ? "strict" : "lenient");
    cli_json_key(&j, "records");
    cli_json_int(&j, (long long)vs_dataset_count(ds));
    cli_json_key(&j, "lines");
    cli_json_int(&j, (long long)vs_dataset_line_count(ds));
    cli_json_key(&j, "sources");
    cli_json_begin_array(&j);
    for (size_t s = 0; s < vs_dataset_source_count(ds); s++) {
        cli_json_begin_object(&j);
        cli_json_key(&j, "source");
        cli_json_string(&j, vs_dataset_source_name(ds, s));
        cli_json_key(&j, "records");
        cli_json_int(&j, (long long)vs_dataset_source_record_count(ds, s));
        cli_json_end_object(&j);
    }
    cli_json_end_array(&j);
    cli_json_key(&j, "labels");
    cli_json_begin_object(&j);
    cli_json_key(&j, "types");
    int rc = json_labels(&j, ds, VS_DATASET_TYPES);
    cli_json_key(&j, "items");
    if (rc == VS_OK) rc = json_labels(&j, ds, VS_DATASET_ITEMS);
    cli_json_end_object(&j);
    if (rc != VS_OK) return cli_fail("label counts", rc);

    cli_json_key(&j, "skips");
    cli_json_begin_object(&j);
    cli_json_key(&j, "total");
    cli_json_int(&j, (long long)cli_dataset_skipped(ds));
    cli_json_key(&j, "with_details"); /* the first VS_DATASET_SKIP_DETAILS_MAX: "entries" below */
    cli_json_int(&j, (long long)vs_dataset_skip_total(ds));
    cli_json_key(&j, "by_reason");
    cli_json_begin_object(&j);
    for (uint32_t r = 1; r < VS_DATASET_SKIP_REASON_END; r++) {
        size_t n = vs_dataset_skip_count(ds, r), needed;
        size_t *lines = calloc(n ? n : 1, sizeof *lines);
        if (!lines) return cli_fail("skip report", VS_ENOMEM);
        if ((rc = vs_dataset_skip_lines(&needed, ds, r, lines, n)) != VS_OK) {
            free(lines);
            return cli_fail("skip report", rc);
        }
        cli_json_key(&j, vs_dataset_skip_reason_name(r));
        cli_json_begin_object(&j);
        cli_json_key(&j, "count");
        cli_json_int(&j, (long long)n);
        cli_json_key(&j, "lines"); /* of the entries with details */
        cli_json_begin_array(&j);
        for (size_t i = 0; i < needed && i < n; i++) cli_json_int(&j, (long long)lines[i]);
        cli_json_end_array(&j);
        cli_json_end_object(&j);
        free(lines);
    }
    cli_json_end_object(&j);
    cli_json_key(&j, "entries");
    cli_json_begin_array(&j);
    for (size_t k = 0; k < vs_dataset_skip_total(ds); k++) {
        cli_json_begin_object(&j);
        cli_json_key(&j, "reason");
        cli_json_string(&j, vs_dataset_skip_reason_name(vs_dataset_skip_reason(ds, k)));
        cli_json_key(&j, "line");
        cli_json_int(&j, (long long)vs_dataset_skip_line(ds, k));
        cli_json_key(&j, "column");
        cli_json_int(&j, (long long)vs_dataset_skip_column(ds, k));
        cli_json_key(&j, "token");
        cli_json_string(&j, vs_dataset_skip_token(ds, k));
        cli_json_key(&j, "message");
        cli_json_string(&j, vs_dataset_skip_message(ds, k));
        cli_json_end_object(&j);
    }
    cli_json_end_array(&j);
    cli_json_end_object(&j);
    cli_json_end_object(&j);
    cli_json_finish(&j);
    return 0;
}

static int print_text(const vs_dataset *ds, const char *path, int strict) {
    printf("%s: %zu records from %zu lines (%s)\n", path, vs_dataset_count(ds), vs_dataset_line_count(ds),
           strict ? "strict" : "lenient");
    printf("\nresponse sources:\n");
    for (size_t s = 0; s < vs_dataset_source_count(ds); s++)
        printf("  %6zu  %s\n", vs_dataset_source_record_count(ds, s), vs_dataset_source_name(ds, s));
    static const char *const titles[2] = {"value types", "value items"};
    for (size_t set = 0; set < vs_dataset_label_set_count(ds); set++) {
        size_t *c[N_COUNTS];
        int rc = label_counts(c, ds, set);
        if (rc != VS_OK) {
            free_counts(c);
            return cli_fail("label counts", rc);
        }
        const vs_space *sp = vs_dataset_label_space(ds, set);
        size_t off = vs_space_level_offset(sp, vs_dataset_label_level(ds, set));
        printf("\n%s (%s): records +1 / -1; labels written +1 / 1 / -1\n", titles[set], vs_space_name(sp));
        for (size_t k = 0; k < vs_dataset_label_dimension_count(ds, set); k++)
            printf("  %-32s %5zu / %4zu;  %5zu / %4zu / %4zu\n", vs_space_label(sp, off + k),
                   c[VS_DATASET_COUNT_POSITIVE][k], c[VS_DATASET_COUNT_NEGATIVE][k],
                   c[VS_DATASET_COUNT_WRITTEN_PLUS][k], c[VS_DATASET_COUNT_WRITTEN_ONE][k],
                   c[VS_DATASET_COUNT_WRITTEN_MINUS][k]);
        free_counts(c);
    }
    size_t all = cli_dataset_skipped(ds), detailed = vs_dataset_skip_total(ds);
    if (all > detailed)
        printf("\nskipped: %zu (the details of the first %zu follow)\n", all, detailed);
    else
        printf("\nskipped: %zu\n", all);
    for (uint32_t r = 1; r < VS_DATASET_SKIP_REASON_END; r++) {
        size_t n = vs_dataset_skip_count(ds, r);
        if (n) printf("  %-16s %zu\n", vs_dataset_skip_reason_name(r), n);
    }
    for (size_t k = 0; k < vs_dataset_skip_total(ds); k++)
        printf("%s:%zu:%zu: %s: %s\n", path, vs_dataset_skip_line(ds, k), vs_dataset_skip_column(ds, k),
               vs_dataset_skip_reason_name(vs_dataset_skip_reason(ds, k)), vs_dataset_skip_message(ds, k));
    return 0;
}

int fulcra_check(int argc, char **argv) {
    const char *prog = "valuespace fulcra check";
    const char *path = NULL;
    int strict = 0, json = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(check_usage, stdout);
            return 0;
        }
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--strict") == 0) strict = 1;
        else if (strcmp(argv[i], "--json") == 0) json = 1;
        else if (argv[i][0] == '-' && argv[i][1] != '\0') return cli_unknown_option(prog, argv[i], check_usage);
        else if (path) return cli_usage_error(prog, "unexpected argument '%s'", argv[i]);
        else path = argv[i];
    }
    if (!path) return cli_usage_error(prog, "FILE is required");
    vs_dataset *ds = NULL;
    int rc = vs_dataset_load_fulcra(&ds, path, strict ? VS_DATASET_STRICT : 0);
    if (rc != VS_OK) return cli_fail("fulcra check", rc);
    int status = json ? print_json(ds, path, strict) : print_text(ds, path, strict);
    vs_dataset_free(ds);
    return status;
}

int cmd_fulcra(int argc, char **argv) {
    static const cli_command sub[] = {
        {"check", "read a FULCRA JSONL file and report records, labels and skipped lines", fulcra_check},
        {"cv", "cross-validate the built-in evaluator with majority baselines", fulcra_cv},
        {"train", "train the built-in evaluator and save the model", fulcra_train},
        {"predict", "value vectors and class probabilities from a saved model", fulcra_predict},
        {"profile", "per-source value profiles with confidence intervals and BaseAlign distances", fulcra_profile},
        {"agree", "agreement of an evaluator with the human labels, beside baselines", fulcra_agree},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("valuespace fulcra", sub, argc, argv);
}
