/*
 * cmd_iam.c - `cshare iam <subcommand>`: AWS authorization.  `eval` decides
 * one request against policy files and explains the decision; `can`,
 * `who-can` and `analyze` work on a whole account (docs/cli/iam.md).
 * Subcommands are rows of the table at the end.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cshare/iam.h"
#include "cshare/inventory.h"
#include "cshare/json.h"

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


/* ---- the account questions: can, who-can, analyze ------------------------ */

/* Options shared by can, who-can and analyze. */
typedef struct acct_opts {
	const char *files[IAM_MAX_POLICIES];
	size_t nfiles;
	const char *inv[IAM_MAX_POLICIES];
	size_t ninv;
	const char *ctx[IAM_MAX_POLICIES];
	size_t nctx;
	const char *data;
	bool json;
	long long now;
} acct_opts;

/* Parses the shared options; returns -1 on success (positional arguments
 * from optind), or an exit code. */
static int acct_parse(const char *cmd, int argc, char **argv, acct_opts *o)
{
	static const struct option longopts[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "inventory", required_argument, NULL, 'i' },
		{ "context", required_argument, NULL, 'c' },
		{ "data", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	memset(o, 0, sizeof *o);
	o->now = -1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
		case 'i':
			if ((c == 'a' ? o->nfiles : o->ninv) >= IAM_MAX_POLICIES)
				return cli_usage(cmd, "too many input files");
			if (c == 'a')
				o->files[o->nfiles++] = optarg;
			else
				o->inv[o->ninv++] = optarg;
			break;
		case 'c':
			if (!strchr(optarg, '=') || optarg[0] == '=')
				return cli_usage(cmd, "--context takes KEY=VALUE, not '%s'", optarg);
			if (o->nctx >= IAM_MAX_POLICIES)
				return cli_usage(cmd, "too many --context options");
			o->ctx[o->nctx++] = optarg;
			break;
		case 'd':
			o->data = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				o->json = false;
			else if (strcmp(optarg, "json") == 0)
				o->json = true;
			else
				return cli_usage(cmd, "unknown format '%s' (text, json)", optarg);
			break;
		case 'n': {
			char *end = NULL;
			long long v = strtoll(optarg, &end, 10);
			if (!*optarg || *end || v < 0)
				return cli_usage(cmd, "--now takes seconds since 1970, not '%s'", optarg);
			o->now = v;
			break;
		}
		default:
			return cli_usage(cmd, "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (o->nfiles == 0)
		return cli_usage(cmd, "give the account with --account FILE (authorization details, credential report, organization file)");
	return -1;
}

/* The loaded account and everything it borrows. */
typedef struct acct_ctx {
	cs_diag_sink sink;
	cs_iam_catalog *cat;
	cs_inventory *inv;
	cs_iam_account *a;
} acct_ctx;

static void acct_release(acct_ctx *x)
{
	cs_iam_account_free(x->a);
	cs_inventory_free(x->inv);
	cs_iam_catalog_free(x->cat);
}

/* Loads the catalogue, inventories and account inputs; returns 0 or an
 * exit code.  Input problems are printed and the rest still loaded. */
static int acct_load(const acct_opts *o, acct_ctx *x)
{
	char dir[4096];
	memset(x, 0, sizeof *x);
	x->sink = (cs_diag_sink){ cli_print_diag, NULL, 0, 0 };
	if (o->data)
		snprintf(dir, sizeof dir, "%s", o->data);
	else
		snprintf(dir, sizeof dir, "%s/data/iam", cli_home());
	cs_err rc = cs_iam_catalog_load(&x->cat, dir, &x->sink);
	if (rc && rc != CS_ESYNTAX && rc != CS_EUTF8) {
		cli_error("cannot load the IAM action catalogue from '%s'", dir);
		return rc == CS_ENOMEM ? CS_EXIT_INTERNAL : CS_EXIT_CONFIG;
	}
	if (o->ninv) {
		char maps[4096];
		snprintf(maps, sizeof maps, "%s/data/mappings", cli_home());
		if (cs_inventory_new(&x->inv, &x->sink))
			return CS_EXIT_INTERNAL;
		cs_inventory_load_mappings(x->inv, maps);
		for (size_t i = 0; i < o->ninv; i++)
			if (cs_inventory_add_path(x->inv, o->inv[i]) == CS_ENOMEM)
				return CS_EXIT_INTERNAL;
		if (cs_inventory_build(x->inv))
			return CS_EXIT_INTERNAL;
	}
	if (cs_iam_account_new(&x->a, x->cat, &x->sink))
		return CS_EXIT_INTERNAL;
	for (size_t i = 0; i < o->nfiles; i++)
		if (cs_iam_account_add_path(x->a, o->files[i]) == CS_ENOMEM)
			return CS_EXIT_INTERNAL;
	if (x->inv && cs_iam_account_add_inventory(x->a, x->inv) == CS_ENOMEM)
		return CS_EXIT_INTERNAL;
	if (cs_iam_account_build(x->a))
		return CS_EXIT_INTERNAL;
	return 0;
}

static int iam_can(int argc, char **argv)
{
	acct_opts o;
	acct_ctx x;
	int code = acct_parse("iam can", argc, argv, &o);
	if (code >= 0)
		return code;
	if (argc - optind != 3)
		return cli_usage("iam can", "give PRINCIPAL ACTION RESOURCE");
	const char *principal = argv[optind], *action = argv[optind + 1],
		   *resource = argv[optind + 2];
	cs_iam_request *rq = NULL;
	cs_iam_trace *tr = NULL;
	cs_buf out;
	cs_buf_init(&out, 0);
	code = acct_load(&o, &x);
	if (code)
		goto done;
	code = CS_EXIT_INTERNAL;
	if (cs_iam_request_new(&rq) || cs_iam_trace_new(&tr))
		goto done;
	if (cs_iam_request_principal(rq, principal)) {
		code = cli_usage("iam can", "'%s' is no IAM user, role, session, root, federated user, service principal or '*'",
				 principal);
		goto done;
	}
	if (cs_iam_request_action(rq, action)) {
		code = cli_usage("iam can", "'%s' is not of the form service:Action", action);
		goto done;
	}
	if (cs_iam_request_resource(rq, resource)) {
		code = cli_usage("iam can", "'%s' is not an ARN or '*'", resource);
		goto done;
	}
	for (size_t i = 0; i < o.nctx; i++) {
		const char *eq = strchr(o.ctx[i], '=');
		char key[256];
		size_t kl = (size_t)(eq - o.ctx[i]);
		if (kl >= sizeof key) {
			code = cli_usage("iam can", "context key too long in '%s'", o.ctx[i]);
			goto done;
		}
		memcpy(key, o.ctx[i], kl);
		key[kl] = 0;
		if (cs_iam_request_context(rq, key, eq + 1))
			goto done;
	}
	cs_iam_decision d;
	if (cs_iam_account_can(x.a, rq, &d, tr) || cs_iam_trace_write(&out, tr, o.json))
		goto done;
	fwrite(out.data, 1, out.len, stdout);
	code = d == CS_IAM_ALLOW ? CS_EXIT_OK : CS_EXIT_FINDINGS;
	if (x.sink.errors)
		code = CS_EXIT_INPUT;
done:
	if (code == CS_EXIT_INTERNAL)
		cli_error("out of memory");
	cs_buf_release(&out);
	cs_iam_trace_free(tr);
	cs_iam_request_free(rq);
	acct_release(&x);
	return code;
}

typedef struct who_out {
	bool json;
	size_t n;
} who_out;

static void print_who(void *ud, const char *principal, cs_iam_decision d)
{
	who_out *w = ud;
	if (d != CS_IAM_ALLOW)
		return;
	if (w->json) {
		cs_buf b;
		cs_buf_init(&b, 0);
		if (cs_json_write_str(&b, principal, strlen(principal)) == CS_OK)
			printf("%s%s", w->n ? "," : "", b.data);
		cs_buf_release(&b);
	} else {
		printf("%s\n", principal);
	}
	w->n++;
}

static int iam_who_can(int argc, char **argv)
{
	acct_opts o;
	acct_ctx x;
	int code = acct_parse("iam who-can", argc, argv, &o);
	if (code >= 0)
		return code;
	if (argc - optind != 2)
		return cli_usage("iam who-can", "give ACTION RESOURCE");
	code = acct_load(&o, &x);
	if (!code) {
		who_out w = { o.json, 0 };
		if (o.json) {
			cs_buf b;
			cs_buf_init(&b, 0);
			if (cs_json_write_str(&b, argv[optind], strlen(argv[optind])) == CS_OK)
				printf("{\"action\":%s,\"allowed\":[", b.data);
			cs_buf_release(&b);
		}
		cs_err rc = cs_iam_account_who_can(x.a, argv[optind], argv[optind + 1], o.ctx, o.nctx,
						   print_who, &w, NULL);
		if (o.json)
			printf("]}\n");
		if (rc == CS_EINVAL)
			code = cli_usage("iam who-can", "'%s' or '%s' is not a valid action or resource",
					 argv[optind], argv[optind + 1]);
		else if (rc)
			code = CS_EXIT_INTERNAL;
		else
			code = x.sink.errors ? CS_EXIT_INPUT : w.n ? CS_EXIT_FINDINGS : CS_EXIT_OK;
	}
	acct_release(&x);
	return code;
}

typedef struct fout {
	bool json;
	size_t n;
} fout;

static void print_finding(void *ud, const cs_iam_finding *f)
{
	fout *o = ud;
	if (o->json) {
		cs_buf b;
		cs_buf_init(&b, 0);
		cs_err rc = cs_buf_puts(&b, o->n ? ",\n{\"id\":" : "{\"id\":");
		const char *keys[] = { ",\"domain\":", ",\"severity\":", ",\"subject\":",
				       ",\"message\":", ",\"file\":" };
		const char *vals[] = { f->domain, f->severity, f->subject, f->message,
				       f->file ? f->file : "" };
		if (!rc)
			rc = cs_json_write_str(&b, f->id, strlen(f->id));
		for (size_t i = 0; !rc && i < 5; i++) {
			rc = cs_buf_puts(&b, keys[i]);
			if (!rc)
				rc = cs_json_write_str(&b, vals[i], strlen(vals[i]));
		}
		if (!rc)
			rc = cs_buf_printf(&b, ",\"line\":%u,\"col\":%u}", f->line, f->col);
		if (!rc)
			fputs(b.data, stdout);
		cs_buf_release(&b);
	} else if (f->file) {
		printf("%s:%u:%u: %s [%s, %s] %s\n", f->file, f->line, f->col, f->severity, f->id,
		       f->domain, f->message);
	} else {
		printf("%s [%s, %s] %s\n", f->severity, f->id, f->domain, f->message);
	}
	o->n++;
}

static int iam_analyze(int argc, char **argv)
{
	acct_opts o;
	acct_ctx x;
	int code = acct_parse("iam analyze", argc, argv, &o);
	if (code >= 0)
		return code;
	if (optind < argc)
		return cli_usage("iam analyze", "unexpected argument '%s'", argv[optind]);
	code = acct_load(&o, &x);
	if (!code) {
		fout fo = { o.json, 0 };
		int64_t now = o.now >= 0 ? (int64_t)o.now : (int64_t)time(NULL);
		if (o.json)
			fputs("[", stdout);
		cs_err rc = cs_iam_account_analyze(x.a, now, print_finding, &fo, NULL);
		if (o.json)
			fputs("]\n", stdout);
		if (rc)
			code = CS_EXIT_INTERNAL;
		else
			code = x.sink.errors ? CS_EXIT_INPUT : fo.n ? CS_EXIT_FINDINGS : CS_EXIT_OK;
	}
	acct_release(&x);
	return code;
}

/* The subcommands of `cshare iam`. */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} subs[] = {
	{ "eval", iam_eval, "decide one request against policy files and explain it" },
	{ "can", iam_can, "decide one request of a principal of an account and explain it" },
	{ "who-can", iam_who_can, "list the users and roles of an account allowed a request" },
	{ "analyze", iam_analyze, "find admin-equivalent principals, escalation paths and weak credentials" },
};

int cmd_iam(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("iam", "say which subcommand (eval, can, who-can, analyze)");
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(argc - 1, argv + 1);
	return cli_usage("iam", "unknown subcommand '%s' (eval, can, who-can, analyze)", argv[1]);
}
