/* valuespace align: BaseAlign distance and reward of one score vector to a target. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char align_usage[] =
    "usage: valuespace align --scores v1,...,vK --target NAME|t1,...,tK [--raw] [--space NAME|FILE.json]\n"
    "                        [--threshold X] [--json]\n\n"
    "BaseAlign (Value FULCRA): s = scores (tanh(scores) with --raw); mask m_k = |s_k| > threshold\n"
    "(default 0.3); distance d = sum_k |s_k - t_k| m_k |t_k|; reward = -d.\n"
    "  --scores    K comma-separated numbers over the first level of the space\n"
    "  --target    default, uk, netherlands, france (built-in, Schwartz-10 order) or K numbers\n"
    "  --space     the space of the scores (default schwartz10)\n"
    "  --json      {\"distance\", \"reward\", \"mask\", \"unmasked_l1\", \"unmasked_l2\"}\n"
    "              (unmasked_*: the FULCRA evaluation script's distances over dimensions with t != 0)\n";

typedef struct align_args {
    const char *scores, *target, *space;
    double threshold;
    int raw, json;
} align_args;

static int parse_args(align_args *a, int argc, char **argv) {
    const char *prog = "valuespace align";
    memset(a, 0, sizeof *a);
    a->space = "schwartz10";
    a->threshold = VS_BASEALIGN_THRESHOLD;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(opt, "--raw") == 0) a->raw = 1;
        else if (strcmp(opt, "--json") == 0) a->json = 1;
        else if (strcmp(opt, "--scores") == 0 && has_value) a->scores = argv[++i];
        else if (strcmp(opt, "--target") == 0 && has_value) a->target = argv[++i];
        else if (strcmp(opt, "--space") == 0 && has_value) a->space = argv[++i];
        else if (strcmp(opt, "--threshold") == 0 && has_value) {
            if (cli_parse_double(argv[++i], &a->threshold) != 0 || a->threshold < 0)
                return cli_usage_error(prog, "--threshold needs a number >= 0, not '%s'", argv[i]);
        } else if (strncmp(opt, "--", 2) == 0) return cli_unknown_option(prog, opt, align_usage);
        else return cli_usage_error(prog, "unexpected argument '%s'", opt);
    }
    if (!a->scores) return cli_usage_error(prog, "--scores is required");
    if (!a->target) return cli_usage_error(prog, "--target is required");
    return 0;
}

/* Fills a new vector over level 0 of `space` from a comma-separated list. */
static int vector_from_list(vs_vector **out, const vs_space *space, const char *list, const char *what) {
    double *values = NULL;
    long n = cli_parse_double_list(list, &values);
    if (n < 0) return cli_usage_error("valuespace align", "%s: expected comma-separated numbers, got '%s'", what, list);
    vs_vector *v = NULL;
    int rc = vs_vector_create(&v, space, 0);
    if (rc == VS_OK) rc = vs_vector_set_values(v, values, (size_t)n);
    free(values);
    if (rc != VS_OK) {
        vs_vector_free(v);
        return cli_fail(what, rc);
    }
    *out = v;
    return 0;
}

static int is_number_list(const char *s) { return strchr(s, ',') || (s[0] >= '0' && s[0] <= '9') || s[0] == '-' || s[0] == '.'; }

int cmd_align(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) {
            fputs(align_usage, stdout);
            return 0;
        }
    align_args a;
    int status = parse_args(&a, argc, argv);
    if (status) return status;

    vs_space *space = NULL;
    vs_vector *scores = NULL, *target = NULL;
    unsigned char *mask = NULL;
    int is_file = strchr(a.space, '/') || strstr(a.space, ".json");
    int rc = is_file ? vs_space_load_file(&space, a.space) : vs_space_builtin(&space, a.space);
    if (rc != VS_OK)
        return rc == VS_ENOTFOUND && !is_file ? cli_fail_usage("valuespace align", "--space", rc) : cli_fail(a.space, rc);
    if ((status = vector_from_list(&scores, space, a.scores, "--scores")) != 0) goto done;
    if (is_number_list(a.target)) {
        status = vector_from_list(&target, space, a.target, "--target");
    } else if ((rc = vs_align_target(&target, a.target)) != VS_OK) {
        status = rc == VS_ENOTFOUND ? cli_fail_usage("valuespace align", "--target", rc) : cli_fail(a.target, rc);
    }
    if (status) goto done;

    size_t k = vs_vector_dimension_count(scores);
    mask = calloc(k ? k : 1, 1);
    double distance = 0, reward = 0, l1 = 0, l2 = 0;
    uint32_t flags = a.raw ? VS_BASEALIGN_RAW : 0;
    if (!mask) {
        fprintf(stderr, "valuespace align: out of memory\n");
        status = 1;
        goto done;
    }
    rc = vs_basealign(&distance, &reward, scores, target, flags, a.threshold, mask, k);
    if (rc != VS_OK) {
        status = cli_fail("BaseAlign", rc);
        goto done;
    }
    int have_unmasked = vs_basealign_unmasked(&l1, &l2, scores, target, flags) == VS_OK;
    if (a.json) {
        cli_json j;
        cli_json_init(&j, stdout);
        cli_json_begin_object(&j);
        cli_json_key(&j, "distance");
        cli_json_number(&j, distance);
        cli_json_key(&j, "reward");
        cli_json_number(&j, reward);
        cli_json_key(&j, "mask");
        cli_json_begin_array(&j);
        for (size_t i = 0; i < k; i++) cli_json_int(&j, mask[i]);
        cli_json_end_array(&j);
        cli_json_key(&j, "unmasked_l1");
        if (have_unmasked) cli_json_number(&j, l1);
        else cli_json_null(&j);
        cli_json_key(&j, "unmasked_l2");
        if (have_unmasked) cli_json_number(&j, l2);
        else cli_json_null(&j);
        cli_json_end_object(&j);
        cli_json_finish(&j);
    } else {
        const vs_space *ts = vs_vector_space(scores);
        size_t off = vs_space_level_offset(ts, 0);
        printf("%-24s %10s %10s %5s\n", "dimension", "s", "target", "mask");
        for (size_t i = 0; i < k; i++) {
            double s = 0, t = 0;
            vs_vector_get(&s, scores, i);
            vs_vector_get(&t, target, i);
            printf("%-24s %10.4f %10.4f %5d\n", vs_space_key(ts, off + i), a.raw ? tanh(s) : s, t, mask[i]);
        }
        printf("distance %.6f\nreward   %.6f\n", distance, reward);
        if (have_unmasked) printf("unmasked L1 %.6f, L2 %.6f (over dimensions with t != 0)\n", l1, l2);
    }
done:
    free(mask);
    vs_vector_free(scores);
    vs_vector_free(target);
    vs_space_free(space);
    return status;
}
