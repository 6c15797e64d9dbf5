/* Tests of the lexical module: parsing hand-written responses, filters, matrices, CSV and
 * word-vector input, and the analysis recovering a known structure (the Done-when test).
 * Expected terms are written by hand from the parsing rules in lexical.h; the synthetic
 * structure is the ground truth of the recovery test (adjusted Rand index, computed by
 * vs_cluster_adjusted_rand, which check_cluster tests against scikit-learn). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/random.h"
#include "testutil.h"

#ifdef VS_HAVE_NGRAM_BACKEND
#include "ngram_backend.h"
#endif

static vs_lexicon *parse_one(const char *text) {
    vs_lexicon *l = NULL;
    ck_assert_ok(vs_lexicon_create(&l));
    ck_assert_ok(vs_lexicon_add_response(l, "m", text));
    return l;
}

static void expect_terms(const vs_lexicon *l, size_t i, const char *const *want, size_t n) {
    size_t got = vs_lexicon_response_term_count(l, i);
    if (got != n)
        for (size_t j = 0; j < got; j++) fprintf(stderr, "  term %zu: '%s'\n", j, vs_lexicon_response_term(l, i, j));
    ck_assert_uint_eq(got, n);
    for (size_t j = 0; j < n; j++) ck_assert_str_eq(vs_lexicon_response_term(l, i, j), want[j]);
}

START_TEST(parse_lists) {
    const char *text = "Here are my values.\n"
                       "1. **Honesty** \xE2\x80\x93 being truthful, open and fair\n"
                       "2. Integrity: acting on principles, even when it is hard\n"
                       "3) Compassion (care for others)\n"
                       "- *Kindness*\n"
                       "\xE2\x80\xA2 Respect\n"
                       "* _Fairness_!\n"
                       "(4) Self-direction\n"
                       "a) Open-mindedness --- the will to listen\n";
    vs_lexicon *l = parse_one(text);
    static const char *const want[] = {"honesty", "integrity", "compassion", "kindness", "respect",
                                       "fairness", "self-direction", "open-mindedness"};
    /* "Here are my values" has 4 words > MAX_WORDS 3: dropped */
    expect_terms(l, 0, want, 8);
    vs_lexicon_free(l);
}
END_TEST

START_TEST(parse_inline) {
    vs_lexicon *l = parse_one("My core values are: honesty, integrity, and compassion; curiosity & creativity.");
    static const char *const want[] = {"honesty", "integrity", "compassion", "curiosity", "creativity"};
    expect_terms(l, 0, want, 5);
    ck_assert_ok(vs_lexicon_add_response(l, "m", "**Loyalty**: being there, always"));
    static const char *const want2[] = {"loyalty"}; /* emphasised head: a definition */
    expect_terms(l, 1, want2, 1);
    /* NFKC + case folding, repeats counted once per distinct term of a response */
    ck_assert_ok(vs_lexicon_add_response(l, "m", "\xEF\xBC\xA8\xEF\xBC\xAF\xEF\xBC\xAE\xEF\xBC\xA5\xEF\xBC\xB3\xEF\xBC\xB4"
                                                 "\xEF\xBC\xB9, Stra\xC3\x9F" "e, honesty, 42, I believe kindness matters most."));
    static const char *const want3[] = {"honesty", "strasse"};
    expect_terms(l, 2, want3, 2);
    /* counts: honesty twice in response 2 */
    double m[64];
    size_t need = 0;
    ck_assert_ok(vs_lexicon_matrix(&need, l, 1, m, 64));
    ck_assert_str_eq(vs_lexicon_term(l, 0), "honesty"); /* total 3: first */
    ck_assert_uint_eq(need, 3 * vs_lexicon_term_count(l));
    size_t p = vs_lexicon_term_count(l);
    ck_assert_near(m[0 * p + 0], 1, 0);
    ck_assert_near(m[2 * p + 0], 2, 0);
    ck_assert_ok(vs_lexicon_matrix(NULL, l, 0, m, 64));
    ck_assert_near(m[2 * p + 0], 1, 0);
    ck_assert_status(vs_lexicon_matrix(&need, l, 0, m, 2), VS_EBUFSIZE);
    ck_assert_status(vs_lexicon_matrix(&need, l, 2, m, 64), VS_EINVAL);
    vs_lexicon_free(l);
}
END_TEST

static int lemma_plural(void *ud, const char *term, char *buf, size_t cap) {
    int *calls = ud;
    (*calls)++;
    size_t n = strlen(term);
    if (strcmp(term, "boom") == 0) return -1;
    if (strcmp(term, "nothing") == 0) {
        buf[0] = '\0';
        return 0;
    }
    if (n > 1 && term[n - 1] == 's') n--;
    if (n >= cap) n = cap - 1;
    memcpy(buf, term, n);
    buf[n] = '\0';
    return 0;
}

START_TEST(parse_lemma_stop) {
    vs_lexicon *l = NULL;
    int calls = 0;
    ck_assert_ok(vs_lexicon_create(&l));
    ck_assert_ok(vs_lexicon_set_lemmatizer(l, lemma_plural, &calls));
    ck_assert_ok(vs_lexicon_add_stop_term(l, "  VALUE "));
    ck_assert_ok(vs_lexicon_add_response(l, "a", "friendships, values, nothing, kindness"));
    static const char *const want[] = {"friendship", "kindnes"};
    expect_terms(l, 0, want, 2);
    ck_assert_int_eq(calls, 4); /* "values" is no stop-term, its lemma "value" is */
    /* a failing lemmatiser: VS_ECALLBACK, nothing added */
    ck_assert_status(vs_lexicon_add_response(l, "a", "honesty, boom"), VS_ECALLBACK);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "boom"));
    ck_assert_uint_eq(vs_lexicon_response_count(l), 1);
    ck_assert_uint_eq(vs_lexicon_term_count(l), 2);
    ck_assert_status(vs_lexicon_add_response(l, "a", "ok, \xC0\xAF"), VS_EUTF8);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "byte 4"));
    ck_assert_status(vs_lexicon_add_response(NULL, "a", "x"), VS_EINVAL);
    ck_assert_status(vs_lexicon_add_stop_term(l, "--"), VS_EINVAL);
    vs_lexicon_free(l);
}
END_TEST

