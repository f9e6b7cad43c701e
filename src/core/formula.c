/* formula.c — the plan's scoring formula: a recursive-descent parser to a
 * small tree, and its evaluation.
 *
 * Why our own and not an embedded interpreter: the language is four
 * operators, parentheses, min() and max() over a handful of names, and it
 * must be safe by construction (no I/O, no loops, bounded size and depth).
 * Grammar:
 *
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+') unary | primary
 *   primary := NUMBER | NAME | ('min' | 'max') '(' expr (',' expr)* ')'
 *            | '(' expr ')'
 *
 * Errors name the 1-based column: "formula column 7: unknown name \"kpj\"".
 */
#include "core/formula.h"
#include "util/vec.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/num.h"

enum node_kind { N_NUM, N_NAME, N_NEG, N_ADD, N_SUB, N_MUL, N_DIV, N_MIN, N_MAX };

typedef struct node {
	enum node_kind kind;
	int col;                  /* where it was written, for messages */
	double num;               /* N_NUM */
	size_t name;              /* N_NAME: index into names */
	int a, b;                 /* operands; N_MIN/N_MAX: a = first argument */
	int next;                 /* next argument of a function, or -1 */
} node;

struct mr_formula {
	node *nodes;
	int nnodes;
	size_t cap;
	int root;
	char **names;             /* distinct identifiers, in order of first use */
	size_t nnames, capnames;
};

static const char *const builtin_names[] = { "kpi", "manager", "self", "peer", "upward" };

typedef struct parser {
	const char *s;
	size_t pos;
	const char *const *names;
	size_t nnames;
	mr_formula *f;
	mr_err *err;
	int depth;
	int rc;                   /* first error code, 0 while fine */
} parser;

static int fail(parser *p, int code, size_t pos, const char *what, const char *arg)
{
	if (!p->rc) {
		p->rc = code;
		if (arg)
			mr_err_set(p->err, code, "formula column %zu: %s \"%s\"", pos + 1, what, arg);
		else
			mr_err_set(p->err, code, "formula column %zu: %s", pos + 1, what);
	}
	return -1;
}

static void skip_space(parser *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n'
	       || p->s[p->pos] == '\r')
		p->pos++;
}

static char peek(parser *p)
{
	skip_space(p);
	return p->s[p->pos];
}

static int new_node(parser *p, enum node_kind kind, size_t pos, int a, int b)
{
	mr_formula *f = p->f;
	if (f->nnodes >= MR_FORMULA_MAX_NODES)
		return fail(p, MR_EINVALID, pos, "the formula is too long (more than "
		            "1024 parts)", NULL);
	if (mr_vec_grow(&f->nodes, &f->cap, (size_t)f->nnodes, sizeof *f->nodes))
		return fail(p, MR_ENOMEM, pos, "out of memory", NULL);
	node *n = &f->nodes[f->nnodes];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->col = (int)pos + 1;
	n->a = a;
	n->b = b;
	n->next = -1;
	return f->nnodes++;
}

/* Index of `name` in f->names, adding it if new; -1 when out of memory. */
static long intern(parser *p, const char *name, size_t len, size_t pos)
{
	mr_formula *f = p->f;
	for (size_t i = 0; i < f->nnames; i++)
		if (strlen(f->names[i]) == len && memcmp(f->names[i], name, len) == 0)
			return (long)i;
	char *copy = NULL;
	if (mr_vec_grow(&f->names, &f->capnames, f->nnames, sizeof *f->names) ||
	    !(copy = malloc(len + 1)))
		return fail(p, MR_ENOMEM, pos, "out of memory", NULL);
	memcpy(copy, name, len);
	copy[len] = 0;
	f->names[f->nnames] = copy;
	return (long)f->nnames++;
}

static int known_name(const parser *p, const char *name)
{
	for (size_t i = 0; i < sizeof builtin_names / sizeof *builtin_names; i++)
		if (strcmp(builtin_names[i], name) == 0)
			return 1;
	for (size_t i = 0; i < p->nnames; i++)
		if (p->names[i] && strcmp(p->names[i], name) == 0)
			return 1;
	return 0;
}

static int parse_expr(parser *p, size_t at);

/* One level deeper, for the construct written at `pos`. */
static int enter(parser *p, size_t pos)
{
	if (++p->depth > MR_FORMULA_MAX_DEPTH)
		return fail(p, MR_EINVALID, pos, "the formula is nested too deeply "
		            "(more than 64 levels)", NULL);
	return 0;
}

