/* Storage helpers of the dataset module: the string arena and the string map. */
#include <string.h>

#include "common/internal.h"
#include "dataset/dataset_internal.h"

/* ---------------------------------------------------------------- arena */

struct vs__ds_block {
    vs__ds_block *next;
    size_t used, cap;
    char data[];
};

#define VS__DS_BLOCK_BYTES ((size_t)64 * 1024)

char *vs__ds_arena_strndup(vs__ds_arena *arena, const char *s, size_t len) {
    if (len == SIZE_MAX) return NULL;
    size_t need = len + 1;
    vs__ds_block *b = arena->head;
    if (!b || b->cap - b->used < need) {
        size_t cap = need > VS__DS_BLOCK_BYTES / 4 ? need : VS__DS_BLOCK_BYTES;
        if (cap > SIZE_MAX - sizeof(vs__ds_block)) return NULL;
        vs__ds_block *nb = vs__malloc(sizeof(vs__ds_block) + cap);
        if (!nb) return NULL;
        nb->used = 0;
        nb->cap = cap;
        if (b && cap != VS__DS_BLOCK_BYTES) {
            /* A big string gets a block of its own behind the current one, which stays open. */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            arena->head = nb;
        }
        b = nb;
    }
    char *p = b->data + b->used;
    if (len) memcpy(p, s, len);
    p[len] = '\0';
    b->used += need;
    return p;
}

void vs__ds_arena_free(vs__ds_arena *arena) {
    vs__ds_block *b = arena->head;
    while (b) {
        vs__ds_block *next = b->next;
        vs__free(b);
        b = next;
    }
    arena->head = NULL;
}

/* ---------------------------------------------------------------- map */

static uint64_t hash_bytes(const char *s, size_t len) {
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
    /* FNV-1a's low bits (the slot index) depend only on the low bits of the bytes: names
     * like c1 .. c999999 cluster under linear probing. A full avalanche (MurmurHash3's
     * finaliser) spreads them. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    return h ^ (h >> 33);
}

static size_t find_slot(const vs__ds_map_slot *slots, size_t cap, const char *key, size_t len, uint64_t h) {
    size_t i = (size_t)h & (cap - 1);
    while (slots[i].key && !(slots[i].hash == h && slots[i].len == len && memcmp(slots[i].key, key, len) == 0))
        i = (i + 1) & (cap - 1);
    return i;
}

int vs__ds_map_get(const vs__ds_map *map, const char *key, size_t len, size_t *value) {
    if (!map->cap) return 0;
    size_t i = find_slot(map->slots, map->cap, key, len, hash_bytes(key, len));
    if (!map->slots[i].key) return 0;
    *value = map->slots[i].value;
    return 1;
}

int vs__ds_map_put(vs__ds_map *map, const char *key, size_t len, size_t value) {
    uint64_t h = hash_bytes(key, len);
    if (map->cap) {
        size_t i = find_slot(map->slots, map->cap, key, len, h);
        if (map->slots[i].key) {
            map->slots[i].value = value;
            return VS_OK;
        }
    }
    if ((map->used + 1) * 4 > map->cap * 3) {
        size_t ncap = map->cap ? map->cap * 2 : 16;
        vs__ds_map_slot *ns = vs__calloc(ncap, sizeof *ns);
        if (!ns) return vs__nomem("dataset map");
        for (size_t i = 0; i < map->cap; i++) {
            if (!map->slots[i].key) continue;
            ns[find_slot(ns, ncap, map->slots[i].key, map->slots[i].len, map->slots[i].hash)] = map->slots[i];
        }
        vs__free(map->slots);
        map->slots = ns;
        map->cap = ncap;
    }
    char *copy = vs__strndup(key, len);
    if (!copy) return vs__nomem("dataset map");
    size_t i = find_slot(map->slots, map->cap, key, len, h);
    map->slots[i].key = copy;
    map->slots[i].len = len;
    map->slots[i].hash = h;
    map->slots[i].value = value;
    map->used++;
    return VS_OK;
}

void vs__ds_map_free(vs__ds_map *map) {
    for (size_t i = 0; i < map->cap; i++) vs__free(map->slots[i].key);
    vs__free(map->slots);
    map->slots = NULL;
    map->cap = map->used = 0;
}
