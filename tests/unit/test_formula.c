/* test_formula.c — the plan's scoring formula: parsing, evaluation, and
 * every error a user can make (with its column), plus the size and depth
 * bounds that keep evaluation safe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/formula.h"
#include "util/num.h"

/* Values for the names; a NAN entry means "no data" (MR_ENOTFOUND). */
typedef struct vars {
	const char *name[8];
	double value[8];
	int fail;                 /* return MR_EIO for every lookup */
} vars;

static int lookup(double *out, const char *name, void *payload)
{
	const vars *v = payload;
	if (v->fail)
		return MR_EIO;
	for (int i = 0; i < 8 && v->name[i]; i++)
		if (strcmp(v->name[i], name) == 0) {
			if (v->value[i] != v->value[i])
				return MR_ENOTFOUND;
			*out = v->value[i];
			return 0;
		}
	return MR_ENOTFOUND;
}

static const char *const ind_names[] = { "online_sales", "keyword_rank" };

static const vars worked = {
	{ "kpi", "manager", "self", "peer", "online_sales", "keyword_rank" },
	{ 72, NAN, 77, 77, 110, 60 },
	0,
};

/* Parse and evaluate `text`; asserts both succeed. */
static double calc(const char *text, const vars *v)
{
	mr_err err = MR_ERR_INIT;
	mr_formula *f = NULL;
	double out = -12345;
	int rc = mr_formula_parse(&f, text, ind_names, 2, &err);
	if (rc)
		fprintf(stderr, "parse %s: %s\n", text, err.msg ? err.msg : "?");
	assert_int_equal(rc, 0);
	rc = mr_formula_eval(&out, f, lookup, (void *)v, &err);
	if (rc)
		fprintf(stderr, "eval %s: %s\n", text, err.msg ? err.msg : "?");
	assert_int_equal(rc, 0);
	mr_formula_free(f);
	mr_err_clear(&err);
	return out;
}

/* Parse `text`, expecting failure with exactly `msg`. */
static void parse_fails(const char *text, const char *msg)
{
	mr_err err = MR_ERR_INIT;
	mr_formula *f = (mr_formula *)&err;       /* must be reset to NULL */
	int rc = mr_formula_parse(&f, text, ind_names, 2, &err);
	assert_int_equal(rc, MR_EINVALID);
	assert_null(f);
	assert_int_equal(err.code, MR_EINVALID);
	assert_non_null(err.msg);
	assert_string_equal(err.msg, msg);
	mr_err_clear(&err);
}

static void test_formula__worked_check(void **state)
{
	(void)state;
	double v = calc("(kpi + self + peer) / 3", &worked);
	assert_float_equal(v, 226.0 / 3.0, 1e-12);
	assert_float_equal(mr_round2(v), 75.33, 1e-12);
}

static void test_formula__precedence_and_associativity(void **state)
{
	(void)state;
	assert_float_equal(calc("1 + 2 * 3", &worked), 7, 0);
	assert_float_equal(calc("(1 + 2) * 3", &worked), 9, 0);
	assert_float_equal(calc("10 - 4 - 3", &worked), 3, 0);
	assert_float_equal(calc("12 / 3 / 2", &worked), 2, 0);
	assert_float_equal(calc("2 * 3 - 4 / 2", &worked), 4, 0);
	assert_float_equal(calc("kpi*0.5+self*0.5", &worked), 74.5, 1e-12);
	assert_float_equal(calc("\t kpi\n-\r2 ", &worked), 70, 0);
}

static void test_formula__unary(void **state)
{
	(void)state;
	assert_float_equal(calc("-kpi + 100", &worked), 28, 0);
	assert_float_equal(calc("--3", &worked), 3, 0);
	assert_float_equal(calc("+3", &worked), 3, 0);
	assert_float_equal(calc("2 * -3", &worked), -6, 0);
	assert_float_equal(calc("-(1 + 2) * 2", &worked), -6, 0);
}

static void test_formula__numbers(void **state)
{
	(void)state;
	assert_float_equal(calc("1.5e2", &worked), 150, 0);
	assert_float_equal(calc("2E-1 * 10", &worked), 2, 1e-15);
	assert_float_equal(calc(".5", &worked), 0.5, 0);
	assert_float_equal(calc("7.", &worked), 7, 0);
	assert_float_equal(calc("007", &worked), 7, 0);
}

static void test_formula__min_max(void **state)
{
	(void)state;
	assert_float_equal(calc("min(kpi, 100, 50)", &worked), 50, 0);
	assert_float_equal(calc("max(kpi, self, peer)", &worked), 77, 0);
	assert_float_equal(calc("max(1)", &worked), 1, 0);
	assert_float_equal(calc("max(min(kpi, 70), -self)", &worked), 70, 0);
	assert_float_equal(calc("min (kpi + 50, 100) * 2", &worked), 200, 0);
}

