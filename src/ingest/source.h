/* source.h — saved sources: `merit source add NAME --kind K [options]`
 * keeps an import's options under a name, and `merit import --source NAME
 * FILE` (or the web upload's list) uses them, so an export a company
 * brings every month needs its mapping written once.
 *
 * A source is its kind and the options of `merit import` that describe a
 * file rather than one import of it: --preset, --map (any number),
 * --map-file (its text is kept, not its path), --value, --date-order,
 * --encoding, --sheet and --strict.  Options given with the import add to
 * the source's: a --map or --value after the source's own (the later
 * mapping of a column wins), a --preset, --date-order, --map-file,
 * --encoding or --sheet instead of the source's.
 */
#ifndef MR_SOURCE_H
#define MR_SOURCE_H

#include "ingest/import.h"
#include "store/store.h"

typedef struct mr_source {
	char *name, *kind;
	char *preset;                /* NULL: picked from the header */
	char **maps, **values;       /* NULL-terminated, never NULL once built */
	char *map_file, *map_text;   /* the map file's name and text, or NULL */
	char *encoding, *sheet;      /* --encoding, --sheet, or NULL */
	int date_order, strict;
	/* mr_source_apply's merged lists, owned here */
	const char **all_maps, **all_values;
} mr_source;

#define MR_SOURCE_MAX_NAME 64   /* bytes */

/* A source from the options of `merit source add` (the map file read
 * now), checked against its kind as far as a file is not needed. */
int mr_source_build(mr_source *src, const char *name, const char *kind,
                    const mr_import_opts *o, mr_err *err);
/* The options as the store keeps them (JSON, to free). */
char *mr_source_options_json(const mr_source *src);
/* The source for people and programs (name, kind, preset, maps,
 * map_file, values, date_order, strict), a new reference. */
typedef struct json_t json_t;
json_t *mr_source_json(const mr_source *src);
/* A stored source read back. */
int mr_source_read(mr_source *src, const mr_source_row *row, mr_err *err);
void mr_source_release(mr_source *src);
/* o with the source's options under it (see above); pointers into src. */
int mr_source_apply(mr_source *src, mr_import_opts *o, mr_err *err);
/* One line for people: "orders, preset taobao, 2 maps, date order dmy". */
void mr_source_describe(const mr_source *src, mr_buf *b);
/* The source called name (ignoring case), from the store. */
int mr_source_load(mr_store *s, const char *name, mr_source *src, mr_err *err);

#endif
