/* core-daemon-options: the command line every Vireo daemon accepts. */
#pragma once

#include <glib.h>

#include "core-daemon-paths.h"

G_BEGIN_DECLS

typedef struct {
    char *root;     /* --root DIR */
    gboolean session;
    char *config;   /* --config FILE */
    int timeout;    /* --timeout SECS, -1 when not given */
    gboolean verbose;
    gboolean version;
} CoreDaemonOptions;

void core_daemon_options_clear(CoreDaemonOptions *opts);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CoreDaemonOptions, core_daemon_options_clear)

/**
 * core_daemon_options_parse:
 * @name, @description: the daemon's short name and one-line description
 * @argc, @argv: the process arguments (options are removed)
 * @ret: filled on success
 * --help prints the usage and exits 0 (GOption's behaviour).
 * Returns: FALSE with CORE_ERR_INVALID_ARG for unknown options, stray
 * arguments, a negative timeout or --root together with --session.
 */
gboolean core_daemon_options_parse(const char *name, const char *description, int *argc,
                                   char ***argv, CoreDaemonOptions *ret, GError **error);

/* The mode the options select: ROOT with --root, SESSION with --session or
 * when not running as root, SYSTEM otherwise. */
CoreDaemonMode core_daemon_options_mode(const CoreDaemonOptions *opts);

G_END_DECLS
