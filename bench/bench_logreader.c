/*
 * bench_logreader.c - the log reader alone (framing, format recognition,
 * event time) over the inputs, without rules: how much of `cshare detect`'s
 * time is reading.  Prints "bytes=N events=N read_s=S MB_s=R".
 * Usage: bench_logreader PATH...
 *        bench_logreader --wrap IN.jsonl OUT.json
 * The second form makes a Records-wrapped input, the layout CloudTrail
 * delivers to S3 ({"Records":[r1,r2,...]} on one line), from JSON lines,
 * so that both framings can be measured on the same records.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cshare/detect.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Copies the non-blank lines of `in` into `out` as the elements of a
 * Records array.  0 on success. */
static int wrap(const char *in, const char *out)
{
	static char line[1 << 20];
	FILE *f = fopen(in, "rb"), *g = fopen(out, "wb");
	int rc = 0;
	bool first = true;
	if (!f || !g) {
		fprintf(stderr, "bench_logreader: cannot open %s\n", !f ? in : out);
		rc = 1;
		goto out;
	}
	fputs("{\"Records\":[", g);
	while (fgets(line, sizeof line, f)) {
		size_t n = strlen(line);
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
			n--;
		if (n == 0)
			continue;
		if (!first)
			fputc(',', g);
		first = false;
		fwrite(line, 1, n, g);
	}
	fputs("]}\n", g);
out:
	if (f)
		fclose(f);
	if (g && fclose(g) != 0)
		rc = 1;
	return rc;
}

int main(int argc, char **argv)
{
	cs_diag_sink sink = { 0 };
	cs_logreader *lr = NULL;
	cs_event ev;
	unsigned long long bytes = 0, events = 0;
	if (argc == 4 && strcmp(argv[1], "--wrap") == 0)
		return wrap(argv[2], argv[3]);
	if (argc < 2) {
		fprintf(stderr, "usage: bench_logreader PATH...\n"
				"       bench_logreader --wrap IN.jsonl OUT.json\n");
		return 2;
	}
	if (cs_logreader_new(&sink, &lr) != CS_OK)
		return 70;
	for (int i = 1; i < argc; i++)
		cs_logreader_add_path(lr, argv[i]);
	double t0 = now();
	while (cs_logreader_next(lr, &ev) == CS_OK) {
		events++;
		bytes += ev.len + 1;
	}
	double t = now() - t0;
	cs_logreader_free(lr);
	printf("bytes=%llu events=%llu read_s=%.4f MB_s=%.0f errors=%u\n", bytes, events, t,
	       t > 0 ? (double)bytes / t / 1e6 : 0.0, sink.errors);
	return sink.errors ? 1 : 0;
}
