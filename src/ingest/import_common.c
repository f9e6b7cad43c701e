/* import_common.c — the one CSV-to-measurements pipeline every kind of
 * import runs on.
 *
 * A kind (import_int.h) says which fields it reads and where each preset
 * keeps them; this file does the rest once: the header (preset picked from
 * it when exactly one matches, else --preset, else the generic layout;
 * then --map), UTF-8 and field-count checks on every row, bad rows
 * stopping the import or skipped with --skip-bad, dates in the forms
 * exports write, ownership lookups with unmapped names counted and told
 * once, and the batch: the same content twice refused, or swapped with
 * --replace (what identifies a row is import_once.c's).
 */
#include "ingest/import_int.h"

#include <iconv.h>
#include <jansson.h>

#include <stdarg.h>

#include "core/period.h"
#include "util/num.h"
#include "util/utf8.h"
#include "util/vec.h"
#include "ingest/sheet.h"

/* Rows held while the date order is unknown: at most this many bytes
 * (the rows' text), then the import asks for --date-order. */
#define MR_IMP_MAX_HELD (8u << 20)

const char *const mr_import_kinds[] = {
	"measurements", "orders", "tasks", "ranks", "leads", "content", "posts", "members",
	"uptime", "visits", "index", NULL
};

static const mr_imp_kind *const kinds[] = {
	&mr_import_kind_measurements, &mr_import_kind_orders, &mr_import_kind_tasks,
	&mr_import_kind_ranks, &mr_import_kind_leads, &mr_import_kind_content,
	&mr_import_kind_posts, &mr_import_kind_members, &mr_import_kind_uptime,
	&mr_import_kind_visits, &mr_import_kind_index,
};

struct mr_imp_tally {
	char *kind, *name;     /* kind NULL: an indicator not in the plan */
	long count;
};

void mr_import_result_init(mr_import_result *r)
{
	memset(r, 0, sizeof *r);
	mr_buf_init(&r->notes);
}

void mr_import_result_release(mr_import_result *r)
{
	mr_buf_release(&r->notes);
}

/* ---- small text helpers ---- */

int mr_imp_same_ci(const char *a, const char *b)
{
	return mr_ascii_casecmp(a, b) == 0;
}
#define same_ci mr_imp_same_ci

const char *mr_imp_url_path(const char *url)
{
	const char *p = strstr(url, "://");
	if (p && p > url && strcspn(url, "/?#") > (size_t)(p - url)) {
		p += 3;
		p += strcspn(p, "/?#");
		return p;
	}
	return url;
}

/* Lower-cased scheme and host, no default port (:80 for http, :443 for
 * https), no #fragment, no utm_* query parameters (the others kept in
 * their order), no trailing slash on the path: "HTTPS://Weibo.example:443/
 * p/1/?utm_source=x&id=2#top" is "https://weibo.example/p/1?id=2". */
void mr_imp_url_norm(mr_buf *b, const char *url)
{
	mr_buf t;
	mr_buf_init(&t);
	mr_imp_norm_append(&t, url);
	const char *u = t.data, *p = mr_imp_url_path(u);
	if (p != u) {                               /* scheme://host[:port] */
		const char *sep = strstr(u, "://");
		size_t hn = (size_t)(p - sep - 3);
		const char *port = memchr(sep + 3, ':', hn);
		size_t before = b->len;
		for (const char *c = u; c < sep; c++)
			mr_buf_putc(b, (char)mr_ascii_lower((unsigned char)*c));
		int https = b->len - before == 5 && memcmp(b->data + before, "https", 5) == 0;
		int http = b->len - before == 4 && memcmp(b->data + before, "http", 4) == 0;
		mr_buf_puts(b, "://");
		if (port && ((http && (size_t)(p - port) == 3 && memcmp(port, ":80", 3) == 0) ||
		             (https && (size_t)(p - port) == 4 && memcmp(port, ":443", 4) == 0)))
			hn = (size_t)(port - sep - 3);
		for (size_t i = 0; i < hn; i++)
			mr_buf_putc(b, (char)mr_ascii_lower((unsigned char)sep[3 + i]));
	}
	size_t plen = strcspn(p, "?#");
	while (plen && p[plen - 1] == '/')
		plen--;
	mr_buf_add(b, p, plen);
	p += strcspn(p, "?#");
	if (*p == '?') {
		const char *q = p + 1, *end = q + strcspn(q, "#");
		int n = 0;
		while (q < end) {
			const char *amp = memchr(q, '&', (size_t)(end - q));
			size_t len = amp ? (size_t)(amp - q) : (size_t)(end - q);
			int utm = len >= 4 && mr_ascii_lower((unsigned char)q[0]) == 'u' &&
			          mr_ascii_lower((unsigned char)q[1]) == 't' && mr_ascii_lower((unsigned char)q[2]) == 'm' &&
			          q[3] == '_';
			if (len && !utm) {
				mr_buf_putc(b, n++ ? '&' : '?');
				mr_buf_add(b, q, len);
			}
			q += len + (amp != NULL);
		}
	}
	mr_buf_release(&t);
}

