/* test_iam_eval.c - the AWS policy parser and evaluator: the golden cases of
 * tests/cases/iam/ (each citing the IAM User Guide section that decides it),
 * the matchers, condition value types, diagnostics with locations, traces.
 *
 * Case file format (tests/cases/iam/*.cases), one directive a line, cases
 * separated by blank lines:
 *   def NAME {json}        a policy usable later in the file as @NAME
 *   case NAME              starts a case
 *   doc SECTION            the documentation section that decides it (required)
 *   identity|resource-policy|trust-policy|boundary|session {json}|@NAME
 *   scp[@L]|rcp[@L] {json}|@NAME
 *   allow-if {condition}   identity policy: Allow every action on every resource under the condition
 *   deny-if {condition}    identity policy: Allow everything, Deny everything under the condition
 *   principal|action|resource|resource-account VALUE
 *   context KEY=VALUE      (repeat for several values)
 *   not-org-member
 *   expect allow|implicit-deny|explicit-deny|error
 *   message TEXT           with `expect error`: a diagnostic contains TEXT
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cshare/iam.h"
#include "iam/policy_int.h"

typedef struct capture {
	unsigned n;
	char all[4096];
	cs_diag last; /* last.file and last.msg are not valid after the call */
	char lastmsg[512];
	char lastfile[256];
} capture;

static void cap(void *ud, const cs_diag *d)
{
	capture *c = ud;
	c->n++;
	c->last = *d;
	snprintf(c->lastfile, sizeof c->lastfile, "%s", d->file ? d->file : "");
	snprintf(c->lastmsg, sizeof c->lastmsg, "%s", d->msg);
	size_t l = strlen(c->all);
	snprintf(c->all + l, sizeof c->all - l, "%s:%u:%u: %s\n", d->file ? d->file : "-",
		 d->line, d->col, d->msg);
}

/* ---- the golden cases ---------------------------------------------------- */

#define MAXDEF 64
#define MAXPOL 16
#define MAXCTX 16

typedef struct gcase {
	char name[128];
	unsigned line;
	bool has_doc;
	struct {
		cs_policy_kind kind;
		unsigned level;
		char *json; /* heap */
	} pol[MAXPOL];
	size_t npol;
	char principal[256], action[128], resource[512], racct[32];
	char ctx[MAXCTX][256];
	size_t nctx;
	bool not_member;
	char expect[32];
	char message[256];
} gcase;

typedef struct gfile {
	const char *path;
	char *defname[MAXDEF];
	char *defjson[MAXDEF];
	size_t ndef;
	unsigned cases, failures;
} gfile;

static char *dupstr(const char *s)
{
	size_t n = strlen(s);
	char *d = cs_malloc(n + 1);
	assert_non_null(d);
	memcpy(d, s, n + 1);
	return d;
}

static void case_reset(gcase *c)
{
	for (size_t i = 0; i < c->npol; i++)
		cs_free(c->pol[i].json);
	memset(c, 0, sizeof *c);
	snprintf(c->principal, sizeof c->principal, "arn:aws:iam::111122223333:user/alice");
	snprintf(c->action, sizeof c->action, "s3:GetObject");
	snprintf(c->resource, sizeof c->resource, "arn:aws:s3:::bucket/key");
}

static char *resolve(gfile *f, const char *v)
{
	if (v[0] != '@')
		return dupstr(v);
	for (size_t i = 0; i < f->ndef; i++)
		if (strcmp(f->defname[i], v + 1) == 0)
			return dupstr(f->defjson[i]);
	fail_msg("%s: no policy named %s", f->path, v);
	return NULL;
}

static void add_pol(gcase *c, cs_policy_kind k, unsigned level, char *json)
{
	assert_true(c->npol < MAXPOL);
	c->pol[c->npol].kind = k;
	c->pol[c->npol].level = level;
	c->pol[c->npol].json = json;
	c->npol++;
}

