/* Early stop when a run's first items all fail the same way (VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES):
 * a server that is down or an endpoint that cannot serve the request fails every item with one
 * message, and sending the rest of a long run only wastes time. One success or one different
 * failure among the first N means the cause is not general: the rule is off for the run. */
#include <stdio.h>
#include <string.h>

#include "model/model_internal.h"

void vs__same_failures_init(vs__same_failures *sf, int64_t limit) {
    memset(sf, 0, sizeof *sf);
    sf->limit = limit;
    sf->off = limit <= 0;
}

int vs__same_failures_add(vs__same_failures *sf, int status, const char *msg) {
    if (sf->off) return 0;
    if (sf->count >= (uint64_t)sf->limit) return 1; /* fired: later items of its batch change nothing */
    if (!msg) msg = "";
    if (status == VS_MODEL_ITEM_OK) {
        sf->off = 1;
        return 0;
    }
    if (sf->count == 0) {
        sf->status = status;
        snprintf(sf->msg, sizeof sf->msg, "%s", msg);
    } else if (status != sf->status || strncmp(msg, sf->msg, sizeof sf->msg - 1) != 0) {
        sf->off = 1;
        return 0;
    }
    return ++sf->count >= (uint64_t)sf->limit;
}

static const char *status_word(int status) {
    switch (status) {
    case VS_MODEL_ITEM_TRANSIENT: return "transient on every attempt";
    case VS_MODEL_ITEM_PERMANENT: return "permanent";
    default: return "bad output";
    }
}

void vs__same_failures_describe(const vs__same_failures *sf, const char *what, char *buf, size_t cap) {
    snprintf(buf, cap, "the first %llu %s all failed alike (%s): %s", (unsigned long long)sf->count, what,
             status_word(sf->status), sf->msg[0] ? sf->msg : "no message");
}
