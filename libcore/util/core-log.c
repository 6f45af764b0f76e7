/* core-log: see core-log.h. */
#include "core-log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "core-error.h"
#include "core-systemd.h"

#define CORE_FROM_THIS CORE_FROM_LOGGING

typedef struct {
    int level;
    char *prefix;
} LogFilter;

typedef struct {
    CoreLogOutput kind;
    int level;
    char *path; /* CORE_LOG_OUTPUT_FILE */
    int fd;     /* CORE_LOG_OUTPUT_FILE, -1 otherwise */
} LogSink;

static GMutex log_lock;
static int default_level = CORE_LOG_WARNING;
static CoreLogOutput default_output = CORE_LOG_OUTPUT_STDERR;
static LogFilter *filters;
static guint n_filters;
static volatile unsigned filter_serial = 1;
/* Outputs from core_log_set_outputs(); none: the default output alone,
 * taking every level. Written under log_lock, which writers hold. */
static LogSink *sinks;
static guint n_sinks;
static int sink_floor = CORE_LOG_DEBUG; /* the lowest level an output takes */

void
core_log_set_default_level(CoreLogLevel level)
{
    g_mutex_lock(&log_lock);
    default_level = level;
    filter_serial++;
    g_mutex_unlock(&log_lock);
}

static void
sinks_free(LogSink *list, guint n)
{
    for (guint i = 0; i < n; i++) {
        if (list[i].fd >= 0)
            g_close(list[i].fd, NULL);
        g_free(list[i].path);
    }
    g_free(list);
}

/* Installs @list (transfer full; NULL: the default output). */
static void
sinks_replace(LogSink *list, guint n)
{
    LogSink *old;
    guint n_old;
    int floor = n ? CORE_LOG_ERROR : CORE_LOG_DEBUG;

    for (guint i = 0; i < n; i++)
        floor = MIN(floor, list[i].level);
    g_mutex_lock(&log_lock);
    old = sinks;
    n_old = n_sinks;
    sinks = list;
    n_sinks = n;
    sink_floor = floor;
    filter_serial++;
    g_mutex_unlock(&log_lock);
    sinks_free(old, n_old);
}

void
core_log_set_output(CoreLogOutput output)
{
    g_return_if_fail(output != CORE_LOG_OUTPUT_FILE);
    g_mutex_lock(&log_lock);
    default_output = output;
    g_mutex_unlock(&log_lock);
    sinks_replace(NULL, 0);
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

/* Called with log_lock held. */
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
    /* Nothing below every output's level would be written anywhere. */
    return MAX(level, sink_floor);
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

typedef struct {
    CoreLogCategory *cat;
    CoreLogLevel level;
    const char *file;
    int line;
    const char *func;
    const char *msg;
    char *text; /* the line for streams, formatted when first needed */
} LogRecord;

static void
send_journal(const LogRecord *r)
{
    g_autofree char *message = g_strconcat("MESSAGE=", r->msg, NULL);
    g_autofree char *priority = g_strdup_printf("PRIORITY=%d", level_priority(r->level));
    g_autofree char *category = g_strconcat("VIREO_CATEGORY=", r->cat->name, NULL);
    g_autofree char *code_file = g_strconcat("CODE_FILE=", r->file, NULL);
    g_autofree char *code_line = g_strdup_printf("CODE_LINE=%d", r->line);
    g_autofree char *code_func = g_strconcat("CODE_FUNC=", r->func, NULL);
    const char *prg = g_get_prgname();
    g_autofree char *ident = g_strconcat("SYSLOG_IDENTIFIER=", prg ? prg : "vireo", NULL);
    const char *fields[] = { message, priority, category, code_file, code_line, code_func,
                             ident };

    (void)core_systemd_journal_send(NULL, fields, G_N_ELEMENTS(fields));
}

static const char *
record_text(LogRecord *r)
{
    if (!r->text) {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc();
        g_autofree char *ts = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");

        r->text = g_strdup_printf("%s.%03d %d %s %s: %s\n", ts,
                                  g_date_time_get_microsecond(now) / 1000, (int)getpid(),
                                  level_name(r->level), r->cat->name, r->msg);
    }
    return r->text;
}

static void
write_fd(int fd, const char *text)
{
    gsize len = strlen(text);

    while (len > 0) {
        ssize_t n = write(fd, text, len);

        if (n < 0 && errno == EINTR)
            continue;
        /* A log line that cannot be written is dropped: there is nowhere
         * to report it. */
        if (n <= 0)
            return;
        text += n;
        len -= (gsize)n;
    }
}

static void
write_sink(LogRecord *r, CoreLogOutput kind, int fd)
{
    switch (kind) {
    case CORE_LOG_OUTPUT_JOURNAL:
        send_journal(r);
        break;
    case CORE_LOG_OUTPUT_STDERR:
        fputs(record_text(r), stderr);
        break;
    case CORE_LOG_OUTPUT_FILE:
        write_fd(fd, record_text(r));
        break;
    }
}

void
core_log_message(CoreLogCategory *cat, CoreLogLevel level, const char *file, int line,
                 const char *func, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;
    LogRecord r = { cat, level, file, line, func, NULL, NULL };

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    r.msg = msg;

    /* Held while writing: core_log_set_outputs() may close a file. */
    g_mutex_lock(&log_lock);
    if (n_sinks == 0)
        write_sink(&r, default_output, -1);
    for (guint i = 0; i < n_sinks; i++) {
        if ((int)level >= sinks[i].level)
            write_sink(&r, sinks[i].kind, sinks[i].fd);
    }
    g_mutex_unlock(&log_lock);
    g_free(r.text);
}

/* ---- libvirt's log_outputs syntax ------------------------------------------ */

static const char *const sink_names[] = { "stderr", "journald", "file" };

/* A level word "1".."4"; -1 otherwise. */
static int
parse_level(const char *word)
{
    return strlen(word) == 1 && word[0] >= '1' && word[0] <= '4' ? word[0] - '0' : -1;
}

static gboolean
parse_sink(const char *src, LogSink *ret, GError **error)
{
    g_auto(GStrv) tokens = g_strsplit(src, ":", 0);
    guint count = g_strv_length(tokens);
    int kind = -1;

    if (count < 2)
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "Malformed format for log output '%s'", src);
    ret->level = parse_level(tokens[0]);
    if (ret->level < 0)
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "Invalid log priority '%s' for log output '%s'", tokens[0], src);
    for (guint i = 0; i < G_N_ELEMENTS(sink_names); i++) {
        if (strcmp(tokens[1], sink_names[i]) == 0)
            kind = (int)i;
    }
    if (kind < 0 && strcmp(tokens[1], "syslog") != 0)
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "Invalid log destination '%s' for log output '%s'", tokens[1],
                              src);
    if (count != (kind == CORE_LOG_OUTPUT_STDERR || kind == CORE_LOG_OUTPUT_JOURNAL ? 2u : 3u))
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "Log output '%s' does not meet the format requirements for "
                              "destination type '%s'", src, tokens[1]);
    if (kind < 0)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "log output '%s': syslog is not supported, use journald", src);
    ret->kind = (CoreLogOutput)kind;
    ret->fd = -1;
    if (kind == CORE_LOG_OUTPUT_FILE)
        ret->path = g_canonicalize_filename(tokens[2], NULL);
    return TRUE;
}

