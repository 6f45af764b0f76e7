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
 *   vbench listall URI N REPS DAEMON_PID
 *       one connection; REPS times N virConnectListAllDomains() calls, each
 *       result freed (every virDomainPtr and the array) inside the timed
 *       loop, after N uncounted ones; prints the same JSON fields as rpc,
 *       per call in milliseconds ("result": the number of domains).
 *
 *   vbench concurrent URI CLIENTS CALLS DAEMON_PID
 *       forks CLIENTS processes; each opens its own connection and makes one
 *       call, then all start together and make CALLS getLibVersion calls.
 *       Prints the wall time from the start to the last client's end and the
 *       daemon's CPU time over that span, both divided by CLIENTS * CALLS.
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

/* One measured call; returns its result (>= 0) or -1. */
typedef int (*CallFunc)(virConnectPtr conn);

static int
call_getlibversion(virConnectPtr conn)
{
    unsigned long ver;

    return virConnectGetLibVersion(conn, &ver) < 0 ? -1 : 0;
}

/* listAllDomains, every result freed: returns the number of domains. */
static int
call_listall(virConnectPtr conn)
{
    virDomainPtr *doms = NULL;
    int got = virConnectListAllDomains(conn, &doms, 0);

    for (int j = 0; j < got; j++)
        virDomainFree(doms[j]);
    free(doms);
    return got;
}

/* One connection; WARMUP uncounted calls, then REPS times N calls of CALL.
 * Prints the wall, daemon CPU and client CPU per call in UNIT ("us" or
 * "ms"), one value per repeat, and the last call's result. */
static int
timed_calls(const char *uri, long n, long warmup, int reps, long pid, CallFunc call,
            const char *what, const char *unit)
{
    double scale = strcmp(unit, "ms") == 0 ? 1e3 : 1e6;
    double wall[1000], dcpu[1000], ccpu[1000];
    virConnectPtr conn;
    int last = 0;

    if (n <= 0 || reps <= 0 || reps > 1000)
        return 2;
    if (!(conn = virConnectOpen(uri))) {
        fprintf(stderr, "vbench: cannot open %s: %s\n", uri, virGetLastErrorMessage());
        return 1;
    }
    for (long i = 0; i < warmup; i++)
        call(conn);
    for (int r = 0; r < reps; r++) {
        double d0 = daemon_cpu_s(pid), c0 = self_cpu_s(), t0 = now_s();

        for (long i = 0; i < n; i++) {
            if ((last = call(conn)) < 0) {
                fprintf(stderr, "vbench: %s: %s\n", what, virGetLastErrorMessage());
                return 1;
            }
        }
        wall[r] = (now_s() - t0) * scale / n;
        ccpu[r] = (self_cpu_s() - c0) * scale / n;
        dcpu[r] = pid > 0 ? (daemon_cpu_s(pid) - d0) * scale / n : -1;
    }
    printf("{\"result\": %d, ", last);
    print_series(strcmp(unit, "ms") == 0 ? "ms_per_call" : "us_per_call", wall, reps, 0);
    print_series(strcmp(unit, "ms") == 0 ? "daemon_cpu_ms_per_call" : "daemon_cpu_us_per_call",
                 dcpu, reps, 0);
    print_series(strcmp(unit, "ms") == 0 ? "client_cpu_ms_per_call" : "client_cpu_us_per_call",
                 ccpu, reps, 1);
    printf("}\n");
    virConnectClose(conn);
    return 0;
}

/* One client of cmd_concurrent: connect, say ready, wait for the start (EOF
 * on GO), make CALLS calls, say done. */
static int
concurrent_child(const char *uri, long calls, int ready, int go, int done)
{
    virConnectPtr conn = virConnectOpen(uri);
    unsigned long ver;
    char c = 0;

    if (!conn || virConnectGetLibVersion(conn, &ver) < 0)
        return 1;
    if (write(ready, &c, 1) != 1)
        return 1;
    while (read(go, &c, 1) < 0 && errno == EINTR)
        ;
    for (long i = 0; i < calls; i++)
        if (virConnectGetLibVersion(conn, &ver) < 0)
            return 1;
    if (write(done, &c, 1) != 1)
        return 1;
    virConnectClose(conn);
    return 0;
}

/* Reads N bytes from FD (one per client); FALSE on EOF or error. */
static int
read_n(int fd, int n)
{
    char buf[256];

    while (n > 0) {
        ssize_t got = read(fd, buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf));

        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return 0;
        n -= (int)got;
    }
    return 1;
}

static int
cmd_concurrent(const char *uri, int clients, long calls, long pid)
{
    int ready[2], go[2], done[2], st, failed = 0, ok;
    double d0, t0, wall, dcpu;

    if (clients <= 0 || clients > 4096 || calls <= 0)
        return 2;
    if (pipe(ready) < 0 || pipe(go) < 0 || pipe(done) < 0)
        return 1;
    for (int i = 0; i < clients; i++) {
        pid_t child = fork();

        if (child < 0)
            return 1;
        if (child == 0) {
            close(ready[0]);
            close(go[1]);
            close(done[0]);
            _exit(concurrent_child(uri, calls, ready[1], go[0], done[1]));
        }
    }
    close(ready[1]);
    close(go[0]);
    close(done[1]);
    ok = read_n(ready[0], clients);
    d0 = daemon_cpu_s(pid);
    t0 = now_s();
    close(go[1]);                       /* every client starts at once */
    ok = ok && read_n(done[0], clients);
    wall = (now_s() - t0) * 1e6 / ((double)clients * calls);
    dcpu = pid > 0 ? (daemon_cpu_s(pid) - d0) * 1e6 / ((double)clients * calls) : -1;
    while (wait(&st) > 0 || errno == EINTR)
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            failed++;
    if (!ok || failed) {
        fprintf(stderr, "vbench: %d of %d clients failed\n", failed, clients);
        return 1;
    }
    printf("{\"us_per_call\": %.3f, \"daemon_cpu_us_per_call\": %.3f}\n", wall, dcpu);
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
        return timed_calls(argv[2], atol(argv[3]), atol(argv[3]) / 10 + 1, atoi(argv[4]),
                           atol(argv[5]), call_getlibversion, "getLibVersion", "us");
    if (argc == 6 && strcmp(argv[1], "listall") == 0)
        return timed_calls(argv[2], atol(argv[3]), atol(argv[3]), atoi(argv[4]), atol(argv[5]),
                           call_listall, "listAllDomains", "ms");
    if (argc == 6 && strcmp(argv[1], "concurrent") == 0)
        return cmd_concurrent(argv[2], atoi(argv[3]), atol(argv[4]), atol(argv[5]));
    if (argc >= 6 && strcmp(argv[1], "coldstart") == 0 && strcmp(argv[4], "--") == 0)
        return cmd_coldstart(argv[2], argv[3], argv + 5);
    fprintf(stderr,
            "usage: vbench rpc URI N REPS DAEMON_PID\n"
            "       vbench listall URI N REPS DAEMON_PID\n"
            "       vbench concurrent URI CLIENTS CALLS DAEMON_PID\n"
            "       vbench coldstart URI PIDFILE|- -- CMD [ARGS...]\n");
    return 2;
}
