/*
 * cmd_report.c - `cshare report [DIR] --framework F`: reads the deployment
 * (DIR/cshare.yaml or --deployment FILE) and its inputs, runs the audit (the
 * same checks as `cshare audit`), joins model, deployment, framework and
 * results (docs/report.md) and writes the report.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cshare/audit.h"
#include "cshare/inventory.h"
#include "cshare/responsibility.h"

static bool is_date(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	return true;
}

/* Days from 1970-01-01 to a valid YYYY-MM-DD (proleptic Gregorian; the
 * civil-from-days inverse of H. Hinnant's algorithm). */
static int64_t days_since_epoch(const char *d)
{
	int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
	int m = (d[5] - '0') * 10 + (d[6] - '0');
	int dd = (d[8] - '0') * 10 + (d[9] - '0');
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int64_t)era * 146097 + doe - 719468;
}

/* Writes the report to `output` (or stdout); returns an exit code. */
static int write_report(const cs_compliance *rep, cs_compliance_opts *wo, const char *output,
			int color)
{
	int code = CS_EXIT_OK;
	FILE *f = stdout;
	cs_buf out;
	cs_buf_init(&out, 0);
	if (output && strcmp(output, "-") != 0 && !(f = fopen(output, "w"))) {
		cli_error("cannot write '%s': %s", output, strerror(errno));
		return CS_EXIT_INPUT;
	}
	wo->color = wo->format == CS_CF_TEXT && cli_use_color(f, color);
	out.flush = cli_write_file;
	out.flush_ud = f;
	cs_err rc = cs_compliance_write(&out, rep, wo);
	if (!rc)
		rc = cs_buf_flush(&out);
	if (rc) {
		if (rc == CS_EIO)
			cli_error("cannot write the report: %s", strerror(errno));
		code = rc == CS_EIO ? CS_EXIT_INPUT : CS_EXIT_INTERNAL;
	}
	if (f != stdout && fclose(f) != 0 && !code) {
		cli_error("cannot write '%s'", output);
		code = CS_EXIT_INPUT;
	}
	cs_buf_release(&out);
	return code;
}