int mr_imp_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] && mr_ascii_lower((unsigned char)hay[i]) == mr_ascii_lower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return 1;
	}
	return n == 0;
}


/* ---- notes and bad rows ---- */

void mr_imp_note(mr_imp *im, const char *fmt, ...)
{
	va_list ap;
	mr_buf_printf(&im->out->notes, "%s: ", im->path);
	va_start(ap, fmt);
	mr_buf_vprintf(&im->out->notes, fmt, ap);
	va_end(ap);
	mr_buf_putc(&im->out->notes, '\n');
}

const char *mr_imp_where(const mr_imp *im, long line, int col, char *out, size_t cap)
{
	if (im->sheet[0])
		mr_sheet_where(out, cap, im->path, im->sheet, line, col - 1);
	else if (col > 0)
		snprintf(out, cap, "%s:%ld:%d", im->path, line, col);
	else
		snprintf(out, cap, "%s:%ld", im->path, line);
	return out;
}
#define where(im, line, col, out, cap) mr_imp_where(im, line, col, out, cap)

static int bad_at(mr_imp *im, long line, int col, int code, mr_err *err, const char *msg)
{
	char at[512];
	where(im, line, col, at, sizeof at);
	if (im->o->skip_bad && code != MR_ENOMEM && code != MR_EDB && code != MR_EIO &&
	    code != MR_EFULL) {
		/* the first hundred are told row by row; the count tells the rest */
		if (++im->out->skipped <= MR_IMPORT_MAX_NOTES)
			mr_buf_printf(&im->out->notes, "%s: %s (row skipped)\n", at, msg);
		else if (im->out->skipped == MR_IMPORT_MAX_NOTES + 1)
			mr_buf_printf(&im->out->notes, "%s: more bad rows skipped; only the first %d "
			              "are listed\n", im->path, MR_IMPORT_MAX_NOTES);
		return MR_IMP_SKIP;
	}
	return mr_err_set(err, code, "%s: %s", at, msg);
}

int mr_imp_colno(const mr_imp *im, int f)
{
	return f >= 0 && im->col[f] >= 0 ? im->col[f] + 1 : 1;
}

int mr_imp_bad(mr_imp *im, int f, int code, mr_err *err, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return bad_at(im, im->row->line, mr_imp_colno(im, f), code, err, msg);
}

/* ---- fields of the current row ---- */

const char *mr_imp_get(mr_imp *im, int f)
{
	if (im->col[f] < 0)
		return "";
	if (!(im->kind->multi & 1u << f))
		return im->row->f[im->col[f]];
	mr_buf_reset(&im->joined);
	for (size_t i = 0; i < im->ncols; i++)
		if (im->field_of[i] == f && im->row->f[i][0]) {
			if (im->joined.len)
				mr_buf_puts(&im->joined, ", ");
			mr_buf_puts(&im->joined, im->row->f[i]);
		}
	return im->joined.data;
}

int mr_imp_number(mr_imp *im, int f, double dflt, double *out, mr_err *err)
{
	const char *v = mr_imp_get(im, f);
	*out = dflt;
	if (!*v)
		return 0;
	if (mr_num_parse(out, v) || *out < 0)
		return mr_imp_bad(im, f, MR_EINVALID, err, "%s \"%s\" is not a number ≥ 0",
		                  im->kind->fields[f], v);
	return 0;
}

int mr_imp_money(mr_imp *im, int f, int64_t *out, mr_err *err)
{
	const char *v = mr_imp_get(im, f);
	*out = 0;
	if (*v && mr_money_parse(out, v))
		return mr_imp_bad(im, f, MR_EINVALID, err, "%s \"%s\" is not an amount "
		                  "(like 1234.50)", im->kind->fields[f], v);
	return 0;
}

/* ---- ownership ---- */

/* The ownership rules, read once (attrib.c decides with them). */
static int load_rules(mr_imp *im, mr_err *err)
{
	mr_rule_row *rows = NULL;
	size_t n = 0;
	int rc = mr_store_own_list(im->s, &rows, &n, err);
	if (!rc && mr_attrib_new(&im->attrib, rows, n))
		rc = mr_err_nomem(err);
	mr_rule_rows_free(rows, n);
	return rc;
}

const char *mr_imp_owner(mr_imp *im, const char *kind, const char *value)
{
	int k = mr_attrib_kind(kind), who;
	if (k < 0 || (who = mr_attrib_match(im->attrib, (mr_own_kind)k, value, strlen(value))) < 0)
		return NULL;
	return mr_attrib_login(im->attrib, who);
}

const char *mr_imp_channel(mr_imp *im, const char *campaign, const char *source,
                           const char *url, char *via, size_t vsize)
{
	mr_attrib_from f = { campaign, strlen(campaign), source, strlen(source), url, strlen(url),
	                     NULL, 0 };
	int who = mr_attrib_channel(im->attrib, &f, via, vsize);
	return who < 0 ? NULL : mr_attrib_login(im->attrib, who);
}

/* Count (kind, name), found in tally_map by their hash; two pairs with
 * one hash: the second tries the hash's own hash (as seen_count does). */
