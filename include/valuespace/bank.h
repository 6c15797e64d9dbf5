/**
 * @file valuespace/bank.h
 * @brief Item banks of projective tests (ValueLex): sentence-completion stems bound to a value space.
 *
 * The stems, their ids, the dimensions each probes, keying and forced-choice continuations;
 * the built-in banks; JSON load and save. The runner that puts a bank to a model is in
 * valuespace/runner.h; valuespace/projective.h includes both.
 */
#ifndef VALUESPACE_BANK_H
#define VALUESPACE_BANK_H

#include "valuespace/common.h"
#include "valuespace/space.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================ item banks */

/**
 * @defgroup bank Item banks
 *
 * An **item bank** is an immutable, ordered list of items bound to a value space (it keeps the
 * space alive). Every item has
 * - a stable **id** (1..128 characters of [A-Za-z0-9_.:-], unique in the bank, compared
 *   exactly), e.g. "vlx-ethical-007"; runners derive per-item seeds and shards from it;
 * - a **stem**: the sentence to complete, UTF-8 with at least one character that is not white
 *   space. Stems conventionally end with the completion marker "..." (or U+2026 "…");
 * - one or more **dimensions** it probes (multi-label), as global dimension indices of the
 *   bank's space (see space.h), in the order given, without repeats;
 * - optional **reverse keying** (#VS_BANK_ITEM_REVERSE);
 * - optional forced-choice **continuations** "high" and "low" (both or neither).
 *
 * **Keying.** A judgement of an item is 1 ("high") when the completion goes the way the item is
 * keyed and 0 ("low") otherwise. An ordinary item is keyed towards the value: high = the
 * completion expresses the value. A reverse-keyed item is phrased towards the opposite pole
 * (e.g. "The rule I am most tempted to bend is..."): high = the completion goes along with the
 * stem, which indicates LOW standing on the value. A dimension score therefore counts
 * `1 - judgement` for reverse-keyed items. The "high" continuation of an item is a completion
 * that is judged 1 and its "low" continuation one that is judged 0, so for an ordinary item
 * "high" expresses the value and "low" does not or opposes it, and for a reverse-keyed item it
 * is the other way round. A log-likelihood judge scores an item by which continuation the model
 * finds more likely after the stem's context (see vs_bank_item_context_length()), then applies
 * the same keying rule.
 *
 * **Building a bank.** With a builder (vs_bank_builder_create(), add items, freeze), from JSON
 * (vs_bank_load_json()) or as a built-in (vs_bank_builtin()).
 *
 * **JSON schema "valuespace/bank", version 1.** One UTF-8 JSON object:
 *
 *     {
 *       "schema": "valuespace/bank",   required, exactly this string
 *       "version": 1,                  required, the number 1
 *       "name": "valuelex",            required, 1..256 bytes
 *       "description": "...",          optional string ("" = none)
 *       "space": "valuelex",           required: a built-in space name (vs_space_builtin()) or
 *                                      a space file (a reference ending in ".json" or holding a
 *                                      "/"; relative to the bank file's folder when the bank
 *                                      is loaded from a file, else to the working directory).
 *                                      A space passed to the loader replaces the lookup.
 *       "items": [                     required, at least one item
 *         {
 *           "id": "vlx-ethical-007",   required, unique
 *           "stem": "When ..., I...",  required, not blank
 *           "dimensions": ["ethical"], required, 1..64 entries: a name found in the space with
 *                                      the folded lookup of space.h (key, label or alias; all
 *                                      levels, finest first), or {"level": L, "key": K} for
 *                                      a dimension of one level
 *           "reverse": false,          optional boolean, default false
 *           "high": "...",             optional, both or neither, not blank, different
 *           "low": "..."
 *         }, ...
 *       ]
 *     }
 *
 * Unknown fields are errors (typos are caught). Strings must not contain U+0000. Limits: 1e6
 * items, 65536 bytes per stem, continuation or description, nesting depth 8, 64 MiB per
 * document. Errors name the place as "source:line:column: message" at the offending value:
 * VS_EPARSE (malformed JSON, wrong type, missing or unknown field, other schema, U+0000),
 * VS_EVERSION (version not 1), VS_EUTF8, VS_EINVAL (blank stem or continuation, bad id, no
 * dimension, only one continuation, high equal to low, no item), VS_EDUPLICATE (an id used
 * twice, a dimension twice in one item, a member twice in an object), VS_ENOTFOUND (unknown
 * dimension or level, unknown built-in space, missing space file), VS_EMISMATCH (the space
 * passed to the loader has another name than "space"), VS_ELIMIT, VS_EIO, VS_ENOMEM.
 *
 * Saving writes the fields in the order above with two-space indentation: "description"
 * always, "reverse" always, "high"/"low" when present, and each dimension by its key, or as
 * {"level", "key"} when the key alone would find another dimension (a key used on several
 * levels). Saving a loaded bank and loading it again gives equal banks; saving twice gives the
 * same bytes.
 *
 * @threadsafety A frozen bank is immutable and may be shared by any number of threads;
 * vs_bank_free() uses an atomic reference count. A builder is used by one thread at a time.
 * @{
 */