static void run_case(gfile *f, gcase *c)
{
	f->cases++;
	capture diag;
	memset(&diag, 0, sizeof diag);
	cs_diag_sink sink = { cap, &diag, 0, 0 };
	cs_policy *pols[MAXPOL] = { 0 };
	cs_iam_policyset *ps = NULL;
	cs_iam_request *rq = NULL;
	cs_iam_trace *tr = NULL;
	const char *got = NULL;
	bool parse_failed = false;
	if (!c->has_doc) {
		printf("FAIL %s:%u %s: no doc line\n", f->path, c->line, c->name);
		f->failures++;
		return;
	}
	assert_int_equal(cs_iam_policyset_new(&ps), CS_OK);
	assert_int_equal(cs_iam_request_new(&rq), CS_OK);
	assert_int_equal(cs_iam_trace_new(&tr), CS_OK);
	for (size_t i = 0; i < c->npol; i++) {
		char nm[64];
		snprintf(nm, sizeof nm, "%s#%zu", cs__iam_kind_name(c->pol[i].kind), i + 1);
		cs_err rc = cs_policy_parse(&pols[i], c->pol[i].kind, nm, c->pol[i].json,
					    strlen(c->pol[i].json), 1, 1, &sink);
		if (rc) {
			parse_failed = true;
			continue;
		}
		assert_int_equal(cs_iam_policyset_add(ps, pols[i], c->pol[i].level), CS_OK);
	}
	if (parse_failed) {
		got = "error";
	} else {
		bool ok = cs_iam_request_principal(rq, c->principal) == CS_OK &&
			  cs_iam_request_action(rq, c->action) == CS_OK &&
			  cs_iam_request_resource(rq, c->resource) == CS_OK &&
			  (!c->racct[0] || cs_iam_request_resource_account(rq, c->racct) == CS_OK);
		for (size_t i = 0; ok && i < c->nctx; i++) {
			char *eq = strchr(c->ctx[i], '=');
			if (!eq) {
				ok = false;
				break;
			}
			*eq = 0;
			ok = cs_iam_request_context(rq, c->ctx[i], eq + 1) == CS_OK;
			*eq = '=';
		}
		if (!ok) {
			got = "bad-request";
		} else {
			if (c->not_member)
				cs_iam_policyset_org(ps, false, false);
			got = cs_iam_decision_name(cs_iam_eval(ps, rq, tr));
			/* the decision without a trace must be the same */
			const char *again = cs_iam_decision_name(cs_iam_eval(ps, rq, NULL));
			if (strcmp(got, again) != 0) {
				printf("FAIL %s:%u %s: %s with a trace, %s without\n", f->path, c->line,
				       c->name, got, again);
				f->failures++;
			}
		}
	}
	bool pass = strcmp(got, c->expect) == 0;
	if (pass && c->message[0] && !strstr(diag.all, c->message))
		pass = false;
	if (!pass) {
		f->failures++;
		printf("FAIL %s:%u %s: got %s, expected %s\n%s", f->path, c->line, c->name, got,
		       c->expect, diag.all);
		if (!parse_failed && strcmp(got, "bad-request") != 0) {
			cs_buf b;
			cs_buf_init(&b, 0);
			if (cs_iam_trace_write(&b, tr, false) == CS_OK && b.data)
				printf("%s", b.data);
			cs_buf_release(&b);
		}
	}
	for (size_t i = 0; i < c->npol; i++)
		cs_policy_free(pols[i]);
	cs_iam_trace_free(tr);
	cs_iam_policyset_free(ps);
	cs_iam_request_free(rq);
}

