/* A program written against the former names (README, "Deprecated names"; the list is
 * tests/abi/renamed.txt): it compiles and links against the shared library, and each former
 * name returns what its new name returns, on objects where the answer is known.
 * It defines VS_NO_DEPRECATION_WARNINGS, the documented way to silence the deprecation
 * warnings (check-old-names.sh checks that they are on by default). */
#define VS_NO_DEPRECATION_WARNINGS
#include <stdio.h>
#include <string.h>

#include "valuespace.h"

static int failures;

#define SAME(old_call, new_call, want)                                                          \
    do {                                                                                         \
        size_t o_ = (size_t)(old_call), n_ = (size_t)(new_call), w_ = (size_t)(want);            \
        if (o_ != n_ || n_ != w_) {                                                              \
            fprintf(stderr, "%s:%d: %s = %zu, %s = %zu, want %zu\n", __FILE__, __LINE__, #old_call, \
                    o_, #new_call, n_, w_);                                                      \
            failures++;                                                                          \
        }                                                                                        \
    } while (0)

#define OK(call)                                                                      \
    do {                                                                              \
        int rc_ = (call);                                                             \
        if (rc_ != VS_OK) {                                                           \
            fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, vs_last_error()); \
            return 1;                                                                 \
        }                                                                             \
    } while (0)

