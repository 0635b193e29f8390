/*
 * bench_parse.c - the parse-only baseline of `make bench`: reads the same
 * inputs `cshare audit` reads and runs only the parser of the same library
 * (cs_json_parse for .json, cs_yaml_parse for .yaml/.yml), nothing else.
 *
 * Usage: bench_parse [-n REPS] PATH...
 *   PATH is a file or a directory (its *.json, *.yaml and *.yml files, not
 *   recursive, hidden files skipped).  Every file is read into memory first;
 *   then the whole set is parsed REPS times (default 3) into a fresh arena
 *   each time, and the fastest repetition is reported.
 *
 * Prints one line: "files=N bytes=B read_s=R parse_s=P values_mb=M
 * read_cpu_s=RC parse_cpu_s=PC", where parse_s is the best wall time of
 * parsing all files once (CLOCK_MONOTONIC) and read_s the time to read them
 * from the (page-cached) files; read_cpu_s and parse_cpu_s are the same
 * steps' CPU time (CLOCK_PROCESS_CPUTIME_ID: user + system, page faults
 * included), parse_cpu_s the best repetition's.  Exit status 1 if any file
 * fails to parse, 2 on usage errors.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cshare/core.h"
#include "cshare/json.h"
#include "cshare/yaml.h"

typedef struct input {
	char *path;
	char *data;
	size_t len;
	bool yaml;
} input;

typedef struct inputs {
	input *v;
	size_t n, cap;
} inputs;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time used by this process so far (user + system). */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

static int add_file(inputs *in, const char *path)
{
	if (in->n == in->cap) {
		size_t cap = in->cap ? in->cap * 2 : 64;
		input *nv = cs_realloc(in->v, cap * sizeof *nv);
		if (!nv)
			return -1;
		in->v = nv;
		in->cap = cap;
	}
	input *f = &in->v[in->n];
	size_t plen = strlen(path);
	f->path = cs_malloc(plen + 1);
	if (!f->path)
		return -1;
	memcpy(f->path, path, plen + 1);
	f->yaml = has_suffix(path, ".yaml") || has_suffix(path, ".yml");
	/* the same limit the CLI allows with --max-file-size 1024 */
	cs_err rc = cs_file_read(path, (size_t)1 << 30, &f->data, &f->len);
	if (rc) {
		fprintf(stderr, "bench_parse: cannot read '%s': %s\n", path, cs_strerror(rc));
		cs_free(f->path);
		return -1;
	}
	in->n++;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(inputs *in, const char *dir)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	int ret = 0;
	if (!d) {
		fprintf(stderr, "bench_parse: cannot open directory '%s'\n", dir);
		return -1;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *nm = e->d_name;
		if (nm[0] == '.' ||
		    !(has_suffix(nm, ".json") || has_suffix(nm, ".yaml") || has_suffix(nm, ".yml")))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			char **nv = cs_realloc(names, cap * sizeof *nv);
			if (!nv) {
				ret = -1;
				break;
			}
			names = nv;
		}
		size_t len = strlen(dir) + 1 + strlen(nm) + 1;
		names[n] = cs_malloc(len);
		if (!names[n]) {
			ret = -1;
			break;
		}
		snprintf(names[n], len, "%s/%s", dir, nm);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, name_cmp); /* the order cshare reads them in */
	for (size_t i = 0; i < n; i++) {
		if (!ret && add_file(in, names[i]))
			ret = -1;
		cs_free(names[i]);
	}
	cs_free(names);
	return ret;
}

/* Parses every input once into a fresh arena; returns seconds or -1, and
 * the CPU seconds in *cpu. */
static double parse_all(const inputs *in, size_t *arena_bytes, double *cpu)
{
	cs_diag_sink sink = { NULL, NULL, 0, 0 };
	cs_arena *a = cs_arena_new(0);
	double t0, t1, c0;
	int bad = 0;
	if (!a)
		return -1;
	c0 = cpu_now();
	t0 = now();
	for (size_t i = 0; i < in->n; i++) {
		const input *f = &in->v[i];
		const cs_value *v = NULL;
		cs_err rc;
		if (f->yaml)
			rc = cs_yaml_parse(a, f->path, f->data, f->len, NULL, &sink, &v);
		else
			rc = cs_json_parse(a, f->path, f->data, f->len, NULL, &sink, &v, NULL);
		if (rc) {
			fprintf(stderr, "bench_parse: %s: %s\n", f->path, cs_strerror(rc));
			bad = 1;
		}
	}
	t1 = now();
	*cpu = cpu_now() - c0;
	*arena_bytes = cs_arena_used(a);
	cs_arena_free(a);
	return bad ? -1 : t1 - t0;
}

int main(int argc, char **argv)
{
	inputs in = { NULL, 0, 0 };
	int reps = 3, i = 1, ret = 0;
	double best = -1, best_cpu = -1, t0, c0, read_s, read_cpu;
	size_t bytes = 0, arena = 0;

	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		reps = (int)strtol(argv[2], NULL, 10);
		i = 3;
	}
	if (i >= argc || reps < 1) {
		fprintf(stderr, "usage: bench_parse [-n REPS] PATH...\n");
		return 2;
	}
	c0 = cpu_now();
	t0 = now();
	for (; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "bench_parse: cannot open '%s'\n", argv[i]);
			ret = 2;
			goto out;
		}
		if ((S_ISDIR(st.st_mode) ? add_dir(&in, argv[i]) : add_file(&in, argv[i])) != 0) {
			ret = 2;
			goto out;
		}
	}
	read_s = now() - t0;
	read_cpu = cpu_now() - c0;
	for (size_t k = 0; k < in.n; k++)
		bytes += in.v[k].len;
	for (int r = 0; r < reps; r++) {
		double cpu = 0;
		double t = parse_all(&in, &arena, &cpu);
		if (t < 0) {
			ret = 1;
			goto out;
		}
		if (getenv("BENCH_PARSE_VERBOSE"))
			fprintf(stderr, "bench_parse: repetition %d: %.6f s\n", r + 1, t);
		if (best < 0 || t < best)
			best = t;
		if (best_cpu < 0 || cpu < best_cpu)
			best_cpu = cpu;
	}
	printf("files=%zu bytes=%zu read_s=%.6f parse_s=%.6f values_mb=%.1f read_cpu_s=%.6f "
	       "parse_cpu_s=%.6f\n",
	       in.n, bytes, read_s, best, (double)arena / 1e6, read_cpu, best_cpu);
out:
	for (size_t k = 0; k < in.n; k++) {
		cs_free(in.v[k].path);
		cs_free(in.v[k].data);
	}
	cs_free(in.v);
	return ret;
}
