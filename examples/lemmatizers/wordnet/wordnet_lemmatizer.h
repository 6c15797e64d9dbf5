/**
 * @file wordnet_lemmatizer.h
 * @brief Example lemmatiser for #vs_lexicon (vs_lexicon_set_lemmatizer()): WordNet 3.0's
 *        morphological processor Morphy (Debian packages wordnet-dev for wn.h and libwordnet,
 *        wordnet-base for the dictionary in /usr/share/wordnet).
 *
 * **The rule.** A term (a word or a collocation of words separated by single spaces) is looked
 * up in WordNet's parts of speech in a fixed order: noun, adjective, verb, adverb. In each:
 * 1. Morphy's base forms of the term (morphstr(): first the exception list of that part of
 *    speech, e.g. noun.exc "children child", then the detachment rules, e.g. "-s", "-ies" → "-y",
 *    "-ing" → "", each checked against the dictionary; a collocation is reduced word by word
 *    and must itself be in the dictionary) are read in Morphy's order; the first that differs
 *    from the term is the lemma;
 * 2. otherwise, when the term itself is a lemma of that part of speech in the dictionary, it is
 *    its own lemma (so a noun stays the noun it is: "better" is a noun of WordNet and is not
 *    taken to the adjective "good" of adj.exc);
 * 3. otherwise the next part of speech is tried.
 * A term WordNet knows in no part of speech is kept as it is. Underscores of WordNet's
 * collocations become spaces ("human rights" → "human right"). Examples (WordNet 3.0):
 * "values" → "value", "kindnesses" → "kindness", "children" → "child", "achieving" →
 * "achieve" (verb), "angriest" → "angry" (adj.exc), "ethics" → "ethic", "better" → "better",
 * "caring" → "caring" (a noun), "open-mindedness" → unchanged (unknown).
 *
 * Only terms of printable ASCII without '_', without a space at either end or two in a row, of
 * 1 to #VS_WORDNET_MAX_TERM bytes are looked up (WordNet 3.0 is ASCII and its longest lemma has
 * 71 bytes; a lexicon's normalised terms have this form); any other term is unknown and kept as
 * it is. Upper-case ASCII letters are looked up in lower case (a term kept as it
 * is keeps its case).
 *
 * @threadsafety **Not thread-safe.** Morphy keeps its state in static buffers of libwordnet
 * (morphstr() returns a pointer into them and continues from them), and the dictionary's file
 * handles are process-wide. Call these functions — and anything else in the process that uses
 * libwordnet — from one thread at a time; in particular, lexicons that use this lemmatiser
 * must not add responses in several threads at once. (One lexicon is used by one thread at a
 * time anyway, see valuespace/lexical.h.)
 */
#ifndef VS_WORDNET_LEMMATIZER_H
#define VS_WORDNET_LEMMATIZER_H

#include <stddef.h>

#include "valuespace.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest term that is looked up in WordNet, in bytes (longer terms are kept as they are). */
#define VS_WORDNET_MAX_TERM 127

/** Parts of speech reported by vs_wordnet_lemmatize() (WordNet's own numbers). */
#define VS_WORDNET_UNKNOWN 0 /**< WordNet does not know the term: kept as it is */
#define VS_WORDNET_NOUN 1
#define VS_WORDNET_VERB 2
#define VS_WORDNET_ADJ 3
#define VS_WORDNET_ADV 4

/**
 * Opens WordNet's dictionary (libwordnet's wninit(): the directory $WNSEARCHDIR, else
 * $WNHOME/dict, else the one compiled into libwordnet — /usr/share/wordnet on Debian). The
 * files stay open until the process ends. Calling it again after a success does nothing; after
 * a failure it tries again. The other functions call it themselves.
 * @return VS_OK; VS_ENOTFOUND (the dictionary cannot be opened: install wordnet-base, or set
 *         WNSEARCHDIR).
 */
int vs_wordnet_lemmatizer_open(void);

/**
 * The lemma of a term by the rule of the file comment.
 * @param out_needed set to the lemma's size in bytes with its NUL (may be NULL); also when the
 *        buffer is too small.
 * @param out_pos set to the part of speech the lemma was found as (#VS_WORDNET_NOUN, ...), or
 *        #VS_WORDNET_UNKNOWN (may be NULL).
 * @param term the term (borrowed), NUL-terminated.
 * @param buf receives the lemma, NUL-terminated; on failure buf[0] is set to '\0' when cap > 0.
 * @param cap bytes in buf.
 * @return VS_OK; VS_EINVAL (NULL term; NULL buf with cap > 0); VS_EBUFSIZE (cap below
 *         *out_needed); VS_ENOTFOUND (the dictionary cannot be opened).
 */
int vs_wordnet_lemmatize(size_t *out_needed, int *out_pos, const char *term, char *buf, size_t cap);

/**
 * The lemmatiser as a #vs_lexicon_lemma_fn:
 * `vs_lexicon_set_lemmatizer(lexicon, vs_wordnet_lemma_fn, NULL)`.
 * @param user_data unused (pass NULL).
 * @return as vs_wordnet_lemmatize() (0 = VS_OK; the lexicon turns any other value into
 *         VS_ECALLBACK, with the value in its message).
 */
int vs_wordnet_lemma_fn(void *user_data, const char *term, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* VS_WORDNET_LEMMATIZER_H */
