/* fuzz_detect_diff.c - libFuzzer harness: the matcher with its indexes
 * (on-demand reader, trigger tests, exact hash, Aho-Corasick automata)
 * against the same matcher without any (whole-record parse, every rule and
 * test evaluated directly; cs__matcher_set_reference).  The input is a rule
 * file, optionally followed by a line "#EVENTS" and JSON event lines
 * (product okta, service okta, time = line number in seconds), as for
 * fuzz_sigma_rule.  Both must give the same alerts, with the same matched
 * fields and values, in the same order, and the same per-event results. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detect/detect_int.h"

typedef struct trace {
	cs_buf b;
} trace;

static void add_str(cs_buf *b, const char *s)
{
	(void)cs_buf_puts(b, s ? s : "(null)");
	(void)cs_buf_putc(b, '|');
}

static void on_alert(void *ud, const cs_alert *a)
{
	trace *t = ud;
	add_str(&t->b, a->rule_id);
	add_str(&t->b, a->correlation_type);
	add_str(&t->b, a->group_key);
	for (size_t i = 0; i < a->nfields; i++) {
		add_str(&t->b, a->fields[i]);
		add_str(&t->b, a->values[i]);
	}
	for (size_t i = 0; i < a->ncontributing; i++)
		add_str(&t->b, a->contributing[i]);
	if (a->event)
		(void)cs_buf_append(&t->b, a->event->json, a->event->len);
	(void)cs_buf_putc(&t->b, '\n');
}

static size_t find_sep(const uint8_t *d, size_t n)
{
	static const char sep[] = "\n#EVENTS\n";
	for (size_t i = 0; i + 9 <= n; i++)
		if (memcmp(d + i, sep, 9) == 0)
			return i;
	return n;
}

/* Runs the events through one matcher; the trace of alerts and results. */
static void run(const cs_ruleset *rs, bool reference, const uint8_t *data, size_t size,
		size_t rlen, trace *t)
{
	cs_matcher *m = NULL;
	cs_diag_sink sink = { 0 };
	if (cs_matcher_new(rs, on_alert, t, &m) != CS_OK)
		return;
	cs__matcher_set_reference(m, reference);
	const char *p = rlen < size ? (const char *)data + rlen + 9 : NULL;
	const char *end = (const char *)data + size;
	int64_t tm = 0;
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		cs_event e = { p, n, "fuzz", (uint64_t)(p - (const char *)data), 0, "okta", "okta", tm };
		tm += 1000;
		cs_err rc = cs_matcher_feed(m, &e, &sink);
		(void)cs_buf_printf(&t->b, "=%d\n", (int)rc);
		p = nl ? nl + 1 : NULL;
	}
	(void)cs_matcher_finish(m);
	cs_matcher_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	if (!path[0])
		snprintf(path, sizeof path, "/tmp/fuzz_detect_diff_%ld.yml", (long)getpid());
	size_t rlen = find_sep(data, size);
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	if (rlen)
		fwrite(data, 1, rlen, f);
	fclose(f);
	const char *paths[] = { path };
	cs_diag_sink sink = { 0 };
	cs_ruleset *rs = NULL;
	cs_ruleset_opts o = { false, NULL };
	if (cs_ruleset_compile(paths, 1, &o, &sink, &rs) == CS_OK) {
		trace a, b;
		cs_buf_init(&a.b, 0);
		cs_buf_init(&b.b, 0);
		run(rs, false, data, size, rlen, &a);
		run(rs, true, data, size, rlen, &b);
		if (a.b.len != b.b.len || (a.b.len && memcmp(a.b.data, b.b.data, a.b.len) != 0))
			abort(); /* the indexes changed what matches */
		cs_buf_release(&a.b);
		cs_buf_release(&b.b);
		cs_ruleset_free(rs);
	}
	unlink(path);
	return 0;
}
