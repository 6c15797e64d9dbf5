/* The minimal JSON writer of --json output (cli.h): one document, keys in the order written,
 * numbers that read back to the same double. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_json_init(cli_json *j, FILE *f) {
    memset(j, 0, sizeof *j);
    j->f = f;
}

static void before_value(cli_json *j) {
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->depth > 0 && j->need_comma[j->depth]) fputc(',', j->f);
    if (j->depth > 0) j->need_comma[j->depth] = 1;
}

static void open_container(cli_json *j, char c) {
    before_value(j);
    fputc(c, j->f);
    if (j->depth < 63) j->depth++;
    j->need_comma[j->depth] = 0;
}

void cli_json_begin_object(cli_json *j) { open_container(j, '{'); }
void cli_json_begin_array(cli_json *j) { open_container(j, '['); }
void cli_json_end_object(cli_json *j) {
    fputc('}', j->f);
    j->depth--;
}
void cli_json_end_array(cli_json *j) {
    fputc(']', j->f);
    j->depth--;
}

static void write_escaped(FILE *f, const char *s) {
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20) fprintf(f, "\\u%04x", *p);
            else fputc(*p, f);
        }
    }
    fputc('"', f);
}

void cli_json_key(cli_json *j, const char *key) {
    before_value(j);
    write_escaped(j->f, key);
    fputc(':', j->f);
    j->after_key = 1;
}

void cli_json_string(cli_json *j, const char *s) {
    before_value(j);
    write_escaped(j->f, s);
}

void cli_json_number(cli_json *j, double x) {
    before_value(j);
    if (!isfinite(x)) {
        fputs("null", j->f);
        return;
    }
    char buf[32];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, x);
        if (strtod(buf, NULL) == x) break;
    }
    fputs(buf, j->f);
}

void cli_json_int(cli_json *j, long long x) {
    before_value(j);
    fprintf(j->f, "%lld", x);
}

void cli_json_bool(cli_json *j, int b) {
    before_value(j);
    fputs(b ? "true" : "false", j->f);
}

void cli_json_null(cli_json *j) {
    before_value(j);
    fputs("null", j->f);
}

void cli_json_finish(cli_json *j) { fputc('\n', j->f); }
