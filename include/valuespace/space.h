/**
 * @file valuespace/space.h
 * @brief Value spaces: immutable definitions of value dimensions and their hierarchy.
 *
 * A space has ordered **levels**, finest first (e.g. "item" → "value" → "group"). Every
 * **dimension** belongs to one level and has a key that is unique within its level, a UTF-8
 * label, an optional description, aliases and an optional circle angle. A dimension may have
 * one **parent** at each higher level (many-to-one maps); a dimension without a parent at some
 * level (a border value such as Humility) simply does not aggregate into that level.
 *
 * Dimensions are numbered by a global index: all dimensions of level 0 in definition order,
 * then level 1, and so on. vs_space_level_offset() gives the first global index of a level, so
 * the i-th entry of a vector at level L is dimension `offset(L) + i`.
 *
 * **Name lookup rule.** vs_space_find() compares names after folding both sides: Unicode NFKC,
 * case folding, then every run of spaces, hyphens, underscores (and other Unicode dash or
 * space characters) becomes a single space, with none at either end. Keys, labels and aliases
 * all match. So "Self-Direction", "self direction" and "SELF_DIRECTION" find the same
 * dimension. Folded names must be unique within a level (VS_EDUPLICATE otherwise).
 *
 * **Life cycle.** Spaces are reference counted: every object bound to a space (a vector, a
 * scorer) keeps it alive, so handles may be freed in any order. A space is immutable once
 * frozen and may be shared by any number of threads.
 */
#ifndef VALUESPACE_SPACE_H
#define VALUESPACE_SPACE_H

#include "valuespace/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A frozen, immutable value space (reference counted). Opaque. */
typedef struct vs_space vs_space;
/** A mutable definition of a space, frozen into spaces by vs_space_builder_freeze(). Opaque. */
typedef struct vs_space_builder vs_space_builder;

/** "No such index" for functions returning size_t. Also "any level" for vs_space_find(). */
#define VS_NPOS ((size_t)-1)

/** Limits enforced by the builder and the JSON loader (VS_ELIMIT beyond them). */
#define VS_SPACE_MAX_LEVELS 16
#define VS_SPACE_MAX_DIMENSIONS 100000 /**< dimensions over all levels */
#define VS_SPACE_MAX_KEY_BYTES 64      /**< bytes of a key or level name */
#define VS_SPACE_MAX_TEXT_BYTES 65536  /**< bytes of a name, label, description or alias */
#define VS_SPACE_MAX_ALIASES 64        /**< aliases of one dimension */

/* ---------------------------------------------------------------- builder */

/**
 * Creates an empty builder for a space called `name` (UTF-8, non-empty).
 * @param out set to the new builder, or NULL on failure. Free with vs_space_builder_free().
 * @param name the space's name (borrowed, copied)
 * @return VS_OK, VS_EINVAL (NULL or empty name), VS_EUTF8, VS_ELIMIT, VS_ENOMEM.
 */
VS_API int vs_space_builder_create(vs_space_builder **out, const char *name);

/** Frees a builder. NULL is a no-op. Spaces frozen from it stay valid. */
VS_API void vs_space_builder_free(vs_space_builder *builder);

/** Sets the space's description (UTF-8, copied). @return VS_OK, VS_EINVAL, VS_EUTF8, VS_ELIMIT, VS_ENOMEM. */
VS_API int vs_space_builder_set_description(vs_space_builder *builder, const char *text);

/**
 * Appends a level; levels are added finest first. Level names are ASCII keys like dimension
 * keys and unique. @return VS_OK, VS_EINVAL (bad name), VS_EDUPLICATE, VS_ELIMIT, VS_ENOMEM.
 */
VS_API int vs_space_builder_add_level(vs_space_builder *builder, const char *level);

/**
 * Appends a dimension to `level`.
 * @param key 1..64 ASCII characters from [A-Za-z0-9_.-], unique within the level.
 * @param label non-empty UTF-8 display name (copied); NULL uses the key.
 * @param builder the builder
 * @param level name of an existing level
 * @return VS_OK, VS_EINVAL (bad key or label), VS_ENOTFOUND (no such level), VS_EUTF8,
 *         VS_EDUPLICATE (key, or folded label/alias already used in the level), VS_ELIMIT, VS_ENOMEM.
 */