START_TEST(filters) {
    vs_lexicon *l = NULL;
    ck_assert_ok(vs_lexicon_create(&l));
    ck_assert_ok(vs_lexicon_add_response(l, "a", "honesty, care, zeal"));
    ck_assert_ok(vs_lexicon_add_response(l, "a", "honesty, care"));
    ck_assert_ok(vs_lexicon_add_response(l, "b", "honesty, duty"));
    ck_assert_uint_eq(vs_lexicon_term_count(l), 4);
    ck_assert_ok(vs_lexicon_set_int(l, VS_LEXICON_OPT_MIN_FREQ, 2)); /* honesty 3, care 2 */
    ck_assert_uint_eq(vs_lexicon_term_count(l), 2);
    ck_assert_str_eq(vs_lexicon_term(l, 0), "honesty");
    ck_assert_str_eq(vs_lexicon_term(l, 1), "care");
    ck_assert_ok(vs_lexicon_set_int(l, VS_LEXICON_OPT_MIN_MODELS, 2)); /* honesty: a and b */
    ck_assert_uint_eq(vs_lexicon_term_count(l), 1);
    double total;
    size_t models;
    ck_assert_ok(vs_lexicon_term_stats(&total, &models, l, 0));
    ck_assert_near(total, 3, 0);
    ck_assert_uint_eq(models, 2);
    ck_assert_status(vs_lexicon_term_stats(&total, &models, l, 1), VS_ERANGE);
    ck_assert_status(vs_lexicon_set_int(l, VS_LEXICON_OPT_MIN_FREQ, 0), VS_ERANGE);
    ck_assert_status(vs_lexicon_set_int(l, 99, 1), VS_EINVAL);
    vs_lexicon_free(l);
}
END_TEST

START_TEST(csv_and_vectors) {
    vs_lexicon *l = NULL;
    ck_assert_ok(vs_lexicon_load_csv(&l, VS_TEST_DATA_DIR "/lexical/small.csv"));
    ck_assert_uint_eq(vs_lexicon_response_count(l), 4);
    ck_assert_uint_eq(vs_lexicon_term_count(l), 3);
    /* totals: honesty 3, care 2, kind ness 2 -> order honesty, care, kind ness */
    ck_assert_str_eq(vs_lexicon_term(l, 0), "honesty");
    ck_assert_str_eq(vs_lexicon_term(l, 1), "care");
    ck_assert_str_eq(vs_lexicon_term(l, 2), "kind ness");
    double m[12];
    ck_assert_ok(vs_lexicon_matrix(NULL, l, 1, m, 12));
    static const double want[12] = {1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0};
    for (int i = 0; i < 12; i++) ck_assert_near(m[i], want[i], 0);
    vs_lexicon_free(l);
    ck_assert_status(vs_lexicon_load_csv(&l, VS_TEST_DATA_DIR "/lexical/bad_cell.csv"), VS_EPARSE);
    ck_assert_ptr_null(l);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "bad_cell.csv:2:3"));
    ck_assert_status(vs_lexicon_load_csv(&l, VS_TEST_DATA_DIR "/lexical/none.csv"), VS_ENOTFOUND);

    vs_wordvecs *w = NULL;
    ck_assert_ok(vs_wordvecs_load(&w, VS_TEST_DATA_DIR "/lexical/small.vec"));
    ck_assert_uint_eq(vs_wordvecs_dim(w), 2);
    ck_assert_uint_eq(vs_wordvecs_count(w), 3);
    double v[2];
    ck_assert_ok(vs_wordvecs_get(NULL, w, "KINDNESS", v, 2));
    ck_assert_near(v[0], 0.5, 0);
    ck_assert_ok(vs_wordvecs_get(NULL, w, "honesty care", v, 2)); /* mean of the words */
    ck_assert_near(v[0], 0.5, 0);
    ck_assert_near(v[1], 0.5, 0);
    ck_assert_status(vs_wordvecs_get(NULL, w, "honesty zeal", v, 2), VS_ENOTFOUND);
    ck_assert_status(vs_wordvecs_get(NULL, w, "care", v, 1), VS_EBUFSIZE);
    double bad[2] = {1, NAN};
    ck_assert_status(vs_wordvecs_add(w, "x", bad, 2), VS_EINVAL);
    ck_assert_status(vs_wordvecs_add(w, "x", bad, 1), VS_EMISMATCH);
    vs_wordvecs_free(w);
}
END_TEST

/* ---- the Done-when test: 3 latent factors x 2 word clusters x 6 terms, presence data
 * thresholded from the latent model, vectors drawn around cluster centres. */
#define NF 3
#define NC 2
#define PER 6
#define P (NF * NC * PER)
#define DIM 12

