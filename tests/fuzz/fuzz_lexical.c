/* Fuzz target: the lexical layer's input files, by the first byte: an elicitation journal
 * (vs_lexical_journal_failures, vs_lexicon_add_journal), a term-matrix CSV
 * (vs_lexicon_load_csv) or a word-vector file (vs_wordvecs_load). */
#include <unistd.h>
#include <valuespace.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    char path[64];
    int fd = vs_fuzz_file(path, data + 1, size - 1);
    if (fd < 0) return 0;
    switch (data[0] % 3) {
    case 0: {
        uint64_t ok = 0, failed = 0;
        char *id = NULL, *err = NULL;
        if (vs_lexical_journal_failures(&ok, &failed, &id, &err, path) == VS_OK) vs_fuzz_use((size_t)(ok + failed));
        vs_free(id);
        vs_free(err);
        vs_lexicon *lx = NULL;
        if (vs_lexicon_create(&lx) == VS_OK && vs_lexicon_add_journal(lx, path) == VS_OK)
            vs_fuzz_use(vs_lexicon_term_count(lx));
        vs_lexicon_free(lx);
        break;
    }
    case 1: {
        vs_lexicon *lx = NULL;
        if (vs_lexicon_load_csv(&lx, path) == VS_OK) vs_fuzz_use(vs_lexicon_term_count(lx));
        vs_lexicon_free(lx);
        break;
    }
    default: {
        vs_wordvecs *wv = NULL;
        if (vs_wordvecs_load(&wv, path) == VS_OK) vs_fuzz_use(vs_wordvecs_count(wv));
        vs_wordvecs_free(wv);
        break;
    }
    }
    close(fd);
    return 0;
}
