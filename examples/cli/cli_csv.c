/* Numeric CSV input for the CLI commands that take a data matrix (fa, cluster): a header row,
 * a chosen separator, quoted fields, columns left out by name, and errors that say which line,
 * column and value are wrong. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_free_names(char **names, size_t n) {
    if (!names) return;
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

/* "--sep C": one byte; "\t" and "tab" name the tab (a shell passes a backslash as it is). */
static int parse_sep(const char *s, char *out) {
    if (strcmp(s, "\\t") == 0 || strcmp(s, "tab") == 0) *out = '\t';
    else if (strlen(s) == 1 && s[0] != '"' && s[0] != '\n' && s[0] != '\r') *out = s[0];
    else return -1;
    return 0;
}

int cli_csv_option(cli_csv_opts *o, const char *prog, int argc, char **argv, int *i) {
    const char *a = argv[*i];
    if (strcmp(a, "--sep") != 0 && strcmp(a, "--skip-columns") != 0) return 0;
    if (*i + 1 >= argc) return cli_usage_error(prog, "option '%s' needs a value", a);
    const char *v = argv[++*i];
    if (a[2] == 's' && a[3] == 'e') {
        if (parse_sep(v, &o->sep) != 0)
            return cli_usage_error(prog, "--sep needs one character, \\t or tab, not '%s'", v);
    } else {
        if (!v[0]) return cli_usage_error(prog, "--skip-columns needs column names");
        o->skip = v;
    }
    return 1;
}

/* Splits line (NUL-terminated, no newline) at sep into fields[0..max), in place: spaces around a
 * field are dropped; a field in double quotes may hold sep, and "" in it is one quote. Returns
 * the number of fields (more than max when the line has more; only max are stored). */
static size_t split_fields(char *line, char sep, char **fields, size_t max) {
    size_t n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' && sep != ' ') p++;
        char *start = p, *w = p;
        if (*p == '"') {
            p++;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"') p++; /* "" -> " */
                *w++ = *p++;
            }
            if (*p == '"') p++;
            while (*p && *p != sep) p++; /* text after the closing quote is dropped */
        } else {
            while (*p && *p != sep) *w++ = *p++;
            while (w > start && w[-1] == ' ' && sep != ' ') w--;
        }
        int more = *p == sep;
        *w = '\0';
        if (n < max) fields[n] = start;
        n++;
        if (!more) return n;
        p++;
    }
}

/* Marks keep[j] = 0 for each column named in the comma-separated skip list; an unknown name is a
 * usage error that suggests the closest header name. */
static int mark_skipped(const char *prog, const char *path, const char *skip, char **hdr, size_t c,
                        unsigned char *keep) {
    char *list = strdup(skip);
    if (!list) return 1;
    int rc = 0;
    char *save = NULL;
    for (char *name = strtok_r(list, ",", &save); name && rc == 0; name = strtok_r(NULL, ",", &save)) {
        size_t j = 0;
        while (j < c && strcmp(hdr[j], name) != 0) j++;
        if (j < c) {
            keep[j] = 0;
            continue;
        }
        size_t best = vs_closest_name(name, (const char *const *)hdr, c);
        if (best != VS_NPOS)
            rc = cli_usage_error(prog, "--skip-columns: %s has no column '%s' (did you mean '%s'?)", path, name,
                                 hdr[best]);
        else
            rc = cli_usage_error(prog, "--skip-columns: %s has no column '%s'", path, name);
    }
    free(list);
    return rc;
}

/* The state of one read, so the steps below stay small. */
typedef struct csv_read {
    const char *prog, *path;
    char sep;
    size_t c, kept, lineno;
    char **hdr, **fields;
    unsigned char *keep;
    double *v;
    size_t n, cap;
} csv_read;

