/* test_sigma_cases.c - golden cases for the Sigma engine: every folder of
 * tests/cases/sigma/ holds rule.yml (one or more YAML documents), events.txt
 * and expected.txt (see tests/cases/sigma/README.md).  Each events.txt line
 * is `product service time_ms json` (time "-" = unknown); the event's file
 * is "ev" and its offset is its line number, so contributing events read
 * "ev@LINE".  expected.txt lists the alerts in order, one a line:
 *   detection:   RULE-ID line=N fields=f1=v1;f2=v2
 *   correlation: RULE-ID corr=TYPE key=GROUPKEY events=ev@1,ev@3 last=N
 * (last = line of the last contributing event).  An empty expected.txt
 * means no alert.  The mappings of data/sigma-mappings are loaded.
 *
 * Every case runs twice: with one matcher, and as `cshare detect -j 2`
 * does it - the events in chunks of two, given in turn to two matchers in
 * deferred mode (cs_matcher_defer), each chunk's log replayed in order into
 * a third matcher (cs_matcher_replay) that runs the correlations, the
 * chunk's detection alerts spliced in where sync says.  Both must give
 * expected.txt exactly. */
#include <dirent.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cshare/detect.h"

typedef struct out {
	char buf[65536];
	size_t len;
} out;

static void add(out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->len, sizeof o->buf - o->len, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof o->buf - o->len)
		o->len += (size_t)n;
}

static void on_alert(void *ud, const cs_alert *a)
{
	out *o = ud;
	add(o, "%s", a->rule_id ? a->rule_id : a->title);
	if (a->correlation_type) {
		add(o, " corr=%s key=%s events=", a->correlation_type, a->group_key);
		for (size_t i = 0; i < a->ncontributing; i++)
			add(o, "%s%s", i ? "," : "", a->contributing[i]);
		add(o, " last=%llu\n", (unsigned long long)a->event->offset);
		return;
	}
	add(o, " line=%llu fields=", (unsigned long long)a->event->offset);
	for (size_t i = 0; i < a->nfields; i++) {
		add(o, "%s%s=", i ? ";" : "", a->fields[i]);
		for (const char *c = a->values[i]; *c; c++)
			add(o, *c == '\n' ? "\\n" : "%c", *c);
	}
	add(o, "\n");
}

/* Split mode: the deferred matchers write their alerts into the current
 * chunk, remembering where each ends. */
typedef struct chunk {
	out o;
	size_t ends[256];
	size_t n;
	out *dst;     /* the output */
	size_t moved; /* alerts already moved to dst */
} chunk;

static void on_chunk_alert(void *ud, const cs_alert *a)
{
	chunk **cur = ud;
	chunk *c = *cur;
	on_alert(&c->o, a);
	if (c->n < 256)
		c->ends[c->n++] = c->o.len;
}

static void chunk_sync(void *ud, uint64_t n)
{
	chunk *c = ud;
	if (n > c->n)
		n = c->n;
	for (; c->moved < n; c->moved++) {
		size_t from = c->moved ? c->ends[c->moved - 1] : 0;
		add(c->dst, "%.*s", (int)(c->ends[c->moved] - from), c->o.buf + from);
	}
}

static void diag_print(void *ud, const cs_diag *d)
{
	(void)ud;
	printf("  diag: %s:%u:%u: %s\n", d->file ? d->file : "-", d->line, d->col, d->msg);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	static char big[1 << 20];
	size_t n = fread(big, 1, sizeof big - 1, f);
	fclose(f);
	big[n] = '\0';
	char *r = malloc(n + 1);
	if (r)
		memcpy(r, big, n + 1);
	return r;
}

