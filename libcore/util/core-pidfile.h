/* core-pidfile: one running instance per pidfile.
 *
 * The pidfile is locked with an open-file-description lock (F_OFD_SETLK)
 * for as long as the daemon runs: two instances never hold it together,
 * even when started at the same moment, and a file left behind by a
 * crashed daemon is simply taken over (the kernel dropped its lock).
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef struct _CorePidfile CorePidfile;

/**
 * core_pidfile_acquire:
 * @path: the pidfile; its directory must exist
 * @ret_other: (out) (optional): when the file is held by another
 *     instance, that instance's pid (-1 when it has not written it yet);
 *     0 otherwise
 * @error: CORE_ERR_OPERATION_FAILED naming @path and the other pid when
 *     another instance holds the file, CORE_ERR_SYSTEM_ERROR otherwise
 *
 * Creates or opens @path (mode 0644), locks it, and writes "<pid>\n".
 * Returns: (transfer full) the held pidfile, NULL on error.
 */
CorePidfile *core_pidfile_acquire(const char *path, pid_t *ret_other, GError **error);

/* Removes the file and drops the lock; NULL is a no-op. */
void core_pidfile_release(CorePidfile *pidfile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CorePidfile, core_pidfile_release)

/* (transfer none) The path given at acquire time. */
const char *core_pidfile_get_path(const CorePidfile *pidfile);

/**
 * core_pidfile_read_owner:
 * Returns: the pid of the instance holding @path locked, 0 when nobody
 * holds it (or it does not exist), -1 when it is held but carries no pid
 * yet. Never fails: a file that cannot be read counts as not held.
 */
pid_t core_pidfile_read_owner(const char *path);

G_END_DECLS
