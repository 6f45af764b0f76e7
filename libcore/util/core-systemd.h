/*
 * core-systemd: the three small systemd protocols a daemon needs, spoken
 * directly so that the daemons do not load libsystemd (and the compression
 * and crypto libraries it pulls in) at every start.
 *
 *  - readiness: a datagram of "KEY=VALUE" lines to $NOTIFY_SOCKET;
 *  - socket activation: $LISTEN_PID, $LISTEN_FDS and $LISTEN_FDNAMES name
 *    descriptors from 3 on;
 *  - the native journal protocol: a datagram of fields to
 *    /run/systemd/journal/socket, or a sealed memfd when it is too large.
 */
#pragma once

#include <glib.h>

/* The first descriptor systemd passes. */
#define CORE_SYSTEMD_LISTEN_FDS_START 3

/* The socket journald reads native-protocol datagrams on. */
#define CORE_SYSTEMD_JOURNAL_SOCKET "/run/systemd/journal/socket"

/**
 * core_systemd_notify:
 * @state: newline-separated assignments, e.g. "READY=1\nSTATUS=serving"
 *
 * Sends @state to the socket named by $NOTIFY_SOCKET (a path, or an
 * abstract name when it starts with '@').
 *
 * Returns: TRUE when sent; FALSE when $NOTIFY_SOCKET is unset or the send
 * failed (not being supervised is not an error).
 */
gboolean core_systemd_notify(const char *state);

/**
 * core_systemd_notifyf:
 * @fmt: printf format of the state
 *
 * core_systemd_notify() with a formatted state.
 */
gboolean core_systemd_notifyf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/**
 * core_systemd_listen_fds:
 * @ret_names: (out) (optional) (transfer full): NULL-terminated names, one
 *     per descriptor ("unknown" where $LISTEN_FDNAMES gives none)
 * @error: set on malformed variables (CORE_ERR_INTERNAL_ERROR)
 *
 * Reads the socket-activation variables meant for this process
 * ($LISTEN_PID equal to getpid()), unsets all three so that children do
 * not see them, and marks the descriptors close-on-exec.
 *
 * Returns: the number of descriptors (from CORE_SYSTEMD_LISTEN_FDS_START),
 * 0 when none were passed to this process, -1 on error.
 */
int core_systemd_listen_fds(char ***ret_names, GError **error);

/**
 * core_systemd_parse_listen:
 * @pid: value of $LISTEN_PID, or NULL
 * @fds: value of $LISTEN_FDS, or NULL
 * @names: value of $LISTEN_FDNAMES, or NULL
 * @self: the pid the variables must name
 * @ret_names: (out) (optional) (transfer full): as core_systemd_listen_fds
 * @error: set on malformed values
 *
 * The parsing half of core_systemd_listen_fds(), without side effects.
 *
 * Returns: the count, 0 when the variables are absent or meant for another
 * process, -1 on error.
 */
int core_systemd_parse_listen(const char *pid, const char *fds, const char *names, gint64 self,
                              char ***ret_names, GError **error);

/**
 * core_systemd_is_listening_unix_stream:
 * @fd: a descriptor
 *
 * Returns: TRUE when @fd is an AF_UNIX SOCK_STREAM socket in listening
 * state.
 */
gboolean core_systemd_is_listening_unix_stream(int fd);

/**
 * core_systemd_journal_send:
 * @socket_path: (nullable): journald's socket; NULL for
 *     CORE_SYSTEMD_JOURNAL_SOCKET
 * @fields: "NAME=value" strings; names are upper case letters, digits and
 *     '_'; values may hold any byte but NUL, newlines included
 * @n_fields: number of @fields
 *
 * Sends one journal entry. An entry too large for one datagram goes in a
 * sealed memfd passed with SCM_RIGHTS, as journald expects.
 *
 * Returns: TRUE when journald's socket took the entry.
 */
gboolean core_systemd_journal_send(const char *socket_path, const char *const *fields,
                                   gsize n_fields);
