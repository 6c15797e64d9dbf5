/* `valuespace fulcra`: the FULCRA subcommands. The dispatcher and `fulcra check` live in
 * cmd_fulcra.c; `cv`, `train`, `predict` and `profile` (the evaluator side) in cmd_fulcra_eval.c.
 * Every handler follows cli.h: it gets the arguments after its own name (argv[0] is the
 * subcommand name) and returns 0 on success, 1 on failure (message on stderr), 2 on a usage
 * error. */
#ifndef VS_CLI_CMD_FULCRA_H
#define VS_CLI_CMD_FULCRA_H

#include "cli.h"

/* A FULCRA file as plain arrays for the evaluator (cmd_fulcra_eval.c). */
typedef struct fulcra_data {
    vs_dataset *ds;
    size_t n, k, set;
    const char **ids, **prompts, **responses, **sources;
    double *labels;
    size_t *groups;
} fulcra_data;

/* Reads FILE (label set `set`: VS_DATASET_TYPES or _ITEMS); 0, or the CLI status after a message. */
int fulcra_data_load(fulcra_data *d, const char *path, int strict, size_t set);
void fulcra_data_free(fulcra_data *d);
const vs_space *fulcra_data_space(const fulcra_data *d);
size_t fulcra_data_level(const fulcra_data *d);
/* The key of dimension i of `level`. */
const char *fulcra_dim_key(const vs_space *sp, size_t level, size_t i);
/* "types" or "items" to a label set; -1 for anything else. */
int fulcra_parse_set(const char *s, size_t *out);

/* valuespace fulcra check FILE [--strict] [--json] (cmd_fulcra.c) */
int fulcra_check(int argc, char **argv);

/* valuespace fulcra cv FILE --folds K --seed S [--json] (cmd_fulcra_eval.c) */
int fulcra_cv(int argc, char **argv);
/* valuespace fulcra train FILE -o MODEL [--seed S] (cmd_fulcra_eval.c) */
int fulcra_train(int argc, char **argv);
/* valuespace fulcra predict --model MODEL FILE [--json] (cmd_fulcra_eval.c) */
int fulcra_predict(int argc, char **argv);
/* valuespace fulcra profile FILE [--model MODEL | --labels] [--target NAME] [--json] (cmd_fulcra_eval.c) */
int fulcra_profile(int argc, char **argv);

/* valuespace fulcra agree FILE --evaluator builtin:MODEL [--json] (cmd_fulcra_agree.c) */
int fulcra_agree(int argc, char **argv);

/* The `valuespace fulcra` dispatcher (cmd_fulcra.c); main.c lists it as {"fulcra", ..., cmd_fulcra}. */
int cmd_fulcra(int argc, char **argv);

#endif
