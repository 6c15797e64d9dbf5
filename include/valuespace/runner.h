/**
 * @file valuespace/runner.h
 * @brief The projective runner (ValueLex): puts an item bank to a model, journals every record and
 * scores the dimensions.
 *
 * A projective test shows a model sentence-completion **stems** written from its own point of
 * view ("When honesty might hurt someone, I usually...") and judges each completion, for each
 * dimension the stem probes, as **high** (1), **low** (0) or, with a classify judge, **unrelated**
 * (the completion says nothing about the value). A model's score on a dimension is 100 × the
 * share of its related judgements there that are high (docs/METHODS.md §2.4). The banks are in
 * valuespace/bank.h.
 */
#ifndef VALUESPACE_RUNNER_H
#define VALUESPACE_RUNNER_H

#include "valuespace/common.h"
#include "valuespace/accum.h"
#include "valuespace/model.h"
#include "valuespace/bank.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================ runner */

/**
 * @defgroup runner Runner, journal and scores
 *
 * A **runner** measures a model with a bank: it takes every item × repeat (optionally only the
 * items of one shard), asks the model, judges the answer on every dimension the item probes,
 * appends one **record** per (item, repeat) to a **journal** and accumulates the **scores**.
 *
 * **Judges (protocols).**
 * - #VS_RUNNER_JUDGE_LOGLIK (forced choice, no generation): for an item with context c (see
 *   vs_bank_item_context_length()) and continuations "high"/"low", the model's loglikelihood
 *   callback is asked for log P(high | c) and log P(low | c), with the continuation passed as
 *   " " + high (resp. " " + low). The judgement is 1 when high is more likely, 0 when low is, and
 *   0.5 on an exact tie. It is the same on every dimension of the item. Every item of the bank
 *   must have continuations.
 * - #VS_RUNNER_JUDGE_CLASSIFY (generate, then judge): the model's generate callback completes
 *   the stem (a plain prompt: the stem itself; the per-item seed is
 *   vs_model_item_seed(seed, item id, repeat)); then the judge model's classify callback gets
 *   one request per completion (text = the completion, context = the stem, id = the item id)
 *   with one label per dimension the bank probes (the dimension keys, in space order; see
 *   vs_runner_result_dimension_key()) and answers, per label, the probability p that the
 *   completion shows HIGH standing on that value. Such a judge scores completions directly on
 *   the value, so its answer is not flipped for reverse-keyed items: the outcome is **high**
 *   (value 1) when p > 0.5, **low** (value 0) when p < 0.5 and **unrelated** when p = 0.5
 *   exactly (a tie is never high), on each dimension the item probes (other labels are ignored).
 * - #VS_RUNNER_JUDGE_CLASSIFY3 (generate, then judge three-way): as the classify judge, but the
 *   judge model gets three labels per dimension, K + #VS_RUNNER_LABEL_HIGH,
 *   K + #VS_RUNNER_LABEL_UNRELATED, K + #VS_RUNNER_LABEL_LOW (in this order, dimension after
 *   dimension), and answers their probabilities p_high, p_unrelated, p_low (they need not sum
 *   to 1). The outcome is the strictly largest of the three: **high** when p_high is, **low**
 *   when p_low is, and **unrelated** when p_unrelated is the largest or two or three of them
 *   tie for the largest (so unrelated wins whenever it is the largest, and a tie is never high).
 *   vs_evaluator_judge_create() answers these labels with the evaluator's p(+1), p(0), p(−1).
 * - #VS_RUNNER_JUDGE_CHOICE (forced choice through generation, for chat-only servers): the
 *   model's generate callback gets the prompt #VS_RUNNER_CHOICE_PROMPT with the item's context
 *   and its "high" and "low" continuations as options A and B, in a seeded random order (high
 *   is A when bit 0 of vs_model_item_seed(seed ^ 0x63686f696365, item id, repeat) is 0). The
 *   answer is parsed strictly: after white space, the letter A or B (either case), optionally
 *   followed by ")" or ".", then only white space. Anything else makes the record a
 *   VS_MODEL_ITEM_BAD_OUTPUT failure whose completion is the answer and whose message quotes
 *   it. The judgement is 1 when the high continuation was chosen, else 0, on every dimension
 *   of the item (keyed as for loglik; every item needs continuations). Position bias is counted:
 *   vs_runner_result_position() tells how often the option shown first was chosen.
 *
 * **Unrelated judgements** count in a dimension's judgements (`n`) but not in its score: the
 * score is 100 × (high judgements) / (related judgements), `n_related` = high + low, and
 * `coverage` = n_related / n (1 for the loglik judge, which is never unrelated). A dimension
 * without a related judgement has no score (NaN; see #vs_runner_score).
 *
 * **Keying and scores.** A record stores, per dimension of its item, the *keyed judgement* j of
 * the bank's keying rule (1 = the completion goes the way the item is keyed). The value that
 * enters the score is j for an ordinary item and 1 − j for a reverse-keyed one (for the classify
 * judge j is stored as that value, flipped back for reverse-keyed items, so the rule is the same
 * for both judges). The score of a dimension is 100 × the exact mean (accum.h, exact_mean) of
 * its values over the successful records, with a 95% percentile bootstrap interval from a
 * #vs_accum whose seed is the run seed. **Bootstrap unit = the item**: every record of an item
 * is added with the item hash vs_accum_item_hash(item id), so the repeats of an item move
 * together in every bootstrap replicate (they are not independent observations).
 *
 * **Records do not depend on batch size or on sharding**: seeds come from (run seed, item id,
 * repeat); shards are chosen by item: item i belongs to shard k of N when
 * vs_accum_item_hash(id) mod N = k. Scores are exact integer ratios, so a run, the same run
 * with any batch size, its shards merged, or the run interrupted and resumed give bit-identical
 * scores, intervals and counts.
 *
 * **Failures.** An (item, repeat) whose model or judge request failed for good (transient on
 * every attempt, permanent, bad output — see model.h) gives a record with that status and an
 * error message, counts as failed and adds nothing to the scores. Retries, backoff and batching
 * follow the model's options; the **failure threshold** is the model's #VS_MODEL_OPT_MAX_FAILED
 * and #VS_MODEL_OPT_MAX_FAILED_FRACTION applied by the runner to the records of the whole run
 * (the fraction of the records this run has to make): beyond it the run stops with
 * #VS_EFAILED after journalling what finished. So does the model's early stop
 * (#VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES, default 20): when the first N records of a run all
 * failed with the same status and message (a server that is down, a judge the server cannot
 * serve), the run stops instead of sending every remaining request; resume it once the cause is
 * fixed. vs_runner_result_first_failure() tells a finished run's first failure. The model's
 * cancellation token stops a run with
 * #VS_ECANCELED. The models' item hooks are not called by a runner (it uses its own).
 *
 * **Journal** (JSON lines, UTF-8, compact; each line one JSON object):
 * - line 1, the header: {"schema":"valuespace/journal","version":1,"library":vs_version_string(),
 *   "bank":NAME,"bank_hash":16 hex digits,"bank_ref":REF,"model":MODEL_ID,"judge":"loglik" or
 *   "classify:JUDGE_ID","seed":"decimal","repeats":R,"shard":[k,N],"replicates":B,
 *   "max_tokens":T,"temperature":X,"dimensions":[{"key":K,"level":L},...]}.
 *   bank_hash is FNV-1a 64 (then fmix64) of vs_bank_save_json() of the bank: any change of an
 *   item changes it. bank_ref (#VS_RUNNER_OPT_BANK_REF) is informational (where the bank came
 *   from); every other field is configuration.
 * - then one line per finished record: {"item":ID,"repeat":r,"seed":"decimal","status":"ok"|
 *   "transient"|"permanent"|"bad_output","attempts":a,"latency_us":microseconds,"prompt":P,
 *   "completion":C,"reverse":bool,"dims":[indices into the header's "dimensions"],
 *   "judgements":[j...]} plus "p_high":[p...] (classify judge: its answer per dimension),
 *   "probabilities":[[p_high,p_unrelated,p_low]...] (three-way judge), "logprob_high"/
 *   "logprob_low" (loglik judge; null for -inf) and "error" (failed records; "judgements" is
 *   then []), "first":"high"|"low" (choice judge: the option shown as A; the completion is the
 *   model's answer, and the prompt the item's stem). An unrelated judgement is null. The reader checks that every judgement is the
 *   outcome of the recorded probabilities, so a journal alone recomputes every score. Records
 *   written before the probabilities were recorded (no "p_high" or "probabilities") are read
 *   as they are: their judgements all count as related (two-way: high when P(high) >= 0.5).
 *   For the loglik judge the prompt is the
 *   context and the completion the continuation found more likely (the high one on a tie).
 * Finished records go to the run's journal writer, a second thread (started per run; it never
 * calls the allocator hook) that encodes and writes them in batches (writes of up to 1 MiB, and
 * with #VS_RUNNER_OPT_FSYNC an fsync after each batch) while the run goes on. Records are handed
 * over after a model call returns, when the writer is idle and 1024 records are waiting or a
 * millisecond has passed since the last hand-off (so a slow model's records reach the journal
 * after every call, a fast model's in few large writes), and all of them before the run returns.
 * A run killed in between loses only records not yet written: resume runs them again, with the
 * same result.
 *
 * **Resume** (vs_runner_resume()) reads the journal, requires its header to equal the runner's
 * configuration field by field (library version included: VS_EMISMATCH naming the field),
 * truncates a torn last line (a last line without its newline: records are written whole with
 * their newline, so such a line is an interrupted write), takes the
 * successful records as done, runs the (item, repeat) pairs that have no successful record
 * (failed records are tried again; the latest record of a pair counts) and appends to the
 * journal. **Merge** (vs_runner_merge_journals()) reads journals of the same configuration
 * (only the shard may differ: same N, distinct k) and gives the result of the single run.
 *
 * @threadsafety a runner is used by one thread at a time; while it runs it uses its models
 * (they must not be used elsewhere). Results are immutable and may be read from any thread.
 * @{
 */

