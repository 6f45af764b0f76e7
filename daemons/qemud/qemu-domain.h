/* qemu-domain: the QEMU driver's state, its domain objects and their files.
 *
 * QemuDriver is the one state of a vireo-qemud process: the domain tables
 * (by name, UUID and id), the directories, the capability cache and the
 * connections that want events. QemuDomain is one guest: its definitions,
 * its run state and, while it runs, its QEMU process and QMP monitor.
 *
 * Locking: driver->lock guards the tables and the id counter; dom->lock
 * guards every field of a domain. Neither is held across a blocking call
 * (QMP, process start, waiting for an exit). A modifying call holds the
 * domain's job (qemu_domain_job_acquire/end) for its whole duration, so two
 * of them on one domain run one after the other while queries and calls on
 * other domains go on; a call waits for the job a bounded time (libvirt's
 * 30 s), so a guest whose QEMU hangs holds at most one worker for good.
 * Destroy needs no job: it kills QEMU, which ends the call that hangs. The
 * monitor and the exit watch live on the daemon's main context.
 *
 * Files (under --root DIR as DESIGN.md lays out):
 *   CONFIG/qemu/NAME.xml            persistent definition (atomic writes)
 *   CONFIG/qemu/autostart/NAME.xml  symlink: start with the daemon
 *   RUN/qemu/NAME.xml               status of a running guest
 *   RUN/qemu/NAME.monitor           its QMP socket
 *   LOG/qemu/NAME.log               argv and QEMU's stdout/stderr
 *   LIB/qemu/NAME/                  QEMU's HOME
 */
#pragma once

#include <glib.h>

#include "core-domain-conf.h"
#include "core-driver.h"
#include "qemu-caps-cache.h"
#include "qemu-monitor.h"

G_BEGIN_DECLS

/* virDomainState and the reasons Vireo reports (libvirt's numbers). */
enum {
    QEMU_STATE_RUNNING = 1,
    QEMU_STATE_PAUSED = 3,
    QEMU_STATE_SHUTDOWN = 4,
    QEMU_STATE_SHUTOFF = 5,
    QEMU_STATE_CRASHED = 6,
};
enum {
    QEMU_RUNNING_BOOTED = 1,
    QEMU_RUNNING_UNPAUSED = 5,
    QEMU_RUNNING_CRASHED = 9,
    QEMU_PAUSED_USER = 1,
    QEMU_PAUSED_SHUTTING_DOWN = 8,
    QEMU_PAUSED_CRASHED = 10,
    QEMU_PAUSED_STARTING_UP = 11,
    QEMU_SHUTOFF_UNKNOWN = 0,
    QEMU_SHUTOFF_SHUTDOWN = 1,
    QEMU_SHUTOFF_DESTROYED = 2,
    QEMU_SHUTOFF_CRASHED = 3,
    QEMU_SHUTOFF_FAILED = 6,
};
/* virDomainEventType and details. */
enum {
    QEMU_EVENT_DEFINED = 0,
    QEMU_EVENT_UNDEFINED = 1,
    QEMU_EVENT_STARTED = 2,
    QEMU_EVENT_SUSPENDED = 3,
    QEMU_EVENT_RESUMED = 4,
    QEMU_EVENT_STOPPED = 5,
    QEMU_EVENT_SHUTDOWN = 6,
    QEMU_EVENT_CRASHED = 8,
};
enum {
    QEMU_STOPPED_SHUTDOWN = 0,
    QEMU_STOPPED_DESTROYED = 1,
    QEMU_STOPPED_CRASHED = 2,
    QEMU_STOPPED_FAILED = 5,
};

typedef struct _QemuDriver QemuDriver;
typedef struct _QemuDomain QemuDomain;