/* Appends @sink to @list, replacing an earlier output to the same place. */
static void
add_sink(GArray *list, LogSink *sink)
{
    for (guint i = 0; i < list->len; i++) {
        LogSink *old = &g_array_index(list, LogSink, i);

        if (old->kind == sink->kind && g_strcmp0(old->path, sink->path) == 0) {
            g_free(old->path);
            g_array_remove_index(list, i);
            break;
        }
    }
    g_array_append_val(list, *sink);
}

static gboolean
open_sinks(GArray *list, GError **error)
{
    for (guint i = 0; i < list->len; i++) {
        LogSink *sink = &g_array_index(list, LogSink, i);

        if (sink->kind != CORE_LOG_OUTPUT_FILE)
            continue;
        sink->fd = open(sink->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
        if (sink->fd < 0)
            return core_error_set_errno(error, errno, "cannot open log file '%s'", sink->path);
    }
    return TRUE;
}

gboolean
core_log_set_outputs(const char *spec, GError **error)
{
    g_auto(GStrv) words = g_strsplit(spec ? spec : "", " ", -1);
    g_autoptr(GArray) list = g_array_new(FALSE, TRUE, sizeof(LogSink));
    guint n;

    for (guint i = 0; words[i]; i++) {
        LogSink sink = { 0 };

        if (!*words[i])
            continue;
        if (!parse_sink(words[i], &sink, error))
            goto fail;
        add_sink(list, &sink);
    }
    if (!open_sinks(list, error))
        goto fail;
    n = list->len;
    sinks_replace(n ? (LogSink *)g_array_free(g_steal_pointer(&list), FALSE) : NULL, n);
    return TRUE;

fail:
    /* undo: the files opened so far and the parsed paths */
    n = list->len;
    sinks_free((LogSink *)g_array_free(g_steal_pointer(&list), FALSE), n);
    return FALSE;
}

char *
core_log_get_outputs(guint *ret_count)
{
    GString *out = g_string_new(NULL);

    g_mutex_lock(&log_lock);
    if (n_sinks == 0)
        g_string_append_printf(out, "%d:%s", CORE_LOG_DEBUG, sink_names[default_output]);
    for (guint i = 0; i < n_sinks; i++) {
        g_string_append_printf(out, "%s%d:%s", i ? " " : "", sinks[i].level,
                               sink_names[sinks[i].kind]);
        if (sinks[i].path)
            g_string_append_printf(out, ":%s", sinks[i].path);
    }
    if (ret_count)
        *ret_count = MAX(n_sinks, 1);
    g_mutex_unlock(&log_lock);
    return g_string_free(out, FALSE);
}

char *
core_log_get_filters(guint *ret_count)
{
    GString *out = g_string_new(NULL);

    g_mutex_lock(&log_lock);
    for (guint i = 0; i < n_filters; i++)
        g_string_append_printf(out, "%d:%s ", filters[i].level, filters[i].prefix);
    if (ret_count)
        *ret_count = n_filters;
    g_mutex_unlock(&log_lock);
    return g_string_free(out, FALSE);
}
