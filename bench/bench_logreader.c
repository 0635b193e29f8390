/*
 * bench_logreader.c - the log reader alone (framing, format recognition,
 * event time) over the inputs, without rules: how much of `cshare detect`'s
 * time is reading.  Prints "bytes=N events=N read_s=S".
 * Usage: bench_logreader PATH...
 */
#include <stdio.h>
#include <time.h>

#include "cshare/detect.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	cs_diag_sink sink = { 0 };
	cs_logreader *lr = NULL;
	cs_event ev;
	unsigned long long bytes = 0, events = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: bench_logreader PATH...\n");
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
	printf("bytes=%llu events=%llu read_s=%.4f errors=%u\n", bytes, events, t, sink.errors);
	return sink.errors ? 1 : 0;
}