struct _QemuDomain {
    gint refs;
    QemuDriver *driver;
    GMutex lock;
    GCond cond;              /* job end, process exit */
    gboolean job;
    const char *job_owner;   /* the procedure holding the job (static), NULL: internal */
    gint64 job_start;        /* monotonic µs when the job began */
    gint64 mon_start;        /* monotonic µs since the job's QMP command waits, 0: none */
    CoreDomainDef *def;      /* the live definition while active, else the persistent one */
    CoreDomainDef *newdef;   /* while active: the persistent definition (NULL: transient) */
    gboolean persistent;
    gboolean autostart;
    gboolean removed;        /* no longer in the tables */
    int state;
    int reason;
    /* process (pid 0: inactive) */
    GPid pid;
    int pidfd;
    gboolean is_child;       /* started by this daemon instance (we reap it) */
    GSource *exit_source;
    QemuMonitor *mon;        /* main context only */
    int stop_reason;         /* QEMU_SHUTOFF_* to record at exit, -1: unexpected */
    gboolean got_shutdown;   /* QEMU reported SHUTDOWN */
    gboolean restart;        /* start again after this exit (on_poweroff=restart) */
    guint powerdown_tries;
    GSource *powerdown_source;
    /* libvirt's fake reboot: the guest's next shutdown is turned into a
     * reset and a cont (status XML: <fakereboot/>) */
    gboolean fake_reboot;
    gboolean rebooting;      /* that reset and cont are under way */
};

struct _QemuDriver {
    GMutex lock;
    GHashTable *by_uuid;     /* guint8[16] -> QemuDomain (ref) */
    GHashTable *by_name;     /* char * -> QemuDomain (no ref) */
    GHashTable *by_id;       /* int -> QemuDomain (no ref) */
    int next_id;
    char *config_dir;
    char *autostart_dir;
    char *run_dir;
    char *lib_dir;
    char *log_dir;
    char *cache_dir;
    char *emulator;          /* the default QEMU binary */
    guint job_wait_ms;       /* how long a call waits for a domain's job */
    gboolean privileged;
    QemuCapsCache *caps;
    GMainContext *context;
    /* event delivery (qemu-events.c) */
    GMutex sink_lock;
    GPtrArray *conns;        /* QemuConn */
};

/* One client connection (the driver's per-connection state). */
typedef struct {
    QemuDriver *driver;
    char *uri;
    CoreEventSink sink;
    gpointer sink_data;
} QemuConn;

/* The driver of this process, set by qemu_driver_state_new(). */
extern QemuDriver *qemu_driver_self;

/**
 * qemu_driver_state_new:
 * @config_dir, @run_dir, @log_dir, @lib_dir, @cache_dir: the daemon's
 *   directories; "qemu" subdirectories are used below them
 * @context: the main context that runs monitors and exit watches
 * Creates the directories, loads the persistent definitions and the
 * status of guests that were running, and reconnects to them.
 * Returns: (transfer full) the driver, or NULL with @error.
 */
QemuDriver *qemu_driver_state_new(const char *config_dir, const char *run_dir,
                                  const char *log_dir, const char *lib_dir,
                                  const char *cache_dir, GMainContext *context,
                                  GError **error);
void qemu_driver_state_free(QemuDriver *driver);

/* (transfer full) The caps of @emulator (NULL: the default), or NULL with @error. */
QemuCaps *qemu_driver_get_caps(QemuDriver *driver, const char *emulator, GError **error);

/* Post-parse step: arch, machine (canonical), emulator. */
gboolean qemu_domain_def_post_parse(QemuDriver *driver, CoreDomainDef *def, GError **error);

QemuDomain *qemu_domain_ref(QemuDomain *dom);
void qemu_domain_unref(QemuDomain *dom);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QemuDomain, qemu_domain_unref)

/* Lookups: (transfer full) or NULL with CORE_ERR_NO_DOMAIN. */
QemuDomain *qemu_domain_find_uuid(QemuDriver *driver, const guint8 *uuid, GError **error);
QemuDomain *qemu_domain_find_name(QemuDriver *driver, const char *name, GError **error);
QemuDomain *qemu_domain_find_id(QemuDriver *driver, int id, GError **error);
/* (transfer full) (element-type QemuDomain) every domain, referenced. */
GPtrArray *qemu_domain_list(QemuDriver *driver);

/**
 * qemu_domain_add:
 * Adds @def (transfer full) as a new domain or as the new definition of
 * the domain with its UUID (libvirt's rules for names and UUIDs).
 * @live: for create: the domain must not be active.
 * @ret_new: (out) TRUE when the domain did not exist.
 * Returns: (transfer full) the domain, or NULL with @error.
 */
QemuDomain *qemu_domain_add(QemuDriver *driver, CoreDomainDef *def, gboolean live,
                            gboolean *ret_new, GError **error);
