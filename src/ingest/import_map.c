/* import_map.c — which header column holds which field: the tolerant
 * header match and the user's own mappings (--map, --map-file).
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

struct mr_imp_map {
	char *col;          /* the column's name as written */
	int field;          /* field index, MR_IMP_IGNORE for "-" */
	int line, colno;    /* where in the map file; 0 for --map */
};

/* ---- the tolerant header match ---- */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

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
		if (lower((unsigned char)cell[i]) != lower((unsigned char)name[i]))
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
		return mr_err_set(err, MR_EINVALID, "--map \"%.*s\": say COLUMN=FIELD", (int)len, v);
	size_t cn = (size_t)(eq - v), fn = len - cn - 1;
	char what[320];
	snprintf(what, sizeof what, "--map %.*s", (int)(len < 300 ? len : 300), v);
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
	if (pieces_fit && pair_fits(im, row, v, len))
		return mr_err_set(err, MR_EINVALID, "--map %s: the header has both a column \"%.*s\" "
		                  "and the columns of the list; give each mapping its own --map, or "
		                  "use --map-file", v, (int)(split(v, len) - v), v);
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
	if ((rc = mr_file_read(&text, &len, file, err)))
		return rc;
	rc = mr_yaml_load(&y, text, len, file, err);
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
		rc = mr_err_set(err, MR_ENOMEM, "out of memory");
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
			                  "header of %s (line %ld)", im->o->map_file, m->line, m->colno,
			                  m->col, im->path, row->line);
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
