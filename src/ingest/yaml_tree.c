/* yaml_tree.c — libyaml's document tree, read with checks and positions.
 *
 * libyaml gives every node a start mark (0-based line and column, counted
 * in characters); we report them 1-based.  libyaml accepts duplicate keys
 * and any key at all, so this layer catches both, suggests the closest
 * known key for a typo, and checks each scalar's type.  Problems are
 * counted and reported, never fatal, so the caller reads on.
 */
#include "ingest/yaml_tree.h"
#include "util/ascii.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/num.h"

#define MAX_PROBLEMS 100

/* ---- reporting ---- */

static const char *path_of(mr_yaml *y, const yaml_node_t *n, char out[MR_YAML_PATH_MAX]);

static void vreport(mr_yaml *y, int line, int col, const char *field, const char *fmt,
                    va_list ap)
{
	y->bad++;
	if (y->err && y->err->lines > MAX_PROBLEMS)
		return;
	if (y->err && y->err->lines == MAX_PROBLEMS) {
		mr_err_add(y->err, MR_EINVALID, "%s: too many problems; the rest are not shown",
		           y->file);
		return;
	}
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	for (char *s = msg; *s; s++)       /* one line per problem */
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
	if (line > 0)
		mr_err_add_field(y->err, field, MR_EINVALID, "%s:%d:%d: %s", y->file, line, col, msg);
	else
		mr_err_add_field(y->err, field, MR_EINVALID, "%s: %s", y->file, msg);
}

MR_PRINTF(4, 5)
static void report_at(mr_yaml *y, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(y, line, col, NULL, fmt, ap);
	va_end(ap);
}

void mr_yaml_problem(mr_yaml *y, const yaml_node_t *n, const char *fmt, ...)
{
	mr_pos at = mr_yaml_pos(n);
	char buf[MR_YAML_PATH_MAX];
	const char *field = y->loaded ? path_of(y, n, buf) : NULL;
	va_list ap;
	va_start(ap, fmt);
	vreport(y, at.line, at.col, field, fmt, ap);
	va_end(ap);
}

mr_pos mr_yaml_pos(const yaml_node_t *n)
{
	mr_pos at = { 0, 0 };
	if (n) {
		at.line = (int)n->start_mark.line + 1;
		at.col = (int)n->start_mark.column + 1;
	}
	return at;
}

/* A short copy of user text for a message: at most ~40 bytes, cut on a
 * UTF-8 boundary. */
static const char *show(char out[64], const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;
	size_t len = strlen(s);
	if (len <= 40) {
		snprintf(out, 64, "%s", s);
		return out;
	}
	size_t cut = 40;
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	snprintf(out, 64, "%.*s…", (int)cut, s);
	return out;
}

static const char *kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a single value";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

/* ---- loading ---- */