static int tally(mr_imp *im, const char *kind, const char *name, mr_err *err)
{
	uint64_t key = mr_hash_bytes(name, strlen(name),
	                             kind ? mr_hash_bytes(kind, strlen(kind), 1) : 0);
	for (uint32_t i; (i = mr_map_get(&im->tally_map, key)) != MR_MAP_NONE;
	     key = mr_hash_mix(key + 1)) {
		struct mr_imp_tally *t = &im->tally[i];
		if ((kind ? t->kind && strcmp(t->kind, kind) == 0 : !t->kind) &&
		    strcmp(t->name, name) == 0) {
			t->count++;
			return 0;
		}
	}
	if (im->ntally >= UINT32_MAX ||
	    mr_vec_grow(&im->tally, &im->captally, im->ntally, sizeof *im->tally))
		return mr_err_nomem(err);
	struct mr_imp_tally *t = &im->tally[im->ntally];
	t->kind = kind ? strdup(kind) : NULL;
	t->name = strdup(name);
	t->count = 1;
	if ((kind && !t->kind) || !t->name ||
	    mr_map_put(&im->tally_map, key, (uint32_t)im->ntally)) {
		free(t->kind);
		free(t->name);
		return mr_err_nomem(err);
	}
	im->ntally++;
	return 0;
}

int mr_imp_unmapped(mr_imp *im, const char *kind, const char *name, mr_err *err)
{
	return tally(im, kind, name, err);
}

int mr_imp_measure(mr_imp *im, const char *indicator, const char *login, int day,
                   double value, int has_den, double den, long line, int col, mr_err *err)
{
	mr_err e2 = MR_ERR_INIT;
	if (!mr_plan_indicator(im->plan, indicator))
		return tally(im, NULL, indicator, err);
	if (im->kind->keyed == 0 && im->row && !im->row_claim) {
		int rc = mr_imp_claim_row(im, err);
		if (rc < 0)
			return rc;
		im->row_claim = rc ? rc : 2;
	}
	if (im->row_claim == MR_IMP_SKIP)
		return MR_IMP_SKIP;
	int rc = mr_store_measure_add(im->s, im->out->batch, indicator, login, day, value,
	                              has_den, den, line, &e2);
	if (rc) {
		if (rc == MR_EFROZEN && im->kind->date_field >= 0 && mr_imp_has(im, im->kind->date_field))
			col = mr_imp_colno(im, im->kind->date_field);   /* the date is what is frozen */
		rc = bad_at(im, line, col, rc, err, e2.msg ? e2.msg : mr_err_str(rc));
		mr_err_hint_from(err, &e2);
		mr_err_clear(&e2);
		return rc;
	}
	im->out->rows++;
	if (!im->first_day || day < im->first_day)
		im->first_day = day;
	if (day > im->last_day)
		im->last_day = day;
	return 0;
}

int mr_imp_check(mr_imp *im, const char *indicator, const char *login, int day, int col,
                 mr_err *err)
{
	mr_err e2 = MR_ERR_INIT;
	if (!mr_plan_indicator(im->plan, indicator))
		return 0;   /* not written, only counted */
	int rc = mr_store_measure_check(im->s, login, day, &e2);
	if (rc) {
		rc = bad_at(im, im->row->line, col, rc, err, e2.msg ? e2.msg : mr_err_str(rc));
		mr_err_hint_from(err, &e2);
		mr_err_clear(&e2);
	}
	return rc;
}

/* ---- the date order: rows held while the file has not said it ---- */

static mr_csv_row *row_copy(const mr_csv_row *row)
{
	size_t size = sizeof *row + row->n * sizeof(char *);
	for (size_t i = 0; i < row->n; i++)
		size += strlen(row->f[i]) + 1;
	mr_csv_row *c = malloc(size);
	if (!c)
		return NULL;
	c->line = row->line;
	c->n = row->n;
	c->f = (char **)(c + 1);
	char *p = (char *)(c->f + row->n);
	for (size_t i = 0; i < row->n; i++) {
		size_t len = strlen(row->f[i]) + 1;
		memcpy(p, row->f[i], len);
		c->f[i] = p;
		p += len;
	}
	return c;
}

/* What the row's dates say of the order: MR_DATE_DMY or MR_DATE_MDY (and
 * im->date_order set from it), MR_DATE_AMBIGUOUS, or MR_DATE_UNTOLD. */
static int date_evidence(mr_imp *im, const mr_csv_row *row)
{
	const mr_imp_kind *k = im->kind;
	unsigned mask = k->dates | (k->date_field >= 0 ? 1u << k->date_field : 0);
	int amb = 0;
	for (int f = 0; k->fields[f]; f++) {
		int day, seen, c = im->col[f];
		if (!(mask & 1u << f) || c < 0 || (size_t)c >= row->n || !row->f[c][0])
			continue;
		mr_imp_date_parse(&day, row->f[c], 0, &seen);
		if (seen == MR_DATE_DMY || seen == MR_DATE_MDY) {
			im->date_order = seen;
			im->order_line = row->line;
			return seen;
		}
		if (seen == MR_DATE_AMBIGUOUS && !amb++ && !im->amb_line) {
			im->amb_line = row->line;
			im->amb_col = c + 1;
			snprintf(im->amb_text, sizeof im->amb_text, "%s", row->f[c]);
		}
	}
	return amb ? MR_DATE_AMBIGUOUS : MR_DATE_UNTOLD;
}