int cmd_report(int argc, char **argv)
{
	enum { O_FRAMEWORK = 256, O_DEPLOYMENT, O_DATA, O_AS_OF, O_ALL, O_COLOR, O_NO_COLOR, O_CHECKS };
	static const struct option longopts[] = {
		{ "framework", required_argument, NULL, O_FRAMEWORK },
		{ "deployment", required_argument, NULL, O_DEPLOYMENT },
		{ "data", required_argument, NULL, O_DATA },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "as-of", required_argument, NULL, O_AS_OF },
		{ "all", no_argument, NULL, O_ALL },
		{ "color", required_argument, NULL, O_COLOR },
		{ "no-color", no_argument, NULL, O_NO_COLOR },
		{ "checks", required_argument, NULL, O_CHECKS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	const char *framework = NULL, *deployment = NULL, *datadir = NULL, *output = NULL;
	const char *as_of = NULL, *checks_dir = NULL;
	cs_compliance_opts wo = { CS_CF_TEXT, false, false, CS_VERSION };
	int color = -1, c;
	cli_diag_filter df = { false, false };

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:o:vq", longopts, NULL)) != -1) {
		switch (c) {
		case O_FRAMEWORK:
			framework = optarg;
			break;
		case O_DEPLOYMENT:
			deployment = optarg;
			break;
		case O_DATA:
			datadir = optarg;
			break;
		case 'f': {
			int f = cs_compliance_format_parse(optarg);
			if (f < 0)
				return cli_usage("report",
						 "unknown format '%s' (text, markdown, json, html, oscal)",
						 optarg);
			wo.format = (cs_compliance_format)f;
			break;
		}
		case 'o':
			output = optarg;
			break;
		case O_AS_OF:
			if (!is_date(optarg))
				return cli_usage("report", "--as-of takes a date, YYYY-MM-DD");
			as_of = optarg;
			break;
		case O_ALL:
			wo.all = true;
			break;
		case O_COLOR:
			if ((color = cli_parse_color(optarg)) == -2)
				return cli_usage("report", "--color is auto, always or never");
			break;
		case O_NO_COLOR:
			color = 0;
			break;
		case O_CHECKS:
			checks_dir = optarg;
			break;
		case 'v':
			df.verbose = true;
			break;
		case 'q':
			df.quiet = true;
			break;
		default:
			if (optopt && optopt < 256)
				return cli_usage("report", "unknown option '-%c'", optopt);
			return cli_usage("report", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return cli_usage("report", "one deployment directory at most");
	const char *dir = optind < argc ? argv[optind] : ".";

	cs_diag_sink sink = { cli_print_diag_filtered, &df, 0, 0 };
	cs_model *m = NULL;
	cs_deployment *d = NULL;
	cs_inventory *inv = NULL;
	cs_checkset *cs = NULL;
	cs_results *res = NULL;
	cs_framework *fw = NULL;
	cs_compliance *rep = NULL;
	int code = CS_EXIT_OK;
	bool config_error = false;
	char path[4096];
	cs_err rc;

	if (cs_model_new(&m, &sink)) {
		code = CS_EXIT_INTERNAL;
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
	if (rc == CS_ENOENT || rc == CS_EIO) {
		cli_error("cannot read the responsibility model in '%s'", datadir);
		code = CS_EXIT_CONFIG;
		goto done;
	}
	config_error |= rc != CS_OK;
	if (as_of && cs_model_set_as_of(m, as_of)) {
		code = cli_usage("report", "--as-of: '%s' is not a valid date", as_of);
		goto done;
	}
	/* the deployment: --deployment, DIR/cshare.yaml, or DIR alone */
	rc = cli_load_deployment(m, dir, deployment, &sink, &d);
	if (rc == CS_ENOMEM) {
		code = CS_EXIT_INTERNAL;
		goto done;
	}
	if (!d) {
		code = CS_EXIT_CONFIG;
		goto done;
	}
	config_error |= rc != CS_OK;
	if (!framework) {
		size_t nf = cs_deployment_framework_count(d);
		if (nf == 0) {
			code = cli_usage("report", "no framework: give --framework F (or list one under "
						   "'frameworks' in the deployment file)");
			goto done;
		}
		framework = cs_deployment_framework(d, 0);
		if (nf > 1)
			cli_warning("the deployment names %zu frameworks; reporting on '%s' (choose with "
				    "--framework)",
				    nf, framework);
	}
	/* the inputs, audited with the same checks as `cshare audit` */
	if (cs_inventory_new(&inv, &sink) || cs_checkset_new(&cs, &sink)) {
		code = CS_EXIT_INTERNAL;
		goto done;
	}
	/* IAM findings: credential ages as of --as-of (midnight UTC), else now */
	char iamdir[4096];
	snprintf(iamdir, sizeof iamdir, "%s/data/iam", cli_home());
	cs_checkset_set_iam(cs, iamdir, as_of ? days_since_epoch(as_of) * 86400 : 0);
	const char *cdirs[1] = { checks_dir };
	int lc = cli_load_catalogue(inv, cs, cdirs, checks_dir ? 1 : 0, NULL, 0, true);
	if (lc == CS_EXIT_INTERNAL) {
		code = lc;
		goto done;
	}
	config_error |= lc != CS_EXIT_OK;
	for (size_t i = 0; i < cs_deployment_input_count(d); i++) {
		if (cs_inventory_add_path(inv, cs_deployment_input(d, i)) == CS_ENOMEM) {
			code = CS_EXIT_INTERNAL;
			goto done;
		}
	}
	if (cs_inventory_build(inv) || (rc = cs_deployment_resolve(d, inv)) == CS_ENOMEM) {
		code = CS_EXIT_INTERNAL;
		goto done;
	}
	config_error |= rc != CS_OK;
	cs_audit_opts ao = { CS_LEVEL_INFO, NULL, NULL, NULL };
	if (cs_audit_run(cs, inv, &ao, &sink, &res) == CS_ENOMEM || !res) {
		code = CS_EXIT_INTERNAL;
		goto done;
	}
	rc = cs_framework_load(m, framework, &fw);
	if (rc == CS_ENOMEM) {
		code = CS_EXIT_INTERNAL;
		goto done;
	}
	if (!fw) {
		if (rc == CS_ENOENT && !sink.errors)
			cli_error("no framework '%s'", framework);
		code = CS_EXIT_CONFIG;
		goto done;
	}
	config_error |= rc != CS_OK;
	if ((rc = cs_compliance_run(m, d, fw, cs, res, &rep))) {
		code = CS_EXIT_INTERNAL;
		goto done;
	}
	code = write_report(rep, &wo, output, color);
	if (code)
		goto done;
	if (config_error)
		code = CS_EXIT_CONFIG;
	else if (cs_inventory_input_errors(inv))
		code = CS_EXIT_INPUT;
	else if (cs_compliance_tally(rep, CS_REQ_GAP) || cs_compliance_gap_count(rep))
		code = CS_EXIT_FINDINGS;
done:
	cs_compliance_free(rep);
	cs_framework_free(fw);
	cs_results_free(res);
	cs_checkset_free(cs);
	cs_deployment_free(d);
	cs_inventory_free(inv);
	cs_model_free(m);
	return code;
}
