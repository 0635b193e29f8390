/* test_sigma.c - the Sigma engine's API: loading and its diagnostics (file,
 * line, column; bad rules skipped, strict fails), unsupported features named,
 * malformed events, per-rule counts, and every SigmaHQ cloud rule compiling
 * or reported unsupported with its reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cshare/detect.h"

typedef struct capture {
	unsigned n, errors, warnings, unsupported;
	cs_diag d[64];
	char msg[64][512];
	char file[64][256];
} capture;

static void cap(void *ud, const cs_diag *d)
{
	capture *c = ud;
	if (d->sev == CS_SEV_ERROR)
		c->errors++;
	if (d->sev == CS_SEV_WARNING)
		c->warnings++;
	if (d->code == CS_EUNSUPPORTED)
		c->unsupported++;
	if (c->n < 64) {
		c->d[c->n] = *d;
		snprintf(c->msg[c->n], sizeof c->msg[0], "%s", d->msg);
		snprintf(c->file[c->n], sizeof c->file[0], "%s", d->file ? d->file : "");
		c->n++;
	}
}

static char tmpdir[256];

static const char *write_rule(const char *name, const char *text)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static cs_err compile_text(const char *text, bool strict, capture *c, cs_ruleset **rs)
{
	const char *p = write_rule("r.yml", text);
	const char *paths[] = { p };
	cs_ruleset_opts o = { strict, NULL };
	cs_diag_sink sink = { cap, c, 0, 0 };
	memset(c, 0, sizeof *c);
	return cs_ruleset_compile(paths, 1, &o, &sink, rs);
}

static int find(const capture *c, const char *needle)
{
	for (unsigned i = 0; i < c->n && i < 64; i++)
		if (strstr(c->msg[i], needle))
			return (int)i;
	return -1;
}

#define GOOD "title: good\nid: good\nlogsource: {product: aws}\ndetection:\n  s:\n    a: 1\n  condition: s\n"

static void test_bad_condition_located(void **state)
{
	(void)state;
	capture c;
	cs_ruleset *rs = NULL;
	const char *text = GOOD "---\n"
			   "title: bad\n"
			   "id: bad\n"
			   "logsource: {product: aws}\n"
			   "detection:\n"
			   "  sel:\n"
			   "    a: 1\n"
			   "  condition: sel and nosuch\n";
	assert_int_equal(compile_text(text, false, &c, &rs), CS_OK);
	assert_non_null(rs);
	assert_int_equal(cs_ruleset_count(rs), 1); /* the good one survives */
	int i = find(&c, "'nosuch'");
	assert_true(i >= 0);
	assert_int_equal(c.d[i].sev, CS_SEV_ERROR);
	assert_int_equal(c.d[i].line, 15);
	assert_int_equal(c.d[i].col, 14);
	assert_string_equal(c.d[i].id, "bad");
	assert_non_null(strstr(c.file[i], "r.yml"));
	cs_ruleset_free(rs);
	/* strict: the same input fails */
	assert_int_equal(compile_text(text, true, &c, &rs), CS_ECHECK);
	assert_null(rs);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	static const struct {
		const char *cond, *needle;
	} cases[] = {
		{ "s and", "unexpected end of condition" },
		{ "(s", "expected ')'" },
		{ "s s", "unexpected text after the condition" },
		{ "1 of x*", "no selection matches" },
		{ "all s", "expected 'of'" },
		{ "s & s", "unexpected text after the condition" },
		{ "& s", "expected a selection name" },
		{ "s | count() > 5 x", "aggregation" },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char text[1024];
		capture c;
		cs_ruleset *rs = NULL;
		snprintf(text, sizeof text, GOOD "---\ntitle: t\nid: t%zu\nlogsource: {product: aws}\n"
			 "detection:\n  s:\n    a: 1\n  condition: '%s'\n", k, cases[k].cond);
		assert_int_equal(compile_text(text, false, &c, &rs), CS_OK);
		int i = find(&c, cases[k].needle);
		if (i < 0)
			fail_msg("condition '%s': no diagnostic '%s' (got %s)", cases[k].cond,
				 cases[k].needle, c.n ? c.msg[0] : "none");
		assert_int_equal(c.d[i].line, 15);
		assert_int_equal(cs_ruleset_count(rs), 1);
		cs_ruleset_free(rs);
	}
}