static void run_file(gfile *f)
{
	FILE *fp = fopen(f->path, "r");
	assert_non_null(fp);
	static char line[16384];
	gcase c;
	memset(&c, 0, sizeof c);
	bool in = false;
	unsigned ln = 0;
	for (;;) {
		char *r = fgets(line, sizeof line, fp);
		if (r)
			ln++;
		size_t n = r ? strlen(line) : 0;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (!r || n == 0) {
			if (in) {
				run_case(f, &c);
				in = false;
			}
			if (!r)
				break;
			continue;
		}
		if (line[0] == '#')
			continue;
		char *sp = strchr(line, ' ');
		char *val = sp ? sp + 1 : line + n;
		if (sp)
			*sp = 0;
		const char *k = line;
		if (strcmp(k, "def") == 0) {
			char *sp2 = strchr(val, ' ');
			assert_non_null(sp2);
			*sp2 = 0;
			assert_true(f->ndef < MAXDEF);
			f->defname[f->ndef] = dupstr(val);
			f->defjson[f->ndef] = dupstr(sp2 + 1);
			f->ndef++;
			continue;
		}
		if (strcmp(k, "case") == 0) {
			case_reset(&c);
			in = true;
			c.line = ln;
			snprintf(c.name, sizeof c.name, "%s", val);
			continue;
		}
		if (!in)
			fail_msg("%s:%u: '%s' outside a case", f->path, ln, k);
		if (strcmp(k, "doc") == 0)
			c.has_doc = *val != 0;
		else if (strcmp(k, "identity") == 0)
			add_pol(&c, CS_POLICY_IDENTITY, 0, resolve(f, val));
		else if (strcmp(k, "resource-policy") == 0)
			add_pol(&c, CS_POLICY_RESOURCE, 0, resolve(f, val));
		else if (strcmp(k, "trust-policy") == 0)
			add_pol(&c, CS_POLICY_TRUST, 0, resolve(f, val));
		else if (strcmp(k, "boundary") == 0)
			add_pol(&c, CS_POLICY_BOUNDARY, 0, resolve(f, val));
		else if (strcmp(k, "session") == 0)
			add_pol(&c, CS_POLICY_SESSION, 0, resolve(f, val));
		else if (strncmp(k, "scp", 3) == 0 || strncmp(k, "rcp", 3) == 0) {
			unsigned level = k[3] == '@' ? (unsigned)strtoul(k + 4, NULL, 10) : 0;
			add_pol(&c, k[0] == 's' ? CS_POLICY_SCP : CS_POLICY_RCP, level, resolve(f, val));
		} else if (strcmp(k, "allow-if") == 0 || strcmp(k, "deny-if") == 0) {
			char *cond = resolve(f, val);
			size_t m = strlen(cond) + 256;
			char *j = cs_malloc(m);
			assert_non_null(j);
			if (k[0] == 'a')
				snprintf(j, m, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":%s}]}", cond);
			else
				snprintf(j, m, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":%s}]}", cond);
			cs_free(cond);
			add_pol(&c, CS_POLICY_IDENTITY, 0, j);
		} else if (strcmp(k, "principal") == 0)
			snprintf(c.principal, sizeof c.principal, "%s", val);
		else if (strcmp(k, "action") == 0)
			snprintf(c.action, sizeof c.action, "%s", val);
		else if (strcmp(k, "resource") == 0)
			snprintf(c.resource, sizeof c.resource, "%s", val);
		else if (strcmp(k, "resource-account") == 0)
			snprintf(c.racct, sizeof c.racct, "%s", val);
		else if (strcmp(k, "context") == 0) {
			assert_true(c.nctx < MAXCTX);
			snprintf(c.ctx[c.nctx++], sizeof c.ctx[0], "%s", val);
		} else if (strcmp(k, "not-org-member") == 0)
			c.not_member = true;
		else if (strcmp(k, "expect") == 0)
			snprintf(c.expect, sizeof c.expect, "%s", val);
		else if (strcmp(k, "message") == 0)
			snprintf(c.message, sizeof c.message, "%s", val);
		else
			fail_msg("%s:%u: unknown directive '%s'", f->path, ln, k);
	}
	case_reset(&c);
	fclose(fp);
	for (size_t i = 0; i < f->ndef; i++) {
		cs_free(f->defname[i]);
		cs_free(f->defjson[i]);
	}
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_golden_cases(void **state)
{
	(void)state;
	const char *dir = CS_SOURCE_DIR "/tests/cases/iam";
	DIR *d = opendir(dir);
	assert_non_null(d);
	char *names[128];
	size_t nn = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l > 6 && strcmp(de->d_name + l - 6, ".cases") == 0 && nn < 128)
			names[nn++] = dupstr(de->d_name);
	}
	closedir(d);
	qsort(names, nn, sizeof names[0], cmpstr);
	unsigned total = 0, failures = 0;
	for (size_t i = 0; i < nn; i++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		gfile f;
		memset(&f, 0, sizeof f);
		f.path = path;
		run_file(&f);
		printf("%-28s %3u cases, %u failed\n", names[i], f.cases, f.failures);
		total += f.cases;
		failures += f.failures;
		cs_free(names[i]);
	}
	printf("iam golden cases: %u, failed %u\n", total, failures);
	assert_int_equal(failures, 0);
	assert_true(total >= 300);
}