static void synth(vs_lexicon **out_l, vs_wordvecs **out_w, size_t n, uint64_t seed) {
    vs__rng g;
    vs__rng_seed(&g, seed, 7);
    vs_lexicon *l = NULL;
    vs_wordvecs *w = NULL;
    ck_assert_ok(vs_lexicon_create(&l));
    ck_assert_ok(vs_wordvecs_create(&w, DIM));
    char text[P * 8];
    for (size_t i = 0; i < n; i++) {
        double F[NF];
        for (int f = 0; f < NF; f++) F[f] = vs__rng_normal(&g);
        size_t len = 0;
        text[0] = '\0';
        for (int j = 0; j < P; j++) {
            int f = j / (NC * PER);
            double y = 0.75 * F[f] + sqrt(1 - 0.75 * 0.75) * vs__rng_normal(&g);
            if (y > 0.5) len += (size_t)snprintf(text + len, sizeof text - len, "w%02d, ", j);
        }
        char model[8];
        snprintf(model, sizeof model, "m%zu", i % 3);
        ck_assert_ok(vs_lexicon_add_response(l, model, text));
    }
    double centre[NF * NC][DIM], v[DIM];
    for (int c = 0; c < NF * NC; c++)
        for (int d = 0; d < DIM; d++) centre[c][d] = vs__rng_normal(&g);
    for (int j = 0; j < P; j++) {
        char word[8];
        snprintf(word, sizeof word, "W%02d", j);
        for (int d = 0; d < DIM; d++) v[d] = centre[j / PER][d] + 0.3 * vs__rng_normal(&g);
        ck_assert_ok(vs_wordvecs_add(w, word, v, DIM));
    }
    *out_l = l;
    *out_w = w;
}

static void recover(uint64_t seed) {
    size_t n = getenv("VS_TEST_UNDER_VALGRIND") ? 500 : 800;
    vs_lexicon *l;
    vs_wordvecs *w;
    synth(&l, &w, n, seed);
    ck_assert_uint_eq(vs_lexicon_term_count(l), P);
    vs_lexical *x = NULL;
    ck_assert_ok(vs_lexical_create(&x));
    ck_assert_ok(vs_lexical_set_int(x, VS_LEXICAL_OPT_SEED, (int64_t)seed));
    vs_lexical_result *r = NULL;
    ck_assert_ok(vs_lexical_analyze(&r, x, l, w));
    double k, par, sub;
    ck_assert_ok(vs_lexical_result_scalar(&k, r, VS_LEXICAL_STAT_N_FACTORS));
    ck_assert_ok(vs_lexical_result_scalar(&par, r, VS_LEXICAL_STAT_PARALLEL_FACTORS));
    ck_assert_ok(vs_lexical_result_scalar(&sub, r, VS_LEXICAL_STAT_N_SUBDIMS));
    ck_assert_near(k, 3, 0);
    ck_assert_near(sub, 6, 0);
    double fac[P], sd[P];
    size_t truth_f[P], truth_c[P], got_f[P], got_c[P];
    ck_assert_ok(vs_lexical_result_get(NULL, r, VS_LEXICAL_FACTOR, fac, P));
    ck_assert_ok(vs_lexical_result_get(NULL, r, VS_LEXICAL_SUBDIM, sd, P));
    for (size_t j = 0; j < P; j++) {
        int t = atoi(vs_lexical_result_term(r, j) + 1);
        truth_f[j] = (size_t)(t / (NC * PER));
        truth_c[j] = (size_t)(t / PER);
        got_f[j] = (size_t)fac[j];
        got_c[j] = (size_t)sd[j];
    }
    double ari_f, ari_c;
    ck_assert_ok(vs_cluster_adjusted_rand(&ari_f, truth_f, got_f, P));
    ck_assert_ok(vs_cluster_adjusted_rand(&ari_c, truth_c, got_c, P));
    ck_assert_msg(ari_f >= 0.9, "seed %llu: factor ARI %g", (unsigned long long)seed, ari_f);
    ck_assert_msg(ari_c >= 0.9, "seed %llu: cluster ARI %g", (unsigned long long)seed, ari_c);
    double kmo, sil;
    ck_assert_ok(vs_lexical_result_scalar(&kmo, r, VS_LEXICAL_STAT_KMO));
    ck_assert_ok(vs_lexical_result_scalar(&sil, r, VS_LEXICAL_STAT_SILHOUETTE));
    ck_assert(kmo > 0.6 && kmo < 1);
    ck_assert(sil > 0.5);
    /* the space */
    vs_space *s = NULL;
    ck_assert_ok(vs_lexical_result_space(&s, r, "synthetic", NULL, 0, NULL, 0));
    ck_assert_uint_eq(vs_space_level_count(s), 2);
    ck_assert_uint_eq(vs_space_level_dimension_count(s, 0), 6);
    ck_assert_uint_eq(vs_space_level_dimension_count(s, 1), 3);
    size_t di;
    ck_assert_ok(vs_space_find(&di, s, 0, "W07")); /* a term is an alias of its sub-dimension */
    ck_assert_uint_eq(di, (size_t)sd[0] * 0 + di);
    static const char *const names[3] = {"Competence", NULL, "Integrity"};
    vs_space_free(s);
    ck_assert_ok(vs_lexical_result_space(&s, r, NULL, names, 3, NULL, 0));
    ck_assert_str_eq(vs_space_label(s, vs_space_level_offset(s, 1)), "Competence");
    vs_space_free(s);
    ck_assert_status(vs_lexical_result_space(&s, r, NULL, names, 2, NULL, 0), VS_EMISMATCH);
    char *rep = NULL;
    ck_assert_ok(vs_lexical_result_report(&rep, r));
    ck_assert_ptr_nonnull(strstr(rep, "\"bartlett\""));
    vs_free(rep);
    vs_lexical_result_free(r);
    vs_lexical_free(x);
    vs_lexicon_free(l);
    vs_wordvecs_free(w);
}

START_TEST(recover_structure) {
    static const uint64_t seeds[4] = {20240412, 1, 2, 3};
    recover(seeds[_i]);
}
END_TEST