static void test_unsupported_named(void **state)
{
	(void)state;
	static const struct {
		const char *body, *needle;
	} cases[] = {
		{ "  s:\n    a|nosuchmod: 1\n  condition: s\n", "unknown value modifier 'nosuchmod'" },
		{ "  s:\n    a: 1\n  condition: s | count() > 5\n", "aggregation" },
		{ "  s:\n    a: 1\n  timeframe: 5m\n  condition: s\n", "'timeframe'" },
		{ "  s:\n    a|expand: '%nothere%'\n  condition: s\n", "placeholder '%nothere%'" },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char text[1024];
		capture c;
		cs_ruleset *rs = NULL;
		snprintf(text, sizeof text, GOOD "---\ntitle: t\nid: t\nlogsource: {product: aws}\n"
			 "detection:\n%s", cases[k].body);
		assert_int_equal(compile_text(text, false, &c, &rs), CS_OK);
		int i = find(&c, cases[k].needle);
		if (i < 0)
			fail_msg("case %zu: no diagnostic '%s'", k, cases[k].needle);
		assert_int_equal(c.d[i].code, CS_EUNSUPPORTED);
		assert_int_equal(c.d[i].sev, CS_SEV_WARNING);
		assert_non_null(strstr(c.msg[i], "unsupported"));
		assert_true(c.d[i].line >= 13);
		assert_int_equal(cs_ruleset_count(rs), 1);
		cs_ruleset_free(rs);
	}
}