/* ---- matchers ------------------------------------------------------------ */

static void test_glob(void **state)
{
	(void)state;
	assert_true(cs__iam_glob("s3:get*", 7, "s3:getobject", 12, false));
	assert_true(cs__iam_glob("*", 1, "", 0, false));
	assert_true(cs__iam_glob("a?c", 3, "abc", 3, false));
	assert_false(cs__iam_glob("a?c", 3, "ac", 2, false));
	assert_true(cs__iam_glob("*a*b*c*", 7, "xxaxxbxxc", 9, false));
	assert_false(cs__iam_glob("*a*b*c", 6, "xxaxxbxxcx", 10, false));
	assert_true(cs__iam_glob("ABC", 3, "abc", 3, true));
	assert_false(cs__iam_glob("ABC", 3, "abc", 3, false));
	/* a pathological pattern stays linear-ish */
	char s[4001];
	memset(s, 'a', 4000);
	s[4000] = 0;
	assert_false(cs__iam_glob("*a*a*a*a*a*a*b", 14, s, 4000, false));
}

static void test_arn_match(void **state)
{
	(void)state;
	/* IAM User Guide, "IAM JSON policy elements: Resource", wildcards in ARNs */
	const char *bucket = "arn:aws:s3:::amzn-s3-demo-bucket/folder/file.txt";
	assert_true(cs__iam_arn_match("arn:aws:s3:::amzn-s3-demo-bucket/*", 34, bucket, strlen(bucket)));
	assert_true(cs__iam_arn_match("arn:aws:s3:::*", 14, bucket, strlen(bucket)));
	assert_true(cs__iam_arn_match("arn:aws:*", 9, bucket, strlen(bucket)));
	const char *role = "arn:aws:iam::123456789012:role/a/b";
	assert_true(cs__iam_arn_match("arn:aws:iam::*:role/*", 21, role, strlen(role)));
	/* a '?' or inner '*' stays in its segment */
	assert_false(cs__iam_arn_match("arn:aws:iam:*123456789012:role/a/b", 34, role, strlen(role)));
	assert_false(cs__iam_arn_match("arn:aws:i*:123456789012:role/a/b", 32, role, strlen(role)));
	const char *q = "arn:aws:sqs:us-east-1:123456789012:queue1";
	assert_true(cs__iam_arn_match("arn:aws:sqs:*:123456789012:queue?", 33, q, strlen(q)));
	assert_false(cs__iam_arn_match("arn:aws:sqs:us-*-2:123456789012:queue1", 38, q, strlen(q)));
	/* the resource segment holds colons */
	const char *lg = "arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:s";
	assert_true(cs__iam_arn_match("arn:aws:logs:us-east-1:123456789012:log-group:g:*", 49, lg, strlen(lg)));
}

