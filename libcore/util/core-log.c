/* core-log: see core-log.h. */
#include "core-log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core-error.h"
#include "core-systemd.h"

#define CORE_FROM_THIS CORE_FROM_LOGGING

typedef struct {
    int level;
    char *prefix;
} LogFilter;

static GMutex log_lock;
static int default_level = CORE_LOG_WARNING;
static CoreLogOutput log_output = CORE_LOG_OUTPUT_STDERR;
static LogFilter *filters;
static guint n_filters;
static volatile unsigned filter_serial = 1;

void
core_log_set_default_level(CoreLogLevel level)
{
    g_mutex_lock(&log_lock);
    default_level = level;
    filter_serial++;
    g_mutex_unlock(&log_lock);
}

void
core_log_set_output(CoreLogOutput output)
{
    log_output = output;
}

gboolean
core_log_set_filters(const char *spec, GError **error)
{
    g_auto(GStrv) words = g_strsplit_set(spec ? spec : "", " \t", -1);
    g_autoptr(GArray) parsed = g_array_new(FALSE, TRUE, sizeof(LogFilter));

    for (guint i = 0; words[i]; i++) {
        const char *w = words[i];
        LogFilter f;

        if (!*w)
            continue;
        if (strlen(w) < 3 || w[1] != ':' || w[0] < '1' || w[0] > '4') {
            for (guint j = 0; j < parsed->len; j++)
                g_free(g_array_index(parsed, LogFilter, j).prefix);
            return core_error_set(error, CORE_ERR_CONF_SYNTAX, "invalid log filter '%s'", w);
        }
        f.level = w[0] - '0';
        f.prefix = g_strdup(w + 2);
        g_array_append_val(parsed, f);
    }

    g_mutex_lock(&log_lock);
    for (guint i = 0; i < n_filters; i++)
        g_free(filters[i].prefix);
    g_free(filters);
    n_filters = parsed->len;
    filters = (LogFilter *)g_array_free(g_steal_pointer(&parsed), FALSE);
    filter_serial++;
    g_mutex_unlock(&log_lock);
    return TRUE;
}

static int
resolve_level(const char *name)
{
    int level = default_level;
    gsize best = 0;

    for (guint i = 0; i < n_filters; i++) {
        const char *p = filters[i].prefix;
        gsize len = strlen(p);

        if (strcmp(p, "*") == 0) {
            if (best == 0)
                level = filters[i].level;
            continue;
        }
        if (g_str_has_prefix(name, p) && len >= best) {
            best = len;
            level = filters[i].level;
        }
    }
    return level;
}

gboolean
core_log_enabled(CoreLogCategory *cat, CoreLogLevel level)
{
    unsigned serial = g_atomic_int_get(&filter_serial);

    /* Level before serial, both atomic: a thread that sees the new serial
     * also sees the level resolved for it. */
    if (G_UNLIKELY((unsigned)g_atomic_int_get(&cat->serial) != serial)) {
        g_mutex_lock(&log_lock);
        g_atomic_int_set(&cat->level, resolve_level(cat->name));
        g_atomic_int_set(&cat->serial, serial);
        g_mutex_unlock(&log_lock);
    }
    return (int)level >= g_atomic_int_get(&cat->level);
}

static const char *
level_name(CoreLogLevel level)
{
    switch (level) {
    case CORE_LOG_DEBUG:
        return "debug";
    case CORE_LOG_INFO:
        return "info";
    case CORE_LOG_WARNING:
        return "warning";
    case CORE_LOG_ERROR:
        return "error";
    }
    return "?";
}

static int
level_priority(CoreLogLevel level)
{
    switch (level) {
    case CORE_LOG_DEBUG:
        return 7;
    case CORE_LOG_INFO:
        return 6;
    case CORE_LOG_WARNING:
        return 4;
    case CORE_LOG_ERROR:
        return 3;
    }
    return 6;
}

void
core_log_message(CoreLogCategory *cat, CoreLogLevel level, const char *file, int line,
                 const char *func, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);

    if (log_output == CORE_LOG_OUTPUT_JOURNAL) {
        g_autofree char *message = g_strconcat("MESSAGE=", msg, NULL);
        g_autofree char *priority = g_strdup_printf("PRIORITY=%d", level_priority(level));
        g_autofree char *category = g_strconcat("VIREO_CATEGORY=", cat->name, NULL);
        g_autofree char *code_file = g_strconcat("CODE_FILE=", file, NULL);
        g_autofree char *code_line = g_strdup_printf("CODE_LINE=%d", line);
        g_autofree char *code_func = g_strconcat("CODE_FUNC=", func, NULL);
        const char *prg = g_get_prgname();
        g_autofree char *ident = g_strconcat("SYSLOG_IDENTIFIER=", prg ? prg : "vireo", NULL);
        const char *fields[] = { message, priority, category, code_file, code_line, code_func,
                                 ident };

        (void)core_systemd_journal_send(NULL, fields, G_N_ELEMENTS(fields));
        return;
    }
    {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc();
        g_autofree char *ts = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");
        fprintf(stderr, "%s.%03d %d %s %s: %s\n", ts, g_date_time_get_microsecond(now) / 1000,
                (int)getpid(), level_name(level), cat->name, msg);
    }
}