static void test_value_errors(void **state)
{
	(void)state;
	static const struct {
		const char *item, *needle;
		unsigned col;
	} cases[] = {
		{ "a|re: '(unclosed'", "invalid regular expression", 11 },
		{ "a|cidr: 10.0.0.0/33", "invalid CIDR", 13 },
		{ "a|gt: abc", "needs a number", 11 },
		{ "a|exists: maybe", "'exists' needs true or false", 15 },
		{ "a|base64: 'x*'", "wildcards cannot be combined", 15 },
		{ "a|i: x", "only qualify 're'", 5 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char text[1024];
		capture c;
		cs_ruleset *rs = NULL;
		snprintf(text, sizeof text, GOOD "---\ntitle: t\nid: t\nlogsource: {product: aws}\n"
			 "detection:\n  s:\n    %s\n  condition: s\n", cases[k].item);
		assert_int_equal(compile_text(text, false, &c, &rs), CS_OK);
		int i = find(&c, cases[k].needle);
		if (i < 0)
			fail_msg("case '%s': no diagnostic '%s' (got %s)", cases[k].item,
				 cases[k].needle, c.n ? c.msg[0] : "none");
		assert_int_equal(c.d[i].sev, CS_SEV_ERROR);
		assert_int_equal(c.d[i].line, 14);
		assert_int_equal(c.d[i].col, cases[k].col);
		cs_ruleset_free(rs);
	}
}

static void test_correlation_errors(void **state)
{
	(void)state;
	static const struct {
		const char *corr, *needle;
	} cases[] = {
		{ "  type: event_count\n  rules: [good]\n  timespan: 5m\n", "needs a 'condition'" },
		{ "  type: event_count\n  rules: [nope]\n  timespan: 5m\n  condition: {gte: 2}\n",
		  "refers to 'nope'" },
		{ "  type: event_count\n  rules: [good]\n  timespan: 5x\n  condition: {gte: 2}\n",
		  "'timespan'" },
		{ "  type: value_count\n  rules: [good]\n  timespan: 5m\n  condition: {gte: 2}\n",
		  "needs 'field'" },
		{ "  type: sometimes\n  rules: [good]\n  timespan: 5m\n", "unknown correlation type" },
		{ "  type: event_count\n  rules: [good]\n  timespan: 5m\n  condition: {about: 2}\n",
		  "unknown correlation condition operator" },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char text[1024];
		capture c;
		cs_ruleset *rs = NULL;
		snprintf(text, sizeof text, GOOD "---\ntitle: c\nid: c\ncorrelation:\n%s", cases[k].corr);
		assert_int_equal(compile_text(text, false, &c, &rs), CS_OK);
		int i = find(&c, cases[k].needle);
		if (i < 0)
			fail_msg("case %zu: no diagnostic '%s' (got %s)", k, cases[k].needle,
				 c.n ? c.msg[0] : "none");
		assert_int_equal(c.d[i].sev, CS_SEV_ERROR);
		assert_true(c.d[i].line >= 9);
		assert_int_equal(cs_ruleset_count(rs), 1);
		cs_ruleset_free(rs);
	}
}

static void test_duplicate_id(void **state)
{
	(void)state;
	capture c;
	cs_ruleset *rs = NULL;
	const char *text = GOOD "---\n" GOOD;
	assert_int_equal(compile_text(text, false, &c, &rs), CS_OK);
	int i = find(&c, "id 'good' is already used");
	assert_true(i >= 0);
	assert_int_equal(c.d[i].line, 9);
	assert_int_equal(cs_ruleset_count(rs), 1);
	cs_ruleset_free(rs);
	assert_int_equal(compile_text(text, true, &c, &rs), CS_ECHECK);
}

static void test_correlation_cycle(void **state)
{
	(void)state;
	capture c;
	cs_ruleset *rs = NULL;
	const char *text = GOOD "---\ntitle: c1\nid: c1\ncorrelation:\n  type: event_count\n"
			   "  rules: [c2]\n  timespan: 1m\n  condition: {gte: 2}\n"
			   "---\ntitle: c2\nid: c2\ncorrelation:\n  type: event_count\n"
			   "  rules: [c1]\n  timespan: 1m\n  condition: {gte: 2}\n";
	assert_int_equal(compile_text(text, false, &c, &rs), CS_OK);
	assert_true(find(&c, "reference cycle") >= 0);
	assert_int_equal(cs_ruleset_count(rs), 1);
	cs_ruleset_free(rs);
}

static void test_nothing_compiles(void **state)
{
	(void)state;
	capture c;
	cs_ruleset *rs = NULL;
	assert_int_equal(compile_text("title: x\n", false, &c, &rs), CS_ECHECK);
	assert_null(rs);
	assert_true(find(&c, "none of 'detection'") >= 0);
	assert_true(find(&c, "no rule compiled") >= 0);
	/* YAML syntax error: located */
	assert_int_equal(compile_text("title: [x\n", false, &c, &rs), CS_ECHECK);
	assert_true(c.errors >= 1);
	assert_true(c.d[0].line >= 1);
	/* a missing path */
	const char *paths[] = { "/nonexistent/rules" };
	cs_diag_sink sink = { cap, &c, 0, 0 };
	memset(&c, 0, sizeof c);
	assert_int_equal(cs_ruleset_compile(paths, 1, NULL, &sink, &rs), CS_ECHECK);
	assert_true(find(&c, "cannot open rule path") >= 0);
}

typedef struct hits {
	unsigned n;
	char author[128], domain[64], tag0[64];
} hits;

static void on_alert(void *ud, const cs_alert *a)
{
	hits *h = ud;
	h->n++;
	snprintf(h->author, sizeof h->author, "%s", a->author ? a->author : "");
	snprintf(h->domain, sizeof h->domain, "%s", a->domain ? a->domain : "");
	snprintf(h->tag0, sizeof h->tag0, "%s", a->tags[0] ? a->tags[0] : "");
}

static void test_events_and_counts(void **state)
{
	(void)state;
	capture c;
	cs_ruleset *rs = NULL;
	const char *text = "title: t\nid: rid\nauthor: Jane Doe\ncshare_domain: logging\n"
			   "tags: [attack.defense-evasion]\nlogsource: {product: aws}\n"
			   "detection:\n  s:\n    eventName: StopLogging\n  condition: s\n";
	assert_int_equal(compile_text(text, false, &c, &rs), CS_OK);
	hits h = { 0 };
	cs_matcher *m = NULL;
	assert_int_equal(cs_matcher_new(rs, on_alert, &h, &m), CS_OK);
	cs_event ok = { "{\"eventName\":\"StopLogging\"}", 27, "f.json", 0, 1, "aws", "cloudtrail",
			INT64_MIN };
	cs_event bad = { "{\"eventName\":", 13, "f.json", 1234, 2, "aws", "cloudtrail", INT64_MIN };
	cs_event arr = { "[1,2]", 5, "f.json", 99, 3, "aws", "cloudtrail", INT64_MIN };
	cs_diag_sink sink = { cap, &c, 0, 0 };
	memset(&c, 0, sizeof c);
	assert_int_equal(cs_matcher_feed(m, &ok, &sink), CS_OK);
	assert_int_equal(cs_matcher_feed(m, &bad, &sink), CS_ESYNTAX);
	/* cut short on its first line, where the reader gave no column */
	int k = find(&c, "byte offset 1234: malformed record skipped: invalid JSON: ");
	assert_true(k >= 0);
	assert_non_null(strstr(c.msg[k], "(at end of input, byte offset 1247)"));
	assert_int_equal(c.d[k].line, 2);
	assert_int_equal(c.d[k].col, 0);
	assert_string_equal(c.file[0], "f.json");
	/* a problem on the record's second line: that line and column, and its
	 * offset in the file (17 bytes and a newline, then ' "a": ') */
	cs_event bad2 = { "{\"eventName\":\"x\",\n \"a\": tru}", 28, "f.json", 1000, 7, "aws",
			  "cloudtrail", INT64_MIN, 5 };
	assert_int_equal(cs_matcher_feed(m, &bad2, &sink), CS_ESYNTAX);
	k = find(&c, "byte offset 1000: malformed record skipped: invalid JSON: ");
	assert_true(k >= 0);
	assert_non_null(strstr(c.msg[k], "(at 't', byte offset 1024)"));
	assert_int_equal(c.d[k].line, 8);
	assert_int_equal(c.d[k].col, 7);
	/* on the first line, with the record's column known: 13 bytes in */
	cs_event bad3 = { "{\"eventName\":}", 14, "f.json", 500, 4, "aws", "cloudtrail", INT64_MIN,
			  3 };
	assert_int_equal(cs_matcher_feed(m, &bad3, &sink), CS_ESYNTAX);
	k = find(&c, "byte offset 500: malformed record skipped: invalid JSON: ");
	assert_true(k >= 0);
	assert_non_null(strstr(c.msg[k], "(at '}', byte offset 513)"));
	assert_int_equal(c.d[k].line, 4);
	assert_int_equal(c.d[k].col, 16);
	assert_int_equal(cs_matcher_feed(m, &arr, &sink), CS_ESYNTAX);
	assert_true(find(&c, "byte offset 99: record skipped: not a JSON object") >= 0);
	assert_int_equal(cs_matcher_feed(m, &ok, &sink), CS_OK);
	assert_int_equal(cs_matcher_finish(m), CS_OK);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.author, "Jane Doe");
	assert_string_equal(h.domain, "logging");
	assert_string_equal(h.tag0, "attack.defense-evasion");
	assert_int_equal(cs_matcher_rule_count(m), 1);
	uint64_t n = 0;
	assert_string_equal(cs_matcher_rule_id(m, 0, &n), "rid");
	assert_int_equal(n, 2);
	assert_null(cs_matcher_rule_id(m, 1, &n));
	cs_matcher_free(m);
	cs_ruleset_free(rs);
}

