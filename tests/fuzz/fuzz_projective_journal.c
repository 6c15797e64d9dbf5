/* Fuzz target: a projective journal through the public API only (so that it keeps working when
 * the journal layer is rewritten): the header (vs_runner_journal_header_read), a resume
 * (vs_runner_create_from_journal + vs_runner_resume with a fake forced-choice model over the
 * built-in valuelex bank), and merging (vs_runner_merge_journals of the input with itself and
 * of its two halves split at the first byte's proportion). */
#include <string.h>
#include <unistd.h>
#include <valuespace.h>

#include "fuzz_util.h"

/* The shorter continuation is the likelier one: deterministic and fast. */
static int loglik(void *user_data, vs_model_batch *batch, const vs_model_loglik_request *const *requests, size_t n,
                  double *logprob, int *is_greedy, int *status) {
    (void)user_data;
    (void)batch;
    (void)status;
    for (size_t i = 0; i < n; i++) {
        logprob[i] = -(double)strlen(requests[i]->continuation);
        if (is_greedy) is_greedy[i] = 0;
    }
    return VS_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static vs_bank *bank;
    static vs_model *model;
    if (!bank) {
        vs_model_callbacks cb = VS_MODEL_CALLBACKS_INIT;
        cb.loglikelihood = loglik;
        if (vs_bank_builtin(&bank, "valuelex") != VS_OK || vs_model_create(&model, &cb, NULL) != VS_OK) return 0;
    }
    if (size < 1) return 0;
    size_t cut = 1 + (size - 1) * data[0] / 256;
    char path[64], path1[64], path2[64];
    int fd = vs_fuzz_file(path, data + 1, size - 1);
    int fd1 = vs_fuzz_file(path1, data + 1, cut - 1);
    int fd2 = vs_fuzz_file(path2, data + cut, size - cut);
    if (fd >= 0 && fd1 >= 0 && fd2 >= 0) {
        vs_runner_journal_header *h = NULL;
        if (vs_runner_journal_header_read(&h, path) == VS_OK) vs_runner_journal_header_free(h);
        vs_runner_result *res = NULL;
        const char *pair[2] = {path1, path2};
        if (vs_runner_merge_journals(&res, pair, 2) == VS_OK) vs_fuzz_use(vs_runner_result_done(res));
        vs_runner_result_free(res);
        res = NULL;
        const char *self[2] = {path, path};
        if (vs_runner_merge_journals(&res, self, 2) == VS_OK) vs_fuzz_use(vs_runner_result_done(res));
        vs_runner_result_free(res);
        res = NULL;
        vs_runner *r = NULL;
        if (vs_runner_create_from_journal(&r, path, bank, model, NULL) == VS_OK) {
            if (vs_runner_resume(&res, r) == VS_OK) vs_fuzz_use(vs_runner_result_failed(res));
            vs_runner_result_free(res);
            vs_runner_free(r);
        }
    }
    if (fd >= 0) close(fd);
    if (fd1 >= 0) close(fd1);
    if (fd2 >= 0) close(fd2);
    return 0;
}