int main(void) {
    vs_space *space = NULL;
    OK(vs_space_builtin(&space, "schwartz10"));
    const size_t k = 10; /* schwartz10 level 0: the ten basic values */
    SAME(vs_space_level_size(space, 0), vs_space_level_dimension_count(space, 0), k);

    vs_vector *v = NULL;
    OK(vs_vector_create(&v, space, 0));
    SAME(vs_vector_size(v), vs_vector_dimension_count(v), k);
    vs_vector_free(v);

    /* accum: 3 dimensions, 20 replicates, 7 rows */
    vs_accum *acc = NULL;
    OK(vs_accum_create(&acc, 3, 20, 9));
    for (int i = 0; i < 7; i++) {
        char id[16];
        snprintf(id, sizeof id, "item-%d", i);
        const double x[3] = {1.0, 2.0, (double)i};
        OK(vs_accum_add_id(acc, id, x, 3));
    }
    SAME(vs_accum_dims(acc), vs_accum_dimension_count(acc), 3);
    SAME(vs_accum_replicates(acc), vs_accum_replicate_count(acc), 20);
    SAME(vs_accum_rows(acc), vs_accum_row_count(acc), 7);
    vs_accum_free(acc);

    /* fa: one factor with loadings .8 .7 .6 .5 (r_ij = l_i l_j) */
    const double l[4] = {0.8, 0.7, 0.6, 0.5};
    double r[16];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) r[i * 4 + j] = i == j ? 1.0 : l[i] * l[j];
    vs_fa_data *data = NULL;
    vs_fa *fa = NULL;
    vs_fa_result *res = NULL;
    OK(vs_fa_data_from_cor(&data, r, 4, 4, 200.0));
    OK(vs_fa_create(&fa));
    OK(vs_fa_fit(&res, fa, data));
    SAME(vs_fa_data_nvars(data), vs_fa_data_variable_count(data), 4);
    SAME(vs_fa_result_nvars(res), vs_fa_result_variable_count(res), 4);
    SAME(vs_fa_result_nfactors(res), vs_fa_result_factor_count(res), 1);
    vs_fa_result_free(res);
    vs_fa_free(fa);
    vs_fa_data_free(data);

    /* dataset: three records in two groups (sources), labels over schwartz10's level 0 */
    static const char jsonl[] = "{\"text\": \"help\", \"group\": \"a\", \"benevolence\": 1}\n"
                                "{\"text\": \"money\", \"group\": \"b\", \"power\": 1}\n"
                                "{\"text\": \"care\", \"group\": \"a\", \"benevolence\": 1}\n";
    vs_dataset_options opt = VS_DATASET_OPTIONS_INIT;
    opt.flags = VS_DATASET_JSONL;
    opt.space = space;
    vs_dataset *ds = NULL;
    OK(vs_dataset_read(&ds, jsonl, strlen(jsonl), "old_names", &opt));
    SAME(vs_dataset_label_size(ds, 0), vs_dataset_label_dimension_count(ds, 0), k);
    SAME(vs_dataset_source_size(ds, 0), vs_dataset_source_record_count(ds, 0), 2);
    SAME(vs_dataset_source_size(ds, 1), vs_dataset_source_record_count(ds, 1), 1);
    vs_dataset_free(ds);

    /* evaluator: the built-in model trained on 12 responses, 3-fold cross-validation */
    const char *responses[12];
    double labels[12 * 10];
    memset(labels, 0, sizeof labels);
    size_t power = 0, benev = 0;
    OK(vs_space_find(&power, space, 0, "power"));
    OK(vs_space_find(&benev, space, 0, "benevolence"));
    for (size_t i = 0; i < 12; i++) {
        responses[i] = i % 2 ? "power and money" : "I help my friends";
        labels[i * k + (i % 2 ? power : benev)] = 1.0;
    }
    vs_evaluator *ev = NULL;
    OK(vs_evaluator_create(&ev, space, 0));
    OK(vs_evaluator_train(ev, NULL, responses, labels, 12));
    SAME(vs_evaluator_size(ev), vs_evaluator_dimension_count(ev), k);
    size_t buckets = vs_evaluator_active_bucket_count(ev);
    if (buckets == 0) {
        fprintf(stderr, "a trained evaluator has no active bucket\n");
        failures++;
    }
    SAME(vs_evaluator_active_buckets(ev), vs_evaluator_active_bucket_count(ev), buckets);
    vs_evaluator_cv *cv = NULL;
    OK(vs_evaluator_cv_run(&cv, ev, NULL, responses, labels, NULL, 12, 3, 1));
    SAME(vs_evaluator_cv_size(cv), vs_evaluator_cv_dimension_count(cv), k);
    SAME(vs_evaluator_cv_folds(cv), vs_evaluator_cv_fold_count(cv), 3);
    vs_evaluator_cv_free(cv);
    vs_evaluator_free(ev);

    /* profiles: group 4 holds rows (1, 0) and (0, 1), group 9 holds (1, 1) */
    const double values[6] = {1, 0, 0, 1, 1, 1};
    const size_t groups[3] = {4, 4, 9};
    vs_evaluator_profile *pr = NULL;
    OK(vs_evaluator_profile_compute(&pr, values, 3, 2, groups, NULL, 0.3, 0, 0.95, 0));
    SAME(vs_evaluator_profile_size(pr), vs_evaluator_profile_dimension_count(pr), 2);
    SAME(vs_evaluator_profile_group_size(pr, 0), vs_evaluator_profile_group_item_count(pr, 0), 2);
    SAME(vs_evaluator_profile_group_size(pr, 1), vs_evaluator_profile_group_item_count(pr, 1), 1);
    vs_evaluator_profile_free(pr);

    /* model results before any run: no items */
    vs_model_results *mr = NULL;
    OK(vs_model_results_create(&mr));
    SAME(vs_model_results_size(mr), vs_model_results_item_count(mr), 0);
    vs_model_results_free(mr);
    /* and NULL handles, where every accessor documents 0 */
    SAME(vs_accum_dims(NULL), vs_accum_dimension_count(NULL), 0);
    SAME(vs_fa_result_nfactors(NULL), vs_fa_result_factor_count(NULL), 0);
    SAME(vs_evaluator_size(NULL), vs_evaluator_dimension_count(NULL), 0);

    vs_space_free(space);
    if (failures) {
        fprintf(stderr, "%d former name(s) disagree with their new names\n", failures);
        return 1;
    }
    printf("every former name returns what its new name returns\n");
    return 0;
}