/* Reads the header: drops a UTF-8 byte-order mark, splits the names, applies --skip-columns. */
static int read_header(csv_read *r, char *line, const char *skip) {
    if (strncmp(line, "\xEF\xBB\xBF", 3) == 0) memmove(line, line + 3, strlen(line + 3) + 1);
    char *copy = strdup(line); /* counting splits in place too */
    if (!copy) return -1;
    r->c = split_fields(copy, r->sep, NULL, 0);
    free(copy);
    r->hdr = calloc(r->c, sizeof *r->hdr);
    r->fields = calloc(r->c + 1, sizeof *r->fields);
    r->keep = malloc(r->c);
    if (!r->hdr || !r->fields || !r->keep) return -1;
    split_fields(line, r->sep, r->fields, r->c);
    for (size_t j = 0; j < r->c; j++)
        if (!(r->hdr[j] = strdup(r->fields[j]))) return -1;
    memset(r->keep, 1, r->c);
    if (r->c > 1 && !r->hdr[0][0]) {
        /* R's write.csv writes the row names as a first column with an empty header: never data */
        r->keep[0] = 0;
        fprintf(stderr, "%s: %s: the first column has no header (row names, as R's write.csv writes them): skipped\n",
                r->prog, r->path);
    }
    if (skip) {
        int rc = mark_skipped(r->prog, r->path, skip, r->hdr, r->c, r->keep);
        if (rc) return rc;
    }
    for (size_t j = 0; j < r->c; j++) r->kept += r->keep[j];
    if (r->kept == 0) {
        fprintf(stderr, "%s: %s: no column is left after --skip-columns\n", r->prog, r->path);
        return 1;
    }
    return 0;
}

/* A file read as one column whose value holds ';' or a tab was most likely written with that
 * separator: say which --sep to give instead of suggesting to drop the only column. */
static const char *other_sep(const csv_read *r, const char *field) {
    if (r->c != 1) return NULL;
    if (r->sep != ';' && strchr(field, ';')) return ";";
    if (r->sep != '\t' && strchr(field, '\t')) return "\\t";
    return NULL;
}

/* Parses one data line into the kept columns; names the first field that is not a number. */
static int read_row(csv_read *r, char *line) {
    size_t nf = split_fields(line, r->sep, r->fields, r->c + 1);
    if (nf != r->c) {
        fprintf(stderr, "%s: %s:%zu: %zu fields, expected %zu as in the header\n", r->prog, r->path, r->lineno, nf,
                r->c);
        return 1;
    }
    if (r->cap - r->n < r->kept) {
        size_t ncap = r->cap ? 2 * r->cap : 4096;
        while (ncap - r->n < r->kept) ncap *= 2;
        double *nv = realloc(r->v, ncap * sizeof *nv);
        if (!nv) return -1;
        r->v = nv;
        r->cap = ncap;
    }
    for (size_t j = 0; j < r->c; j++) {
        if (!r->keep[j]) continue;
        const char *f = r->fields[j];
        double x;
        if (!*f || strcmp(f, "NA") == 0 || strcmp(f, "nan") == 0 || strcmp(f, "NaN") == 0) {
            x = NAN; /* missing: the library decides whether that is allowed and names the place */
        } else if (cli_parse_double(f, &x) != 0) {
            const char *sep = other_sep(r, f);
            if (sep)
                fprintf(stderr, "%s: %s:%zu: one column that is not numeric ('%s'); is the separator '%s'? (--sep '%s')\n",
                        r->prog, r->path, r->lineno, f, sep, sep);
            else
                fprintf(stderr, "%s: %s:%zu: column '%s' is not numeric ('%s'); drop it with --skip-columns %s\n",
                        r->prog, r->path, r->lineno, r->hdr[j], f, r->hdr[j]);
            return 1;
        }
        r->v[r->n++] = x;
    }
    return 0;
}

/* Longest line read (without its newline): a header of a million columns fits many times over;
 * a longer line is refused before it is held in memory. */
#define CLI_CSV_MAX_LINE ((size_t)64 << 20)

