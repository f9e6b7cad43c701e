/* source.c — saved sources (see source.h): the options of an import kept
 * as JSON in the store, read back and laid under an import's own. */
#include "ingest/source.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/file.h"
#include "util/text.h"
#include "util/utf8.h"

void mr_source_release(mr_source *src)
{
	free(src->name);
	free(src->kind);
	free(src->preset);
	for (size_t i = 0; src->maps && src->maps[i]; i++)
		free(src->maps[i]);
	free(src->maps);
	for (size_t i = 0; src->values && src->values[i]; i++)
		free(src->values[i]);
	free(src->values);
	free(src->map_file);
	free(src->map_text);
	free(src->encoding);
	free(src->sheet);
	free(src->all_maps);
	free(src->all_values);
	memset(src, 0, sizeof *src);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A NULL-terminated copy of a (NULL-terminated, or NULL) list with one
 * more value (or NULL) at its end. */
static char **list_copy(const char *const *a, const char *more)
{
	size_t n = 0;
	while (a && a[n])
		n++;
	char **out = calloc(n + 2, sizeof *out);
	if (!out)
		return NULL;
	size_t k = 0;
	if (more && !(out[k++] = strdup(more)))
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (!(out[k++] = strdup(a[i])))
			goto fail;
	return out;
fail:
	for (size_t i = 0; i < k; i++)
		free(out[i]);
	free(out);
	return NULL;
}

static int check_name(const char *name, mr_err *err)
{
	size_t n = strlen(name);
	if (!n || n > MR_SOURCE_MAX_NAME || name[0] == '-' || !mr_utf8_ok(name))
		return mr_err_set(err, MR_EINVALID, "source name \"%s\": say 1 to %d bytes of UTF-8, "
		                  "not starting with '-'", name, MR_SOURCE_MAX_NAME);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == ' ' || *p == '/' || *p == '\\')
			return mr_err_set(err, MR_EINVALID, "source name \"%s\": no spaces, slashes or "
			                  "control characters (letters, digits, '.', '-', '_', 中文 are "
			                  "fine)", name);
	return 0;
}

/* The source's options as an import would take them, pointing into src. */
static void as_opts(const mr_source *src, mr_import_opts *o)
{
	memset(o, 0, sizeof *o);
	o->preset = src->preset;
	o->maps = (const char *const *)src->maps;
	o->values = (const char *const *)src->values;
	o->map_file = src->map_file;
	o->map_text = src->map_text;
	o->date_order = src->date_order;
	o->strict = src->strict;
	o->encoding = src->encoding;
	o->sheet = src->sheet;
}

int mr_source_build(mr_source *src, const char *name, const char *kind,
                    const mr_import_opts *o, mr_err *err)
{
	mr_import_opts chk;
	size_t len;
	int rc;
	memset(src, 0, sizeof *src);
	if ((rc = check_name(name, err)))
		return rc;
	/* no C1 or bidi controls either, and composed (NFC) as every name */
	if ((rc = mr_text_name(&src->name, name, "source name", MR_SOURCE_MAX_NAME, err)))
		return rc;
	if (!(src->kind = strdup(kind)) ||
	    (o->preset && !(src->preset = strdup(o->preset))) ||
	    !(src->maps = list_copy(o->maps, o->map)) ||
	    !(src->values = list_copy(o->values, NULL)) ||
	    (o->map_file && !(src->map_file = strdup(o->map_file))) ||
	    (o->encoding && !(src->encoding = strdup(o->encoding))) ||
	    (o->sheet && !(src->sheet = strdup(o->sheet)))) {
		mr_source_release(src);
		return mr_err_nomem(err);
	}
	if (o->map_file && (rc = mr_file_read(&src->map_text, &len, o->map_file, err))) {
		mr_source_release(src);
		return rc;
	}
	src->date_order = o->date_order;
	src->strict = o->strict;
	as_opts(src, &chk);
	if ((rc = mr_import_check(kind, &chk, err)))
		mr_source_release(src);
	return rc;
}

static json_t *list_json(char *const *a)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && a && a[i]; i++)
		json_array_append_new(arr, json_string(a[i]));
	return arr;
}

json_t *mr_source_json(const mr_source *src)
{
	json_t *o = json_pack("{ssss}", "name", src->name, "kind", src->kind);
	json_object_set_new(o, "preset", src->preset ? json_string(src->preset) : json_null());
	json_object_set_new(o, "maps", list_json(src->maps));
	json_object_set_new(o, "map_file", src->map_file ? json_string(src->map_file) : json_null());
	json_object_set_new(o, "values", list_json(src->values));
	json_object_set_new(o, "date_order", src->date_order ? json_string(src->date_order ==
	                    MR_DATE_DMY ? "dmy" : "mdy") : json_null());
	json_object_set_new(o, "strict", json_boolean(src->strict));
	json_object_set_new(o, "encoding", src->encoding ? json_string(src->encoding) : json_null());
	json_object_set_new(o, "sheet", src->sheet ? json_string(src->sheet) : json_null());
	return o;
}

char *mr_source_options_json(const mr_source *src)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	if (src->preset)
		json_object_set_new(o, "preset", json_string(src->preset));
	json_object_set_new(o, "maps", list_json(src->maps));
	if (src->map_file) {
		json_object_set_new(o, "map_file", json_string(src->map_file));
		json_object_set_new(o, "map_text", json_string(src->map_text ? src->map_text : ""));
	}
	json_object_set_new(o, "values", list_json(src->values));
	if (src->date_order)
		json_object_set_new(o, "date_order",
		                    json_string(src->date_order == MR_DATE_DMY ? "dmy" : "mdy"));
	if (src->strict)
		json_object_set_new(o, "strict", json_true());
	if (src->encoding)
		json_object_set_new(o, "encoding", json_string(src->encoding));
	if (src->sheet)
		json_object_set_new(o, "sheet", json_string(src->sheet));
	char *out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return out;
}

