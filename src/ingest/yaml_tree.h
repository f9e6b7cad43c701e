/* yaml_tree.h — reading a human-edited YAML file as a checked tree.
 *
 * A thin layer over libyaml's document API for config-like files (the
 * plan): load the text, then pull typed values out of mappings by a fixed
 * list of known keys.  Every problem — syntax, unknown or duplicate key,
 * wrong type — is reported to the caller's mr_err as one
 * "FILE:LINE:COL: message" line, with the path of the node it is at as
 * its field (mr_err_add_field), and counted, and reading goes on, so one
 * pass shows a person everything that is wrong.
 *
 * The tree belongs to the mr_yaml (mr_yaml_release); node pointers are
 * borrowed from it.  Aliases are allowed, but every use of a node counts
 * against a budget, so a small file cannot expand into a huge plan.
 */
#ifndef MR_YAML_TREE_H
#define MR_YAML_TREE_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "core/plan.h"
#include "util/err.h"

#define MR_YAML_BUDGET 50000     /* values visited, aliases counted each use */
#define MR_YAML_MAX_KEYS 24      /* known keys per mapping */
#define MR_YAML_MAX_DEPTH 64     /* lists and mappings inside each other */
#define MR_YAML_MAX_NODES 200000 /* lists, mappings, single values and aliases in the text */
#define MR_YAML_PATH_MAX 512     /* a problem's field path, bytes; a longer one is left out */

typedef struct mr_yaml {
	yaml_document_t doc;
	int loaded;
	const char *file;       /* for messages; "plan" when none was given */
	mr_err *err;
	int bad;                /* problems reported */
	int nomem;              /* an allocation failed */
	long budget;            /* values still allowed */
	/* Per node id (1-based; [0] unused), where it hangs in the document:
	 * each problem reported at a node carries its path as its field
	 * ("positions[1].kpis[0].weight"; a key has its value's; see
	 * mr_err_field). */
	struct mr_yaml_place {
		int parent;         /* node id; 0 for the root */
		int key;            /* in a mapping: the key's node id; else 0 */
		long index;         /* in a sequence: the item's index */
		int seen;
	} *places;
	size_t nplaces;
} mr_yaml;

/* Parse `text` into y.  0 when loaded (the root may still be NULL for an
 * empty document); MR_EINVALID after reporting a syntax error,
 * nesting deeper than MR_YAML_MAX_DEPTH ("nested deeper than 64 levels")
 * or more than MR_YAML_MAX_NODES values ("the file is too large: more
 * than 200000 values …"), both checked before the tree is built;
 * MR_ENOMEM.  Release y in every case. */
int mr_yaml_load(mr_yaml *y, const char *text, size_t len, const char *file,
                 mr_err *err);
void mr_yaml_release(mr_yaml *y);

yaml_node_t *mr_yaml_root(mr_yaml *y);
/* The node `id` of the document, counted against the budget; NULL when
 * there is none or the budget is spent (reported once). */
yaml_node_t *mr_yaml_node(mr_yaml *y, int id);
mr_pos mr_yaml_pos(const yaml_node_t *n);    /* 1-based; 0,0 for NULL */

/* Report one problem at n (or without a position when n is NULL). */
void mr_yaml_problem(mr_yaml *y, const yaml_node_t *n, const char *fmt, ...)
	MR_PRINTF(3, 4);

/* A plain empty, "~" or "null" scalar: a key written with no value. */
int mr_yaml_is_null(const yaml_node_t *n);

/* Read a mapping with known keys (`keys`, NULL-terminated, at most
 * MR_YAML_MAX_KEYS): vals[i] is the value node of keys[i], or NULL when
 * absent.  Unknown keys (with a "did you mean" when one is close),
 * duplicate keys and keys that are not text are reported.  `what` names
 * the mapping in messages ("a kpi").  Returns 0, or -1 when n is not a
 * mapping (reported). */
int mr_yaml_fields(mr_yaml *y, yaml_node_t *n, const char *what,
                   const char *const *keys, yaml_node_t **vals);

/* The items of a sequence (node ids, to pass to mr_yaml_node).  Returns
 * the count (0 for NULL or a null scalar), or -1 when n is not a sequence
 * (reported) or the budget is spent. */
long mr_yaml_items(mr_yaml *y, yaml_node_t *n, const char *what,
                   yaml_node_item_t **items);

/* Typed scalars.  Each returns 1 when a value was stored in *out, 0 when
 * n is NULL or null (nothing stored), -1 after reporting a problem. */
int mr_yaml_string(mr_yaml *y, yaml_node_t *n, const char *what, char **out);
int mr_yaml_number(mr_yaml *y, yaml_node_t *n, const char *what, double *out);
int mr_yaml_money(mr_yaml *y, yaml_node_t *n, const char *what, int64_t *out);
int mr_yaml_fixed(mr_yaml *y, yaml_node_t *n, const char *what, int scale,
                  int64_t *out);
/* One of names[0..n-1]; *out is its index. */
int mr_yaml_enum(mr_yaml *y, yaml_node_t *n, const char *what,
                 const char *const *names, size_t nnames, int *out);

/* The candidate closest to `word` when it is a likely typo, else NULL. */
const char *mr_yaml_suggest(const char *word, const char *const *cands, size_t n);

#endif
