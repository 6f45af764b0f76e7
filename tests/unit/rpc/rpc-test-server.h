/* rpc-test-server: what the RPC server tests share to run a server with
 * the in-memory test driver on a UNIX socket in its own thread. */
#pragma once

#include <glib.h>

#include "core-driver.h"

/* CoreRpcDriverSelect: test:/// URIs get core_test_driver, anything else
 * CORE_ERR_NO_CONNECT naming the URI. */
const CoreDriver *rpc_test_select_driver(const char *uri, gpointer data, GError **error);

/* A listening UNIX socket bound to @path (asserts on failure). */
int rpc_test_listen_unix(const char *path);

/* GThreadFunc running the GMainLoop @loop with its context as the
 * thread-default one: g_thread_new("rpc-server", rpc_test_loop_thread, loop). */
gpointer rpc_test_loop_thread(gpointer loop);

/* Stops the loop run by @thread from inside it (a quit before the loop
 * runs would be lost) and joins the thread. */
void rpc_test_loop_join(GMainLoop *loop, GThread *thread);