/* The preview's columns, once the header is read. */
static int preview_columns(mr_imp *im, const mr_csv_row *row, mr_err *err)
{
	json_t *cols = json_array();
	for (size_t i = 0; cols && i < row->n; i++) {
		int f = im->field_of[i];
		if (json_array_append_new(cols, json_pack("{sssosb}", "name", row->f[i], "field",
		                          f >= 0 ? json_string(im->kind->fields[f]) : json_null(),
		                          "ignored", f == MR_IMP_IGNORE))) {
			json_decref(cols);
			cols = NULL;
		}
	}
	if (!cols || json_object_set_new(im->o->preview, "columns", cols))
		return mr_err_nomem(err);
	return 0;
}

/* The preview's rows: the first few, each field as the kind reads it. */
static int preview_row(mr_imp *im, mr_err *err)
{
	json_t *rows = json_object_get(im->o->preview, "rows");
	if (!rows) {
		if (json_object_set_new(im->o->preview, "rows", json_array()))
			return mr_err_nomem(err);
		rows = json_object_get(im->o->preview, "rows");
	}
	if (json_array_size(rows) >= MR_IMPORT_PREVIEW_ROWS)
		return 0;
	json_t *v = json_object();
	for (int f = 0; v && im->kind->fields[f]; f++)
		if (mr_imp_has(im, f) &&
		    json_object_set_new(v, im->kind->fields[f], json_string(mr_imp_get(im, f)))) {
			json_decref(v);
			v = NULL;
		}
	if (!v || json_array_append_new(rows, json_pack("{sIso}", "line",
	                                (json_int_t)im->row->line, "values", v)))
		return mr_err_nomem(err);
	return 0;
}

static int run_row(mr_imp *im, void *state, const mr_csv_row *row, mr_err *err)
{
	im->row = row;
	im->row_claim = 0;                 /* this row's identity is not claimed yet */
	if (im->o->preview && preview_row(im, err))
		return MR_ENOMEM;
	int rc = im->kind->row(im, state, err);
	im->row = NULL;                    /* a held row is freed next; finish() has none */
	return rc < 0 ? rc : 0;
}

static int release_held(mr_imp *im, void *state, mr_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < im->nheld; i++) {
		if (!rc)
			rc = run_row(im, state, im->held[i], err);
		free(im->held[i]);
	}
	im->nheld = 0;
	return rc;
}

/* Before the first row's dates decide anything: hold rows from the first
 * ambiguous date on, until a date shows the order (then run them in
 * order), or the end refuses them (no_order). */
static int order_row(mr_imp *im, void *state, const mr_csv_row *row, mr_err *err)
{
	int ev = date_evidence(im, row);
	if (ev == MR_DATE_DMY || ev == MR_DATE_MDY) {
		int rc = release_held(im, state, err);
		return rc ? rc : run_row(im, state, row, err);
	}
	if (ev == MR_DATE_UNTOLD && !im->nheld)
		return run_row(im, state, row, err);
	if (mr_vec_grow(&im->held, &im->capheld, im->nheld, sizeof *im->held) ||
	    !(im->held[im->nheld] = row_copy(row)))
		return mr_err_nomem(err);
	for (size_t i = 0; i < row->n; i++)
		im->held_bytes += strlen(row->f[i]) + 1 + sizeof(char *);
	im->nheld++;
	if (im->held_bytes > MR_IMP_MAX_HELD) {
		char at[512];
		where(im, im->amb_line, im->amb_col, at, sizeof at);
		mr_err_set(err, MR_EINVALID, "%s: date \"%s\" is ambiguous: day first or month "
		           "first? The %zu rows after it (%u MiB) have no date with a day over 12 to "
		           "tell", at, im->amb_text, im->nheld, MR_IMP_MAX_HELD >> 20);
		mr_err_hint(err, MR_HINT_DATE_ORDER, MR_IMP_HINT_DATE_ORDER);
		return MR_EINVALID;
	}
	return 0;
}

static int no_order(mr_imp *im, mr_err *err)
{
	char at[512];
	where(im, im->amb_line, im->amb_col, at, sizeof at);
	mr_err_set(err, MR_EINVALID, "%s: date \"%s\" is ambiguous: day first or month first? "
	           "No date in the file has a day over 12 to tell", at, im->amb_text);
	mr_err_hint(err, MR_HINT_DATE_ORDER, MR_IMP_HINT_DATE_ORDER);
	return MR_EINVALID;
}

