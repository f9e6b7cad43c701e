/* map.c — the hash map of map.h and the hash it is used with. */
#include "util/map.h"

#include <stdlib.h>
#include <string.h>

#include "util/err.h"

uint64_t mr_hash_mix(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return h;
}

uint64_t mr_hash_bytes(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ull), w;
	while (n >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
		p += 8;
		n -= 8;
	}
	w = 0;
	memcpy(&w, p, n);
	h = (h ^ w) * 0x9e3779b97f4a7c15ull;
	return mr_hash_mix(h);
}

/* The slot of key, or the empty slot where it would go. */
static size_t slot(const mr_map *m, uint64_t key)
{
	size_t i = mr_hash_mix(key) & (m->cap - 1);
	while (m->used[i] && m->k[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

uint32_t mr_map_get(const mr_map *m, uint64_t key)
{
	if (!m->cap)
		return MR_MAP_NONE;
	size_t i = slot(m, key);
	return m->used[i] ? m->v[i] : MR_MAP_NONE;
}

static int rehash(mr_map *m, size_t cap)
{
	mr_map g = { malloc(cap * sizeof *g.k), malloc(cap * sizeof *g.v), calloc(cap, 1), cap, m->n };
	if (!g.k || !g.v || !g.used) {
		mr_map_release(&g);
		return MR_ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++)
		if (m->used[i]) {
			size_t j = slot(&g, m->k[i]);
			g.used[j] = 1;
			g.k[j] = m->k[i];
			g.v[j] = m->v[i];
		}
	mr_map_release(m);
	*m = g;
	return 0;
}

int mr_map_reserve(mr_map *m, size_t more)
{
	size_t want = m->n + more, cap = m->cap ? m->cap : 64;
	if (want < m->n || want > SIZE_MAX / 4)
		return MR_ENOMEM;
	while (cap < 2 * want)
		cap *= 2;
	return cap == m->cap ? 0 : rehash(m, cap);
}

int mr_map_put(mr_map *m, uint64_t key, uint32_t value)
{
	if (2 * (m->n + 1) > m->cap && mr_map_reserve(m, 1))
		return MR_ENOMEM;
	size_t i = slot(m, key);
	if (!m->used[i]) {
		m->used[i] = 1;
		m->k[i] = key;
		m->n++;
	}
	m->v[i] = value;
	return 0;
}

void mr_map_release(mr_map *m)
{
	free(m->k);
	free(m->v);
	free(m->used);
	memset(m, 0, sizeof *m);
}
