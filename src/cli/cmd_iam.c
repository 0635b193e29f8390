/*
 * cmd_iam.c - `cshare iam <subcommand>`: AWS authorization.  `eval` decides
 * one request against policy files and explains the decision
 * (docs/cli/iam.md).  Subcommands are rows of the table at the end.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cshare/iam.h"

#define IAM_MAX_POLICIES 256
#define IAM_MAX_FILE (8u << 20)

typedef struct pol_arg {
	const char *path;
	cs_policy_kind kind;
	unsigned level;
} pol_arg;

/* FILE@LEVEL -> path and level (0 without @). */
static int split_level(char *arg, unsigned *level)
{
	*level = 0;
	char *at = strrchr(arg, '@');
	if (!at)
		return 0;
	char *end = NULL;
	long v = strtol(at + 1, &end, 10);
	if (at[1] == 0 || *end || v < 0 || v > 63)
		return -1;
	*at = 0;
	*level = (unsigned)v;
	return 0;
}

/* Reads and parses one policy file; returns an exit code (0 = fine). */
static int load_policy(const pol_arg *pa, cs_diag_sink *sink, cs_policy **out)
{
	char *data = NULL;
	size_t len = 0;
	cs_err rc = cs_file_read(pa->path, IAM_MAX_FILE, &data, &len);
	if (rc) {
		cli_error("cannot read '%s': %s", pa->path, cs_strerror(rc));
		return CS_EXIT_INPUT;
	}
	rc = cs_policy_parse(out, pa->kind, pa->path, data, len, 1, 1, sink);
	cs_free(data);
	if (rc == CS_ENOMEM)
		return CS_EXIT_INTERNAL;
	return rc ? CS_EXIT_CONFIG : 0;
}

