/* test_detect_index.c - the matcher's indexes keep Sigma's semantics:
 * trigger tests (a rule is queued only when one of a cheapest set of
 * indexed tests is true), wildcard tests through the per-field
 * Aho-Corasick automaton (shared literals, cased and uncased, arrays,
 * numbers), conditions with `not`, many rules sharing values, and records
 * the on-demand reader leaves to the tree walk (duplicate keys); and every
 * shipped and SigmaHQ rule over every test event, indexed matcher against
 * the reference matcher without indexes.  Also the deferred mode's edges
 * (cs_matcher_defer / cs_matcher_replay): nothing logged without
 * correlations, a log that is not one refused, and the lateness moving
 * when a closing window is judged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "detect/detect_int.h"

static char tmpdir[256];

typedef struct got {
	char ids[4096];
	unsigned n;
} got;

static void on_alert(void *ud, const cs_alert *a)
{
	got *g = ud;
	size_t l = strlen(g->ids);
	snprintf(g->ids + l, sizeof g->ids - l, "%s%s", l ? "," : "", a->rule_id);
	g->n++;
}

static cs_ruleset *compile(const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/r.yml", tmpdir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	const char *paths[] = { path };
	cs_ruleset_opts o = { true, NULL };
	cs_diag_sink sink = { 0 };
	cs_ruleset *rs = NULL;
	assert_int_equal(cs_ruleset_compile(paths, 1, &o, &sink, &rs), CS_OK);
	unlink(path);
	return rs;
}

/* The ids of the rules alerting on one record, in load order. */
static const char *run(cs_ruleset *rs, const char *json)
{
	static got g;
	memset(&g, 0, sizeof g);
	cs_matcher *m = NULL;
	assert_int_equal(cs_matcher_new(rs, on_alert, &g, &m), CS_OK);
	cs_event ev = { json, strlen(json), "t.json", 0, 1, "aws", "cloudtrail", INT64_MIN };
	assert_int_equal(cs_matcher_feed(m, &ev, NULL), CS_OK);
	assert_int_equal(cs_matcher_finish(m), CS_OK);
	cs_matcher_free(m);
	return g.ids;
}

/* One record of a table for versus_reference: its log source, the record
 * and the ids of the rules that must alert on it. */
typedef struct vref {
	const char *product, *service, *json, *want;
} vref;

/* Feeds the records of tab[0..n) in turn to one indexed matcher and one
 * reference matcher (every rule and test evaluated), both kept over all
 * records; each must give exactly the wanted alerts. */
static void versus_reference(cs_ruleset *rs, const vref *tab, size_t n)
{
	got g, gr;
	cs_matcher *m = NULL, *ref = NULL;
	assert_int_equal(cs_matcher_new(rs, on_alert, &g, &m), CS_OK);
	assert_int_equal(cs_matcher_new(rs, on_alert, &gr, &ref), CS_OK);
	cs__matcher_set_reference(ref, true);
	for (size_t i = 0; i < n; i++) {
		cs_event ev = { tab[i].json, strlen(tab[i].json), "t.json", i, 1, tab[i].product,
				tab[i].service, INT64_MIN };
		memset(&g, 0, sizeof g);
		memset(&gr, 0, sizeof gr);
		assert_int_equal(cs_matcher_feed(m, &ev, NULL), CS_OK);
		assert_int_equal(cs_matcher_feed(ref, &ev, NULL), CS_OK);
		if (strcmp(g.ids, tab[i].want) != 0 || strcmp(gr.ids, tab[i].want) != 0)
			fail_msg("event %zu: got '%s', reference '%s', want '%s'", i, g.ids, gr.ids,
				 tab[i].want);
	}
	cs_matcher_free(m);
	cs_matcher_free(ref);
}

/* How many of the rule set's trigger tests are on `field`. */
static size_t triggers_on(const cs_ruleset *rs, const char *field)
{
	size_t n = 0;
	for (size_t i = 0; i < rs->ntests; i++) {
		const cs__test *t = &rs->tests[i];
		if ((t->flags & CS__TF_TRIG) && t->field != CS__NOFIELD &&
		    strcmp(rs->fields[t->field], field) == 0)
			n++;
	}
	return n;
}

/* Every rule has a trigger set: none is evaluated on every event. */
static void assert_none_always(const cs_ruleset *rs)
{
	for (size_t r = 0; r < rs->nrules; r++)
		assert_false(rs->rules[r].always_eval);
}

