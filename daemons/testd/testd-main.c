/* vireo-testd: the in-memory test driver (test:///default) behind its own
 * sockets, so that routing through vireo-proxyd can be tested before the
 * hypervisor daemons exist. */
#include "core-daemon.h"

static const CoreDaemonSpec testd_spec = {
    .name = "testd",
    .description = "Vireo test daemon: serves the in-memory test driver (test:///default).",
    .test_driver = TRUE,
};

int
main(int argc, char **argv)
{
    return core_daemon_main(argc, argv, &testd_spec);
}
