/* core-daemon-watch: see core-daemon-watch.h. */
#include "core-daemon-watch.h"

typedef struct {
    GSource base;
    int fd;
    gpointer tag;
} Watch;

static gboolean
watch_dispatch(GSource *source, GSourceFunc callback, gpointer data)
{
    Watch *w = (Watch *)source;
    GIOCondition revents = g_source_query_unix_fd(source, w->tag);

    if (!callback)
        return G_SOURCE_REMOVE;
    return ((CoreDaemonWatchFunc)(void (*)(void))callback)(w->fd, revents, data);
}

static GSourceFuncs watch_funcs = {
    .dispatch = watch_dispatch,
};

GSource *
core_daemon_watch_new(GMainContext *ctx, int fd, GIOCondition events, CoreDaemonWatchFunc func,
                      gpointer data)
{
    GSource *source = g_source_new(&watch_funcs, sizeof(Watch));
    Watch *w = (Watch *)source;

    w->fd = fd;
    w->tag = g_source_add_unix_fd(source, fd, events);
    g_source_set_callback(source, (GSourceFunc)(void (*)(void))func, data, NULL);
    g_source_attach(source, ctx);
    return source;
}

void
core_daemon_watch_set_events(GSource *watch, GIOCondition events)
{
    Watch *w = (Watch *)watch;

    g_source_modify_unix_fd(watch, w->tag, events);
}

void
core_daemon_watch_clear(GSource **watch)
{
    if (!*watch)
        return;
    g_source_destroy(*watch);
    g_clear_pointer(watch, g_source_unref);
}
