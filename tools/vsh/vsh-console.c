/* vsh-console.c: the console command (virsh console).
 *
 * The guest's console is a descriptor from vireo_domain_open_console();
 * this file relays it to and from the terminal. With a terminal on stdin
 * it is put in raw mode for the session, as virsh does; a pipe on stdin
 * works too (scripts, tests). The session ends on the escape character
 * ^] (0x1d), on end of input, or when the console ends.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "vsh.h"

#define ESCAPE_CHAR 0x1d /* ^] */
#define RELAY_CHUNK 1024

static gboolean
write_all(int fd, const guint8 *data, gsize len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        data += n;
        len -= (gsize)n;
    }
    return TRUE;
}

/* Keystrokes to the console. FALSE when the session ends here (escape
 * character or end of input). */
static gboolean
relay_input(int console)
{
    guint8 buf[RELAY_CHUNK];
    ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
    guint8 *esc;

    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return TRUE;
    if (n <= 0)
        return FALSE;
    esc = memchr(buf, ESCAPE_CHAR, (gsize)n);
    if (esc) {
        (void)write_all(console, buf, (gsize)(esc - buf));
        return FALSE;
    }
    return write_all(console, buf, (gsize)n);
}

/* Guest output to stdout. FALSE when the console ended. */
static gboolean
relay_output(int console)
{
    guint8 buf[RELAY_CHUNK];
    ssize_t n = read(console, buf, sizeof(buf));

    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return TRUE;
    if (n <= 0)
        return FALSE;
    return write_all(STDOUT_FILENO, buf, (gsize)n);
}

static void
relay(int console)
{
    gboolean input_open = TRUE;

    for (;;) {
        struct pollfd pfd[2] = {
            { console, POLLIN, 0 },
            { STDIN_FILENO, POLLIN, 0 },
        };

        if (poll(pfd, input_open ? 2 : 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        if (pfd[0].revents && !relay_output(console))
            return;
        if (input_open && pfd[1].revents && !relay_input(console))
            return;
    }
}

const VshOptDef vsh_opts_console[] = {
    { "domain", VSH_OT_DATA, VSH_OFLAG_REQ, "domain name, id or uuid" },
    { "devname", VSH_OT_STRING, 0, "character device name" },
    { "force", VSH_OT_BOOL, 0,
      "force console connection (disconnect already connected sessions)" },
    { "resume", VSH_OT_BOOL, 0, "resume a paused guest after connecting to console" },
    { "safe", VSH_OT_BOOL, 0, "only connect if safe console handling is supported" },
    { NULL },
};

static const VshOptFlag console_flags[] = {
    { "force", VIREO_DOMAIN_CONSOLE_FORCE },
    { "safe", VIREO_DOMAIN_CONSOLE_SAFE },
    { NULL },
};

gboolean
vsh_cmd_console(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoDomain) dom = vsh_lookup_domain(ctl, cmd, "domain",
                                                   VSH_BYID | VSH_BYUUID | VSH_BYNAME, NULL);
    GError *err = NULL;
    struct termios saved;
    gboolean raw;
    int state = 0;
    int console;

    if (!dom)
        return FALSE;
    if (!vireo_domain_get_state(dom, &state, NULL, &err))
        return vsh_fail(ctl, err);
    if (state == VIREO_DOMAIN_SHUTOFF) {
        vsh_error(ctl, "The domain is not running");
        return FALSE;
    }
    /* virsh greets before it opens the console */
    vsh_print_extra(ctl, "Connected to domain '%s'\n", vireo_domain_get_name(dom));
    vsh_print_extra(ctl, "Escape character is ^] (Ctrl + ])\n");
    fflush(stdout);
    console = vireo_domain_open_console(dom, vsh_opt_string(cmd, "devname"),
                                        vsh_opt_flags(cmd, console_flags), &err);
    if (console < 0)
        return vsh_fail(ctl, err);
    if (vsh_opt_bool(cmd, "resume") && !vireo_domain_resume(dom, &err)) {
        close(console);
        return vsh_fail(ctl, err);
    }

    raw = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (raw) {
        struct termios t = saved;

        cfmakeraw(&t);
        raw = tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) == 0;
    }
    relay(console);
    if (raw)
        (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    close(console);
    return TRUE;
}