static void test_values(void **state)
{
	(void)state;
	int64_t ms;
	assert_true(cs__iam_parse_date("1970-01-02T00:00:00Z", 20, &ms));
	assert_true(ms == 86400000);
	assert_true(cs__iam_parse_date("2000-03-01", 10, &ms));
	assert_true(ms == 951868800000LL);
	assert_true(cs__iam_parse_date("2020-01-01T01:00:00+01:00", 25, &ms));
	assert_true(ms == 1577836800000LL);
	assert_true(cs__iam_parse_date("1577836800", 10, &ms));
	assert_true(ms == 1577836800000LL);
	assert_false(cs__iam_parse_date("2021-02-29", 10, &ms));
	assert_false(cs__iam_parse_date("2021-13-01", 10, &ms));
	assert_false(cs__iam_parse_date("yesterday", 9, &ms));
	uint8_t ip[16], bits;
	bool v6;
	assert_true(cs__iam_parse_cidr("203.0.113.0/24", 14, true, ip, &bits, &v6));
	assert_int_equal(bits, 24);
	assert_false(v6);
	assert_int_equal(ip[2], 113);
	assert_true(cs__iam_parse_cidr("2001:DB8:1234:5678::/64", 23, true, ip, &bits, &v6));
	assert_true(v6);
	assert_int_equal(ip[0], 0x20);
	assert_int_equal(ip[3], 0xb8);
	assert_int_equal(ip[15], 0);
	assert_true(cs__iam_parse_cidr("::ffff:192.0.2.1", 16, false, ip, &bits, &v6));
	assert_int_equal(ip[15], 1);
	assert_false(cs__iam_parse_cidr("256.1.1.1", 9, true, ip, &bits, &v6));
	assert_false(cs__iam_parse_cidr("1.2.3.4/33", 10, true, ip, &bits, &v6));
	assert_false(cs__iam_parse_cidr("1:2:3", 5, true, ip, &bits, &v6));
	assert_false(cs__iam_parse_cidr("1::2::3", 7, true, ip, &bits, &v6));
}

static void test_subst(void **state)
{
	(void)state;
	cs_iam_request *rq;
	assert_int_equal(cs_iam_request_new(&rq), CS_OK);
	assert_int_equal(cs_iam_request_principal(rq, "arn:aws:iam::111122223333:user/bob"), CS_OK);
	assert_int_equal(cs_iam_request_context(rq, "aws:PrincipalTag/team", "a*b"), CS_OK);
	char buf[256];
	unsigned char lit[256];
	cs_pat p = { "home/${aws:username}/${aws:principaltag/TEAM}/${*}${aws:nokey, 'dflt'}", 0, CS_PAT_GLOB, true, 0, 0 };
	p.len = (uint32_t)strlen(p.s);
	long n = cs__iam_subst(&p, rq, buf, sizeof buf, lit);
	assert_int_equal(n, (long)strlen("home/bob/a*b/*dflt"));
	assert_memory_equal(buf, "home/bob/a*b/*dflt", (size_t)n);
	assert_int_equal(lit[10], 1); /* the '*' from the tag is literal */
	assert_int_equal(lit[13], 1); /* ${*} */
	assert_int_equal(lit[0], 0);
	cs_pat q = { "x/${aws:nokey}", 14, CS_PAT_GLOB, true, 0, 0 };
	assert_int_equal(cs__iam_subst(&q, rq, buf, sizeof buf, lit), -1);
	cs_iam_request_free(rq);
}

/* ---- diagnostics ----------------------------------------------------------- */

static cs_err parse_kind(cs_policy_kind k, const char *json, capture *c, cs_policy **p)
{
	memset(c, 0, sizeof *c);
	cs_diag_sink sink = { cap, c, 0, 0 };
	return cs_policy_parse(p, k, "p.json", json, strlen(json), 1, 1, &sink);
}

