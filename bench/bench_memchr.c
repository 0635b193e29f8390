/*
 * bench_memchr.c - the floor for `make bench`'s detection figures: reads a
 * file in 1 MiB chunks and counts its newlines with memchr, the least work
 * any reader of JSON lines must do.  Prints "bytes=N lines=N memchr_s=S".
 * Usage: bench_memchr FILE
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	unsigned long long bytes = 0, lines = 0;
	if (argc != 2) {
		fprintf(stderr, "usage: bench_memchr FILE\n");
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	double t0 = now();
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		const char *p = buf, *e = buf + n;
		while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
			lines++;
			p++;
		}
		bytes += (unsigned long long)n;
	}
	double t = now() - t0;
	close(fd);
	printf("bytes=%llu lines=%llu memchr_s=%.4f\n", bytes, lines, t);
	return n < 0;
}
