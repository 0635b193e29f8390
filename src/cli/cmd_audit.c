/*
 * cmd_audit.c - `cshare audit [options] PATH...`: read configuration inputs,
 * run the posture checks, write the report, exit with a documented code.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cshare/audit.h"
#include "cshare/inventory.h"
#include "cshare/report.h"

#define MAX_LIST 64

static int add(const char **list, size_t *n, const char *v)
{
	if (*n + 1 >= MAX_LIST)
		return -1;
	list[(*n)++] = v;
	list[*n] = NULL;
	return 0;
}

/* Loads shipped and user checks and mappings.  Returns an exit code. */
int cli_load_catalogue(cs_inventory *inv, cs_checkset *cs, const char *const *check_dirs,
		       size_t ncheck_dirs, const char *const *map_dirs, size_t nmap_dirs,
		       bool defaults);

int cli_load_catalogue(cs_inventory *inv, cs_checkset *cs, const char *const *check_dirs,
		       size_t ncheck_dirs, const char *const *map_dirs, size_t nmap_dirs,
		       bool defaults)
{
	char path[4096];
	bool bad = false;
	cs_err rc;
	if (defaults) {
		snprintf(path, sizeof path, "%s/data/mappings", cli_home());
		if ((rc = cs_inventory_load_mappings(inv, path)) == CS_ENOMEM)
			return CS_EXIT_INTERNAL;
		bad |= rc != CS_OK;
	}
	for (size_t i = 0; i < nmap_dirs; i++) {
		if ((rc = cs_inventory_load_mappings(inv, map_dirs[i])) == CS_ENOMEM)
			return CS_EXIT_INTERNAL;
		bad |= rc != CS_OK;
	}
	if (defaults) {
		snprintf(path, sizeof path, "%s/checks", cli_home());
		if ((rc = cs_checkset_load_dir(cs, path)) == CS_ENOMEM)
			return CS_EXIT_INTERNAL;
		bad |= rc != CS_OK;
	}
	for (size_t i = 0; i < ncheck_dirs; i++) {
		if ((rc = cs_checkset_load_dir(cs, check_dirs[i])) == CS_ENOMEM)
			return CS_EXIT_INTERNAL;
		bad |= rc != CS_OK;
	}
	if ((rc = cs_checkset_validate(cs, inv)) == CS_ENOMEM)
		return CS_EXIT_INTERNAL;
	bad |= rc != CS_OK;
	return bad ? CS_EXIT_CONFIG : CS_EXIT_OK;
}

extern char **environ;