static int on_row(const mr_csv_row *row, void *payload, mr_err *err)
{
	void **pp = payload;
	mr_imp *im = pp[0];
	int empty = 1, rc;
	if (row->n == 1 && !row->f[0][0])
		return 0;   /* a blank line */
	if (row->sheet && !im->sheet[0])
		snprintf(im->sheet, sizeof im->sheet, "%s", row->sheet);
	/* the rows as read: line ends, a BOM and a last newline left out */
	for (size_t i = 0; i < row->n; i++) {
		mr_buf_reset(&im->key);
		mr_buf_add(&im->key, row->f[i], strlen(row->f[i]) + 1);
		for (size_t j = 0; j + 1 < im->key.len; j++)    /* CR LF inside a field */
			if (im->key.data[j] == '\r' && im->key.data[j + 1] == '\n')
				memmove(im->key.data + j, im->key.data + j + 1, im->key.len-- - j - 1);
		if (mr_buf_oom(&im->key))
			return mr_err_nomem(err);
		crypto_hash_sha256_update(&im->rows_sha, (const unsigned char *)im->key.data,
		                          im->key.len);
	}
	crypto_hash_sha256_update(&im->rows_sha, (const unsigned char *)"\n", 1);
	if (!im->header_done) {
		int hr = mr_imp_header(im, row, err);
		return hr || !im->o->preview ? hr : preview_columns(im, row, err);
	}
	im->data_rows++;
	im->row = row;
	for (size_t i = 0; i < row->n; i++) {
		if (!mr_utf8_ok(row->f[i])) {
			rc = bad_at(im, row->line, (int)i + 1, MR_EINVALID, err,
			            "not valid UTF-8 (nor GB18030)");
			mr_err_hint(err, MR_HINT_ENCODING, "say the file's encoding with --encoding "
			            "NAME (WINDOWS-1252, BIG5, SHIFT_JIS, …), or save it as UTF-8");
			return rc < 0 ? rc : 0;
		}
		empty &= !row->f[i][0];
	}
	if (row->n != im->ncols) {
		char msg[96];
		snprintf(msg, sizeof msg, "%zu fields where the header has %zu", row->n, im->ncols);
		rc = bad_at(im, row->line, 1, MR_EINVALID, err, msg);
		return rc < 0 ? rc : 0;
	}
	if (empty) {
		im->blank_rows++;  /* an export's padding: rows of commas only */
		return 0;
	}
	if (!im->date_order)
		return order_row(im, pp[1], row, err);
	return run_row(im, pp[1], row, err);
}

/* After the rows: tell what was not counted, once per name. */
static void tell_tallies(mr_imp *im)
{
	if (im->blank_rows)
		mr_imp_note(im, "%ld empty rows ignored", im->blank_rows);
	for (size_t i = 0; i < im->ntally; i++) {
		const struct mr_imp_tally *t = &im->tally[i];
		if (t->kind && im->o->web)
			mr_imp_note(im, "%s \"%s\" is not mapped to a login (an admin can give it "
			            "an owner): %ld row%s not attributed to anyone", t->kind, t->name,
			            t->count, t->count == 1 ? "" : "s");
		else if (t->kind)
			mr_imp_note(im, "%s \"%s\" is not mapped to a login (`merit own %s '%s' --who "
			            "LOGIN`): %ld row%s not attributed to anyone", t->kind, t->name,
			            t->kind, t->name, t->count, t->count == 1 ? "" : "s");
		else
			mr_imp_note(im, "indicator %s is not in the plan: %ld measurement%s not written",
			            t->name, t->count, t->count == 1 ? "" : "s");
	}
}

/* What no rule gave an owner, kept with the batch for the admin to
 * assign (the first MR_IMP_MAX_UNATTRIBUTED names, by the order met). */
#define MR_IMP_MAX_UNATTRIBUTED 200
static int keep_unattributed(mr_imp *im, mr_err *err)
{
	json_t *arr = json_array();
	int rc = arr ? 0 : mr_err_nomem(err);
	size_t kept = 0;
	for (size_t i = 0; !rc && i < im->ntally && kept < MR_IMP_MAX_UNATTRIBUTED; i++) {
		const struct mr_imp_tally *t = &im->tally[i];
		if (!t->kind || !mr_utf8_ok(t->name))
			continue;
		if (json_array_append_new(arr, json_pack("{sssssI}", "kind", t->kind, "value",
		                                         t->name, "rows", (json_int_t)t->count)))
			rc = mr_err_nomem(err);
		kept++;
	}
	char *text = !rc && kept ? json_dumps(arr, JSON_COMPACT) : NULL;
	if (!rc && kept && !text)
		rc = mr_err_nomem(err);
	if (!rc && text)
		rc = mr_store_batch_unattributed(im->s, im->out->batch, text, err);
	free(text);
	json_decref(arr);
	return rc;
}

/* Refuse the same content twice, and rows an earlier batch counted.
 * With --replace, swap out the batch of the same content and every batch
 * whose rows this file holds (their keys are this batch's already), else
 * the latest batch of this kind from a file of the same name (a
 * corrected export); with neither, it is a new import.  Under
 * --skip-bad the overlapping rows were skipped: counted and told. */
