/*
 * bench_exec.c - runs one command and reports its wall time and peak
 * resident memory, for `make bench` (the same figures as GNU time's %e and
 * %M, with nanosecond wall time, and no dependency on the `time` package).
 *
 * Usage: bench_exec RESULT-FILE COMMAND [ARG...]
 *   Runs COMMAND with the caller's standard streams.  Writes one line to
 *   RESULT-FILE: "wall_s=W maxrss_kb=K status=S cpu_s=C user_s=U sys_s=Y",
 *   where W is the wall time from fork to exit (CLOCK_MONOTONIC), K the
 *   child's peak RSS from wait4(2)'s rusage (Linux reports kilobytes), S its
 *   exit status (128+N when killed by signal N), and C = U + Y the CPU time
 *   the child used (user and system, from the same rusage).  On a machine
 *   shared with other jobs the CPU time moves much less than the wall time
 *   (time spent waiting for a core is not counted).  Exits 0 unless it could
 *   not run the command.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
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
	if (argc < 3) {
		fprintf(stderr, "usage: bench_exec RESULT-FILE COMMAND [ARG...]\n");
		return 2;
	}
	FILE *res = fopen(argv[1], "w");
	if (!res) {
		fprintf(stderr, "bench_exec: cannot write '%s': %s\n", argv[1], strerror(errno));
		return 2;
	}
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "bench_exec: fork: %s\n", strerror(errno));
		fclose(res);
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "bench_exec: cannot run '%s': %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	int st = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	while (wait4(pid, &st, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "bench_exec: wait4: %s\n", strerror(errno));
			fclose(res);
			return 2;
		}
	}
	double wall = now() - t0;
	int status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
	double user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
	double sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	fprintf(res, "wall_s=%.6f maxrss_kb=%ld status=%d cpu_s=%.6f user_s=%.6f sys_s=%.6f\n", wall,
		ru.ru_maxrss, status, user + sys, user, sys);
	return fclose(res) == 0 ? 0 : 2;
}