#define HEAD(id) "title: " id "\nid: " id "\nlogsource: {product: aws, service: cloudtrail}\n"

static const char RULES[] =
	HEAD("r1") "detection:\n  s:\n    f|contains: aws-cli\n  condition: s\n---\n"
	HEAD("r2") "detection:\n  s:\n    f|contains|cased: AWS-CLI\n  condition: s\n---\n"
	HEAD("r3") "detection:\n  s:\n    eventSource: kms.amazonaws.com\n"
		   "  ua:\n    f|startswith: aws\n  condition: s and ua\n---\n"
	HEAD("r4") "detection:\n  s:\n    eventSource: kms.amazonaws.com\n"
		   "  filter:\n    f|endswith: x\n  condition: s and not filter\n---\n"
	HEAD("r5") "detection:\n  s:\n    n: 42\n  t:\n    g: 'a*b?c'\n  condition: s or t\n---\n"
	HEAD("r6") "detection:\n  s:\n    f|contains|all: [aws, cli]\n  condition: s\n---\n"
	HEAD("r7") "detection:\n  s:\n    eventSource|endswith: .amazonaws.com\n"
		   "    eventName: [Decrypt, Encrypt]\n  condition: s\n";

static void test_semantics(void **state)
{
	(void)state;
	cs_ruleset *rs = compile(RULES);
	/* uncased contains matches any case, cased only its own */
	assert_string_equal(run(rs, "{\"eventSource\":\"kms.amazonaws.com\",\"f\":\"AWS-CLI/2\"}"),
			    "r1,r2,r3,r4,r6");
	/* the filter (endswith x) removes r4; r2 is cased */
	assert_string_equal(run(rs, "{\"eventSource\":\"kms.amazonaws.com\",\"f\":\"aws-cli x\"}"),
			    "r1,r3,r6");
	/* array elements: any value matches */
	assert_string_equal(run(rs, "{\"eventSource\":\"s3\",\"f\":[\"nope\",\"my aws-cli\"]}"),
			    "r1,r6");
	/* startswith is anchored: "aws" inside is not enough for r3; r4 holds */
	assert_string_equal(run(rs, "{\"eventSource\":\"kms.amazonaws.com\",\"f\":\"my-aws\"}"),
			    "r4");
	/* a field the event lacks: no positive test matches; not(filter) holds */
	assert_string_equal(run(rs, "{\"eventSource\":\"kms.amazonaws.com\"}"), "r4");
	/* numbers match by value, wildcards ? and * over a string */
	assert_string_equal(run(rs, "{\"n\":42.0}"), "r5");
	assert_string_equal(run(rs, "{\"g\":\"AxxBzc\"}"), "r5");
	assert_string_equal(run(rs, "{\"g\":\"Axxbc\"}"), "");
	/* exact and wildcard tests in one selection */
	assert_string_equal(run(rs, "{\"eventSource\":\"KMS.amazonaws.com\",\"eventName\":\"decrypt\"}"),
			    "r4,r7");
	/* a duplicate key: the last value counts (the record is read whole) */
	assert_string_equal(run(rs, "{\"eventSource\":\"s3\",\"f\":\"aws-cli\",\"f\":\"zzz\"}"), "");
	assert_string_equal(run(rs, "{\"eventSource\":\"s3\",\"f\":\"zzz\",\"f\":\"aws-cli\"}"),
			    "r1,r6");
	/* a dotted key standing for a path */
	assert_string_equal(run(rs, "{\"eventSource\":\"s3\",\"f.x\":1,\"f\":\"aws-cli\"}"), "r1,r6");
	cs_ruleset_free(rs);
}

/* Many rules sharing the same values and literals: only the one whose
 * distinct value the event carries alerts. */
