/* --evaluator builtin:MODEL | prompted:BACKEND for the FULCRA commands (fulcra agree, predict):
 * the options and the opening of the evaluator over a FULCRA file's labels. */
#include <stdlib.h>
#include <string.h>

#include "cmd_fulcra.h"

int fulcra_eval_arg(fulcra_eval_spec *g, const char *prog, int argc, char **argv, int *i) {
    const char *a = argv[*i];
    if (strcmp(a, "--evaluator") == 0) {
        if (++*i >= argc) return cli_usage_error(prog, "--evaluator needs KIND:ARGUMENT");
        g->spec = argv[*i];
    } else if (strcmp(a, "--prompt-mode") == 0) {
        if (++*i >= argc || (strcmp(argv[*i], "score") != 0 && strcmp(argv[*i], "answer") != 0))
            return cli_usage_error(prog, "--prompt-mode takes score or answer");
        g->mode = strcmp(argv[*i], "score") == 0 ? VS_EVALUATOR_PROMPT_SCORE : VS_EVALUATOR_PROMPT_ANSWER;
    } else if (strcmp(a, "--backend-opt") == 0) {
        if (++*i >= argc || !strchr(argv[*i], '=')) return cli_usage_error(prog, "--backend-opt needs KEY=VALUE");
        if (g->nopts == 64) return cli_usage_error(prog, "too many --backend-opt");
        g->opts[g->nopts++] = argv[*i];
    } else if (strcmp(a, "--template") == 0) {
        if (++*i >= argc) return cli_usage_error(prog, "--template needs a file");
        g->template_path = argv[*i];
    } else {
        return 0;
    }
    return 1;
}

/* Reads a whole template file (NUL-terminated, caller frees); NULL after a message. */
static char *read_template(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "valuespace: cannot read the template %s\n", path);
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - 1 - len, f);
        if (len < cap - 1) break;
        char *more = realloc(buf, cap *= 2);
        if (!more) free(buf);
        buf = more;
    }
    if (buf) buf[len] = '\0';
    if (!buf || ferror(f)) {
        fprintf(stderr, "valuespace: cannot read the template %s\n", path);
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

/* A prompted evaluator over the labels of `d`, judging with the backend `backend`. */
static int open_prompted(vs_evaluator **ev, vs_model **model, const char *prog, const char *backend,
                         const fulcra_eval_spec *g, const fulcra_data *d) {
    char *tmpl = NULL;
    if (g->template_path && !(tmpl = read_template(g->template_path))) return 1;
    int status = cli_open_backend(model, prog, backend, (char **)g->opts, g->nopts);
    if (!status) {
        int rc = vs_evaluator_create_prompted(ev, fulcra_data_space(d), fulcra_data_level(d), *model, g->mode, tmpl);
        if (rc != VS_OK) status = cli_fail("creating the prompted evaluator", rc);
    }
    free(tmpl);
    return status;
}

int fulcra_open_evaluator(vs_evaluator **ev, vs_model **model, const char *prog, const fulcra_eval_spec *g,
                          const fulcra_data *d) {
    const char *spec = g->spec;
    const char *colon = strchr(spec, ':');
    if (!colon || colon == spec || colon[1] == '\0')
        return cli_usage_error(prog, "--evaluator takes KIND:ARGUMENT, e.g. builtin:model.vsm");
    size_t kind_len = (size_t)(colon - spec);
    if (kind_len == 8 && strncmp(spec, "prompted", 8) == 0) return open_prompted(ev, model, prog, colon + 1, g, d);
    if (kind_len != 7 || strncmp(spec, "builtin", 7) != 0)
        return cli_usage_error(prog, "unknown evaluator kind '%.*s' (use builtin:MODEL or prompted:BACKEND)",
                               (int)kind_len, spec);
    int rc = vs_evaluator_load(ev, colon + 1, fulcra_data_space(d));
    if (rc != VS_OK) return cli_fail("loading the model", rc);
    if (vs_evaluator_level(*ev) != fulcra_data_level(d)) {
        fprintf(stderr, "valuespace: the model evaluates the level \"%s\", the file's labels are \"%s\" (see --set)\n",
                vs_space_level_name(fulcra_data_space(d), vs_evaluator_level(*ev)),
                vs_space_level_name(fulcra_data_space(d), fulcra_data_level(d)));
        vs_evaluator_free(*ev);
        *ev = NULL;
        return 1;
    }
    return 0;
}

