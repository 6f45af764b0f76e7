/* vsh-event: the event command (domain lifecycle and reboot events). */
#include "vsh.h"

#include <stdio.h>
#include <string.h>

/* Every event name virsh 9.0 lists; vsh receives the first two. */
static const char *const event_names[] = {
    "lifecycle", "reboot", "rtc-change", "watchdog", "io-error", "graphics",
    "io-error-reason", "control-error", "block-job", "disk-change", "tray-change",
    "pm-wakeup", "pm-suspend", "balloon-change", "pm-suspend-disk", "device-removed",
    "block-job-2", "tunable", "agent-lifecycle", "device-added", "migration-iteration",
    "job-completed", "device-removal-failed", "metadata-change", "block-threshold",
    "memory-failure", "memory-device-size-change",
};

static const char *const event_types[] = {
    "Defined", "Undefined", "Started", "Suspended", "Resumed", "Stopped", "Shutdown",
    "PMSuspended", "Crashed",
};

static const char *const *const event_details[] = {
    (const char *const[]){ "Added", "Updated", "Renamed", "Snapshot", NULL },
    (const char *const[]){ "Removed", "Renamed", NULL },
    (const char *const[]){ "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup", NULL },
    (const char *const[]){ "Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot",
                           "API error", "Post-copy", "Post-copy Error", NULL },
    (const char *const[]){ "Unpaused", "Migrated", "Snapshot", "Post-copy", "Post-copy Error",
                           NULL },
    (const char *const[]){ "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed",
                           "Snapshot", "Daemon", NULL },
    (const char *const[]){ "Finished", "Finished after guest request",
                           "Finished after host request", NULL },
    (const char *const[]){ "Memory", "Disk", NULL },
    (const char *const[]){ "Panicked", "Crashloaded", NULL },
};

typedef struct {
    VshCtl *ctl;
    GMainLoop *loop;
    gboolean all, loop_mode, timestamp;
    int want_id;          /* -1 = any (with --all) */
    guint8 uuid[16];
    gboolean filter;
    int count;
    gboolean timed_out;
} EventData;

static const char *
detail_str(int event, int detail)
{
    const char *const *list = NULL;

    if (event < 0 || event >= (int)G_N_ELEMENTS(event_details))
        return "unknown";
    list = event_details[event];
    for (int i = 0; list[i]; i++) {
        if (i == detail)
            return list[i];
    }
    return "unknown";
}

static void
on_domain_event(VireoConnect *conn, VireoDomain *dom, VireoDomainEventId id, int event,
                int detail, gpointer user_data)
{
    EventData *data = user_data;
    g_autofree char *stamp = NULL;

    if (data->want_id >= 0 && (int)id != data->want_id)
        return;
    if (data->filter && memcmp(vireo_domain_get_uuid(dom), data->uuid, 16) != 0)
        return;
    if (data->timestamp) {
        g_autoptr(GDateTime) now = g_date_time_new_now_local();

        stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S.");
        stamp = g_strdup_printf("%s%03d%s: ", stamp, g_date_time_get_microsecond(now) / 1000,
                                g_date_time_format(now, "%z"));
    }
    if (id == VIREO_DOMAIN_EVENT_ID_LIFECYCLE)
        vsh_print(data->ctl, "%sevent 'lifecycle' for domain '%s': %s %s\n", stamp ? stamp : "",
                  vireo_domain_get_name(dom),
                  event >= 0 && event < (int)G_N_ELEMENTS(event_types) ? event_types[event]
                                                                        : "unknown",
                  detail_str(event, detail));
    else
        vsh_print(data->ctl, "%sevent 'reboot' for domain '%s'\n", stamp ? stamp : "",
                  vireo_domain_get_name(dom));
    fflush(stdout);
    data->count++;
    if (!data->loop_mode)
        g_main_loop_quit(data->loop);
}

static gboolean
on_timeout(gpointer user_data)
{
    EventData *data = user_data;

    data->timed_out = TRUE;
    g_main_loop_quit(data->loop);
    return G_SOURCE_REMOVE;
}