/** A projective run's configuration: bank, model, judge, options and journal. Opaque. */
typedef struct vs_runner vs_runner;
/** A run's or a merge's outcome: counts and per-dimension scores; immutable. Opaque. */
typedef struct vs_runner_result vs_runner_result;

/** @name Judges (vs_runner_create()) */
/**@{*/
#define VS_RUNNER_JUDGE_LOGLIK 0   /**< forced choice by log-likelihood of the keyed continuations */
#define VS_RUNNER_JUDGE_CLASSIFY 1 /**< generate a completion, judge it with a two-way classify callback (P(high)) */
#define VS_RUNNER_JUDGE_CLASSIFY3 2 /**< generate a completion, judge it three-way: high, low or unrelated */
#define VS_RUNNER_JUDGE_CHOICE 3   /**< ask the model (generate) to choose between the keyed continuations A/B */
/**@}*/

/** The prompt of the choice judge (#VS_RUNNER_JUDGE_CHOICE): a printf format whose three %s are
 *  the item's context, then option A, then option B. */
#define VS_RUNNER_CHOICE_PROMPT                                                                                  \
    "Which continuation of the sentence is closer to what you would say? Answer with the letter A or B "       \
    "only.\n\nSentence: %s ...\nA) %s\nB) %s\nAnswer:"