/* A correlation keeps at most 100,000 groups; beyond, one warning. */
static void test_group_limit(void **state)
{
	(void)state;
	capture c;
	cs_ruleset *rs = NULL;
	const char *text = GOOD "---\ntitle: c\nid: c\ncorrelation:\n  type: event_count\n"
			   "  rules: [good]\n  group-by: [u]\n  timespan: 1h\n  condition: {gte: 2}\n";
	assert_int_equal(compile_text(text, false, &c, &rs), CS_OK);
	hits h = { 0 };
	cs_matcher *m = NULL;
	assert_int_equal(cs_matcher_new(rs, on_alert, &h, &m), CS_OK);
	cs_diag_sink sink = { cap, &c, 0, 0 };
	memset(&c, 0, sizeof c);
	char buf[64];
	for (unsigned i = 0; i <= 100000; i++) {
		int n = snprintf(buf, sizeof buf, "{\"a\":1,\"u\":\"%u\"}", i);
		cs_event e = { buf, (size_t)n, "g", i, 0, "aws", "x", 0 };
		assert_int_equal(cs_matcher_feed(m, &e, &sink), CS_OK);
	}
	assert_int_equal(c.warnings, 1);
	assert_true(find(&c, "byte offset 100000") >= 0);
	/* a known group still counts: the second hit of group "7" alerts */
	cs_event again = { "{\"a\":1,\"u\":\"7\"}", 15, "g", 1, 0, "aws", "x", 0 };
	assert_int_equal(cs_matcher_feed(m, &again, &sink), CS_OK);
	assert_int_equal(h.n, 1);
	cs_matcher_free(m);
	cs_ruleset_free(rs);
}

