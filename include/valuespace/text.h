/**
 * @file valuespace/text.h
 * @brief Unicode text: normalisation, a word tokenizer and hashed n-gram features.
 *
 * All functions take UTF-8 text as `(text, len)`: `len` bytes, or a NUL-terminated string when
 * `len` is #VS_TEXT_NULTERM. Behaviour is selected by a `uint32_t` bitmask of the `VS_TEXT_*`
 * flags below; bits a function does not accept are rejected with VS_EINVAL.
 *
 * **Invalid UTF-8.** Input must be well-formed UTF-8 (Unicode §3.9, Table 3-7: no overlong
 * forms, no surrogates U+D800..U+DFFF, nothing above U+10FFFF, no truncated sequences).
 * Without #VS_TEXT_REPLACE_INVALID the functions fail with VS_EUTF8 and vs_last_error() names
 * the byte offset of the first ill-formed sequence, e.g.
 * "vs_text_normalize: invalid UTF-8 at byte 5". With #VS_TEXT_REPLACE_INVALID each *maximal
 * subpart* of an ill-formed sequence becomes one U+FFFD REPLACEMENT CHARACTER (Unicode §3.9,
 * "U+FFFD Substitution of Maximal Subparts", the practice the W3C/WHATWG Encoding standard
 * follows): a maximal subpart is the longest prefix of a well-formed sequence (Table 3-7)
 * starting at the current byte, or the single current byte if it cannot start one. Examples:
 * "\xE2\x82" (a truncated euro sign) → one U+FFFD; "\xC0\xAF" (an overlong '/') → two U+FFFD
 * (C0 can start no well-formed sequence, nor can the lone continuation byte AF);
 * "\xED\xA0\x80" (a surrogate) → three U+FFFD; "\xF0\x9F\x98" followed by "A" → U+FFFD, "A".
 *
 * **Tokens.** vs_text_tokenize() finds words in any script:
 * - a word is a run of letters (general category L*) and digits (N*), which marks (M*) may
 *   extend; a mark cannot start a word (a mark after a non-word character, e.g. the variation
 *   selector U+FE0F after an emoji, belongs to that character and is skipped with it);
 * - one *joiner* between two word characters (letter or digit on both sides) is kept inside
 *   the word: the apostrophes U+0027, U+2019 and U+FF07 (fullwidth), the hyphens U+002D,
 *   U+2010, U+2011 (non-breaking), U+FE63 and U+FF0D (small and fullwidth hyphen-minus), the
 *   soft hyphen U+00AD and the zero-width (non-)joiners U+200C and U+200D (needed inside
 *   Persian and Indic words). So "don't", "rock'n'roll" and "self-direction" are single
 *   tokens, "'quoted'" gives "quoted", and "a--b" gives "a" and "b";
 * - everything else separates words: spaces, other punctuation (so "3.14" gives "3" and "14"),
 *   symbols including emoji, controls, and U+FFFD from replaced invalid input;
 * - CJK ideographs, kana and the letters of other scripts written without spaces (Thai, Lao,
 *   Khmer, ...) are letters (Lo), so a run of them is one token: "日本語のテキスト" is one token.
 *   There is no dictionary-based segmentation.
 * Words are found in the input as given (before normalisation), so token boundaries never
 * split a code point and byte offsets refer to the caller's text; the joiner set includes the
 * compatibility forms of the apostrophe and hyphen (U+FF07, U+2011, U+FE63, U+FF0D) so that
 * they join words like the characters NFKC maps them to.
 * Each token's text is then normalised on its own with the same flags as vs_text_normalize().
 *
 * **Features.** vs_text_features() hashes the word n-grams (n = 1..max_n, contiguous tokens)
 * of the normalised tokens into `n_buckets` buckets with the hash documented at
 * vs_text_hash(); see there for how to reproduce it in another language.
 *
 * @threadsafety All functions may be called from any thread. A vs_tokens handle is immutable
 * after creation, so its accessors may be used by several threads at once.
 */
#ifndef VALUESPACE_TEXT_H
#define VALUESPACE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "valuespace/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Pass as `len` for a NUL-terminated string. */
#define VS_TEXT_NULTERM ((size_t)-1)

/* Normalisation flags. Without flags the result is in Unicode Normalization Form C (NFC):
 * canonical decomposition, canonical ordering of marks, canonical composition. */
/** Compatibility decomposition before composition (NFKC instead of NFC): "ﬁ" → "fi",
 *  fullwidth "Ａ" → "A", "①" → "1", "½" → "1⁄2". */
#define VS_TEXT_NFKC (1u << 0)
/** Full Unicode case folding (CaseFolding.txt statuses C and F): "Straße" → "strasse",
 *  "ΣΊΣΥΦΟΣ" → "σίσυφοσ". Applied during decomposition, so the result stays normalised. */
#define VS_TEXT_CASEFOLD (1u << 1)
/** Removes accents: after decomposition every nonspacing mark (general category Mn) is
 *  removed, then the text is recomposed: "café" → "cafe", "Ångström" → "Angstrom". Spacing
 *  (Mc) and enclosing (Me) marks are kept. Note that Mn also covers vowel signs and points of
 *  some scripts (Arabic harakat, Hebrew niqqud, some Devanagari vowel signs). */