/* libyaml's reader errors carry a byte offset, not a mark. */
static void offset_pos(const char *text, size_t len, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static int syntax_error(mr_yaml *y, yaml_parser_t *p, const char *text, size_t len)
{
	if (p->error == YAML_MEMORY_ERROR) {
		y->nomem = 1;
		return MR_ENOMEM;
	}
	const char *problem = p->problem ? p->problem : "cannot be read";
	if (p->error == YAML_READER_ERROR) {
		int line, col;
		offset_pos(text, len, p->problem_offset, &line, &col);
		if (p->problem_value != -1)
			report_at(y, line, col, "not valid text: %s (byte 0x%02x)", problem,
			          (unsigned)p->problem_value & 0xff);
		else
			report_at(y, line, col, "not valid text: %s", problem);
		return MR_EINVALID;
	}
	int line = (int)p->problem_mark.line + 1, col = (int)p->problem_mark.column + 1;
	if (p->context)
		report_at(y, line, col, "YAML syntax: %s (%s that starts at %d:%d)", problem,
		          p->context, (int)p->context_mark.line + 1,
		          (int)p->context_mark.column + 1);
	else
		report_at(y, line, col, "YAML syntax: %s", problem);
	return MR_EINVALID;
}

/* Refuse nesting deeper than MR_YAML_MAX_DEPTH, and more than
 * MR_YAML_MAX_NODES values, before a tree is built:
 * libyaml's scanner checks every possible simple key at each token, and
 * in a deep flow collection ("[[[[…") there is one per open level, so the
 * cost grows with the square of the depth (100,000 levels: a minute).
 * Reading events stops at the first level too deep, so the scanner never
 * holds more than the lookahead of one line's simple keys (1024 bytes)
 * and the check is linear in the file.  A tree takes some hundred bytes
 * a node, so reading stops too at the first value past the count (a
 * megabyte of "[a,a,a,…" is half a million).  A syntax error here is
 * left to the load, which reports it with its context.  0, MR_EINVALID
 * after reporting, or MR_ENOMEM. */
static int shape_check(mr_yaml *y, const char *text, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, rc = 0, end = 0;
	long nodes = 0;
	if (!yaml_parser_initialize(&p)) {
		y->nomem = 1;
		return MR_ENOMEM;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!end && !rc) {
		if (!yaml_parser_parse(&p, &ev)) {
			if (p.error == YAML_MEMORY_ERROR) {
				y->nomem = 1;
				rc = MR_ENOMEM;
			}
			break;
		}
		int node = ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT ||
		           ev.type == YAML_SCALAR_EVENT || ev.type == YAML_ALIAS_EVENT;
		if (node && ++nodes > MR_YAML_MAX_NODES) {
			report_at(y, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
			          "the file is too large: more than %d values (lists, "
			          "mappings and single values)", MR_YAML_MAX_NODES);
			rc = MR_EINVALID;
		} else if (ev.type == YAML_SEQUENCE_START_EVENT ||
		           ev.type == YAML_MAPPING_START_EVENT) {
			if (++depth > MR_YAML_MAX_DEPTH) {
				report_at(y, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
				          "nested deeper than %d levels", MR_YAML_MAX_DEPTH);
				rc = MR_EINVALID;
			}
		} else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
			depth--;
		}
		end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return rc;
}

/* ---- paths ---- */

/* Where each node hangs: its parent and the key (a node id) or the index
 * it has there, recorded once after loading (a node used again through an
 * alias keeps its first place, so the walk is linear).  A problem's path
 * is put together from these only when it is reported: a small file with
 * a deep chain of long keys cannot make a path per node. */
static void place_walk(mr_yaml *y, int id, int parent, int key, long index)
{
	yaml_node_t *n = yaml_document_get_node(&y->doc, id);
	if (!n || (size_t)id >= y->nplaces || y->places[id].seen)
		return;
	y->places[id] = (struct mr_yaml_place){ parent, key, index, 1 };
	if (n->type == YAML_SEQUENCE_NODE) {
		long i = 0;
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++, i++)
			place_walk(y, *it, id, 0, i);
	} else if (n->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
		     pr < n->data.mapping.pairs.top; pr++) {
			place_walk(y, pr->value, id, pr->key, 0);
			place_walk(y, pr->key, id, pr->key, 0);    /* a key is where its value is */
		}
	}
}

static int places_build(mr_yaml *y)
{
	if (!yaml_document_get_root_node(&y->doc))
		return 0;
	y->nplaces = (size_t)(y->doc.nodes.top - y->doc.nodes.start) + 1;
	if (!(y->places = calloc(y->nplaces, sizeof *y->places)))
		return MR_ENOMEM;
	place_walk(y, 1, 0, 0, 0);    /* the root is node 1 */
	return 0;
}

/* The path of node n into out ("positions[1].kpis[0].weight"; "" for the
 * root): NULL when it has none or it would not fit. */
