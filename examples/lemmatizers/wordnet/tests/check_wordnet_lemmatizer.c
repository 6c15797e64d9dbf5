/* Tests of the WordNet lemmatiser example against Debian's WordNet 3.0 (wordnet-base).
 *
 * Independent references: every expected lemma was derived by hand from the dictionary files
 * in /usr/share/wordnet (grep "^WORD " index.POS and POS.exc) and Morphy's documented rules
 * (morphy(7WN): noun "-s" -> "", "-ses" -> "-s", "-ies" -> "-y", ...; verb "-ing" -> "",
 * "-ing" -> "-e", ...; adjective "-er", "-est"; exception lists first), applied in the order
 * noun, adjective, verb, adverb of wordnet_lemmatizer.h:
 *   values      noun "-s": value (index.noun has value; also values itself - Morphy's form first)
 *   kindnesses  noun "-ses" -> "-s": kindness (index.noun); not in any index or .exc file
 *   children    noun.exc:357 "children child"
 *   freedoms    noun "-s": freedom (index.noun)
 *   ethics      noun "-s": ethic (index.noun has both ethic and ethics)
 *   data        noun.exc:506 "data datum"
 *   axes        noun.exc:177 "axes ax axis": the first form
 *   has         noun "-s": ha (index.noun: hahnium) - before verb.exc:873 "has have"
 *   better      no noun form; index.noun has better: kept (adj.exc:46 "better good well" is
 *               not reached)
 *   caring      no noun form; index.noun and index.adj have caring: kept
 *   angriest    no noun form, in no index; adj.exc:7 "angriest angry"
 *   achieving   in no index, no noun or adjective form; verb "-ing" -> "": achieve (index.verb)
 *   ran         in no index; verb.exc:1512 "ran run"
 *   is          noun.exc:989 "is is" gives nothing new and index.noun lacks is; verb.exc:977
 *               "is be"
 *   honestly    only index.adv has honestly: kept, adverb
 *   human rights  noun "-s" on the collocation: human_right (index.noun) -> "human right"
 *   looked up   verb + preposition: look_up (index.verb:6170)
 *   stood for   verb + preposition, the verb from verb.exc:1930 "stood stand": stand_for
 *               (index.verb:9811)
 *   caring for  verb + preposition, verb "-ing" -> "-e": care_for (index.verb:1531); no noun
 *               or adjective caring_for
 *   open-mindedness, family values, xyzzyq: in no index or .exc file, no form -> unchanged
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wordnet_lemmatizer.h"

typedef struct expect {
    const char *term, *lemma;
    int pos;
} expect;

static const expect table[] = {
    {"values", "value", VS_WORDNET_NOUN},
    {"kindnesses", "kindness", VS_WORDNET_NOUN},
    {"children", "child", VS_WORDNET_NOUN},
    {"freedoms", "freedom", VS_WORDNET_NOUN},
    {"ethics", "ethic", VS_WORDNET_NOUN},
    {"data", "datum", VS_WORDNET_NOUN},
    {"axes", "ax", VS_WORDNET_NOUN},
    {"has", "ha", VS_WORDNET_NOUN},
    {"better", "better", VS_WORDNET_NOUN},
    {"caring", "caring", VS_WORDNET_NOUN},
    {"value", "value", VS_WORDNET_NOUN},
    {"angriest", "angry", VS_WORDNET_ADJ},
    {"achieving", "achieve", VS_WORDNET_VERB},
    {"ran", "run", VS_WORDNET_VERB},
    {"is", "be", VS_WORDNET_VERB},
    {"honestly", "honestly", VS_WORDNET_ADV},
    {"human rights", "human right", VS_WORDNET_NOUN},
    {"looked up", "look up", VS_WORDNET_VERB},
    {"stood for", "stand for", VS_WORDNET_VERB},
    {"caring for", "care for", VS_WORDNET_VERB},
    {"open-mindedness", "open-mindedness", VS_WORDNET_UNKNOWN},
    {"family values", "family values", VS_WORDNET_UNKNOWN},
    {"xyzzyq", "xyzzyq", VS_WORDNET_UNKNOWN},
    /* case: looked up in lower case; a term kept as it is keeps its case */
    {"Values", "value", VS_WORDNET_NOUN},
    {"CHILDREN", "child", VS_WORDNET_NOUN},
    {"Better", "Better", VS_WORDNET_NOUN},
    /* not looked up: non-ASCII, '_', spaces at the ends or doubled, empty */
    {"honn\xC3\xAAtet\xC3\xA9s", "honn\xC3\xAAtet\xC3\xA9s", VS_WORDNET_UNKNOWN},
    {"human_rights", "human_rights", VS_WORDNET_UNKNOWN},
    {" values", " values", VS_WORDNET_UNKNOWN},
    {"values ", "values ", VS_WORDNET_UNKNOWN},
    {"human  rights", "human  rights", VS_WORDNET_UNKNOWN},
    {"values\t", "values\t", VS_WORDNET_UNKNOWN},
    {"", "", VS_WORDNET_UNKNOWN},
};
#define NTABLE (sizeof table / sizeof table[0])