/* Out-of-memory at every allocation of a compile: never a crash or a leak. */
static void test_alloc_failures(void **state)
{
	(void)state;
	const char *text = GOOD "---\ntitle: c\nid: c\ncorrelation:\n  type: event_count\n"
			   "  rules: [good]\n  group-by: [u]\n  timespan: 1m\n  condition: {gte: 2}\n";
	const char *p = write_rule("oom.yml", text);
	const char *paths[] = { p };
	bool ok_seen = false;
	for (unsigned long k = 1; k < 400 && !ok_seen; k++) {
		cs_ruleset *rs = NULL;
		cs_diag_sink sink = { 0 };
		cs_alloc_fail_after(k);
		cs_err rc = cs_ruleset_compile(paths, 1, NULL, &sink, &rs);
		cs_alloc_fail_after(0);
		if (rc == CS_OK) {
			cs_matcher *m = NULL;
			cs_event e = { "{\"a\":1,\"u\":\"x\"}", 15, "f", 0, 0, "aws", "x", 0 };
			if (cs_matcher_new(rs, NULL, NULL, &m) == CS_OK) {
				assert_int_equal(cs_matcher_feed(m, &e, NULL), CS_OK);
				cs_matcher_free(m);
			}
			ok_seen = true;
		} else {
			assert_true(rc == CS_ENOMEM || rc == CS_ECHECK);
			assert_null(rs);
		}
		cs_ruleset_free(rs);
	}
	assert_true(ok_seen);
}

/* Every SigmaHQ rule shipped in /work/shared/data/sigma/rules compiles or
 * is reported unsupported with the feature named. */
static void test_sigmahq_rules(void **state)
{
	(void)state;
	const char *dir = "/work/shared/data/sigma/rules";
	struct stat st;
	if (stat(dir, &st) != 0) {
		skip();
		return;
	}
	capture c;
	memset(&c, 0, sizeof c);
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_ruleset_opts o = { false, CS_SOURCE_DIR "/data/sigma-mappings" };
	const char *paths[] = { dir };
	cs_ruleset *rs = NULL;
	assert_int_equal(cs_ruleset_compile(paths, 1, &o, &sink, &rs), CS_OK);
	for (unsigned i = 0; i < c.n && i < 64; i++)
		if (c.d[i].code != CS_EUNSUPPORTED || !strstr(c.msg[i], "unsupported"))
			printf("unexplained: %s:%u:%u: %s\n", c.file[i], c.d[i].line, c.d[i].col,
			       c.msg[i]);
	assert_int_equal(c.errors, 0);
	assert_int_equal(c.warnings, c.unsupported);
	printf("SigmaHQ: %zu compiled, %u unsupported\n", cs_ruleset_count(rs), c.unsupported);
	assert_int_equal(cs_ruleset_count(rs) + c.unsupported, 261);
	cs_ruleset_free(rs);
}

typedef struct ids {
	char got[16][64];
	unsigned n;
} ids;

static void on_id(void *ud, const cs_alert *a)
{
	ids *x = ud;
	if (x->n < 16)
		snprintf(x->got[x->n++], sizeof x->got[0], "%s", a->rule_id);
}

/* A few SigmaHQ rules on realistic raw events: fieldref, re, the GCP and
 * Azure field mappings. */
