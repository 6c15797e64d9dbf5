/* The demo's second part: when the ngram backend is built, the valuelex bank on the CMU trigram
 * model under three model settings (max_tokens 10, 15, 20; the loglik judge), compared with
 * `projective compare` into DIR/projective/. A trigram model says nothing about values, and the
 * loglik judge does not generate, so the three columns must come out alike: the part shows the
 * machinery of a comparison on a real model, not a finding. Without the backend the demo says
 * how to get it and goes on. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "demo.h"
#include "projective_compare.h"

const char demo_projective_caveat[] =
    "The CMU trigram model conditions on two words and was built for speech recognition: it can "
    "exercise the runner, the journals and the comparison end to end, offline, but its judgements say "
    "nothing about values. The loglik judge compares the likelihood of each item's two keyed "
    "continuations and generates nothing, so a generation setting such as max_tokens cannot change "
    "them: the three columns are expected to agree, and their differences are 0. Real comparisons need "
    "real models behind the callbacks (or the openai backend).";

int demo_projective(demo *d) {
#ifdef VS_HAVE_NGRAM_BACKEND
    char dir[4000], journal[3][4200], seed[32];
    snprintf(dir, sizeof dir, "%s/projective", d->out_dir);
    snprintf(seed, sizeof seed, "%zu", d->seed);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "valuespace: demo: cannot create %s: %s\n", dir, strerror(errno));
        return 1;
    }
    static const char *const tokens[3] = {"max_tokens=10", "max_tokens=15", "max_tokens=20"};
    printf("\n== part 2: the valuelex bank on the ngram backend (CMU trigram model), loglik judge, three model "
           "settings\n");
    for (int i = 0; i < 3; i++) {
        snprintf(journal[i], sizeof journal[i], "%s/run-%s.jsonl", dir, tokens[i] + 11);
        if (unlink(journal[i]) != 0 && errno != ENOENT) { /* a journal of an earlier demo in DIR */
            fprintf(stderr, "valuespace: demo: cannot replace %s: %s\n", journal[i], strerror(errno));
            return 1;
        }
        char *argv[] = {"projective", "run", "--bank", "valuelex", "--backend", "ngram", "--backend-opt",
                        (char *)tokens[i], "--judge", "loglik", "--repeats", "1", "--seed", seed, "--journal",
                        journal[i], NULL};
        printf("\n-- ngram %s\n", tokens[i]);
        fflush(stdout);
        int st = cmd_projective((int)(sizeof argv / sizeof argv[0]) - 1, argv);
        if (st != 0) return st;
    }
    char *argv[] = {"compare", journal[0], journal[1], journal[2], "--out", dir, NULL};
    printf("\n-- compared\n");
    fflush(stdout);
    int st = projective_compare((int)(sizeof argv / sizeof argv[0]) - 1, argv);
    if (st == 0) {
        printf("%s\n", demo_projective_caveat);
        d->projective_part = 1;
    }
    return st;
#else
    printf("\n== part 2 (projective runs compared) is off: built without the ngram backend. Install Debian's "
           "pocketsphinx-en-us and libsphinxbase-dev and rebuild to get it (a trigram model run offline through the "
           "projective runner, three settings compared in DIR/projective/).\n");
    d->projective_part = 0;
    return 0;
#endif
}