int cmd_audit(int argc, char **argv)
{
	enum {
		O_SEVERITY = 256,
		O_CHECK,
		O_SKIP,
		O_CHECKS,
		O_MAPPINGS,
		O_BASELINE,
		O_WRITE_BASELINE,
		O_ALL,
		O_SHOW_SUPP,
		O_COLOR,
		O_NO_COLOR,
		O_MAX_FILE,
		O_FAIL_ON,
		O_NO_DEFAULT,
		O_VAR,
		O_VAR_FILE,
		O_NOW,
	};
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "severity", required_argument, NULL, O_SEVERITY },
		{ "check", required_argument, NULL, O_CHECK },
		{ "skip-check", required_argument, NULL, O_SKIP },
		{ "checks", required_argument, NULL, O_CHECKS },
		{ "no-default-checks", no_argument, NULL, O_NO_DEFAULT },
		{ "mappings", required_argument, NULL, O_MAPPINGS },
		{ "baseline", required_argument, NULL, O_BASELINE },
		{ "write-baseline", required_argument, NULL, O_WRITE_BASELINE },
		{ "all", no_argument, NULL, O_ALL },
		{ "show-suppressed", no_argument, NULL, O_SHOW_SUPP },
		{ "color", required_argument, NULL, O_COLOR },
		{ "no-color", no_argument, NULL, O_NO_COLOR },
		{ "max-file-size", required_argument, NULL, O_MAX_FILE },
		{ "fail-on", required_argument, NULL, O_FAIL_ON },
		{ "var", required_argument, NULL, O_VAR },
		{ "var-file", required_argument, NULL, O_VAR_FILE },
		{ "now", required_argument, NULL, O_NOW },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	const char *only[MAX_LIST] = { 0 }, *skip[MAX_LIST] = { 0 };
	const char *check_dirs[MAX_LIST] = { 0 }, *map_dirs[MAX_LIST] = { 0 };
	size_t nonly = 0, nskip = 0, nchk = 0, nmap = 0, ntfv = 0;
	const char *tfv[MAX_LIST] = { 0 };
	bool tfv_file[MAX_LIST] = { 0 };
	const char *output = NULL, *baseline = NULL, *write_baseline = NULL;
	cs_report_opts ro = { CS_FMT_TEXT, false, false, false, CS_VERSION };
	cs_audit_opts ao = { CS_LEVEL_INFO, NULL, NULL, NULL };
	int color = -1, c;
	bool fail_on_unknown = false, defaults = true;
	size_t max_file = 0;
	long long now = 0;
	cli_diag_filter df = { false, false };

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:o:vq", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': {
			int f = cs_format_parse(optarg);
			if (f < 0)
				return cli_usage("audit", "unknown format '%s' (text, json, sarif, junit, csv)",
						 optarg);
			ro.format = (cs_format)f;
			break;
		}
		case 'o':
			output = optarg;
			break;
		case O_SEVERITY: {
			int l = cs_level_parse(optarg);
			if (l < 0)
				return cli_usage("audit",
						 "unknown severity '%s' (info, low, medium, high, critical)",
						 optarg);
			ao.min_level = (cs_level)l;
			break;
		}
		case O_CHECK:
			if (add(only, &nonly, optarg))
				return cli_usage("audit", "too many --check options");
			break;
		case O_SKIP:
			if (add(skip, &nskip, optarg))
				return cli_usage("audit", "too many --skip-check options");
			break;
		case O_CHECKS:
			if (add(check_dirs, &nchk, optarg))
				return cli_usage("audit", "too many --checks options");
			break;
		case O_MAPPINGS:
			if (add(map_dirs, &nmap, optarg))
				return cli_usage("audit", "too many --mappings options");
			break;
		case O_NO_DEFAULT:
			defaults = false;
			break;
		case O_BASELINE:
			baseline = optarg;
			break;
		case O_WRITE_BASELINE:
			write_baseline = optarg;
			break;
		case O_ALL:
			ro.include_pass = true;
			break;
		case O_SHOW_SUPP:
			ro.show_suppressed = true;
			break;
		case O_COLOR:
			if ((color = cli_parse_color(optarg)) == -2)
				return cli_usage("audit", "--color is auto, always or never");
			break;
		case O_NO_COLOR:
			color = 0;
			break;
		case O_MAX_FILE: {
			char *end;
			unsigned long mb = strtoul(optarg, &end, 10);
			if (*end || mb == 0 || mb > 65536)
				return cli_usage("audit", "--max-file-size takes megabytes (1 to 65536)");
			max_file = (size_t)mb << 20;
			break;
		}
		case O_FAIL_ON:
			if (strcmp(optarg, "unknown") == 0)
				fail_on_unknown = true;
			else if (strcmp(optarg, "fail") == 0)
				fail_on_unknown = false;
			else
				return cli_usage("audit", "--fail-on is fail or unknown");
			break;
		case O_VAR:
		case O_VAR_FILE:
			if (ntfv >= MAX_LIST)
				return cli_usage("audit", "too many --var and --var-file options");
			if (c == O_VAR && !strchr(optarg, '='))
				return cli_usage("audit", "--var takes NAME=VALUE");
			tfv_file[ntfv] = c == O_VAR_FILE;
			tfv[ntfv++] = optarg;
			break;
		case O_NOW: {
			char *end;
			errno = 0;
			now = strtoll(optarg, &end, 10);
			if (*end || end == optarg || errno || now <= 0)
				return cli_usage("audit", "--now takes seconds since 1970, not '%s'", optarg);
			break;
		}
		case 'v':
			df.verbose = true;
			break;
		case 'q':
			df.quiet = true;
			break;
		default:
			if (optopt && optopt < 256)
				return cli_usage("audit", "unknown option '-%c'", optopt);
			return cli_usage("audit", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage("audit", "no input: give files or directories to audit (or - for stdin)");
	if (!defaults && nchk == 0)
		return cli_usage("audit", "--no-default-checks needs --checks DIR");

	cs_diag_sink sink = { cli_print_diag_filtered, &df, 0, 0 };
	cs_inventory *inv = NULL;
	cs_checkset *cs = NULL;
	cs_results *res = NULL;
	int exit_code = CS_EXIT_OK;
	cs_buf out;
	cs_buf_init(&out, 0);
	if (cs_inventory_new(&inv, &sink) || cs_checkset_new(&cs, &sink)) {
		exit_code = CS_EXIT_INTERNAL;
		goto done;
	}
	if (max_file)
		cs_inventory_set_max_file(inv, max_file);
	cs_inventory_set_env(inv, environ);
	for (size_t i = 0; i < ntfv; i++)
		if (cs_inventory_add_tf_var(inv, tfv_file[i], tfv[i])) {
			exit_code = CS_EXIT_INTERNAL;
			goto done;
		}
	char iamdir[4096];
	snprintf(iamdir, sizeof iamdir, "%s/data/iam", cli_home());
	cs_checkset_set_iam(cs, iamdir, (int64_t)now);
	exit_code = cli_load_catalogue(inv, cs, check_dirs, nchk, map_dirs, nmap, defaults);
	if (exit_code == CS_EXIT_INTERNAL)
		goto done;
	for (int i = optind; i < argc; i++) {
		if (cs_inventory_add_path(inv, argv[i]) == CS_ENOMEM) {
			exit_code = CS_EXIT_INTERNAL;
			goto done;
		}
	}
	if (cs_inventory_build(inv)) {
		exit_code = CS_EXIT_INTERNAL;
		goto done;
	}
	ao.only = nonly ? only : NULL;
	ao.skip = nskip ? skip : NULL;
	ao.baseline = baseline;
	cs_err rc = cs_audit_run(cs, inv, &ao, &sink, &res);
	if (rc == CS_ENOMEM || !res) {
		exit_code = CS_EXIT_INTERNAL;
		goto done;
	}
	if (rc && exit_code < CS_EXIT_INPUT)
		exit_code = CS_EXIT_INPUT; /* unreadable baseline */
	FILE *f = stdout;
	if (output && strcmp(output, "-") != 0 && !(f = fopen(output, "w"))) {
		cli_error("cannot write '%s': %s", output, strerror(errno));
		exit_code = CS_EXIT_INPUT;
		goto done;
	}
	ro.color = ro.format == CS_FMT_TEXT && cli_use_color(f, color);
	out.flush = cli_write_file; /* the report streams out in 1 MiB pieces */
	out.flush_ud = f;
	cs_err wrc = cs_report_write(&out, res, &ro);
	if (!wrc)
		wrc = cs_buf_flush(&out);
	if (wrc) {
		if (wrc == CS_EIO)
			cli_error("cannot write the report: %s", strerror(errno));
		exit_code = wrc == CS_EIO ? CS_EXIT_INPUT : CS_EXIT_INTERNAL;
		if (f != stdout)
			fclose(f);
		goto done;
	}
	if (f != stdout && fclose(f) != 0) {
		cli_error("cannot write '%s'", output);
		exit_code = CS_EXIT_INPUT;
	}
	if (write_baseline) {
		cs_buf bl;
		cs_buf_init(&bl, 0);
		FILE *bf = NULL;
		if (cs_results_baseline(res, &bl) || !(bf = fopen(write_baseline, "w")) ||
		    fwrite(bl.data, 1, bl.len, bf) != bl.len) {
			cli_error("cannot write baseline '%s': %s", write_baseline, strerror(errno));
			exit_code = CS_EXIT_INPUT;
		}
		if (bf && fclose(bf) != 0 && exit_code != CS_EXIT_INPUT) {
			cli_error("cannot write baseline '%s': %s", write_baseline, strerror(errno));
			exit_code = CS_EXIT_INPUT;
		}
		cs_buf_release(&bl);
	}
	if (cs_inventory_input_errors(inv) && exit_code < CS_EXIT_INPUT)
		exit_code = CS_EXIT_INPUT;
	if (exit_code == CS_EXIT_OK &&
	    (cs_results_tally(res, CS_FAIL) || (fail_on_unknown && cs_results_tally(res, CS_UNKNOWN))))
		exit_code = CS_EXIT_FINDINGS;
done:
	cs_buf_release(&out);
	cs_results_free(res);
	cs_checkset_free(cs);
	cs_inventory_free(inv);
	return exit_code;
}
