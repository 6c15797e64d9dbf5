/* Signals of the CLI (the library installs no handler): SIGXFSZ is ignored, so that a write past
 * `ulimit -f` fails with EFBIG and is reported like a full disk instead of killing the process;
 * during a journalled run, the first SIGINT or SIGTERM sets the models' cancellation token (the
 * run stops before its next batch, every finished record journalled) and the second one kills
 * at once (the default action). */
#include <signal.h>
#include <string.h>

#include "cli.h"

static vs_cancel *token;
static volatile sig_atomic_t received;

static void on_signal(int sig) {
    if (received) { /* the second signal: the default action, now */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    received = sig;
    vs_cancel_request(token); /* an atomic store: safe in a handler */
}

void cli_signal_init(void) { signal(SIGXFSZ, SIG_IGN); }

const vs_cancel *cli_signal_token(void) {
    if (!token && vs_cancel_create(&token) != VS_OK) return NULL;
    return token;
}

int cli_signal_watch(vs_model *const *models, size_t n) {
    if (!cli_signal_token()) return VS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        int rc = vs_model_set_cancel(models[i], token);
        if (rc != VS_OK) return rc;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART; /* a transfer or a write in progress finishes; the run stops after it */
    static const int sigs[2] = {SIGINT, SIGTERM};
    for (int k = 0; k < 2; k++) {
        struct sigaction old;
        /* a signal ignored when the process started stays ignored (e.g. SIGINT of a background
         * job of a shell without job control: the user's ^C is not meant for it) */
        if (sigaction(sigs[k], NULL, &old) != 0) return VS_EIO;
        if (old.sa_handler != SIG_IGN && sigaction(sigs[k], &sa, NULL) != 0) return VS_EIO;
    }
    return VS_OK;
}

int cli_signal_unwatch(void) {
    static const int sigs[2] = {SIGINT, SIGTERM};
    for (int k = 0; k < 2; k++) {
        struct sigaction cur;
        if (sigaction(sigs[k], NULL, &cur) == 0 && cur.sa_handler == on_signal) signal(sigs[k], SIG_DFL);
    }
    /* the models keep their own reference to the token */
    vs_cancel_free(token);
    token = NULL;
    return received;
}

int cli_signal_exit(const char *prog, const char *next) {
    int sig = received;
    fprintf(stderr, "%s: stopped by %s; every finished record is in the journal; %s\n", prog,
            sig == SIGINT ? "SIGINT (interrupt)" : "SIGTERM", next);
    return sig == SIGINT ? CLI_EXIT_SIGINT : CLI_EXIT_SIGTERM;
}