static const char *path_of(mr_yaml *y, const yaml_node_t *n, char out[MR_YAML_PATH_MAX])
{
	if (!n || !y->places)
		return NULL;
	size_t id = (size_t)(n - y->doc.nodes.start) + 1;
	char seg[MR_YAML_PATH_MAX];
	size_t len = 0;          /* the path is built from its end: out[MR_YAML_PATH_MAX - len ...] */
	for (int depth = 0; id > 1; depth++) {
		if (id >= y->nplaces || !y->places[id].seen || depth > MR_YAML_MAX_DEPTH)
			return NULL;
		const struct mr_yaml_place *pl = &y->places[id];
		yaml_node_t *k = pl->key ? yaml_document_get_node(&y->doc, pl->key) : NULL;
		int w;
		if (pl->key)
			w = snprintf(seg, sizeof seg, "%s%s", pl->parent > 1 ? "." : "",
			             k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value
			                                             : "?");
		else
			w = snprintf(seg, sizeof seg, "[%ld]", pl->index);
		if (w < 0 || (size_t)w + len >= MR_YAML_PATH_MAX)
			return NULL;
		memcpy(out + MR_YAML_PATH_MAX - 1 - len - (size_t)w, seg, (size_t)w);
		len += (size_t)w;
		id = (size_t)pl->parent;
	}
	out[MR_YAML_PATH_MAX - 1] = 0;
	return memmove(out, out + MR_YAML_PATH_MAX - 1 - len, len + 1);
}

int mr_yaml_load(mr_yaml *y, const char *text, size_t len, const char *file,
                 mr_err *err)
{
	yaml_parser_t parser;
	yaml_document_t second;
	int rc = 0;
	memset(y, 0, sizeof *y);
	y->file = file ? file : "plan";
	y->err = err;
	y->budget = MR_YAML_BUDGET;
	if (!text)
		text = "", len = 0;
	if ((rc = shape_check(y, text, len)))
		return rc;
	if (!yaml_parser_initialize(&parser)) {
		y->nomem = 1;
		return MR_ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &y->doc)) {
		rc = syntax_error(y, &parser, text, len);
		goto done;
	}
	y->loaded = 1;
	if (!yaml_document_get_root_node(&y->doc))
		goto done;
	if ((rc = places_build(y))) {
		y->nomem = 1;
		goto done;
	}
	/* A plan is one document; a second one is a mistake, not ignored. */
	if (!yaml_parser_load(&parser, &second)) {
		rc = syntax_error(y, &parser, text, len);
		goto done;
	}
	yaml_node_t *r2 = yaml_document_get_root_node(&second);
	if (r2) {
		mr_yaml_problem(y, r2, "a second YAML document: the file must hold one plan");
		rc = MR_EINVALID;
	}
	yaml_document_delete(&second);
done:
	yaml_parser_delete(&parser);
	return rc;
}

void mr_yaml_release(mr_yaml *y)
{
	free(y->places);
	y->places = NULL;
	y->nplaces = 0;
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = 0;
}

/* ---- nodes ---- */

static int spend(mr_yaml *y, long n)
{
	if (y->budget < 0)
		return -1;
	y->budget -= n;
	if (y->budget < 0) {
		report_at(y, 0, 0, "the file is too large: more than %d values "
		          "(each use of an alias counts)", MR_YAML_BUDGET);
		return -1;
	}
	return 0;
}