static int parse_number(parser *p)
{
	size_t start = p->pos, i = p->pos;
	const char *s = p->s;
	int digits = 0;
	while (isdigit((unsigned char)s[i]))
		i++, digits++;
	if (s[i] == '.') {
		i++;
		while (isdigit((unsigned char)s[i]))
			i++, digits++;
	}
	if (!digits)
		return fail(p, MR_EINVALID, start, "a number needs digits", NULL);
	if ((s[i] == 'e' || s[i] == 'E')
	    && (isdigit((unsigned char)s[i + 1])
	        || ((s[i + 1] == '+' || s[i + 1] == '-') && isdigit((unsigned char)s[i + 2])))) {
		i += 2;
		while (isdigit((unsigned char)s[i]))
			i++;
	}
	char text[64];
	size_t len = i - start;
	double v;
	if (len >= sizeof text)
		return fail(p, MR_EINVALID, start, "number too long", NULL);
	memcpy(text, s + start, len);
	text[len] = 0;
	if (mr_num_parse(&v, text))
		return fail(p, MR_EINVALID, start, "not a number:", text);
	p->pos = i;
	int n = new_node(p, N_NUM, start, -1, -1);
	if (n >= 0)
		p->f->nodes[n].num = v;
	return n;
}

/* min(…) / max(…): the name is read, p->pos is at '('. */
static int parse_call(parser *p, enum node_kind kind, size_t start)
{
	int fn = new_node(p, kind, start, -1, -1);
	if (fn < 0)
		return -1;
	p->pos++;                                  /* '(' */
	if (peek(p) == ')')
		return fail(p, MR_EINVALID, p->pos, "min() and max() need at least "
		            "one argument", NULL);
	int last = -1;
	for (;;) {
		int arg = parse_expr(p, p->pos);
		if (arg < 0)
			return -1;
		if (last < 0)
			p->f->nodes[fn].a = arg;
		else
			p->f->nodes[last].next = arg;
		last = arg;
		char c = peek(p);
		if (c == ',') {
			p->pos++;
			continue;
		}
		if (c == ')') {
			p->pos++;
			return fn;
		}
		return c ? fail(p, MR_EINVALID, p->pos, "expected ',' or ')' here", NULL)
		         : fail(p, MR_EINVALID, p->pos, "missing ')'", NULL);
	}
}

static int parse_name(parser *p)
{
	size_t start = p->pos, i = p->pos;
	while (isalnum((unsigned char)p->s[i]) || p->s[i] == '_')
		i++;
	size_t len = i - start;
	char name[128];
	if (len >= sizeof name)
		return fail(p, MR_EINVALID, start, "name too long", NULL);
	memcpy(name, p->s + start, len);
	name[len] = 0;
	p->pos = i;
	if (peek(p) == '(') {
		if (strcmp(name, "min") == 0)
			return parse_call(p, N_MIN, start);
		if (strcmp(name, "max") == 0)
			return parse_call(p, N_MAX, start);
		return fail(p, MR_EINVALID, start, "unknown function", name);
	}
	if (!known_name(p, name))
		return fail(p, MR_EINVALID, start, "unknown name", name);
	long idx = intern(p, name, len, start);
	if (idx < 0)
		return -1;
	int n = new_node(p, N_NAME, start, -1, -1);
	if (n >= 0)
		p->f->nodes[n].name = (size_t)idx;
	return n;
}

static int parse_primary(parser *p)
{
	char c = peek(p);
	size_t start = p->pos;
	if (isdigit((unsigned char)c) || c == '.')
		return parse_number(p);
	if (isalpha((unsigned char)c) || c == '_')
		return parse_name(p);
	if (c == '(') {
		p->pos++;
		int inner = parse_expr(p, start);
		if (inner < 0)
			return -1;
		if (peek(p) != ')')
			return p->s[p->pos]
			       ? fail(p, MR_EINVALID, p->pos, "expected ')' here", NULL)
			       : fail(p, MR_EINVALID, start, "this '(' is never closed", NULL);
		p->pos++;
		return inner;
	}
	if (!c)
		return fail(p, MR_EINVALID, start, "unexpected end: expected a number, "
		            "a name or '('", NULL);
	char what[2] = { c, 0 };
	return fail(p, MR_EINVALID, start, "expected a number, a name or '(', not", what);
}

static int parse_unary(parser *p)
{
	char c = peek(p);
	if (c != '-' && c != '+')
		return parse_primary(p);
	size_t start = p->pos++;
	if (enter(p, start))
		return -1;
	int operand = parse_unary(p);
	p->depth--;
	if (operand < 0 || c == '+')
		return operand;
	return new_node(p, N_NEG, start, operand, -1);
}