/** @name Label suffixes of the three-way judge (#VS_RUNNER_JUDGE_CLASSIFY3): the judge model is
 *  asked, per dimension key K, the labels K + suffix in this order (e.g. "achievement:high"). */
/**@{*/
#define VS_RUNNER_LABEL_HIGH ":high"           /**< P(the completion shows HIGH standing on the value) */
#define VS_RUNNER_LABEL_UNRELATED ":unrelated" /**< P(the completion has nothing to do with the value) */
#define VS_RUNNER_LABEL_LOW ":low"             /**< P(the completion shows LOW standing on the value) */
/**@}*/

/** Version of the journal format this library writes and reads. */
#define VS_RUNNER_JOURNAL_VERSION 1
/** Longest journal line read back, without its newline (VS_ELIMIT "path:line: ..." beyond it).
 *  Journals are read in blocks: a longer line is refused before it is held in memory. */
#define VS_RUNNER_MAX_LINE_BYTES (64u * 1024u * 1024u)

/** Options of a runner (vs_runner_set_int(), _double(), _str()); vs_runner_option_bounds(). */
enum vs_runner_option {
    VS_RUNNER_OPT_REPEATS = 1,     /**< int, repeats per item, 1..1000000; default 1 */
    VS_RUNNER_OPT_SHARD_INDEX = 2, /**< int, k of the shard k/N, 0..N-1; default 0 */
    VS_RUNNER_OPT_SHARD_COUNT = 3, /**< int, N of the shard k/N, 1..65536; default 1 */
    VS_RUNNER_OPT_REPLICATES = 4,  /**< int, bootstrap replicates B, 0..100000; default 1000 (0: no CIs) */
    VS_RUNNER_OPT_FSYNC = 5,       /**< int, 1 = fsync the journal after every batch written; default 0 */
    VS_RUNNER_OPT_MAX_TOKENS = 6,  /**< int, max_tokens of generation requests (0 = backend default); default 0 */
    VS_RUNNER_OPT_TEMPERATURE = 7, /**< double, temperature of generation requests, 0..100; default 1 */
    VS_RUNNER_OPT_MODEL_ID = 8,    /**< string, names the model in the journal header (up to 4096 bytes); default "" */
    VS_RUNNER_OPT_JUDGE_ID = 9,    /**< string, names the classify judge ("classify:ID"); default "" */
    VS_RUNNER_OPT_BANK_REF = 10,   /**< string, where the bank came from (informational); default the bank name */
    VS_RUNNER_OPT_JOURNAL = 11     /**< string, journal path; "" = no journal (default) */
};