static void test_formula__indicator_names(void **state)
{
	(void)state;
	assert_float_equal(calc("online_sales * 0.5 + keyword_rank", &worked), 115, 0);
}

static void test_formula__missing_counts_zero(void **state)
{
	(void)state;
	/* manager has no data: it counts 0 */
	assert_float_equal(calc("(kpi + manager) / 2", &worked), 36, 0);
	vars none = { { NULL }, { 0 }, 0 };
	assert_float_equal(calc("kpi + self + 1", &none), 1, 0);
	/* no lookup at all: every name counts 0 */
	mr_err err = MR_ERR_INIT;
	mr_formula *f = NULL;
	double out = -1;
	assert_int_equal(mr_formula_parse(&f, "kpi + 2", NULL, 0, &err), 0);
	assert_int_equal(mr_formula_eval(&out, f, NULL, NULL, &err), 0);
	assert_float_equal(out, 2, 0);
	mr_formula_free(f);
}

static void test_formula__lookup_error_propagates(void **state)
{
	(void)state;
	mr_err err = MR_ERR_INIT;
	mr_formula *f = NULL;
	double out = -1;
	vars bad = { { NULL }, { 0 }, 1 };
	assert_int_equal(mr_formula_parse(&f, "1 + self", NULL, 0, &err), 0);
	assert_int_equal(mr_formula_eval(&out, f, lookup, &bad, &err), MR_EIO);
	assert_float_equal(out, -1, 0);
	assert_string_equal(err.msg, "formula: looking up \"self\" failed");
	mr_formula_free(f);
	mr_err_clear(&err);
}

static void test_formula__names_in_order_of_first_use(void **state)
{
	(void)state;
	mr_err err = MR_ERR_INIT;
	mr_formula *f = NULL;
	const char *const *names = NULL;
	assert_int_equal(mr_formula_parse(&f, "peer + kpi * peer + min(online_sales, kpi)",
	                                  ind_names, 2, &err), 0);
	size_t n = mr_formula_names(f, &names);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "peer");
	assert_string_equal(names[1], "kpi");
	assert_string_equal(names[2], "online_sales");
	mr_formula_free(f);
	assert_int_equal(mr_formula_parse(&f, "42", NULL, 0, &err), 0);
	assert_int_equal(mr_formula_names(f, &names), 0);
	mr_formula_free(f);
	mr_formula_free(NULL);
}

static void test_formula__unknown_name_with_column(void **state)
{
	(void)state;
	parse_fails("kpi + kpj", "formula column 7: unknown name \"kpj\"");
	parse_fails("online_sale", "formula column 1: unknown name \"online_sale\"");
	parse_fails("(kpi + KPI)", "formula column 8: unknown name \"KPI\"");
	parse_fails("avg(kpi, self)", "formula column 1: unknown function \"avg\"");
	parse_fails("kpi + min", "formula column 7: unknown name \"min\"");
}

static void test_formula__syntax_errors(void **state)
{
	(void)state;
	parse_fails("", "formula column 1: unexpected end: expected a number, a name or '('");
	parse_fails("   ", "formula column 4: unexpected end: expected a number, a name or '('");
	parse_fails("kpi +", "formula column 6: unexpected end: expected a number, a name or '('");
	parse_fails("kpi self", "formula column 5: unexpected \"s\"");
	parse_fails("kpi )", "formula column 5: unexpected \")\"");
	parse_fails("(kpi + 1", "formula column 1: this '(' is never closed");
	parse_fails("(kpi + 1 self)", "formula column 10: expected ')' here");
	parse_fails("3 $ 4", "formula column 3: unexpected \"$\"");
	parse_fails("3 * * 4", "formula column 5: expected a number, a name or '(', not \"*\"");
	parse_fails("min()", "formula column 5: min() and max() need at least one argument");
	parse_fails("max(kpi self)", "formula column 9: expected ',' or ')' here");
	parse_fails("max(kpi,", "formula column 9: unexpected end: expected a number, a name or '('");
	parse_fails("max(kpi", "formula column 8: missing ')'");
	parse_fails("1e", "formula column 2: unexpected \"e\"");
	parse_fails(".", "formula column 1: a number needs digits");
	parse_fails("1.2.3", "formula column 4: unexpected \".\"");
	parse_fails("kpi / 0", "formula column 5: '/' divides by 0");
	parse_fails("(kpi + self) / 0.0 + 1", "formula column 14: '/' divides by 0");
}