VS_API int vs_space_builder_add_dimension(vs_space_builder *builder, const char *level,
                                          const char *key, const char *label);

/** Sets a dimension's description (UTF-8, copied). @return VS_OK, VS_EINVAL, VS_ENOTFOUND, VS_EUTF8, VS_ELIMIT, VS_ENOMEM. */
VS_API int vs_space_builder_set_dimension_description(vs_space_builder *builder, const char *level,
                                                      const char *key, const char *text);

/**
 * Adds an alias (another name that vs_space_find() accepts) to a dimension.
 * @return VS_OK, VS_EINVAL (empty), VS_ENOTFOUND, VS_EUTF8, VS_EDUPLICATE (the folded alias
 *         already names a dimension of that level), VS_ELIMIT, VS_ENOMEM.
 */
VS_API int vs_space_builder_add_alias(vs_space_builder *builder, const char *level, const char *key,
                                      const char *alias);

/**
 * Sets a dimension's position on the motivational circle, in degrees (any finite value; stored
 * reduced to [0, 360)). @return VS_OK, VS_EINVAL (not finite), VS_ENOTFOUND.
 */
VS_API int vs_space_builder_set_angle(vs_space_builder *builder, const char *level, const char *key,
                                      double degrees);

/**
 * Makes `parent_key` (at `parent_level`) the parent of `key` (at `level`) at that level.
 * Both dimensions must already exist. At most one parent per child and parent level.
 * Parents at levels above the first explicit one that are not set explicitly are inherited
 * through the chain at freeze time.
 * @return VS_OK, VS_EINVAL, VS_ENOTFOUND (either dimension or level), VS_EDUPLICATE (a parent
 *         at that level was already set), VS_ECYCLE (parent level not above the child's level:
 *         the hierarchy must go strictly upward), VS_ENOMEM.
 */
VS_API int vs_space_builder_set_parent(vs_space_builder *builder, const char *level, const char *key,
                                       const char *parent_level, const char *parent_key);

/**
 * Freezes the current definition into a new immutable space. The builder is unchanged and can
 * be freed or extended and frozen again.
 * @param out set to the new space (free with vs_space_free()), or NULL on failure.
 * @param builder the builder
 * @return VS_OK, VS_EINVAL (no level or an empty level 0), VS_ENOMEM.
 */
VS_API int vs_space_builder_freeze(vs_space **out, const vs_space_builder *builder);

/* ---------------------------------------------------------------- built-ins */

/** Number of built-in spaces. */
VS_API size_t vs_space_builtin_count(void);

/** Name of the i-th built-in space (static string), or NULL if i is out of range. */
VS_API const char *vs_space_builtin_name(size_t i);

/**
 * Creates a built-in space: "schwartz10", "schwartz19", "fulcra", "valuelex", "mft5", "mfq2".
 * The name is matched with the folding rule above.
 * @return VS_OK, VS_EINVAL (NULL), VS_ENOTFOUND (no such built-in), VS_ENOMEM.
 */
VS_API int vs_space_builtin(vs_space **out, const char *name);

/* ---------------------------------------------------------------- JSON */

/**
 * Loads a space from a JSON document (schema "valuespace/space", version 1; see README).
 * @param source_name used in error messages ("file:line:column: ..."); NULL gives "<json>".
 * @param out set to the new space (free with vs_space_free()), NULL on failure
 * @param json the document, UTF-8 (borrowed for the call; need not be NUL-terminated)
 * @param length its length in bytes
 * @return VS_OK, VS_EINVAL, VS_EPARSE (syntax, wrong types, missing fields), VS_EUTF8,
 *         VS_EVERSION (unknown schema version), VS_EDUPLICATE, VS_ENOTFOUND (unknown level or
 *         parent), VS_ECYCLE, VS_ELIMIT (sizes, nesting depth), VS_ENOMEM. The message names
 *         the JSON location (line:column) of the offending value.
 */
VS_API int vs_space_load_json(vs_space **out, const char *json, size_t length, const char *source_name);

/** Loads a space from a JSON file. Same codes as vs_space_load_json(), plus VS_EIO / VS_ENOTFOUND for the file. */
VS_API int vs_space_load_file(vs_space **out, const char *path);