START_TEST(analyze_errors) {
    vs_lexicon *l = NULL;
    vs_lexical *x = NULL;
    vs_lexical_result *r = (vs_lexical_result *)&x;
    ck_assert_ok(vs_lexical_create(&x));
    ck_assert_ok(vs_lexicon_create(&l));
    ck_assert_status(vs_lexical_analyze(&r, x, l, NULL), VS_ERANGE);
    ck_assert_ptr_null(r);
    ck_assert_ok(vs_lexicon_add_response(l, "a", "a1, b1, c1"));
    ck_assert_ok(vs_lexicon_add_response(l, "a", "a1, b1"));
    ck_assert_ok(vs_lexicon_add_response(l, "a", "a1, c1"));
    ck_assert_status(vs_lexical_analyze(&r, x, l, NULL), VS_EUNDEFINED); /* a1 in every response */
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "'a1'"));
    ck_assert_status(vs_lexical_set_str(x, VS_LEXICAL_OPT_ROTATION, "spin"), VS_ENOTFOUND);
    ck_assert_status(vs_lexical_set_int(x, VS_LEXICAL_OPT_COUNTS, 2), VS_ERANGE);
    ck_assert_ok(vs_lexical_set_str(x, VS_LEXICAL_OPT_ROTATION, "varimax"));
    vs_lexical_free(x);
    vs_lexicon_free(l);
}
END_TEST

START_TEST(alloc_failures) {
    vs_lexicon *l0;
    vs_wordvecs *w;
    synth(&l0, &w, 120, 5);
    vs_lexicon_free(l0);
    vs_test_alloc_install();
    int done = 0;
    for (long k = 1; !done && k < 100000; k++) {
        vs_test_alloc_fail_at(k);
        vs_lexicon *l = NULL;
        vs_lexical *x = NULL;
        vs_lexical_result *r = NULL;
        char *rep = NULL;
        vs_space *s = NULL;
        int rc = vs_lexicon_create(&l);
        if (rc == VS_OK) rc = vs_lexicon_add_response(l, "a", "1. **W01** - x\nW02, W03 and W13; W14");
        if (rc == VS_OK) rc = vs_lexicon_add_response(l, "b", "W01, W02, W13, W25");
        if (rc == VS_OK) rc = vs_lexicon_add_response(l, "a", "W03, W14, W25, W26");
        if (rc == VS_OK) rc = vs_lexicon_add_response(l, "b", "W02, W26, W13");
        if (rc == VS_OK) rc = vs_lexical_create(&x);
        if (rc == VS_OK) rc = vs_lexical_set_int(x, VS_LEXICAL_OPT_NFACTORS, 1);
        if (rc == VS_OK) rc = vs_lexical_set_int(x, VS_LEXICAL_OPT_SUBDIMS, 2);
        if (rc == VS_OK) rc = vs_lexical_analyze(&r, x, l, w);
        if (rc == VS_OK) rc = vs_lexical_result_report(&rep, r);
        if (rc == VS_OK) rc = vs_lexical_result_space(&s, r, NULL, NULL, 0, NULL, 0);
        if (vs_test_alloc_failed()) {
            ck_assert_msg(rc == VS_ENOMEM, "allocation %ld: %s: %s", k, vs_status_name(rc), vs_last_error());
            ck_assert_ptr_null(s);
        } else {
            ck_assert_msg(rc == VS_OK, "%s: %s", vs_status_name(rc), vs_last_error());
            done = 1;
        }
        vs_space_free(s);
        vs_free(rep);
        vs_lexical_result_free(r);
        vs_lexical_free(x);
        vs_lexicon_free(l);
        ck_assert_int_eq(vs_test_alloc_outstanding(), 0);
    }
    ck_assert(done);
    vs_test_alloc_uninstall();
    vs_wordvecs_free(w);
}
END_TEST

/* ---- elicitation: the machinery with a fake model (texts made from the item seed; the
 * item "MODEL/prompt-05/r2" fails permanently while `fail5` is set), and the real ngram backend */

static char tmpdir[256];

/* Removes the temporary directory (at exit of the process that made it). */
static void remove_tmpdir(void) {
    DIR *d = opendir(tmpdir);
    if (!d) return;
    struct dirent *e;
    char p[600];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
        remove(p);
    }
    closedir(d);
    rmdir(tmpdir);
}