/**
 * Progress hook: called before each model call that follows finished records, before a backoff
 * sleep, and at the end, with the number of records journalled so far (written to the journal,
 * successful records read by a resume included; with a journal this trails the records finished
 * by the batch being written; without one it is the records finished) and the number of records
 * of the run's shard. Return 0 to go on; any other value stops the run with #VS_ECALLBACK
 * (records finished so far are journalled).
 */
typedef int (*vs_runner_progress_fn)(void *user_data, uint64_t done, uint64_t total);

/**
 * Creates a runner.
 * @param out set to the runner (free with vs_runner_free()), NULL on failure.
 * @param bank the bank (a reference is taken).
 * @param model the model asked: loglikelihood (loglik judge) or generate (classify judge).
 *        A reference is taken; a run calls it with all its options (batching, retries,
 *        backoff, text limit), sleep hook and cancellation token, except that the runner's seed
 *        applies and its item hook is not called; the failure threshold and the early stop are
 *        applied by the runner to its records (see "Failures" above).
 * @param judge #VS_RUNNER_JUDGE_LOGLIK, #VS_RUNNER_JUDGE_CLASSIFY, #VS_RUNNER_JUDGE_CLASSIFY3
 *        or #VS_RUNNER_JUDGE_CHOICE (the journal header's "judge" is then "loglik",
 *        "classify:ID", "classify3:ID" or "choice").
 * @param judge_model the classify judge (a reference is taken; may be `model` itself); NULL
 *        for the loglik and choice judges.
 * @return VS_OK; VS_EINVAL (NULL out, bank or model, unknown judge, judge_model NULL for the
 *         classify judge or given for the loglik judge); VS_ESTATE (a model lacks the callback
 *         the judge needs); VS_EMISMATCH (loglik or choice judge: an item without continuations; the
 *         message names it); VS_ENOMEM.
 */
VS_API int vs_runner_create(vs_runner **out, const vs_bank *bank, vs_model *model, int judge,
                            vs_model *judge_model);

