/*
 * cli.h - shared pieces of the cshare command line: exit codes, messages,
 * the diagnostics printer and the command table.  The CLI is the only part
 * of cshare that prints or exits.
 */
#ifndef CS_CLI_H
#define CS_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "cshare/core.h"

/* Documented exit codes (docs/cli/cshare.md). */
enum {
	CS_EXIT_OK = 0,        /* clean: nothing found */
	CS_EXIT_FINDINGS = 1,  /* findings or alerts */
	CS_EXIT_USAGE = 2,     /* bad command line */
	CS_EXIT_CONFIG = 3,    /* bad check, rule, mapping or config file */
	CS_EXIT_INPUT = 4,     /* an input could not be read or parsed */
	CS_EXIT_INTERNAL = 70, /* a bug or out of memory */
};

typedef struct cs_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *const *help; /* full --help text, NULL-terminated lines */
	const char *summary;
} cs_cmd;

/* git-style messages on stderr: "cshare: error: ..." */
void cli_error(const char *fmt, ...) CS_PRINTF(1, 2);
void cli_warning(const char *fmt, ...) CS_PRINTF(1, 2);
/* Prints a usage error and the command's synopsis hint; returns CS_EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) CS_PRINTF(2, 3);

/* A cs_diag_fn that prints "file:line:col: error: message [id]" to stderr. */
void cli_print_diag(void *ud, const cs_diag *d);

/* Parses --color's argument: auto (-1), never (0), always (1); -2 for
 * anything else. */
int cli_parse_color(const char *arg);

/* Whether to colour output written to `f` (a terminal, NO_COLOR unset). */
bool cli_use_color(FILE *f, int force /* -1 auto, 0 never, 1 always */);

/* Directory holding shipped data (checks/, data/): $CSHARE_HOME, the
 * source tree the binary was built from, or the install prefix. */
const char *cli_home(void);

/* Loads the shipped checks and mappings (unless !defaults) and those under
 * the given directories into inv and cs, then validates the checks.
 * Returns an exit code: CS_EXIT_OK, CS_EXIT_CONFIG or CS_EXIT_INTERNAL
 * (cmd_audit.c; `cshare report` runs the same audit). */
struct cs_inventory;
struct cs_checkset;
int cli_load_catalogue(struct cs_inventory *inv, struct cs_checkset *cs,
		       const char *const *check_dirs, size_t ncheck_dirs,
		       const char *const *map_dirs, size_t nmap_dirs, bool defaults);

/* Which diagnostics cli_print_diag_filtered shows: notes only with
 * --verbose, warnings unless --quiet, errors always. */
typedef struct cli_diag_filter {
	bool verbose;
	bool quiet;
} cli_diag_filter;
/* A cs_diag_sink function; `ud` is a cli_diag_filter. */
void cli_print_diag_filtered(void *ud, const cs_diag *d);
/* A cs_buf flush hook writing to the FILE * in `ud`; CS_EIO on a short write. */
cs_err cli_write_file(void *ud, const char *data, size_t len);

/* The deployment of `matrix` and `report`: `file` (--deployment) if given,
 * else DIR/cshare.yaml when it exists, else DIR alone with nothing assumed
 * (cs_deployment_load / cs_deployment_new_dir: same result and *out). */
struct cs_model;
struct cs_deployment;
cs_err cli_load_deployment(struct cs_model *m, const char *dir, const char *file,
			   cs_diag_sink *sink, struct cs_deployment **out);

/* Prints a help text (NULL-terminated lines) to stdout and returns 0. */
int cli_help(const char *const *lines);

#endif
