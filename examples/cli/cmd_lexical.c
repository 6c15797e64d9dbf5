/* valuespace lexical elicit|analyze: ValueLex construction from an elicitation journal or a term
 * matrix (CSV) - factorability, factors, sub-dimensions on word vectors, a new value space. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#ifdef VS_HAVE_OPENAI_BACKEND
#include "openai_backend.h"
#endif
#ifdef VS_HAVE_NGRAM_BACKEND
#include "ngram_backend.h"
#endif
#ifdef VS_HAVE_WORDNET_LEMMATIZER
#include "wordnet_lemmatizer.h"
#endif

/* Registered in main.c as {"lexical", ..., cmd_lexical}. */

static const char analyze_usage[] =
    "usage: valuespace lexical analyze (--journal FILE | --matrix FILE.csv) [--embeddings FILE.vec]\n"
    "         [--factors K|auto] [--method minres|uls|pa|ml|wls|gls] [--rotate oblimin|varimax|...]\n"
    "         [--counts] [--subdims K|auto] [--min-freq N] [--min-models N] [--seed S]\n"
    "         [--lemmatize none|wordnet] --out SPACE.json [--name NAME] [--report REPORT.json] [--json]\n\n"
    "Builds a value space from value terms (docs/METHODS.md section 2): the response x term matrix\n"
    "(presence, or --counts) -> correlations -> KMO and Bartlett -> the number of factors by\n"
    "parallel analysis (--factors auto, the default) -> factor analysis -> every term on the\n"
    "factor of its largest loading -> within each factor, the terms clustered on their word\n"
    "vectors (--embeddings, the text .vec format) into sub-dimensions (k by silhouette unless\n"
    "--subdims K) -> a space (dimensions = factors, sub-dimensions = clusters) saved to --out.\n"
    "--journal reads an elicitation journal (valuespace lexical elicit); --matrix a CSV whose\n"
    "header names the terms and whose rows are responses. --report writes every intermediate\n"
    "figure as JSON. Without --embeddings every factor is one sub-dimension. --min-freq N keeps\n"
    "the terms said at least N times, --min-models N those said by at least N models (default 1\n"
    "each); --seed seeds parallel analysis and k-means; --name names the space (default valuelex).\n"
    "--lemmatize wordnet maps every term of a --journal to its WordNet lemma before counting\n"
    "(values -> value, children -> child, achieving -> achieve; the noun's base form first, then\n"
    "adjective, verb, adverb; unknown terms stay as they are); it needs a build with the WordNet\n"
    "lemmatiser (Debian: wordnet-dev). --lemmatize none (the default) counts terms as parsed.\n";

typedef struct lx_args {
    const char *journal, *matrix, *vecs, *out, *report, *name;
    int json, wordnet; /* wordnet: --lemmatize wordnet */
    int64_t min_freq, min_models;
} lx_args;

static int parse_int_arg(const char *prog, const char *opt, const char *s, int64_t *out, int allow_auto) {
    double x;
    if (allow_auto && strcmp(s, "auto") == 0) {
        *out = 0;
        return 0;
    }
    if (cli_parse_double(s, &x) != 0 || x != floor(x) || fabs(x) > 9.0e15 || (allow_auto && x < 1))
        return cli_usage_error(prog, "%s needs %s, not '%s'", opt, allow_auto ? "a count >= 1 or auto" : "an integer", s);
    *out = (int64_t)x;
    return 0;
}