static int run_case(const char *dir, bool split)
{
	char path[1024];
	int fails = 0;
	out o = { .len = 0 };
	cs_diag_sink sink = { diag_print, NULL, 0, 0 };
	snprintf(path, sizeof path, "%s/rule.yml", dir);
	const char *paths[] = { path };
	char maps[1024];
	snprintf(maps, sizeof maps, "%s/mappings", dir);
	DIR *md = opendir(maps);
	if (md)
		closedir(md);
	cs_ruleset_opts opts = { false, md ? maps : CS_SOURCE_DIR "/data/sigma-mappings" };
	cs_ruleset *rs = NULL;
	cs_err rc = cs_ruleset_compile(paths, 1, &opts, &sink, &rs);
	if (rc != CS_OK || sink.errors || sink.warnings) {
		printf("case %s: compile: %s (%u errors, %u warnings)\n", dir, cs_strerror(rc),
		       sink.errors, sink.warnings);
		cs_ruleset_free(rs);
		return 1;
	}
	cs_matcher *m = NULL, *w[2] = { NULL, NULL };
	chunk *cur = calloc(1, sizeof *cur);
	cs_event *evs = calloc(4096, sizeof *evs);
	size_t nev = 0, inchunk = 0, nchunk = 0;
	cs_buf log;
	cs_buf_init(&log, 0);
	assert_non_null(cur);
	assert_non_null(evs);
	assert_int_equal(cs_matcher_new(rs, on_alert, &o, &m), CS_OK);
	for (int i = 0; split && i < 2; i++)
		assert_int_equal(cs_matcher_new(rs, on_chunk_alert, &cur, &w[i]), CS_OK);
	snprintf(path, sizeof path, "%s/events.txt", dir);
	char *ev = slurp(path);
	assert_non_null(ev);
	unsigned line = 0;
	char *p = ev;
	while (*p) {
		char *end = strchr(p, '\n');
		if (end)
			*end = '\0';
		line++;
		char prod[64], svc[64], tm[64];
		int used = 0;
		if (p[0] && p[0] != '#' && sscanf(p, "%63s %63s %63s %n", prod, svc, tm, &used) == 3) {
			assert_true(nev < 4096);
			cs_event *e = &evs[nev++];
			*e = (cs_event){ p + used, strlen(p + used), "ev", line, line, strdup(prod),
					 strdup(svc),
					 strcmp(tm, "-") == 0 ? INT64_MIN : strtoll(tm, NULL, 10) };
			if (split && inchunk == 0) {
				memset(cur, 0, sizeof *cur);
				cur->dst = &o;
				log.len = 0;
				cs_matcher_defer(w[nchunk % 2], &log);
			}
			rc = cs_matcher_feed(split ? w[nchunk % 2] : m, e, &sink);
			if (rc != CS_OK && rc != CS_ESYNTAX) {
				printf("case %s: feed line %u: %s\n", dir, line, cs_strerror(rc));
				fails++;
			}
			if (split && ++inchunk == 2) {
				cs_matcher_defer(w[nchunk % 2], NULL);
				assert_int_equal(cs_matcher_replay(m, &log, chunk_sync, cur, &sink), CS_OK);
				chunk_sync(cur, cur->n);
				inchunk = 0;
				nchunk++;
			}
		}
		if (!end)
			break;
		p = end + 1;
	}
	if (split && inchunk) {
		cs_matcher_defer(w[nchunk % 2], NULL);
		assert_int_equal(cs_matcher_replay(m, &log, chunk_sync, cur, &sink), CS_OK);
		chunk_sync(cur, cur->n);
	}
	assert_int_equal(cs_matcher_finish(m), CS_OK);
	snprintf(path, sizeof path, "%s/expected.txt", dir);
	char *exp = slurp(path);
	assert_non_null(exp);
	if (strcmp(exp, o.buf) != 0) {
		printf("case %s%s: alerts differ\n--- expected\n%s--- got\n%s---\n", dir,
		       split ? " (two deferred matchers and a replay)" : "", exp, o.buf);
		fails++;
	}
	free(exp);
	free(ev);
	for (size_t i = 0; i < nev; i++) {
		free((char *)evs[i].product);
		free((char *)evs[i].service);
	}
	free(evs);
	free(cur);
	cs_buf_release(&log);
	cs_matcher_free(w[0]);
	cs_matcher_free(w[1]);
	cs_matcher_free(m);
	cs_ruleset_free(rs);
	return fails;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_cases(void **state)
{
	(void)state;
	const char *root = CS_SOURCE_DIR "/tests/cases/sigma";
	DIR *d = opendir(root);
	assert_non_null(d);
	char *names[512];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 512)
		if (e->d_name[0] != '.' && strcmp(e->d_name, "README.md") != 0)
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(char *), cmp);
	int fails = 0;
	for (size_t i = 0; i < n; i++) {
		char dir[1024];
		snprintf(dir, sizeof dir, "%s/%s", root, names[i]);
		fails += run_case(dir, false);
		fails += run_case(dir, true);
		free(names[i]);
	}
	printf("%zu sigma cases, %d failing\n", n, fails);
	assert_true(n >= 10);
	assert_int_equal(fails, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
