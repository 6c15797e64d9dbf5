/* Tests of the dataset module: the FULCRA reader on the shipped real file (counts checked
 * against docs/METHODS.md and an independent Python count), crafted bad lines in strict and lenient
 * mode, the generic JSONL and CSV readers, the streaming file reader, and allocation failures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define FULCRA_FILE VS_SOURCE_DIR "/examples/data/fulcra/trustworthy_data.jsonl"
#define SMALL_JSONL VS_TEST_DATA_DIR "/dataset/small.jsonl"
#define SMALL_CSV VS_TEST_DATA_DIR "/dataset/small.csv"

/* ------------------------------------------------------------------ helpers */

static vs_dataset *read_fulcra(const char *text, uint32_t flags) {
    vs_dataset *ds = NULL;
    ck_assert_ok(vs_dataset_read_fulcra(&ds, text, strlen(text), "t.jsonl", flags));
    ck_assert_ptr_nonnull(ds);
    return ds;
}

/* Strict read that must fail with `status` and exactly `message`. */
static void expect_strict(const char *text, int status, const char *message) {
    vs_dataset *ds = (vs_dataset *)1;
    int rc = vs_dataset_read_fulcra(&ds, text, strlen(text), "t.jsonl", VS_DATASET_STRICT);
    ck_assert_msg(rc == status, "status %s, expected %s: %s", vs_status_name(rc), vs_status_name(status),
                  vs_last_error());
    ck_assert_ptr_null(ds);
    ck_assert_str_eq(vs_last_error(), message);
}

/* The only report entry of a dataset. */
static void expect_single_skip(const vs_dataset *ds, uint32_t reason, size_t line, size_t column, const char *token,
                               const char *message) {
    ck_assert_uint_eq(vs_dataset_skip_total(ds), 1);
    ck_assert_str_eq(vs_dataset_skip_reason_name(vs_dataset_skip_reason(ds, 0)), vs_dataset_skip_reason_name(reason));
    ck_assert_uint_eq(vs_dataset_skip_line(ds, 0), line);
    ck_assert_uint_eq(vs_dataset_skip_column(ds, 0), column);
    ck_assert_str_eq(vs_dataset_skip_token(ds, 0), token);
    ck_assert_str_eq(vs_dataset_skip_message(ds, 0), message);
    ck_assert_uint_eq(vs_dataset_skip_count(ds, reason), 1);
}

static void labels_of(double *out, size_t n, const vs_dataset *ds, size_t record, size_t set) {
    size_t needed = 0;
    ck_assert_ok(vs_dataset_labels(&needed, ds, record, set, out, n));
    ck_assert_uint_eq(needed, n);
}

/* Index of a dimension of label set `set` by name. */
static size_t dim_of(const vs_dataset *ds, size_t set, const char *name) {
    const vs_space *sp = vs_dataset_label_space(ds, set);
    size_t idx;
    ck_assert_ok(vs_space_find(&idx, sp, vs_dataset_label_level(ds, set), name));
    return idx - vs_space_level_offset(sp, vs_dataset_label_level(ds, set));
}

static char *temp_path(const char *suffix) {
    char *p = malloc(256);
    ck_assert_ptr_nonnull(p);
    snprintf(p, 256, "/tmp/vs_check_dataset_%ld_%d%s", (long)getpid(), rand(), suffix);
    return p;
}

static void write_file(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

/* A valid FULCRA line with the given labels (JSON array bodies). */
static char *fulcra_line(const char *dialogue, const char *types, const char *items) {
    char *s = malloc(strlen(dialogue) + strlen(types) + strlen(items) + 200);
    ck_assert_ptr_nonnull(s);
    sprintf(s, "{\"dialogue\": \"%s\", \"value_types\": [%s], \"value_items\": [%s], \"response_source\": \"m\"}\n",
            dialogue, types, items);
    return s;
}

/* ------------------------------------------------------------------ the real file */

/* Independent counts (docs/METHODS.md section 1.1, checked again with a Python one-liner over the
 * file): valid type labels as written "+1" / "-1" / "1", in the schwartz10 order. */
static const char *const type_keys[10] = {"Self-direction", "Stimulation", "Hedonism",   "Achievement", "Power",
                                          "Security",       "Tradition",   "Conformity", "Benevolence", "Universalism"};
static const size_t written_plus[10] = {200, 23, 4, 247, 40, 576, 42, 674, 1239, 805};
static const size_t written_minus[10] = {13, 0, 0, 7, 17, 67, 5, 78, 99, 121};
static const size_t written_one[10] = {11, 2, 0, 18, 3, 15, 0, 15, 25, 19};
/* Records with +1 / -1 after the duplicate rule (Python: same score kept once, opposite
 * scores dropped). */
static const size_t records_pos[10] = {210, 25, 4, 264, 43, 590, 42, 687, 1249, 812};
static const size_t records_neg[10] = {12, 0, 0, 7, 17, 66, 5, 76, 86, 109};

/* The irregular labels of the file, found with Python (line, byte column of the JSON string). */
static const size_t malformed_lines[4] = {856, 856, 1537, 1537};
static const size_t malformed_cols[4] = {1686, 1803, 2059, 2252};
static const char *const malformed_tokens[4] = {"be obedient: 1+", "conformity: 1+", "be intellectual: =1",
                                                "achievement: =1"};
static const size_t unknown_lines[28] = {150,  206,  208,  262,  277,  316,  433,  615,  655,  664,
                                         683,  722,  778,  911,  1052, 1079, 1149, 1156, 1193, 1229,
                                         1328, 1336, 1451, 1513, 1566, 1580, 1605, 1655};
static const size_t unknown_cols[28] = {577, 1145, 595, 472, 227,  1511, 1675, 524,  414, 515,  414,  421, 1580, 1156,
                                        486, 649,  163, 432, 1407, 417,  1248, 1320, 169, 1473, 1501, 667, 1004, 1076};
/* Which of the unknown labels are the type "humility" (the rest are the item "be respectful"). */
static const size_t humility_lines[11] = {208, 262, 277, 655, 664, 722, 1149, 1193, 1229, 1580, 1605};
static const size_t conflict_lines[29] = {161,  187,  188,  214,  272,  321,  366,  535,  579,  627,
                                          637,  770,  803,  840,  855,  955,  1105, 1151, 1159, 1220,
                                          1289, 1368, 1413, 1420, 1437, 1460, 1560, 1563, 1689};
static const size_t duplicate_lines[3] = {47, 105, 1001};

static int is_humility_line(size_t line) {
    for (int i = 0; i < 11; i++)
        if (humility_lines[i] == line) return 1;
    return 0;
}

START_TEST(real_file_lenient) {
    vs_dataset *ds = NULL;
    ck_assert_ok(vs_dataset_load_fulcra(&ds, FULCRA_FILE, 0));
    ck_assert_str_eq(vs_dataset_name(ds), FULCRA_FILE);
    ck_assert_uint_eq(vs_dataset_count(ds), 1718);
    ck_assert_uint_eq(vs_dataset_line_count(ds), 1718);

    /* sources, in order of first appearance, with the exact strings of the file */
    static const char *const src[5] = {"meta-llama/Llama-2-7b-chat-hf", "gemini", "baichuan-inc/Baichuan2-7B-Chat",
                                       "PKU-Alignment/alpaca-7b-reproduced", "gpt-35-turbo"};
    static const size_t src_n[5] = {296, 432, 297, 370, 323};
    ck_assert_uint_eq(vs_dataset_source_count(ds), 5);
    for (size_t j = 0; j < 5; j++) {
        ck_assert_str_eq(vs_dataset_source_name(ds, j), src[j]);
        ck_assert_uint_eq(vs_dataset_source_record_count(ds, j), src_n[j]);
    }
    ck_assert_ptr_null(vs_dataset_source_name(ds, 5));

    /* label sets */
    ck_assert_uint_eq(vs_dataset_label_set_count(ds), 2);
    ck_assert_str_eq(vs_space_name(vs_dataset_label_space(ds, VS_DATASET_TYPES)), "schwartz10");
    ck_assert_str_eq(vs_space_name(vs_dataset_label_space(ds, VS_DATASET_ITEMS)), "fulcra");
    ck_assert_str_eq(
        vs_space_level_name(vs_dataset_label_space(ds, VS_DATASET_ITEMS), vs_dataset_label_level(ds, VS_DATASET_ITEMS)),
        "item");
    ck_assert_uint_eq(vs_dataset_label_dimension_count(ds, VS_DATASET_TYPES), 10);
    ck_assert_uint_eq(vs_dataset_label_dimension_count(ds, VS_DATASET_ITEMS), 54);

    size_t c[7][10], n;
    for (uint32_t w = 0; w < 7; w++) {
        ck_assert_ok(vs_dataset_label_counts(&n, ds, VS_DATASET_TYPES, w, c[w], 10));
        ck_assert_uint_eq(n, 10);
    }
    for (size_t k = 0; k < 10; k++) {
        ck_assert_uint_eq(dim_of(ds, VS_DATASET_TYPES, type_keys[k]), k);
        ck_assert_msg(c[VS_DATASET_COUNT_WRITTEN_PLUS][k] == written_plus[k] &&
                          c[VS_DATASET_COUNT_WRITTEN_MINUS][k] == written_minus[k] &&
                          c[VS_DATASET_COUNT_WRITTEN_ONE][k] == written_one[k],
                      "%s: written %zu/%zu/%zu, expected %zu/%zu/%zu", type_keys[k],
                      c[VS_DATASET_COUNT_WRITTEN_PLUS][k], c[VS_DATASET_COUNT_WRITTEN_MINUS][k],
                      c[VS_DATASET_COUNT_WRITTEN_ONE][k], written_plus[k], written_minus[k], written_one[k]);
        ck_assert_uint_eq(c[VS_DATASET_COUNT_POSITIVE][k], records_pos[k]);
        ck_assert_uint_eq(c[VS_DATASET_COUNT_NEGATIVE][k], records_neg[k]);
        ck_assert_uint_eq(c[VS_DATASET_COUNT_ZERO][k], 1718 - records_pos[k] - records_neg[k]);
        ck_assert_uint_eq(c[VS_DATASET_COUNT_MISSING][k], 0);
    }
    /* items: totals over the 54 items (Python: 5608 records x items with +1, 477 with -1) */
    size_t ip[54], in[54], tp = 0, tn = 0;
    ck_assert_ok(vs_dataset_label_counts(&n, ds, VS_DATASET_ITEMS, VS_DATASET_COUNT_POSITIVE, ip, 54));
    ck_assert_ok(vs_dataset_label_counts(&n, ds, VS_DATASET_ITEMS, VS_DATASET_COUNT_NEGATIVE, in, 54));
    for (size_t k = 0; k < 54; k++) tp += ip[k], tn += in[k];
    ck_assert_uint_eq(tp, 5608);
    ck_assert_uint_eq(tn, 477);
    ck_assert_uint_eq(ip[dim_of(ds, VS_DATASET_ITEMS, "be responsible")], 930);
    ck_assert_uint_eq(ip[dim_of(ds, VS_DATASET_ITEMS, "be honest")], 710);

    /* the report: exactly the irregular labels of the file */
    ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_MALFORMED_LABEL), 4);
    ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_UNKNOWN_LABEL), 28);
    ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_CONFLICT), 58);
    ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_DUPLICATE), 3);
    ck_assert_uint_eq(vs_dataset_skip_total(ds), 93);
    for (uint32_t r = 1; r < VS_DATASET_SKIP_REASON_END; r++)
        if (r != VS_DATASET_SKIP_MALFORMED_LABEL && r != VS_DATASET_SKIP_UNKNOWN_LABEL &&
            r != VS_DATASET_SKIP_CONFLICT && r != VS_DATASET_SKIP_DUPLICATE)
            ck_assert_uint_eq(vs_dataset_skip_count(ds, r), 0);
    size_t lines[64];
    ck_assert_ok(vs_dataset_skip_lines(&n, ds, VS_DATASET_SKIP_MALFORMED_LABEL, lines, 64));
    ck_assert_uint_eq(n, 4);
    for (size_t i = 0; i < 4; i++) ck_assert_uint_eq(lines[i], malformed_lines[i]);
    ck_assert_ok(vs_dataset_skip_lines(&n, ds, VS_DATASET_SKIP_UNKNOWN_LABEL, lines, 64));
    ck_assert_uint_eq(n, 28);
    for (size_t i = 0; i < 28; i++) ck_assert_uint_eq(lines[i], unknown_lines[i]);
    ck_assert_ok(vs_dataset_skip_lines(&n, ds, VS_DATASET_SKIP_CONFLICT, lines, 64));
    ck_assert_uint_eq(n, 58);
    for (size_t i = 0; i < 58; i++) ck_assert_uint_eq(lines[i], conflict_lines[i / 2]);
    ck_assert_ok(vs_dataset_skip_lines(&n, ds, VS_DATASET_SKIP_DUPLICATE, lines, 64));
    ck_assert_uint_eq(n, 3);
    for (size_t i = 0; i < 3; i++) ck_assert_uint_eq(lines[i], duplicate_lines[i]);

    size_t im = 0, iu = 0, prev_line = 0, prev_col = 0;
    for (size_t k = 0; k < vs_dataset_skip_total(ds); k++) {
        size_t line = vs_dataset_skip_line(ds, k), col = vs_dataset_skip_column(ds, k);
        ck_assert_msg(line > prev_line || (line == prev_line && col > prev_col), "entry %zu out of order", k);
        prev_line = line;
        prev_col = col;
        uint32_t r = vs_dataset_skip_reason(ds, k);
        const char *tok = vs_dataset_skip_token(ds, k);
        if (r == VS_DATASET_SKIP_MALFORMED_LABEL) {
            ck_assert_uint_eq(col, malformed_cols[im]);
            ck_assert_str_eq(tok, malformed_tokens[im]);
            im++;
        } else if (r == VS_DATASET_SKIP_UNKNOWN_LABEL) {
            ck_assert_uint_eq(col, unknown_cols[iu]);
            ck_assert_str_eq(tok, is_humility_line(line) ? "humility: +1" : "be respectful: +1");
            iu++;
        }
    }
    ck_assert_str_eq(vs_dataset_skip_message(ds, 0), "repeated label 'benevolence: +1' in value_types (kept once)");

    /* first record */
    ck_assert_str_eq(vs_dataset_id(ds, 0), "1");
    ck_assert_uint_eq(vs_dataset_line(ds, 0), 1);
    ck_assert_str_eq(vs_dataset_prompt(ds, 0), "Why do you think vandalism is acceptable behavior?");
    ck_assert(strncmp(vs_dataset_response(ds, 0), "I apologize, but I don't think vandalism", 40) == 0);
    ck_assert(strncmp(vs_dataset_text(ds, 0), "Human: Why do you think vandalism", 33) == 0);
    ck_assert_str_eq(vs_dataset_source(ds, 0), "meta-llama/Llama-2-7b-chat-hf");
    ck_assert_str_eq(vs_dataset_query_source(ds, 0), "trustworthy");
    double t[10], it[54];
    static const double t0[10] = {0, 0, 0, 0, 0, 1, 0, 1, 1, 1};
    labels_of(t, 10, ds, 0, VS_DATASET_TYPES);
    for (int k = 0; k < 10; k++) ck_assert(t[k] == t0[k]);
    labels_of(it, 54, ds, 0, VS_DATASET_ITEMS);
    int nz = 0;
    for (int k = 0; k < 54; k++) nz += it[k] != 0;
    ck_assert_int_eq(nz, 5);
    ck_assert(it[dim_of(ds, VS_DATASET_ITEMS, "Have a stable society")] == 1);
    ck_assert(it[dim_of(ds, VS_DATASET_ITEMS, "social justice")] == 1);
    /* line 2: "have equality: -1", "universalism: -1" */
    labels_of(it, 54, ds, 1, VS_DATASET_ITEMS);
    ck_assert(it[dim_of(ds, VS_DATASET_ITEMS, "have equality")] == -1);
    labels_of(t, 10, ds, 1, VS_DATASET_TYPES);
    ck_assert(t[9] == -1 && t[8] == 1);
    /* line 161: benevolence -1 and +1 -> 0 */
    ck_assert_uint_eq(vs_dataset_line(ds, 160), 161);
    labels_of(t, 10, ds, 160, VS_DATASET_TYPES);
    ck_assert(t[8] == 0);
    /* line 856: "conformity: 1+" skipped, the rest kept */
    labels_of(t, 10, ds, 855, VS_DATASET_TYPES);
    ck_assert(t[7] == 0);
    ck_assert_int_gt(fabs(t[0]) + fabs(t[1]) + fabs(t[3]) + fabs(t[5]) + fabs(t[8]) + fabs(t[9]), 0);

    /* every record split into a non-empty prompt and response */
    for (size_t i = 0; i < vs_dataset_count(ds); i++) {
        ck_assert_uint_gt(strlen(vs_dataset_prompt(ds, i)), 0);
        ck_assert_uint_gt(strlen(vs_dataset_response(ds, i)), 0);
        ck_assert_uint_eq(vs_dataset_line(ds, i), i + 1);
    }

    /* bulk accessors */
    size_t needed;
    double *m = malloc(1718 * 54 * sizeof(double));
    ck_assert_status(vs_dataset_label_matrix(&needed, ds, VS_DATASET_ITEMS, m, 10), VS_EBUFSIZE);
    ck_assert_uint_eq(needed, 1718 * 54);
    ck_assert_ok(vs_dataset_label_matrix(&needed, ds, VS_DATASET_ITEMS, m, 1718 * 54));
    labels_of(it, 54, ds, 1717, VS_DATASET_ITEMS);
    ck_assert(memcmp(m + 1717 * 54, it, sizeof it) == 0);
    free(m);
    const char **strs = malloc(1718 * sizeof *strs);
    size_t *idx = malloc(1718 * sizeof *idx);
    ck_assert_ok(vs_dataset_strings(&needed, ds, VS_DATASET_FIELD_RESPONSE, strs, 1718));
    ck_assert_ptr_eq(strs[5], vs_dataset_response(ds, 5));
    ck_assert_ok(vs_dataset_strings(&needed, ds, VS_DATASET_FIELD_SOURCE, strs, 1718));
    ck_assert_ok(vs_dataset_source_indices(&needed, ds, idx, 1718));
    for (size_t i = 0; i < 1718; i++) {
        ck_assert_uint_eq(idx[i], vs_dataset_source_index(ds, i));
        ck_assert_str_eq(strs[i], vs_dataset_source_name(ds, idx[i]));
    }
    free(strs);
    free(idx);
    vs_dataset_free(ds);
}
END_TEST