static int parse_analyze(lx_args *a, vs_lexical *opt, int argc, char **argv, const char *prog) {
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        int hv = i + 1 < argc, rc = VS_OK;
        int64_t v = 0;
        if (cli_is_help(o)) {
            fputs(analyze_usage, stdout);
            return -1;
        } else if (strcmp(o, "--json") == 0)
            a->json = 1;
        else if (strcmp(o, "--counts") == 0)
            rc = vs_lexical_set_int(opt, VS_LEXICAL_OPT_COUNTS, 1);
        else if (strcmp(o, "--journal") == 0 && hv)
            a->journal = argv[++i];
        else if (strcmp(o, "--matrix") == 0 && hv)
            a->matrix = argv[++i];
        else if (strcmp(o, "--embeddings") == 0 && hv)
            a->vecs = argv[++i];
        else if (strcmp(o, "--out") == 0 && hv)
            a->out = argv[++i];
        else if (strcmp(o, "--report") == 0 && hv)
            a->report = argv[++i];
        else if (strcmp(o, "--name") == 0 && hv)
            a->name = argv[++i];
        else if (strcmp(o, "--lemmatize") == 0 && hv) {
            const char *which = argv[++i];
            if (strcmp(which, "none") == 0)
                a->wordnet = 0;
            else if (strcmp(which, "wordnet") == 0) {
#ifdef VS_HAVE_WORDNET_LEMMATIZER
                a->wordnet = 1;
#else
                return cli_usage_error(prog, "--lemmatize wordnet: this valuespace was built without the WordNet "
                                             "lemmatiser (install the Debian package wordnet-dev, then rebuild)");
#endif
            } else
                return cli_usage_error(prog, "--lemmatize needs none or wordnet, not '%s'", which);
        } else if (strcmp(o, "--method") == 0 && hv)
            rc = vs_lexical_set_str(opt, VS_LEXICAL_OPT_METHOD, argv[++i]);
        else if (strcmp(o, "--rotate") == 0 && hv)
            rc = vs_lexical_set_str(opt, VS_LEXICAL_OPT_ROTATION, argv[++i]);
        else if (strcmp(o, "--factors") == 0 && hv) {
            if (parse_int_arg(prog, o, argv[++i], &v, 1)) return 2;
            rc = vs_lexical_set_int(opt, VS_LEXICAL_OPT_NFACTORS, v);
        } else if (strcmp(o, "--subdims") == 0 && hv) {
            if (parse_int_arg(prog, o, argv[++i], &v, 1)) return 2;
            rc = vs_lexical_set_int(opt, VS_LEXICAL_OPT_SUBDIMS, v);
        } else if (strcmp(o, "--seed") == 0 && hv) {
            if (parse_int_arg(prog, o, argv[++i], &v, 0)) return 2;
            rc = vs_lexical_set_int(opt, VS_LEXICAL_OPT_SEED, v);
        } else if ((strcmp(o, "--min-freq") == 0 || strcmp(o, "--min-models") == 0) && hv) {
            if (parse_int_arg(prog, o, argv[++i], &v, 1)) return 2;
            if (o[6] == 'f') a->min_freq = v;
            else a->min_models = v;
        } else if (o[0] == '-' && o[1] == '-')
            return cli_unknown_option(prog, o, analyze_usage);
        else
            return cli_usage_error(prog, "unexpected argument '%s'", o);
        if (rc != VS_OK) return cli_fail_usage(prog, o, rc); /* a name or number the library rejects */
    }
    if (!a->journal == !a->matrix) return cli_usage_error(prog, "give exactly one of --journal and --matrix");
    if (a->wordnet && a->matrix)
        return cli_usage_error(prog, "--lemmatize applies to --journal (the names of a --matrix are taken as they are)");
    if (!a->out) return cli_usage_error(prog, "--out SPACE.json is required");
    return 0;
}

static double scalar(const vs_lexical_result *r, int what) {
    double v = NAN;
    vs_lexical_result_scalar(&v, r, what);
    return v;
}

static double *result_array(const vs_lexical_result *r, int what) {
    size_t need = 0;
    int rc = vs_lexical_result_get(&need, r, what, NULL, 0);
    if (rc != VS_OK && rc != VS_EBUFSIZE) return NULL;
    double *v = malloc((need ? need : 1) * sizeof(double));
    if (v && vs_lexical_result_get(NULL, r, what, v, need) == VS_OK) return v;
    free(v);
    return NULL;
}