static void test_diagnostics(void **state)
{
	(void)state;
	capture c;
	cs_policy *p = NULL;
	/* located at the offending value: line 3, column 13 */
	assert_int_equal(parse_kind(CS_POLICY_IDENTITY,
				    "{\"Version\": \"2012-10-17\",\n \"Statement\": [{\n  \"Effect\": \"Permit\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}",
				    &c, &p),
			 CS_ECHECK);
	assert_null(p);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.lastfile, "p.json");
	assert_int_equal(c.last.line, 3);
	assert_int_equal(c.last.col, 13);
	assert_int_equal(c.last.sev, CS_SEV_ERROR);
	assert_string_equal(c.lastmsg, "Statement 1: Effect must be Allow or Deny");
	/* every problem is reported, not just the first */
	assert_int_equal(parse_kind(CS_POLICY_IDENTITY,
				    "{\"Statement\":[{\"Action\":\"s3:*\",\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEqualz\":{\"aws:x\":\"1\"}}}]}",
				    &c, &p),
			 CS_ECHECK);
	assert_int_equal(c.n, 2);
	assert_non_null(strstr(c.all, "Statement 1: Missing required field Effect"));
	assert_non_null(strstr(c.all, "Statement 2: Unknown condition operator StringEqualz"));
	/* syntax errors come from the JSON reader, located */
	assert_int_equal(parse_kind(CS_POLICY_IDENTITY, "{\"Statement\": [}", &c, &p), CS_ESYNTAX);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.last.line, 1);
	/* a good policy: no diagnostics, statements compiled */
	assert_int_equal(parse_kind(CS_POLICY_RESOURCE,
				    "{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"111122223333\",\"arn:aws:iam::444455556666:root\"]},\"Action\":[\"s3:GetObject\",\"S3:List*\"],\"Resource\":\"arn:aws:s3:::b/*\"}}",
				    &c, &p),
			 CS_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(p->nst, 1);
	assert_int_equal(p->st[0].npr, 2);
	assert_int_equal(p->st[0].pr[1].kind, CS_PR_ACCOUNT);
	assert_string_equal(p->st[0].pr[1].s, "444455556666");
	assert_string_equal(p->st[0].act[1].s, "s3:list*");
	assert_int_equal(p->st[0].act[1].kind, CS_PAT_PREFIX);
	assert_string_equal(cs_policy_name(p), "p.json");
	assert_int_equal(cs_policy_kind_of(p), CS_POLICY_RESOURCE);
	cs_policy_free(p);
	/* the line offset of an embedded document */
	memset(&c, 0, sizeof c);
	cs_diag_sink sink = { cap, &c, 0, 0 };
	const char *emb = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\"}]}";
	assert_int_equal(cs_policy_parse(&p, CS_POLICY_IDENTITY, "authz.json", emb, strlen(emb), 40, 7, &sink),
			 CS_ECHECK);
	assert_int_equal(c.last.line, 40);
	assert_non_null(strstr(c.lastmsg, "Missing required field Resource"));
}

static void test_request_errors(void **state)
{
	(void)state;
	cs_iam_request *rq;
	assert_int_equal(cs_iam_request_new(&rq), CS_OK);
	assert_int_equal(cs_iam_request_principal(rq, "bob"), CS_EINVAL);
	assert_int_equal(cs_iam_request_principal(rq, "arn:aws:iam::12:user/x"), CS_EINVAL);
	assert_int_equal(cs_iam_request_principal(rq, "arn:aws:sts::111122223333:assumed-role/r"), CS_EINVAL);
	assert_int_equal(cs_iam_request_action(rq, "GetObject"), CS_EINVAL);
	assert_int_equal(cs_iam_request_resource(rq, "bucket"), CS_EINVAL);
	assert_int_equal(cs_iam_request_resource_account(rq, "12345"), CS_EINVAL);
	/* derived keys */
	assert_int_equal(cs_iam_request_principal(rq, "arn:aws:sts::111122223333:assumed-role/Admin/s1"), CS_OK);
	size_t n;
	char *const *v = cs__iam_ctx_get(rq, "AWS:PRINCIPALARN", 16, &n);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "arn:aws:iam::111122223333:role/Admin");
	v = cs__iam_ctx_get(rq, "aws:PrincipalType", 17, &n);
	assert_string_equal(v[0], "AssumedRole");
	/* an explicit value replaces the derived one */
	assert_int_equal(cs_iam_request_context(rq, "aws:PrincipalArn", "arn:aws:iam::111122223333:role/path/Admin"), CS_OK);
	v = cs__iam_ctx_get(rq, "aws:principalarn", 16, &n);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "arn:aws:iam::111122223333:role/path/Admin");
	/* a reused request forgets what it derived from the previous principal */
	assert_int_equal(cs_iam_request_principal(rq, "arn:aws:iam::111122223333:user/carol"), CS_OK);
	v = cs__iam_ctx_get(rq, "aws:username", 12, &n);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "carol");
	assert_int_equal(cs_iam_request_principal(rq, "arn:aws:sts::111122223333:assumed-role/R/s"), CS_OK);
	v = cs__iam_ctx_get(rq, "aws:username", 12, &n);
	assert_int_equal(n, 0);
	assert_int_equal(cs_iam_request_resource(rq, "arn:aws:sqs:us-east-1:444455556666:q"), CS_OK);
	assert_string_equal(cs__iam_resource_account(rq), "444455556666");
	assert_int_equal(cs_iam_request_resource(rq, "arn:aws:s3:::b/k"), CS_OK);
	assert_string_equal(cs__iam_resource_account(rq), "111122223333");
	v = cs__iam_ctx_get(rq, "aws:ResourceAccount", 19, &n);
	assert_int_equal(n, 0);
	cs_iam_request_free(rq);
}