/** A frozen, immutable item bank bound to a space (reference counted). Opaque. */
typedef struct vs_bank vs_bank;
/** A mutable list of items, frozen into banks by vs_bank_builder_freeze(). Opaque. */
typedef struct vs_bank_builder vs_bank_builder;

/** Limits enforced by the builder and the JSON loader (VS_ELIMIT beyond them). */
#define VS_BANK_MAX_ITEMS 1000000
#define VS_BANK_MAX_ID_BYTES 128        /**< bytes of an item id */
#define VS_BANK_MAX_NAME_BYTES 256      /**< bytes of a bank name */
#define VS_BANK_MAX_TEXT_BYTES 65536    /**< bytes of a description, stem or continuation */
#define VS_BANK_MAX_ITEM_DIMENSIONS 64  /**< dimensions one item probes */

/** Item flag: the item is reverse-keyed (a "high" judgement indicates LOW standing). */
#define VS_BANK_ITEM_REVERSE 1u

/* ---------------------------------------------------------------- builder */

/**
 * Creates an empty builder for a bank called `name` over `space`.
 * @param out set to the new builder (free with vs_bank_builder_free()), or NULL on failure.
 * @param name non-empty UTF-8, at most #VS_BANK_MAX_NAME_BYTES bytes (copied).
 * @param space the space whose dimensions items probe; the builder and every bank frozen from
 *        it keep a reference, so the caller may free its own at once.
 * @return VS_OK, VS_EINVAL (NULL argument, empty name), VS_EUTF8, VS_ELIMIT, VS_ENOMEM.
 */
VS_API int vs_bank_builder_create(vs_bank_builder **out, const char *name, const vs_space *space);

/** Frees a builder. NULL is a no-op. Banks frozen from it stay valid. */
VS_API void vs_bank_builder_free(vs_bank_builder *builder);

/**
 * Sets the bank's description (UTF-8, copied; "" = none).
 * @return VS_OK, VS_EINVAL (NULL), VS_EUTF8, VS_ELIMIT, VS_ENOMEM.
 */
VS_API int vs_bank_builder_set_description(vs_bank_builder *builder, const char *text);

/**
 * Sets the space reference written as "space" when the bank is saved (copied). By default it
 * is the space's name, which is right for built-in spaces; a bank over a space loaded from a
 * file sets the file's path here so that the saved bank finds it again.
 * @return VS_OK, VS_EINVAL (NULL or empty), VS_EUTF8, VS_ELIMIT (over 4096 bytes), VS_ENOMEM.
 */
VS_API int vs_bank_builder_set_space_ref(vs_bank_builder *builder, const char *ref);

