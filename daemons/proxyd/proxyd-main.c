/* vireo-proxyd: serves test:/// in-process and routes every other URI to the
 * daemon owning it (see proxyd-route.h and docs/daemons.md). */
#include "core-daemon.h"
#include "proxyd-route.h"

static gboolean
proxyd_state_init(CoreDaemon *daemon, GError **error)
{
    ProxydRouter *router = proxyd_router_new(daemon, error);

    if (!router)
        return FALSE;
    core_daemon_set_data(daemon, router);
    return TRUE;
}

static void
proxyd_state_cleanup(CoreDaemon *daemon)
{
    proxyd_router_free(core_daemon_get_data(daemon));
}

static const CoreDaemonSpec proxyd_spec = {
    .name = "proxyd",
    .description = "Vireo proxy daemon: serves test:///default and routes every other URI "
                   "to the daemon that owns it.",
    .test_driver = TRUE,
    .state_init = proxyd_state_init,
    .state_cleanup = proxyd_state_cleanup,
};

int
main(int argc, char **argv)
{
    return core_daemon_main(argc, argv, &proxyd_spec);
}
