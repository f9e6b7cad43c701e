/* api_data.c — data in and documents out: uploads into the same
 * importers and log reader as `merit import` and `merit ingest`, the
 * batches they made, and report downloads.
 *
 * An upload is written to a private temporary directory under the name
 * the user gave it (that name is what the batch remembers), read in one
 * transaction, and removed.  The directory is locked (flock) while in
 * use, so that a server starting later removes the ones a killed server
 * left, and only those.  A non-admin sees only batches that hold
 * measurements of people they may see, and of those only their parts.
 */
#include "web/web_int.h"
#include "util/vec.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/import.h"
#include "ingest/source.h"
#include "ingest/log.h"
#include "ingest/log_format.h"
#include "report/report.h"
#include "util/file.h"
#include "util/num.h"

/* ---- batches ---- */

struct idset { int64_t *id; size_t n, cap; };

static int idset_add(int64_t id, void *payload)
{
	struct idset *s = payload;
	for (size_t i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return 0;
	int64_t *slot = MR_VEC_PUSH(s->id, s->n, s->cap);
	if (!slot)
		return MR_ENOMEM;
	*slot = id;
	return 0;
}

static int idset_has(const struct idset *s, int64_t id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return 1;
	return 0;
}

/* The batches a non-admin may see: those with measurements of people
 * they may see.  0, or an answer given. */
static int visible_batches(mr_ctx *c, struct idset *ids)
{
	mr_err err = MR_ERR_INIT;
	for (size_t i = 0; i < c->snap->nstaff; i++) {
		const char *login = c->snap->staff[i].login;
		if (!mr_web_may_see(c, login))
			continue;
		int rc = mr_store_batches_of(c->s, login, idset_add, ids, &err);
		if (rc) {
			if (rc == MR_ENOMEM)
				mr_err_set(&err, rc, "out of memory");
			mr_web_err(c, &err);
			mr_err_clear(&err);
			return -1;
		}
	}
	return 0;
}

/* As `merit batches --json` gives it. */
static json_t *batch_json(const mr_batch *b)
{
	char d1[11] = "", d2[11] = "";
	int dated = b->first_day && b->last_day;
	if (dated) {
		mr_day_format(d1, b->first_day);
		mr_day_format(d2, b->last_day);
	}
	return json_pack("{sIssssss?sIsosossss}", "id", (json_int_t)b->id, "source", b->source,
	                 "file", b->file, "sha256", b->sha256, "rows", (json_int_t)b->rows,
	                 "first_date", dated ? json_string(d1) : json_null(),
	                 "last_date", dated ? json_string(d2) : json_null(),
	                 "created_at", b->created_at, "created_by", b->created_by);
}

/* A whole number query argument in [0, max], or its default: 0, or -1
 * after answering 400. */
static int count_arg(mr_ctx *c, const char *key, double max, int64_t *out)
{
	const char *v = mr_web_arg(c, key);
	double d;
	if (!v || !*v)
		return 0;
	if (mr_num_parse(&d, v) || d < 0 || d > max || d != (double)(int64_t)d)
		return mr_web_fail(c, 400, "%s: a whole number from 0 to %.0f", key, max);
	*out = (int64_t)d;
	return 0;
}

int mr_h_batches(mr_ctx *c)
{
	mr_batch *list = NULL;
	size_t n = 0;
	mr_err err = MR_ERR_INIT;
	struct idset ids = { 0 };
	mr_batch_filter f = { .source = mr_web_arg(c, "source") };
	const char *period = mr_web_arg(c, "period");
	int64_t limit = 0, offset = 0;
	if (count_arg(c, "limit", 1000, &limit) || count_arg(c, "offset", 9e15, &offset))
		return -1;
	if (f.source && !*f.source)
		f.source = NULL;
	if (period && *period) {
		mr_period p;
		if (mr_period_parse(&p, period, &err)) {
			mr_web_fail(c, 400, "period: %s", err.msg);
			mr_err_clear(&err);
			return -1;
		}
		f.first = p.first;
		f.last = p.last;
	}
	/* an admin's page is the store's; another's, of the batches they may see */
	if (c->admin) {
		f.limit = limit;
		f.offset = offset;
	} else if (visible_batches(c, &ids)) {
		return -1;
	}
	if (mr_store_batch_page(c->s, &f, &list, &n, &err)) {
		free(ids.id);
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	json_t *arr = json_array();
	int64_t skip = c->admin ? 0 : offset;
	for (size_t i = 0; i < n; i++) {     /* newest first */
		if (!c->admin && !idset_has(&ids, list[i].id))
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		if (!c->admin && limit && (int64_t)json_array_size(arr) >= limit)
			break;
		json_t *o = batch_json(&list[i]);
		json_object_set_new(o, "frozen", json_boolean(list[i].frozen));
		json_array_append_new(arr, o);
	}
	mr_batch_list_free(list, n);
	free(ids.id);
	return mr_web_json(c, 200, arr);
}

/* The batch named by the path's tail: 0, or an answer given. */
static int batch_find(mr_ctx *c, mr_batch **list, size_t *n, const mr_batch **out)
{
	double id;
	mr_err err = MR_ERR_INIT;
	*list = NULL;
	*n = 0;
	if (mr_num_parse(&id, c->tail) || id < 1 || id > 9e15 || id != (double)(int64_t)id)
		return mr_web_fail(c, 404, "no batch %s", c->tail);
	if (mr_store_batch_list(c->s, list, n, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	for (size_t i = 0; i < *n; i++)
		if ((*list)[i].id == (int64_t)id) {
			*out = &(*list)[i];
			return 0;
		}
	return mr_web_fail(c, 404, "no batch %s", c->tail);
}

int mr_h_batch(mr_ctx *c)
{
	mr_batch *list;
	size_t n, np = 0;
	const mr_batch *b;
	mr_batch_part *parts = NULL;
	mr_err err = MR_ERR_INIT;
	if (batch_find(c, &list, &n, &b))
		goto done;
	if (mr_store_batch_parts(c->s, b, &parts, &np, &err)) {
		mr_web_err(c, &err);
		goto done;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < np; i++) {
		/* the team's figures are everyone's; a person's only their viewers' */
		if (!c->admin && parts[i].login && !mr_web_may_see(c, parts[i].login))
			continue;
		if (!c->admin && !parts[i].login)
			continue;
		json_array_append_new(arr, json_pack("{ssss?sIsIsI}", "indicator", parts[i].indicator,
		                      "login", parts[i].login, "count", (json_int_t)parts[i].count,
		                      "first_line", (json_int_t)parts[i].first_line,
		                      "last_line", (json_int_t)parts[i].last_line));
	}
	if (!c->admin && !json_array_size(arr)) {
		json_decref(arr);
		mr_web_fail(c, 404, "no batch %s", c->tail);
	} else {
		mr_web_json(c, 200, json_pack("{soso}", "batch", batch_json(b), "measurements", arr));
	}
done:
	mr_batch_parts_free(parts, np);
	mr_batch_list_free(list, n);
	mr_err_clear(&err);
	return 0;
}

int mr_h_batch_rm(mr_ctx *c)
{
	mr_batch *list;
	size_t n;
	const mr_batch *b;
	mr_err err = MR_ERR_INIT;
	if (batch_find(c, &list, &n, &b)) {
		mr_batch_list_free(list, n);
		return -1;
	}
	int64_t id = b->id;
	mr_batch_list_free(list, n);
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_store_batch_rm(c->s, id, &err);
	if (!mr_web_commit(c, rc, &err, 0))
		mr_web_json(c, 200, json_pack("{sbsI}", "ok", 1, "removed", (json_int_t)id));
	return 0;
}

/* ---- uploads ---- */

/* ---- upload directories ---- */

#define UPLOAD_PREFIX "merit-upload-"

int mr_web_upload_dir(char *dir, size_t size, int *lock)
{
	*lock = -1;
	for (int tries = 0; tries < 8; tries++) {
		struct stat a, b;
		if (mr_file_tempdir(dir, size, "upload"))
			return -1;
		int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT)
			continue;         /* a starting server removed it before we locked it */
		if (fd < 0 || flock(fd, LOCK_EX)) {
			int e = errno;
			if (fd >= 0)
				close(fd);
			rmdir(dir);
			dir[0] = 0;
			errno = e;
			return -1;
		}
		/* a starting server that held the lock was removing it: once it
		 * let go, the directory is gone (or another by that name) */
		if (fstat(fd, &a) == 0 && lstat(dir, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino) {
			*lock = fd;
			return 0;
		}
		close(fd);
	}
	dir[0] = 0;
	errno = EAGAIN;
	return -1;
}

/* merit-upload-XXXXXX as mkdtemp makes it */
static int upload_dir_name(const char *name)
{
	size_t n = strlen(UPLOAD_PREFIX);
	if (strncmp(name, UPLOAD_PREFIX, n) || strlen(name) != n + 6)
		return 0;
	for (const char *p = name + n; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			return 0;
	return 1;
}

/* Empty the directory `fd` and add the sizes to *bytes: files only (one
 * holding a directory is not an upload's, and is left whole).  0, or -1. */
static int upload_dir_empty(int fd, long long *bytes)
{
	int dup_fd = dup(fd);
	DIR *d = dup_fd < 0 ? NULL : fdopendir(dup_fd);
	struct dirent *e;
	int rc = 0;
	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		return -1;
	}
	for (int pass = 0; pass < 2 && !rc; pass++) {
		rewinddir(d);
		while (!rc && (e = readdir(d))) {
			struct stat st;
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) || S_ISDIR(st.st_mode))
				rc = -1;
			else if (pass && unlinkat(fd, e->d_name, 0))
				rc = -1;
			else if (pass && S_ISREG(st.st_mode))
				*bytes += st.st_size;
		}
	}
	closedir(d);
	return rc;
}

int mr_web_upload_sweep(long *dirs, long long *bytes)
{
	const char *tmp = getenv("TMPDIR");
	*dirs = 0;
	*bytes = 0;
	int top = open(tmp && *tmp ? tmp : "/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int dup_top = top < 0 ? -1 : dup(top);
	DIR *d = dup_top < 0 ? NULL : fdopendir(dup_top);
	struct dirent *e;
	if (!d) {
		if (dup_top >= 0)
			close(dup_top);
		if (top >= 0)
			close(top);
		return -1;
	}
	while ((e = readdir(d))) {
		struct stat a, b;
		if (!upload_dir_name(e->d_name) ||
		    fstatat(top, e->d_name, &a, AT_SYMLINK_NOFOLLOW) || !S_ISDIR(a.st_mode) ||
		    a.st_uid != geteuid())
			continue;
		int fd = openat(top, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		/* the one looked at, and not in use: a running server locks its own */
		long long size = 0;
		if (fstat(fd, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino &&
		    flock(fd, LOCK_EX | LOCK_NB) == 0 && upload_dir_empty(fd, &size) == 0 &&
		    unlinkat(top, e->d_name, AT_REMOVEDIR) == 0)
			++*dirs;
		*bytes += size;
		close(fd);             /* and with it the lock */
	}
	closedir(d);
	close(top);
	return 0;
}

const char *mr_web_upload_name(const char *name)
{
	const char *slash = name ? strrchr(name, '/') : NULL;
	if (slash)
		name = slash + 1;
	if (!name || !*name || name[0] == '.' || strlen(name) > 200 || strchr(name, '\\'))
		return NULL;
	return name;
}

int mr_web_upload_save(mr_ctx *c, struct mr_upload *u)
{
	const char *arg = mr_web_arg(c, "file");
	const char *name = mr_web_upload_name(arg);
	mr_err err = MR_ERR_INIT;
	u->dir[0] = 0;
	u->lock = -1;
	if (!arg || !*arg)
		return mr_web_fail(c, 400, "say the file's name: ?file=NAME");
	if (!name)
		return mr_web_fail(c, 400, "file \"%s\": not a usable file name", arg);
	if (c->rq->upload) {
		snprintf(u->path, sizeof u->path, "%s", c->rq->upload);
		return 0;
	}
	if (!c->rq->body || !c->rq->body_len)
		return mr_web_fail(c, 400, "the upload is empty: send the file as the body");
	if (mr_web_upload_dir(u->dir, sizeof u->dir, &u->lock)) {
		mr_err_set(&err, MR_EIO, "making a temporary directory: %s", strerror(errno));
		goto fail;
	}
	snprintf(u->path, sizeof u->path, "%s/%s", u->dir, name);
	if (mr_file_write(u->path, c->rq->body, c->rq->body_len, &err))
		goto fail;
	return 0;
fail:
	mr_web_err(c, &err);
	mr_err_clear(&err);
	return -1;
}

void mr_web_upload_drop(struct mr_upload *u)
{
	if (!u->dir[0])
		return;
	unlink(u->path);
	rmdir(u->dir);
	close(u->lock);
}

static int flag(mr_ctx *c, const char *key)
{
	const char *v = mr_web_arg(c, key);
	return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0);
}

/* An argument, NULL when absent or empty (a form's blank field). */
static const char *arg_given(mr_ctx *c, const char *name)
{
	const char *v = mr_web_arg(c, name);
	return v && *v ? v : NULL;
}

int mr_h_sources(mr_ctx *c)
{
	mr_source_row *rows = NULL;
	size_t n = 0;
	mr_err err = MR_ERR_INIT;
	if (mr_store_source_list(c->s, &rows, &n, &err)) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		mr_source src;
		mr_buf b;
		if (mr_source_read(&src, &rows[i], &err)) {
			mr_err_clear(&err);     /* a damaged one is left out of the list */
			continue;
		}
		mr_buf_init(&b);
		mr_source_describe(&src, &b);
		json_array_append_new(arr, json_pack("{ssssssss}", "name", src.name, "kind", src.kind,
		                      "preset", src.preset ? src.preset : "", "about",
		                      b.data ? b.data : src.kind));
		mr_buf_release(&b);
		mr_source_release(&src);
	}
	mr_source_rows_free(rows, n);
	return mr_web_json(c, 200, arr);
}

/* A saved source under the upload's options (inside the transaction). */
static int with_source(const char *name, const char **kind, mr_source *src,
                       mr_import_opts *o, mr_store *s, mr_err *err)
{
	int rc = mr_source_load(s, name, src, err);
	if (rc)
		return rc;
	if (*kind && strcmp(*kind, src->kind) != 0)
		return mr_err_set(err, MR_EINVALID, "source: \"%s\" is for %s files, not %s",
		                  src->name, src->kind, *kind);
	*kind = src->kind;
	return mr_source_apply(src, o, err);
}

/* An upload's words (notes, a preview's problem) as JSON text in the
 * request's language: o[key] (and o[key_en], the English, when it is not
 * English). */
static void set_words(json_t *o, const char *key, const char *text, mr_locale lang)
{
	char en[32];
	if (!text)
		text = "";
	if (lang == MR_LOCALE_EN) {
		json_object_set_new(o, key, json_string(text));
		return;
	}
	mr_buf b;
	mr_buf_init(&b);
	mr_msg_tr_file(&b, text, strlen(text), lang);
	json_object_set_new(o, key, json_string(mr_buf_oom(&b) ? text : b.data));
	mr_buf_release(&b);
	snprintf(en, sizeof en, "%s_en", key);
	json_object_set_new(o, en, json_string(text));
}

/* An upload imported (preview NULL), or read by the same importer in a
 * transaction always rolled back, the preview filled (the answer then is
 * 200 with the problem, if any, in "problem"). */
static int import_run(mr_ctx *c, json_t *preview)
{
	mr_import_opts o;
	mr_import_result res;
	mr_source src;
	mr_err err = MR_ERR_INIT;
	struct mr_upload u;
	const char *kind = mr_web_arg(c, "kind"), *date = mr_web_arg(c, "date");
	const char *source = mr_web_arg(c, "source"), *order = mr_web_arg(c, "date_order");
	int known = 0;
	memset(&o, 0, sizeof o);
	memset(&src, 0, sizeof src);
	if (mr_web_lang(c, &c->file_lang))
		return -1;
	if (source && !*source)
		source = NULL;
	if (kind && !*kind && source)
		kind = NULL;
	for (int i = 0; kind && mr_import_kinds[i]; i++)
		known |= strcmp(mr_import_kinds[i], kind) == 0;
	if (!known && !(source && !kind))
		return mr_web_fail(c, 400, "kind: one of " MR_IMPORT_KINDS_TEXT " (or a saved source)");
	if (!c->snap->plan)
		return mr_web_fail(c, 409, "there is no plan yet");
	if (date && *date) {
		if (mr_day_parse(&o.date, date))
			return mr_web_fail(c, 400, "date \"%s\" is not a date (YYYY-MM-DD)", date);
		o.has_date = 1;
	}
	if (order && *order) {
		if (strcmp(order, "dmy") && strcmp(order, "mdy"))
			return mr_web_fail(c, 400, "date_order \"%s\": dmy (day first) or mdy (month "
			                   "first)", order);
		o.date_order = order[0] == 'd' ? MR_DATE_DMY : MR_DATE_MDY;
	}
	o.replace = flag(c, "replace");
	o.skip_bad = flag(c, "skip_bad");
	o.web = 1;
	o.strict = flag(c, "strict");
	o.preset = arg_given(c, "preset");
	o.map = arg_given(c, "map");
	o.indicator = arg_given(c, "indicator");   /* an index series' indicator */
	/* a text file's encoding and a workbook's sheet, as --encoding and --sheet */
	o.encoding = arg_given(c, "encoding");
	o.sheet = arg_given(c, "sheet");
	o.preview = preview;
	if (mr_web_upload_save(c, &u)) {
		mr_web_upload_drop(&u);
		return -1;
	}
	o.name = mr_web_upload_name(mr_web_arg(c, "file"));
	mr_import_result_init(&res);
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_web_plan_check(c, &err);
	if (!rc && source)
		rc = with_source(source, &kind, &src, &o, c->s, &err);
	if (!rc)
		rc = mr_import_file(c->s, c->snap->plan, kind, u.path, &o, &res, &err);
	if (preview) {
		/* nothing of a preview is kept; what stopped it is its problem */
		if (!rc || err.code == MR_EINVALID || err.code == MR_EIO || err.code == MR_ENOTFOUND ||
		    err.code == MR_EEXISTS) {
			mr_store_rollback(c->s);
			json_t *tally = json_pack("{sIsIss?ss}", "rows_counted",
			                   (json_int_t)(rc ? 0 : res.rows), "skipped",
			                   (json_int_t)res.skipped, "preset", res.preset,
			                   "kind", kind ? kind : "");
			set_words(tally, "notes", res.notes.data, c->file_lang);
			if (rc)
				set_words(tally, "problem", err.msg ? err.msg : mr_err_str(err.code),
				          c->file_lang);
			else
				json_object_set_new(tally, "problem", json_null());
			json_object_update(preview, tally);
			json_decref(tally);
			mr_web_json(c, 200, json_incref(preview));
		} else {
			mr_web_commit(c, rc, &err, 1);
		}
	} else if (!mr_web_commit(c, rc, &err, 1)) {
		json_t *j = json_pack("{sIsIsIsIss}", "batch", (json_int_t)res.batch,
		            "rows", (json_int_t)res.rows, "skipped", (json_int_t)res.skipped,
		            "replaced", (json_int_t)res.replaced, "preset",
		            res.preset ? res.preset : "generic");
		set_words(j, "notes", res.notes.data, c->file_lang);
		json_object_set_new(j, "kind", json_string(kind));
		mr_web_json(c, 200, j);
	}
	mr_import_result_release(&res);
	mr_source_release(&src);
	mr_web_upload_drop(&u);
	mr_err_clear(&err);
	return 0;
}

int mr_h_import(mr_ctx *c)
{
	return import_run(c, NULL);
}

int mr_h_import_preview(mr_ctx *c)
{
	json_t *p = json_object();
	if (!p)
		return mr_web_fail(c, 500, "out of memory");
	int rc = import_run(c, p);
	json_decref(p);
	return rc;
}

int mr_h_import_template(mr_ctx *c)
{
	mr_err err = MR_ERR_INIT;
	const char *kind = mr_web_arg(c, "kind"), *preset = arg_given(c, "preset");
	char name[96];
	if (!kind || !*kind)
		return mr_web_fail(c, 400, "kind: one of " MR_IMPORT_KINDS_TEXT);
	mr_buf_reset(&c->rs->body);
	if (mr_import_template(kind, preset, &c->rs->body, &err)) {
		mr_buf_reset(&c->rs->body);
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	snprintf(name, sizeof name, "%s-%s.csv", kind, preset ? preset : "generic");
	for (char *p = name; *p; p++)   /* a name safe anywhere */
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '.' && *p != '-' && *p != '_')
			*p = '_';
	c->rs->status = 200;
	c->rs->type = "text/csv; charset=utf-8";
	c->rs->filename = strdup(name);
	return 0;
}

int mr_h_ingest(mr_ctx *c)
{
	mr_log_opts o;
	mr_log_result res;
	mr_log_format *fmt = NULL;
	mr_err err = MR_ERR_INIT;
	struct mr_upload u;
	const char *format = mr_web_arg(c, "format"), *site = mr_web_arg(c, "site");
	memset(&o, 0, sizeof o);
	if (mr_web_lang(c, &c->file_lang))
		return -1;
	if (!c->snap->plan)
		return mr_web_fail(c, 409, "there is no plan yet");
	if (mr_log_format_compile(&fmt, format && *format ? format : "combined", &err)) {
		mr_web_fail(c, 400, "format: %s", err.msg);
		mr_err_clear(&err);
		return -1;
	}
	o.format = fmt;
	o.site = site && *site ? site : NULL;
	o.strict = flag(c, "strict");
	if (mr_web_upload_save(c, &u)) {
		mr_web_upload_drop(&u);
		mr_log_format_free(fmt);
		return -1;
	}
	o.name = mr_web_upload_name(mr_web_arg(c, "file"));
	mr_log_result_init(&res);
	int rc = mr_store_begin(c->s, &err);
	if (!rc)
		rc = mr_web_plan_check(c, &err);
	if (!rc)
		rc = mr_log_ingest(c->s, c->snap->plan, u.path, &o, &res, &err);
	if (!mr_web_commit(c, rc, &err, 1)) {
		json_t *j = json_pack("{sIsIsIsIsisb}", "batch", (json_int_t)res.batch,
		            "lines", (json_int_t)res.lines, "requests", (json_int_t)res.requests,
		            "failed", (json_int_t)res.failed, "days", res.days, "empty", res.empty);
		set_words(j, "notes", res.notes.data, c->file_lang);
		mr_web_json(c, 200, j);
	}
	mr_log_result_release(&res);
	mr_web_upload_drop(&u);
	mr_log_format_free(fmt);
	mr_err_clear(&err);
	return 0;
}

/* ---- reports ---- */

static const struct { const char *format, *type; } report_types[] = {
	{ "csv", "text/csv; charset=utf-8" },
	{ "json", "application/json" },
	{ "html", "text/html; charset=utf-8" },
	{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
	{ "pdf", "application/pdf" },
};

int mr_h_report(mr_ctx *c)
{
	mr_period p;
	mr_err err = MR_ERR_INIT;
	const char *format = mr_web_arg(c, "format"), *login = mr_web_arg(c, "login"),
	           *type = NULL;
	char dir[256], path[512], name[160];
	char *data = NULL;
	size_t len = 0;
	for (size_t i = 0; format && i < sizeof report_types / sizeof report_types[0]; i++)
		if (strcmp(format, report_types[i].format) == 0)
			type = report_types[i].type;
	if (!type)
		return mr_web_fail(c, 400, "format: csv, json, html, xlsx or pdf");
	if (login && !*login)
		login = NULL;
	if (mr_web_period(c, &p))
		return -1;
	if (!login && !c->admin)
		return mr_web_fail(c, 403, "only an admin downloads the whole team's report; name "
		                   "a person with login=");
	if (login && (!mr_web_may_see(c, login) || !mr_web_staff(c->snap, login)))
		return mr_web_fail(c, 404, "no report of %s for %s", login, p.label);
	if (mr_web_withheld(c, p.label, login, NULL, 0))
		return mr_web_fail(c, 403, "the results of %s are not released yet: an admin "
		                   "releases them on the Cycles page", p.label);
	if (!c->snap->plan)
		return mr_web_fail(c, 404, "there is no plan yet");
	if (mr_file_tempdir(dir, sizeof dir, "report"))
		return mr_web_fail(c, 500, "the server could not make a temporary file");
	snprintf(name, sizeof name, "merit-%s%s%s.%s", p.label, login ? "-" : "",
	         login ? login : "", format);
	for (char *q = name; *q; q++)      /* a range period has dots; a login, anything */
		if (*q == '/' || *q == '"' || *q == '\\' || (unsigned char)*q < ' ')
			*q = '_';
	snprintf(path, sizeof path, "%s/report.%s", dir, format);
	/* SPEC 2: peers and direct reports are "peer 1", "upward 1"… in every
	 * report, which may reach the person rated (the forms they sign are in
	 * it); an admin's own copy may name them with names=1 */
	const char *names = mr_web_arg(c, "names");
	if (names && strcmp(names, "1") && strcmp(names, "0"))
		return mr_web_fail(c, 400, "names: 1 or 0");
	if (names && strcmp(names, "1") == 0 && !c->admin)
		return mr_web_fail(c, 403, "only an admin's copy names the peers and direct reports "
		                   "who rated");
	unsigned flags = names && strcmp(names, "1") == 0 ? 0 : MR_REPORT_ANON_PEERS;
	/* the labels in the user's language (the page sends it), else the plan's */
	const char *lang = mr_web_arg(c, "lang");
	int loc = lang && *lang ? mr_locale_parse(lang) : (int)c->snap->plan->locale;
	if (loc < 0)
		return mr_web_fail(c, 400, "lang: en or zh-CN");
	if (loc == MR_LOCALE_ZH_CN)
		flags |= MR_REPORT_ZH;
	int rc = mr_report_write(c->s, c->snap->plan, &p, format, login, path, flags, &err);
	if (!rc)
		rc = mr_file_read(&data, &len, path, &err);
	unlink(path);
	rmdir(dir);
	if (rc) {
		mr_web_err(c, &err);
		mr_err_clear(&err);
		return -1;
	}
	c->rs->status = 200;
	c->rs->type = type;
	c->rs->filename = strdup(name);
	mr_buf_reset(&c->rs->body);
	mr_buf_add(&c->rs->body, data, len);
	free(data);
	return 0;
}