static int settle_batch(mr_imp *im, const char *sha, const char *rows_sha, mr_err *err)
{
	int64_t old;
	int rc = mr_store_batch_find(im->s, im->kind->name, sha, &old, err);
	if (rc == MR_ENOTFOUND)
		rc = mr_store_batch_find_rows(im->s, im->kind->name, rows_sha, &old, err);
	if (rc == 0 && !im->o->replace) {
		mr_err_set(err, MR_EEXISTS, "%s: this content was imported already as batch %lld",
		           im->path, (long long)old);
		mr_err_hint(err, MR_HINT_FILE_IMPORTED, "use --replace to swap it, or `merit batch rm "
		            "%lld`", (long long)old);
		return MR_EEXISTS;
	}
	if (rc && rc != MR_ENOTFOUND)
		return rc;
	if (im->overlaps && !im->o->replace) {
		mr_buf b;
		mr_buf_init(&b);
		mr_imp_overlaps_show(im, &b);
		if (mr_buf_oom(&b)) {
			mr_buf_release(&b);
			return mr_err_nomem(err);
		}
		if (im->o->skip_bad) {
			im->out->skipped += im->overlaps;
			mr_imp_note(im, "%ld row%s imported already, by %s: skipped, not counted again",
			            im->overlaps, im->overlaps == 1 ? "" : "s", b.data);
			rc = 0;
		} else {
			int64_t first = im->ovl[0].batch;
			rc = mr_err_set(err, MR_EEXISTS, "%s: %ld row%s of this file %s counted "
			                "already, by %s", im->path, im->overlaps,
			                im->overlaps == 1 ? "" : "s", im->overlaps == 1 ? "was" : "were",
			                b.data);
			mr_err_hint(err, MR_HINT_ROWS_IMPORTED, "use --replace to swap %s for this file, "
			            "--skip-bad to import only the new rows, or `merit batch rm %lld`",
			            im->novl == 1 ? "that batch" : "those batches", (long long)first);
		}
		mr_buf_release(&b);
		return rc;
	}
	if (!im->o->replace) {
		/* rows with no identity kept: a corrected copy of a file is new
		 * rows, so both count; a file of the same name before says so */
		int d1 = 0, d2 = 0;
		if (im->kind->keyed < 0 && im->first_day &&
		    (rc = mr_store_batch_latest(im->s, im->kind->name, im->path, im->out->batch, &old,
		                                err)) == 0 &&
		    (rc = mr_store_batch_days(im->s, old, &d1, &d2, err)) == 0 &&
		    d1 <= im->last_day && im->first_day <= d2)   /* its days: a correction */
			mr_imp_note(im, im->o->web ? "batch %lld came from a file of the same name, and "
			            "both count; if this file corrects that one, remove batch %lld" :
			            "batch %lld came from a file of the same name, and both count; if this "
			            "file corrects that one, remove it (`merit batch rm %lld`), or import "
			            "with --replace next time", (long long)old, (long long)old);
		return rc == MR_ENOTFOUND ? 0 : rc;
	}
	if (rc == MR_ENOTFOUND && !im->novl &&
	    (rc = mr_store_batch_latest(im->s, im->kind->name, im->path, im->out->batch, &old,
	                                err)) == MR_ENOTFOUND)
		return 0;
	if (rc == 0) {
		if ((rc = mr_store_batch_rm(im->s, old, err)))
			return rc;
		im->out->replaced = old;
	}
	for (size_t i = 0; i < im->novl; i++) {
		if (im->ovl[i].batch == im->out->replaced)
			continue;
		if ((rc = mr_store_batch_rm(im->s, im->ovl[i].batch, err)))
			return rc;
		if (!im->out->replaced)
			im->out->replaced = im->ovl[i].batch;
		else
			mr_imp_note(im, "replacing batch %lld too (its rows are in this file)",
			            (long long)im->ovl[i].batch);
	}
	return 0;
}

/* An import that would count nothing makes no batch: why not. */
static int nothing_counted(mr_imp *im, mr_err *err)
{
	mr_buf why;
	int rc, n = 0;
	mr_buf_init(&why);
	for (size_t i = 0; i < im->ntally; i++)
		if (!im->tally[i].kind)
			mr_buf_printf(&why, "%s%s", n++ ? ", " : "indicator ", im->tally[i].name);
	if (n)
		mr_buf_printf(&why, " %s not in the plan", n == 1 ? "is" : "are");
	else if (im->overlaps)
		mr_buf_printf(&why, "every row was imported already");
	else if (im->out->skipped)
		mr_buf_printf(&why, "every row was bad and skipped");
	else
		mr_buf_printf(&why, "no row gave a measurement (see the notes above)");
	rc = mr_err_set(err, MR_EINVALID, "%s: nothing to count, so no batch was made: %s",
	                im->path, mr_buf_oom(&why) ? "out of memory" : why.data);
	mr_buf_release(&why);
	return rc;
}

static const mr_imp_kind *kind_named(const char *name)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i]->name, name) == 0)
			return kinds[i];
	return NULL;
}

/* A template's example value of a generic layout's field, by "kind.field"
 * or else its name: a value the importer reads (none: left empty). */