static void check_entry(const expect *e) {
    char buf[VS_LEXICON_MAX_TERM_BYTES + 1];
    size_t need = 0;
    int pos = -1;
    memset(buf, 'x', sizeof buf);
    ck_assert_msg(vs_wordnet_lemmatize(&need, &pos, e->term, buf, sizeof buf) == VS_OK, "term '%s'", e->term);
    ck_assert_msg(strcmp(buf, e->lemma) == 0, "term '%s': lemma '%s', expected '%s'", e->term, buf, e->lemma);
    ck_assert_msg(pos == e->pos, "term '%s': part of speech %d, expected %d", e->term, pos, e->pos);
    ck_assert_uint_eq(need, strlen(e->lemma) + 1);
}

/* Must run before anything opens the dictionary in this process (with CK_FORK=no, the test
 * order is the order they are added; with fork, every test starts from the unopened parent). */
START_TEST(test_missing_dictionary) {
    const char *old = getenv("WNSEARCHDIR");
    char *saved = old ? strdup(old) : NULL;
    ck_assert_int_eq(setenv("WNSEARCHDIR", "/nonexistent/wordnet", 1), 0);
    char buf[64] = "unchanged";
    size_t need = 7;
    int pos = 9;
    ck_assert_int_eq(vs_wordnet_lemmatizer_open(), VS_ENOTFOUND);
    ck_assert_int_eq(vs_wordnet_lemmatize(&need, &pos, "values", buf, sizeof buf), VS_ENOTFOUND);
    ck_assert_uint_eq(need, 0);
    ck_assert_int_eq(pos, VS_WORDNET_UNKNOWN);
    ck_assert_str_eq(buf, "");
    ck_assert_int_eq(vs_wordnet_lemma_fn(NULL, "values", buf, sizeof buf), VS_ENOTFOUND);
    /* a later call with the dictionary in place opens it */
    if (saved) setenv("WNSEARCHDIR", saved, 1);
    else unsetenv("WNSEARCHDIR");
    free(saved);
    ck_assert_msg(vs_wordnet_lemmatizer_open() == VS_OK, "WordNet's dictionary cannot be opened: install wordnet-base");
    ck_assert_int_eq(vs_wordnet_lemmatizer_open(), VS_OK);
}
END_TEST

START_TEST(test_table) {
    for (size_t i = 0; i < NTABLE; i++) check_entry(&table[i]);
}
END_TEST

/* Morphy's static state does not carry from one term to the next: the table backwards and
 * interleaved with terms that have several forms (axes, better) gives the same answers. */
START_TEST(test_order_independent) {
    for (size_t i = NTABLE; i-- > 0;) {
        check_entry(&table[i]);
        check_entry(&table[6]); /* axes: ax, axis */
        check_entry(&table[8]); /* better */
        check_entry(&table[i]);
    }
}
END_TEST

