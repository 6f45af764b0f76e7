/* core-daemon-watch: a main-loop watch on one fd whose conditions can change
 * (a relay stops reading while its buffer is full, starts writing when it
 * has data), which g_unix_fd_source_new() cannot do. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Return G_SOURCE_REMOVE to stop watching (the source is then destroyed). */
typedef gboolean (*CoreDaemonWatchFunc)(int fd, GIOCondition revents, gpointer data);

/**
 * core_daemon_watch_new:
 * @ctx: the context to attach to (NULL: the global default)
 * @fd: (transfer none) the fd to poll; the caller keeps it open while the
 *   watch lives
 * @events: initial conditions (G_IO_IN, G_IO_OUT; 0 polls nothing)
 * Returns: (transfer full) the attached source; g_source_destroy() and
 * g_source_unref() it to stop.
 */
GSource *core_daemon_watch_new(GMainContext *ctx, int fd, GIOCondition events,
                               CoreDaemonWatchFunc func, gpointer data);
void core_daemon_watch_set_events(GSource *watch, GIOCondition events);

/* Destroys and unrefs *@watch if set, and clears it. */
void core_daemon_watch_clear(GSource **watch);

G_END_DECLS