static const char *tpath(const char *name) {
    static char buf[8][400];
    static int k;
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/check_lexical.XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmpdir));
        atexit(remove_tmpdir);
    }
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static char *slurp(const char *p, size_t *len) {
    FILE *f = fopen(p, "rb");
    ck_assert_ptr_nonnull(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    if (len) *len = n;
    char *c = malloc(n + 1);
    memcpy(c, buf, n + 1);
    return c;
}

static size_t count_lines(const char *p) {
    char *t = slurp(p, NULL);
    size_t n = 0;
    for (char *c = t; *c; c++) n += *c == '\n';
    free(t);
    return n;
}

static int fail5;

static int fake_generate(void *ud, vs_model_batch *batch, const vs_model_gen_request *const *req, size_t n,
                         int *status) {
    static const char *const words[] = {"honesty", "care", "fairness", "freedom", "loyalty", "order", "duty"};
    (void)ud;
    for (size_t i = 0; i < n; i++) {
        if (fail5 && strstr(req[i]->id, "/prompt-05/r2")) {
            status[i] = VS_MODEL_ITEM_PERMANENT;
            vs_model_set_error(batch, i, "refused");
            continue;
        }
        char text[128];
        uint64_t sd = req[i]->seed;
        snprintf(text, sizeof text, "1. %s\n2. %s - being good\n3. %s", words[sd % 7], words[(sd >> 8) % 7],
                 words[(sd >> 16) % 7]);
        int rc = vs_model_set_text(batch, i, text, (size_t)-1);
        if (rc == VS_ENOMEM) return rc;
        status[i] = VS_MODEL_ITEM_OK;
    }
    return 0;
}

static vs_model *fake_model(void) {
    vs_model_callbacks cb = VS_MODEL_CALLBACKS_INIT;
    cb.generate = fake_generate;
    vs_model *m = NULL;
    ck_assert_ok(vs_model_create(&m, &cb, NULL));
    ck_assert_ok(vs_model_set_int(m, VS_MODEL_OPT_MAX_BATCH, 4));
    return m;
}

START_TEST(prompts_builtin) {
    size_t n = vs_lexical_prompt_count();
    ck_assert_uint_ge(n, 15);
    for (size_t i = 0; i < n; i++) {
        ck_assert_ptr_nonnull(vs_lexical_prompt(i));
        ck_assert_uint_gt(strlen(vs_lexical_prompt(i)), 20);
        for (size_t j = 0; j < i; j++) ck_assert_str_ne(vs_lexical_prompt(i), vs_lexical_prompt(j));
    }
    ck_assert_ptr_null(vs_lexical_prompt(n));
}
END_TEST


/* An elicitation journal line over VS_LEXICAL_MAX_LINE_BYTES: VS_ELIMIT with path:line, refused
 * before it is held in memory; as a torn last line it is left out. */
START_TEST(elicit_line_limit) {
    const char *lng = tpath("long.jsonl");
    const char *head = "{\"schema\":\"valuespace/lexical-journal\",\"version\":1,\"seed\":\"0\",\"repeats\":1,"
                       "\"max_tokens\":0,\"temperature\":1,\"n_prompts\":1,\"prompts_hash\":\"0000000000000001\"}\n";
    vs_test_write_long_line(lng, head, (size_t)VS_LEXICAL_MAX_LINE_BYTES + 1, 1);
    char want[600];
    snprintf(want, sizeof want, "%s:2: a line longer than %u bytes", lng, VS_LEXICAL_MAX_LINE_BYTES);
    vs_test_alloc_install(); /* counts live and peak bytes */
    uint64_t ok = 9;
    ck_assert_status(vs_lexical_journal_failures(&ok, NULL, NULL, NULL, lng), VS_ELIMIT);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), want));
    ck_assert_uint_eq(ok, 0);
    ck_assert_uint_lt(vs_test_alloc_peak_bytes(), (size_t)VS_LEXICAL_MAX_LINE_BYTES + (1u << 20));
    ck_assert_uint_eq(vs_test_alloc_live_bytes(), 0);
    ck_assert_ok(vs_set_allocator(NULL));
    vs_lexicon *lx = NULL;
    ck_assert_ok(vs_lexicon_create(&lx));
    ck_assert_status(vs_lexicon_add_journal(lx, lng), VS_ELIMIT);
    vs_lexicon_free(lx);
    /* torn: left out */
    ck_assert_int_eq(truncate(lng, (off_t)(strlen(head) + VS_LEXICAL_MAX_LINE_BYTES + 1)), 0);
    uint64_t failed = 9;
    ck_assert_ok(vs_lexical_journal_failures(&ok, &failed, NULL, NULL, lng));
    ck_assert_uint_eq(ok + failed, 0);
}
END_TEST

