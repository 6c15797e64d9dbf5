/**
 * @file valuespace/projective.h
 * @brief Projective tests (ValueLex): item banks and the runner, in one include.
 *
 * A projective test shows a model sentence-completion **stems** written from its own point of
 * view and judges each completion, for each dimension the stem probes, as high, low or
 * unrelated. The module has two parts, each with its own header:
 * - valuespace/bank.h — **item banks** (vs_bank): stems, ids, dimensions, keying, continuations;
 *   built-in banks; JSON load/save.
 * - valuespace/runner.h — the **runner** (vs_runner): runs a bank against a model, journals
 *   records, scores dimensions, resumes, rejudges and merges journals.
 *
 * This header includes both, so code written against it keeps compiling.
 */
#ifndef VALUESPACE_PROJECTIVE_H
#define VALUESPACE_PROJECTIVE_H

#include "valuespace/bank.h"
#include "valuespace/runner.h"

#endif /* VALUESPACE_PROJECTIVE_H */