static int iam_eval(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "identity", required_argument, NULL, 'i' },
		{ "resource-policy", required_argument, NULL, 'r' },
		{ "trust-policy", required_argument, NULL, 't' },
		{ "boundary", required_argument, NULL, 'b' },
		{ "session-policy", required_argument, NULL, 's' },
		{ "scp", required_argument, NULL, 'S' },
		{ "rcp", required_argument, NULL, 'R' },
		{ "principal", required_argument, NULL, 'p' },
		{ "action", required_argument, NULL, 'a' },
		{ "resource", required_argument, NULL, 'e' },
		{ "resource-account", required_argument, NULL, 'A' },
		{ "context", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "not-org-member", no_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 },
	};
	pol_arg pols[IAM_MAX_POLICIES];
	size_t npols = 0;
	const char *principal = NULL, *action = NULL, *resource = NULL, *racct = NULL;
	const char *ctx[IAM_MAX_POLICIES];
	size_t nctx = 0;
	bool json = false, not_member = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
		cs_policy_kind k = CS_POLICY_IDENTITY;
		unsigned level = 0;
		switch (c) {
		case 'i':
		case 'r':
		case 't':
		case 'b':
		case 's':
		case 'S':
		case 'R':
			k = c == 'i'   ? CS_POLICY_IDENTITY
			    : c == 'r' ? CS_POLICY_RESOURCE
			    : c == 't' ? CS_POLICY_TRUST
			    : c == 'b' ? CS_POLICY_BOUNDARY
			    : c == 's' ? CS_POLICY_SESSION
			    : c == 'S' ? CS_POLICY_SCP
				       : CS_POLICY_RCP;
			if ((c == 'S' || c == 'R') && split_level(optarg, &level))
				return cli_usage("iam eval", "bad level in '%s' (FILE@0..63)", optarg);
			if (npols >= IAM_MAX_POLICIES)
				return cli_usage("iam eval", "too many policy files");
			pols[npols++] = (pol_arg){ optarg, k, level };
			break;
		case 'p':
			principal = optarg;
			break;
		case 'a':
			action = optarg;
			break;
		case 'e':
			resource = optarg;
			break;
		case 'A':
			racct = optarg;
			break;
		case 'c':
			if (!strchr(optarg, '=') || optarg[0] == '=')
				return cli_usage("iam eval", "--context takes KEY=VALUE, not '%s'", optarg);
			if (nctx >= IAM_MAX_POLICIES)
				return cli_usage("iam eval", "too many --context options");
			ctx[nctx++] = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				json = false;
			else if (strcmp(optarg, "json") == 0)
				json = true;
			else
				return cli_usage("iam eval", "unknown format '%s' (text, json)", optarg);
			break;
		case 'N':
			not_member = true;
			break;
		default:
			return cli_usage("iam eval", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("iam eval", "unexpected argument '%s'", argv[optind]);
	if (!principal || !action || !resource)
		return cli_usage("iam eval", "--principal, --action and --resource are required");

	int code = CS_EXIT_INTERNAL;
	cs_policy *loaded[IAM_MAX_POLICIES] = { 0 };
	cs_iam_policyset *ps = NULL;
	cs_iam_request *rq = NULL;
	cs_iam_trace *tr = NULL;
	cs_buf out;
	cs_buf_init(&out, 0);
	cs_diag_sink sink = { cli_print_diag, NULL, 0, 0 };
	if (cs_iam_request_new(&rq))
		goto done;
	if (cs_iam_request_principal(rq, principal)) {
		code = cli_usage("iam eval", "--principal '%s' is no IAM user, role, session, root, federated user, service principal or '*'",
				 principal);
		goto done;
	}
	if (cs_iam_request_action(rq, action)) {
		code = cli_usage("iam eval", "--action '%s' is not of the form service:Action", action);
		goto done;
	}
	if (cs_iam_request_resource(rq, resource)) {
		code = cli_usage("iam eval", "--resource '%s' is not an ARN or '*'", resource);
		goto done;
	}
	if (racct && cs_iam_request_resource_account(rq, racct)) {
		code = cli_usage("iam eval", "--resource-account '%s' is not a 12-digit account id", racct);
		goto done;
	}
	for (size_t i = 0; i < nctx; i++) {
		const char *eq = strchr(ctx[i], '=');
		char key[256];
		size_t kl = (size_t)(eq - ctx[i]);
		if (kl >= sizeof key) {
			code = cli_usage("iam eval", "context key too long in '%s'", ctx[i]);
			goto done;
		}
		memcpy(key, ctx[i], kl);
		key[kl] = 0;
		if (cs_iam_request_context(rq, key, eq + 1))
			goto done;
	}
	if (cs_iam_policyset_new(&ps) || cs_iam_trace_new(&tr))
		goto done;
	int worst = 0;
	for (size_t i = 0; i < npols; i++) {
		int r = load_policy(&pols[i], &sink, &loaded[i]);
		if (r > worst)
			worst = r;
		if (!r && cs_iam_policyset_add(ps, loaded[i], pols[i].level))
			goto done;
	}
	if (worst) {
		if (worst == CS_EXIT_CONFIG)
			cli_error("policy errors: no decision (AWS would refuse these policies)");
		code = worst;
		goto done;
	}
	if (not_member)
		cs_iam_policyset_org(ps, false, false);
	cs_iam_decision d = cs_iam_eval(ps, rq, tr);
	if (cs_iam_trace_write(&out, tr, json))
		goto done;
	fwrite(out.data, 1, out.len, stdout);
	code = d == CS_IAM_ALLOW ? CS_EXIT_OK : CS_EXIT_FINDINGS;
done:
	if (code == CS_EXIT_INTERNAL)
		cli_error("out of memory");
	cs_buf_release(&out);
	cs_iam_trace_free(tr);
	cs_iam_policyset_free(ps);
	cs_iam_request_free(rq);
	for (size_t i = 0; i < npols; i++)
		cs_policy_free(loaded[i]);
	return code;
}

/* The subcommands of `cshare iam`.  The account analysis (`can`, `who-can`,
 * `analyze`) adds its rows here. */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} subs[] = {
	{ "eval", iam_eval, "decide one request against policy files and explain it" },
};

int cmd_iam(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("iam", "say which subcommand (eval)");
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(argc - 1, argv + 1);
	return cli_usage("iam", "unknown subcommand '%s' (eval)", argv[1]);
}
