/*
 * cmd_matrix.c - `cshare matrix [DIR]`: the shared-responsibility matrix of a
 * deployment (services used x control domains: owner, mode, default state,
 * customer duty), or `--explain SERVICE DOMAIN`: the fact behind one cell.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cshare/inventory.h"
#include "cshare/responsibility.h"

static int worst(int a, int b)
{
	return a > b ? a : b;
}

/* Writes `b` to `path` (or stdout for NULL or "-"); returns an exit code. */
static int emit(cs_buf *b, const char *path, int color, bool text,
		cs_err (*write)(cs_buf *, const void *, const void *), const void *x,
		const void *y)
{
	FILE *f = stdout;
	int code = CS_EXIT_OK;
	if (path && strcmp(path, "-") != 0 && !(f = fopen(path, "w"))) {
		cli_error("cannot write '%s': %s", path, strerror(errno));
		return CS_EXIT_INPUT;
	}
	b->flush = cli_write_file;
	b->flush_ud = f;
	cs_matrix_opts *o = (cs_matrix_opts *)(uintptr_t)y;
	if (o && text)
		o->color = cli_use_color(f, color);
	cs_err rc = write(b, x, y);
	if (!rc)
		rc = cs_buf_flush(b);
	if (rc) {
		if (rc == CS_EIO)
			cli_error("cannot write the output: %s", strerror(errno));
		code = rc == CS_EIO ? CS_EXIT_INPUT : rc == CS_ENOENT ? CS_EXIT_USAGE : CS_EXIT_INTERNAL;
	}
	if (f != stdout && fclose(f) != 0 && !code) {
		cli_error("cannot write '%s': %s", path, strerror(errno));
		code = CS_EXIT_INPUT;
	}
	return code;
}

static cs_err write_matrix(cs_buf *b, const void *mx, const void *o)
{
	return cs_matrix_write(b, mx, o);
}

typedef struct explain_args {
	const cs_model *m;
	const char *service, *domain;
	cs_diag_sink *sink;
} explain_args;

static cs_err write_explain(cs_buf *b, const void *x, const void *unused)
{
	const explain_args *e = x;
	(void)unused;
	return cs_model_explain(b, e->m, e->service, e->domain, e->sink);
}

int cmd_matrix(int argc, char **argv)
{
	enum { O_DEPLOYMENT = 256, O_DATA, O_EXPLAIN, O_COLOR, O_NO_COLOR, O_AS_OF };
	static const struct option longopts[] = {
		{ "deployment", required_argument, NULL, O_DEPLOYMENT },
		{ "data", required_argument, NULL, O_DATA },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "explain", required_argument, NULL, O_EXPLAIN },
		{ "color", required_argument, NULL, O_COLOR },
		{ "no-color", no_argument, NULL, O_NO_COLOR },
		{ "as-of", required_argument, NULL, O_AS_OF },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	const char *deployment = NULL, *datadir = NULL, *output = NULL, *as_of = NULL;
	const char *ex_service = NULL, *ex_domain = NULL;
	cs_matrix_opts mo = { CS_MX_TEXT, false, CS_VERSION };
	int color = -1, c;
	cli_diag_filter df = { false, false };

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:o:vq", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': {
			int f = cs_matrix_format_parse(optarg);
			if (f < 0)
				return cli_usage("matrix",
						 "unknown format '%s' (text, markdown, csv, json, html)",
						 optarg);
			mo.format = (cs_matrix_format)f;
			break;
		}
		case 'o':
			output = optarg;
			break;
		case O_DEPLOYMENT:
			deployment = optarg;
			break;
		case O_DATA:
			datadir = optarg;
			break;
		case O_EXPLAIN:
			ex_service = optarg;
			/* the second argument of --explain follows it */
			if (optind >= argc || argv[optind][0] == '-')
				return cli_usage("matrix", "--explain takes SERVICE DOMAIN (aws:s3 data.backup)");
			ex_domain = argv[optind++];
			break;
		case O_COLOR:
			if ((color = cli_parse_color(optarg)) == -2)
				return cli_usage("matrix", "--color is auto, always or never");
			break;
		case O_NO_COLOR:
			color = 0;
			break;
		case O_AS_OF:
			as_of = optarg;
			break;
		case 'v':
			df.verbose = true;
			break;
		case 'q':
			df.quiet = true;
			break;
		default:
			if (optopt && optopt < 256)
				return cli_usage("matrix", "unknown option '-%c'", optopt);
			return cli_usage("matrix", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return cli_usage("matrix", "one deployment directory at most ('%s' is extra)",
				 argv[optind + 1]);
	const char *dir = optind < argc ? argv[optind] : ".";

	cs_diag_sink sink = { cli_print_diag_filtered, &df, 0, 0 };
	cs_model *m = NULL;
	cs_deployment *d = NULL;
	cs_inventory *inv = NULL;
	cs_matrix *mx = NULL;
	int code = CS_EXIT_OK;
	char path[4096];
	cs_buf out;
	cs_buf_init(&out, 0);
	cs_err rc;

	if (cs_model_new(&m, &sink)) {
		code = CS_EXIT_INTERNAL;
		goto done;
	}
	if (as_of && cs_model_set_as_of(m, as_of)) {
		code = cli_usage("matrix", "--as-of takes a date YYYY-MM-DD, not '%s'", as_of);
		goto done;
	}
	if (!datadir) {
		snprintf(path, sizeof path, "%s/data", cli_home());
		datadir = path;
	}
	rc = cs_model_load_dir(m, datadir);
	if (rc == CS_ENOMEM) {
		code = CS_EXIT_INTERNAL;
		goto done;
	}
	if (rc)
		code = CS_EXIT_CONFIG; /* diagnosed; the rest of the data is used */

	if (ex_service) {
		explain_args ea = { m, ex_service, ex_domain, &sink };
		/* a service or domain not in the data: exit 2 (diagnosed) */
		code = worst(code, emit(&out, output, color, false, write_explain, &ea, NULL));
		goto done;
	}

	rc = cli_load_deployment(m, dir, deployment, &sink, &d);
	if (rc == CS_ENOMEM) {
		code = CS_EXIT_INTERNAL;
		goto done;
	}
	if (rc)
		code = CS_EXIT_CONFIG;
	if (!d)
		goto done; /* the deployment file could not be read at all */

	if (cs_inventory_new(&inv, &sink)) {
		code = CS_EXIT_INTERNAL;
		goto done;
	}
	snprintf(path, sizeof path, "%s/data/mappings", cli_home());
	rc = cs_inventory_load_mappings(inv, path);
	if (rc == CS_ENOMEM) {
		code = CS_EXIT_INTERNAL;
		goto done;
	}
	if (rc)
		code = worst(code, CS_EXIT_CONFIG);
	for (size_t i = 0; i < cs_deployment_input_count(d); i++) {
		if (cs_inventory_add_path(inv, cs_deployment_input(d, i)) == CS_ENOMEM) {
			code = CS_EXIT_INTERNAL;
			goto done;
		}
	}
	if (cs_inventory_build(inv) || cs_deployment_resolve(d, inv) || cs_matrix_build(m, d, &mx)) {
		code = CS_EXIT_INTERNAL;
		goto done;
	}
	if (cs_inventory_input_errors(inv))
		code = worst(code, CS_EXIT_INPUT);
	code = worst(code, emit(&out, output, color, mo.format == CS_MX_TEXT, write_matrix, mx, &mo));
done:
	cs_buf_release(&out);
	cs_matrix_free(mx);
	cs_deployment_free(d);
	cs_inventory_free(inv);
	cs_model_free(m);
	return code;
}
