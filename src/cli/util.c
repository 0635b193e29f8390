/* util.c - messages, diagnostics printing, colour and data-home lookup for
 * the cshare command line. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cshare/responsibility.h"

static void vmsg(const char *kind, const char *fmt, va_list ap) CS_PRINTF(2, 0);

static void vmsg(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "cshare: %s: ", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("error", fmt, ap);
	va_end(ap);
}

void cli_warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("warning", fmt, ap);
	va_end(ap);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("usage", fmt, ap);
	va_end(ap);
	fprintf(stderr, "cshare: see 'cshare %s%s--help'\n", cmd ? cmd : "", cmd ? " " : "");
	return CS_EXIT_USAGE;
}

void cli_print_diag(void *ud, const cs_diag *d)
{
	(void)ud;
	static const char *const sev[] = { "note", "warning", "error" };
	if (d->file) {
		fputs(d->file, stderr);
		if (d->line) {
			fprintf(stderr, ":%u", (unsigned)d->line);
			if (d->col)
				fprintf(stderr, ":%u", (unsigned)d->col);
		}
		fputs(": ", stderr);
	} else {
		fputs("cshare: ", stderr);
	}
	fprintf(stderr, "%s: %s", sev[d->sev], d->msg);
	if (d->id)
		fprintf(stderr, " [%s]", d->id);
	fputc('\n', stderr);
}

void cli_print_diag_filtered(void *ud, const cs_diag *d)
{
	const cli_diag_filter *f = ud;
	if (d->sev == CS_SEV_NOTE && !f->verbose)
		return;
	if (d->sev == CS_SEV_WARNING && f->quiet)
		return;
	cli_print_diag(NULL, d);
}

cs_err cli_write_file(void *ud, const char *data, size_t len)
{
	return fwrite(data, 1, len, ud) == len ? CS_OK : CS_EIO;
}

cs_err cli_load_deployment(cs_model *m, const char *dir, const char *file, cs_diag_sink *sink,
			   cs_deployment **out)
{
	char path[4096];
	struct stat st;
	*out = NULL;
	if (!file) {
		snprintf(path, sizeof path, "%s/cshare.yaml", dir);
		if (stat(path, &st) == 0)
			file = path;
	}
	return file ? cs_deployment_load(out, m, file, sink) : cs_deployment_new_dir(out, m, dir, sink);
}

int cli_parse_color(const char *arg)
{
	if (strcmp(arg, "auto") == 0)
		return -1;
	if (strcmp(arg, "never") == 0)
		return 0;
	if (strcmp(arg, "always") == 0)
		return 1;
	return -2;
}

bool cli_use_color(FILE *f, int force)
{
	if (force >= 0)
		return force == 1;
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return false;
	const char *term = getenv("TERM");
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(fileno(f));
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_home(void)
{
	static char buf[4096];
	const char *env = getenv("CSHARE_HOME");
	if (env && *env)
		return env;
	snprintf(buf, sizeof buf, "%s/checks", CS_SOURCE_DIR);
	if (is_dir(buf))
		return CS_SOURCE_DIR;
	return CS_DATADIR;
}

int cli_help(const char *const *lines)
{
	for (; *lines; lines++)
		fputs(*lines, stdout);
	return CS_EXIT_OK;
}
