/* vec.h — the one growable array: any `T *items` with a count and a
 * capacity beside it.
 *
 *     mr_staff *list = NULL; size_t n = 0, cap = 0;
 *     mr_staff *st = MR_VEC_PUSH(list, n, cap);   // NULL: out of memory
 *
 * Capacity doubles from 16, so pushing n items costs O(n) in all; the
 * byte count is checked for overflow.  On failure the array is as it was
 * (still owned by the caller, still to be freed).
 */
#ifndef MR_VEC_H
#define MR_VEC_H

#include <stddef.h>

/* Room for `more` items after the first n of *items_ptr (a `T **` passed
 * as void *), each `size` bytes: 0, or MR_ENOMEM with the array as it was. */
int mr_vec_reserve(void *items_ptr, size_t *cap, size_t n, size_t more, size_t size);

/* Room for one more: the common case, inline for the hot paths. */
static inline int mr_vec_grow(void *items_ptr, size_t *cap, size_t n, size_t size)
{
	return n < *cap ? 0 : mr_vec_reserve(items_ptr, cap, n, 1, size);
}

/* A pointer to a new, uninitialised last item of `arr` (n counted up), or
 * NULL when memory ran out (nothing changed). */
#define MR_VEC_PUSH(arr, n, cap) \
	(mr_vec_grow(&(arr), &(cap), (n), sizeof *(arr)) ? NULL : &(arr)[(n)++])

#endif