START_TEST(test_long_terms) {
    /* terms longer than VS_WORDNET_MAX_TERM are not looked up; up to it they are */
    char term[400], buf[400];
    size_t need = 0;
    int pos = -1;
    memset(term, 'a', sizeof term);
    memcpy(term + VS_WORDNET_MAX_TERM - 6, "values", 7); /* 121 'a' + "values": 127 bytes */
    ck_assert_uint_eq(strlen(term), VS_WORDNET_MAX_TERM);
    ck_assert_int_eq(vs_wordnet_lemmatize(&need, &pos, term, buf, sizeof buf), VS_OK);
    ck_assert_str_eq(buf, term); /* looked up, unknown */
    ck_assert_int_eq(pos, VS_WORDNET_UNKNOWN);
    memset(term, 'a', sizeof term);
    memcpy(term + VS_WORDNET_MAX_TERM - 5, "values", 7); /* 128 bytes */
    ck_assert_int_eq(vs_wordnet_lemmatize(&need, &pos, term, buf, sizeof buf), VS_OK);
    ck_assert_str_eq(buf, term);
    ck_assert_uint_eq(need, VS_WORDNET_MAX_TERM + 2);
    memset(term, 's', sizeof term - 1);
    term[sizeof term - 1] = '\0';
    ck_assert_int_eq(vs_wordnet_lemmatize(&need, &pos, term, buf, sizeof buf), VS_OK);
    ck_assert_uint_eq(need, sizeof term);
    ck_assert_str_eq(buf, term);
    /* a long collocation of known words, at the limit: WordNet has no such collocation */
    term[0] = '\0';
    while (strlen(term) + 7 + 5 <= VS_WORDNET_MAX_TERM) strcat(term, "values ");
    strcat(term, "value");
    ck_assert_uint_le(strlen(term), VS_WORDNET_MAX_TERM);
    ck_assert_int_eq(vs_wordnet_lemmatize(&need, &pos, term, buf, sizeof buf), VS_OK);
    ck_assert_str_eq(buf, term);
}
END_TEST

START_TEST(test_buffers_and_arguments) {
    char buf[16];
    size_t need = 0;
    int pos = -1;
    /* "children" -> "child": 6 bytes with the NUL */
    memset(buf, 'x', sizeof buf);
    ck_assert_int_eq(vs_wordnet_lemmatize(&need, &pos, "children", buf, 5), VS_EBUFSIZE);
    ck_assert_uint_eq(need, 6);
    ck_assert_int_eq(buf[0], '\0');
    ck_assert_int_eq(pos, VS_WORDNET_UNKNOWN);
    ck_assert_int_eq(vs_wordnet_lemmatize(&need, &pos, "children", buf, 6), VS_OK);
    ck_assert_str_eq(buf, "child");
    ck_assert_int_eq(pos, VS_WORDNET_NOUN);
    /* size query */
    need = 0;
    ck_assert_int_eq(vs_wordnet_lemmatize(&need, NULL, "children", NULL, 0), VS_EBUFSIZE);
    ck_assert_uint_eq(need, 6);
    /* a term kept as it is needs its own size */
    ck_assert_int_eq(vs_wordnet_lemmatize(&need, NULL, "xyzzyq", buf, 6), VS_EBUFSIZE);
    ck_assert_uint_eq(need, 7);
    /* the empty term fits in one byte */
    ck_assert_int_eq(vs_wordnet_lemmatize(&need, NULL, "", buf, 1), VS_OK);
    ck_assert_uint_eq(need, 1);
    ck_assert_int_eq(vs_wordnet_lemmatize(&need, NULL, "", buf, 0), VS_EBUFSIZE);
    /* invalid arguments */
    memset(buf, 'x', sizeof buf);
    ck_assert_int_eq(vs_wordnet_lemmatize(&need, &pos, NULL, buf, sizeof buf), VS_EINVAL);
    ck_assert_uint_eq(need, 0);
    ck_assert_int_eq(pos, VS_WORDNET_UNKNOWN);
    ck_assert_int_eq(buf[0], '\0');
    ck_assert_int_eq(vs_wordnet_lemmatize(&need, &pos, "values", NULL, 8), VS_EINVAL);
    ck_assert_int_eq(vs_wordnet_lemmatize(NULL, NULL, "values", buf, sizeof buf), VS_OK);
    ck_assert_str_eq(buf, "value");
    /* the lexicon callback: same answers and codes, user_data ignored */
    ck_assert_int_eq(vs_wordnet_lemma_fn(NULL, "kindnesses", buf, sizeof buf), VS_OK);
    ck_assert_str_eq(buf, "kindness");
    ck_assert_int_eq(vs_wordnet_lemma_fn((void *)buf, "ran", buf + 8, 8), VS_OK);
    ck_assert_str_eq(buf + 8, "run");
    ck_assert_int_eq(vs_wordnet_lemma_fn(NULL, "kindnesses", buf, 4), VS_EBUFSIZE);
    ck_assert_int_eq(vs_wordnet_lemma_fn(NULL, NULL, buf, sizeof buf), VS_EINVAL);
}
END_TEST