/**
 * Serialises a space to JSON (UTF-8, NUL-terminated, pretty-printed). Loading the result gives
 * an equal space (same levels, dimensions, texts, aliases, parents and bit-identical angles).
 * @param out set to the text; free with vs_free().
 * @param space the space
 * @return VS_OK, VS_EINVAL, VS_ENOMEM.
 */
VS_API int vs_space_save_json(char **out, const vs_space *space);

/** Writes vs_space_save_json() output to a file. @return VS_OK, VS_EINVAL, VS_EIO, VS_ENOMEM. */
VS_API int vs_space_save_file(const vs_space *space, const char *path);

/* ---------------------------------------------------------------- queries */

/** Drops a reference to a space; the last reference frees it. NULL is a no-op.
 * @threadsafety safe from any thread (atomic reference count). */
VS_API void vs_space_free(vs_space *space);

/** Space name (owned by the space). */
VS_API const char *vs_space_name(const vs_space *space);
/** Space description (owned by the space), "" when none. */
VS_API const char *vs_space_description(const vs_space *space);

/** Number of levels (at least 1). */
VS_API size_t vs_space_level_count(const vs_space *space);
/** Name of a level (owned by the space), or NULL if out of range. */
VS_API const char *vs_space_level_name(const vs_space *space, size_t level);
/** Index of a level by name (exact or folded match), or VS_NPOS. */
VS_API size_t vs_space_level_find(const vs_space *space, const char *level_name);
/** Number of dimensions in a level (0 if out of range). */
VS_API size_t vs_space_level_dimension_count(const vs_space *space, size_t level);
/** The former name of vs_space_level_dimension_count() (README, "Deprecated names").
 *  @deprecated Use vs_space_level_dimension_count(): same arguments and result. */
VS_API VS_DEPRECATED("vs_space_level_dimension_count")
size_t vs_space_level_size(const vs_space *space, size_t level);
/** Global index of the first dimension of a level (VS_NPOS if out of range). */
VS_API size_t vs_space_level_offset(const vs_space *space, size_t level);

/** Total number of dimensions over all levels. */
VS_API size_t vs_space_dimension_count(const vs_space *space);

/**
 * Finds a dimension by key, label or alias using the folding rule.
 * @param level restricts the search to one level; VS_NPOS searches all levels, finest first,
 *        and returns the first match.
 * @param out_index set to the global index.
 * @param space the space
 * @param name the key, label or alias to find (UTF-8)
 * @return VS_OK, VS_EINVAL (NULL), VS_ERANGE (bad level), VS_ENOTFOUND, VS_EUTF8, VS_ENOMEM.
 */
VS_API int vs_space_find(size_t *out_index, const vs_space *space, size_t level, const char *name);

/** Key of a dimension (owned by the space), or NULL if out of range. */
VS_API const char *vs_space_key(const vs_space *space, size_t index);
/** Label of a dimension (owned by the space), or NULL if out of range. */
VS_API const char *vs_space_label(const vs_space *space, size_t index);
/** Description of a dimension (owned by the space), "" when none, NULL if out of range. */
VS_API const char *vs_space_dimension_description(const vs_space *space, size_t index);
/** Level of a dimension, or VS_NPOS if out of range. */
VS_API size_t vs_space_dimension_level(const vs_space *space, size_t index);
/** Circle angle in degrees in [0, 360), or NaN when none is defined or out of range. */
VS_API double vs_space_angle(const vs_space *space, size_t index);
/** Number of aliases of a dimension (0 if out of range). */
VS_API size_t vs_space_alias_count(const vs_space *space, size_t index);
/** The i-th alias (owned by the space), or NULL if out of range. */
VS_API const char *vs_space_alias(const vs_space *space, size_t index, size_t i);

/**
 * Global index of a dimension's parent at `level` (explicit or inherited through the chain),
 * or VS_NPOS when it has none there (border values, levels not above it, bad arguments).
 */
VS_API size_t vs_space_parent(const vs_space *space, size_t index, size_t level);

#ifdef __cplusplus
}
#endif

#endif /* VALUESPACE_SPACE_H */