/* Drops @dom from the tables (it stays valid for its holders). */
void qemu_domain_remove(QemuDriver *driver, QemuDomain *dom);
/* Gives an active domain its id. */
void qemu_domain_assign_id(QemuDriver *driver, QemuDomain *dom);
void qemu_domain_release_id(QemuDriver *driver, QemuDomain *dom);

/* libvirt's QEMU_JOB_WAIT_TIME; VIREO_QEMU_JOB_WAIT_MS overrides it (tests). */
#define QEMU_DOMAIN_JOB_WAIT_MS_DEFAULT 30000u

/* Jobs: one modifying call at a time per domain. qemu_domain_job_begin()
 * waits as long as it takes (the daemon's own work: autostart, restart,
 * fake reboot). */
void qemu_domain_job_begin(QemuDomain *dom);

/**
 * qemu_domain_job_acquire:
 * @api: (nullable) the procedure the job serves, as libvirt names it
 *       ("remoteDispatchDomainReboot"): later callers' errors name it
 * Takes @dom's job for a client's call, waiting at most driver->job_wait_ms
 * for the call holding it (a guest whose QEMU does not answer keeps it).
 * Returns: FALSE with CORE_ERR_OPERATION_TIMEOUT ("cannot acquire state
 * change lock (held by monitor=...)", as libvirt words it) on time-out.
 */
gboolean qemu_domain_job_acquire(QemuDomain *dom, const char *api, GError **error);
void qemu_domain_job_end(QemuDomain *dom);

/* Sets or clears the pending fake reboot, saving the status of an active
 * domain when it changes (dom->lock held). */
void qemu_domain_set_fake_reboot(QemuDomain *dom, gboolean value);

/* TRUE when @dom has a process (dom->lock held). */
gboolean qemu_domain_is_active(QemuDomain *dom);

/* (transfer full) The handle of @dom (dom->lock held). */
CoreDomainRef *qemu_domain_make_ref(QemuDomain *dom);

/* Files. */
char *qemu_domain_config_path(QemuDriver *driver, const char *name);
char *qemu_domain_status_path(QemuDriver *driver, const char *name);
char *qemu_domain_monitor_path(QemuDriver *driver, const char *name);
char *qemu_domain_log_path(QemuDriver *driver, const char *name);
gboolean qemu_domain_save_config(QemuDriver *driver, const CoreDomainDef *def, GError **error);
gboolean qemu_domain_delete_config(QemuDriver *driver, const char *name, GError **error);
gboolean qemu_domain_set_autostart_link(QemuDriver *driver, const char *name,
                                        gboolean autostart, GError **error);
/* Writes the status XML of an active domain (dom->lock held); logs failures. */
void qemu_domain_save_status(QemuDomain *dom);
void qemu_domain_delete_status(QemuDriver *driver, const char *name);

/**
 * qemu_console_open:
 * @dev_name: (nullable) "console0", "serial0" ...; NULL: the first console
 * Returns: a raw-mode descriptor on the running guest's pty (transfer
 * full), or -1 with @error (qemu-console.c).
 */
int qemu_console_open(QemuDomain *dom, const char *dev_name, GError **error);

/**
 * qemu_domain_caps_format:
 * <domainCapabilities> of @emulator (NULL: the default binary) for @arch,
 * @machine and @virttype (each NULL: the binary's default); qemu-domain-caps.c.
 * Returns: (transfer full) the XML, or NULL with @error
 * (CORE_ERR_INVALID_ARG for a mismatch, CONFIG_UNSUPPORTED for kvm without KVM).
 */
char *qemu_domain_caps_format(QemuDriver *driver, const char *emulator, const char *arch,
                              const char *machine, const char *virttype, GError **error);

/* Events (qemu-events.c). */
void qemu_events_add_conn(QemuDriver *driver, QemuConn *conn);
void qemu_events_remove_conn(QemuDriver *driver, QemuConn *conn);
/* Sends a lifecycle event for @dom (dom->lock held or not: the handle is
 * passed in). */
void qemu_events_lifecycle(QemuDriver *driver, const CoreDomainRef *ref, int event, int detail);
void qemu_events_reboot(QemuDriver *driver, const CoreDomainRef *ref);

G_END_DECLS