/* Through a lexicon: parsed terms are lemmatised, and forms of one lemma count together. */
static vs_lexicon *lemmatised_lexicon(int *status) {
    vs_lexicon *l = NULL;
    int st = vs_lexicon_create(&l);
    if (st == VS_OK) st = vs_lexicon_set_lemmatizer(l, vs_wordnet_lemma_fn, NULL);
    if (st == VS_OK)
        st = vs_lexicon_add_response(l, "m1",
                                     "1. Values\n2. **Kindnesses**\n3. Children\n4. Human rights\n"
                                     "5. Open-mindedness\n6. Honestly");
    if (st == VS_OK) st = vs_lexicon_add_response(l, "m2", "My values: value, kindness, freedoms; freedom");
    if (st == VS_OK) st = vs_lexicon_add_response(l, "m3", "Ran, running, run.");
    *status = st;
    if (st != VS_OK) {
        vs_lexicon_free(l);
        return NULL;
    }
    return l;
}

START_TEST(test_lexicon) {
    int st;
    vs_lexicon *l = lemmatised_lexicon(&st);
    ck_assert_msg(st == VS_OK, "%s", vs_last_error());
    static const char *const r0[] = {"value", "kindness", "child", "human right", "open-mindedness", "honestly"};
    ck_assert_uint_eq(vs_lexicon_response_term_count(l, 0), 6);
    for (size_t j = 0; j < 6; j++) ck_assert_str_eq(vs_lexicon_response_term(l, 0, j), r0[j]);
    /* "value" twice and "freedom" twice in one response count in one column each */
    ck_assert_uint_eq(vs_lexicon_response_term_count(l, 1), 3);
    ck_assert_str_eq(vs_lexicon_response_term(l, 1, 0), "value");
    ck_assert_str_eq(vs_lexicon_response_term(l, 1, 1), "kindness");
    ck_assert_str_eq(vs_lexicon_response_term(l, 1, 2), "freedom");
    /* ran -> run (verb.exc:1512); running: index.noun:91713 has it, so the noun comes first and
     * it is kept (verb.exc:1632 "running run" is not reached) */
    ck_assert_uint_eq(vs_lexicon_response_term_count(l, 2), 2);
    ck_assert_str_eq(vs_lexicon_response_term(l, 2, 0), "run");
    ck_assert_str_eq(vs_lexicon_response_term(l, 2, 1), "running");
    /* kept terms by decreasing total count, ties by bytes: freedom (2, in m2), kindness (m1,
     * m2), run (2, in m3), value (m1, m2); then the five terms counted once */
    static const char *const kept[] = {"freedom", "kindness", "run", "value", "child", "honestly",
                                       "human right", "open-mindedness", "running"};
    static const double totals[] = {2, 2, 2, 2, 1, 1, 1, 1, 1};
    static const size_t nmodels[] = {1, 2, 1, 2, 1, 1, 1, 1, 1};
    ck_assert_uint_eq(vs_lexicon_term_count(l), 9);
    for (size_t j = 0; j < 9; j++) {
        double total = 0;
        size_t models = 0;
        ck_assert_str_eq(vs_lexicon_term(l, j), kept[j]);
        ck_assert_ok(vs_lexicon_term_stats(&total, &models, l, j));
        ck_assert_near(total, totals[j], 0);
        ck_assert_uint_eq(models, nmodels[j]);
    }
    vs_lexicon_free(l);
}
END_TEST

/* Allocation failures in the lexicon around the lemmatiser: VS_ENOMEM, nothing leaked. */
START_TEST(test_alloc_failures) {
    ck_assert_ok(vs_wordnet_lemmatizer_open()); /* libwordnet's own allocations happen first */
    int done = 0;
    for (long n = 1; n < 100000 && !done; n++) {
        vs_test_alloc_install();
        vs_test_alloc_fail_at(n);
        int st;
        vs_lexicon *l = lemmatised_lexicon(&st);
        int failed = vs_test_alloc_failed();
        vs_lexicon_free(l);
        long outstanding = vs_test_alloc_outstanding();
        vs_test_alloc_uninstall();
        ck_assert_int_eq(outstanding, 0);
        if (failed) {
            ck_assert_int_eq(st, VS_ENOMEM);
            ck_assert_ptr_null(l);
        } else {
            ck_assert_int_eq(st, VS_OK);
            done = 1;
        }
    }
    ck_assert(done);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("wordnet_lemmatizer");
    TCase *tc = tcase_create("wordnet");
    tcase_add_test(tc, test_missing_dictionary);
    tcase_add_test(tc, test_table);
    tcase_add_test(tc, test_order_independent);
    tcase_add_test(tc, test_long_terms);
    tcase_add_test(tc, test_buffers_and_arguments);
    tcase_add_test(tc, test_lexicon);
    tcase_add_test(tc, test_alloc_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return vs_test_run(suite()); }
