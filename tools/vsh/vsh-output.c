/* vsh-output: virsh's table layout, size scaling and the --json printer. */
#include "vsh.h"

#include <stdio.h>
#include <string.h>

struct _VshTable {
    GPtrArray *rows; /* (element-type GStrv); row 0 is the header */
};

static GStrv
collect_row(const char *first, va_list ap)
{
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();

    for (const char *cell = first; cell; cell = va_arg(ap, const char *))
        g_strv_builder_add(b, cell);
    return g_strv_builder_end(b);
}

VshTable *
vsh_table_new(const char *first, ...)
{
    VshTable *table = g_new0(VshTable, 1);
    va_list ap;

    table->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    va_start(ap, first);
    g_ptr_array_add(table->rows, collect_row(first, ap));
    va_end(ap);
    return table;
}

void
vsh_table_add_row(VshTable *table, const char *first, ...)
{
    va_list ap;

    va_start(ap, first);
    g_ptr_array_add(table->rows, collect_row(first, ap));
    va_end(ap);
}

void
vsh_table_free(VshTable *table)
{
    if (!table)
        return;
    g_ptr_array_unref(table->rows);
    g_free(table);
}

gboolean
vsh_list_print(VshCtl *ctl, json_object *arr, VshTable *table)
{
    if (arr) {
        vsh_table_free(table);
        vsh_json_print(ctl, arr);
    } else if (table) {
        vsh_table_print(ctl, table);
    }
    return TRUE;
}

void
vsh_print_size(VshCtl *ctl, const char *label, guint64 val, gboolean bytes,
               const char *bytes_unit)
{
    const char *unit = NULL;
    double v;

    if (bytes) {
        vsh_print(ctl, "%-15s %" G_GUINT64_FORMAT "%s%s\n", label, val, bytes_unit ? " " : "",
                  bytes_unit ? bytes_unit : "");
        return;
    }
    v = vsh_pretty_capacity(val, &unit);
    vsh_print(ctl, "%-15s %2.2f %s\n", label, v, unit);
}

/* Display width of a cell; cells are names and numbers, so UTF-8 code
 * points are a fair measure. */
static gsize
cell_width(const char *cell)
{
    return g_utf8_validate(cell, -1, NULL) ? (gsize)g_utf8_strlen(cell, -1) : strlen(cell);
}

static void
print_row(GString *out, GStrv row, const gsize *widths)
{
    guint n = g_strv_length(row);

    for (guint i = 0; i < n; i++) {
        g_string_append_printf(out, " %s", row[i]);
        if (i + 1 < n) {
            for (gsize j = cell_width(row[i]); j < widths[i] + 2; j++)
                g_string_append_c(out, ' ');
        }
    }
    g_string_append_c(out, '\n');
}

void
vsh_table_print(VshCtl *ctl, VshTable *table)
{
    gboolean header = !ctl->quiet;
    GStrv head = table->rows->pdata[0];
    guint ncols = g_strv_length(head);
    g_autofree gsize *widths = g_new0(gsize, ncols);
    g_autoptr(GString) out = g_string_new(NULL);

    /* as virsh: the header counts for the widths only when it is shown */
    for (guint r = header ? 0 : 1; r < table->rows->len; r++) {
        GStrv row = table->rows->pdata[r];

        for (guint c = 0; c < ncols && row[c]; c++)
            widths[c] = MAX(widths[c], cell_width(row[c]));
    }
    if (header) {
        print_row(out, head, widths);
        for (guint c = 0; c < ncols; c++) {
            for (gsize j = 0; j < widths[c] + 3; j++)
                g_string_append_c(out, '-');
        }
        g_string_append_c(out, '\n');
    }
    for (guint r = 1; r < table->rows->len; r++)
        print_row(out, table->rows->pdata[r], widths);
    fputs(out->str, stdout);
    vsh_table_free(table);
}

double
vsh_pretty_capacity(guint64 val, const char **unit)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    double limit = 1024;
    double div = 1;

    for (size_t i = 0; i < G_N_ELEMENTS(units) - 1; i++) {
        if ((double)val < limit) {
            *unit = units[i];
            return (double)val / div;
        }
        div = limit;
        limit *= 1024;
    }
    *unit = units[G_N_ELEMENTS(units) - 1];
    return (double)val / div;
}

void
vsh_json_print(VshCtl *ctl, json_object *obj)
{
    fputs(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
                                                  JSON_C_TO_STRING_SPACED |
                                                  JSON_C_TO_STRING_NOSLASHESCAPE),
          stdout);
    fputc('\n', stdout);
    json_object_put(obj);
}

void
vsh_uuid_format(const guint8 *u, char *buf)
{
    g_snprintf(buf, VIREO_UUID_STRING_BUFLEN,
               "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
               u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
               u[12], u[13], u[14], u[15]);
}

const char *
vsh_domain_state_str(int state)
{
    switch (state) {
    case VIREO_DOMAIN_RUNNING:
        return "running";
    case VIREO_DOMAIN_BLOCKED:
        return "idle";
    case VIREO_DOMAIN_PAUSED:
        return "paused";
    case VIREO_DOMAIN_SHUTDOWN:
        return "in shutdown";
    case VIREO_DOMAIN_SHUTOFF:
        return "shut off";
    case VIREO_DOMAIN_CRASHED:
        return "crashed";
    case VIREO_DOMAIN_PMSUSPENDED:
        return "pmsuspended";
    default:
        return "no state";
    }
}

static const char *const running_reasons[] = {
    "unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
    "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy",
    "post-copy failed",
};
static const char *const paused_reasons[] = {
    "unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog",
    "from snapshot", "shutting down", "creating snapshot", "crashed", "starting up",
    "post-copy", "post-copy failed", "api error",
};
static const char *const shutoff_reasons[] = {
    "unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed",
    "from snapshot", "daemon",
};
static const char *const shutdown_reasons[] = { "unknown", "user" };
static const char *const crashed_reasons[] = { "unknown", "panicked" };

#define PICK(arr, i) ((i) >= 0 && (gsize)(i) < G_N_ELEMENTS(arr) ? (arr)[i] : "unknown")

const char *
vsh_domain_reason_str(int state, int reason)
{
    switch (state) {
    case VIREO_DOMAIN_RUNNING:
        return PICK(running_reasons, reason);
    case VIREO_DOMAIN_PAUSED:
        return PICK(paused_reasons, reason);
    case VIREO_DOMAIN_SHUTDOWN:
        return PICK(shutdown_reasons, reason);
    case VIREO_DOMAIN_SHUTOFF:
        return PICK(shutoff_reasons, reason);
    case VIREO_DOMAIN_CRASHED:
        return PICK(crashed_reasons, reason);
    default:
        return "unknown";
    }
}
