/* cli.h — what the command files share: the command table entry, the
 * context every command gets, and the few helpers that turn engine
 * results and errors into text for a person.
 *
 * Only this layer prints and picks exit statuses: 0 success, 1 a failure
 * the message explains, 2 a usage error.
 */
#ifndef MR_CLI_H
#define MR_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "core/plan.h"
#include "store/store.h"
#include "util/err.h"
#include "util/text.h"

typedef struct mr_cli {
	const char *db;          /* --db, $MERIT_DB, or ./merit.db */
	const char *prog;        /* "merit" */
	mr_store *store;         /* opened on demand by mr_cli_store */
	int create_ok;           /* the command may create the database (init) */
	int read_only;           /* the command line only reads (main.c, cli_readers) */
	int wait_set, wait_ms;   /* --wait or $MERIT_WAIT given: the lock wait, ms */
} mr_cli;

typedef struct mr_command {
	const char *name;
	int (*run)(mr_cli *cli, int argc, char **argv);
	const char *summary;
	const char *usage;       /* full --help text */
} mr_command;

/* Exit statuses. */
enum { MR_EXIT_OK = 0, MR_EXIT_FAIL = 1, MR_EXIT_USAGE = 2 };

/* Open the database (once).  Prints the error and returns NULL. */
mr_store *mr_cli_store(mr_cli *cli);
/* Load and parse the current plan.  Prints the error, returns NULL. */
mr_plan *mr_cli_plan(mr_cli *cli);

/* Print "merit: MESSAGE" (each line of a multi-line error) to stderr and
 * return MR_EXIT_FAIL. */
int mr_cli_fail(const mr_err *err);
/* Print "merit CMD: MESSAGE" and a hint to use --help; MR_EXIT_USAGE. */
int mr_cli_usage(const mr_command *cmd, const char *fmt, ...) MR_PRINTF(2, 3);
/* Print cmd->usage to stdout; MR_EXIT_OK. */
int mr_cli_help(const mr_command *cmd);

/* getopt_long wrapper: resets state; handles --help and unknown options
 * (prints usage error).  Returns the option, -1 at the end, or
 * -2 when the command should exit with *status. */
int mr_cli_getopt(const mr_command *cmd, int argc, char **argv,
                  const struct option *opts, int *status);

/* Run fn inside one transaction: commit on success, roll back on error. */
int mr_cli_tx(mr_cli *cli, int (*fn)(mr_store *s, void *payload, mr_err *err),
              void *payload, mr_err *err);
/* The same for a long import: fn reads and checks in a read transaction
 * with its writes staged, and the write lock is taken only to write them
 * (mr_store_stage_begin).  When another process wrote in between, fn runs
 * again (it must start afresh each time); after three such tries, once
 * more under the lock as mr_cli_tx does. */
int mr_cli_tx_staged(mr_cli *cli, int (*fn)(mr_store *s, void *payload, mr_err *err),
                     void *payload, mr_err *err);

/* The command table, for main and the demo. */
extern const mr_command mr_commands[];
const mr_command *mr_cli_command(const char *name);
/* Run one command line ("merit …" without the program name). */
int mr_cli_run(mr_cli *cli, int argc, char **argv);

/* Each command, one file each. */
#define MR_CMD(n) int mr_cmd_##n(mr_cli *cli, int argc, char **argv)
MR_CMD(init); MR_CMD(plan); MR_CMD(staff); MR_CMD(own); MR_CMD(record);
MR_CMD(import); MR_CMD(batches); MR_CMD(batch); MR_CMD(cycle); MR_CMD(rate);
MR_CMD(score); MR_CMD(report); MR_CMD(user); MR_CMD(demo);
MR_CMD(ingest); MR_CMD(traffic);
MR_CMD(probe); MR_CMD(notify); MR_CMD(serve); MR_CMD(peers); MR_CMD(calibrate); MR_CMD(source);
MR_CMD(backup); MR_CMD(restore); MR_CMD(check); MR_CMD(db);

/* The options of `merit import` that describe a file's layout, shared
 * with `merit source add`: put MR_CLI_FILE_OPTS in the option table and
 * hand each option to mr_cli_file_opt (1: taken, 0: not one of them,
 * -1: exit with *status). */
#include "ingest/import.h"
#define MR_CLI_FILE_OPTS \
	{ "preset", required_argument, NULL, 'p' }, { "map", required_argument, NULL, 'm' }, \
	{ "map-file", required_argument, NULL, 'f' }, { "strict", no_argument, NULL, 'S' }, \
	{ "date-order", required_argument, NULL, 'o' }, { "value", required_argument, NULL, 'v' }, \
	{ "encoding", required_argument, NULL, 'e' }, { "sheet", required_argument, NULL, 'x' }
typedef struct mr_cli_file_opts {
	mr_import_opts *o;                 /* filled in place */
	const char **maps, **values;
	size_t nmaps, nvalues, capmaps, capvalues;
} mr_cli_file_opts;
int mr_cli_file_opt(const mr_command *cmd, int c, mr_cli_file_opts *f, int *status);
void mr_cli_file_opts_free(mr_cli_file_opts *f);

/* A note on stderr when `period` is not one of the plan's cycles (its
 * targets are per month, say, and the period is a quarter). */
void mr_cli_period_note(const mr_plan *plan, const mr_period *period);
/* Parse a PERIOD argument (flag: "--period", or NULL for a positional
 * one): 0, or a usage error's exit status with the reason printed. */
int mr_cli_period(const mr_command *cmd, const char *flag, const char *text, mr_period *out);
/* Print s left-aligned in `width` terminal columns. */
/* s, its control characters escaped (util/text.h), padded to width. */
void mr_cli_pad(FILE *f, const char *s, int width);

#endif