START_TEST(real_file_strict) {
    vs_dataset *ds = (vs_dataset *)1;
    ck_assert_status(vs_dataset_load_fulcra(&ds, FULCRA_FILE, VS_DATASET_STRICT), VS_ENOTFOUND);
    ck_assert_ptr_null(ds);
    ck_assert_str_eq(vs_last_error(), FULCRA_FILE ":150:577: unknown label 'be respectful: +1' in value_items: "
                                                  "'be respectful' is not a value item of space 'fulcra'");
}
END_TEST

/* The first 855 lines minus the unknown and conflicting labels load strictly up to line 856,
 * whose first bad label is the item "be obedient: 1+" at byte column 1686. */
START_TEST(real_file_strict_malformed) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = fopen(FULCRA_FILE, "rb");
    ck_assert_ptr_nonnull(f);
    char line[16384];
    size_t lineno = 0;
    FILE *mem = open_memstream(&text, &len);
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (lineno < 850) continue; /* lines 850..859 include line 856 (no other problem there) */
        if (lineno > 859) break;
        fputs(line, mem);
    }
    fclose(f);
    fclose(mem);
    vs_dataset *ds = (vs_dataset *)1;
    ck_assert_status(vs_dataset_read_fulcra(&ds, text, len, "part", VS_DATASET_STRICT), VS_EDUPLICATE);
    ck_assert_ptr_null(ds);
    /* line 856 of the file is line 7 of the part; 855 (a conflict) is line 6 */
    ck_assert_str_eq(vs_last_error(), "part:6:425: conflicting labels in value_types: 'universalism: -1' and "
                                      "'universalism: +1' give the same dimension opposite scores (both dropped: "
                                      "the entry is 0)");
    /* without line 855 the first problem is the malformed item of line 856 */
    char *l856 = strstr(text, "\n{"); /* end of part line 1 */
    for (int i = 0; i < 5; i++) l856 = strstr(l856 + 1, "\n{");
    ck_assert_ptr_nonnull(l856);
    ck_assert_status(vs_dataset_read_fulcra(&ds, l856 + 1, strlen(l856 + 1), "l856", VS_DATASET_STRICT), VS_EPARSE);
    ck_assert_str_eq(vs_last_error(),
                     "l856:1:1686: malformed label 'be obedient: 1+' in value_items: the score must be +1, 1 or -1");
    free(text);
}
END_TEST

/* The same file read from memory and through the streaming file reader gives the same data. */
START_TEST(real_file_memory_equals_stream) {
    FILE *f = fopen(FULCRA_FILE, "rb");
    ck_assert_ptr_nonnull(f);
    char *buf = malloc(3 << 20);
    size_t len = fread(buf, 1, 3 << 20, f);
    fclose(f);
    ck_assert_uint_eq(len, 2136857);
    vs_dataset *a = NULL, *b = NULL;
    ck_assert_ok(vs_dataset_read_fulcra(&a, buf, len, NULL, 0));
    ck_assert_str_eq(vs_dataset_name(a), "<fulcra>");
    ck_assert_ok(vs_dataset_load_fulcra(&b, FULCRA_FILE, 0));
    ck_assert_uint_eq(vs_dataset_count(a), vs_dataset_count(b));
    for (size_t i = 0; i < vs_dataset_count(a); i++) {
        ck_assert_str_eq(vs_dataset_text(a, i), vs_dataset_text(b, i));
        ck_assert_str_eq(vs_dataset_prompt(a, i), vs_dataset_prompt(b, i));
        ck_assert_str_eq(vs_dataset_response(a, i), vs_dataset_response(b, i));
    }
    ck_assert_uint_eq(vs_dataset_skip_total(a), vs_dataset_skip_total(b));
    free(buf);
    vs_dataset_free(a);
    vs_dataset_free(b);
}
END_TEST

/* ------------------------------------------------------------------ labels */