static void test_many_rules(void **state)
{
	(void)state;
	size_t cap = 600 * 400, n = 0;
	char *text = cs_malloc(cap);
	assert_non_null(text);
	for (int i = 0; i < 600; i++)
		n += (size_t)snprintf(text + n, cap - n,
				      "%stitle: m%d\nid: m%d\nlogsource: {product: aws}\n"
				      "detection:\n  s:\n    eventSource: iam.amazonaws.com\n"
				      "    eventName: Call%d\n  ua:\n    userAgent|contains: '%s'\n"
				      "  condition: s and ua\n",
				      i ? "---\n" : "", i, i, i, i % 2 ? "boto" : "aws-cli");
	cs_ruleset *rs = compile(text);
	cs_free(text);
	assert_int_equal(cs_ruleset_count(rs), 600);
	assert_string_equal(run(rs, "{\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"Call17\","
				    "\"userAgent\":\"Boto3/1.2\"}"),
			    "m17");
	assert_string_equal(run(rs, "{\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"Call17\","
				    "\"userAgent\":\"aws-cli\"}"),
			    "");
	assert_string_equal(run(rs, "{\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"Call598\","
				    "\"userAgent\":\"x aws-cli y\"}"),
			    "m598");
	cs_ruleset_free(rs);
}

/* A literal shared by many rules is a poor trigger: its hit would queue
 * every one of them.  300 rules, each naming its own event names (one
 * written twice, which counts double) and a user-agent literal shared by
 * all: the event names are the triggers, the shared literal is not (it
 * was, before the automaton's cost counted the sharing: every event with
 * Boto3 in its user agent then evaluated all 300 rules). */
static void test_trigger_sharing(void **state)
{
	(void)state;
	size_t cap = 300 * 400, n = 0;
	char *text = cs_malloc(cap);
	assert_non_null(text);
	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(text + n, cap - n,
				      "%stitle: t%d\nid: t%d\nlogsource: {product: aws}\n"
				      "detection:\n  s:\n    eventSource: ec2.amazonaws.com\n"
				      "    eventName: [Run%d, Stop%d, Stop%d]\n"
				      "  ua:\n    userAgent|contains: Boto3\n  condition: s and ua\n",
				      i ? "---\n" : "", i, i, i, i, i);
	cs_ruleset *rs = compile(text);
	cs_free(text);
	assert_int_equal(cs_ruleset_count(rs), 300);
	assert_int_equal(triggers_on(rs, "userAgent"), 0);
	assert_int_equal(triggers_on(rs, "eventName"), 900);
	assert_none_always(rs);
	/* and the semantics hold either way */
	assert_string_equal(run(rs, "{\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"Stop7\","
				    "\"userAgent\":\"Boto3/1.34\"}"),
			    "t7");
	assert_string_equal(run(rs, "{\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"Stop7\","
				    "\"userAgent\":\"aws-cli/2\"}"),
			    "");
	cs_ruleset_free(rs);
}

/* Exact tests that are not triggers are answered by the exact index too
 * (a rule's other values, cased and uncased, numbers by value), looked up
 * when a program first asks; and the index passes visit only the fields of
 * the current log source's rules, with one matcher switching sources. */
static const char XRULES[] =
	HEAD("x1") "detection:\n  s:\n    eventSource: s3.amazonaws.com\n"
		   "    eventName: [PutBucketLogging, RestoreObject]\n  condition: s\n---\n"
	HEAD("x2") "detection:\n  s:\n    ua|contains: boto\n    code|cased: AccessDenied\n"
		   "    n: 7\n  condition: s\n---\n"
	"title: x3\nid: x3\nlogsource: {product: azure, service: activitylogs}\n"
	"detection:\n  s:\n    code: accessdenied\n  condition: s\n---\n"
	HEAD("x4") "detection:\n  s:\n    eventSource: kms.amazonaws.com\n"
		   "  filter:\n    eventName: Decrypt\n  condition: s and not filter\n";

