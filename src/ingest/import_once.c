/* import_once.c — each row counted once (SPEC 5): what identifies a row
 * (an order number, an issue key, a post's URL, else its trimmed fields),
 * claimed in the store's batch keys, the earlier batches a file overlaps,
 * and the rows a file repeats. */
#include "ingest/import_int.h"
#include "util/map.h"
#include "util/vec.h"

#include <stdint.h>

void mr_imp_norm_append(mr_buf *b, const char *s)
{
	size_t n = strlen(s);
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))
			mr_buf_putc(b, s[i]);
}

static int overlap(mr_imp *im, int64_t owner, const char *key)
{
	size_t i = 0;
	while (i < im->novl && im->ovl[i].batch != owner)
		i++;
	if (i == im->novl) {
		struct mr_imp_overlap *o = MR_VEC_PUSH(im->ovl, im->novl, im->capovl);
		if (!o)
			return MR_ENOMEM;
		o->batch = owner;
		o->rows = 0;
		o->line = im->row->line;
		size_t n = strlen(key);
		if (n >= sizeof o->key) {    /* cut on a UTF-8 boundary */
			n = sizeof o->key - 4;
			while (n && ((unsigned char)key[n] & 0xC0) == 0x80)
				n--;
		}
		snprintf(o->key, sizeof o->key, "%.*s%s", (int)n, key, n < strlen(key) ? "…" : "");
		for (char *p = o->key; *p; p++)
			if (*p == '\x1f' || *p == '\n')
				*p = ',';
	}
	im->ovl[i].rows++;
	im->overlaps++;
	return 0;
}

int mr_imp_claim(mr_imp *im, const char *ns, const char *key, int once, mr_err *err)
{
	int64_t owner = 0;
	int rc = mr_store_batch_key(im->s, im->out->batch, ns, key, im->o->replace, &owner, err);
	if (rc != MR_EEXISTS)
		return rc;
	if (owner == im->out->batch) {
		if (!once)
			return 0;
		im->repeats++;
		return MR_IMP_SKIP;
	}
	if (overlap(im, owner, key))
		return mr_err_nomem(err);
	return im->o->replace ? 0 : MR_IMP_SKIP;
}

/* How many times this file gave a normalised row: the rows seen, with
 * their counts, found by their hash (only kinds without keys). */
struct mr_imp_seen {
	char *row;
	size_t len;
	long n;
};

/* The n-th time (1, 2, …) this file gives `row`, or 0 out of memory. */
static long seen_count(mr_imp *im, const char *row, size_t len)
{
	/* two rows with one hash: the second tries the hash's own hash */
	for (uint64_t key = mr_hash_bytes(row, len, 0);; key = mr_hash_mix(key + 1)) {
		uint32_t i = mr_map_get(&im->seen_map, key);
		if (i == MR_MAP_NONE) {
			char *copy = im->nseen < UINT32_MAX ? malloc(len + 1) : NULL;
			struct mr_imp_seen *s = copy ? MR_VEC_PUSH(im->seen, im->nseen, im->capseen) : NULL;
			if (!s || mr_map_put(&im->seen_map, key, (uint32_t)(im->nseen - 1))) {
				im->nseen -= s != NULL;
				free(copy);
				return 0;
			}
			memcpy(copy, row, len);
			copy[len] = 0;
			*s = (struct mr_imp_seen){ copy, len, 1 };
			return 1;
		}
		struct mr_imp_seen *s = &im->seen[i];
		if (s->len == len && memcmp(s->row, row, len) == 0)
			return ++s->n;
	}
}

/* A kind without keys of its own: the row's fields in the kind's order,
 * trimmed, with the --date standing in for a missing date, then "#n"
 * for the n-th such row of the file (two leads of a day are two rows). */
int mr_imp_claim_row(mr_imp *im, mr_err *err)
{
	const mr_imp_kind *k = im->kind;
	int64_t owner = 0;
	mr_buf_reset(&im->key);
	for (int f = 0; k->fields[f]; f++) {
		if (f)
			mr_buf_putc(&im->key, '\x1f');
		if (f == k->date_field && !mr_imp_has(im, f) && im->o->has_date)
			mr_buf_printf(&im->key, "@%d", im->o->date);
		else
			mr_imp_norm_append(&im->key, mr_imp_get(im, f));
	}
	size_t len = im->key.len;
	long n = mr_buf_oom(&im->key) ? 0 : seen_count(im, im->key.data, len);
	mr_buf_printf(&im->key, "#%ld", n);
	if (!n || mr_buf_oom(&im->key))
		return mr_err_nomem(err);
	int rc = mr_store_batch_key(im->s, im->out->batch, k->name, im->key.data, im->o->replace,
	                            &owner, err);
	if (rc != MR_EEXISTS || owner == im->out->batch)
		return rc == MR_EEXISTS ? 0 : rc;
	im->key.len = len;
	im->key.data[len] = 0;
	if (overlap(im, owner, im->key.data))
		return mr_err_nomem(err);
	return im->o->replace ? 0 : MR_IMP_SKIP;
}

/* The earlier batches this file overlaps, "batch 3 (12 rows, the first
 * at line 5: #1001)", into b. */
void mr_imp_overlaps_show(const mr_imp *im, mr_buf *b)
{
	for (size_t i = 0; i < im->novl; i++) {
		const struct mr_imp_overlap *o = &im->ovl[i];
		mr_buf_printf(b, "%sbatch %lld (%ld row%s, the first at line %ld: %s)",
		              i ? (i + 1 == im->novl ? " and " : ", ") : "", (long long)o->batch,
		              o->rows, o->rows == 1 ? "" : "s", o->line, o->key);
	}
}

void mr_imp_once_release(mr_imp *im)
{
	free(im->ovl);
	for (size_t i = 0; i < im->nseen; i++)
		free(im->seen[i].row);
	free(im->seen);
	mr_map_release(&im->seen_map);
	im->ovl = NULL;
	im->seen = NULL;
	im->novl = im->capovl = im->capseen = im->nseen = 0;
}