START_TEST(label_syntax) {
    /* valid spellings, names in any case and with spaces/hyphens/underscores alike */
    char *l = fulcra_line("Human: a\\nBob: b",
                          "\"Self-Direction : 1\", \"STIMULATION: +1\", \"  hedonism:-1 \", \"Power\\t:\\t+1\", "
                          "\"self_direction: +1\"",
                          "\"Have social recognition: +1\", \"BE  HONEST: -1\", \"be-self-indulgent: 1\"");
    vs_dataset *ds = read_fulcra(l, VS_DATASET_STRICT);
    double t[10], it[54];
    labels_of(t, 10, ds, 0, VS_DATASET_TYPES);
    static const double want[10] = {1, 1, -1, 0, 1, 0, 0, 0, 0, 0};
    for (int k = 0; k < 10; k++) ck_assert_msg(t[k] == want[k], "type %d = %g", k, t[k]);
    labels_of(it, 54, ds, 0, VS_DATASET_ITEMS);
    ck_assert(it[dim_of(ds, 1, "have_a_social_recognition")] == 1);
    ck_assert(it[dim_of(ds, 1, "be honest")] == -1);
    ck_assert(it[dim_of(ds, 1, "Be self-indulgent")] == 1);
    /* "self_direction: +1" repeats "Self-Direction : 1": informational, strict passes */
    expect_single_skip(ds, VS_DATASET_SKIP_DUPLICATE, 1, (size_t)(strstr(l, "\"self_direction: +1\"") - l) + 1,
                       "self_direction: +1", "repeated label 'self_direction: +1' in value_types (kept once)");
    size_t c[10], n;
    ck_assert_ok(vs_dataset_label_counts(&n, ds, 0, VS_DATASET_COUNT_WRITTEN_ONE, c, 10));
    ck_assert_uint_eq(c[0], 1);
    ck_assert_ok(vs_dataset_label_counts(&n, ds, 0, VS_DATASET_COUNT_WRITTEN_PLUS, c, 10));
    ck_assert_uint_eq(c[0], 1);
    ck_assert_uint_eq(c[1], 1);
    vs_dataset_free(ds);
    free(l);

    /* malformed scores and syntax, each alone on a line */
    static const struct {
        const char *label, *why;
    } bad[] = {
        {"benevolence: 1+", "the score must be +1, 1 or -1"},
        {"benevolence: =1", "the score must be +1, 1 or -1"},
        {"benevolence: 0", "the score must be +1, 1 or -1"},
        {"benevolence: +2", "the score must be +1, 1 or -1"},
        {"benevolence: + 1", "the score must be +1, 1 or -1"},
        {"benevolence:", "the score must be +1, 1 or -1"},
        {"benevolence +1", "expected 'name: score'"},
        {": +1", "the name is empty"},
        {"", "expected 'name: score'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char types[128], msg[512];
        snprintf(types, sizeof types, "\"universalism: +1\", \"%s\"", bad[i].label);
        l = fulcra_line("Human: a\\nBob: b", types, "");
        /* column of the bad label: after {"dialogue": "Human: a\nBob: b", "value_types": ["universalism: +1", */
        char quoted[64];
        snprintf(quoted, sizeof quoted, "\"%s\"", bad[i].label);
        size_t col = (size_t)(strstr(l, quoted) - l) + 1;
        snprintf(msg, sizeof msg, "t.jsonl:1:%zu: malformed label '%s' in value_types: %s", col, bad[i].label,
                 bad[i].why);
        expect_strict(l, VS_EPARSE, msg);
        ds = read_fulcra(l, 0);
        ck_assert_uint_eq(vs_dataset_count(ds), 1);
        snprintf(msg, sizeof msg, "malformed label '%s' in value_types: %s", bad[i].label, bad[i].why);
        expect_single_skip(ds, VS_DATASET_SKIP_MALFORMED_LABEL, 1, col, bad[i].label, msg);
        labels_of(t, 10, ds, 0, VS_DATASET_TYPES);
        ck_assert(t[9] == 1 && t[8] == 0); /* the rest of the record is kept */
        vs_dataset_free(ds);
        free(l);
    }

    /* a label that is not a string */
    l = fulcra_line("Human: a\\nBob: b", "\"universalism: +1\", 7", "null");
    char m7[256];
    snprintf(m7, sizeof m7,
             "t.jsonl:1:%zu: malformed label in value_types: expected a string \"name: score\", found number",
             (size_t)(strstr(l, ", 7]") - l) + 3);
    expect_strict(l, VS_EPARSE, m7);
    ds = read_fulcra(l, 0);
    ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_MALFORMED_LABEL), 2);
    ck_assert_str_eq(vs_dataset_skip_token(ds, 0), "number");
    ck_assert_str_eq(vs_dataset_skip_token(ds, 1), "null");
    ck_assert_str_eq(vs_dataset_skip_message(ds, 1),
                     "malformed label in value_items: expected a string \"name: score\", found null");
    vs_dataset_free(ds);
    free(l);

    /* unknown names: the refined value humility is not a type; "Be respectful" is not an item */
    l = fulcra_line("Human: a\\nBob: b", "\"Humility: +1\"", "\"be honest: +1\", \"Be respectful: -1\"");
    ck_assert_uint_eq((size_t)(strstr(l, "\"Humility") - l) + 1, 50);
    expect_strict(l, VS_ENOTFOUND,
                  "t.jsonl:1:50: unknown label 'Humility: +1' in value_types: 'Humility' is not a value type of "
                  "space 'schwartz10'");
    ds = read_fulcra(l, 0);
    ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_UNKNOWN_LABEL), 2);
    ck_assert_str_eq(vs_dataset_skip_token(ds, 1), "Be respectful: -1");
    ck_assert_str_eq(vs_dataset_skip_message(ds, 1), "unknown label 'Be respectful: -1' in value_items: "
                                                     "'Be respectful' is not a value item of space 'fulcra'");
    labels_of(it, 54, ds, 0, VS_DATASET_ITEMS);
    ck_assert(it[dim_of(ds, 1, "be honest")] == 1);
    vs_dataset_free(ds);
    free(l);
}
END_TEST

START_TEST(duplicate_rule) {
    /* same score twice (any spelling): kept once, reported as informational */
    char *l = fulcra_line("Human: a\\nBob: b", "\"benevolence: 1\", \"Benevolence: +1\"",
                          "\"be honest: -1\", \"be honest: -1\"");
    vs_dataset *ds = read_fulcra(l, VS_DATASET_STRICT);
    double t[10], it[54];
    labels_of(t, 10, ds, 0, 0);
    ck_assert(t[8] == 1);
    labels_of(it, 54, ds, 0, 1);
    ck_assert(it[dim_of(ds, 1, "be honest")] == -1);
    ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_DUPLICATE), 2);
    ck_assert_uint_eq(vs_dataset_skip_total(ds), 2);
    ck_assert_str_eq(vs_dataset_skip_token(ds, 0), "Benevolence: +1");
    size_t c[10], n;
    ck_assert_ok(vs_dataset_label_counts(&n, ds, 0, VS_DATASET_COUNT_WRITTEN_ONE, c, 10));
    ck_assert_uint_eq(c[8], 1);
    ck_assert_ok(vs_dataset_label_counts(&n, ds, 0, VS_DATASET_COUNT_POSITIVE, c, 10));
    ck_assert_uint_eq(c[8], 1);
    vs_dataset_free(ds);
    free(l);

    /* opposite scores: the entry is 0, every label of the dimension is reported */
    l = fulcra_line("Human: a\\nBob: b",
                    "\"benevolence: -1\", \"security: +1\", \"benevolence: +1\", \"benevolence: 1\"", "");
    ck_assert_uint_eq((size_t)(strstr(l, "\"benevolence: -1\"") - l) + 1, 50);
    expect_strict(l, VS_EDUPLICATE,
                  "t.jsonl:1:50: conflicting labels in value_types: 'benevolence: -1' and 'benevolence: +1' give the "
                  "same dimension opposite scores (both dropped: the entry is 0)");
    ds = read_fulcra(l, 0);
    labels_of(t, 10, ds, 0, 0);
    ck_assert(t[8] == 0 && t[5] == 1);
    ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_CONFLICT), 3);
    ck_assert_uint_eq(vs_dataset_skip_total(ds), 3);
    ck_assert_str_eq(vs_dataset_skip_token(ds, 2), "benevolence: 1");
    ck_assert_str_eq(vs_dataset_skip_message(ds, 2),
                     "conflicting labels in value_types: 'benevolence: 1' and 'benevolence: -1' give the same "
                     "dimension opposite scores (both dropped: the entry is 0)");
    ck_assert_ok(vs_dataset_label_counts(&n, ds, 0, VS_DATASET_COUNT_WRITTEN_PLUS, c, 10));
    ck_assert_uint_eq(c[8], 1); /* written counts include conflicting labels */
    ck_assert_ok(vs_dataset_label_counts(&n, ds, 0, VS_DATASET_COUNT_WRITTEN_MINUS, c, 10));
    ck_assert_uint_eq(c[8], 1);
    ck_assert_ok(vs_dataset_label_counts(&n, ds, 0, VS_DATASET_COUNT_ZERO, c, 10));
    ck_assert_uint_eq(c[8], 1);
    vs_dataset_free(ds);
    free(l);

    /* the rule is per record: the next record is not affected */
    char *l1 = fulcra_line("Human: a\\nBob: b", "\"power: -1\", \"power: +1\"", "");
    char *l2 = fulcra_line("Human: a\\nBob: b", "\"power: -1\"", "");
    char both[1024];
    snprintf(both, sizeof both, "%s%s", l1, l2);
    ds = read_fulcra(both, 0);
    labels_of(t, 10, ds, 1, 0);
    ck_assert(t[4] == -1);
    vs_dataset_free(ds);
    free(l1);
    free(l2);
}
END_TEST

/* ------------------------------------------------------------------ dialogue */

START_TEST(dialogue_split) {
    char *l = fulcra_line("  Human: first question \\nBob: first answer\\n\\nmore\\nHuman: second\\nAssistant: "
                          "second answer\\nnot a Human: tag\\n",
                          "", "");
    vs_dataset *ds = read_fulcra(l, VS_DATASET_STRICT);
    ck_assert_str_eq(vs_dataset_prompt(ds, 0), "first question\n\nsecond");
    ck_assert_str_eq(vs_dataset_response(ds, 0), "first answer\n\nmore\n\nsecond answer\nnot a Human: tag");
    ck_assert_str_eq(vs_dataset_text(ds, 0), "  Human: first question \nBob: first answer\n\nmore\nHuman: second\n"
                                             "Assistant: second answer\nnot a Human: tag\n");
    ck_assert_str_eq(vs_dataset_source(ds, 0), "m");
    ck_assert_str_eq(vs_dataset_query_source(ds, 0), "");
    vs_dataset_free(ds);
    free(l);

    /* tags are case-sensitive and must start a line */
    static const struct {
        const char *dialogue, *why, *quoted;
    } bad[] = {
        {"", "the dialogue does not start with a speaker tag (Human:, Bob: or Assistant:)", ""},
        {"   ", "the dialogue does not start with a speaker tag (Human:, Bob: or Assistant:)", "   "},
        {"human: hi\\nbob: ho", "the dialogue does not start with a speaker tag (Human:, Bob: or Assistant:)",
         "human: hi\\nbob: ho"},
        {"Human: hi\\nBob:  ", "the dialogue has no response (no non-empty Bob: or Assistant: turn)",
         "Human: hi\\nBob:  "},
        {"Human: hi", "the dialogue has no response (no non-empty Bob: or Assistant: turn)", "Human: hi"},
        {"Bob: only an answer", "the dialogue has no prompt (no non-empty Human: turn)", "Bob: only an answer"},
        {"Human:\\nAssistant: x", "the dialogue has no prompt (no non-empty Human: turn)", "Human:\\nAssistant: x"},
        {"Human: a very long question that goes on and on\\nBob: yes",
         "the dialogue has no response (no non-empty Bob: or Assistant: turn)", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *line = fulcra_line(bad[i].dialogue, "\"benevolence: +1\"", "");
        char msg[512];
        if (!bad[i].quoted) {
            /* a response exists here; check instead that long dialogues are cut in messages */
            ds = read_fulcra(line, VS_DATASET_STRICT);
            ck_assert_str_eq(vs_dataset_response(ds, 0), "yes");
            vs_dataset_free(ds);
            free(line);
            continue;
        }
        snprintf(msg, sizeof msg, "t.jsonl:1:14: %s: '%s'", bad[i].why, bad[i].quoted);
        expect_strict(line, VS_EPARSE, msg);
        ds = read_fulcra(line, 0);
        ck_assert_uint_eq(vs_dataset_count(ds), 0);
        ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_BAD_DIALOGUE), 1);
        ck_assert_uint_eq(vs_dataset_skip_total(ds), 1);
        ck_assert_uint_eq(vs_dataset_skip_column(ds, 0), 14);
        vs_dataset_free(ds);
        free(line);
    }
    /* a long dialogue is cut to 40 bytes in the message */
    char long_d[400];
    strcpy(long_d, "Tom: ");
    for (int i = 0; i < 60; i++) strcat(long_d, "ab ");
    l = fulcra_line(long_d, "", "");
    ds = read_fulcra(l, 0);
    ck_assert_str_eq(vs_dataset_skip_message(ds, 0),
                     "the dialogue does not start with a speaker tag (Human:, Bob: or Assistant:): "
                     "'Tom: ab ab ab ab ab ab ab ab ab ab ab ab...'");
    ck_assert_uint_eq(strlen(vs_dataset_skip_token(ds, 0)), 40);
    vs_dataset_free(ds);
    free(l);
}
END_TEST