static void test_nontrigger_exact(void **state)
{
	(void)state;
	static const vref tab[] = {
		{ "aws", "cloudtrail", "{\"eventSource\":\"S3.amazonaws.com\",\"eventName\":\"restoreobject\"}", "x1" },
		{ "aws", "cloudtrail", "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"RestoreObjects\"}", "" },
		{ "aws", "cloudtrail", "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":[\"x\",\"PutBucketLogging\"]}", "x1" },
		{ "aws", "cloudtrail", "{\"ua\":\"Boto3\",\"code\":\"AccessDenied\",\"n\":7.0}", "x2" },
		{ "aws", "cloudtrail", "{\"ua\":\"Boto3\",\"code\":\"accessdenied\",\"n\":7}", "" },
		{ "aws", "cloudtrail", "{\"ua\":\"Boto3\",\"code\":\"AccessDenied\",\"n\":\"7\"}", "x2" },
		{ "aws", "cloudtrail", "{\"ua\":\"Boto3\",\"code\":\"AccessDenied\",\"n\":70}", "" },
		{ "aws", "cloudtrail", "{\"ua\":\"Boto3\",\"code\":null,\"n\":7}", "" },
		/* x3 is for Azure: its field is not indexed for CloudTrail */
		{ "aws", "cloudtrail", "{\"code\":\"AccessDenied\"}", "" },
		{ "azure", "activitylogs", "{\"code\":\"AccessDenied\",\"ua\":\"boto\",\"n\":7}", "x3" },
		{ "aws", "cloudtrail", "{\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"decrypt\"}", "" },
		{ "aws", "cloudtrail", "{\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"Encrypt\"}", "x4" },
		{ "aws", "cloudtrail", "{\"eventSource\":\"kms.amazonaws.com\"}", "x4" },
		{ "azure", "activitylogs", "{\"code\":\"ACCESSDENIED\"}", "x3" },
		{ "aws", "cloudtrail", "{\"ua\":\"boto\",\"code\":\"AccessDenied\",\"n\":7}", "x2" },
	};
	cs_ruleset *rs = compile(XRULES);
	versus_reference(rs, tab, sizeof tab / sizeof tab[0]);
	cs_ruleset_free(rs);
}

/* The choice of a rule's trigger tests (compile.c triggers): an exact
 * test's cost is how many tests share its key times its field's weight,
 * the most distinct values any field's tests name over the field's own
 * number.  Three rules, s3.amazonaws.com in each (3 tests share that key:
 * cost 3 unweighted) and four event names of their own (cost 4).
 * eventSource has 1 distinct value, eventName 12: weights 12 and 1, so the
 * shared source costs 36 and the names stay at 4: the rules are queued on
 * their names, not on every S3 event. */
static const char TRULES[] =
	HEAD("a") "detection:\n  s:\n    eventSource: s3.amazonaws.com\n"
		  "    eventName: [A1, A2, A3, A4]\n  condition: s\n---\n"
	HEAD("b") "detection:\n  s:\n    eventSource: s3.amazonaws.com\n"
		  "    eventName: [B1, B2, B3, B4]\n  condition: s\n---\n"
	HEAD("c") "detection:\n  s:\n    eventSource: s3.amazonaws.com\n"
		  "    eventName: [C1, C2, C3, C4]\n  condition: s\n";

static void test_trigger_field_weight(void **state)
{
	(void)state;
	cs_ruleset *rs = compile(TRULES);
	assert_int_equal(cs_ruleset_count(rs), 3);
	assert_int_equal(triggers_on(rs, "eventSource"), 0);
	assert_int_equal(triggers_on(rs, "eventName"), 12);
	assert_none_always(rs);
	/* the alerts are the reference matcher's (values match
	 * case-insensitively; both fields are needed) */
	static const vref tab[] = {
		{ "aws", "cloudtrail", "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"B3\"}", "b" },
		{ "aws", "cloudtrail", "{\"eventSource\":\"S3.amazonaws.com\",\"eventName\":\"c4\"}", "c" },
		{ "aws", "cloudtrail", "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"D1\"}", "" },
		{ "aws", "cloudtrail", "{\"eventSource\":\"s3.amazonaws.com\"}", "" },
		{ "aws", "cloudtrail", "{\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"A1\"}", "" },
		{ "aws", "cloudtrail", "{\"eventName\":\"A1\"}", "" },
		{ "aws", "cloudtrail", "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":[\"x\",\"A2\"]}", "a" },
		{ "aws", "cloudtrail", "{\"eventSource\":[\"s3.amazonaws.com\"],\"eventName\":\"A2\"}", "a" },
	};
	versus_reference(rs, tab, sizeof tab / sizeof tab[0]);
	cs_ruleset_free(rs);
}

/* The literal a regex's matches must contain (PCRE2 syntax), which puts
 * the regex behind its field's automaton; none when unsure. */
static void test_re_literal(void **state)
{
	(void)state;
	static const struct {
		const char *re, *want;
	} tab[] = {
		{ ".+:assumed-role/aws:.+", ":assumed-role/aws:" },
		{ "abc", "abc" },
		{ "abc?d", "ab" },          /* c may be absent */
		{ "ab+cd", "ab" },          /* b once at least: runs ab, cd */
		{ "abc*?", "ab" },          /* lazy quantifier */
		{ "x[abc]yz\\.exe$", "yz.exe" },
		{ "\\d{2,4}-admin", "-admin" },
		{ "a{2}bcd", "bcd" },
		{ "(foo)bar*", "ba" },
		{ "[]a]xyz", "xyz" },       /* ']' first in a class is literal */
		{ "[^]a]xyz", "xyz" },
		{ "a\\w+bcd", "bcd" },
		{ "\xc3\xa9vil", "vil" },   /* non-ASCII bytes end a run */
		{ "^/etc/passwd", "/etc/passwd" },
		{ "foo|barbaz", "" },       /* alternation */
		{ "(?i)secret", "" },       /* inline option */
		{ "x(?=y)zzz", "" },
		{ "(*UTF)abc", "" },
		{ "a{x}bcd", "" },          /* a brace that is no quantifier */
		{ "[[:alpha:]]+key", "" },  /* POSIX class inside a class */
		{ "\\Qa.b\\E", "" },
		{ "a)b", "" },
		{ "(ab", "" },
		{ "[ab", "" },
		{ "\\", "" },
		{ ".*", "" },
	};
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		char out[64];
		size_t n = cs__re_literal(tab[i].re, strlen(tab[i].re), out);
		if (n != strlen(tab[i].want) || memcmp(out, tab[i].want, n) != 0)
			fail_msg("%s: got '%.*s', want '%s'", tab[i].re, (int)n, out, tab[i].want);
	}
}

/* A regex behind its literal: the automaton (case-insensitive) only
 * proposes values, the regex decides, with `not` around it too. */
static const char RERULES[] =
	HEAD("e1") "detection:\n  s:\n    arn|re: '.+:assumed-role/aws:.+'\n"
		   "  f:\n    - eventSource: ssm.amazonaws.com\n    - eventName: RegisterManagedInstance\n"
		   "  condition: s and not 1 of f*\n---\n"
	HEAD("e2") "detection:\n  s:\n    eventName: Get\n  n:\n    arn|re: 'role/ad+min$'\n"
		   "  condition: s and not n\n";

static void test_re_behind_literal(void **state)
{
	(void)state;
	cs_ruleset *rs = compile(RERULES);
	assert_string_equal(run(rs, "{\"arn\":\"arn:aws:sts::1:assumed-role/aws:x\"}"), "e1");
	assert_string_equal(run(rs, "{\"arn\":\"arn:aws:sts::1:assumed-role/AWS:x\"}"), "");
	assert_string_equal(run(rs, "{\"arn\":[\"z\",\"a:assumed-role/aws:b\"]}"), "e1");
	assert_string_equal(run(rs, "{\"arn\":\":assumed-role/aws:\"}"), "");
	assert_string_equal(run(rs, "{\"arn\":\"a:assumed-role/aws:b\",\"eventSource\":\"ssm.amazonaws.com\"}"), "");
	assert_string_equal(run(rs, "{\"eventName\":\"Get\",\"arn\":\"x:role/addmin\"}"), "");
	assert_string_equal(run(rs, "{\"eventName\":\"Get\",\"arn\":\"x:role/admin2\"}"), "e2");
	assert_string_equal(run(rs, "{\"eventName\":\"Get\",\"arn\":\"x:ROLE/admin\"}"), "e2");
	cs_ruleset_free(rs);
}

typedef struct trace {
	cs_buf b;
} trace;

static void on_trace(void *ud, const cs_alert *a)
{
	trace *t = ud;
	(void)cs_buf_printf(&t->b, "%s|%s|%s|%zu", a->rule_id, a->correlation_type ? a->correlation_type : "",
			    a->group_key ? a->group_key : "", a->nfields);
	for (size_t i = 0; i < a->nfields; i++)
		(void)cs_buf_printf(&t->b, "|%s=%s", a->fields[i], a->values[i]);
	(void)cs_buf_printf(&t->b, "|%llu\n", a->event ? (unsigned long long)a->event->offset : 0ull);
}

/* Every shipped rule and every SigmaHQ rule over the shipped rules' test
 * events (tests/cases/detect): the same alerts with and without indexes. */
static void test_reference(void **state)
{
	(void)state;
	const char *paths[] = { CS_SOURCE_DIR "/rules", "/work/shared/data/sigma/rules" };
	size_t np = access(paths[1], R_OK) == 0 ? 2 : 1;
	cs_ruleset_opts o = { false, CS_SOURCE_DIR "/data/sigma-mappings" };
	cs_diag_sink quiet = { 0 };
	cs_ruleset *rs = NULL;
	assert_int_equal(cs_ruleset_compile(paths, np, &o, &quiet, &rs), CS_OK);
	trace a, b;
	cs_buf_init(&a.b, 0);
	cs_buf_init(&b.b, 0);
	cs_matcher *mi = NULL, *mr = NULL;
	assert_int_equal(cs_matcher_new(rs, on_trace, &a, &mi), CS_OK);
	assert_int_equal(cs_matcher_new(rs, on_trace, &b, &mr), CS_OK);
	cs__matcher_set_reference(mr, true);
	cs_logreader *lr = NULL;
	cs_diag_sink lq = { 0 };
	assert_int_equal(cs_logreader_new(&lq, &lr), CS_OK);
	assert_int_equal(cs_logreader_add_path(lr, CS_SOURCE_DIR "/tests/cases/detect"), CS_OK);
	cs_event ev;
	unsigned n = 0;
	while (cs_logreader_next(lr, &ev) == CS_OK) {
		cs_err r1 = cs_matcher_feed(mi, &ev, &quiet);
		cs_err r2 = cs_matcher_feed(mr, &ev, &quiet);
		assert_int_equal(r1, r2);
		n++;
	}
	assert_int_equal(cs_matcher_finish(mi), CS_OK);
	assert_int_equal(cs_matcher_finish(mr), CS_OK);
	assert_true(n > 80);
	assert_true(a.b.len > 0);
	assert_int_equal(a.b.len, b.b.len);
	assert_memory_equal(a.b.data, b.b.data, a.b.len);
	cs_logreader_free(lr);
	cs_matcher_free(mi);
	cs_matcher_free(mr);
	cs_buf_release(&a.b);
	cs_buf_release(&b.b);
	cs_ruleset_free(rs);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/cs_index_XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	rmdir(tmpdir);
	return 0;
}

static void test_defer_edges(void **state)
{
	(void)state;
	/* no correlation in the rule set: alerts as usual, an empty log */
	cs_ruleset *rs = compile(RULES);
	got g;
	memset(&g, 0, sizeof g);
	cs_matcher *m = NULL;
	cs_buf log;
	cs_buf_init(&log, 0);
	assert_int_equal(cs_matcher_new(rs, on_alert, &g, &m), CS_OK);
	cs_matcher_defer(m, &log);
	static const char rec[] = "{\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"Decrypt\"}";
	cs_event ev = { rec, strlen(rec), "t.json", 0, 1, "aws", "cloudtrail", 1000 };
	assert_int_equal(cs_matcher_feed(m, &ev, NULL), CS_OK);
	assert_string_equal(g.ids, "r4,r7");
	assert_int_equal(log.len, 0);
	/* a log that is not one */
	assert_int_equal(cs_buf_append(&log, "Hxx", 3), CS_OK);
	assert_int_equal(cs_matcher_replay(m, &log, NULL, NULL, NULL), CS_EINVAL);
	log.len = 0;
	assert_int_equal(cs_buf_append(&log, "Q", 1), CS_OK);
	assert_int_equal(cs_matcher_replay(m, &log, NULL, NULL, NULL), CS_EINVAL);
	cs_matcher_defer(m, NULL);
	cs_matcher_free(m);
	cs_ruleset_free(rs);

	/* a closing window (lt) and the lateness: with 0 the window of the
	 * event at 0 s (timespan 10 s) is judged when the event at 10.001 s
	 * arrives, before that event's own alert; with the default (1 h) at
	 * the end of the stream, after it */
	rs = compile(HEAD("base") "name: base\ndetection:\n  s:\n    eventName: X\n  condition: s\n---\n"
		     HEAD("other") "detection:\n  s:\n    eventName: Y\n  condition: s\n---\n"
		     "title: lone\nid: lone\ncorrelation:\n  type: event_count\n  rules: [base]\n"
		     "  group-by: [u]\n  timespan: 10s\n  condition: {lt: 2}\n");
	static const char x[] = "{\"eventName\":\"X\",\"u\":\"a\"}";
	static const char y[] = "{\"eventName\":\"Y\",\"u\":\"b\"}";
	for (int lateness = 0; lateness < 2; lateness++) {
		memset(&g, 0, sizeof g);
		assert_int_equal(cs_matcher_new(rs, on_alert, &g, &m), CS_OK);
		if (lateness == 0)
			cs_matcher_set_lateness(m, 0);
		cs_event e1 = { x, strlen(x), "t.json", 0, 1, "aws", "cloudtrail", 0 };
		cs_event e2 = { y, strlen(y), "t.json", 100, 2, "aws", "cloudtrail", 10001 };
		assert_int_equal(cs_matcher_feed(m, &e1, NULL), CS_OK);
		assert_int_equal(cs_matcher_feed(m, &e2, NULL), CS_OK);
		assert_int_equal(cs_matcher_finish(m), CS_OK);
		assert_string_equal(g.ids, lateness == 0 ? "lone,other" : "other,lone");
		cs_matcher_free(m);
	}
	cs_ruleset_free(rs);
	cs_buf_release(&log);
}

/* Group-by fields no detection test uses are read by the event reader (the
 * rule set collects them, cs__corr_fields), with the tree walk's meaning:
 * the first value along the path (array elements in order), escapes
 * decoded, a number as written, a missing, null or object value empty;
 * the reference mode (whole-event parse) agrees. */
typedef struct keys {
	char s[2048];
} keys;

static void on_key(void *ud, const cs_alert *a)
{
	keys *k = ud;
	size_t l = strlen(k->s);
	if (a->group_key)
		snprintf(k->s + l, sizeof k->s - l, "%s[%s]", l ? "," : "", a->group_key);
}

static void test_corr_group_fields(void **state)
{
	(void)state;
	cs_ruleset *rs = compile(HEAD("base") "detection:\n  s:\n    eventName: X\n  condition: s\n---\n"
				 "title: c\nid: c\ncorrelation:\n  type: event_count\n  rules: [base]\n"
				 "  group-by: [userIdentity.arn, n]\n  timespan: 10s\n"
				 "  condition: {gte: 1}\n");
	static const char *const recs[] = {
		"{\"eventName\":\"X\",\"userIdentity\":{\"arn\":\"a\\u0062c\"},\"n\":1.50}",
		"{\"eventName\":\"X\",\"userIdentity\":[{\"x\":1},{\"arn\":\"d\"},{\"arn\":\"e\"}]}",
		"{\"eventName\":\"X\",\"userIdentity\":{\"arn\":null},\"n\":{\"a\":1}}",
		"{\"eventName\":\"X\",\"userIdentity\":{\"arn\":[true,\"f\"]},\"n\":\"g\"}",
	};
	for (int ref = 0; ref < 2; ref++) {
		keys k;
		memset(&k, 0, sizeof k);
		cs_matcher *m = NULL;
		assert_int_equal(cs_matcher_new(rs, on_key, &k, &m), CS_OK);
		cs__matcher_set_reference(m, ref != 0);
		for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
			cs_event ev = { recs[i], strlen(recs[i]), "t.json", 100 * i, (uint32_t)i + 1,
					"aws", "cloudtrail", (int64_t)(20000 * i) };
			assert_int_equal(cs_matcher_feed(m, &ev, NULL), CS_OK);
		}
		assert_int_equal(cs_matcher_finish(m), CS_OK);
		assert_string_equal(k.s, "[userIdentity.arn=abc,n=1.50],[userIdentity.arn=d,n=],"
					 "[userIdentity.arn=,n=],[userIdentity.arn=true,n=g]");
		cs_matcher_free(m);
	}
	cs_ruleset_free(rs);
}

