/* A loopback OpenAI-compatible chat server whose every answer takes a random time, for
 * bench_openai_window.py (libmicrohttpd, a thread per connection, so that the server itself
 * costs the measurement next to nothing). Latencies are exponential with mean MEAN_MS, drawn
 * from a seeded generator (splitmix64) in the order the requests arrive.
 *
 * Usage: latency_server PORTFILE LOGFILE MEAN_MS SEED
 *   POST /v1/chat/completions -> after the latency, a chat completion whose content is "A"
 *   (what the choice judge asks for); any other path -> 404.
 * Writes its port to PORTFILE, appends each latency drawn (seconds) to LOGFILE, and ends on
 * SIGTERM or after 600 s. */
#include <arpa/inet.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t state;
static double mean_s;
static FILE *log_file;

static uint64_t splitmix64(void) {
    uint64_t z = (state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Exponential with mean mean_s: -mean log(1 - u), u uniform in [0, 1). */
static double draw(void) {
    pthread_mutex_lock(&lock);
    double u = (double)(splitmix64() >> 11) * 0x1.0p-53;
    double d = -mean_s * log1p(-u);
    fprintf(log_file, "%.6f\n", d);
    fflush(log_file);
    pthread_mutex_unlock(&lock);
    return d;
}

static enum MHD_Result answer(struct MHD_Connection *c, unsigned code, const char *body) {
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *data, size_t *data_size, void **con_cls) {
    static int started;
    (void)cls, (void)method, (void)version, (void)data;
    if (*con_cls == NULL) { /* the headers: wait for the body */
        *con_cls = &started;
        return MHD_YES;
    }
    if (*data_size) { /* the body is not needed */
        *data_size = 0;
        return MHD_YES;
    }
    *con_cls = NULL;
    if (strcmp(url, "/v1/chat/completions") != 0) return answer(c, 404, "{\"error\":{\"message\":\"Not Found\"}}");
    double d = draw();
    struct timespec ts = {(time_t)d, (long)((d - (double)(time_t)d) * 1e9)};
    while (nanosleep(&ts, &ts) != 0) {
    }
    return answer(c, 200,
                  "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"model\":\"bench\",\"choices\":"
                  "[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"A\"}}]}");
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: latency_server PORTFILE LOGFILE MEAN_MS SEED\n");
        return 2;
    }
    log_file = fopen(argv[2], "a");
    if (!log_file) return 1;
    mean_s = atof(argv[3]) / 1000.0;
    state = strtoull(argv[4], NULL, 10);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL,
                                            NULL, handle, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_END);
    const union MHD_DaemonInfo *info = d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    if (!info) return 1;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *f = fopen(tmp, "w");
    if (!f) return 1;
    fprintf(f, "%u\n", (unsigned)info->port);
    fclose(f);
    rename(tmp, argv[1]);
    sleep(600); /* SIGTERM ends it earlier */
    MHD_stop_daemon(d);
    return 0;
}