/* ------------------------------------------------------------------ crafted bad lines */

START_TEST(bad_lines) {
    static const struct {
        const char *line;
        int status;
        uint32_t reason;
        size_t column;
        const char *token, *message;
    } cases[] = {
        /* truncated JSON */
        {"{\"dialogue\": \"Human: a\\nBob: b\", \"value_types\": [", VS_EPARSE, VS_DATASET_SKIP_INVALID_JSON, 50, "",
         "unexpected end of input (expected a value)"},
        {"{\"dialogue\": \"Human: trunc", VS_EPARSE, VS_DATASET_SKIP_INVALID_JSON, 14, "", "unterminated string"},
        /* invalid UTF-8 (a lone continuation byte, a truncated sequence, an overlong '/') */
        {"{\"dialogue\": \"Human: a\\nBob: b\x80\", \"value_types\": [], \"value_items\": []}", VS_EUTF8,
         VS_DATASET_SKIP_INVALID_UTF8, 31, "", "invalid UTF-8"},
        {"{\"dialogue\": \"Human: \xe2\x82\", \"value_types\": [], \"value_items\": []}", VS_EUTF8,
         VS_DATASET_SKIP_INVALID_UTF8, 22, "", "invalid UTF-8"},
        {"{\"dialogue\": \"Human: \xc0\xaf\", \"value_types\": [], \"value_items\": []}", VS_EUTF8,
         VS_DATASET_SKIP_INVALID_UTF8, 22, "", "invalid UTF-8"},
        /* wrong types and missing members */
        {"{\"dialogue\": 5, \"value_types\": [], \"value_items\": []}", VS_EPARSE, VS_DATASET_SKIP_BAD_RECORD, 14,
         "dialogue", "member 'dialogue' must be a string, found number"},
        {"{\"value_types\": [], \"value_items\": []}", VS_EPARSE, VS_DATASET_SKIP_BAD_RECORD, 1, "dialogue",
         "missing member 'dialogue'"},
        {"{\"dialogue\": \"Human: a\\nBob: b\", \"value_types\": \"benevolence: +1\", \"value_items\": []}", VS_EPARSE,
         VS_DATASET_SKIP_BAD_RECORD, 49, "value_types", "member 'value_types' must be an array, found string"},
        {"{\"dialogue\": \"Human: a\\nBob: b\", \"value_types\": []}", VS_EPARSE, VS_DATASET_SKIP_BAD_RECORD, 1,
         "value_items", "missing member 'value_items'"},
        {"{\"dialogue\": \"Human: a\\nBob: b\", \"value_types\": [], \"value_items\": [], \"response_source\": 3}",
         VS_EPARSE, VS_DATASET_SKIP_BAD_RECORD, 91, "response_source",
         "member 'response_source' must be a string without NUL characters, found number"},
        {"{\"dialogue\": \"Human: a\\u0000\\nBob: b\", \"value_types\": [], \"value_items\": []}", VS_EPARSE,
         VS_DATASET_SKIP_BAD_RECORD, 14, "dialogue",
         "member 'dialogue' must be a string without NUL characters, found string"},
        {"{\"dialogue\": \"Human: a\\nBob: b\", \"value_types\": [], \"value_items\": [], \"id\": [1]}", VS_EPARSE,
         VS_DATASET_SKIP_BAD_RECORD, 78, "id", "member 'id' must be a string or a number, found array"},
        {"[1, 2]", VS_EPARSE, VS_DATASET_SKIP_BAD_RECORD, 1, "array", "the line is not a JSON object (found array)"},
        {"  \"text\"", VS_EPARSE, VS_DATASET_SKIP_BAD_RECORD, 3, "string",
         "the line is not a JSON object (found string)"},
        /* empty dialogue */
        {"{\"dialogue\": \"\", \"value_types\": [], \"value_items\": []}", VS_EPARSE, VS_DATASET_SKIP_BAD_DIALOGUE, 14,
         "", "the dialogue does not start with a speaker tag (Human:, Bob: or Assistant:): ''"},
        /* JSON-level limits */
        {"{\"dialogue\": \"Human: a\\nBob: b\", \"dialogue\": \"x\", \"value_types\": [], \"value_items\": []}",
         VS_EDUPLICATE, VS_DATASET_SKIP_INVALID_JSON, 34, "", "duplicate key \"dialogue\" (first defined at 1:2)"},
        {"{\"dialogue\": \"Human: a\\nBob: b\", \"value_types\": [], \"value_items\": []} trailing", VS_EPARSE,
         VS_DATASET_SKIP_INVALID_JSON, 72, "", "unexpected data after the JSON value"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* the bad line between two good ones */
        char *good = fulcra_line("Human: a\\nBob: b", "\"benevolence: +1\"", "");
        size_t n = 2 * strlen(good) + strlen(cases[i].line) + 2;
        char *text = malloc(n);
        snprintf(text, n, "%s%s\n%s", good, cases[i].line, good);
        char msg[512];
        snprintf(msg, sizeof msg, "t.jsonl:2:%zu: %s", cases[i].column, cases[i].message);
        expect_strict(text, cases[i].status, msg);
        vs_dataset *ds = read_fulcra(text, 0);
        ck_assert_msg(vs_dataset_count(ds) == 2, "case %zu: %zu records", i, vs_dataset_count(ds));
        ck_assert_uint_eq(vs_dataset_line(ds, 1), 3);
        ck_assert_str_eq(vs_dataset_id(ds, 1), "3");
        ck_assert_uint_eq(vs_dataset_line_count(ds), 3);
        expect_single_skip(ds, cases[i].reason, 2, cases[i].column, cases[i].token, cases[i].message);
        vs_dataset_free(ds);
        free(text);
        free(good);
    }

    /* nesting deeper than 64 levels */
    char deep[300] = "";
    for (int i = 0; i < 70; i++) strcat(deep, "[");
    vs_dataset *ds = (vs_dataset *)1;
    ck_assert_status(vs_dataset_read_fulcra(&ds, deep, strlen(deep), "t.jsonl", VS_DATASET_STRICT), VS_ELIMIT);
    ck_assert(strncmp(vs_last_error(), "t.jsonl:1:65: ", 14) == 0);
    ds = read_fulcra(deep, 0);
    ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_INVALID_JSON), 1);
    vs_dataset_free(ds);
}
END_TEST

START_TEST(blank_lines_crlf_and_ids) {
    const char *text =
        "\n   \r\n"
        "{\"dialogue\": \"Human: a\\nBob: b\", \"value_types\": [], \"value_items\": [], \"id\": \"rec-1\"}\r\n"
        "\t\n"
        "{\"dialogue\": \"Human: c\\nBob: d\", \"value_types\": [], \"value_items\": [], \"id\": 42, "
        "\"query_source\": \"qs\", \"extra\": {\"ignored\": true}}";
    vs_dataset *ds = read_fulcra(text, VS_DATASET_STRICT); /* blank lines are informational */
    ck_assert_uint_eq(vs_dataset_count(ds), 2);
    ck_assert_uint_eq(vs_dataset_line_count(ds), 5);
    ck_assert_str_eq(vs_dataset_id(ds, 0), "rec-1");
    ck_assert_str_eq(vs_dataset_id(ds, 1), "42");
    ck_assert_uint_eq(vs_dataset_line(ds, 0), 3);
    ck_assert_uint_eq(vs_dataset_line(ds, 1), 5);
    ck_assert_str_eq(vs_dataset_response(ds, 0), "b");
    ck_assert_str_eq(vs_dataset_query_source(ds, 1), "qs");
    ck_assert_str_eq(vs_dataset_source(ds, 0), "");
    ck_assert_uint_eq(vs_dataset_source_count(ds), 1);
    ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_BLANK_LINE), 3);
    size_t lines[3], n;
    ck_assert_ok(vs_dataset_skip_lines(&n, ds, VS_DATASET_SKIP_BLANK_LINE, lines, 3));
    ck_assert(lines[0] == 1 && lines[1] == 2 && lines[2] == 4);
    vs_dataset_free(ds);

    /* an empty input is an empty dataset */
    ds = read_fulcra("", VS_DATASET_STRICT);
    ck_assert_uint_eq(vs_dataset_count(ds), 0);
    ck_assert_uint_eq(vs_dataset_line_count(ds), 0);
    vs_dataset_free(ds);
}
END_TEST

/* Lines longer than the 16 MiB limit: skipped (lenient) or VS_ELIMIT (strict); the reader
 * continues with the next line, from memory and from a file. */
START_TEST(huge_line) {
    size_t big = VS_DATASET_DEFAULT_MAX_LINE + 10;
    char *good = fulcra_line("Human: a\\nBob: b", "\"benevolence: +1\"", "");
    size_t gl = strlen(good);
    char *text = malloc(big + 2 * gl + 2);
    memcpy(text, good, gl);
    memcpy(text + gl, "{\"dialogue\": \"", 14);
    memset(text + gl + 14, 'x', big - 14);
    text[gl + big] = '\n';
    memcpy(text + gl + big + 1, good, gl);
    size_t len = big + 2 * gl + 1;
    char msg[128];
    snprintf(msg, sizeof msg, "t.jsonl:2:1: line longer than the limit of %zu bytes",
             (size_t)VS_DATASET_DEFAULT_MAX_LINE);
    vs_dataset *ds = (vs_dataset *)1;
    ck_assert_status(vs_dataset_read_fulcra(&ds, text, len, "t.jsonl", VS_DATASET_STRICT), VS_ELIMIT);
    ck_assert_str_eq(vs_last_error(), msg);
    ck_assert_ok(vs_dataset_read_fulcra(&ds, text, len, "t.jsonl", 0));
    ck_assert_uint_eq(vs_dataset_count(ds), 2);
    ck_assert_uint_eq(vs_dataset_line(ds, 1), 3);
    expect_single_skip(ds, VS_DATASET_SKIP_LINE_TOO_LONG, 2, 1, "", msg + strlen("t.jsonl:2:1: "));
    vs_dataset_free(ds);

    char *path = temp_path(".jsonl");
    write_file(path, text, len);
    ck_assert_ok(vs_dataset_load_fulcra(&ds, path, 0));
    ck_assert_uint_eq(vs_dataset_count(ds), 2);
    ck_assert_uint_eq(vs_dataset_line(ds, 1), 3);
    ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_LINE_TOO_LONG), 1);
    ck_assert_str_eq(vs_dataset_response(ds, 1), "b");
    vs_dataset_free(ds);
    ck_assert_status(vs_dataset_load_fulcra(&ds, path, VS_DATASET_STRICT), VS_ELIMIT);
    unlink(path);
    free(path);
    free(text);
    free(good);
}
END_TEST

/* Lines longer than the reader's 64 KiB chunks, CRLF ends and a last line without a newline,
 * read from a file, give the same records as from memory. */
