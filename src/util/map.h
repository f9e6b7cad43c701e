/* map.h — the one hash map: 64-bit keys to 32-bit values (most often the
 * index of an item in a growable array, vec.h), open addressing with
 * linear probing at a load of at most 1/2.
 *
 * Keys are hashes the caller makes (mr_hash_bytes for text); a map
 * compares keys only, so a caller that cannot afford a 64-bit collision
 * compares the item the value points to.  Values are any uint32_t.
 * A zeroed mr_map is empty and ready; mr_map_release frees it.
 */
#ifndef MR_MAP_H
#define MR_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct mr_map {
	uint64_t *k;
	uint32_t *v;
	uint8_t *used;
	size_t cap, n;
} mr_map;

#define MR_MAP_NONE UINT32_MAX

/* The value stored for key, or MR_MAP_NONE. */
uint32_t mr_map_get(const mr_map *m, uint64_t key);
/* Store value for key (replacing one there): 0 or MR_ENOMEM (the map as
 * it was). */
int mr_map_put(mr_map *m, uint64_t key, uint32_t value);
/* Make room for `more` keys without growing again. */
int mr_map_reserve(mr_map *m, size_t more);
void mr_map_release(mr_map *m);
static inline size_t mr_map_count(const mr_map *m) { return m->n; }

/* A 64-bit hash of n bytes with a seed.  Its values are kept in
 * databases (log sites and visitors): never change it. */
uint64_t mr_hash_bytes(const void *data, size_t n, uint64_t seed);
/* The finaliser it ends with: spreads a 64-bit value over all bits. */
uint64_t mr_hash_mix(uint64_t h);

#endif