START_TEST(elicit_fake) {
    vs_model *m[2] = {fake_model(), fake_model()};
    const char *ids[2] = {"fake-a", "fake-b"};
    vs_lexical_elicit_opts o = VS_LEXICAL_ELICIT_OPTS_INIT;
    o.seed = 11;
    o.repeats = 2;
    o.max_tokens = 30;
    size_t np = vs_lexical_prompt_count(), written = 0, total = 2 * 2 * np;
    const char *full = tpath("full.jsonl"), *part = tpath("part.jsonl");
    remove(full);
    remove(part);
    ck_assert_ok(vs_model_set_seed(m[0], 99));
    fail5 = 0;
    ck_assert_ok(vs_lexical_elicit(&written, m, ids, 2, full, &o));
    ck_assert_uint_eq(written, total);
    ck_assert_uint_eq(count_lines(full), total + 1);
    ck_assert_uint_eq(vs_model_get_seed(m[0]), 99); /* restored */
    char *a = slurp(full, NULL);
    ck_assert_ptr_nonnull(strstr(a, "{\"schema\":\"valuespace/lexical-journal\",\"version\":1,"));
    ck_assert_ptr_nonnull(strstr(a, "{\"id\":\"fake-b/prompt-03/r2\",\"model\":\"fake-b\",\"prompt\":3,\"repeat\":2,"));
    /* the item seed is vs_model_item_seed(run seed, id, repeat - 1) */
    char want[128];
    snprintf(want, sizeof want, "\"id\":\"fake-a/prompt-01/r1\",\"model\":\"fake-a\",\"prompt\":1,\"repeat\":1,\"seed\":\"%llu\"",
             (unsigned long long)vs_model_item_seed(11, "fake-a/prompt-01/r1", 0));
    ck_assert_ptr_nonnull(strstr(a, want));
    /* a run again is refused; resuming a finished journal writes nothing */
    ck_assert_status(vs_lexical_elicit(&written, m, ids, 2, full, &o), VS_ESTATE);
    ck_assert_uint_eq(written, 0);
    o.resume = 1;
    ck_assert_ok(vs_lexical_elicit(&written, m, ids, 2, full, &o));
    ck_assert_uint_eq(written, 0);
    /* another configuration: refused, the file unchanged */
    o.seed = 12;
    ck_assert_status(vs_lexical_elicit(&written, m, ids, 2, full, &o), VS_EMISMATCH);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "was made with another configuration: \"seed\" differs: \"11\" vs \"12\""));
    o.seed = 11;
    char *a2 = slurp(full, NULL);
    ck_assert_str_eq(a, a2);
    free(a2);
    /* a journal written under the earlier schema name reads and resumes alike */
    {
        const char *old = tpath("old-name.jsonl");
        const char *nw = "\"schema\":\"valuespace/lexical-journal\"", *od = "\"schema\":\"valuespace.lexical.journal\"";
        char *at = strstr(a, nw);
        FILE *fp = fopen(old, "wb");
        fwrite(a, 1, (size_t)(at - a), fp);
        fputs(od, fp);
        fputs(at + strlen(nw), fp);
        fclose(fp);
        uint64_t ok_new = 0, ok_old = 0, failed_new = 0, failed_old = 0;
        ck_assert_ok(vs_lexical_journal_failures(&ok_new, &failed_new, NULL, NULL, full));
        ck_assert_ok(vs_lexical_journal_failures(&ok_old, &failed_old, NULL, NULL, old));
        ck_assert_uint_eq(ok_old, ok_new);
        ck_assert_uint_eq(failed_old, failed_new);
        vs_lexicon *la = NULL, *lb = NULL;
        ck_assert_ok(vs_lexicon_create(&la));
        ck_assert_ok(vs_lexicon_create(&lb));
        ck_assert_ok(vs_lexicon_add_journal(la, full));
        ck_assert_ok(vs_lexicon_add_journal(lb, old));
        ck_assert_uint_eq(vs_lexicon_response_count(la), vs_lexicon_response_count(lb));
        ck_assert_uint_gt(vs_lexicon_response_count(la), 0);
        vs_lexicon_free(la);
        vs_lexicon_free(lb);
        ck_assert_ok(vs_lexical_elicit(&written, m, ids, 2, old, &o)); /* o.resume = 1 */
        ck_assert_uint_eq(written, 0);
        char *b = slurp(old, NULL);
        ck_assert_ptr_nonnull(strstr(b, od)); /* its header is kept */
        free(b);
        /* another schema is not an elicitation journal */
        fp = fopen(old, "wb");
        fputs("{\"schema\":\"valuespace/journal\",\"version\":1}\n", fp);
        fclose(fp);
        ck_assert_status(vs_lexical_journal_failures(NULL, NULL, NULL, NULL, old), VS_EPARSE);
        ck_assert_ptr_nonnull(strstr(vs_last_error(), "old-name.jsonl:1: not an elicitation journal"));
    }

    /* a run with a failed item, then a crash in the middle of a record, then a resume: the
     * failed item is run again and the journal's successful records equal the full run's */
    o.resume = 0;
    fail5 = 1;
    ck_assert_ok(vs_lexical_elicit(&written, m, ids, 1, part, &o));
    ck_assert_uint_eq(written, 2 * np);
    size_t len = 0;
    char *p = slurp(part, &len);
    ck_assert_ptr_nonnull(strstr(p, "\"id\":\"fake-a/prompt-05/r2\",\"model\":\"fake-a\",\"prompt\":5,\"repeat\":2,"));
    ck_assert_ptr_nonnull(strstr(p, "\"status\":\"failed\",\"error\":\"permanent failure reported by the generate callback: refused\"}"));
    /* what the journal holds: one failure, named */
    uint64_t n_ok = 0, n_failed = 0;
    char *first_id = NULL, *first_error = NULL;
    ck_assert_ok(vs_lexical_journal_failures(&n_ok, &n_failed, &first_id, &first_error, part));
    ck_assert_uint_eq(n_ok, 2 * np - 1);
    ck_assert_uint_eq(n_failed, 1);
    ck_assert_str_eq(first_id, "fake-a/prompt-05/r2");
    ck_assert_str_eq(first_error, "permanent failure reported by the generate callback: refused");
    vs_free(first_id);
    vs_free(first_error);
    ck_assert_ok(vs_lexical_journal_failures(NULL, &n_failed, NULL, NULL, part));
    ck_assert_uint_eq(n_failed, 1);
    FILE *f = fopen(part, "wb");
    fwrite(p, 1, len - 25, f); /* the last record torn */
    fclose(f);
    free(p);
    fail5 = 0;
    o.resume = 1;
    ck_assert_ok(vs_lexical_elicit(&written, m, ids, 2, part, &o));
    ck_assert_uint_eq(written, 2 * np + 2); /* model b, the torn record, the failed one */
    /* the failed item ran again: its latest record is ok */
    ck_assert_ok(vs_lexical_journal_failures(&n_ok, &n_failed, &first_id, &first_error, part));
    ck_assert_uint_eq(n_ok, total);
    ck_assert_uint_eq(n_failed, 0);
    ck_assert_ptr_null(first_id);
    ck_assert_ptr_null(first_error);
    n_ok = 7;
    ck_assert_status(vs_lexical_journal_failures(&n_ok, NULL, &first_id, NULL, "/nonexistent/j.jsonl"), VS_ENOTFOUND);
    ck_assert_uint_eq(n_ok, 0);
    ck_assert_ptr_null(first_id);
    ck_assert_status(vs_lexical_journal_failures(&n_ok, NULL, NULL, NULL, NULL), VS_EINVAL);
    /* the lexicons read from both journals are the same */
    vs_lexicon *la = NULL, *lb = NULL;
    ck_assert_ok(vs_lexicon_create(&la));
    ck_assert_ok(vs_lexicon_create(&lb));
    ck_assert_ok(vs_lexicon_add_journal(la, full));
    ck_assert_ok(vs_lexicon_add_journal(lb, part));
    ck_assert_uint_eq(vs_lexicon_response_count(la), total);
    ck_assert_uint_eq(vs_lexicon_response_count(lb), total);
    ck_assert_uint_eq(vs_lexicon_response_count(la), vs_lexicon_response_count(lb));
        ck_assert_uint_gt(vs_lexicon_response_count(la), 0);
    for (size_t j = 0; j < vs_lexicon_term_count(la); j++) {
        double ta, tb;
        size_t ma, mb;
        ck_assert_str_eq(vs_lexicon_term(la, j), vs_lexicon_term(lb, j));
        ck_assert_ok(vs_lexicon_term_stats(&ta, &ma, la, j));
        ck_assert_ok(vs_lexicon_term_stats(&tb, &mb, lb, j));
        ck_assert_near(ta, tb, 0);
        ck_assert_uint_eq(ma, mb);
    }
    ck_assert_uint_le(vs_lexicon_term_count(la), 7); /* the definition's tail is not a term */
    vs_lexicon_free(la);
    vs_lexicon_free(lb);
    free(a);
    vs_model_free(m[0]);
    vs_model_free(m[1]);
}
END_TEST