static void test_trace_output(void **state)
{
	(void)state;
	capture c;
	cs_policy *p;
	assert_int_equal(parse_kind(CS_POLICY_IDENTITY,
				    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"S\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}]}",
				    &c, &p),
			 CS_OK);
	cs_iam_policyset *ps;
	cs_iam_request *rq;
	cs_iam_trace *tr;
	assert_int_equal(cs_iam_policyset_new(&ps), CS_OK);
	assert_int_equal(cs_iam_policyset_add(ps, p, 0), CS_OK);
	assert_int_equal(cs_iam_request_new(&rq), CS_OK);
	assert_int_equal(cs_iam_trace_new(&tr), CS_OK);
	assert_int_equal(cs_iam_request_principal(rq, "arn:aws:iam::111122223333:user/a"), CS_OK);
	assert_int_equal(cs_iam_request_action(rq, "s3:GetObject"), CS_OK);
	assert_int_equal(cs_iam_request_resource(rq, "arn:aws:s3:::b/k"), CS_OK);
	assert_int_equal(cs_iam_eval(ps, rq, tr), CS_IAM_IMPLICIT_DENY);
	cs_buf b;
	cs_buf_init(&b, 0);
	assert_int_equal(cs_iam_trace_write(&b, tr, true), CS_OK);
	assert_non_null(strstr(b.data, "\"decision\":\"implicit-deny\""));
	assert_non_null(strstr(b.data, "\"failed_condition\":{\"operator\":\"Bool\",\"key\":\"aws:securetransport\""));
	assert_non_null(strstr(b.data, "\"sid\":\"S\""));
	cs_buf_release(&b);
	cs_buf_init(&b, 0);
	assert_int_equal(cs_iam_trace_write(&b, tr, false), CS_OK);
	assert_non_null(strstr(b.data, "decision: implicit-deny"));
	assert_non_null(strstr(b.data, "no identity-based or resource-based policy allows"));
	cs_buf_release(&b);
	assert_string_equal(cs_iam_decision_name(CS_IAM_EXPLICIT_DENY), "explicit-deny");
	cs_iam_trace_free(tr);
	cs_iam_request_free(rq);
	cs_iam_policyset_free(ps);
	cs_policy_free(p);
}

/* Allocation failures: every failing allocation gives CS_ENOMEM (or a
 * clean parse failure), never a crash or a leak. */
static void test_alloc_failures(void **state)
{
	(void)state;
	const char *json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"s3:Get*\"],\"Resource\":\"arn:aws:s3:::b/${aws:username}\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\"]},\"BinaryEquals\":{\"a:b\":\"QUJD\"}}}]}";
	for (unsigned long i = 1; i < 200; i++) {
		cs_policy *p = NULL;
		cs_alloc_fail_after(i);
		cs_err rc = cs_policy_parse(&p, CS_POLICY_RESOURCE, "p", json, strlen(json), 1, 1, NULL);
		cs_alloc_fail_after(0);
		assert_true(rc == CS_OK || rc == CS_ENOMEM || rc == CS_ESYNTAX || rc == CS_ECHECK);
		cs_policy_free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glob),        cmocka_unit_test(test_arn_match),
		cmocka_unit_test(test_values),      cmocka_unit_test(test_subst),
		cmocka_unit_test(test_diagnostics), cmocka_unit_test(test_request_errors),
		cmocka_unit_test(test_trace_output), cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test(test_golden_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