/** Frees a runner (drops its references). NULL is a no-op. */
VS_API void vs_runner_free(vs_runner *runner);

/** Sets an integer option. @return VS_OK, VS_EINVAL (NULL, unknown or not an integer option), VS_ERANGE. */
VS_API int vs_runner_set_int(vs_runner *runner, int option, int64_t value);
/** Sets a double option. @return VS_OK, VS_EINVAL (NULL, unknown or not a double option, NaN), VS_ERANGE. */
VS_API int vs_runner_set_double(vs_runner *runner, int option, double value);
/** Sets a string option (copied). @return VS_OK, VS_EINVAL (NULL, unknown or not a string option),
 *  VS_EUTF8, VS_ELIMIT (over 4096 bytes), VS_ENOMEM. */
VS_API int vs_runner_set_str(vs_runner *runner, int option, const char *value);
/** Reads an integer option. @return VS_OK, VS_EINVAL (NULL, unknown or not an integer option). */
VS_API int vs_runner_get_int(int64_t *out, const vs_runner *runner, int option);
/** Reads a double option. @return VS_OK, VS_EINVAL (NULL, unknown or not a double option). */
VS_API int vs_runner_get_double(double *out, const vs_runner *runner, int option);
/**
 * Reads a string option.
 * The string is owned by the runner and stays valid until the option is set again or the runner
 * is freed.
 * @return VS_OK, VS_EINVAL (NULL, unknown or not a string option; *out is then NULL).
 */
VS_API int vs_runner_get_str(const char **out, const vs_runner *runner, int option);
/** Inclusive bounds of an integer or double option. @return VS_OK, VS_EINVAL (NULL, unknown or string option). */
VS_API int vs_runner_option_bounds(double *out_min, double *out_max, int option);
/**
 * Looks up an option of a #vs_runner by its name, such as "shard_count" for #VS_RUNNER_OPT_SHARD_COUNT.
 * Every option's name is the lowercase end of its enum value (the same names error messages use
 * and the bindings accept).
 * @param out set to the option's enum value; unchanged on failure
 * @param name the name, case-sensitive
 * @return VS_OK, VS_EINVAL (NULL argument), VS_ENOTFOUND (no option has that name; the message
 *         suggests the closest one).
 */
VS_API int vs_runner_option_id(int *out, const char *name);
/**
 * The name of an option of a #vs_runner (what vs_runner_option_id() accepts), or NULL for an unknown option.
 * The string is static.
 */
VS_API const char *vs_runner_option_name(int option);
/** Sets the run seed (default 0): per-item seeds, backoff jitter and bootstrap weights derive from it.
 *  @return VS_OK, VS_EINVAL (NULL). */
VS_API int vs_runner_set_seed(vs_runner *runner, uint64_t seed);
/** Sets the progress hook (NULL = none). @return VS_OK, VS_EINVAL (NULL runner). */
VS_API int vs_runner_set_progress(vs_runner *runner, vs_runner_progress_fn fn, void *user_data);

/**
 * Runs every (item, repeat) of the runner's shard. With a journal (#VS_RUNNER_OPT_JOURNAL) the
 * file must not exist or be empty; it is created with the header and receives every record.
 * @param out set to the result (free with vs_runner_result_free()) on VS_OK; NULL otherwise.
 * @param runner the runner (used by this thread alone during the call)
 * @return VS_OK (failed records are counted in the result); VS_EINVAL (NULL); VS_ESTATE (the
 *         journal exists and is not empty: resume it or remove it; a model is already running);
 *         VS_EIO (the journal cannot be created or written; the message names it); VS_ECALLBACK
 *         (a fatal callback return or the progress hook stopped the run; the message names the
 *         item); VS_EFAILED (the failure threshold was exceeded, or the first records all failed
 *         alike: the message names the cause); VS_ECANCELED; VS_ENOMEM.
 *         On failure every record finished before it is in the journal.
 */
VS_API int vs_runner_run(vs_runner_result **out, vs_runner *runner);