static void write_text(const char *p, const char *text) {
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(elicit_errors) {
    vs_model *m[2] = {fake_model(), fake_model()};
    const char *ids[2] = {"a", "a"};
    vs_lexical_elicit_opts o = VS_LEXICAL_ELICIT_OPTS_INIT;
    const char *j = tpath("err.jsonl");
    remove(j);
    size_t w = 7;
    ck_assert_status(vs_lexical_elicit(&w, m, ids, 2, j, &o), VS_EINVAL);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "'a' is given twice"));
    ck_assert_uint_eq(w, 0);
    ids[1] = "b/c";
    ck_assert_status(vs_lexical_elicit(&w, m, ids, 2, j, &o), VS_EINVAL);
    ids[1] = "";
    ck_assert_status(vs_lexical_elicit(&w, m, ids, 2, j, &o), VS_EINVAL);
    ids[1] = "b\xff";
    ck_assert_status(vs_lexical_elicit(&w, m, ids, 2, j, &o), VS_EUTF8);
    ids[1] = "b";
    ck_assert_status(vs_lexical_elicit(&w, m, ids, 0, j, &o), VS_EINVAL);
    ck_assert_status(vs_lexical_elicit(&w, NULL, ids, 2, j, &o), VS_EINVAL);
    ck_assert_status(vs_lexical_elicit(&w, m, ids, 2, NULL, &o), VS_EINVAL);
    o.repeats = 0;
    ck_assert_status(vs_lexical_elicit(&w, m, ids, 2, j, &o), VS_EINVAL);
    o.repeats = 1;
    o.temperature = -1;
    ck_assert_status(vs_lexical_elicit(&w, m, ids, 2, j, &o), VS_EINVAL);
    o.temperature = 0;
    const char *pr[2] = {"List your values.", ""};
    o.prompts = pr;
    o.n_prompts = 2;
    ck_assert_status(vs_lexical_elicit(&w, m, ids, 2, j, &o), VS_EINVAL);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "prompt 2"));
    o.struct_size = 8;
    ck_assert_status(vs_lexical_elicit(&w, m, ids, 2, j, &o), VS_EINVAL);
    FILE *f = fopen(j, "rb");
    ck_assert_ptr_null(f); /* nothing written */
    /* given prompts; a journal of another kind is refused on resume */
    o.struct_size = sizeof o;
    o.n_prompts = 1;
    ck_assert_ok(vs_lexical_elicit(&w, m, ids, 2, j, &o));
    ck_assert_uint_eq(w, 2);
    ck_assert_uint_eq(count_lines(j), 3);
    o.resume = 1;
    const char *other = tpath("other.jsonl");
    write_text(other, "{\"schema\":\"valuespace.runner.journal\",\"version\":1}\n");
    ck_assert_status(vs_lexical_elicit(&w, m, ids, 2, other, &o), VS_EPARSE);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "other.jsonl:1: not an elicitation journal"));
    /* a crash while the header was written: the torn header is written again */
    write_text(other, "{\"schema\":\"valuespace.lex");
    ck_assert_ok(vs_lexical_elicit(&w, m, ids, 2, other, &o));
    ck_assert_uint_eq(w, 2);
    ck_assert_uint_eq(count_lines(other), 3);

    /* vs_lexicon_add_journal: bad journals change nothing */
    vs_lexicon *l = NULL;
    ck_assert_ok(vs_lexicon_create(&l));
    ck_assert_ok(vs_lexicon_add_response(l, "x", "kindness"));
    const char *bad = tpath("bad.jsonl");
    char *good = slurp(j, NULL);
    char text[4096];
    snprintf(text, sizeof text, "%s{\"id\":\"a/prompt-09/r1\",\"model\":\"a\",\"prompt\":9,\"repeat\":1,\"seed\":\"1\","
                                "\"status\":\"ok\"}\n", good);
    write_text(bad, text);
    ck_assert_status(vs_lexicon_add_journal(l, bad), VS_EPARSE);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "bad.jsonl:4: record: \"text\""));
    /* a second successful record of one id */
    const char *first = strchr(good, '\n') + 1;
    snprintf(text, sizeof text, "%s%.*s", good, (int)(strchr(first, '\n') + 1 - first), first);
    write_text(bad, text);
    ck_assert_status(vs_lexicon_add_journal(l, bad), VS_EPARSE);
    ck_assert_ptr_nonnull(strstr(vs_last_error(), "bad.jsonl:4: item 'a/prompt-01/r1' has a second successful record"));
    snprintf(text, sizeof text, "%s{\"schema\"\n", good); /* not a torn line: a complete malformed one */
    write_text(bad, text);
    ck_assert_status(vs_lexicon_add_journal(l, bad), VS_EPARSE);
    ck_assert_status(vs_lexicon_add_journal(l, tpath("missing.jsonl")), VS_ENOTFOUND);
    ck_assert_status(vs_lexicon_add_journal(NULL, j), VS_EINVAL);
    ck_assert_uint_eq(vs_lexicon_response_count(l), 1);
    /* a torn last line is ignored */
    snprintf(text, sizeof text, "%s{\"id\":\"a/pro", good);
    write_text(bad, text);
    ck_assert_ok(vs_lexicon_add_journal(l, bad));
    ck_assert_uint_eq(vs_lexicon_response_count(l), 3);
    free(good);
    vs_lexicon_free(l);
    vs_model_free(m[0]);
    vs_model_free(m[1]);
}
END_TEST