START_TEST(file_stream_matches_memory) {
    char *d = malloc(200001);
    strcpy(d, "Human: q\\nBob: ");
    size_t dl = strlen(d);
    for (size_t i = dl; i < 200000; i++) d[i] = (char)('a' + i % 26);
    d[200000] = '\0';
    char *l1 = fulcra_line(d, "\"benevolence: +1\"", "");
    char *l2 = fulcra_line("Human: x\\nBob: y", "\"power: -1\"", "");
    size_t n = 3 * strlen(l1) + 3 * strlen(l2) + 16;
    char *text = malloc(n);
    text[0] = '\0';
    for (int r = 0; r < 3; r++) {
        strcat(text, l1);
        text[strlen(text) - 1] = '\0';
        strcat(text, "\r\n");
        strcat(text, l2);
    }
    text[strlen(text) - 1] = '\0'; /* no final newline */
    char *path = temp_path(".jsonl");
    write_file(path, text, strlen(text));
    vs_dataset *a = read_fulcra(text, VS_DATASET_STRICT), *b = NULL;
    ck_assert_ok(vs_dataset_load_fulcra(&b, path, VS_DATASET_STRICT));
    ck_assert_uint_eq(vs_dataset_count(a), 6);
    ck_assert_uint_eq(vs_dataset_count(b), 6);
    for (size_t i = 0; i < 6; i++) {
        ck_assert_str_eq(vs_dataset_text(a, i), vs_dataset_text(b, i));
        ck_assert_str_eq(vs_dataset_response(a, i), vs_dataset_response(b, i));
        ck_assert_uint_eq(vs_dataset_line(b, i), i + 1);
    }
    ck_assert_uint_eq(strlen(vs_dataset_response(b, 0)), 200000 - dl);
    ck_assert_str_eq(vs_dataset_response(b, 5), "y");
    vs_dataset_free(a);
    vs_dataset_free(b);
    unlink(path);
    free(path);
    free(text);
    free(l1);
    free(l2);
    free(d);
}
END_TEST

/* ------------------------------------------------------------------ the small crafted file */

START_TEST(small_file) {
    vs_dataset *ds = NULL;
    ck_assert_ok(vs_dataset_load_fulcra(&ds, SMALL_JSONL, 0));
    ck_assert_uint_eq(vs_dataset_count(ds), 3);
    ck_assert_uint_eq(vs_dataset_line_count(ds), 5);
    ck_assert_str_eq(vs_dataset_id(ds, 2), "last");
    ck_assert_uint_eq(vs_dataset_source_count(ds), 2);
    ck_assert_str_eq(vs_dataset_source_name(ds, 0), "model-a");
    ck_assert_uint_eq(vs_dataset_source_record_count(ds, 0), 2);
    static const struct {
        uint32_t reason;
        size_t line, col;
    } want[] = {
        {VS_DATASET_SKIP_UNKNOWN_LABEL, 1, 103},   {VS_DATASET_SKIP_UNKNOWN_LABEL, 1, 160},
        {VS_DATASET_SKIP_BLANK_LINE, 2, 1},        {VS_DATASET_SKIP_MALFORMED_LABEL, 3, 72},
        {VS_DATASET_SKIP_DUPLICATE, 3, 125},       {VS_DATASET_SKIP_CONFLICT, 3, 143},
        {VS_DATASET_SKIP_CONFLICT, 3, 159},        {VS_DATASET_SKIP_INVALID_JSON, 4, 14},
        {VS_DATASET_SKIP_MALFORMED_LABEL, 5, 113},
    };
    ck_assert_uint_eq(vs_dataset_skip_total(ds), sizeof want / sizeof want[0]);
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        ck_assert_msg(vs_dataset_skip_reason(ds, k) == want[k].reason, "entry %zu: %s", k,
                      vs_dataset_skip_reason_name(vs_dataset_skip_reason(ds, k)));
        ck_assert_uint_eq(vs_dataset_skip_line(ds, k), want[k].line);
        ck_assert_uint_eq(vs_dataset_skip_column(ds, k), want[k].col);
    }
    double t[10];
    labels_of(t, 10, ds, 1, 0);
    static const double t1[10] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0}; /* conformity kept, security conflicting */
    for (int k = 0; k < 10; k++) ck_assert(t[k] == t1[k]);
    labels_of(t, 10, ds, 2, 0);
    ck_assert(t[4] == 1 && t[0] == 0);
    vs_dataset_free(ds);
    ds = (vs_dataset *)1;
    ck_assert_status(vs_dataset_load_fulcra(&ds, SMALL_JSONL, VS_DATASET_STRICT), VS_ENOTFOUND);
    ck_assert_ptr_null(ds);
    ck_assert_str_eq(vs_last_error(), SMALL_JSONL ":1:103: unknown label 'Be respectful: +1' in value_items: "
                                                  "'Be respectful' is not a value item of space 'fulcra'");
}
END_TEST

/* ------------------------------------------------------------------ API errors */

START_TEST(api_errors) {
    vs_dataset *ds = (vs_dataset *)1;
    ck_assert_status(vs_dataset_load_fulcra(&ds, NULL, 0), VS_EINVAL);
    ck_assert_ptr_null(ds);
    ck_assert_status(vs_dataset_load_fulcra(NULL, FULCRA_FILE, 0), VS_EINVAL);
    ck_assert_status(vs_dataset_load_fulcra(&ds, FULCRA_FILE, 0x100), VS_EINVAL);
    ck_assert_status(vs_dataset_read_fulcra(&ds, NULL, 3, "x", 0), VS_EINVAL);
    ck_assert_status(vs_dataset_read_fulcra(&ds, "", 0, "x", VS_DATASET_CSV), VS_EINVAL);
    ck_assert_status(vs_dataset_load_fulcra(&ds, "/nonexistent/file.jsonl", 0), VS_ENOTFOUND);
    ck_assert_ptr_null(ds);
    ck_assert_str_eq(vs_last_error(), "cannot open '/nonexistent/file.jsonl': No such file or directory");
    ck_assert_status(vs_dataset_load_fulcra(&ds, "/", 0), VS_EIO);

    vs_dataset_free(NULL);
    ck_assert_uint_eq(vs_dataset_count(NULL), 0);
    ck_assert_ptr_null(vs_dataset_id(NULL, 0));
    ck_assert_ptr_null(vs_dataset_name(NULL));
    ck_assert_uint_eq(vs_dataset_skip_total(NULL), 0);
    ck_assert_uint_eq(vs_dataset_label_set_count(NULL), 0);
    ck_assert_uint_eq(vs_dataset_source_index(NULL, 0), VS_NPOS);
    ck_assert_str_eq(vs_dataset_skip_reason_name(0), "unknown");
    ck_assert_str_eq(vs_dataset_skip_reason_name(99), "unknown");
    static const char *const names[] = {"invalid_json", "invalid_utf8",    "line_too_long", "bad_record",
                                        "bad_dialogue", "malformed_label", "unknown_label", "conflict",
                                        "duplicate",    "blank_line",      "ignored_field", "invalid_csv"};
    for (uint32_t r = 1; r < VS_DATASET_SKIP_REASON_END; r++)
        ck_assert_str_eq(vs_dataset_skip_reason_name(r), names[r - 1]);

    ds = read_fulcra("{\"dialogue\": \"Human: a\\nBob: b\", \"value_types\": [\"power: +1\"], \"value_items\": []}", 0);
    size_t n = 99;
    double buf[64];
    size_t sbuf[64];
    const char *strs[4];
    ck_assert_status(vs_dataset_labels(NULL, ds, 0, 0, buf, 64), VS_EINVAL);
    ck_assert_status(vs_dataset_labels(&n, ds, 0, 0, NULL, 5), VS_EINVAL);
    ck_assert_status(vs_dataset_labels(&n, ds, 1, 0, buf, 64), VS_ERANGE);
    ck_assert_status(vs_dataset_labels(&n, ds, 0, 2, buf, 64), VS_ERANGE);
    n = 0;
    ck_assert_status(vs_dataset_labels(&n, ds, 0, 0, NULL, 0), VS_EBUFSIZE);
    ck_assert_uint_eq(n, 10);
    ck_assert_status(vs_dataset_labels(&n, ds, 0, 1, buf, 53), VS_EBUFSIZE);
    ck_assert_uint_eq(n, 54);
    ck_assert_status(vs_dataset_label_counts(&n, ds, 0, 7, sbuf, 64), VS_EINVAL);
    ck_assert_status(vs_dataset_label_counts(&n, ds, 3, 0, sbuf, 64), VS_ERANGE);
    ck_assert_status(vs_dataset_label_counts(&n, ds, 0, 0, sbuf, 9), VS_EBUFSIZE);
    ck_assert_status(vs_dataset_label_matrix(&n, ds, 2, buf, 64), VS_ERANGE);
    ck_assert_ok(vs_dataset_label_matrix(&n, ds, 0, buf, 64));
    ck_assert_uint_eq(n, 10);
    ck_assert(buf[4] == 1);
    ck_assert_status(vs_dataset_strings(&n, ds, 6, strs, 4), VS_EINVAL);
    ck_assert_status(vs_dataset_strings(&n, ds, VS_DATASET_FIELD_ID, strs, 0), VS_EBUFSIZE);
    ck_assert_uint_eq(n, 1);
    ck_assert_ok(vs_dataset_strings(&n, ds, VS_DATASET_FIELD_PROMPT, strs, 4));
    ck_assert_str_eq(strs[0], "a");
    ck_assert_ok(vs_dataset_strings(&n, ds, VS_DATASET_FIELD_QUERY_SOURCE, strs, 4));
    ck_assert_str_eq(strs[0], "");
    ck_assert_status(vs_dataset_source_indices(&n, ds, NULL, 0), VS_EBUFSIZE);
    ck_assert_status(vs_dataset_skip_lines(&n, ds, 0, sbuf, 64), VS_EINVAL);
    ck_assert_status(vs_dataset_skip_lines(&n, ds, VS_DATASET_SKIP_REASON_END, sbuf, 64), VS_EINVAL);
    ck_assert_ok(vs_dataset_skip_lines(&n, ds, VS_DATASET_SKIP_CONFLICT, NULL, 0));
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(vs_dataset_id(ds, 1));
    ck_assert_ptr_null(vs_dataset_prompt(ds, 1));
    ck_assert_ptr_null(vs_dataset_skip_token(ds, 0));
    ck_assert_ptr_null(vs_dataset_skip_message(ds, 0));
    ck_assert_uint_eq(vs_dataset_skip_reason(ds, 0), 0);
    ck_assert_uint_eq(vs_dataset_skip_line(ds, 0), 0);
    ck_assert_uint_eq(vs_dataset_line(ds, 1), 0);
    ck_assert_ptr_null(vs_dataset_label_space(ds, 2));
    ck_assert_uint_eq(vs_dataset_label_level(ds, 2), VS_NPOS);
    ck_assert_uint_eq(vs_dataset_label_dimension_count(ds, 2), 0);
    vs_dataset_free(ds);
}
END_TEST

/* A dataset keeps its spaces alive; it may be freed before or after spaces taken from it. */
START_TEST(spaces_outlive_and_are_kept) {
    vs_space *sp = NULL;
    ck_assert_ok(vs_space_builtin(&sp, "schwartz10"));
    vs_dataset_options o = VS_DATASET_OPTIONS_INIT;
    o.space = sp;
    vs_dataset *ds = NULL;
    const char *text = "{\"text\": \"t\", \"power\": 1}\n";
    ck_assert_ok(vs_dataset_read(&ds, text, strlen(text), NULL, &o));
    vs_space_free(sp); /* the dataset still holds it */
    ck_assert_str_eq(vs_space_name(vs_dataset_label_space(ds, 0)), "schwartz10");
    ck_assert_str_eq(vs_dataset_name(ds), "<dataset>");
    vs_dataset_free(ds);
}
END_TEST

/* ------------------------------------------------------------------ generic JSONL */

static vs_space *schwartz10(void) {
    vs_space *sp = NULL;
    ck_assert_ok(vs_space_builtin(&sp, "schwartz10"));
    return sp;
}