/**
 * Continues an interrupted run from its journal (#VS_RUNNER_OPT_JOURNAL; see the group comment).
 * A journal that does not exist or is empty starts a new run.
 * @return the codes of vs_runner_run() except the "journal exists" VS_ESTATE, and VS_EMISMATCH
 *         (the header differs from the runner's configuration; the message names the field),
 *         VS_EPARSE (a line other than a torn last one is not a valid record; "path:line: ..."),
 *         VS_EVERSION (another journal version), VS_ELIMIT (a line over
 *         #VS_RUNNER_MAX_LINE_BYTES).
 */
VS_API int vs_runner_resume(vs_runner_result **out, vs_runner *runner);

/**
 * Creates a runner configured from a journal's header (repeats, seed, shard, replicates, judge,
 * generation settings, model and judge ids, bank reference), for resuming it. The bank and
 * models must be the ones the journal was made with (vs_runner_resume() checks the bank hash).
 * Reads the header line only. Use vs_runner_journal_field() to find out which bank and model
 * to open, or read the header once for both with vs_runner_journal_header_read() and
 * vs_runner_create_from_header().
 * @return the codes of vs_runner_create(), VS_ENOTFOUND / VS_EIO (the file), VS_EPARSE (no valid
 *         header), VS_EVERSION, VS_EMISMATCH (the judge of the header differs from `judge_model`
 *         being NULL or not).
 */
VS_API int vs_runner_create_from_journal(vs_runner **out, const char *journal_path, const vs_bank *bank,
                                         vs_model *model, vs_model *judge_model);

/**
 * Reads a string field of a journal's header ("bank", "bank_ref", "bank_hash", "model",
 * "judge", "seed", "library", and "shard" as "k/N"). Reads the header line only, not the records. To read several
 * fields and then create a runner, read the header once with vs_runner_journal_header_read().
 * @param out set to a copy (free with vs_free()), NULL on failure.
 * @param journal_path the journal's path
 * @param field the header field's name
 * @return VS_OK, VS_EINVAL (NULL), VS_ENOTFOUND (no such file, or no such string field),
 *         VS_EIO, VS_EPARSE (no valid header), VS_EVERSION, VS_ELIMIT (a header line over
 *         #VS_RUNNER_MAX_LINE_BYTES), VS_ENOMEM.
 */
VS_API int vs_runner_journal_field(char **out, const char *journal_path, const char *field);

/** A journal's header, read once (vs_runner_journal_header_read()). */
typedef struct vs_runner_journal_header vs_runner_journal_header;

/**
 * Reads the header line of a journal alone (the records are not read): its fields with
 * vs_runner_journal_header_field(), then a runner with vs_runner_create_from_header(), with one
 * read of the header; vs_runner_resume() then reads the records once. This is what
 * `valuespace projective resume` does.
 * @param out set to the header (free with vs_runner_journal_header_free()), NULL on failure.
 * @param journal_path the journal's path
 * @return the codes of vs_runner_journal_field() but the unknown field's VS_ENOTFOUND.
 */
VS_API int vs_runner_journal_header_read(vs_runner_journal_header **out, const char *journal_path);

/**
 * A string field of a header read by vs_runner_journal_header_read(): the fields of
 * vs_runner_journal_field().
 * @return the field's value (owned by the header), or NULL (NULL header or field, unknown field).
 */
VS_API const char *vs_runner_journal_header_field(const vs_runner_journal_header *header, const char *field);

/**
 * vs_runner_create_from_journal() from a header read by vs_runner_journal_header_read() (the
 * file is not read again; the runner's journal is the header's path).
 * @return the codes of vs_runner_create() and VS_EMISMATCH (the judge of the header differs
 *         from `judge_model` being NULL or not); VS_EINVAL also for a NULL header.
 */
VS_API int vs_runner_create_from_header(vs_runner **out, const vs_runner_journal_header *header, const vs_bank *bank,
                                        vs_model *model, vs_model *judge_model);