START_TEST(elicit_alloc_failures) {
    vs_model *m = fake_model();
    const char *ids[1] = {"m"};
    const char *j = tpath("alloc.jsonl");
    vs_lexical_elicit_opts o = VS_LEXICAL_ELICIT_OPTS_INIT;
    o.repeats = 2;
    fail5 = 0;
    /* a first run grows the model's batch buffers (kept by the model until it is freed) */
    remove(j);
    ck_assert_ok(vs_lexical_elicit(NULL, &m, ids, 1, j, &o));
    vs_test_alloc_install();
    int done = 0;
    for (long k = 1; !done && k < 100000; k++) {
        remove(j);
        vs_test_alloc_fail_at(k);
        vs_lexicon *l = NULL;
        size_t w = 0;
        int rc = vs_lexical_elicit(&w, &m, ids, 1, j, &o);
        if (rc == VS_OK) rc = vs_lexicon_create(&l);
        if (rc == VS_OK) rc = vs_lexicon_add_journal(l, j);
        if (vs_test_alloc_failed()) {
            ck_assert_msg(rc == VS_ENOMEM, "allocation %ld: %s: %s", k, vs_status_name(rc), vs_last_error());
        } else {
            ck_assert_msg(rc == VS_OK, "%s: %s", vs_status_name(rc), vs_last_error());
            ck_assert_uint_eq(vs_lexicon_response_count(l), 2 * vs_lexical_prompt_count());
            done = 1;
        }
        vs_lexicon_free(l);
        ck_assert_msg(vs_test_alloc_outstanding() == 0, "allocation %ld: %s: leak", k, vs_last_error());
    }
    ck_assert(done);
    vs_test_alloc_uninstall();
    vs_model_free(m);
}
END_TEST

#ifdef VS_HAVE_NGRAM_BACKEND
/* The real ngram backend (a trigram speech model: it cannot list values; this checks the
 * machinery): 2 model ids x 15 prompts x 1 repeat, 20 tokens. */
static void ngram_elicit(const char *j, int resume) {
    vs_model *m[2] = {NULL, NULL};
    ck_assert_ok(vs_ngram_backend_model(&m[0], NULL));
    ck_assert_ok(vs_ngram_backend_model(&m[1], NULL));
    ck_assert_ok(vs_model_set_int(m[1], VS_MODEL_OPT_MAX_BATCH, 3));
    const char *ids[2] = {"ngram-a", "ngram-b"};
    const char *pr[15];
    for (size_t i = 0; i < 15; i++) pr[i] = vs_lexical_prompt(i);
    vs_lexical_elicit_opts o = VS_LEXICAL_ELICIT_OPTS_INIT;
    o.seed = 2026;
    o.max_tokens = 20;
    o.prompts = pr;
    o.n_prompts = 15;
    o.resume = resume;
    size_t w = 0;
    ck_assert_msg(vs_lexical_elicit(&w, m, ids, 2, j, &o) == VS_OK, "%s", vs_last_error());
    vs_model_free(m[0]);
    vs_model_free(m[1]);
}

START_TEST(elicit_ngram) {
    const char *a = tpath("ngram-a.jsonl"), *b = tpath("ngram-b.jsonl");
    remove(a);
    remove(b);
    ngram_elicit(a, 0);
    ck_assert_uint_eq(count_lines(a), 31);
    ngram_elicit(b, 0);
    size_t la, lb;
    char *ta = slurp(a, &la), *tb = slurp(b, &lb);
    ck_assert_str_eq(ta, tb); /* deterministic */
    /* cut inside record 20 and resume: the same file */
    const char *cut = ta;
    for (int i = 0; i < 20; i++) cut = strchr(cut, '\n') + 1;
    FILE *f = fopen(b, "wb");
    fwrite(ta, 1, (size_t)(cut - ta) + 30, f);
    fclose(f);
    ngram_elicit(b, 1);
    free(tb);
    tb = slurp(b, &lb);
    ck_assert_str_eq(ta, tb);
    /* the journal feeds a lexicon: responses of both models */
    vs_lexicon *l = NULL;
    ck_assert_ok(vs_lexicon_create(&l));
    ck_assert_ok(vs_lexicon_add_journal(l, a));
    ck_assert_uint_eq(vs_lexicon_response_count(l), 30);
    ck_assert_ok(vs_lexicon_set_int(l, VS_LEXICON_OPT_MIN_MODELS, 2));
    size_t models = 0;
    for (size_t jj = 0; jj < vs_lexicon_term_count(l); jj++) {
        ck_assert_ok(vs_lexicon_term_stats(NULL, &models, l, jj));
        ck_assert_uint_eq(models, 2);
    }
    vs_lexicon_free(l);
    free(ta);
    free(tb);
}
END_TEST
#endif

static Suite *suite(void) {
    Suite *s = suite_create("lexical");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, parse_lists);
    tcase_add_test(tc, parse_inline);
    tcase_add_test(tc, parse_lemma_stop);
    tcase_add_test(tc, filters);
    tcase_add_test(tc, csv_and_vectors);
    suite_add_tcase(s, tc);
    tc = tcase_create("analyze");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, recover_structure, 0, 4);
    tcase_add_test(tc, analyze_errors);
    tcase_add_test(tc, alloc_failures);
    suite_add_tcase(s, tc);
    tc = tcase_create("elicit");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, prompts_builtin);
    tcase_add_test(tc, elicit_fake);
    tcase_add_test(tc, elicit_line_limit);
    tcase_add_test(tc, elicit_errors);
    tcase_add_test(tc, elicit_alloc_failures);
#ifdef VS_HAVE_NGRAM_BACKEND
    tcase_add_test(tc, elicit_ngram);
#endif
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(suite()); }