#define VS_TEXT_STRIP_ACCENTS (1u << 2)
/** Replaces each maximal subpart of ill-formed UTF-8 by U+FFFD instead of failing with
 *  VS_EUTF8 (see the file comment). */
#define VS_TEXT_REPLACE_INVALID (1u << 3)
/** Maps look-alike punctuation to ASCII (utf8proc's "lump" rule), applied during
 *  decomposition: space separators (Zs) → U+0020; U+2018, U+2019, U+02BC, U+02C8 → "'";
 *  dash punctuation (Pd) and U+2212 → "-"; U+2044, U+2215 → "/"; U+2236 → ":";
 *  U+2039, U+2329, U+3008 → "<"; U+203A, U+232A, U+3009 → ">"; U+2216 → "\";
 *  U+02C4, U+02C6, U+2038, U+2303 → "^"; connector punctuation (Pc) and U+02CD → "_";
 *  U+02CB → "`"; U+2223 → "|"; U+223C → "~". So "don’t" and "don't" give the same token. */
#define VS_TEXT_LUMP (1u << 4)
/** Feature hashing only: each n-gram adds its hash sign (+1 or -1) instead of +1. */
#define VS_TEXT_HASH_SIGNED (1u << 8)

/** Largest n-gram order accepted by the feature functions. */
#define VS_TEXT_MAX_NGRAM 3

/* ---------------------------------------------------------------- normalisation */

/**
 * Normalises UTF-8 text: NFC, or NFKC with #VS_TEXT_NFKC, optionally case-folded
 * (#VS_TEXT_CASEFOLD), accent-stripped (#VS_TEXT_STRIP_ACCENTS) and with look-alike punctuation
 * mapped to ASCII (#VS_TEXT_LUMP). All other characters (controls, unassigned code points,
 * noncharacters) pass through unchanged.
 * @param out set to a new NUL-terminated UTF-8 string (free with vs_free()), NULL on failure.
 * @param text UTF-8 input (borrowed; not kept).
 * @param len bytes of `text`, or #VS_TEXT_NULTERM.
 * @param flags VS_TEXT_NFKC | VS_TEXT_CASEFOLD | VS_TEXT_STRIP_ACCENTS | VS_TEXT_LUMP |
 *        VS_TEXT_REPLACE_INVALID, or 0.
 * @return VS_OK; VS_EINVAL (NULL out or text, a flag not listed above, a NUL byte inside
 *         the first `len` bytes); VS_EUTF8 (ill-formed UTF-8 without #VS_TEXT_REPLACE_INVALID; the
 *         message names the byte offset); VS_ELIMIT (text too long to normalise); VS_ENOMEM.
 */
VS_API int vs_text_normalize(char **out, const char *text, size_t len, uint32_t flags);

/* ---------------------------------------------------------------- tokens */

/** The words of one text (opaque, immutable). Free with vs_tokens_free(). */
typedef struct vs_tokens vs_tokens;

/**
 * Splits UTF-8 text into words (rule in the file comment) and normalises each word.
 * @param out set to the new tokens (free with vs_tokens_free()), NULL on failure. A text
 *        without words gives a handle with no tokens.
 * @param text UTF-8 input (borrowed; not kept; offsets refer to it).
 * @param len bytes of `text`, or #VS_TEXT_NULTERM.
 * @param flags the normalisation flags of vs_text_normalize() applied to each token, or 0
 *        (each token is then in NFC). With #VS_TEXT_REPLACE_INVALID ill-formed bytes separate
 *        words like any non-word character.
 * @return VS_OK; VS_EINVAL (NULL out or text, a flag other than the normalisation flags);
 *         VS_EUTF8 (ill-formed UTF-8 without #VS_TEXT_REPLACE_INVALID; the message names the
 *         byte offset); VS_ELIMIT (text too long); VS_ENOMEM.
 */
VS_API int vs_text_tokenize(vs_tokens **out, const char *text, size_t len, uint32_t flags);

/** Frees tokens. NULL is a no-op. */
VS_API void vs_tokens_free(vs_tokens *tokens);

/** Number of tokens (0 for NULL). */
VS_API size_t vs_tokens_count(const vs_tokens *tokens);

/**
 * The normalised text of token `i`: NUL-terminated UTF-8, owned by the handle and valid until
 * vs_tokens_free(). Never empty. NULL if `tokens` is NULL or `i` is out of range.
 */
VS_API const char *vs_tokens_get(const vs_tokens *tokens, size_t i);

/** Byte length of vs_tokens_get(tokens, i) without its NUL; 0 if out of range or NULL. */
VS_API size_t vs_tokens_length(const vs_tokens *tokens, size_t i);

/**
 * Where token `i` is in the original input: bytes [*out_start, *out_end) of `text` as passed
 * to vs_text_tokenize() (before normalisation; always on code point boundaries).
 * @return VS_OK, VS_EINVAL (a NULL argument), VS_ERANGE (i >= count; outputs untouched).
 */