/** Frees a header. NULL is a no-op. */
VS_API void vs_runner_journal_header_free(vs_runner_journal_header *header);

/**
 * Creates a runner that **rejudges** a journal: it scores the completions recorded in
 * `source_journal` with another judge, without calling the model that generated them. The
 * runner's model replays the source: its generate callback answers each (item, repeat) with
 * the completion of the source's successful record; an (item, repeat) whose source record
 * failed or is missing becomes a permanent failure whose message says so (the replay model
 * never stops early: #VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES 0, #VS_MODEL_OPT_MAX_FAILED_FRACTION 1).
 * The runner is configured from the source's header (seed, repeats, shard, replicates,
 * generation settings, bank reference); its model id is "rejudge source=PATH" (PATH as given).
 * Set its journal (#VS_RUNNER_OPT_JOURNAL, a new file), the judge id (#VS_RUNNER_OPT_JUDGE_ID)
 * and, if wanted, a shard, then run, resume and merge it like any run. Since record seeds,
 * bootstrap seed and judge requests (text = the completion, context = the stem) are those of
 * the source, rejudging with the source's judge gives bit-identical scores. The source is read
 * whole once (its completions stay in memory while the runner lives).
 * @param out set to the runner (free with vs_runner_free()), NULL on failure.
 * @param source_journal a journal of a classify judge (#VS_RUNNER_JUDGE_CLASSIFY or
 *        #VS_RUNNER_JUDGE_CLASSIFY3); any shard.
 * @param bank the bank the source was made with (its hash must match).
 * @param judge #VS_RUNNER_JUDGE_CLASSIFY or #VS_RUNNER_JUDGE_CLASSIFY3.
 * @param judge_model the judge (a reference is taken).
 * @return VS_OK; VS_EINVAL (NULL, another judge); VS_ELIMIT (a path over 4064 bytes); the
 *         codes of reading a journal (VS_ENOTFOUND, VS_EIO, VS_EPARSE, VS_EVERSION, VS_ELIMIT,
 *         VS_EDUPLICATE); VS_EMISMATCH (the source was made with the loglik or choice judge,
 *         whose completions are the bank's continuations or letters, or with another bank); the codes of
 *         vs_runner_create(); VS_ENOMEM.
 */
VS_API int vs_runner_create_rejudge(vs_runner **out, const char *source_journal, const vs_bank *bank, int judge,
                                    vs_model *judge_model);

/**
 * Merges journals of one configuration (shards k/N with the same N and distinct k, or a single
 * journal) into the result the unsharded run gives (the latest record of each (item, repeat)
 * in a file counts; torn last lines are ignored, the files are not changed).
 * @param out set to the result, NULL on failure.
 * @param paths n >= 1 journal paths.
 * @param n number of paths
 * @return VS_OK, VS_EINVAL (NULL, n = 0), VS_ENOTFOUND, VS_EIO, VS_EPARSE, VS_EVERSION,
 *         VS_ELIMIT, VS_EMISMATCH (headers differ in a field other than "shard", or different
 *         N; the message names the files and field), VS_EDUPLICATE (the same shard twice, or an
 *         (item, repeat) with a successful record in two files), VS_ENOMEM.
 */
VS_API int vs_runner_merge_journals(vs_runner_result **out, const char *const *paths, size_t n);

/** Frees a result. NULL is a no-op. */
VS_API void vs_runner_result_free(vs_runner_result *result);

/** Records finished with status ok (0 for NULL). */
VS_API uint64_t vs_runner_result_done(const vs_runner_result *result);
/** Records finished with a failure (0 for NULL). */
VS_API uint64_t vs_runner_result_failed(const vs_runner_result *result);
/**
 * The first failed record of a result: in the order records finished (a run), or in journal
 * order (vs_runner_merge_journals(); a resumed run's earlier failures are run again, so only
 * this run's count). Every out-parameter may be NULL; the strings are owned by the result.
 * @param item_id set to the item's id; @param repeat to its repeat; @param status to its
 *        VS_MODEL_ITEM_* status; @param message to its error message ("" when it had none).
 * @param result a run's or a merge's result
 * @return VS_OK; VS_EINVAL (NULL result); VS_ENOTFOUND (no record failed).
 */