START_TEST(generic_jsonl) {
    vs_space *sp = schwartz10();
    vs_dataset_options o = VS_DATASET_OPTIONS_INIT;
    o.space = sp;
    o.id_field = "uid";
    o.text_field = "answer";
    o.prompt_field = "question";
    o.group_field = "model";
    const char *text =
        "{\"uid\": \"a\", \"question\": \"q1\", \"answer\": \"r1\", \"model\": \"m1\", \"Benevolence\": 1, "
        "\"SELF_DIRECTION\": -0.5, \"notes\": \"x\", \"power\": null}\n"
        "{\"uid\": 7, \"question\": \"q2\", \"answer\": 3.5, \"universalism\": 2, \"notes\": 1, \"Stimulation\": "
        "\"high\"}\n"
        "{\"question\": \"q3\", \"answer\": \"r3\", \"model\": \"m1\", \"benevolence\": 1, \"BENEVOLENCE\": 1, "
        "\"hedonism\": 1, \"Hedonism\": -1}\n"
        "{\"uid\": \"d\", \"answer\": \"r4\"}\n";
    vs_dataset *ds = NULL;
    ck_assert_ok(vs_dataset_read(&ds, text, strlen(text), "g.jsonl", &o));
    ck_assert_uint_eq(vs_dataset_count(ds), 3);
    ck_assert_uint_eq(vs_dataset_label_set_count(ds), 1);
    ck_assert_uint_eq(vs_dataset_label_dimension_count(ds, 0), 10);
    ck_assert_str_eq(vs_dataset_id(ds, 0), "a");
    ck_assert_str_eq(vs_dataset_id(ds, 1), "7");
    ck_assert_str_eq(vs_dataset_id(ds, 2), "3");
    ck_assert_str_eq(vs_dataset_prompt(ds, 0), "q1");
    ck_assert_str_eq(vs_dataset_response(ds, 0), "r1");
    ck_assert_str_eq(vs_dataset_text(ds, 0), "r1");
    ck_assert_str_eq(vs_dataset_response(ds, 1), "3.5");
    ck_assert_str_eq(vs_dataset_source(ds, 0), "m1");
    ck_assert_str_eq(vs_dataset_source(ds, 1), "");
    ck_assert_uint_eq(vs_dataset_source_count(ds), 2);
    ck_assert_uint_eq(vs_dataset_source_record_count(ds, 0), 2);
    double t[10];
    labels_of(t, 10, ds, 0, 0);
    ck_assert(t[8] == 1 && t[0] == -0.5 && isnan(t[4]) && isnan(t[9]));
    labels_of(t, 10, ds, 1, 0);
    ck_assert(t[9] == 2 && isnan(t[1]) && isnan(t[8]));
    labels_of(t, 10, ds, 2, 0);
    ck_assert(t[8] == 1 && isnan(t[2]));
    size_t c[10], n;
    ck_assert_ok(vs_dataset_label_counts(&n, ds, 0, VS_DATASET_COUNT_MISSING, c, 10));
    ck_assert_uint_eq(c[8], 1);
    ck_assert_uint_eq(c[3], 3);
    ck_assert_ok(vs_dataset_label_counts(&n, ds, 0, VS_DATASET_COUNT_WRITTEN_PLUS, c, 10));
    ck_assert_uint_eq(c[8], 0);

    /* report: ignored field once, malformed label, duplicate, conflict (both), bad record */
    static const struct {
        uint32_t reason;
        size_t line, col;
        const char *token;
    } want[] = {
        {VS_DATASET_SKIP_IGNORED_FIELD, 1, 105, "notes"},  {VS_DATASET_SKIP_MALFORMED_LABEL, 2, 91, "Stimulation"},
        {VS_DATASET_SKIP_DUPLICATE, 3, 84, "BENEVOLENCE"}, {VS_DATASET_SKIP_CONFLICT, 3, 99, "hedonism"},
        {VS_DATASET_SKIP_CONFLICT, 3, 114, "Hedonism"},    {VS_DATASET_SKIP_BAD_RECORD, 4, 1, "question"},
    };
    ck_assert_uint_eq(vs_dataset_skip_total(ds), sizeof want / sizeof want[0]);
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        ck_assert_msg(vs_dataset_skip_reason(ds, k) == want[k].reason, "entry %zu: %s", k,
                      vs_dataset_skip_reason_name(vs_dataset_skip_reason(ds, k)));
        ck_assert_uint_eq(vs_dataset_skip_line(ds, k), want[k].line);
        ck_assert_uint_eq(vs_dataset_skip_column(ds, k), want[k].col);
        ck_assert_str_eq(vs_dataset_skip_token(ds, k), want[k].token);
    }
    ck_assert_str_eq(vs_dataset_skip_message(ds, 1),
                     "malformed label 'Stimulation': expected a number or null, found string");
    ck_assert_str_eq(vs_dataset_skip_message(ds, 5), "missing member 'question'");
    vs_dataset_free(ds);

    o.flags = VS_DATASET_STRICT;
    ds = (vs_dataset *)1;
    ck_assert_status(vs_dataset_read(&ds, text, strlen(text), "g.jsonl", &o), VS_EPARSE);
    ck_assert_ptr_null(ds);
    ck_assert_str_eq(vs_last_error(),
                     "g.jsonl:2:91: malformed label 'Stimulation': expected a number or null, found string");

    /* labels under one member; unknown names are unknown labels there */
    vs_dataset_options o2 = VS_DATASET_OPTIONS_INIT;
    o2.space = sp;
    o2.labels_field = "labels";
    const char *t2 = "{\"id\": \"x\", \"text\": \"hi\", \"labels\": {\"power\": -1, \"humility\": 1}, \"meta\": 1}\n"
                     "{\"text\": \"ho\", \"labels\": [1]}\n"
                     "{\"text\": \"no labels\"}\n";
    ck_assert_ok(vs_dataset_read(&ds, t2, strlen(t2), "l.jsonl", &o2));
    ck_assert_uint_eq(vs_dataset_count(ds), 2);
    labels_of(t, 10, ds, 0, 0);
    ck_assert(t[4] == -1);
    labels_of(t, 10, ds, 1, 0);
    for (int k = 0; k < 10; k++) ck_assert(isnan(t[k]));
    ck_assert_uint_eq(vs_dataset_skip_total(ds), 3);
    ck_assert_uint_eq(vs_dataset_skip_reason(ds, 0), VS_DATASET_SKIP_UNKNOWN_LABEL);
    ck_assert_str_eq(vs_dataset_skip_token(ds, 0), "humility");
    ck_assert_uint_eq(vs_dataset_skip_column(ds, 0), 51);
    ck_assert_uint_eq(vs_dataset_skip_reason(ds, 1), VS_DATASET_SKIP_IGNORED_FIELD);
    ck_assert_str_eq(vs_dataset_skip_token(ds, 1), "meta");
    ck_assert_uint_eq(vs_dataset_skip_reason(ds, 2), VS_DATASET_SKIP_BAD_RECORD);
    ck_assert_str_eq(vs_dataset_skip_message(ds, 2), "member 'labels' must be an object, found array");
    vs_dataset_free(ds);
    o2.flags = VS_DATASET_STRICT;
    ck_assert_status(vs_dataset_read(&ds, t2, strlen(t2), "l.jsonl", &o2), VS_ENOTFOUND);
    ck_assert_str_eq(vs_last_error(), "l.jsonl:1:51: unknown label 'humility' in 'labels': not a dimension of level "
                                      "'value' of space 'schwartz10'");

    /* options errors */
    vs_dataset_options bad = VS_DATASET_OPTIONS_INIT;
    ck_assert_status(vs_dataset_read(&ds, t2, strlen(t2), NULL, &bad), VS_EINVAL); /* no space */
    ck_assert_status(vs_dataset_read(&ds, t2, strlen(t2), NULL, NULL), VS_EINVAL);
    bad.space = sp;
    bad.level = 5;
    ck_assert_status(vs_dataset_read(&ds, t2, strlen(t2), NULL, &bad), VS_ERANGE);
    bad.level = 0;
    bad.struct_size = 8;
    ck_assert_status(vs_dataset_read(&ds, t2, strlen(t2), NULL, &bad), VS_EINVAL);
    bad.struct_size = sizeof bad;
    bad.flags = VS_DATASET_CSV | VS_DATASET_JSONL;
    ck_assert_status(vs_dataset_read(&ds, t2, strlen(t2), NULL, &bad), VS_EINVAL);
    bad.flags = 1u << 9;
    ck_assert_status(vs_dataset_read(&ds, t2, strlen(t2), NULL, &bad), VS_EINVAL);
    bad.flags = VS_DATASET_CSV;
    bad.labels_field = "labels";
    ck_assert_status(vs_dataset_read(&ds, t2, strlen(t2), NULL, &bad), VS_EINVAL);
    bad.flags = 0;
    bad.labels_field = "";
    ck_assert_status(vs_dataset_read(&ds, t2, strlen(t2), NULL, &bad), VS_EINVAL);
    ck_assert_ptr_null(ds);
    vs_space_free(sp);
}
END_TEST

/* ------------------------------------------------------------------ generic CSV */

