/* core-log: leveled logging with per-file categories.
 *
 * Each .c file that logs declares its category once:
 *     CORE_LOG_INIT("core.conf.domain");
 * and then uses CORE_DEBUG/CORE_INFO/CORE_WARN/CORE_ERROR_LOG. Messages are
 * formatted only when the level is enabled for the category. Output goes to
 * stderr (default) or the systemd journal (core_log_set_output()), or to
 * the outputs given in libvirt's log_outputs syntax (core_log_set_outputs()).
 * Filters: "LEVEL:PREFIX LEVEL:PREFIX ..." with levels 1 debug, 2 info,
 * 3 warning, 4 error (libvirt's log_filters syntax), e.g. "1:core.rpc 3:*".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
    CORE_LOG_DEBUG = 1,
    CORE_LOG_INFO = 2,
    CORE_LOG_WARNING = 3,
    CORE_LOG_ERROR = 4,
} CoreLogLevel;

typedef enum {
    CORE_LOG_OUTPUT_STDERR,
    CORE_LOG_OUTPUT_JOURNAL,
    CORE_LOG_OUTPUT_FILE, /* only through core_log_set_outputs() */
} CoreLogOutput;

typedef struct {
    const char *name;
    int level; /* cached threshold; 0 = not yet resolved */
    unsigned serial;
} CoreLogCategory;

#define CORE_LOG_INIT(n) static CoreLogCategory core_log_self = { .name = (n) }

/* Default threshold for categories no filter matches. */
void core_log_set_default_level(CoreLogLevel level);
/* Parses and installs @filters; FALSE with @error on bad syntax. */
gboolean core_log_set_filters(const char *filters, GError **error);
/* Makes @output (STDERR or JOURNAL) the only output, passing every message
 * the filters let through; it is also the default output that
 * core_log_set_outputs() restores. */
void core_log_set_output(CoreLogOutput output);

/**
 * core_log_set_outputs:
 * @spec: (nullable): libvirt's log_outputs syntax, space-separated
 *   "LEVEL:stderr", "LEVEL:journald" or "LEVEL:file:PATH"; an output takes
 *   the messages of LEVEL and above that the filters let through, and a
 *   later output to the same place replaces an earlier one. NULL or empty
 *   restores the default output.
 * Returns: FALSE with @error set and nothing changed: CORE_ERR_INVALID_ARG
 *   for bad syntax (libvirt's messages), CORE_ERR_CONFIG_UNSUPPORTED for a
 *   syslog output, CORE_ERR_SYSTEM_ERROR when a file cannot be opened.
 */
gboolean core_log_set_outputs(const char *spec, GError **error);
/* (transfer full) The outputs in that syntax, one space apart; @ret_count
 * (nullable) receives how many there are. */
char *core_log_get_outputs(guint *ret_count);
/* (transfer full) The filters as "LEVEL:PREFIX " each (libvirt's layout,
 * trailing space included), "" when there are none; @ret_count (nullable)
 * receives how many there are. */
char *core_log_get_filters(guint *ret_count);
gboolean core_log_enabled(CoreLogCategory *cat, CoreLogLevel level);
void core_log_message(CoreLogCategory *cat, CoreLogLevel level, const char *file, int line,
                      const char *func, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

#define CORE_LOG_AT(lvl, ...)                                                              \
    do {                                                                                   \
        if (core_log_enabled(&core_log_self, (lvl)))                                       \
            core_log_message(&core_log_self, (lvl), __FILE__, __LINE__, G_STRFUNC,         \
                             __VA_ARGS__);                                                 \
    } while (0)

#define CORE_DEBUG(...) CORE_LOG_AT(CORE_LOG_DEBUG, __VA_ARGS__)
#define CORE_INFO(...) CORE_LOG_AT(CORE_LOG_INFO, __VA_ARGS__)
#define CORE_WARN(...) CORE_LOG_AT(CORE_LOG_WARNING, __VA_ARGS__)
#define CORE_ERROR_LOG(...) CORE_LOG_AT(CORE_LOG_ERROR, __VA_ARGS__)

G_END_DECLS