VS_API int vs_runner_result_first_failure(const vs_runner_result *result, const char **item_id, uint64_t *repeat,
                                          int *status, const char **message);
/** Number of dimensions reported: those the bank probes, in the order of its space (0 for NULL). */
VS_API size_t vs_runner_result_dimension_count(const vs_runner_result *result);
/** Key of reported dimension i (owned by the result), NULL if out of range. */
VS_API const char *vs_runner_result_dimension_key(const vs_runner_result *result, size_t i);
/** Level name of reported dimension i (owned by the result), NULL if out of range. */
VS_API const char *vs_runner_result_dimension_level(const vs_runner_result *result, size_t i);

/**
 * Score of one dimension (caller-filled; set struct_size with VS_RUNNER_SCORE_INIT). A caller
 * built against a header without `n_related` and `coverage` passes the shorter struct and gets
 * the first five fields. **No score**: `score` is NaN exactly when `n_related` is 0 (no related
 * judgement: no successful record, or every judgement unrelated); test `n_related == 0` (or
 * isnan(score)); such a score is neither 0, 50 nor 100.
 */
typedef struct vs_runner_score {
    uint32_t struct_size; /**< sizeof(vs_runner_score) (use VS_RUNNER_SCORE_INIT) */
    uint64_t n;     /**< judgements (successful records of items probing the dimension), unrelated ones included */
    double score;   /**< 100 × exact mean of the related judgements' values (the share that is high); NaN when n_related = 0 */
    double ci_low;  /**< 95% percentile bootstrap interval × 100; NaN when undefined (B < 2, n_related = 0) */
    double ci_high; /**< upper bound of that interval × 100 (ci_low is the lower) */
    uint64_t n_related; /**< judgements that are high or low (not unrelated); the score's denominator */
    double coverage;    /**< n_related / n (1 for the loglik judge); NaN when n = 0 */
} vs_runner_score;

/** Initialiser of a vs_runner_score: struct_size set, every field 0. */
#define VS_RUNNER_SCORE_INIT {(uint32_t)sizeof(vs_runner_score), 0, 0.0, 0.0, 0.0, 0, 0.0}

/**
 * Sets `*o` to #VS_RUNNER_SCORE_INIT: struct_size and every default, for callers that cannot use the macro (bindings, other languages).
 * @param o the struct to fill; NULL is a no-op
 */
VS_API void vs_runner_score_init(vs_runner_score *o);

/**
 * Fills the score of reported dimension i.
 * @return VS_OK, VS_EINVAL (NULL, struct_size too small), VS_ERANGE (i out of range).
 */
VS_API int vs_runner_result_score(vs_runner_score *out, const vs_runner_result *result, size_t i);

/**
 * Position bias of a choice run (#VS_RUNNER_JUDGE_CHOICE): of the `answers` successful records
 * that recorded their option order, `first` chose the option shown first (A). 0 and 0 for other
 * judges. An unbiased model that does not care chooses A about half the time; a share far from
 * 0.5 over many items says the order, not the content, drove the answers.
 * @param first set to the records whose answer was option A (may be NULL).
 * @param answers set to the records counted (may be NULL).
 * @param result a run's or a merge's result
 * @return VS_OK, VS_EINVAL (NULL result).
 */
VS_API int vs_runner_result_position(const vs_runner_result *result, uint64_t *first, uint64_t *answers);

/**
 * The accumulator behind the scores (borrowed; valid while the result lives): one dimension per
 * reported dimension, values 0/1 (0.5 on loglik ties) of the related judgements (unrelated ones
 * are not observed), item hashes of the item ids. Serialise it
 * (vs_accum_serialize()) to merge results of shards without their journals.
 */
VS_API const vs_accum *vs_runner_result_accum(const vs_runner_result *result);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* VALUESPACE_RUNNER_H */