static const struct { const char *field, *example; } examples[] = {
	{ "date", "2026-11-03" }, { "indicator", "promo_posts" }, { "login", "lina" },
	{ "assignee", "lina" }, { "author", "lina" }, { "value", "12" },
	{ "order", "1001" }, { "customer", "c-1001" }, { "total", "199.00" },
	{ "refunded", "0" }, { "status", "paid" }, { "source", "weibo" },
	{ "campaign", "spring" }, { "landing", "https://shop.example/p/1?utm_source=weibo" },
	{ "key", "T-1" }, { "type", "design" }, { "due", "2026-11-10" }, { "done", "2026-11-08" },
	{ "first_review", "approved" }, { "updated", "2026-11-08" }, { "keyword", "tea set" },
	{ "position", "3" }, { "count", "5" }, { "platform", "weibo" },
	{ "url", "https://weibo.example/p/1" }, { "views", "120" }, { "shares", "8" },
	{ "title", "Spring tea" }, { "site", "www.example.com" }, { "up", "1438" },
	{ "uptime.total", "1440" },
	{ "visits", "320" }, { "visitors", "250" }, { "page_views", "900" },
	{ "index.value", "1580" }, { "index.type", "all" },
};

static void csv_cell(mr_buf *b, const char *cell, size_t n, int first)
{
	if (!first)
		mr_buf_putc(b, ',');
	if (!memchr(cell, ',', n) && !memchr(cell, '"', n) && !memchr(cell, '\n', n)) {
		mr_buf_add(b, cell, n);
		return;
	}
	mr_buf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (cell[i] == '"')
			mr_buf_putc(b, '"');
		mr_buf_putc(b, cell[i]);
	}
	mr_buf_putc(b, '"');
}

int mr_import_template(const char *kind, const char *preset, mr_buf *b, mr_err *err)
{
	mr_imp im;
	mr_import_opts o;
	const char *head[MR_IMP_MAX_FIELDS * 3];
	size_t nhead = 0;
	int rc;
	memset(&im, 0, sizeof im);
	memset(&o, 0, sizeof o);
	if (!(im.kind = kind_named(kind)))
		return mr_err_set(err, MR_EINVALID, "kind: \"%s\" is not a kind of import: "
		                  MR_IMPORT_KINDS_TEXT, kind);
	o.preset = preset;
	im.o = &o;
	if (preset && (rc = mr_imp_preset_named(&im, err)))
		return rc;
	const mr_imp_preset *p = im.preset ? im.preset : &im.kind->presets[0];
	const char *const *cols = p->cols ? p->cols : im.kind->fields;
	for (int f = 0; im.kind->fields[f]; f++)
		if (cols[f])
			head[nhead++] = cols[f];
	/* the columns that tell this export from the others */
	for (int pass = 0; pass < 2; pass++)
		for (const char *const *c = pass ? p->ident : p->sig; c && *c; c++) {
			size_t i = 0;
			for (; i < nhead; i++) {
				char first[256];     /* the column's first name, as written */
				snprintf(first, sizeof first, "%.*s", (int)strcspn(head[i], "|"), head[i]);
				if (mr_imp_hdr_one_of(*c, first))
					break;
			}
			if (i == nhead && nhead < sizeof head / sizeof head[0])
				head[nhead++] = *c;
		}
	for (size_t i = 0; i < nhead; i++)
		csv_cell(b, head[i], strcspn(head[i], "|"), i == 0);
	mr_buf_putc(b, '\n');
	if (!p->cols) {
		for (int f = 0; im.kind->fields[f]; f++) {
			const char *ex = "", *fld = im.kind->fields[f];
			size_t kl = strlen(kind);
			for (size_t e = 0; e < sizeof examples / sizeof examples[0]; e++) {
				const char *x = examples[e].field;
				if (strncmp(x, kind, kl) == 0 && x[kl] == '.' && strcmp(x + kl + 1, fld) == 0) {
					ex = examples[e].example;
					break;
				}
				if (strcmp(x, fld) == 0)
					ex = examples[e].example;
			}
			csv_cell(b, ex, strlen(ex), f == 0);
		}
		mr_buf_putc(b, '\n');
	}
	return mr_buf_oom(b) ? mr_err_nomem(err) : 0;
}

int mr_import_check(const char *kind, const mr_import_opts *o, mr_err *err)
{
	mr_imp im;
	int rc = 0;
	memset(&im, 0, sizeof im);
	im.o = o;
	if (!(im.kind = kind_named(kind)))
		return mr_err_set(err, MR_EINVALID, "\"%s\" is not a kind of import: "
		                  MR_IMPORT_KINDS_TEXT, kind);
	if (o->preset && (rc = mr_imp_preset_named(&im, err)))
		return rc;
	if (o->encoding) {
		iconv_t cd = iconv_open("UTF-8", o->encoding);
		if (cd == (iconv_t)-1) {
			mr_err_set(err, MR_EINVALID, "encoding \"%s\": not an encoding this system knows "
			           "(GBK, GB18030, UTF-16, BIG5, WINDOWS-1252…)", o->encoding);
			mr_err_hint(err, MR_HINT_NONE, "`iconv -l` lists them");
			return MR_EINVALID;
		}
		iconv_close(cd);
	}
	if (o->map && (rc = mr_imp_map_check(&im, o->map, err)))
		return rc;
	for (size_t i = 0; o->maps && o->maps[i]; i++)
		if ((rc = mr_imp_map_check(&im, o->maps[i], err)))
			return rc;
	if (o->map_file && (rc = mr_imp_maps_load(&im, err)))
		return rc;
	mr_imp_maps_free(&im);
	rc = mr_imp_values_load(&im, err);
	mr_imp_values_free(&im);
	return rc;
}

