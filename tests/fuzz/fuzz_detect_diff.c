/* fuzz_detect_diff.c - libFuzzer harness: the matcher with its indexes
 * (on-demand reader, trigger tests, exact hash, Aho-Corasick automata)
 * against the same matcher without any (whole-record parse, every rule and
 * test evaluated directly; cs__matcher_set_reference).  The input is a rule
 * file, optionally followed by a line "#EVENTS" and JSON event lines
 * (product okta, service okta, time = line number in seconds), as for
 * fuzz_sigma_rule.  Both must give the same alerts, with the same matched
 * fields and values, in the same order, and the same per-event results.
 * A third run does what `cshare detect -j 2` does: chunks of two events
 * given in turn to two matchers in deferred mode, each chunk's log replayed
 * into a correlation matcher with the chunk's alerts spliced in; it must
 * give the alerts of the first run, in the same order.  Events are a second
 * apart and every matcher's lateness is 3 s, so correlation groups expire
 * (and are judged at expiry) during a run. */
#define LATENESS_MS 3000
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

/* split run: the deferred matchers' alerts go to the current chunk */
typedef struct chunk {
	trace t;
	size_t ends[64];
	size_t n;
	bool over;  /* more alerts than ends: the harness gives up (no check) */
	size_t moved;
	trace *dst;
} chunk;

static void on_alert(void *ud, const cs_alert *a);

static void on_chunk_alert(void *ud, const cs_alert *a)
{
	chunk *c = *(chunk **)ud;
	on_alert(&c->t, a);
	if (c->n < 64)
		c->ends[c->n++] = c->t.b.len;
	else
		c->over = true;
}

static void chunk_sync(void *ud, uint64_t n)
{
	chunk *c = ud;
	if (n > c->n)
		n = c->n;
	for (; c->moved < n; c->moved++) {
		size_t from = c->moved ? c->ends[c->moved - 1] : 0;
		(void)cs_buf_append(&c->dst->b, c->t.b.data + from, c->ends[c->moved] - from);
	}
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

/* The events through two deferred matchers and a replay; false when the
 * harness's own limits were reached (then there is nothing to compare). */
static bool run_split(const cs_ruleset *rs, const uint8_t *data, size_t size, size_t rlen,
		      trace *t)
{
	cs_matcher *m = NULL, *w[2] = { NULL, NULL };
	cs_diag_sink sink = { 0 };
	chunk *cur = cs_calloc(1, sizeof *cur);
	cs_event ev[2];
	cs_buf log;
	bool ok = cur != NULL;
	size_t in = 0, nchunk = 0;
	cs_buf_init(&log, 0);
	if (!ok || cs_matcher_new(rs, on_alert, t, &m) != CS_OK ||
	    cs_matcher_new(rs, on_chunk_alert, &cur, &w[0]) != CS_OK ||
	    cs_matcher_new(rs, on_chunk_alert, &cur, &w[1]) != CS_OK) {
		ok = false;
		goto out;
	}
	cs_matcher_set_lateness(m, LATENESS_MS);
	cs_buf_init(&cur->t.b, 0);
	const char *p = rlen < size ? (const char *)data + rlen + 9 : NULL;
	const char *end = (const char *)data + size;
	int64_t tm = 0;
	while (p || in) {
		if (p && p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			if (in == 0) {
				cur->t.b.len = 0;
				cur->n = cur->moved = 0;
				cur->dst = t;
				log.len = 0;
				cs_matcher_defer(w[nchunk % 2], &log);
			}
			ev[in] = (cs_event){ p, n, "fuzz", (uint64_t)(p - (const char *)data), 0,
					     "okta", "okta", tm };
			tm += 1000;
			(void)cs_matcher_feed(w[nchunk % 2], &ev[in], &sink);
			in++;
			p = nl ? nl + 1 : NULL;
		} else {
			p = NULL;
		}
		if (in == 2 || (!p && in)) {
			cs_matcher_defer(w[nchunk % 2], NULL);
			if (cs_matcher_replay(m, &log, chunk_sync, cur, &sink) != CS_OK)
				ok = false;
			chunk_sync(cur, cur->n);
			if (cur->over)
				ok = false;
			in = 0;
			nchunk++;
		}
	}
	(void)cs_matcher_finish(m);
out:
	if (cur)
		cs_buf_release(&cur->t.b);
	cs_free(cur);
	cs_buf_release(&log);
	cs_matcher_free(w[0]);
	cs_matcher_free(w[1]);
	cs_matcher_free(m);
	return ok;
}

/* Runs the events through one matcher; the trace of alerts and results
 * (per-event results only with `results`). */
static void run(const cs_ruleset *rs, bool reference, const uint8_t *data, size_t size,
		size_t rlen, trace *t, bool results)
{
	cs_matcher *m = NULL;
	cs_diag_sink sink = { 0 };
	if (cs_matcher_new(rs, on_alert, t, &m) != CS_OK)
		return;
	cs__matcher_set_reference(m, reference);
	cs_matcher_set_lateness(m, LATENESS_MS);
	const char *p = rlen < size ? (const char *)data + rlen + 9 : NULL;
	const char *end = (const char *)data + size;
	int64_t tm = 0;
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		cs_event e = { p, n, "fuzz", (uint64_t)(p - (const char *)data), 0, "okta", "okta", tm };
		tm += 1000;
		cs_err rc = cs_matcher_feed(m, &e, &sink);
		if (results)
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
		run(rs, false, data, size, rlen, &a, true);
		run(rs, true, data, size, rlen, &b, true);
		if (a.b.len != b.b.len || (a.b.len && memcmp(a.b.data, b.b.data, a.b.len) != 0))
			abort(); /* the indexes changed what matches */
		a.b.len = b.b.len = 0;
		run(rs, false, data, size, rlen, &a, false);
		if (run_split(rs, data, size, rlen, &b) &&
		    (a.b.len != b.b.len || (a.b.len && memcmp(a.b.data, b.b.data, a.b.len) != 0)))
			abort(); /* deferred matching and replay changed the alerts */
		cs_buf_release(&a.b);
		cs_buf_release(&b.b);
		cs_ruleset_free(rs);
	}
	unlink(path);
	return 0;
}
