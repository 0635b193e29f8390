/* fuzz_sigma_rule.c - libFuzzer harness for Sigma rule loading and matching:
 * the input is a rule file, optionally followed by a line "#EVENTS" and JSON
 * event lines (product okta, service okta, time = line number in seconds).
 * Any bytes must compile or be diagnosed (never a crash, a hang or a leak);
 * a failed compile must be explained by an error diagnostic. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cshare/detect.h"

static void on_alert(void *ud, const cs_alert *a)
{
	/* touch everything the alert hands out */
	size_t *n = ud;
	*n += strlen(a->rule_file) + (a->title ? strlen(a->title) : 0);
	for (size_t i = 0; i < a->nfields; i++)
		*n += strlen(a->fields[i]) + strlen(a->values[i]);
	for (size_t i = 0; i < a->ncontributing; i++)
		*n += strlen(a->contributing[i]);
	if (a->event && a->event->json)
		*n += a->event->len;
}

/* Offset of the "#EVENTS" separator line, or size. */
static size_t find_sep(const uint8_t *d, size_t n)
{
	static const char sep[] = "\n#EVENTS\n";
	for (size_t i = 0; i + 9 <= n; i++)
		if (memcmp(d + i, sep, 9) == 0)
			return i;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	if (!path[0])
		snprintf(path, sizeof path, "/tmp/fuzz_sigma_rule_%ld.yml", (long)getpid());
	size_t rlen = find_sep(data, size);
	const char *sep = rlen < size ? (const char *)data + rlen : NULL;
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
	cs_err rc = cs_ruleset_compile(paths, 1, &o, &sink, &rs);
	if (rc != CS_OK) {
		if (sink.errors == 0 && rc != CS_ENOMEM)
			abort();
		unlink(path);
		return 0;
	}
	size_t total = 0;
	cs_matcher *m = NULL;
	if (cs_matcher_new(rs, on_alert, &total, &m) == CS_OK) {
		const char *p = sep ? sep + 9 : NULL, *end = (const char *)data + size;
		int64_t t = 0;
		while (p && p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			cs_event e = { p, n, "fuzz", (uint64_t)(p - (const char *)data), 0, "okta", "okta",
				       t };
			t += 1000;
			(void)cs_matcher_feed(m, &e, &sink);
			p = nl ? nl + 1 : NULL;
		}
		(void)cs_matcher_finish(m);
		cs_matcher_free(m);
	}
	cs_ruleset_free(rs);
	unlink(path);
	return 0;
}
