/*
 * reaper CMD [ARGS...]: runs CMD as a child subreaper would (the role
 * systemd or tini play on a normal host).
 *
 * libvirtd double-forks QEMU, so QEMU's parent becomes the nearest
 * subreaper. On this machine PID 1 reaps orphans only every second or two,
 * and libvirtd's destroy polls kill(pid, 0), which still succeeds on a
 * zombie: destroy would take 1.6-1.8 s instead of about 0.2 s. Under this
 * wrapper the zombie is collected at once.
 *
 * TERM, INT and HUP are passed on to CMD; the exit status is CMD's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t cmd_pid;

static void
pass_on(int sig)
{
    if (cmd_pid > 0)
        kill(cmd_pid, sig);
}

int
main(int argc, char **argv)
{
    struct sigaction sa = { 0 };

    if (argc < 2) {
        fprintf(stderr, "usage: reaper CMD [ARGS...]\n");
        return 2;
    }
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
        perror("reaper: prctl");
        return 1;
    }
    sa.sa_handler = pass_on;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    cmd_pid = fork();
    if (cmd_pid < 0) {
        perror("reaper: fork");
        return 1;
    }
    if (cmd_pid == 0) {
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    for (;;) {
        int st;
        pid_t p = waitpid(-1, &st, 0);

        if (p < 0 && errno == EINTR)
            continue;
        if (p < 0)
            return 1;
        if (p == cmd_pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }
}