static int print_result(const lx_args *a, const vs_lexical_result *r) {
    size_t p = (size_t)scalar(r, VS_LEXICAL_STAT_N_TERMS), k = (size_t)scalar(r, VS_LEXICAL_STAT_N_FACTORS);
    double *factor = result_array(r, VS_LEXICAL_FACTOR), *loading = result_array(r, VS_LEXICAL_LOADING),
           *subdim = result_array(r, VS_LEXICAL_SUBDIM);
    if (!factor || !loading || !subdim) {
        free(factor);
        free(loading);
        free(subdim);
        fprintf(stderr, "valuespace lexical: out of memory\n");
        return 1;
    }
    if (a->json) {
        cli_json j;
        cli_json_init(&j, stdout);
        cli_json_begin_object(&j);
        cli_json_key(&j, "n_responses");
        cli_json_int(&j, (long long)scalar(r, VS_LEXICAL_STAT_N_RESPONSES));
        cli_json_key(&j, "n_terms");
        cli_json_int(&j, (long long)p);
        cli_json_key(&j, "kmo");
        cli_json_number(&j, scalar(r, VS_LEXICAL_STAT_KMO));
        cli_json_key(&j, "bartlett");
        cli_json_begin_object(&j);
        cli_json_key(&j, "chi_square");
        cli_json_number(&j, scalar(r, VS_LEXICAL_STAT_BARTLETT_CHI2));
        cli_json_key(&j, "df");
        cli_json_number(&j, scalar(r, VS_LEXICAL_STAT_BARTLETT_DF));
        cli_json_key(&j, "p_value");
        cli_json_number(&j, scalar(r, VS_LEXICAL_STAT_BARTLETT_P));
        cli_json_end_object(&j);
        cli_json_key(&j, "n_factors");
        cli_json_int(&j, (long long)k);
        cli_json_key(&j, "factors");
        cli_json_begin_array(&j);
        for (size_t f = 0; f < k; f++) {
            cli_json_begin_object(&j);
            cli_json_key(&j, "name");
            cli_json_string(&j, vs_lexical_result_name(r, 1, f));
            cli_json_key(&j, "terms");
            cli_json_begin_array(&j);
            for (size_t t = 0; t < p; t++) {
                if ((size_t)factor[t] != f) continue;
                cli_json_begin_object(&j);
                cli_json_key(&j, "term");
                cli_json_string(&j, vs_lexical_result_term(r, t));
                cli_json_key(&j, "loading");
                cli_json_number(&j, loading[t]);
                cli_json_key(&j, "cluster");
                cli_json_int(&j, (long long)subdim[t]);
                cli_json_end_object(&j);
            }
            cli_json_end_array(&j);
            cli_json_end_object(&j);
        }
        cli_json_end_array(&j);
        cli_json_key(&j, "silhouette");
        cli_json_number(&j, scalar(r, VS_LEXICAL_STAT_SILHOUETTE));
        cli_json_end_object(&j);
        cli_json_finish(&j);
    } else {
        printf("%.0f responses, %zu terms; KMO %.3f; Bartlett chi2 %.4g, df %.0f, p %.3g\n",
               scalar(r, VS_LEXICAL_STAT_N_RESPONSES), p, scalar(r, VS_LEXICAL_STAT_KMO),
               scalar(r, VS_LEXICAL_STAT_BARTLETT_CHI2), scalar(r, VS_LEXICAL_STAT_BARTLETT_DF),
               scalar(r, VS_LEXICAL_STAT_BARTLETT_P));
        printf("%zu factors, %.0f sub-dimensions", k, scalar(r, VS_LEXICAL_STAT_N_SUBDIMS));
        double sil = scalar(r, VS_LEXICAL_STAT_SILHOUETTE);
        if (!isnan(sil)) printf(", silhouette %.4f", sil);
        printf("\n");
        for (size_t f = 0; f < k; f++) {
            printf("F%zu %s:", f + 1, vs_lexical_result_name(r, 1, f));
            for (size_t t = 0; t < p; t++)
                if ((size_t)factor[t] == f)
                    printf(" %s (%.2f, %.0f)", vs_lexical_result_term(r, t), loading[t], subdim[t]);
            printf("\n");
        }
    }
    free(factor);
    free(loading);
    free(subdim);
    return 0;
}

static int write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "valuespace lexical: cannot write '%s': %s\n", path, strerror(errno));
        return 1;
    }
    int bad = fputs(text, f) < 0;
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "valuespace lexical: cannot write '%s': %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