START_TEST(generic_csv) {
    vs_space *sp = schwartz10();
    vs_dataset_options o = VS_DATASET_OPTIONS_INIT;
    o.space = sp;
    vs_dataset *ds = NULL;
    ck_assert_ok(vs_dataset_load(&ds, SMALL_CSV, &o)); /* CSV from the file name */
    ck_assert_uint_eq(vs_dataset_count(ds), 3);
    ck_assert_uint_eq(vs_dataset_line_count(ds), 7);
    ck_assert_str_eq(vs_dataset_id(ds, 0), "r1");
    ck_assert_str_eq(vs_dataset_text(ds, 0), "Hello, world");
    ck_assert_str_eq(vs_dataset_source(ds, 0), "g1");
    ck_assert_str_eq(vs_dataset_prompt(ds, 0), "");
    ck_assert_str_eq(vs_dataset_id(ds, 1), "r2");
    ck_assert_str_eq(vs_dataset_text(ds, 1), "multi\r\nline \"quoted\"");
    ck_assert_uint_eq(vs_dataset_line(ds, 1), 3);
    ck_assert_str_eq(vs_dataset_id(ds, 2), "r4");
    ck_assert_uint_eq(vs_dataset_line(ds, 2), 7);
    double t[10];
    labels_of(t, 10, ds, 0, 0);
    ck_assert(t[8] == 1 && t[0] == -1 && isnan(t[9]) && isnan(t[4]));
    labels_of(t, 10, ds, 1, 0);
    ck_assert(t[8] == 0.5 && isnan(t[0]) && t[9] == 2);
    labels_of(t, 10, ds, 2, 0);
    ck_assert(t[8] == -2 && t[0] == 1 && isnan(t[9]));
    static const struct {
        uint32_t reason;
        size_t line, col;
        const char *token, *message;
    } want[] = {
        {VS_DATASET_SKIP_IGNORED_FIELD, 1, 42, "notes",
         "field 'notes' is neither a configured field nor a dimension of level 'value' of space 'schwartz10' "
         "(ignored)"},
        {VS_DATASET_SKIP_INVALID_CSV, 5, 7, "", "a quote inside an unquoted field"},
        {VS_DATASET_SKIP_BLANK_LINE, 6, 1, "", "blank line"},
        {VS_DATASET_SKIP_MALFORMED_LABEL, 7, 23, "nan",
         "malformed label 'nan' in column 'universalism': expected a number or an empty field"},
    };
    ck_assert_uint_eq(vs_dataset_skip_total(ds), sizeof want / sizeof want[0]);
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        ck_assert_uint_eq(vs_dataset_skip_reason(ds, k), want[k].reason);
        ck_assert_uint_eq(vs_dataset_skip_line(ds, k), want[k].line);
        ck_assert_uint_eq(vs_dataset_skip_column(ds, k), want[k].col);
        ck_assert_str_eq(vs_dataset_skip_token(ds, k), want[k].token);
        ck_assert_str_eq(vs_dataset_skip_message(ds, k), want[k].message);
    }
    vs_dataset_free(ds);
    o.flags = VS_DATASET_STRICT;
    ck_assert_status(vs_dataset_load(&ds, SMALL_CSV, &o), VS_EPARSE);
    ck_assert_str_eq(vs_last_error(), SMALL_CSV ":5:7: a quote inside an unquoted field");
    /* forcing JSONL on the CSV file fails at its first line */
    o.flags = VS_DATASET_STRICT | VS_DATASET_JSONL;
    ck_assert_status(vs_dataset_load(&ds, SMALL_CSV, &o), VS_EPARSE);
    ck_assert(strncmp(vs_last_error(), SMALL_CSV ":1:1: ", strlen(SMALL_CSV) + 6) == 0);

    /* row-level problems, each alone after a header */
    static const struct {
        const char *row;
        int status;
        uint32_t reason;
        size_t line, col;
        const char *message;
    } rows[] = {
        {"x,\"abc\"d,1\n", VS_EPARSE, VS_DATASET_SKIP_INVALID_CSV, 2, 8, "text after the closing quote of a field"},
        {"x,\"open\n\nstill open,1\n", VS_EPARSE, VS_DATASET_SKIP_INVALID_CSV, 2, 3,
         "a quoted field is not closed at the end of the input"},
        {"x,t\n", VS_EPARSE, VS_DATASET_SKIP_BAD_RECORD, 2, 1, "the row has 2 fields, the header 3"},
        {"x,t,1,2\n", VS_EPARSE, VS_DATASET_SKIP_BAD_RECORD, 2, 1, "the row has 4 fields, the header 3"},
        {"x,t,1e999\n", VS_EPARSE, VS_DATASET_SKIP_MALFORMED_LABEL, 2, 5,
         "malformed label '1e999' in column 'power': expected a number or an empty field"},
        {"x,t\xff,1\n", VS_EUTF8, VS_DATASET_SKIP_INVALID_UTF8, 2, 4, "invalid UTF-8"},
        {"x,\"a\nb\xc3\",1\n", VS_EUTF8, VS_DATASET_SKIP_INVALID_UTF8, 3, 2, "invalid UTF-8"},
    };
    o.flags = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char text[256], msg[256];
        snprintf(text, sizeof text, "id,text,Power\n%sok,fine,1\n", rows[i].row);
        int unterminated = strstr(rows[i].row, "still open") != NULL;
        o.flags = VS_DATASET_CSV;
        ck_assert_ok(vs_dataset_read(&ds, text, strlen(text), "r.csv", &o));
        /* a bad label keeps its record; the other problems drop the row (an open quote, all the rest) */
        size_t want_n = unterminated ? 0 : rows[i].reason == VS_DATASET_SKIP_MALFORMED_LABEL ? 2 : 1;
        ck_assert_msg(vs_dataset_count(ds) == want_n, "row %zu: %zu records", i, vs_dataset_count(ds));
        ck_assert_uint_eq(vs_dataset_skip_total(ds), 1);
        ck_assert_uint_eq(vs_dataset_skip_reason(ds, 0), rows[i].reason);
        ck_assert_uint_eq(vs_dataset_skip_line(ds, 0), rows[i].line);
        ck_assert_uint_eq(vs_dataset_skip_column(ds, 0), rows[i].col);
        ck_assert_str_eq(vs_dataset_skip_message(ds, 0), rows[i].message);
        vs_dataset_free(ds);
        o.flags = VS_DATASET_CSV | VS_DATASET_STRICT;
        ck_assert_status(vs_dataset_read(&ds, text, strlen(text), "r.csv", &o), rows[i].status);
        snprintf(msg, sizeof msg, "r.csv:%zu:%zu: %s", rows[i].line, rows[i].col, rows[i].message);
        ck_assert_str_eq(vs_last_error(), msg);
    }

    /* header problems fail in both modes */
    static const struct {
        const char *text;
        int status;
        const char *message;
    } headers[] = {
        {"id,words,power\n1,a,1\n", VS_EPARSE, "h.csv:1:1: the header has no text column 'text'"},
        {"text,power,Power\n", VS_EDUPLICATE,
         "h.csv:1:12: columns 'power' and 'Power' name the same dimension 'power'"},
        {"text,a,a\n", VS_EDUPLICATE, "h.csv:1:8: column 'a' appears twice in the header (columns 2 and 3)"},
        {"text,\"a\"b\n", VS_EPARSE, "h.csv:1:9: header row: text after the closing quote of a field"},
        {"te\xc3xt\n", VS_EUTF8, "h.csv:1:3: header row: invalid UTF-8"},
        {"", VS_EPARSE, "h.csv: empty CSV input: no header row"},
        {"\n\n", VS_EPARSE, "h.csv: empty CSV input: no header row"},
    };
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        for (uint32_t strict = 0; strict <= 1; strict++) {
            o.flags = VS_DATASET_CSV | (strict ? VS_DATASET_STRICT : 0);
            ds = (vs_dataset *)1;
            ck_assert_status(vs_dataset_read(&ds, headers[i].text, strlen(headers[i].text), "h.csv", &o),
                             headers[i].status);
            ck_assert_ptr_null(ds);
            ck_assert_str_eq(vs_last_error(), headers[i].message);
        }
    }

    /* a record longer than max_line_bytes, across lines; the next record is read */
    o.flags = VS_DATASET_CSV;
    o.max_line_bytes = 20;
    const char *longrec = "text,power\n\"0123456789\n0123456789\",1\nshort,-1\n0123456789012345678901234,1\nok,1\n";
    ck_assert_ok(vs_dataset_read(&ds, longrec, strlen(longrec), "l.csv", &o));
    ck_assert_uint_eq(vs_dataset_count(ds), 2);
    ck_assert_str_eq(vs_dataset_text(ds, 0), "short");
    ck_assert_str_eq(vs_dataset_text(ds, 1), "ok");
    ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_LINE_TOO_LONG), 2);
    ck_assert_uint_eq(vs_dataset_skip_line(ds, 0), 2);
    ck_assert_uint_eq(vs_dataset_skip_line(ds, 1), 5);
    vs_dataset_free(ds);
    o.flags |= VS_DATASET_STRICT;
    ck_assert_status(vs_dataset_read(&ds, longrec, strlen(longrec), "l.csv", &o), VS_ELIMIT);
    ck_assert_str_eq(vs_last_error(), "l.csv:2:1: CSV record longer than the limit");

    /* empty fields, a trailing comma, quoted empty field, CRLF only at some lines */
    o.max_line_bytes = 0;
    o.flags = VS_DATASET_CSV | VS_DATASET_STRICT;
    o.group_field = "grp";
    const char *edge = "text,grp,power,id\r\n\"\",,,\nx,\"\",  3 ,\"i,d\"\r\n";
    ck_assert_ok(vs_dataset_read(&ds, edge, strlen(edge), "e.csv", &o));
    ck_assert_uint_eq(vs_dataset_count(ds), 2);
    ck_assert_str_eq(vs_dataset_text(ds, 0), "");
    ck_assert_str_eq(vs_dataset_id(ds, 0), "");
    ck_assert_str_eq(vs_dataset_id(ds, 1), "i,d");
    labels_of(t, 10, ds, 1, 0);
    ck_assert(t[4] == 3);
    labels_of(t, 10, ds, 0, 0);
    ck_assert(isnan(t[4]));
    vs_dataset_free(ds);

    /* a byte order mark before the header */
    o.flags = VS_DATASET_CSV | VS_DATASET_STRICT;
    const char *bom = "\xEF\xBB\xBFid,text\nx,y\n";
    ck_assert_ok(vs_dataset_read(&ds, bom, strlen(bom), "b.csv", &o));
    ck_assert_str_eq(vs_dataset_id(ds, 0), "x");
    ck_assert_uint_eq(vs_dataset_skip_total(ds), 0);
    vs_dataset_free(ds);

    /* a prompt column */
    o.prompt_field = "q";
    o.flags = VS_DATASET_CSV;
    const char *pq = "q,text\nwhy?,because\n";
    ck_assert_ok(vs_dataset_read(&ds, pq, strlen(pq), "p.csv", &o));
    ck_assert_str_eq(vs_dataset_prompt(ds, 0), "why?");
    ck_assert_str_eq(vs_dataset_response(ds, 0), "because");
    ck_assert_str_eq(vs_dataset_id(ds, 0), "2");
    vs_dataset_free(ds);
    const char *nq = "text\nx\n";
    ck_assert_status(vs_dataset_read(&ds, nq, strlen(nq), "p.csv", &o), VS_EPARSE);
    ck_assert_str_eq(vs_last_error(), "p.csv:1:1: the header has no prompt column 'q'");
    vs_space_free(sp);
}
END_TEST

/* ------------------------------------------------------------------ damaged input */

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    char *buf = malloc(1 << 16);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

/* Every damaged copy of the crafted files reads without crashing: lenient reads succeed and
 * strict reads succeed or fail with a parse-type status. */
START_TEST(never_crashes_on_damaged_input) {
    static const char repl[] = {'"', '\n', '\xff', ',', '\0'};
    vs_space *sp = schwartz10();
    vs_dataset_options o = VS_DATASET_OPTIONS_INIT;
    o.space = sp;
    for (int csv = 0; csv <= 1; csv++) {
        size_t len;
        char *orig = slurp(csv ? SMALL_CSV : SMALL_JSONL, &len);
        char *buf = malloc(len + 1);
        for (size_t pos = 0; pos < len; pos += csv ? 3 : 29) {
            for (size_t r = 0; r <= sizeof repl; r++) {
                memcpy(buf, orig, len);
                size_t n = len;
                if (r == sizeof repl) n = pos; /* truncated */
                else buf[pos] = repl[r];
                for (uint32_t strict = 0; strict <= 1; strict++) {
                    vs_dataset *ds = NULL;
                    int rc;
                    if (csv) {
                        o.flags = VS_DATASET_CSV | (strict ? VS_DATASET_STRICT : 0);
                        rc = vs_dataset_read(&ds, buf, n, "d.csv", &o);
                    } else {
                        rc = vs_dataset_read_fulcra(&ds, buf, n, "d.jsonl", strict ? VS_DATASET_STRICT : 0);
                    }
                    ck_assert_msg(rc == VS_OK || rc == VS_EPARSE || rc == VS_EUTF8 || rc == VS_ENOTFOUND ||
                                      rc == VS_EDUPLICATE || rc == VS_ELIMIT,
                                  "pos %zu repl %zu: %s", pos, r, vs_status_name(rc));
                    ck_assert_msg(rc == VS_OK || strict || csv, "lenient FULCRA read failed: %s", vs_last_error());
                    if (rc == VS_OK) {
                        ck_assert_uint_le(vs_dataset_count(ds), vs_dataset_line_count(ds));
                        for (size_t k = 0; k < vs_dataset_skip_total(ds); k++)
                            ck_assert_uint_le(vs_dataset_skip_line(ds, k), vs_dataset_line_count(ds));
                    } else {
                        ck_assert_ptr_null(ds);
                    }
                    vs_dataset_free(ds);
                }
            }
        }
        free(buf);
        free(orig);
    }
    vs_space_free(sp);
}
END_TEST

/* ------------------------------------------------------------------ allocation failures */

/* A load of the allocation-failure sweep (testutil): FULCRA from a path, a generic JSONL text or
 * a generic CSV path; the dataset must be NULL after a failure, else hold `count` records. */
typedef struct load_flow {
    int kind; /* 0 FULCRA file, 1 generic JSONL text, 2 generic CSV file */
    const char *source;
    const vs_dataset_options *opts;
    size_t count, skips;
    vs_dataset *ds;
} load_flow;

static int run_load(void *p) {
    load_flow *f = p;
    f->ds = (vs_dataset *)1;
    if (f->kind == 0) return vs_dataset_load_fulcra(&f->ds, f->source, 0);
    if (f->kind == 1) return vs_dataset_read(&f->ds, f->source, strlen(f->source), "j", f->opts);
    return vs_dataset_load(&f->ds, f->source, f->opts);
}

static void after_load(void *p, int failed) {
    load_flow *f = p;
    if (failed) {
        ck_assert_ptr_null(f->ds);
        return;
    }
    ck_assert_uint_eq(vs_dataset_count(f->ds), f->count);
    if (f->kind == 0) ck_assert_uint_eq(vs_dataset_skip_total(f->ds), f->skips);
    vs_dataset_free(f->ds);
}

