/*
 * bench_ac.c - the automaton scan (detect/acmatch.c cs__ac_scan) alone, on
 * the values the CloudTrail rules put through it: every record's userAgent
 * (literals "TruffleHog", "S3 Browser", "Jersey/${project.version}") and
 * userIdentity.arn (the 35-byte "responseElements.accessKey.userName"),
 * taken from a JSON lines file (the first "userAgent" and the first "arn"
 * of each line; escapes are not decoded: the rules' values have none).
 * Scans all of them PASSES times per run, prints the best of RUNS runs in
 * ns (thread CPU time) per value and the hit count (the same for every build).
 * Usage: bench_ac FILE [PASSES [RUNS]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "detect/detect_int.h"
#include "detect/acmatch.h"

typedef struct val {
	size_t off, len;
} val;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_hit(void *ud, uint32_t id)
{
	(void)id;
	(*(unsigned long *)ud)++;
}

/* The string value after the first `key` on line [l, e), or len 0. */
static val find(const char *buf, const char *l, const char *e, const char *key)
{
	val v = { 0, 0 };
	size_t kn = strlen(key);
	for (const char *p = l; p + kn < e; p++) {
		if (memcmp(p, key, kn) != 0)
			continue;
		const char *q = p + kn, *z = q;
		while (z < e && *z != '"')
			z++;
		v.off = (size_t)(q - buf);
		v.len = (size_t)(z - q);
		break;
	}
	return v;
}

static cs__ac *make(const char *const *lits, size_t nl)
{
	cs__ac *ac = cs__ac_new();
	for (size_t i = 0; ac && i < nl; i++)
		if (cs__ac_add(ac, lits[i], strlen(lits[i]), (uint32_t)i) != CS_OK)
			return NULL;
	return ac && cs__ac_build(ac) == CS_OK ? ac : NULL;
}

int main(int argc, char **argv)
{
	static const char *const ua_lits[] = { "TruffleHog", "S3 Browser",
					       "Jersey/${project.version}" };
	static const char *const arn_lits[] = { "responseElements.accessKey.userName" };
	int rc = 1;
	char *buf = NULL;
	val *ua = NULL, *arn = NULL;
	if (argc < 2) {
		fprintf(stderr, "usage: bench_ac FILE [PASSES [RUNS]]\n");
		return 2;
	}
	long passes = argc > 2 ? strtol(argv[2], NULL, 10) : 20;
	long runs = argc > 3 ? strtol(argv[3], NULL, 10) : 5;
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	long sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = cs_malloc((size_t)sz + 1);
	if (!buf || fread(buf, 1, (size_t)sz, f) != (size_t)sz)
		goto out;
	size_t nlines = 0;
	for (long i = 0; i < sz; i++)
		nlines += buf[i] == '\n';
	ua = cs_calloc(nlines + 1, sizeof(val));
	arn = cs_calloc(nlines + 1, sizeof(val));
	if (!ua || !arn)
		goto out;
	size_t nua = 0, narn = 0;
	for (const char *l = buf, *end = buf + sz; l < end;) {
		const char *e = memchr(l, '\n', (size_t)(end - l));
		if (!e)
			e = end;
		val v = find(buf, l, e, "\"userAgent\":\"");
		if (v.len)
			ua[nua++] = v;
		v = find(buf, l, e, "\"arn\":\"");
		if (v.len)
			arn[narn++] = v;
		l = e + 1;
	}
	cs__ac *aua = make(ua_lits, 3), *aarn = make(arn_lits, 1);
	if (!aua || !aarn)
		goto out;
	double best = 1e30;
	unsigned long hits = 0;
	for (long r = 0; r < runs; r++) {
		hits = 0;
		double t0 = now();
		for (long k = 0; k < passes; k++) {
			for (size_t i = 0; i < nua; i++)
				cs__ac_scan(aua, buf + ua[i].off, ua[i].len, on_hit, &hits);
			for (size_t i = 0; i < narn; i++)
				cs__ac_scan(aarn, buf + arn[i].off, arn[i].len, on_hit, &hits);
		}
		double t = now() - t0;
		if (t < best)
			best = t;
	}
	printf("values=%zu+%zu ns_per_value=%.2f hits=%lu\n", nua, narn,
	       best * 1e9 / (double)passes / (double)(nua + narn), hits / (unsigned long)passes);
	cs__ac_free(aua);
	cs__ac_free(aarn);
	rc = 0;
out:
	fclose(f);
	cs_free(buf);
	cs_free(ua);
	cs_free(arn);
	return rc;
}