static void test_sigmahq_samples(void **state)
{
	(void)state;
	const char *base = "/work/shared/data/sigma/rules";
	struct stat st;
	if (stat(base, &st) != 0) {
		skip();
		return;
	}
	const char *paths[] = {
		"/work/shared/data/sigma/rules/cloud/aws/cloudtrail/aws_update_login_profile.yml",
		"/work/shared/data/sigma/rules/identity/okta/okta_password_in_alternateid_field.yml",
		"/work/shared/data/sigma/rules/cloud/gcp/audit/gcp_bucket_modified_or_deleted.yml",
		"/work/shared/data/sigma/rules/cloud/azure/signin_logs/azure_ad_azurehound_discovery.yml",
	};
	cs_ruleset_opts o = { true, CS_SOURCE_DIR "/data/sigma-mappings" };
	capture c;
	memset(&c, 0, sizeof c);
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_ruleset *rs = NULL;
	assert_int_equal(cs_ruleset_compile(paths, 4, &o, &sink, &rs), CS_OK);
	assert_int_equal(cs_ruleset_count(rs), 4);
	ids x = { .n = 0 };
	cs_matcher *m = NULL;
	assert_int_equal(cs_matcher_new(rs, on_id, &x, &m), CS_OK);
	static const struct {
		const char *p, *s, *json;
	} evs[] = {
		/* 1: alice changes bob's console password: alert */
		{ "aws", "cloudtrail",
		  "{\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"UpdateLoginProfile\","
		  "\"userIdentity\":{\"arn\":\"arn:aws:iam::111122223333:user/alice\"},"
		  "\"requestParameters\":{\"userName\":\"bob\"}}" },
		/* 2: failed Okta login whose alternateId looks like a password: alert */
		{ "okta", "okta",
		  "{\"legacyEventType\":\"core.user_auth.login_failed\","
		  "\"actor\":{\"alternateId\":\"Summer2024!\"}}" },
		/* 3: failed login with an e-mail: filtered */
		{ "okta", "okta",
		  "{\"legacyEventType\":\"core.user_auth.login_failed\","
		  "\"actor\":{\"alternateId\":\"jane.doe@example.com\"}}" },
		/* 4: raw GCP LogEntry, matched through gcp.audit.method_name */
		{ "gcp", "gcp.audit",
		  "{\"logName\":\"projects/p/logs/cloudaudit.googleapis.com%2Factivity\","
		  "\"protoPayload\":{\"serviceName\":\"storage.googleapis.com\","
		  "\"methodName\":\"storage.buckets.delete\"}}" },
		/* 5: raw Entra sign-in record, matched through the column names */
		{ "azure", "signinlogs",
		  "{\"resultType\":\"0\",\"properties\":{\"userAgent\":\"AzureHound/1.2.3\"}}" },
		/* 6: same, failed sign-in: no alert */
		{ "azure", "signinlogs",
		  "{\"resultType\":\"50126\",\"properties\":{\"userAgent\":\"azurehound\"}}" },
	};
	for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++) {
		cs_event e = { evs[i].json, strlen(evs[i].json), "t", i, 0, evs[i].p, evs[i].s, 0 };
		assert_int_equal(cs_matcher_feed(m, &e, &sink), CS_OK);
	}
	assert_int_equal(cs_matcher_finish(m), CS_OK);
	assert_int_equal(x.n, 4);
	assert_string_equal(x.got[0], "055fb148-60f8-462d-ad16-26926ce050f1");
	assert_string_equal(x.got[1], "91b76b84-8589-47aa-9605-c837583b82a9");
	assert_string_equal(x.got[2], "4d9f2ee2-c903-48ab-b9c1-8c0f474913d0");
	assert_string_equal(x.got[3], "35b781cc-1a08-4a5a-80af-42fd7c315c6b");
	cs_matcher_free(m);
	cs_ruleset_free(rs);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/cs_sigma_XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char p[512];
	snprintf(p, sizeof p, "%s/r.yml", tmpdir);
	unlink(p);
	snprintf(p, sizeof p, "%s/oom.yml", tmpdir);
	unlink(p);
	rmdir(tmpdir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_condition_located),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_unsupported_named),
		cmocka_unit_test(test_value_errors),
		cmocka_unit_test(test_correlation_errors),
		cmocka_unit_test(test_duplicate_id),
		cmocka_unit_test(test_correlation_cycle),
		cmocka_unit_test(test_nothing_compiles),
		cmocka_unit_test(test_events_and_counts),
		cmocka_unit_test(test_group_limit),
		cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test(test_sigmahq_rules),
		cmocka_unit_test(test_sigmahq_samples),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
