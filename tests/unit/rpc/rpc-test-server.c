/* rpc-test-server: see rpc-test-server.h. */
#include "rpc-test-server.h"

#include <sys/socket.h>
#include <sys/un.h>

#include "core-error.h"

const CoreDriver *
rpc_test_select_driver(const char *uri, gpointer data, GError **error)
{
    if (g_str_has_prefix(uri, "test:///"))
        return &core_test_driver;
    core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_NO_CONNECT, "%s", uri);
    return NULL;
}

int
rpc_test_listen_unix(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    g_assert_cmpint(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(fd, 512), ==, 0);
    return fd;
}

gpointer
rpc_test_loop_thread(gpointer loop)
{
    GMainContext *ctx = g_main_loop_get_context(loop);

    g_main_context_push_thread_default(ctx);
    g_main_loop_run(loop);
    g_main_context_pop_thread_default(ctx);
    return NULL;
}

static gboolean
quit_cb(gpointer loop)
{
    g_main_loop_quit(loop);
    return G_SOURCE_REMOVE;
}

void
rpc_test_loop_join(GMainLoop *loop, GThread *thread)
{
    g_main_context_invoke(g_main_loop_get_context(loop), quit_cb, loop);
    g_thread_join(thread);
}
