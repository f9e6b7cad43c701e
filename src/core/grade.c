/* grade.c — grades and bonuses (SPEC section 4): the band a final score
 * reaches, the forced distribution by groups of equal score, and bonuses in
 * integer cents with a pool shared by largest remainders.  Pure and
 * deterministic, like the rest of core/.
 */
#include "core/score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Money products (cents × coefficient, pool × raw) can pass 2^63. */
__extension__ typedef __int128 i128;

/* ---- grades ---- */

typedef struct ranked {
	double final;
	size_t i;
} ranked;

static int by_final_desc(const void *x, const void *y)
{
	const ranked *a = x, *b = y;
	if (a->final != b->final)
		return a->final > b->final ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

size_t mr_grade_band(const mr_plan *p, double final)
{
	for (size_t g = 0; g < p->ngrades; g++)
		if (final >= p->grades[g].min)
			return g;
	return p->ngrades - 1;
}

int mr_grade_assign(size_t *out, const mr_plan *p, const double *finals, size_t n)
{
	int rc = 0;
	ranked *order = NULL;
	size_t *count = NULL;
	long *quota = NULL;
	if (p->ngrades == 0)
		return MR_EINVALID;
	if (n == 0)
		return 0;
	order = malloc(n * sizeof *order);
	count = calloc(p->ngrades, sizeof *count);
	quota = malloc(p->ngrades * sizeof *quota);
	if (!order || !count || !quota) {
		rc = MR_ENOMEM;
		goto done;
	}
	for (size_t g = 0; g < p->ngrades; g++) {
		quota[g] = -1;                            /* never full */
		for (size_t q = 0; q < p->nquotas; q++)
			if (p->quotas[q].grade && strcmp(p->quotas[q].grade, p->grades[g].grade) == 0) {
				quota[g] = (long)floor((double)n * p->quotas[q].pct / 100.0 + 0.5 + 1e-9);
				break;
			}
	}
	for (size_t i = 0; i < n; i++)
		order[i] = (ranked){ finals[i], i };
	qsort(order, n, sizeof *order, by_final_desc);
	for (size_t i = 0; i < n;) {
		size_t end = i + 1;                       /* a group always advances */
		while (end < n && order[end].final == order[i].final)
			end++;
		size_t g = mr_grade_band(p, order[i].final);
		while (g + 1 < p->ngrades && quota[g] >= 0 && (long)count[g] >= quota[g])
			g++;
		for (size_t k = i; k < end; k++)
			out[order[k].i] = g;
		count[g] += end - i;
		i = end;
	}
done:
	free(order);
	free(count);
	free(quota);
	return rc;
}

/* ---- bonus ---- */

int64_t mr_bonus_raw(int64_t base_cents, int64_t coef)
{
	i128 v = (i128)base_cents * coef;
	i128 div = 1;
	for (int i = 0; i < MR_COEF_SCALE; i++)
		div *= 10;
	i128 r = v >= 0 ? (v + div / 2) / div : -((-v + div / 2) / div);
	/* the plan's limits keep it far inside; saturate rather than wrap */
	if (r > INT64_MAX)
		return INT64_MAX;
	if (r < -INT64_MAX)
		return -INT64_MAX;
	return (int64_t)r;
}

typedef struct share {
	size_t i;
	i128 rem;
	const char *login;
} share;

static int by_remainder(const void *x, const void *y)
{
	const share *a = x, *b = y;
	if (a->rem != b->rem)
		return a->rem > b->rem ? -1 : 1;
	if (a->login && b->login) {
		int c = strcmp(a->login, b->login);
		if (c)
			return c;
	}
	return a->i < b->i ? -1 : a->i > b->i;
}

void mr_bonus_pool(int64_t *out, const int64_t *raw, const char *const *logins,
                   size_t n, int64_t pool)
{
	i128 total = 0, given = 0;
	for (size_t i = 0; i < n; i++) {
		out[i] = 0;
		if (raw[i] > 0)
			total += raw[i];
	}
	if (total <= 0 || pool <= 0)
		return;
	share *s = malloc(n * sizeof *s);
	for (size_t i = 0; i < n; i++) {
		i128 part = (i128)pool * (raw[i] > 0 ? raw[i] : 0);
		out[i] = (int64_t)(part / total);
		given += out[i];
		if (s)
			s[i] = (share){ i, part % total, logins ? logins[i] : NULL };
	}
	if (!s)          /* out of memory: the floors stand, leftover unshared */
		return;
	qsort(s, n, sizeof *s, by_remainder);
	for (size_t k = 0; k < n && given < pool; k++, given++)
		out[s[k].i]++;
	free(s);
}