/* Reads one line (its newline, and a CR before it, dropped) into *line. Returns 1, 0 at the end
 * of the file, -1 out of memory, -2 a line over CLI_CSV_MAX_LINE, -3 a NUL byte (a binary file:
 * text functions would silently cut the line there), -4 a read error. */
static int next_line(FILE *f, char **line, size_t *cap) {
    size_t n = 0;
    int c;
    while ((c = getc_unlocked(f)) != EOF && c != '\n') {
        if (c == '\0') return -3;
        if (n >= CLI_CSV_MAX_LINE) return -2;
        if (n + 2 > *cap) {
            size_t ncap = *cap ? 2 * *cap : 256;
            char *nl = realloc(*line, ncap);
            if (!nl) return -1;
            *line = nl;
            *cap = ncap;
        }
        (*line)[n++] = (char)c;
    }
    if (ferror(f)) return -4;
    if (c == EOF && n == 0) return 0;
    if (n > 0 && (*line)[n - 1] == '\r') n--;
    if (!*line && !(*line = malloc(*cap = 1))) return -1;
    (*line)[n] = '\0';
    return 1;
}

/* Reports a failure of next_line(); returns 1 (or -1 out of memory: reported by the caller). */
static int line_error(const csv_read *r, int got) {
    if (got == -2)
        fprintf(stderr, "%s: %s:%zu: a line longer than %zu bytes; is this a CSV file?\n", r->prog, r->path, r->lineno,
                CLI_CSV_MAX_LINE);
    else if (got == -3)
        fprintf(stderr, "%s: %s:%zu: a NUL byte; a CSV file is text (is this a binary file?)\n", r->prog, r->path,
                r->lineno);
    else if (got == -4)
        fprintf(stderr, "%s: cannot read '%s': %s\n", r->prog, r->path, strerror(errno)); /* e.g. a directory */
    return got == -1 ? -1 : 1;
}

int cli_read_csv_numbers(const char *prog, const char *path, const cli_csv_opts *opts, double **out, size_t *rows,
                         size_t *cols, char ***names) {
    csv_read r;
    memset(&r, 0, sizeof r);
    r.prog = prog;
    r.path = path;
    r.sep = opts && opts->sep ? opts->sep : ',';
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: cannot open '%s': %s\n", prog, path, strerror(errno));
        return 1;
    }
    char *line = NULL;
    size_t lcap = 0;
    int rc = 1;
    r.lineno = 1;
    int got = next_line(f, &line, &lcap);
    if (got <= 0) {
        if (got == 0) fprintf(stderr, "%s: %s: empty file\n", prog, path);
        rc = line_error(&r, got);
        goto done;
    }
    if ((rc = read_header(&r, line, opts ? opts->skip : NULL)) != 0) goto done;
    rc = 1;
    while ((got = next_line(f, &line, &lcap)) > 0) {
        r.lineno++;
        if (!line[0]) continue;
        if ((rc = read_row(&r, line)) != 0) goto done;
        rc = 1;
    }
    if (got < 0) {
        r.lineno++;
        rc = line_error(&r, got);
        goto done;
    }
    rc = 0;
done:
    if (rc < 0) fprintf(stderr, "%s: out of memory reading '%s'\n", prog, path);
    free(line);
    fclose(f);
    free(r.fields);
    if (rc == 0 && names) {
        /* the names of the kept columns, in order, take over the header's strings */
        size_t k = 0;
        for (size_t j = 0; j < r.c; j++) {
            if (r.keep[j]) r.hdr[k++] = r.hdr[j];
            else free(r.hdr[j]);
        }
        *names = r.hdr;
        r.hdr = NULL;
    }
    cli_free_names(r.hdr, r.c);
    free(r.keep);
    if (rc != 0) {
        free(r.v);
        return rc < 0 ? 1 : rc;
    }
    *out = r.v;
    *rows = r.n / r.kept;
    *cols = r.kept;
    return 0;
}