static int parse_term(parser *p)
{
	int left = parse_unary(p);
	while (left >= 0) {
		char c = peek(p);
		if (c != '*' && c != '/')
			break;
		size_t at = p->pos++;
		int right = parse_unary(p);
		if (right < 0)
			return -1;
		if (c == '/' && p->f->nodes[right].kind == N_NUM && p->f->nodes[right].num == 0)
			return fail(p, MR_EINVALID, at, "'/' divides by 0", NULL);
		left = new_node(p, c == '*' ? N_MUL : N_DIV, at, left, right);
	}
	return left;
}

/* `at`: where the construct that opens this expression was written. */
static int parse_expr(parser *p, size_t at)
{
	if (enter(p, at))
		return -1;
	int left = parse_term(p);
	while (left >= 0) {
		char c = peek(p);
		if (c != '+' && c != '-')
			break;
		size_t op = p->pos++;
		int right = parse_term(p);
		if (right < 0)
			return -1;
		left = new_node(p, c == '+' ? N_ADD : N_SUB, op, left, right);
	}
	p->depth--;
	return left;
}

int mr_formula_parse(mr_formula **out, const char *text,
                     const char *const *names, size_t nnames, mr_err *err)
{
	int rc = 0;
	mr_formula *f = NULL;
	*out = NULL;
	if (!text)
		return mr_err_set(err, MR_EINVALID, "formula: no text");
	f = calloc(1, sizeof *f);
	if (!f)
		return mr_err_set(err, MR_ENOMEM, "formula: out of memory");
	parser p = { .s = text, .names = names, .nnames = names ? nnames : 0,
	             .f = f, .err = err };
	f->root = parse_expr(&p, 0);
	if (f->root >= 0 && peek(&p)) {
		char what[2] = { p.s[p.pos], 0 };
		fail(&p, MR_EINVALID, p.pos, "unexpected", what);
	}
	if (p.rc) {
		rc = p.rc;
		goto done;
	}
	*out = f;
	f = NULL;
done:
	mr_formula_free(f);
	return rc;
}

typedef struct evaluator {
	const mr_formula *f;
	mr_formula_lookup lookup;
	void *payload;
	mr_err *err;
} evaluator;

static int eval(double *out, const evaluator *e, int idx)
{
	const node *n = &e->f->nodes[idx];
	double x, y;
	int rc;
	switch (n->kind) {
	case N_NUM:
		*out = n->num;
		return 0;
	case N_NAME: {
		const char *name = e->f->names[n->name];
		rc = e->lookup ? e->lookup(&x, name, e->payload) : MR_ENOTFOUND;
		if (rc == MR_ENOTFOUND)
			x = 0;
		else if (rc < 0)
			return mr_err_set(e->err, rc, "formula: looking up \"%s\" failed", name);
		*out = x;
		return 0;
	}
	case N_NEG:
		if ((rc = eval(&x, e, n->a)))
			return rc;
		*out = -x;
		return 0;
	case N_MIN:
	case N_MAX:
		if ((rc = eval(out, e, n->a)))
			return rc;
		for (int a = e->f->nodes[n->a].next; a >= 0; a = e->f->nodes[a].next) {
			if ((rc = eval(&x, e, a)))
				return rc;
			if (n->kind == N_MIN ? x < *out : x > *out)
				*out = x;
		}
		return 0;
	default:
		break;
	}
	if ((rc = eval(&x, e, n->a)) || (rc = eval(&y, e, n->b)))
		return rc;
	switch (n->kind) {
	case N_ADD: *out = x + y; break;
	case N_SUB: *out = x - y; break;
	case N_MUL: *out = x * y; break;
	default:
		if (y == 0)
			return mr_err_set(e->err, MR_EINVALID, "formula: division by zero "
			                  "(the '/' at column %d)", n->col);
		*out = x / y;
		break;
	}
	return 0;
}

int mr_formula_eval(double *out, const mr_formula *f, mr_formula_lookup lookup,
                    void *payload, mr_err *err)
{
	double v = 0;
	if (!f || f->root < 0)
		return mr_err_set(err, MR_EINVALID, "formula: nothing to evaluate");
	evaluator e = { f, lookup, payload, err };
	int rc = eval(&v, &e, f->root);
	if (rc)
		return rc;
	if (!isfinite(v))
		return mr_err_set(err, MR_EINVALID, "formula: the result is not a finite number");
	*out = v;
	return 0;
}

size_t mr_formula_names(const mr_formula *f, const char *const **out)
{
	*out = f ? (const char *const *)f->names : NULL;
	return f ? f->nnames : 0;
}

void mr_formula_free(mr_formula *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nnames; i++)
		free(f->names[i]);
	free(f->names);
	free(f->nodes);
	free(f);
}
