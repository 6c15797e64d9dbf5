/* Merging the journals of a run's shards (or of one run) into one result: headers must agree
 * but for the informational fields, each shard counted once, records added in file order. */
#include <stdio.h>
#include <string.h>

#include "projective/runner_internal.h"

int vs_runner_merge_journals(vs_runner_result **out, const char *const *paths, size_t n) {
    if (out) *out = NULL;
    if (!out || !paths || n == 0) return vs__error(VS_EINVAL, "vs_runner_merge_journals: NULL argument or no journal");
    for (size_t i = 0; i < n; i++)
        if (!paths[i]) return vs__error(VS_EINVAL, "vs_runner_merge_journals: path %zu is NULL", i);
    vs__runner_journal first, cur;
    memset(&cur, 0, sizeof cur);
    int rc = vs__runner_journal_read(&first, paths[0], 0);
    if (rc != VS_OK) return rc;
    if (!first.has_header) {
        vs__runner_journal_clear(&first);
        return vs__error(VS_EPARSE, "vs_runner_merge_journals: '%s' has no journal header", paths[0]);
    }
    unsigned char *seen = vs__calloc((size_t)first.config.shard_count, 1);
    vs_runner_result *res = NULL;
    if (!seen) {
        rc = vs__nomem("vs_runner_merge_journals");
        goto done;
    }
    rc = vs__runner_result_new(&res, &first.config);
    if (rc != VS_OK) goto done;
    for (size_t i = 0; i < n && rc == VS_OK; i++) {
        const vs__runner_journal *j = &first;
        if (i > 0) {
            rc = vs__runner_journal_read(&cur, paths[i], 0);
            if (rc != VS_OK) break;
            if (!cur.has_header) {
                rc = vs__error(VS_EPARSE, "vs_runner_merge_journals: '%s' has no journal header", paths[i]);
                break;
            }
            char what[600];
            snprintf(what, sizeof what, "vs_runner_merge_journals: '%.250s' and '%.250s'", paths[0], paths[i]);
            static const char *const informational[] = {"bank_ref", "shard", NULL};
            rc = vs__jsonl_header_compare(first.header, cur.header, informational, what);
            if (rc != VS_OK) break;
            if (first.config.shard_count != cur.config.shard_count) {
                rc = vs__error(VS_EMISMATCH, "%s: the shard counts differ: %lld vs %lld", what,
                               (long long)first.config.shard_count, (long long)cur.config.shard_count);
                break;
            }
            j = &cur;
        }
        size_t k = (size_t)j->config.shard_index;
        if (seen[k]) {
            rc = vs__error(VS_EDUPLICATE, "vs_runner_merge_journals: '%s': shard %zu/%lld is given twice", paths[i], k,
                           (long long)j->config.shard_count);
            break;
        }
        seen[k] = 1;
        rc = vs__runner_result_add_records(res, j->recs, j->nrec);
        vs__runner_journal_clear(&cur);
    }
done:
    vs__runner_journal_clear(&cur);
    vs__runner_journal_clear(&first);
    vs__free(seen);
    if (rc != VS_OK) {
        vs_runner_result_free(res);
        return rc;
    }
    *out = res;
    return VS_OK;
}
