/*
 * bench_hcl.c - parse time of HCL native syntax: reads every .tf file under
 * the given paths (directories are walked recursively, hidden entries
 * skipped) into memory, then parses the whole set REPS times (default 5)
 * with cs__hcl_parse into a fresh arena each time and reports the fastest.
 *
 * Usage: bench_hcl [-n REPS] PATH...
 * Prints one line: "files=N bytes=B errors=E parse_s=P peak_rss_mb=M", where
 * errors counts files with syntax errors and peak_rss_mb is the process's
 * peak resident memory.  Exit 2 on usage or read errors.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "core/internal.h"
#include "hcl/hcl.h"

typedef struct input {
	char *path;
	char *data;
	size_t len;
} input;

typedef struct inputs {
	input *v;
	size_t n, cap;
	size_t bytes;
} inputs;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int add_file(inputs *in, const char *path)
{
	if (in->n == in->cap) {
		size_t nc = in->cap ? in->cap * 2 : 64;
		input *v = cs_realloc(in->v, nc * sizeof(*v));
		if (!v)
			return -1;
		in->v = v;
		in->cap = nc;
	}
	input *it = &in->v[in->n];
	if (cs_file_read(path, (size_t)256 << 20, &it->data, &it->len) != CS_OK) {
		fprintf(stderr, "bench_hcl: cannot read %s\n", path);
		return -1;
	}
	size_t pl = strlen(path);
	it->path = cs_malloc(pl + 1);
	if (!it->path)
		return -1;
	memcpy(it->path, path, pl + 1);
	in->bytes += it->len;
	in->n++;
	return 0;
}

static int walk(inputs *in, const char *path, int depth)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "bench_hcl: cannot stat %s\n", path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		size_t n = strlen(path);
		return (n > 3 && strcmp(path + n - 3, ".tf") == 0) || depth == 0 ? add_file(in, path)
										  : 0;
	}
	if (depth > 64)
		return 0;
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char sub[4096];
		if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, de->d_name) >= sizeof sub)
			continue;
		rc = walk(in, sub, depth + 1);
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	int reps = 5, i = 1;
	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		reps = (int)strtol(argv[2], NULL, 10);
		i = 3;
	}
	if (i >= argc || reps < 1) {
		fprintf(stderr, "usage: bench_hcl [-n REPS] PATH...\n");
		return 2;
	}
	inputs in = { 0 };
	for (; i < argc; i++) {
		if (walk(&in, argv[i], 0) != 0)
			return 2;
	}
	double best = 1e30;
	unsigned errors = 0;
	for (int r = 0; r < reps; r++) {
		errors = 0;
		double t0 = now();
		for (size_t k = 0; k < in.n; k++) {
			cs_arena *a = cs_arena_new(0);
			cs_diag_sink sink = { 0 };
			cs_hcl_file *f = NULL;
			if (!a)
				return 2;
			if (cs__hcl_parse(a, in.v[k].path, in.v[k].data, in.v[k].len, &sink, &f) !=
			    CS_OK)
				errors++;
			cs_arena_free(a);
		}
		double t = now() - t0;
		if (t < best)
			best = t;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("files=%zu bytes=%zu errors=%u parse_s=%.4f peak_rss_mb=%.1f\n", in.n, in.bytes,
	       errors, best, (double)ru.ru_maxrss / 1024.0);
	for (size_t k = 0; k < in.n; k++) {
		cs_free(in.v[k].data);
		cs_free(in.v[k].path);
	}
	cs_free(in.v);
	return 0;
}