static int lexical_analyze(int argc, char **argv) {
    const char *prog = "valuespace lexical analyze";
    lx_args a;
    memset(&a, 0, sizeof a);
    vs_lexical *opt = NULL;
    vs_lexicon *lex = NULL;
    vs_wordvecs *vecs = NULL;
    vs_lexical_result *r = NULL;
    vs_space *space = NULL;
    char *report = NULL;
    int st = vs_lexical_create(&opt);
    if (st != VS_OK) return cli_fail("lexical", st);
    int rc = parse_analyze(&a, opt, argc, argv, prog);
    if (rc) goto done;
    if (a.matrix) {
        if ((st = vs_lexicon_load_csv(&lex, a.matrix)) != VS_OK) {
            rc = cli_fail(a.matrix, st);
            goto done;
        }
    } else {
        if ((st = vs_lexicon_create(&lex)) != VS_OK) {
            rc = cli_fail("lexicon", st);
            goto done;
        }
#ifdef VS_HAVE_WORDNET_LEMMATIZER
        if (a.wordnet) {
            if (vs_wordnet_lemmatizer_open() != VS_OK) {
                fprintf(stderr, "%s: --lemmatize wordnet: cannot open WordNet's dictionary (install the Debian "
                                "package wordnet-base, or set WNSEARCHDIR to its directory)\n", prog);
                rc = 1;
                goto done;
            }
            if ((st = vs_lexicon_set_lemmatizer(lex, vs_wordnet_lemma_fn, NULL)) != VS_OK) {
                rc = cli_fail("lexicon", st);
                goto done;
            }
        }
#endif
        if ((st = vs_lexicon_add_journal(lex, a.journal)) != VS_OK) {
            rc = cli_fail(a.journal, st);
            goto done;
        }
    }
    if ((a.min_freq && (st = vs_lexicon_set_int(lex, VS_LEXICON_OPT_MIN_FREQ, a.min_freq)) != VS_OK) ||
        (a.min_models && (st = vs_lexicon_set_int(lex, VS_LEXICON_OPT_MIN_MODELS, a.min_models)) != VS_OK)) {
        rc = cli_fail("lexicon", st);
        goto done;
    }
    if (a.vecs && (st = vs_wordvecs_load(&vecs, a.vecs)) != VS_OK) {
        rc = cli_fail(a.vecs, st);
        goto done;
    }
    if ((st = vs_lexical_analyze(&r, opt, lex, vecs)) != VS_OK) {
        rc = cli_fail("analysis", st);
        goto done;
    }
    if ((st = vs_lexical_result_space(&space, r, a.name, NULL, 0, NULL, 0)) != VS_OK) {
        rc = cli_fail("space", st);
        goto done;
    }
    if ((st = vs_space_save_file(space, a.out)) != VS_OK) {
        rc = cli_fail(a.out, st);
        goto done;
    }
    if (a.report) {
        if ((st = vs_lexical_result_report(&report, r)) != VS_OK) {
            rc = cli_fail("report", st);
            goto done;
        }
        if ((rc = write_text(a.report, report)) != 0) goto done;
    }
    rc = print_result(&a, r);
done:
    vs_free(report);
    vs_space_free(space);
    vs_lexical_result_free(r);
    vs_wordvecs_free(vecs);
    vs_lexicon_free(lex);
    vs_lexical_free(opt);
    return rc < 0 ? 0 : rc;
}

/* ---- elicit */

static const char elicit_usage[] =
    "usage: valuespace lexical elicit --backend ngram|openai --models SPEC... --journal FILE\n"
    "         [--repeats R] [--seed S] [--max-tokens N] [--temperature T] [--resume]\n"
    "         [--stop-after-same-failures N] [--concurrency N] [--quiet | --progress json] [--json]\n"
    "       valuespace lexical elicit --list-prompts [--json]\n\n"
    "Runs the built-in elicitation prompts (\"List the words that most accurately describe your\n"
    "value system.\", ...) over every model, R times each (default 1), and appends every response\n"
    "to the JSONL journal as soon as it is final; `lexical analyze --journal FILE` reads it.\n"
    "A SPEC is ID[,KEY=VALUE...]: the model id written to the journal (no '/'), then backend\n"
    "options: ngram: lm=PATH (a sphinxbase language model), max_tokens=N; openai (model defaults\n"
    "to the ID):\n"
    CLI_OPENAI_OPTIONS_HELP
    "--concurrency N: requests in flight per model (openai; sets its concurrency option, which a\n"
    "SPEC's own concurrency=N overrides); default 16.\n"
    "Progress (openai: live per request; with --resume the total counts the finished items too):\n"
    CLI_PROGRESS_HELP
    "Item ids are ID/prompt-NN/rR; item seeds derive from (--seed, id, repeat), so a\n"
    "deterministic backend gives the same journal in every run. --resume continues a journal\n"
    "made with the same seed, repeats, max tokens, temperature and prompts: finished items are\n"
    "skipped, failed ones run again, a torn last line is cut off.\n"
    "--temperature defaults to 1; --max-tokens to 0 (the backend's default).\n"
    "--stop-after-same-failures N: stop a model's items when its first N all failed with the same\n"
    "cause (a server that is down); 0 = never; default 20.\n"
    "--json: {\"journal\", \"models\", \"prompts\", \"repeats\", \"items\", \"written\", \"ok\", \"failed\"}\n"
    "(ok and failed count the journal's latest record of each item).\n"
    CLI_EXIT_HELP_RUN;