int mr_import_file(mr_store *s, const mr_plan *plan, const char *kind, const char *path,
                   const mr_import_opts *o, mr_import_result *out, mr_err *err)
{
	char sha[65], rows_sha[65];
	unsigned char h[crypto_hash_sha256_BYTES];
	mr_imp im;
	mr_read_opts ro = { o->name, o->encoding, o->sheet };
	void *state = NULL, *pp[2];
	int rc = 0;
	memset(&im, 0, sizeof im);
	if (!(im.kind = kind_named(kind)))
		return mr_err_set(err, MR_ENOTFOUND, "\"%s\" is not a kind of import", kind);
	if (o->indicator && strcmp(kind, "index") != 0)
		return mr_err_set(err, MR_EINVALID, "an indicator is named for index files only (a "
		                  "search-index series), not %s: %s files say what they measure",
		                  kind, kind);
	im.s = s;
	im.plan = plan;
	im.path = o->name ? o->name : strcmp(path, "-") == 0 ? "(stdin)" : path;
	im.o = o;
	im.out = out;
	im.date_order = o->date_order;
	mr_buf_init(&im.joined);
	mr_buf_init(&im.key);
	crypto_hash_sha256_init(&im.rows_sha);
	if (!(state = calloc(1, im.kind->state_size ? im.kind->state_size : 1))) {
		rc = mr_err_nomem(err);
		goto done;
	}
	pp[0] = &im;
	pp[1] = state;
	if ((o->map_file && (rc = mr_imp_maps_load(&im, err))) ||
	    (rc = mr_imp_values_load(&im, err)) ||
	    (rc = load_rules(&im, err)) ||
	    /* not beside an import being written in parts: its half would
	     * be checked against (what a killed one left goes now) */
	    (rc = mr_store_loading_clear(s, err)) ||
	    (rc = mr_store_batch_add(s, &out->batch, im.kind->name, im.path, NULL, err)) ||
	    (rc = mr_rows_each(path, &ro, on_row, pp, sha, &o->progress, err)))
		goto done;
	if (!im.header_done) {
		mr_buf b;
		mr_buf_init(&b);
		mr_imp_layout(im.kind, &b);
		rc = mr_err_set(err, MR_EINVALID, "%s: the file is empty; it needs the header %s "
		                "or an export's own", im.path, b.data);
		mr_buf_release(&b);
		goto done;
	}
	if (!im.data_rows) {
		rc = mr_err_set(err, MR_EINVALID, "%s: only a header, no rows: nothing to import",
		                im.path);
		goto done;
	}
	if (im.nheld) {
		rc = no_order(&im, err);
		goto done;
	}
	crypto_hash_sha256_final(&im.rows_sha, h);
	sodium_bin2hex(rows_sha, sizeof rows_sha, h, sizeof h);
	if ((rc = settle_batch(&im, sha, rows_sha, err)))
		goto done;
	if (im.kind->finish && (rc = im.kind->finish(&im, state, err)))
		goto done;
	if (im.repeats)
		mr_imp_note(&im, "%ld row%s repeating an earlier row of the file: counted once",
		            im.repeats, im.repeats == 1 ? "" : "s");
	tell_tallies(&im);
	mr_imp_values_tell(&im);
	if (mr_buf_oom(&out->notes)) {
		rc = mr_err_nomem(err);
		goto done;
	}
	if (!out->rows) {
		rc = nothing_counted(&im, err);
		goto done;
	}
	if ((rc = mr_store_batch_rows_sha(s, out->batch, rows_sha, err)) ||
	    (rc = keep_unattributed(&im, err)))
		goto done;
	rc = mr_store_batch_finish(s, out->batch, out->rows, sha, err);
done:
	if (o->preview)
		json_object_set_new(o->preview, "data_rows", json_integer(im.data_rows));
	if (state && im.kind->release)
		im.kind->release(state);
	free(state);
	for (size_t i = 0; i < im.ntally; i++) {
		free(im.tally[i].kind);
		free(im.tally[i].name);
	}
	free(im.tally);
	mr_map_release(&im.tally_map);
	mr_attrib_free(im.attrib);
	free(im.field_of);
	mr_imp_maps_free(&im);
	mr_imp_values_free(&im);
	for (size_t i = 0; i < im.nheld; i++)
		free(im.held[i]);
	free(im.held);
	mr_buf_release(&im.joined);
	mr_buf_release(&im.key);
	mr_imp_once_release(&im);
	return rc;
}

int mr_import_measurements(mr_store *s, const mr_plan *plan, const char *path,
                           const mr_import_opts *o, mr_import_result *out, mr_err *err)
{
	return mr_import_file(s, plan, "measurements", path, o, out, err);
}

void mr_import_post_key(mr_buf *b, const char *url)
{
	mr_imp_url_norm(b, url);
}
