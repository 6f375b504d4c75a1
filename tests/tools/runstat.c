/* runstat N COMMAND [ARGS...]
 *
 * Runs COMMAND N times (its output discarded) and prints one line:
 *   median_ms=<median wall time> min_ms=<fastest> max_rss_mb=<peak resident memory>
 * Peak memory is the largest ru_maxrss of the runs (wait4). Exits 1 if a
 * run fails. Used by `make bench`.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 3 || atoi(argv[1]) < 1) {
        fputs("usage: runstat N COMMAND [ARGS...]\n", stderr);
        return 2;
    }
    int n = atoi(argv[1]);
    double *ms = calloc((size_t)n, sizeof *ms);
    long rss = 0;
    for (int i = 0; i < n; i++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        pid_t pid = fork();
        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, 1);
            dup2(null, 2);
            execvp(argv[2], argv + 2);
            _exit(127);
        }
        int status;
        struct rusage ru;
        if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) {
            perror("runstat");
            return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "runstat: %s failed (status %d)\n", argv[2], WEXITSTATUS(status));
            return 1;
        }
        ms[i] = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
        if (ru.ru_maxrss > rss)
            rss = ru.ru_maxrss;
    }
    qsort(ms, (size_t)n, sizeof *ms, cmp_d);
    double med = n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
    printf("median_ms=%.1f min_ms=%.1f max_rss_mb=%.1f\n", med, ms[0], rss / 1024.0);
    free(ms);
    return 0;
}