yaml_node_t *mr_yaml_root(mr_yaml *y)
{
	return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *mr_yaml_node(mr_yaml *y, int id)
{
	if (!y->loaded || spend(y, 1))
		return NULL;
	return yaml_document_get_node(&y->doc, id);
}

int mr_yaml_is_null(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	const char *s = (const char *)n->data.scalar.value;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

/* The scalar's text when it has no embedded NUL, else NULL. */
static const char *text_of(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	const char *s = (const char *)n->data.scalar.value;
	return strlen(s) == n->data.scalar.length ? s : NULL;
}

/* Optimal string alignment distance (a swap of neighbours counts 1),
 * ignoring case; words longer than 31 bytes are never close. */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int d[32][32];
	if (la > 31 || lb > 31)
		return 99;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			int ca = mr_ascii_lower((unsigned char)a[i - 1]), cb = mr_ascii_lower((unsigned char)b[j - 1]);
			int cost = ca != cb;
			int v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && ca == mr_ascii_lower((unsigned char)b[j - 2]) &&
			    mr_ascii_lower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

/* "cnt" for "count": the word's letters in order, from the same first. */
static int abbreviates(const char *word, const char *cand)
{
	if (strlen(word) < 3 || mr_ascii_lower((unsigned char)*word) != *cand)
		return 0;
	for (; *cand && *word; cand++)
		if (mr_ascii_lower((unsigned char)*word) == *cand)
			word++;
	return !*word;
}

const char *mr_yaml_suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	int bestd = 99;
	size_t len = strlen(word);
	int limit = len >= 5 ? 2 : 1;
	for (size_t i = 0; i < n; i++) {
		int d = distance(word, cands[i]);
		if (d < bestd && d <= limit && (size_t)d < strlen(cands[i])) {
			best = cands[i];
			bestd = d;
		}
	}
	for (size_t i = 0; !best && i < n; i++)
		if (abbreviates(word, cands[i]))
			best = cands[i];
	return best;
}

static void list_names(char *out, size_t size, const char *const *names, size_t n,
                       const char *last_sep)
{
	size_t used = 0;
	out[0] = 0;
	for (size_t i = 0; i < n && used < size; i++) {
		const char *sep = i == 0 ? "" : i + 1 == n ? last_sep : ", ";
		int w = snprintf(out + used, size - used, "%s%s", sep, names[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

int mr_yaml_fields(mr_yaml *y, yaml_node_t *n, const char *what,
                   const char *const *keys, yaml_node_t **vals)
{
	yaml_node_t *keyn[MR_YAML_MAX_KEYS];
	size_t nkeys = 0;
	while (nkeys < MR_YAML_MAX_KEYS && keys[nkeys])
		nkeys++;
	for (size_t i = 0; i < nkeys; i++)
		vals[i] = keyn[i] = NULL;
	if (!n)
		return -1;
	if (n->type != YAML_MAPPING_NODE) {
		mr_yaml_problem(y, n, "%s must be a mapping of keys to values, not %s", what, kind(n));
		return -1;
	}
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
	     pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = mr_yaml_node(y, pr->key);
		yaml_node_t *v = mr_yaml_node(y, pr->value);
		if (!k || !v)
			return 0;                  /* budget spent: reported */
		const char *name = text_of(k);
		if (!name || !*name) {
			mr_yaml_problem(y, k, "in %s, a key must be a word, not %s", what,
			                k->type == YAML_SCALAR_NODE ? "empty text" : kind(k));
			continue;
		}
		size_t i = 0;
		while (i < nkeys && strcmp(keys[i], name) != 0)
			i++;
		if (i == nkeys) {
			char sh[64], all[400];
			const char *sug = mr_yaml_suggest(name, keys, nkeys);
			if (sug) {
				mr_yaml_problem(y, k, "unknown key \"%s\" in %s; did you mean \"%s\"?",
				                show(sh, k), what, sug);
			} else {
				list_names(all, sizeof all, keys, nkeys, " or ");
				mr_yaml_problem(y, k, "unknown key \"%s\" in %s; known keys are %s",
				                show(sh, k), what, all);
			}
			continue;
		}
		if (keyn[i]) {
			mr_pos first = mr_yaml_pos(keyn[i]);
			mr_yaml_problem(y, k, "duplicate key \"%s\" in %s (first at line %d, column %d)",
			                name, what, first.line, first.col);
			continue;
		}
		keyn[i] = k;
		vals[i] = v;
	}
	return 0;
}

long mr_yaml_items(mr_yaml *y, yaml_node_t *n, const char *what,
                   yaml_node_item_t **items)
{
	*items = NULL;
	if (!n || mr_yaml_is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE) {
		mr_yaml_problem(y, n, "%s must be a list, not %s", what, kind(n));
		return -1;
	}
	long count = (long)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (spend(y, count))
		return -1;
	*items = n->data.sequence.items.start;
	return count;
}

/* ---- typed scalars ---- */

/* Common checks: 0 = absent or null, 1 = a usable scalar, -1 = reported. */
static int scalar(mr_yaml *y, yaml_node_t *n, const char *what, const char *as)
{
	if (!n || mr_yaml_is_null(n))
		return 0;
	if (n->type != YAML_SCALAR_NODE) {
		mr_yaml_problem(y, n, "%s must be %s, not %s", what, as, kind(n));
		return -1;
	}
	if (!text_of(n)) {
		mr_yaml_problem(y, n, "%s contains a NUL character", what);
		return -1;
	}
	return 1;
}

/* Numbers are written bare: "60" in quotes is text, and saying so beats
 * guessing. */
static int bare(mr_yaml *y, yaml_node_t *n, const char *what)
{
	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		return 1;
	char sh[64];
	double d;
	if (mr_num_parse(&d, (const char *)n->data.scalar.value))
		mr_yaml_problem(y, n, "%s \"%s\" is not a number", what, show(sh, n));
	else
		mr_yaml_problem(y, n, "%s \"%s\" is quoted text; write numbers without quotes",
		                what, show(sh, n));
	return 0;
}

int mr_yaml_string(mr_yaml *y, yaml_node_t *n, const char *what, char **out)
{
	int rc = scalar(y, n, what, "text");
	if (rc <= 0)
		return rc;
	size_t len = n->data.scalar.length;
	char *s = malloc(len + 1);
	if (!s) {
		y->nomem = 1;
		return -1;
	}
	memcpy(s, n->data.scalar.value, len + 1);
	free(*out);
	*out = s;
	return 1;
}

int mr_yaml_number(mr_yaml *y, yaml_node_t *n, const char *what, double *out)
{
	char sh[64];
	int rc = scalar(y, n, what, "a number");
	if (rc <= 0)
		return rc;
	if (!bare(y, n, what))
		return -1;
	if (mr_num_parse(out, (const char *)n->data.scalar.value)) {
		mr_yaml_problem(y, n, "%s \"%s\" is not a number", what, show(sh, n));
		return -1;
	}
	return 1;
}

int mr_yaml_money(mr_yaml *y, yaml_node_t *n, const char *what, int64_t *out)
{
	char sh[64];
	int rc = scalar(y, n, what, "an amount");
	if (rc <= 0)
		return rc;
	if (!bare(y, n, what))
		return -1;
	if (mr_money_parse(out, (const char *)n->data.scalar.value)) {
		mr_yaml_problem(y, n, "%s \"%s\" is not an amount: digits with at most "
		                "2 decimals, no thousands separators", what, show(sh, n));
		return -1;
	}
	return 1;
}

int mr_yaml_fixed(mr_yaml *y, yaml_node_t *n, const char *what, int scale, int64_t *out)
{
	char sh[64];
	int rc = scalar(y, n, what, "a number");
	if (rc <= 0)
		return rc;
	if (!bare(y, n, what))
		return -1;
	if (mr_fixed_parse(out, (const char *)n->data.scalar.value, scale)) {
		mr_yaml_problem(y, n, "%s \"%s\" is not a number with at most %d decimals",
		                what, show(sh, n), scale);
		return -1;
	}
	return 1;
}

int mr_yaml_enum(mr_yaml *y, yaml_node_t *n, const char *what,
                 const char *const *names, size_t nnames, int *out)
{
	char sh[64], all[256];
	int rc = scalar(y, n, what, "a word");
	if (rc <= 0)
		return rc;
	const char *s = (const char *)n->data.scalar.value;
	for (size_t i = 0; i < nnames; i++)
		if (strcmp(names[i], s) == 0) {
			*out = (int)i;
			return 1;
		}
	list_names(all, sizeof all, names, nnames, " or ");
	const char *sug = mr_yaml_suggest(s, names, nnames);
	if (sug)
		mr_yaml_problem(y, n, "%s \"%s\" is not one of %s; did you mean \"%s\"?",
		                what, show(sh, n), all, sug);
	else
		mr_yaml_problem(y, n, "%s \"%s\" is not one of %s", what, show(sh, n), all);
	return -1;
}