static gboolean
event_setup(VshCtl *ctl, const VshCmd *cmd, EventData *data)
{
    const char *name = vsh_opt_string(cmd, "event");

    data->want_id = -1;
    if (name) {
        gsize i;

        for (i = 0; i < G_N_ELEMENTS(event_names); i++) {
            if (strcmp(name, event_names[i]) == 0)
                break;
        }
        if (i == G_N_ELEMENTS(event_names)) {
            vsh_error(ctl, "unknown event type %s", name);
            return FALSE;
        }
        if (i > 1) {
            vsh_error(ctl, "event type %s is not supported by vsh", name);
            return FALSE;
        }
        data->want_id = (int)i;
    }
    if (vsh_opt_bool(cmd, "domain")) {
        g_autoptr(VireoDomain) dom = vsh_lookup_domain(ctl, cmd, "domain",
                                                       VSH_BYID | VSH_BYUUID | VSH_BYNAME, NULL);

        if (!dom)
            return FALSE;
        memcpy(data->uuid, vireo_domain_get_uuid(dom), 16);
        data->filter = TRUE;
    }
    return TRUE;
}

static gboolean
cmd_event(VshCtl *ctl, const VshCmd *cmd)
{
    EventData data = { .ctl = ctl };
    int timeout = 0, id;
    guint timer = 0;
    GError *err = NULL;

    if (vsh_opt_bool(cmd, "list")) {
        for (gsize i = 0; i < G_N_ELEMENTS(event_names); i++)
            vsh_print(ctl, "%s\n", event_names[i]);
        return TRUE;
    }
    data.all = vsh_opt_bool(cmd, "all");
    data.loop_mode = vsh_opt_bool(cmd, "loop");
    data.timestamp = vsh_opt_bool(cmd, "timestamp");
    if (!vsh_opt_bool(cmd, "event") && !data.all) {
        vsh_error(ctl, "%s", "one of --list, --all, or --event <type> is required");
        return FALSE;
    }
    if (vsh_opt_int(ctl, cmd, "timeout", &timeout) < 0)
        return FALSE;
    if (vsh_opt_bool(cmd, "timeout") && (timeout <= 0 || timeout > G_MAXINT / 1000)) {
        vsh_error(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                  vsh_opt_string(cmd, "timeout"), "timeout");
        return FALSE;
    }
    if (!event_setup(ctl, cmd, &data))
        return FALSE;
    data.loop = g_main_loop_new(NULL, FALSE);
    if ((id = vireo_connect_domain_event_register(ctl->conn, NULL, on_domain_event, &data, NULL,
                                                  &err)) < 0) {
        g_main_loop_unref(data.loop);
        vsh_save_error(ctl, err);
        return FALSE;
    }
    if (timeout > 0)
        timer = g_timeout_add_seconds(timeout, on_timeout, &data);
    g_main_loop_run(data.loop);
    if (timer && !data.timed_out)
        g_source_remove(timer);
    vireo_connect_event_deregister(ctl->conn, id, NULL);
    /* run the idle deliveries still queued so that nothing points at data */
    while (g_main_context_iteration(NULL, FALSE))
        ;
    g_main_loop_unref(data.loop);
    if (data.timed_out)
        vsh_print(ctl, "%s", "event loop timed out\n");
    vsh_print(ctl, "events received: %d\n", data.count);
    return data.count > 0;
}

static const VshOptDef opts_event[] = {
    { "domain", VSH_OT_STRING, 0, "filter by domain name, id or uuid" },
    { "event", VSH_OT_STRING, 0, "which event type to wait for" },
    { "all", VSH_OT_BOOL, 0, "wait for all events instead of just one type" },
    { "loop", VSH_OT_BOOL, 0, "loop until timeout or interrupt, rather than one-shot" },
    { "timeout", VSH_OT_INT, 0, "timeout seconds" },
    { "list", VSH_OT_BOOL, 0, "list valid event types" },
    { "timestamp", VSH_OT_BOOL, 0, "show timestamp for each printed event" },
    { NULL },
};

const VshCmdDef vsh_event_cmds[] = {
    { "event", cmd_event, opts_event, "Domain Events",
      "List event types, or wait for domain events to occur", 0 },
    { NULL },
};
