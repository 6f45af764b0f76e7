/*
 * vbench: the C side of bench/run, built on Debian's libvirt.so so that the
 * figures show the server's cost and not the Python binding's.
 *
 *   vbench rpc URI N REPS DAEMON_PID
 *       one connection; a warm-up of N/10 calls, then REPS times N
 *       virConnectGetLibVersion(); prints one JSON object with the wall time,
 *       the daemon's CPU time (utime+stime of every thread, /proc/PID/stat)
 *       and this client's CPU time, each per call in microseconds and per
 *       repeat.
 *
 *   vbench coldstart URI PIDFILE -- CMD [ARGS...]
 *       forks and execs CMD, then tries virConnectOpen(URI) +
 *       virConnectGetLibVersion() every 200 us until one succeeds (60 s at
 *       most). Prints {"ms": ..., "pid": ...} on one line as soon as the call
 *       is answered (pid: CMD's, or the number in PIDFILE when it is not
 *       "-"), then stays the parent of CMD until it exits so that the caller
 *       can stop the daemon by pid and collect this process. CMD's stdout
 *       and stderr go to the file named by $VBENCH_LOG when it is set.
 *
 * Built by bench/run: gcc -O2 vbench.c $(pkg-config --cflags --libs libvirt)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* utime+stime of every thread of PID in seconds, or -1 when unreadable. */
static double
daemon_cpu_s(long pid)
{
    char path[64], buf[2048];
    unsigned long long ut = 0, st = 0;
    FILE *f;
    size_t n;
    char *p;

    if (pid <= 0)
        return -1;
    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    if (!(f = fopen(path, "r")))
        return -1;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* The command name may hold spaces and ')': fields start after the last ')'. */
    if (!(p = strrchr(buf, ')')))
        return -1;
    /* After ')': state is field 3; utime and stime are fields 14 and 15. */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
               &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / sysconf(_SC_CLK_TCK);
}

static double
self_cpu_s(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void
quiet_errors(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

static void
print_series(const char *key, const double *v, int n, int last)
{
    printf("\"%s\": [", key);
    for (int i = 0; i < n; i++)
        printf("%s%.3f", i ? ", " : "", v[i]);
    printf("]%s", last ? "" : ", ");
}

static int
cmd_rpc(const char *uri, long n, int reps, long pid)
{
    virConnectPtr conn;
    unsigned long ver;
    double *wall, *dcpu, *ccpu;

    if (n <= 0 || reps <= 0 || reps > 1000)
        return 2;
    if (!(conn = virConnectOpen(uri))) {
        fprintf(stderr, "vbench: cannot open %s: %s\n", uri, virGetLastErrorMessage());
        return 1;
    }
    wall = calloc(reps, sizeof(double));
    dcpu = calloc(reps, sizeof(double));
    ccpu = calloc(reps, sizeof(double));
    if (!wall || !dcpu || !ccpu)
        return 1;
    for (long i = 0; i < n / 10 + 1; i++)
        virConnectGetLibVersion(conn, &ver);
    for (int r = 0; r < reps; r++) {
        double d0 = daemon_cpu_s(pid), c0 = self_cpu_s(), t0 = now_s();

        for (long i = 0; i < n; i++) {
            if (virConnectGetLibVersion(conn, &ver) < 0) {
                fprintf(stderr, "vbench: getLibVersion: %s\n", virGetLastErrorMessage());
                return 1;
            }
        }
        wall[r] = (now_s() - t0) * 1e6 / n;
        ccpu[r] = (self_cpu_s() - c0) * 1e6 / n;
        dcpu[r] = pid > 0 ? (daemon_cpu_s(pid) - d0) * 1e6 / n : -1;
    }
    printf("{");
    print_series("us_per_call", wall, reps, 0);
    print_series("daemon_cpu_us_per_call", dcpu, reps, 0);
    print_series("client_cpu_us_per_call", ccpu, reps, 1);
    printf("}\n");
    virConnectClose(conn);
    free(wall);
    free(dcpu);
    free(ccpu);
    return 0;
}

static long
read_pidfile(const char *path)
{
    FILE *f = fopen(path, "r");
    long pid = -1;

    if (!f)
        return -1;
    if (fscanf(f, "%ld", &pid) != 1)
        pid = -1;
    fclose(f);
    return pid;
}

static int
cmd_coldstart(const char *uri, const char *pidfile, char **argv)
{
    struct timespec pause = { 0, 200 * 1000 };
    double t0, deadline;
    pid_t child;
    int st;
    long pid;

    /* Load everything the first attempt needs before the clock starts. */
    virConnectClose(virConnectOpen("test:///default"));
    t0 = now_s();
    deadline = t0 + 60;
    child = fork();
    if (child < 0)
        return 1;
    if (child == 0) {
        const char *log = getenv("VBENCH_LOG");

        if (log) {
            int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

            if (fd >= 0) {
                dup2(fd, STDOUT_FILENO);
                dup2(fd, STDERR_FILENO);
            }
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    for (;;) {
        virConnectPtr conn = virConnectOpen(uri);
        unsigned long ver;

        if (conn) {
            int ok = virConnectGetLibVersion(conn, &ver) == 0;

            virConnectClose(conn);
            if (ok)
                break;
        }
        if (waitpid(child, &st, WNOHANG) == child) {
            fprintf(stderr, "vbench: %s exited before answering (status %d)\n", argv[0], st);
            return 1;
        }
        if (now_s() > deadline) {
            fprintf(stderr, "vbench: no answer from %s after 60 s\n", uri);
            kill(child, SIGKILL);
            waitpid(child, &st, 0);
            return 1;
        }
        nanosleep(&pause, NULL);
    }
    pid = child;
    if (strcmp(pidfile, "-") != 0) {
        /* A wrapper execs the daemon later than it answers: wait for the file. */
        while ((pid = read_pidfile(pidfile)) <= 0 && now_s() < deadline)
            nanosleep(&pause, NULL);
    }
    printf("{\"ms\": %.3f, \"pid\": %ld, \"wrapper_pid\": %ld}\n",
           (now_s() - t0) * 1e3, pid, (long)child);
    fflush(stdout);
    while (waitpid(child, &st, 0) < 0 && errno == EINTR)
        ;
    return 0;
}

int
main(int argc, char **argv)
{
    virSetErrorFunc(NULL, quiet_errors);
    if (argc == 6 && strcmp(argv[1], "rpc") == 0)
        return cmd_rpc(argv[2], atol(argv[3]), atoi(argv[4]), atol(argv[5]));
    if (argc >= 6 && strcmp(argv[1], "coldstart") == 0 && strcmp(argv[4], "--") == 0)
        return cmd_coldstart(argv[2], argv[3], argv + 5);
    fprintf(stderr,
            "usage: vbench rpc URI N REPS DAEMON_PID\n"
            "       vbench coldstart URI PIDFILE|- -- CMD [ARGS...]\n");
    return 2;
}