static char **list_read(json_t *arr)
{
	size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
	char **out = calloc(n + 1, sizeof *out);
	for (size_t i = 0; out && i < n; i++) {
		const char *v = json_string_value(json_array_get(arr, i));
		if (!(out[i] = strdup(v ? v : ""))) {
			for (size_t j = 0; j < i; j++)
				free(out[j]);
			free(out);
			return NULL;
		}
	}
	return out;
}

int mr_source_read(mr_source *src, const mr_source_row *row, mr_err *err)
{
	json_error_t je;
	memset(src, 0, sizeof *src);
	json_t *o = json_loads(row->options, 0, &je);
	if (!json_is_object(o)) {
		json_decref(o);
		return mr_err_set(err, MR_EINVALID, "the saved source \"%s\" is damaged (its options "
		                  "are not JSON); remove it and save it again", row->name);
	}
	const char *order = json_string_value(json_object_get(o, "date_order"));
	int rc = 0;
	if (!(src->name = strdup(row->name)) || !(src->kind = strdup(row->kind)) ||
	    !(src->maps = list_read(json_object_get(o, "maps"))) ||
	    !(src->values = list_read(json_object_get(o, "values"))) ||
	    (json_object_get(o, "preset") &&
	     !(src->preset = dup_or_null(json_string_value(json_object_get(o, "preset"))))) ||
	    (json_object_get(o, "map_file") &&
	     (!(src->map_file = dup_or_null(json_string_value(json_object_get(o, "map_file")))) ||
	      !(src->map_text = dup_or_null(json_string_value(json_object_get(o, "map_text")))))) ||
	    (json_string_value(json_object_get(o, "encoding")) &&
	     !(src->encoding = strdup(json_string_value(json_object_get(o, "encoding"))))) ||
	    (json_string_value(json_object_get(o, "sheet")) &&
	     !(src->sheet = strdup(json_string_value(json_object_get(o, "sheet"))))))
		rc = mr_err_nomem(err);
	src->date_order = !order ? 0 : strcmp(order, "dmy") == 0 ? MR_DATE_DMY : MR_DATE_MDY;
	src->strict = json_is_true(json_object_get(o, "strict"));
	json_decref(o);
	if (rc)
		mr_source_release(src);
	return rc;
}

/* a then b (either may be NULL), NULL-terminated, borrowed pointers. */
static const char **merged(char *const *a, const char *one, const char *const *b)
{
	size_t na = 0, nb = 0;
	while (a && a[na])
		na++;
	while (b && b[nb])
		nb++;
	const char **out = calloc(na + nb + 2, sizeof *out);
	size_t k = 0;
	for (size_t i = 0; out && i < na; i++)
		out[k++] = a[i];
	if (out && one)
		out[k++] = one;
	for (size_t i = 0; out && i < nb; i++)
		out[k++] = b[i];
	return out;
}

int mr_source_apply(mr_source *src, mr_import_opts *o, mr_err *err)
{
	free(src->all_maps);
	free(src->all_values);
	src->all_maps = merged(src->maps, o->map, o->maps);
	src->all_values = merged(src->values, NULL, o->values);
	if (!src->all_maps || !src->all_values)
		return mr_err_nomem(err);
	o->map = NULL;
	o->maps = src->all_maps;
	o->values = src->all_values;
	if (!o->preset)
		o->preset = src->preset;
	if (!o->date_order)
		o->date_order = src->date_order;
	o->strict |= src->strict;
	if (!o->map_file) {
		o->map_file = src->map_file;
		o->map_text = src->map_text;
	}
	if (!o->encoding)
		o->encoding = src->encoding;
	if (!o->sheet)
		o->sheet = src->sheet;
	return 0;
}

void mr_source_describe(const mr_source *src, mr_buf *b)
{
	size_t nm = 0, nv = 0;
	while (src->maps[nm])
		nm++;
	while (src->values[nv])
		nv++;
	mr_buf_printf(b, "%s", src->kind);
	if (src->preset)
		mr_buf_printf(b, ", preset %s", src->preset);
	if (nm)
		mr_buf_printf(b, ", %zu map%s", nm, nm == 1 ? "" : "s");
	if (src->map_file)
		mr_buf_printf(b, ", map file %s", src->map_file);
	if (nv)
		mr_buf_printf(b, ", %zu value%s", nv, nv == 1 ? "" : "s");
	if (src->date_order)
		mr_buf_printf(b, ", date order %s", src->date_order == MR_DATE_DMY ? "dmy" : "mdy");
	if (src->encoding)
		mr_buf_printf(b, ", encoding %s", src->encoding);
	if (src->sheet)
		mr_buf_printf(b, ", sheet %s", src->sheet);
	if (src->strict)
		mr_buf_printf(b, ", strict");
}

int mr_source_load(mr_store *s, const char *name, mr_source *src, mr_err *err)
{
	mr_source_row row;
	int rc = mr_store_source_get(s, name, &row, err);
	if (rc)
		return rc;
	rc = mr_source_read(src, &row, err);
	mr_source_row_release(&row);
	return rc;
}