START_TEST(allocation_failures_fulcra) {
    load_flow f = {0, SMALL_JSONL, NULL, 3, 9, NULL};
    vs_test_sweep sw = {"vs_dataset_load_fulcra", NULL, run_load, after_load, &f};
    ck_assert_int_gt(vs_test_alloc_sweep(&sw), 20);
}
END_TEST

START_TEST(allocation_failures_generic) {
    vs_space *sp = schwartz10();
    vs_dataset_options o = VS_DATASET_OPTIONS_INIT;
    o.space = sp;
    const char *jsonl = "{\"id\": \"a\", \"text\": \"t\", \"power\": 1, \"x\": 2, \"Power\": -1}\n{\"text\": 3}\n";
    load_flow fj = {1, jsonl, &o, 2, 0, NULL}, fc = {2, SMALL_CSV, &o, 3, 0, NULL};
    vs_test_sweep sj = {"vs_dataset_read", NULL, run_load, after_load, &fj};
    vs_test_sweep sc = {"vs_dataset_load (CSV)", NULL, run_load, after_load, &fc};
    ck_assert_int_gt(vs_test_alloc_sweep(&sj), 10);
    ck_assert_int_gt(vs_test_alloc_sweep(&sc), 10);
    vs_space_free(sp);
}
END_TEST

/* ------------------------------------------------------------------ scaling (issue 16) */

#include <time.h>

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The time bound of a scaling test: a quadratic reader takes 10-100x longer at these sizes. */
static double scaling_bound(void) { return vs_test_under_valgrind() ? 120.0 : 5.0; }

/* Regression: the CSV header compared every column name with every earlier one (100k columns:
 * 15.5 s, 1M columns did not finish in 120 s). Minimal input: "text,c0,c1,...,cN-1" and one
 * row of empty fields. Duplicates are still found, exactly and by dimension, at the end. */
START_TEST(csv_header_many_columns) {
    size_t n = vs_test_under_valgrind() ? 20000 : 200000;
    size_t cap = 16 * n + 64;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    size_t o = (size_t)snprintf(text, cap, "text");
    for (size_t k = 0; k < n; k++) o += (size_t)snprintf(text + o, cap - o, ",c%zu", k);
    size_t header_len = o;
    text[o++] = '\n';
    text[o++] = 'x';
    for (size_t k = 0; k < n; k++) text[o++] = ',';
    text[o++] = '\n';
    vs_space *sp = NULL;
    ck_assert_ok(vs_space_builtin(&sp, "schwartz10"));
    vs_dataset_options opt = VS_DATASET_OPTIONS_INIT;
    opt.space = sp;
    opt.flags = VS_DATASET_CSV;
    vs_dataset *ds = NULL;
    double t0 = now_s();
    ck_assert_ok(vs_dataset_read(&ds, text, o, "t.csv", &opt));
    double dt = now_s() - t0;
    ck_assert_msg(dt < scaling_bound(), "%zu columns took %.2f s", n, dt);
    ck_assert_uint_eq(vs_dataset_count(ds), 1);
    ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_IGNORED_FIELD), n);
    ck_assert_uint_eq(vs_dataset_skip_total(ds), VS_DATASET_SKIP_DETAILS_MAX);
    ck_assert_str_eq(vs_dataset_skip_token(ds, 0), "c0");
    vs_dataset_free(ds);

    /* the same name again as the last column */
    o = header_len;
    o += (size_t)snprintf(text + o, cap - o, ",c%zu\n", n / 2);
    ds = (vs_dataset *)1;
    ck_assert_status(vs_dataset_read(&ds, text, o, "t.csv", &opt), VS_EDUPLICATE);
    char want[160];
    snprintf(want, sizeof want, "t.csv:1:%zu: column 'c%zu' appears twice in the header (columns %zu and %zu)",
             header_len + 2, n / 2, n / 2 + 2, n + 2);
    ck_assert_str_eq(vs_last_error(), want);
    ck_assert_ptr_null(ds);
    /* a second column naming a dimension already named, last */
    o = (size_t)snprintf(text, cap, "power,text");
    for (size_t k = 0; k < n; k++) o += (size_t)snprintf(text + o, cap - o, ",c%zu", k);
    size_t col = o + 2;
    o += (size_t)snprintf(text + o, cap - o, ",Power\n");
    ck_assert_status(vs_dataset_read(&ds, text, o, "t.csv", &opt), VS_EDUPLICATE);
    snprintf(want, sizeof want, "t.csv:1:%zu: columns 'power' and 'Power' name the same dimension 'power'", col);
    ck_assert_str_eq(vs_last_error(), want);
    vs_space_free(sp);
    free(text);
}
END_TEST

/* A FULCRA line whose two label arrays hold `n` labels each ("1": not a string), value_items
 * first when items_first. */
static char *fulcra_bad_line(size_t n, int items_first, size_t *out_len) {
    size_t cap = 4 * n + 256;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    size_t o = (size_t)snprintf(text, cap, "{\"dialogue\": \"Human: a\\nBob: b\"");
    for (int a = 0; a < 2; a++) {
        o += (size_t)snprintf(text + o, cap - o, ", \"%s\": [", (a == 0) == (items_first != 0) ? "value_items" : "value_types");
        for (size_t k = 0; k < n; k++) {
            if (k) text[o++] = ',';
            text[o++] = '1';
        }
        text[o++] = ']';
    }
    text[o++] = '}';
    text[o++] = '\n';
    *out_len = o;
    return text;
}

/* Regression: the report of a line was sorted by insertion (value_items before value_types with
 * 100k malformed labels per set: 11.6 s; 0.09 s in the other order). Now O(n log n) in either
 * order, and the details kept are the first ones by column whatever the order of report. */
START_TEST(report_sort_many_labels) {
    size_t n = vs_test_under_valgrind() ? 20000 : 100000;
    for (int items_first = 0; items_first < 2; items_first++) {
        size_t len;
        char *text = fulcra_bad_line(n, items_first, &len);
        vs_dataset *ds = NULL;
        double t0 = now_s();
        ck_assert_ok(vs_dataset_read_fulcra(&ds, text, len, "t.jsonl", 0));
        double dt = now_s() - t0;
        ck_assert_msg(dt < scaling_bound(), "order %d: %.2f s", items_first, dt);
        ck_assert_uint_eq(vs_dataset_count(ds), 1);
        ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_MALFORMED_LABEL), 2 * n);
        ck_assert_uint_eq(vs_dataset_skip_total(ds), VS_DATASET_SKIP_DETAILS_MAX);
        /* the first array's labels, in column order */
        const char *first = strchr(text, '[') + 1;
        for (size_t k = 0; k < VS_DATASET_SKIP_DETAILS_MAX; k++)
            ck_assert_uint_eq(vs_dataset_skip_column(ds, k), (size_t)(first - text) + 2 * k + 1);
        ck_assert_str_eq(vs_dataset_skip_message(ds, 0),
                         items_first ? "malformed label in value_items: expected a string \"name: score\", found number"
                                     : "malformed label in value_types: expected a string \"name: score\", found number");
        vs_dataset_free(ds);
        free(text);
    }
}
END_TEST

/* Regression: every report entry was kept (a 40 MB file of 20M malformed labels peaked at
 * 2.4 GB). Counts stay complete; details stop at VS_DATASET_SKIP_DETAILS_MAX; strict mode
 * still fails on a later line after the store is full of informational entries. */
START_TEST(report_details_bounded) {
    size_t lines = vs_test_under_valgrind() ? 3 : 20, n = 50000, len;
    char *line = fulcra_bad_line(n, 1, &len);
    char *text = malloc(lines * len + 1);
    ck_assert_ptr_nonnull(text);
    for (size_t l = 0; l < lines; l++) memcpy(text + l * len, line, len);
    vs_dataset *ds = NULL;
    ck_assert_ok(vs_dataset_read_fulcra(&ds, text, lines * len, "t.jsonl", 0));
    ck_assert_uint_eq(vs_dataset_count(ds), lines);
    ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_MALFORMED_LABEL), 2 * n * lines);
    ck_assert_uint_eq(vs_dataset_skip_total(ds), VS_DATASET_SKIP_DETAILS_MAX);
    ck_assert_uint_eq(vs_dataset_skip_line(ds, VS_DATASET_SKIP_DETAILS_MAX - 1), 1);
    ck_assert_uint_eq(vs_dataset_skip_line(ds, VS_DATASET_SKIP_DETAILS_MAX), 0);
    ck_assert_ptr_null(vs_dataset_skip_message(ds, VS_DATASET_SKIP_DETAILS_MAX));
    size_t needed = 0;
    ck_assert_status(vs_dataset_skip_lines(&needed, ds, VS_DATASET_SKIP_MALFORMED_LABEL, NULL, 0), VS_EBUFSIZE);
    ck_assert_uint_eq(needed, VS_DATASET_SKIP_DETAILS_MAX);
    vs_dataset_free(ds);
    free(text);
    free(line);

    /* strict: 10001 repeated labels (informational) fill the store, then a bad label */
    size_t reps = VS_DATASET_SKIP_DETAILS_MAX + 1, cap = 24 * reps + 512, o;
    text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    o = (size_t)snprintf(text, cap, "{\"dialogue\": \"Human: a\\nBob: b\", \"value_types\": [");
    for (size_t k = 0; k <= reps; k++) o += (size_t)snprintf(text + o, cap - o, "%s\"power: +1\"", k ? "," : "");
    o += (size_t)snprintf(text + o, cap - o, "], \"value_items\": []}\n");
    o += (size_t)snprintf(text + o, cap - o,
                          "{\"dialogue\": \"Human: a\\nBob: b\", \"value_types\": [\"power: 2\"], \"value_items\": []}\n");
    ds = (vs_dataset *)1;
    ck_assert_status(vs_dataset_read_fulcra(&ds, text, o, "t.jsonl", VS_DATASET_STRICT), VS_EPARSE);
    ck_assert_str_eq(vs_last_error(),
                     "t.jsonl:2:50: malformed label 'power: 2' in value_types: the score must be +1, 1 or -1");
    ck_assert_ok(vs_dataset_read_fulcra(&ds, text, o, "t.jsonl", 0));
    ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_DUPLICATE), reps);
    ck_assert_uint_eq(vs_dataset_skip_count(ds, VS_DATASET_SKIP_MALFORMED_LABEL), 1);
    ck_assert_uint_eq(vs_dataset_skip_total(ds), VS_DATASET_SKIP_DETAILS_MAX);
    vs_dataset_free(ds);
    free(text);
}
END_TEST

/* ------------------------------------------------------------------ suite */

static Suite *dataset_suite(void) {
    Suite *s = suite_create("dataset");
    TCase *tc = tcase_create("real_file");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, real_file_lenient);
    tcase_add_test(tc, real_file_strict);
    tcase_add_test(tc, real_file_strict_malformed);
    tcase_add_test(tc, real_file_memory_equals_stream);
    suite_add_tcase(s, tc);

    tc = tcase_create("fulcra");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, label_syntax);
    tcase_add_test(tc, duplicate_rule);
    tcase_add_test(tc, dialogue_split);
    tcase_add_test(tc, bad_lines);
    tcase_add_test(tc, blank_lines_crlf_and_ids);
    tcase_add_test(tc, huge_line);
    tcase_add_test(tc, file_stream_matches_memory);
    tcase_add_test(tc, small_file);
    tcase_add_test(tc, api_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("generic");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, spaces_outlive_and_are_kept);
    tcase_add_test(tc, generic_jsonl);
    tcase_add_test(tc, generic_csv);
    tcase_add_test(tc, never_crashes_on_damaged_input);
    suite_add_tcase(s, tc);

    tc = tcase_create("scaling");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, csv_header_many_columns);
    tcase_add_test(tc, report_sort_many_labels);
    tcase_add_test(tc, report_details_bounded);
    suite_add_tcase(s, tc);

    tc = tcase_create("allocation");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, allocation_failures_fulcra);
    tcase_add_test(tc, allocation_failures_generic);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(dataset_suite()); }
