/* vec.c — the growable array's slow path (vec.h). */
#include "util/vec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

int mr_vec_reserve(void *items_ptr, size_t *cap, size_t n, size_t more, size_t size)
{
	if (more > SIZE_MAX - n)
		return MR_ENOMEM;
	size_t want = n + more;
	if (want <= *cap)
		return 0;
	size_t c = *cap ? *cap : 16;
	while (c < want)
		c = c > SIZE_MAX / 2 ? want : c * 2;
	if (size && c > SIZE_MAX / size)
		return MR_ENOMEM;
	void *items;   /* the caller's T *, read and written as bytes: any T */
	memcpy(&items, items_ptr, sizeof items);
	void *g = realloc(items, c * size);
	if (!g)
		return MR_ENOMEM;
	memcpy(items_ptr, &g, sizeof g);
	*cap = c;
	return 0;
}