/* The matched fields' values come with their lengths (cs_alert.value_lens),
 * each its value's strlen: a value as written in the record, one with
 * escapes (decoded, "\u0000" ending the text as before), null, a number,
 * one too long for the matcher's stack block; in both modes. */
static void on_lens(void *ud, const cs_alert *a)
{
	keys *k = ud;
	size_t l = strlen(k->s);
	assert_non_null(a->value_lens);
	for (size_t i = 0; i < a->nfields; i++) {
		assert_int_equal(a->value_lens[i], strlen(a->values[i]));
		l = strlen(k->s);
		snprintf(k->s + l, sizeof k->s - l, "%s%s=%.8s/%zu", l ? "," : "", a->fields[i],
			 a->values[i], a->value_lens[i]);
	}
}

static void test_matched_lengths(void **state)
{
	(void)state;
	cs_ruleset *rs = compile(HEAD("l") "detection:\n  s:\n    eventName: X\n"
				 "  t:\n    userAgent|contains: q\n  condition: s and t\n");
	char big[700];
	snprintf(big, sizeof big, "{\"eventName\":\"X\",\"userAgent\":\"%0600d\"}", 0);
	memset(strstr(big, "0000"), 'q', 600);
	const char *recs[] = {
		"{\"eventName\":\"X\",\"userAgent\":\"abq\"}",
		"{\"eventName\":\"X\",\"userAgent\":\"q\\u0000zz\"}",
		"{\"eventName\":\"\\u0058\",\"userAgent\":\"p\\u0071r\"}",
		big,
	};
	for (int ref = 0; ref < 2; ref++) {
		keys k;
		memset(&k, 0, sizeof k);
		cs_matcher *m = NULL;
		assert_int_equal(cs_matcher_new(rs, on_lens, &k, &m), CS_OK);
		cs__matcher_set_reference(m, ref != 0);
		for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
			cs_event ev = { recs[i], strlen(recs[i]), "t.json", 100 * i, (uint32_t)i + 1,
					"aws", "cloudtrail", INT64_MIN };
			assert_int_equal(cs_matcher_feed(m, &ev, NULL), CS_OK);
		}
		assert_int_equal(cs_matcher_finish(m), CS_OK);
		assert_string_equal(k.s, "eventName=X/1,userAgent=abq/3,eventName=X/1,userAgent=q/1,"
					 "eventName=X/1,userAgent=pqr/3,eventName=X/1,userAgent=qqqqqqqq/600");
		cs_matcher_free(m);
	}
	cs_ruleset_free(rs);
}