/* Requests per model call (the journal gets each response after its call). */
#define LEXICAL_BATCH 1024

static int split_kv(const char *opt, char key[64], const char **value) {
    const char *eq = strchr(opt, '=');
    if (!eq || eq == opt || (size_t)(eq - opt) >= 64) return -1;
    memcpy(key, opt, (size_t)(eq - opt));
    key[eq - opt] = '\0';
    *value = eq + 1;
    return 0;
}

/* Opens the model of a SPEC "ID[,K=V...]"; *id gets the ID (a malloc'ed copy). */
static int open_spec(vs_model **out, char **id, const char *prog, const char *backend, const char *spec,
                     const char *concurrency) {
    *out = NULL;
    *id = NULL;
    char *copy = malloc(strlen(spec) + 1);
    if (!copy) return cli_fail("lexical elicit", VS_ENOMEM);
    strcpy(copy, spec);
    char *opts[33];
    int nopts = 0, rc = 0;
    char *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (nopts == 33) {
            free(copy);
            return cli_usage_error(prog, "--models '%s': at most 32 options", spec);
        }
        opts[nopts++] = t;
    }
    if (nopts == 0 || !opts[0][0] || strchr(opts[0], '=')) {
        free(copy);
        return cli_usage_error(prog, "--models '%s' must start with a model id", spec);
    }
    char key[33][64];
    const char *val[33];
    for (int i = 1; i < nopts; i++)
        if (split_kv(opts[i], key[i], &val[i]) != 0) {
            free(copy);
            return cli_usage_error(prog, "--models '%s': '%s' is not KEY=VALUE", spec, opts[i]);
        }
    int st = VS_OK, known = 0;
    (void)key;
    (void)val;
#ifdef VS_HAVE_NGRAM_BACKEND
    if (strcmp(backend, "ngram") == 0) {
        known = 1;
        const char *lm = NULL;
        for (int i = 1; i < nopts; i++)
            if (strcmp(key[i], "lm") == 0) lm = val[i];
        vs_model_callbacks cb;
        void *be = NULL;
        st = vs_ngram_backend_create(&cb, &be, lm);
        for (int i = 1; i < nopts && st == VS_OK; i++)
            if (strcmp(key[i], "lm") != 0) st = vs_ngram_backend_set_option(be, key[i], val[i]);
        if (st == VS_OK) st = vs_model_create(out, &cb, be);
        if (st != VS_OK) vs_ngram_backend_destroy(be);
    }
#endif
#ifdef VS_HAVE_OPENAI_BACKEND
    if (strcmp(backend, "openai") == 0) {
        known = 1;
        const char *keys[35], *values[35];
        int n = 0, has_model = 0;
        if (concurrency) { /* first, so that the SPEC's own concurrency=N wins */
            keys[n] = "concurrency";
            values[n++] = concurrency;
        }
        for (int i = 1; i < nopts; i++) {
            keys[n] = key[i];
            values[n++] = val[i];
            has_model |= strcmp(key[i], "model") == 0;
        }
        if (!has_model) {
            keys[n] = "model";
            values[n++] = opts[0];
        }
        st = cli_openai_model(out, keys, values, (size_t)n);
    }
#endif
    if (!known) {
        free(copy);
        return cli_unknown_backend(prog, backend);
    }
    if (concurrency && strcmp(backend, "openai") != 0) {
        if (st == VS_OK) vs_model_free(*out);
        *out = NULL;
        free(copy);
        return cli_usage_error(prog, "--concurrency applies to --backend openai only");
    }
    if (st != VS_OK) {
        rc = cli_fail(spec, st);
        free(copy);
        return rc;
    }
    *id = malloc(strlen(opts[0]) + 1);
    if (!*id) {
        vs_model_free(*out);
        *out = NULL;
        free(copy);
        return cli_fail("lexical elicit", VS_ENOMEM);
    }
    strcpy(*id, opts[0]);
    free(copy);
    return 0;
}

