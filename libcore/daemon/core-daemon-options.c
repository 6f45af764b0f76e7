/* core-daemon-options: see core-daemon-options.h. */
#include "core-daemon-options.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "core-error.h"

#define CORE_FROM_THIS CORE_FROM_CONF

void
core_daemon_options_clear(CoreDaemonOptions *opts)
{
    g_clear_pointer(&opts->root, g_free);
    g_clear_pointer(&opts->config, g_free);
}

static char *
help_text(const char *name)
{
    return g_strdup_printf(
        "Sockets: %1$s-sock (read-write), %1$s-sock-ro (read-only) and %1$s-admin-sock\n"
        "(mode 0600: libvirt's admin program for virt-admin, and client hand-over),\n"
        "created in /run/vireo (system), $XDG_RUNTIME_DIR/vireo (--session, the default\n"
        "when not run as root) or DIR/run/vireo (--root DIR), or received from systemd\n"
        "socket activation. Config file: /etc/vireo/%1$s.conf, ~/.config/vireo/%1$s.conf\n"
        "or DIR/etc/vireo/%1$s.conf unless --config is given. Pidfile: %1$s.pid in the\n"
        "socket directory. SIGTERM or SIGINT stops the daemon cleanly.\n"
        "See docs/daemons.md.",
        name);
}

/* Strict parsing: G_OPTION_ARG_INT would take "-1", which means "unset". */
static gboolean
parse_timeout(const char *option, const char *value, gpointer data, GError **error)
{
    CoreDaemonOptions *opts = data;
    char *end = NULL;
    guint64 v;

    errno = 0;
    v = g_ascii_strtoull(value, &end, 10);
    if (!*value || *value == '-' || *value == '+' || *end || errno || v > G_MAXINT / 1000) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--timeout needs a number of seconds from 0 to %d, not '%s'",
                    G_MAXINT / 1000, value);
        return FALSE;
    }
    opts->timeout = (int)v;
    return TRUE;
}

gboolean
core_daemon_options_parse(const char *name, const char *description, int *argc, char ***argv,
                          CoreDaemonOptions *ret, GError **error)
{
    g_auto(CoreDaemonOptions) opts = { .timeout = -1 };
    const GOptionEntry entries[] = {
        { "root", 0, 0, G_OPTION_ARG_FILENAME, &opts.root,
          "Keep sockets, config, state and logs under DIR", "DIR" },
        { "session", 0, 0, G_OPTION_ARG_NONE, &opts.session,
          "Run as a per-user session daemon", NULL },
        { "config", 0, 0, G_OPTION_ARG_FILENAME, &opts.config,
          "Read the configuration from FILE", "FILE" },
        { "timeout", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)parse_timeout,
          "Exit after SECS seconds without clients (0: never)", "SECS" },
        { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opts.verbose,
          "Log debug messages", NULL },
        { "version", 'V', 0, G_OPTION_ARG_NONE, &opts.version,
          "Print the version and exit", NULL },
        { NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
    GOptionGroup *group = g_option_group_new(name, description, "Daemon options", &opts, NULL);
    g_autofree char *help = help_text(name);
    g_autoptr(GError) local = NULL;

    g_option_context_set_summary(ctx, description);
    g_option_context_set_description(ctx, help);
    g_option_group_add_entries(group, entries);
    g_option_context_set_main_group(ctx, group);
    if (!g_option_context_parse(ctx, argc, argv, &local))
        return core_error_set(error, CORE_ERR_INVALID_ARG, "%s", local->message);
    if (*argc > 1)
        return core_error_set(error, CORE_ERR_INVALID_ARG, "unexpected argument '%s'",
                              (*argv)[1]);
    if (opts.root && opts.session)
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "--root and --session cannot be used together");
    *ret = opts;
    memset(&opts, 0, sizeof(opts));
    return TRUE;
}

CoreDaemonMode
core_daemon_options_mode(const CoreDaemonOptions *opts)
{
    if (opts->root)
        return CORE_DAEMON_MODE_ROOT;
    if (opts->session || geteuid() != 0)
        return CORE_DAEMON_MODE_SESSION;
    return CORE_DAEMON_MODE_SYSTEM;
}