VS_API int vs_tokens_span(size_t *out_start, size_t *out_end, const vs_tokens *tokens, size_t i);

/* ---------------------------------------------------------------- hashed n-gram features */

/**
 * The feature hash (stable across platforms and versions). For the bytes b[0..len) and a seed:
 *
 *     h = 0xcbf29ce484222325                                  (FNV-1a 64-bit offset basis)
 *     for each byte c of b:  h = (h XOR c) * 0x100000001b3    (mod 2^64; FNV prime)
 *     x = h XOR seed
 *     x = (x XOR (x >> 33)) * 0xff51afd7ed558ccd              (mod 2^64; MurmurHash3 fmix64)
 *     x = (x XOR (x >> 33)) * 0xc4ceb9fe1a85ec53              (mod 2^64)
 *     x =  x XOR (x >> 33)
 *
 * and returns x. The feature functions use bucket = x mod n_buckets and, with
 * #VS_TEXT_HASH_SIGNED, sign = -1 if bit 63 of x is set, else +1. The bytes of an n-gram are
 * the UTF-8 bytes of its normalised tokens joined by single spaces (0x20), without a NUL:
 * the bigram of "self-direction" and "matters" is the 22 bytes "self-direction matters".
 * (The mixing step makes the low bits of x, which pick the bucket, depend on all bits of h;
 * in plain FNV-1a the low k bits depend only on the low k bits of each byte.) In Python:
 *
 *     M = 2**64 - 1
 *     def vs_text_hash(b: bytes, seed: int = 0) -> int:
 *         h = 0xcbf29ce484222325
 *         for c in b: h = ((h ^ c) * 0x100000001b3) & M
 *         x = h ^ seed
 *         x = ((x ^ (x >> 33)) * 0xff51afd7ed558ccd) & M
 *         x = ((x ^ (x >> 33)) * 0xc4ceb9fe1a85ec53) & M
 *         return x ^ (x >> 33)
 *
 * @param data bytes to hash (borrowed); NULL hashes as no bytes.
 * @param len number of bytes (there is no NUL-terminated form).
 * @param seed the seed (any value).
 * @return the 64-bit hash x.
 */
VS_API uint64_t vs_text_hash(const void *data, size_t len, uint64_t seed);

/**
 * Hashed word n-gram counts of a text: tokenises `text` with `flags` (vs_text_tokenize()),
 * then for every n = 1..max_n and every run of n consecutive tokens adds +1 (or its sign with
 * #VS_TEXT_HASH_SIGNED) to bucket vs_text_hash(ngram, seed) mod n_buckets.
 * The result is sparse: `*out_n` pairs (`(*out_index)[k]`, `(*out_count)[k]`), sorted by
 * strictly increasing index (buckets hit more than once are merged). With
 * #VS_TEXT_HASH_SIGNED a bucket whose signed sum is 0 is left out.
 * @param out_index set to a new array of `*out_n` bucket indices (free with vs_free()).
 * @param out_count set to a new array of `*out_n` counts (free with vs_free()).
 * @param out_n set to the number of pairs. When it is 0 both arrays are NULL.
 *        On failure the arrays are NULL and the count 0.
 * @param text UTF-8 input (borrowed), `len` bytes or #VS_TEXT_NULTERM.
 * @param flags normalisation flags as for vs_text_tokenize(), plus #VS_TEXT_HASH_SIGNED.
 * @param max_n largest n-gram order, 1..#VS_TEXT_MAX_NGRAM (2 = unigrams and bigrams).
 * @param n_buckets number of buckets, >= 1 (any value; a power of two is customary).
 * @param seed mixed into the hash (0 is fine; different seeds give different collisions).
 * @param len length of text in bytes, or #VS_TEXT_NULTERM for a NUL-terminated string
 * @return VS_OK; VS_EINVAL (a NULL pointer, unknown flags, max_n out of 1..3, n_buckets 0);
 *         VS_EUTF8 (ill-formed UTF-8 without #VS_TEXT_REPLACE_INVALID); VS_ELIMIT; VS_ENOMEM.
 */
VS_API int vs_text_features(uint32_t **out_index, int64_t **out_count, size_t *out_n,
                            const char *text, size_t len, uint32_t flags, uint32_t max_n,
                            uint32_t n_buckets, uint64_t seed);

/**
 * As vs_text_features(), from tokens already made by vs_text_tokenize() (their normalised
 * texts are hashed). Normalisation bits in `flags` are ignored; only #VS_TEXT_HASH_SIGNED
 * has an effect.
 * @return VS_OK; VS_EINVAL (a NULL pointer, unknown flags, max_n out of 1..3, n_buckets 0);
 *         VS_ENOMEM.
 */
VS_API int vs_tokens_features(uint32_t **out_index, int64_t **out_count, size_t *out_n,
                              const vs_tokens *tokens, uint32_t flags, uint32_t max_n,
                              uint32_t n_buckets, uint64_t seed);

#ifdef __cplusplus
}
#endif

#endif /* VALUESPACE_TEXT_H */
