/* import_map.c — which header column holds which field: the tolerant
 * header match, the user's own mappings (--map, --map-file), and the
 * header itself (the preset it fits, missing and unused columns).
 *
 * A header cell matches a name ignoring ASCII case and, around the cell,
 * spaces, tabs, no-break spaces and a byte-order mark: exports pad their
 * headers and spreadsheets re-case them.  A mapping takes a field from a
 * named column (or ignores the column: field "-").  --map values are
 * taken one COL=FIELD each (split at the last '='), and a value is read
 * as a comma-separated list only when every piece is a COL=FIELD whose
 * column is in the header — so a column whose name has a comma can be
 * named with --map on its own, or in a --map-file (YAML: column → field).
 */
#include "ingest/import_int.h"

#include "ingest/yaml_tree.h"
#include "util/file.h"
#include "util/utf8.h"

/* Where in the file, for an error: FILE:LINE[:COL], or a sheet's row. */
#define AT(line, col) mr_imp_where(im, (line), (col), (char[512]){ 0 }, 512)

struct mr_imp_map {
	char *col;          /* the column's name as written */
	int field;          /* field index, MR_IMP_IGNORE for "-" */
	int line, colno;    /* where in the map file; 0 for --map */
};

/* ---- the tolerant header match ---- */

/* s[0..*n) without a BOM, spaces, tabs and no-break spaces around it. */
static const char *trim(const char *s, size_t *n)
{
	size_t len = *n;
	for (;;) {
		if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3, len -= 3;
		else if (len >= 2 && memcmp(s, "\xC2\xA0", 2) == 0)
			s += 2, len -= 2;
		else if (len && (*s == ' ' || *s == '\t'))
			s++, len--;
		else
			break;
	}
	for (;;) {
		if (len >= 2 && memcmp(s + len - 2, "\xC2\xA0", 2) == 0)
			len -= 2;
		else if (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		else
			break;
	}
	*n = len;
	return s;
}

int mr_imp_hdr_eq_n(const char *cell, const char *name, size_t n)
{
	size_t cn = strlen(cell);
	cell = trim(cell, &cn);
	name = trim(name, &n);
	if (cn != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (mr_ascii_lower((unsigned char)cell[i]) != mr_ascii_lower((unsigned char)name[i]))
			return 0;
	return 1;
}

int mr_imp_hdr_eq(const char *cell, const char *name)
{
	return mr_imp_hdr_eq_n(cell, name, strlen(name));
}

int mr_imp_hdr_one_of(const char *list, const char *cell)
{
	while (list && *list) {
		const char *bar = strchr(list, '|');
		size_t len = bar ? (size_t)(bar - list) : strlen(list);
		if (mr_imp_hdr_eq_n(cell, list, len))
			return 1;
		list = bar ? bar + 1 : NULL;
	}
	return 0;
}

/* ---- fields ---- */

void mr_imp_layout(const mr_imp_kind *k, mr_buf *b)
{
	for (int f = 0; k->fields[f]; f++)
		mr_buf_printf(b, "%s%s", f ? "," : "", k->fields[f]);
}

/* The field called name[0..n) ("-": ignore the column), or -1. */
static int field_of_name(const mr_imp_kind *k, const char *name, size_t n)
{
	name = trim(name, &n);
	if (n == 1 && *name == '-')
		return MR_IMP_IGNORE;
	for (int f = 0; k->fields[f]; f++)
		if (strlen(k->fields[f]) == n && mr_imp_hdr_eq_n(k->fields[f], name, n))
			return f;
	return -1;
}

static int no_field(const mr_imp *im, const char *what, const char *fld, size_t n,
                    mr_err *err)
{
	mr_buf b;
	mr_buf_init(&b);
	mr_imp_layout(im->kind, &b);
	int rc = mr_err_set(err, MR_EINVALID, "%s: %s files have no field \"%.*s\" (there are "
	                    "%s, or - to ignore the column)", what, im->kind->name, (int)n, fld,
	                    b.data ? b.data : "");
	mr_buf_release(&b);
	return rc;
}

/* Is there a column called col[0..n) in the header? */
static int in_header(const mr_csv_row *row, const char *col, size_t n)
{
	for (size_t i = 0; i < row->n; i++)
		if (mr_imp_hdr_eq_n(row->f[i], col, n))
			return 1;
	return 0;
}

/* Field f comes from the column(s) called col[0..n); 0, or -1 when the
 * header has no such column. */
static int map_one(mr_imp *im, const mr_csv_row *row, const char *col, size_t n, int f)
{
	if (!in_header(row, col, n))
		return -1;
	if (f >= 0) {
		im->col[f] = -1;
		for (size_t i = 0; i < im->ncols; i++)
			if (im->field_of[i] == f)
				im->field_of[i] = MR_IMP_UNUSED;
	}
	for (size_t i = 0; i < row->n; i++)
		if (mr_imp_hdr_eq_n(row->f[i], col, n)) {
			im->field_of[i] = (signed char)f;
			if (f >= 0 && im->col[f] < 0)
				im->col[f] = (int)i;
		}
	return 0;
}

/* p[0..len) as COL=FIELD, split at the last '=': *eq, or NULL. */
static const char *split(const char *p, size_t len)
{
	for (size_t i = len; i > 0; i--)
		if (p[i - 1] == '=')
			return i - 1 > 0 ? p + i - 1 : NULL;
	return NULL;
}

/* Does v[0..len) read as COL=FIELD with its column in the header and a
 * known field? */
static int pair_fits(const mr_imp *im, const mr_csv_row *row, const char *v, size_t len)
{
	const char *eq = split(v, len);
	return eq && in_header(row, v, (size_t)(eq - v)) &&
	       field_of_name(im->kind, eq + 1, len - (size_t)(eq - v) - 1) != -1;
}

/* One mapping from --map, with its errors. */
static int map_pair(mr_imp *im, const mr_csv_row *row, const char *v, size_t len, mr_err *err)
{
	const char *eq = split(v, len);
	if (!eq)
		return mr_err_set(err, MR_EINVALID, "mapping \"%.*s\": say COLUMN=FIELD", (int)len, v);
	size_t cn = (size_t)(eq - v), fn = len - cn - 1;
	char what[320];
	snprintf(what, sizeof what, "mapping %.*s", (int)(len < 300 ? len : 300), v);
	int f = field_of_name(im->kind, eq + 1, fn);
	if (f == -1)
		return no_field(im, what, eq + 1, fn, err);
	if (map_one(im, row, v, cn, f))
		return mr_err_set(err, MR_EINVALID, "%s: %s has no column \"%.*s\" in its header "
		                  "(line %ld)", what, im->path, (int)cn, v, row->line);
	return 0;
}

/* One --map value: a list COL=FIELD,COL=FIELD when every piece fits the
 * header, else one COL=FIELD whose column may hold commas. */
static int map_value(mr_imp *im, const mr_csv_row *row, const char *v, mr_err *err)
{
	size_t len = strlen(v);
	int list = strchr(v, ',') != NULL, pieces_fit = list, pieces_pairs = list;
	for (const char *p = v; list && p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		pieces_fit &= pair_fits(im, row, p, n);
		pieces_pairs &= split(p, n) != NULL;
		p = comma ? comma + 1 : NULL;
	}
	if (pieces_fit && pair_fits(im, row, v, len)) {
		mr_err_set(err, MR_EINVALID, "mapping %s: the header has both a column \"%.*s\" and "
		           "the columns of the list", v, (int)(split(v, len) - v), v);
		mr_err_hint(err, MR_HINT_NONE, "give each mapping its own --map, or use --map-file");
		return MR_EINVALID;
	}
	if (!pieces_fit && (!pieces_pairs || pair_fits(im, row, v, len)))
		return map_pair(im, row, v, len, err);
	for (const char *p = v; p;) {    /* a list: each piece, with its own error */
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		int rc = map_pair(im, row, p, n, err);
		if (rc)
			return rc;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

int mr_imp_map_check(const mr_imp *im, const char *v, mr_err *err)
{
	size_t len = strlen(v);
	const char *eq = split(v, len);
	if (!eq)
		return mr_err_set(err, MR_EINVALID, "mapping \"%s\": say COLUMN=FIELD", v);
	if (field_of_name(im->kind, eq + 1, len - (size_t)(eq - v) - 1) != -1)
		return 0;     /* one COL=FIELD, whatever commas its column holds */
	for (const char *p = v; p;) {    /* else a list, each piece a COL=FIELD */
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		const char *e = split(p, n);
		char what[320];
		snprintf(what, sizeof what, "mapping %.*s", (int)(n < 300 ? n : 300), p);
		if (!e)
			return mr_err_set(err, MR_EINVALID, "mapping \"%.*s\": say COLUMN=FIELD", (int)n, p);
		if (field_of_name(im->kind, e + 1, n - (size_t)(e - p) - 1) == -1)
			return no_field(im, what, e + 1, n - (size_t)(e - p) - 1, err);
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

/* ---- the map file ---- */

void mr_imp_maps_free(mr_imp *im)
{
	for (size_t i = 0; i < im->nmaps; i++)
		free(im->maps[i].col);
	free(im->maps);
	im->maps = NULL;
	im->nmaps = 0;
}

static void read_pairs(mr_imp *im, mr_yaml *y, yaml_node_t *root)
{
	size_t cap = (size_t)(root->data.mapping.pairs.top - root->data.mapping.pairs.start);
	if (!cap)
		return;
	if (!(im->maps = calloc(cap, sizeof *im->maps))) {
		y->nomem = 1;
		return;
	}
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top && !y->nomem; p++) {
		yaml_node_t *k = mr_yaml_node(y, p->key), *v = mr_yaml_node(y, p->value);
		char *col = NULL, *fld = NULL;
		if (!k || !v)
			return;    /* the budget is spent (reported) */
		int got = mr_yaml_string(y, k, "a column name", &col);
		if (got < 0)
			continue;
		if (!got || !*col) {
			mr_yaml_problem(y, k, "a column name is empty");
			free(col);
			continue;
		}
		int f = MR_IMP_IGNORE;
		if (!mr_yaml_is_null(v)) {
			if (mr_yaml_string(y, v, "a field name", &fld) <= 0) {
				free(col);
				continue;
			}
			f = field_of_name(im->kind, fld, strlen(fld));
			if (f == -1) {
				mr_buf b;
				mr_buf_init(&b);
				mr_imp_layout(im->kind, &b);
				mr_yaml_problem(y, v, "%s files have no field \"%s\" (there are %s, or \"-\" "
				                "to ignore the column)", im->kind->name, fld,
				                b.data ? b.data : "");
				mr_buf_release(&b);
			}
			free(fld);
		}
		for (size_t i = 0; i < im->nmaps && f != -1; i++)
			if (mr_imp_hdr_eq(im->maps[i].col, col)) {
				mr_yaml_problem(y, k, "column \"%s\" is mapped twice (first on line %d)",
				                col, im->maps[i].line);
				f = -1;
			}
		if (f == -1) {
			free(col);
			continue;
		}
		mr_pos at = mr_yaml_pos(k);
		im->maps[im->nmaps].col = col;
		im->maps[im->nmaps].field = f;
		im->maps[im->nmaps].line = at.line;
		im->maps[im->nmaps].colno = at.col;
		im->nmaps++;
	}
}

int mr_imp_maps_load(mr_imp *im, mr_err *err)
{
	const char *file = im->o->map_file;
	char *text = NULL;
	size_t len = 0;
	mr_yaml y;
	int rc;
	memset(&y, 0, sizeof y);
	if (im->o->map_text)
		len = strlen(im->o->map_text);
	else if ((rc = mr_file_read(&text, &len, file, err)))
		return rc;
	rc = mr_yaml_load(&y, text ? text : im->o->map_text, len, file, err);
	if (rc)
		goto done;
	yaml_node_t *root = mr_yaml_root(&y);
	if (!root || mr_yaml_is_null(root))
		mr_yaml_problem(&y, NULL, "the map file is empty; write one line per column, "
		                "\"Column name\": field");
	else if (root->type != YAML_MAPPING_NODE)
		mr_yaml_problem(&y, root, "a map file is a mapping of column names to fields, "
		                "one per line: \"Column name\": field");
	else
		read_pairs(im, &y, root);
	if (y.nomem)
		rc = mr_err_nomem(err);
	else if (y.bad)
		rc = MR_EINVALID;
done:
	mr_yaml_release(&y);
	free(text);
	if (rc)
		mr_imp_maps_free(im);
	return rc;
}

/* ---- applying them ---- */

int mr_imp_apply_maps(mr_imp *im, const mr_csv_row *row, mr_err *err)
{
	int rc;
	for (size_t i = 0; i < im->nmaps; i++) {
		const struct mr_imp_map *m = &im->maps[i];
		if (map_one(im, row, m->col, strlen(m->col), m->field))
			return mr_err_set(err, MR_EINVALID, "%s:%d:%d: column \"%s\" is not in the "
			                  "header of %s", im->o->map_file, m->line, m->colno,
			                  m->col, AT(row->line, 0));
	}
	if (im->o->map && (rc = map_value(im, row, im->o->map, err)))
		return rc;
	for (const char *const *v = im->o->maps; v && *v; v++)
		if ((rc = map_value(im, row, *v, err)))
			return rc;
	/* a column mapped away (to "-" or another field) no longer gives its
	 * old field: each field's first column again */
	for (int f = 0; im->kind->fields[f]; f++) {
		im->col[f] = -1;
		for (size_t i = 0; i < im->ncols && im->col[f] < 0; i++)
			if (im->field_of[i] == f)
				im->col[f] = (int)i;
	}
	return 0;
}

/* Is `name` one of the '|'-separated names in `list`? */
static int one_of(const char *list, const char *name)
{
	size_t n = strlen(name);
	while (list && *list) {
		const char *bar = strchr(list, '|');
		size_t len = bar ? (size_t)(bar - list) : strlen(list);
		if (len == n && strncmp(list, name, n) == 0)
			return 1;
		list = bar ? bar + 1 : NULL;
	}
	return 0;
}

/* ---- the header ---- */

static const char *names_of(const mr_imp *im, int f)
{
	return im->preset->cols ? im->preset->cols[f] : im->kind->fields[f];
}

static int has_col(const mr_csv_row *row, const char *names)
{
	for (size_t c = 0; c < row->n; c++)
		if (mr_imp_hdr_one_of(names, row->f[c]))
			return 1;
	return 0;
}

/* A preset named with --preset: does the header have its identifying
 * columns?  Else say which it lacks and what the header looks like. */
static int check_named(mr_imp *im, const mr_csv_row *row, mr_err *err)
{
	const mr_imp_kind *k = im->kind;
	const mr_imp_preset *like = NULL;
	mr_buf miss;
	int n = 0, rc;
	if (!im->preset->ident)
		return 0;
	mr_buf_init(&miss);
	for (const char *const *c = im->preset->ident; *c; c++)
		if (!has_col(row, *c))   /* "A|B": the first name stands for them */
			mr_buf_printf(&miss, "%s\"%.*s\"", n++ ? ", " : "", (int)strcspn(*c, "|"), *c);
	if (!n) {
		mr_buf_release(&miss);
		return 0;
	}
	for (size_t i = 0; i < k->npresets && !like; i++) {
		const char *const *c = k->presets[i].ident;
		if (!c || &k->presets[i] == im->preset)
			continue;
		while (*c && has_col(row, *c))
			c++;
		if (!*c)
			like = &k->presets[i];
	}
	rc = mr_err_set(err, MR_EINVALID, "%s: not a %s export: the header lacks %s "
	                "(preset %s)%s%s%s", AT(row->line, 0), im->preset->name, miss.data,
	                im->preset->name, like ? "; it looks like preset " : "; it looks like "
	                "none of the ", like ? like->name : k->name, like ? "" : " exports merit "
	                "knows (the generic layout names its own columns)");
	mr_buf_release(&miss);
	return rc;
}

int mr_imp_preset_named(mr_imp *im, mr_err *err)
{
	const mr_imp_kind *k = im->kind;
	for (size_t i = 0; i < k->npresets; i++)
		if (strcmp(k->presets[i].name, im->o->preset) == 0 ||
		    one_of(k->presets[i].aliases, im->o->preset))
			im->preset = &k->presets[i];
	if (im->preset)
		return 0;
	mr_buf b;
	mr_buf_init(&b);
	for (size_t i = 0; i < k->npresets; i++)
		mr_buf_printf(&b, "%s%s", i ? ", " : "", k->presets[i].name);
	int rc = mr_err_set(err, MR_EINVALID, "no preset \"%s\" for %s files; there are: %s",
	                    im->o->preset, k->name, b.data);
	mr_buf_release(&b);
	return rc;
}

static int pick_preset(mr_imp *im, const mr_csv_row *row, mr_err *err)
{
	const mr_imp_kind *k = im->kind;
	if (im->o->preset) {
		int rc = mr_imp_preset_named(im, err);
		return rc ? rc : check_named(im, row, err);
	}
	const mr_imp_preset *found = NULL;
	for (size_t i = 0; i < k->npresets; i++) {
		const char *const *sig = k->presets[i].sig;
		int all = sig != NULL;
		for (; all && *sig; sig++) {
			int has = 0;
			for (size_t c = 0; c < row->n && !has; c++)   /* "A|B": either */
				has = mr_imp_hdr_one_of(*sig, row->f[c]);
			all = has;
		}
		if (!all)
			continue;
		if (found) {
			mr_err_set(err, MR_EINVALID, "%s: the header fits the presets %s and %s",
			           AT(row->line, 0), found->name, k->presets[i].name);
			mr_err_hint(err, MR_HINT_PRESET, "say which with --preset");
			return MR_EINVALID;
		}
		found = &k->presets[i];
	}
	im->preset = found ? found : &k->presets[0];
	return 0;
}

/* A column's name for a message, cut to about 40 bytes on a UTF-8
 * boundary. */
static void show_name(mr_buf *b, const char *name)
{
	size_t n = strlen(name);
	if (n <= 48) {
		mr_buf_printf(b, "\"%s\"", name);
		return;
	}
	n = 40;
	while (n && ((unsigned char)name[n] & 0xC0) == 0x80)
		n--;
	mr_buf_printf(b, "\"%.*s…\"", (int)n, name);
}

/* A field's header names "A|B" as "A" or "B". */
static void show_names(mr_buf *b, const char *list)
{
	while (list && *list) {
		const char *bar = strchr(list, '|');
		size_t len = bar ? (size_t)(bar - list) : strlen(list);
		mr_buf_printf(b, "\"%.*s\"%s", (int)len, list, bar ? " or " : "");
		list = bar ? bar + 1 : NULL;
	}
}

/* The fields whose bits are in `mask`, as the layout names their columns:
 * date, site (generic) or "Created at" (date), "Total" (total) (a preset). */
static void show_fields(const mr_imp *im, unsigned mask, int quote, mr_buf *b)
{
	int n = 0;
	for (int f = 0; im->kind->fields[f]; f++) {
		if (!(mask & 1u << f) || !names_of(im, f))
			continue;
		mr_buf_puts(b, n++ ? ", " : "");
		if (!im->preset->cols) {
			mr_buf_printf(b, quote ? "\"%s\"" : "%s", im->kind->fields[f]);
			continue;
		}
		show_names(b, names_of(im, f));
		mr_buf_printf(b, " (%s)", im->kind->fields[f]);
	}
}

/* Every required column the header lacks, named in one error. */
static int missing_columns(mr_imp *im, const mr_csv_row *row, mr_err *err)
{
	const mr_imp_kind *k = im->kind;
	unsigned need = k->required | im->preset->required, missing = 0, all = 0;
	int n = 0, rc;
	for (int f = 0; k->fields[f]; f++) {
		all |= 1u << f;
		if (im->col[f] >= 0 || !(need & 1u << f) || (f == k->date_field && im->o->has_date))
			continue;
		missing |= 1u << f;
		n++;
	}
	if (!missing)
		return 0;
	if (k->date_field >= 0 && missing == 1u << k->date_field) {
		const char *want = names_of(im, k->date_field);
		mr_err_set(err, MR_EINVALID, "%s: the file has no dates (no column \"%s\")",
		           AT(row->line, 0), want ? want : k->fields[k->date_field]);
		mr_err_hint(err, MR_HINT_DATE, "say which day it stands for with --date YYYY-MM-DD");
		return MR_EINVALID;
	}
	mr_buf miss, want, may;
	mr_buf_init(&miss);
	mr_buf_init(&want);
	mr_buf_init(&may);
	show_fields(im, missing, 1, &miss);
	show_fields(im, need, 0, &want);
	show_fields(im, all & ~need, 0, &may);
	if (mr_buf_oom(&miss) || mr_buf_oom(&want) || mr_buf_oom(&may)) {
		rc = mr_err_nomem(err);
		goto done;
	}
	char layout[96];
	if (im->preset->cols)
		snprintf(layout, sizeof layout, "the %s preset", im->preset->name);
	else
		snprintf(layout, sizeof layout, "%s files (generic layout)", k->name);
	char hdr[320];      /* whose header: the user's file, not merit's layout */
	if (im->sheet[0])
		snprintf(hdr, sizeof hdr, "row %ld of sheet %s", row->line, im->sheet);
	else
		snprintf(hdr, sizeof hdr, "line %ld of %s", row->line, im->path);
	rc = mr_err_set(err, MR_EINVALID, "%s: %d required column%s missing: %s. %s need%s "
	                "%s in the header (%s)%s%s%s", AT(row->line, 0), n,
	                n == 1 ? "" : "s", miss.data, layout, im->preset->cols ? "s" : "",
	                want.data, hdr, may.len ? ", and read " : "",
	                may.len ? may.data : "", may.len ? " when there" : "");
	mr_err_hint(err, MR_HINT_MAP, "or name the column that holds a field with --map "
	            "COLUMN=FIELD%s", k->date_field >= 0 && missing & 1u << k->date_field
	            ? "; a file without dates takes --date YYYY-MM-DD" : "");
done:
	mr_buf_release(&miss);
	mr_buf_release(&want);
	mr_buf_release(&may);
	return rc;
}

#define MR_IMP_SHOW_COLS 8   /* unused columns named in the notes; the rest counted */

/* Columns no field reads: listed once in the notes, or with --strict an
 * error at the first of them. */
static int unused_columns(mr_imp *im, const mr_csv_row *row, mr_err *err)
{
	size_t n = 0, first = 0, shown = 0, listed;
	int rc = 0;
	mr_buf list;
	for (size_t i = 0; i < row->n; i++)
		if (im->field_of[i] == MR_IMP_UNUSED && !n++)
			first = i;
	if (!n)
		return 0;
	listed = im->o->strict ? n - 1 : n;
	mr_buf_init(&list);
	for (size_t i = 0; i < row->n; i++) {
		if (im->field_of[i] != MR_IMP_UNUSED || (im->o->strict && i == first))
			continue;
		if (shown == MR_IMP_SHOW_COLS) {
			mr_buf_printf(&list, ", … and %zu more", listed - shown);
			break;
		}
		mr_buf_puts(&list, shown++ ? ", " : "");
		show_name(&list, row->f[i]);
	}
	if (mr_buf_oom(&list)) {
		rc = mr_err_nomem(err);
		goto done;
	}
	char by[96];
	if (im->preset->cols)
		snprintf(by, sizeof by, "the %s preset", im->preset->name);
	else
		snprintf(by, sizeof by, "%s files", im->kind->name);
	if (im->o->strict) {
		mr_buf name;
		mr_buf_init(&name);
		show_name(&name, row->f[first]);
		rc = mr_err_set(err, MR_EINVALID, "%s: column %s is not used by %s "
		                "(strict)%s%s", AT(row->line, (int)first + 1),
		                name.data ? name.data : "", by, listed ? "; other unused columns: " : "",
		                listed ? list.data : "");
		mr_err_hint(err, MR_HINT_STRICT, "take a field from it with --map 'COLUMN=FIELD', "
		            "or let it be with --map 'COLUMN=-'");
		mr_buf_release(&name);
		goto done;
	}
	mr_imp_note(im, "ignored %zu column%s not used by %s: %s", n, n == 1 ? "" : "s", by,
	            list.data);
done:
	mr_buf_release(&list);
	return rc;
}

int mr_imp_header(mr_imp *im, const mr_csv_row *row, mr_err *err)
{
	const mr_imp_kind *k = im->kind;
	int rc;
	for (size_t i = 0; i < row->n; i++)
		if (!mr_utf8_ok(row->f[i]))
			return mr_err_set(err, MR_EINVALID, "%s: the header is not valid "
			                  "UTF-8", AT(row->line, (int)i + 1));
	if ((rc = pick_preset(im, row, err)))
		return rc;
	im->out->preset = im->preset->name;
	im->ncols = row->n;
	if (!(im->field_of = malloc(row->n ? row->n : 1)))
		return mr_err_nomem(err);
	for (int f = 0; f < MR_IMP_MAX_FIELDS; f++)
		im->col[f] = -1;
	for (size_t i = 0; i < row->n; i++) {
		im->field_of[i] = MR_IMP_UNUSED;
		for (int f = 0; k->fields[f]; f++) {
			if (!mr_imp_hdr_one_of(names_of(im, f), row->f[i]))
				continue;
			if (im->col[f] >= 0 && !(k->multi & 1u << f)) {
				if (!im->preset->cols)     /* the generic layout: a mistake */
					return mr_err_set(err, MR_EINVALID, "%s: column \"%s\" twice "
					                  "(also column %d)", AT(row->line, (int)i + 1),
					                  row->f[i], im->col[f] + 1);
				break;                     /* an export's repeat: the first one counts */
			}
			im->field_of[i] = (signed char)f;
			if (im->col[f] < 0)
				im->col[f] = (int)i;
			break;
		}
	}
	if ((rc = mr_imp_apply_maps(im, row, err)) || (rc = missing_columns(im, row, err)) ||
	    (rc = unused_columns(im, row, err)))
		return rc;
	if (im->o->has_date && (k->date_field < 0 || im->col[k->date_field] >= 0))
		return mr_err_set(err, MR_EINVALID, k->date_field < 0 ? "%s: a whole-file date does "
		                  "not apply to %s files" : "%s: a whole-file date is for files "
		                  "without dates; this %s file has its own", im->path,
		                  k->name);
	im->header_done = 1;
	return 0;
}