/**
 * Appends an item whose dimensions are given by name (folded lookup of space.h over all
 * levels, finest first: key, label or alias). On failure the builder is unchanged.
 * @param id the item's stable id (copied): 1..#VS_BANK_MAX_ID_BYTES characters of
 *        [A-Za-z0-9_.:-], not used by another item.
 * @param stem the sentence to complete (UTF-8, copied, not blank).
 * @param dimensions `dimension_count` names (1..#VS_BANK_MAX_ITEM_DIMENSIONS).
 * @param flags 0 or #VS_BANK_ITEM_REVERSE.
 * @param high, low the keyed continuations (UTF-8, copied), both NULL or both non-blank and
 *        different.
 * @param builder the builder
 * @param dimension_count number of entries of dimensions
 * @return VS_OK, VS_EINVAL (NULL builder, id, stem or dimension list; a bad id; a blank stem;
 *         no dimension; unknown flags; only one continuation, a blank one, or high equal to
 *         low), VS_EUTF8, VS_ENOTFOUND (a dimension name), VS_EDUPLICATE (the id is taken, or
 *         a dimension is named twice), VS_ELIMIT (too many items or dimensions, a text too
 *         long), VS_ENOMEM.
 */
VS_API int vs_bank_builder_add_item(vs_bank_builder *builder, const char *id, const char *stem,
                                    const char *const *dimensions, size_t dimension_count, uint32_t flags,
                                    const char *high, const char *low);

/**
 * Like vs_bank_builder_add_item() with the dimensions given as global indices of the space.
 * @return the codes of vs_bank_builder_add_item(), with VS_ERANGE for an index out of range
 *         instead of VS_ENOTFOUND.
 */
VS_API int vs_bank_builder_add_item_indexed(vs_bank_builder *builder, const char *id, const char *stem,
                                            const size_t *dimensions, size_t dimension_count, uint32_t flags,
                                            const char *high, const char *low);

/**
 * Freezes the items added so far into a new immutable bank. The builder is unchanged.
 * @param out set to the bank (free with vs_bank_free()), or NULL on failure.
 * @param builder the builder
 * @return VS_OK, VS_EINVAL (NULL, or no item), VS_ENOMEM.
 */
VS_API int vs_bank_builder_freeze(vs_bank **out, const vs_bank_builder *builder);

/* ---------------------------------------------------------------- built-ins */

/** Number of built-in banks. */
VS_API size_t vs_bank_builtin_count(void);

/** Name of the i-th built-in bank (static string), or NULL if i is out of range. */
VS_API const char *vs_bank_builtin_name(size_t i);

/**
 * Creates a built-in bank (with its built-in space), matched by name with the folding rule of
 * space.h:
 * - "valuelex": at least 20 stems for each of the six sub-dimensions of the "valuelex" space;
 * - "schwartz10": at least 10 stems for each of the ten values of the "schwartz10" space.
 * The stems were written for this library (first-person sentence completions, some probing two
 * dimensions, some reverse-keyed); every one has "high" and "low" continuations.
 * @return VS_OK, VS_EINVAL (NULL), VS_ENOTFOUND (no such bank), VS_ENOMEM.
 */
VS_API int vs_bank_builtin(vs_bank **out, const char *name);

/* ---------------------------------------------------------------- JSON */

/**
 * Loads a bank from a JSON document (schema "valuespace/bank", version 1; see above).
 * @param source_name used in messages ("source:line:column: ..."); NULL gives "<json>".
 * @param space NULL to resolve the document's "space" (a built-in, or a space file relative
 *        to the working directory); otherwise the space to bind the bank to (a reference is
 *        taken). When "space" is not a file reference it must then name this space (folded
 *        comparison), else VS_EMISMATCH.
 * @param out set to the bank (free with vs_bank_free()), or NULL on failure.
 * @param json the document, UTF-8 (borrowed for the call; need not be NUL-terminated)
 * @param length its length in bytes
 * @return VS_OK or the codes listed in the schema above (VS_EINVAL also for NULL arguments).
 */
VS_API int vs_bank_load_json(vs_bank **out, const char *json, size_t length, const char *source_name,
                             const vs_space *space);

/**
 * Loads a bank from a JSON file; a relative space file reference is taken relative to the
 * bank file's folder. Same codes as vs_bank_load_json(), plus VS_ENOTFOUND / VS_EIO for the
 * file.
 */
VS_API int vs_bank_load_file(vs_bank **out, const char *path, const vs_space *space);