static void test_formula__division_by_zero(void **state)
{
	(void)state;
	mr_err err = MR_ERR_INIT;
	mr_formula *f = NULL;
	double out = -1;
	assert_int_equal(mr_formula_parse(&f, "kpi / (self - peer)", NULL, 0, &err), 0);
	assert_int_equal(mr_formula_eval(&out, f, lookup, (void *)&worked, &err), MR_EINVALID);
	assert_float_equal(out, -1, 0);
	assert_string_equal(err.msg, "formula: division by zero (the '/' at column 5)");
	mr_formula_free(f);
	mr_err_clear(&err);
	/* a missing name counts 0, so dividing by it fails too */
	assert_int_equal(mr_formula_parse(&f, "kpi / manager", NULL, 0, &err), 0);
	assert_int_equal(mr_formula_eval(&out, f, lookup, (void *)&worked, &err), MR_EINVALID);
	mr_formula_free(f);
	mr_err_clear(&err);
	/* 0 / x is fine */
	assert_float_equal(calc("0 / kpi", &worked), 0, 0);
}

static void test_formula__not_finite(void **state)
{
	(void)state;
	mr_err err = MR_ERR_INIT;
	mr_formula *f = NULL;
	double out = -1;
	assert_int_equal(mr_formula_parse(&f, "1e308 * 10", NULL, 0, &err), 0);
	assert_int_equal(mr_formula_eval(&out, f, lookup, (void *)&worked, &err), MR_EINVALID);
	assert_string_equal(err.msg, "formula: the result is not a finite number");
	mr_formula_free(f);
	mr_err_clear(&err);
}

/* `depth` nested parentheses around 1. */
static char *nested(int depth)
{
	char *s = malloc((size_t)depth * 2 + 2);
	assert_non_null(s);
	memset(s, '(', (size_t)depth);
	s[depth] = '1';
	memset(s + depth + 1, ')', (size_t)depth);
	s[2 * depth + 1] = 0;
	return s;
}

static void test_formula__depth_bound(void **state)
{
	(void)state;
	/* the whole expression is level 1, each '(' one more: 63 fit in 64 */
	char *ok = nested(MR_FORMULA_MAX_DEPTH - 1);
	assert_float_equal(calc(ok, &worked), 1, 0);
	free(ok);
	char *deep = nested(MR_FORMULA_MAX_DEPTH);
	parse_fails(deep, "formula column 64: the formula is nested too deeply (more than 64 levels)");
	free(deep);
	char minus[200];
	memset(minus, '-', 100);
	minus[100] = '1';
	minus[101] = 0;
	mr_err err = MR_ERR_INIT;
	mr_formula *f = NULL;
	assert_int_equal(mr_formula_parse(&f, minus, NULL, 0, &err), MR_EINVALID);
	assert_non_null(strstr(err.msg, "nested too deeply"));
	mr_err_clear(&err);
}

/* "1+1+…+1" with n ones: 2n - 1 nodes. */
static char *ones(int n)
{
	char *s = malloc((size_t)n * 2 + 1);
	assert_non_null(s);
	for (int i = 0; i < n; i++) {
		s[2 * i] = '1';
		s[2 * i + 1] = '+';
	}
	s[2 * n - 1] = 0;
	return s;
}

static void test_formula__node_bound(void **state)
{
	(void)state;
	char *ok = ones(512);                 /* 1023 nodes */
	assert_float_equal(calc(ok, &worked), 512, 0);
	free(ok);
	char *big = ones(513);                /* 1025 nodes */
	mr_err err = MR_ERR_INIT;
	mr_formula *f = NULL;
	assert_int_equal(mr_formula_parse(&f, big, NULL, 0, &err), MR_EINVALID);
	assert_null(f);
	assert_string_equal(err.msg, "formula column 1024: the formula is too long "
	                    "(more than 1024 parts)");
	mr_err_clear(&err);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formula__worked_check),
		cmocka_unit_test(test_formula__precedence_and_associativity),
		cmocka_unit_test(test_formula__unary),
		cmocka_unit_test(test_formula__numbers),
		cmocka_unit_test(test_formula__min_max),
		cmocka_unit_test(test_formula__indicator_names),
		cmocka_unit_test(test_formula__missing_counts_zero),
		cmocka_unit_test(test_formula__lookup_error_propagates),
		cmocka_unit_test(test_formula__names_in_order_of_first_use),
		cmocka_unit_test(test_formula__unknown_name_with_column),
		cmocka_unit_test(test_formula__syntax_errors),
		cmocka_unit_test(test_formula__division_by_zero),
		cmocka_unit_test(test_formula__not_finite),
		cmocka_unit_test(test_formula__depth_bound),
		cmocka_unit_test(test_formula__node_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
