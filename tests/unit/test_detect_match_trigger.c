/* test_detect_match_trigger.c - the choice of a rule's trigger tests
 * (compile.c triggers): an exact test's cost is how many tests share its
 * key times its field's weight, the most distinct values any field's
 * tests name over the field's own number.  Rules that all name the same
 * eventSource and each their own event names are queued on the event
 * names (a field of which rules name few values likely takes few, so its
 * value is common), even where the shared value alone would have cost
 * less than a rule's list of names; the matcher's alerts are the
 * reference matcher's either way. */
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
	char ids[512];
} got;

static void on_alert(void *ud, const cs_alert *a)
{
	got *g = ud;
	size_t l = strlen(g->ids);
	snprintf(g->ids + l, sizeof g->ids - l, "%s%s", l ? "," : "", a->rule_id);
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

#define HEAD(id) "title: " id "\nid: " id "\nlogsource: {product: aws, service: cloudtrail}\n"

/* Three rules, s3.amazonaws.com in each (3 tests share that key: cost 3
 * unweighted) and four event names of their own (cost 4).  eventSource
 * has 1 distinct value, eventName 12: weights 12 and 1, so the shared
 * source costs 36 and the names stay at 4. */
static const char RULES[] =
	HEAD("a") "detection:\n  s:\n    eventSource: s3.amazonaws.com\n"
		  "    eventName: [A1, A2, A3, A4]\n  condition: s\n---\n"
	HEAD("b") "detection:\n  s:\n    eventSource: s3.amazonaws.com\n"
		  "    eventName: [B1, B2, B3, B4]\n  condition: s\n---\n"
	HEAD("c") "detection:\n  s:\n    eventSource: s3.amazonaws.com\n"
		  "    eventName: [C1, C2, C3, C4]\n  condition: s\n";

static void test_trigger_field_weight(void **state)
{
	(void)state;
	cs_ruleset *rs = compile(RULES);
	assert_int_equal(cs_ruleset_count(rs), 3);
	size_t trig_names = 0, trig_source = 0;
	for (size_t i = 0; i < rs->ntests; i++) {
		const cs__test *t = &rs->tests[i];
		if (!(t->flags & CS__TF_TRIG))
			continue;
		if (strcmp(rs->fields[t->field], "eventName") == 0)
			trig_names++;
		else if (strcmp(rs->fields[t->field], "eventSource") == 0)
			trig_source++;
	}
	assert_int_equal(trig_source, 0);
	assert_int_equal(trig_names, 12);
	for (size_t r = 0; r < rs->nrules; r++)
		assert_false(rs->rules[r].always_eval);
	cs_ruleset_free(rs);
}

/* The alerts, indexed and reference matcher, one matcher kept over all
 * events (values match case-insensitively; both fields are needed). */
static void test_trigger_semantics(void **state)
{
	(void)state;
	static const struct {
		const char *json, *want;
	} tab[] = {
		{ "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"B3\"}", "b" },
		{ "{\"eventSource\":\"S3.amazonaws.com\",\"eventName\":\"c4\"}", "c" },
		{ "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"D1\"}", "" },
		{ "{\"eventSource\":\"s3.amazonaws.com\"}", "" },
		{ "{\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"A1\"}", "" },
		{ "{\"eventName\":\"A1\"}", "" },
		{ "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":[\"x\",\"A2\"]}", "a" },
		{ "{\"eventSource\":[\"s3.amazonaws.com\"],\"eventName\":\"A2\"}", "a" },
	};
	cs_ruleset *rs = compile(RULES);
	got g, gr;
	cs_matcher *m = NULL, *ref = NULL;
	assert_int_equal(cs_matcher_new(rs, on_alert, &g, &m), CS_OK);
	assert_int_equal(cs_matcher_new(rs, on_alert, &gr, &ref), CS_OK);
	cs__matcher_set_reference(ref, true);
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		cs_event ev = { tab[i].json, strlen(tab[i].json), "t.json", i, 1, "aws",
				"cloudtrail", INT64_MIN };
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
	cs_ruleset_free(rs);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/cs_trig_XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	rmdir(tmpdir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trigger_field_weight),
		cmocka_unit_test(test_trigger_semantics),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