/**
 * Serialises a bank to JSON (UTF-8, NUL-terminated, pretty-printed; see above).
 * @param out set to the text (free with vs_free()), or NULL on failure.
 * @param bank the bank
 * @return VS_OK, VS_EINVAL (NULL), VS_ENOMEM.
 */
VS_API int vs_bank_save_json(char **out, const vs_bank *bank);

/** Writes vs_bank_save_json() output to a file (atomically). @return VS_OK, VS_EINVAL, VS_EIO, VS_ENOMEM. */
VS_API int vs_bank_save_file(const vs_bank *bank, const char *path);

/* ---------------------------------------------------------------- queries */

/**
 * Drops a reference to a bank; the last reference frees it (and drops its space). NULL is a
 * no-op. @threadsafety safe from any thread (atomic reference count).
 */
VS_API void vs_bank_free(vs_bank *bank);

/** Bank name (owned by the bank). */
VS_API const char *vs_bank_name(const vs_bank *bank);
/** Bank description (owned by the bank), "" when none. */
VS_API const char *vs_bank_description(const vs_bank *bank);
/** The space the bank is bound to (borrowed: valid while the bank lives). */
VS_API const vs_space *vs_bank_space(const vs_bank *bank);
/** The "space" reference written when saving (owned by the bank). */
VS_API const char *vs_bank_space_ref(const vs_bank *bank);

/** Number of items (at least 1 for a valid bank; 0 for NULL). */
VS_API size_t vs_bank_item_count(const vs_bank *bank);

/**
 * Finds an item by its id (exact comparison).
 * @param out_index set to the item's index.
 * @param bank the bank
 * @param id the item id to find
 * @return VS_OK, VS_EINVAL (NULL), VS_ENOTFOUND.
 */
VS_API int vs_bank_find_item(size_t *out_index, const vs_bank *bank, const char *id);

/** Id of item i (owned by the bank), or NULL if out of range. */
VS_API const char *vs_bank_item_id(const vs_bank *bank, size_t i);
/** Stem of item i (owned by the bank), or NULL if out of range. */
VS_API const char *vs_bank_item_stem(const vs_bank *bank, size_t i);

/**
 * Length in bytes of the stem's **context**: the stem without a trailing completion marker
 * ("..." or U+2026) and without the white space around it. For the forced-choice protocol the
 * text is `stem[0 .. context)` followed by " " and the "high" or "low" continuation; e.g. the
 * stem "When honesty might hurt someone, I usually..." has the context "When honesty might
 * hurt someone, I usually". 0 if out of range.
 */
VS_API size_t vs_bank_item_context_length(const vs_bank *bank, size_t i);

/** Flags of item i (#VS_BANK_ITEM_REVERSE), 0 if out of range. */
VS_API uint32_t vs_bank_item_flags(const vs_bank *bank, size_t i);
/** 1 if item i is reverse-keyed, else 0 (also when out of range). */
VS_API int vs_bank_item_reverse(const vs_bank *bank, size_t i);

/** Number of dimensions item i probes (at least 1; 0 if out of range). */
VS_API size_t vs_bank_item_dimension_count(const vs_bank *bank, size_t i);
/** Global index (into vs_bank_space()) of the k-th dimension of item i, or VS_NPOS if out of range. */
VS_API size_t vs_bank_item_dimension(const vs_bank *bank, size_t i, size_t k);

/** "high" continuation of item i (owned by the bank), or NULL when it has none or i is out of range. */
VS_API const char *vs_bank_item_high(const vs_bank *bank, size_t i);
/** "low" continuation of item i (owned by the bank), or NULL when it has none or i is out of range. */
VS_API const char *vs_bank_item_low(const vs_bank *bank, size_t i);

/**
 * Number of items that probe a dimension (by global index of the bank's space), 0 if out of
 * range.
 */
VS_API size_t vs_bank_dimension_item_count(const vs_bank *bank, size_t dimension);

/** Number of items that have "high"/"low" continuations. */
VS_API size_t vs_bank_continuation_count(const vs_bank *bank);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* VALUESPACE_BANK_H */