static int list_prompts(int json) {
    size_t n = vs_lexical_prompt_count();
    if (json) {
        cli_json j;
        cli_json_init(&j, stdout);
        cli_json_begin_array(&j);
        for (size_t i = 0; i < n; i++) cli_json_string(&j, vs_lexical_prompt(i));
        cli_json_end_array(&j);
        cli_json_finish(&j);
    } else {
        for (size_t i = 0; i < n; i++) printf("prompt-%02zu  %s\n", i + 1, vs_lexical_prompt(i));
    }
    return 0;
}

static int lexical_elicit(int argc, char **argv) {
    const char *prog = "valuespace lexical elicit";
    const char *backend = NULL, *journal = NULL;
    const char **specs = calloc((size_t)argc + 1, sizeof *specs);
    int nspecs = 0, json = 0, list = 0, rc = 0;
    size_t same_failures = CLI_SAME_FAILURES;
    const char *concurrency = NULL;
    int pf = 0;
    vs_lexical_elicit_opts o = VS_LEXICAL_ELICIT_OPTS_INIT;
    if (!specs) return cli_fail("lexical elicit", VS_ENOMEM);
    for (int i = 1; i < argc && rc == 0; i++) {
        const char *a = argv[i];
        int hv = i + 1 < argc;
        double x;
        if (cli_is_help(a)) {
            fputs(elicit_usage, stdout);
            free(specs);
            return 0;
        } else if (strcmp(a, "--json") == 0)
            json = 1;
        else if (strcmp(a, "--resume") == 0)
            o.resume = 1;
        else if (strcmp(a, "--list-prompts") == 0)
            list = 1;
        else if (strcmp(a, "--backend") == 0 && hv)
            backend = argv[++i];
        else if (strcmp(a, "--journal") == 0 && hv)
            journal = argv[++i];
        else if (strcmp(a, "--models") == 0 && hv) {
            while (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0) specs[nspecs++] = argv[++i];
        } else if ((strcmp(a, "--repeats") == 0 || strcmp(a, "--seed") == 0 || strcmp(a, "--max-tokens") == 0) && hv) {
            if (cli_parse_double(argv[++i], &x) != 0 || x != floor(x) || x < 0 || x > 9.0e15 ||
                (a[2] == 'r' && (x < 1 || x > 1000000)) || (a[2] == 'm' && x > 4294967295.0))
                rc = cli_usage_error(prog, "%s needs a %s, not '%s'", a,
                                     a[2] == 'r' ? "count in 1..1000000" : "non-negative integer", argv[i]);
            else if (a[2] == 'r')
                o.repeats = (uint64_t)x;
            else if (a[2] == 's')
                o.seed = (uint64_t)x;
            else
                o.max_tokens = (uint32_t)x;
        } else if (strcmp(a, "--stop-after-same-failures") == 0 && hv) {
            if (cli_parse_size(argv[++i], &same_failures) != 0)
                rc = cli_usage_error(prog, "--stop-after-same-failures needs a non-negative integer, not '%s'", argv[i]);
        } else if (strcmp(a, "--concurrency") == 0 && hv) {
            size_t c = 0;
            concurrency = argv[++i];
            if (cli_parse_size(concurrency, &c) != 0 || c < 1 || c > 1024)
                rc = cli_usage_error(prog, "--concurrency needs an integer in 1..1024, not '%s'", concurrency);
        } else if (strcmp(a, "--temperature") == 0 && hv) {
            if (cli_parse_double(argv[++i], &x) != 0 || x < 0)
                rc = cli_usage_error(prog, "--temperature needs a number >= 0, not '%s'", argv[i]);
            else
                o.temperature = x;
        } else if ((pf = cli_progress_flag(argc, argv, &i, prog)) != 0) {
            if (pf != 1) rc = pf;
        } else if (a[0] == '-' && a[1] == '-')
            rc = cli_unknown_option(prog, a, elicit_usage);
        else
            rc = cli_usage_error(prog, "unexpected argument '%s'", a);
    }
    if (rc == 0 && list) {
        free(specs);
        return list_prompts(json);
    }
    if (rc == 0 && (!backend || !journal || nspecs == 0))
        rc = cli_usage_error(prog, "--backend, --models and --journal are required");
    vs_model **models = calloc((size_t)nspecs + 1, sizeof *models);
    char **ids = calloc((size_t)nspecs + 1, sizeof *ids);
    if (rc == 0 && (!models || !ids)) rc = cli_fail("lexical elicit", VS_ENOMEM);
    for (int m = 0; m < nspecs && rc == 0; m++) {
        rc = open_spec(&models[m], &ids[m], prog, backend, specs[m], concurrency);
        int st = rc == 0 ? vs_model_set_int(models[m], VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES, (int64_t)same_failures)
                         : VS_OK;
        /* all of a model's items in one call, so that the openai backend's window stays full */
        if (rc == 0 && st == VS_OK) st = vs_model_set_int(models[m], VS_MODEL_OPT_MAX_BATCH, LEXICAL_BATCH);
        if (st != VS_OK) rc = cli_fail(specs[m], st);
    }
    size_t written = 0;
    uint64_t ok = 0, failed = 0;
    char *first_id = NULL, *first_error = NULL;
    if (rc == 0) {
        uint64_t items = (uint64_t)vs_lexical_prompt_count() * (uint64_t)nspecs * o.repeats;
        cli_progress_start("items", items, strcmp(backend, "openai") == 0 ? 1 : 0);
        int st = cli_signal_watch(models, (size_t)nspecs);
        if (st == VS_OK) st = vs_lexical_elicit(&written, models, (const char *const *)ids, (size_t)nspecs, journal, &o);
        if (st == VS_OK) cli_progress_records(items, items);
        cli_progress_finish();
        if (cli_signal_unwatch() && st == VS_ECANCELED) {
            fprintf(stderr, "valuespace lexical elicit: %zu records written\n", written);
            rc = cli_signal_exit(prog, "run the rest with the same command and --resume");
        } else if (st != VS_OK) {
            fprintf(stderr, "valuespace lexical elicit: %zu records written before the failure\n", written);
            rc = cli_fail(journal, st);
            if (st == VS_EFAILED)
                fprintf(stderr, "valuespace lexical elicit: fix the cause, then run the rest with the same command "
                                "and --resume\n");
            else if (st == VS_EIO && cli_error_disk_full())
                fprintf(stderr, "valuespace lexical elicit: every complete record is in the journal; free space (or "
                                "raise the file size limit), then run the rest with the same command and --resume\n");
        } else if ((st = vs_lexical_journal_failures(&ok, &failed, &first_id, &first_error, journal)) != VS_OK) {
            rc = cli_fail(journal, st);
        }
    }
    if (rc == 0) {
        size_t items = vs_lexical_prompt_count() * (size_t)nspecs * (size_t)o.repeats;
        if (json) {
            cli_json j;
            cli_json_init(&j, stdout);
            cli_json_begin_object(&j);
            cli_json_key(&j, "journal");
            cli_json_string(&j, journal);
            cli_json_key(&j, "models");
            cli_json_int(&j, nspecs);
            cli_json_key(&j, "prompts");
            cli_json_int(&j, (long long)vs_lexical_prompt_count());
            cli_json_key(&j, "repeats");
            cli_json_int(&j, (long long)o.repeats);
            cli_json_key(&j, "items");
            cli_json_int(&j, (long long)items);
            cli_json_key(&j, "written");
            cli_json_int(&j, (long long)written);
            cli_json_key(&j, "ok");
            cli_json_int(&j, (long long)ok);
            cli_json_key(&j, "failed");
            cli_json_int(&j, (long long)failed);
            cli_json_end_object(&j);
            cli_json_finish(&j);
        } else {
            printf("%zu records written to %s (%zu items: %d models x %zu prompts x %llu repeats); "
                   "%llu ok, %llu failed\n",
                   written, journal, items, nspecs, vs_lexical_prompt_count(), (unsigned long long)o.repeats,
                   (unsigned long long)ok, (unsigned long long)failed);
        }
        if (failed)
            rc = cli_items_failed(prog, failed, ok + failed, first_id, first_error,
                                  "the failed items are in the journal; fix the cause, then run them again with "
                                  "the same command and --resume");
    }
    vs_free(first_id);
    vs_free(first_error);
    for (int m = 0; m < nspecs && models; m++) vs_model_free(models[m]);
    for (int m = 0; m < nspecs && ids; m++) free(ids[m]);
    free(models);
    free(ids);
    free(specs);
    return rc;
}

int cmd_lexical(int argc, char **argv) {
    static const cli_command sub[] = {
        {"elicit", "run the elicitation prompts over models into a journal", lexical_elicit},
        {"analyze", "factors and sub-dimensions of value terms -> a new value space", lexical_analyze},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("valuespace lexical", sub, argc, argv);
}
