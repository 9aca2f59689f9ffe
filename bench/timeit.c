/*
 * timeit: runs a command and reports its wall time (monotonic clock,
 * microseconds), its peak resident memory and its CPU time, the way GNU
 * time's "%e %M" does but without its 10 ms resolution, which is too
 * coarse for runs of a few tens of milliseconds.  Standard input, output
 * and error are the command's.
 *
 *   timeit -o FILE COMMAND [ARG]...
 *
 * FILE gets one line: "wall_s maxrss_kb user_s sys_s status", where
 * status is the exit status, or 128 + the signal that killed it.
 * timeit exits with the command's status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	const char *out = NULL;
	struct rusage ru;
	double t0, t1;
	pid_t pid;
	int status, code;
	FILE *f;

	if (argc >= 3 && strcmp(argv[1], "-o") == 0) {
		out = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: timeit [-o FILE] COMMAND [ARG]...\n");
		return 2;
	}
	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror("timeit: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "timeit: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("timeit: wait4");
			return 2;
		}
	}
	t1 = now();
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	f = out ? fopen(out, "w") : stderr;
	if (f == NULL) {
		perror(out);
		return 2;
	}
	fprintf(f, "%.6f %ld %.6f %.6f %d\n", t1 - t0, ru.ru_maxrss,
		(double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
		(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6, code);
	if (out)
		fclose(f);
	return code;
}