/* Every matched value arrives whole, whatever its length: each side of
 * the matcher's short copies (4, 8, 16 and 32 bytes) and of its stack
 * block (with two fields: 461 bytes of userAgent still fit, 462 take the
 * arena); in both modes. */
typedef struct vals {
	char ua[600];
	size_t n, bad;
} vals;

static void on_vals(void *ud, const cs_alert *a)
{
	vals *k = ud;
	k->n++;
	for (size_t i = 0; i < a->nfields; i++) {
		const char *want = strcmp(a->fields[i], "eventName") == 0 ? "X" : k->ua;
		if (strcmp(a->values[i], want) != 0 || a->value_lens[i] != strlen(want))
			k->bad++;
	}
}

static void test_matched_value_copies(void **state)
{
	(void)state;
	cs_ruleset *rs = compile(HEAD("c") "detection:\n  s:\n    eventName: X\n"
				 "  t:\n    userAgent|contains: q\n  condition: s and t\n");
	static const size_t lens[] = { 1,  2,  3,  4,  5,  7,  8,  9,  15,  16,  17,  31,
				       32, 33, 40, 63, 64, 65, 100, 460, 461, 462, 463, 590 };
	for (int ref = 0; ref < 2; ref++) {
		for (size_t j = 0; j < sizeof lens / sizeof lens[0]; j++) {
			vals k;
			char rec[700];
			memset(&k, 0, sizeof k);
			for (size_t i = 0; i < lens[j]; i++)
				k.ua[i] = (char)('a' + (i * 7 + j) % 26);
			k.ua[lens[j] - 1] = 'q';
			snprintf(rec, sizeof rec, "{\"eventName\":\"X\",\"userAgent\":\"%s\"}", k.ua);
			cs_matcher *m = NULL;
			assert_int_equal(cs_matcher_new(rs, on_vals, &k, &m), CS_OK);
			cs__matcher_set_reference(m, ref != 0);
			cs_event ev = { rec, strlen(rec), "t.json", 0, 1, "aws", "cloudtrail", INT64_MIN };
			assert_int_equal(cs_matcher_feed(m, &ev, NULL), CS_OK);
			assert_int_equal(cs_matcher_finish(m), CS_OK);
			assert_int_equal(k.n, 1);
			assert_int_equal(k.bad, 0);
			cs_matcher_free(m);
		}
	}
	cs_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_semantics),
		cmocka_unit_test(test_many_rules),
		cmocka_unit_test(test_trigger_sharing),
		cmocka_unit_test(test_nontrigger_exact),
		cmocka_unit_test(test_trigger_field_weight),
		cmocka_unit_test(test_re_literal),
		cmocka_unit_test(test_re_behind_literal),
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_defer_edges),
		cmocka_unit_test(test_corr_group_fields),
		cmocka_unit_test(test_matched_lengths),
		cmocka_unit_test(test_matched_value_copies),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
