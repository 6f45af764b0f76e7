/* core-daemon-admin-settings: the admin program's procedures that read and
 * change settings: a server's worker pool and client limits, and the
 * daemon's logging outputs and filters. Typed-parameter names, their
 * checks and error messages are libvirt 9.0's.
 *
 * libvirt's worker pool keeps minWorkers threads and prioWorkers threads
 * for high-priority calls. Vireo's pool (a GThreadPool) starts threads as
 * jobs arrive and keeps none, and runs the calls libvirt gives priority to
 * on the main loop: both read 0 and only 0 is accepted. The admin socket
 * answers on the main loop itself: its server reads 0 workers, as a
 * libvirt server without a pool does.
 */
#include "core-daemon-admin-proto.h"

#include <string.h>

#include "core-error.h"
#include "core-log.h"
#include "core-rpc-types.h"

#define CORE_FROM_THIS CORE_FROM_ADMIN

CORE_LOG_INIT("core.daemon.admin");

#define ADMIN_SERVER_THREADPOOL_PARAMETERS_MAX 32
#define ADMIN_SERVER_CLIENT_LIMITS_MAX 32
/* The least an encoded admin_typed_param takes: empty field, type, value. */
#define TYPED_PARAM_MIN_SIZE 12

/* ---- typed parameters ------------------------------------------------------------ */

static void
param_clear(gpointer p)
{
    core_typed_param_clear(p);
}

GArray *
core_daemon_admin_params_new(void)
{
    GArray *params = g_array_new(FALSE, TRUE, sizeof(CoreTypedParam));

    g_array_set_clear_func(params, param_clear);
    return params;
}

gboolean
core_daemon_admin_put_params(CoreXdrWriter *w, GArray *params, guint max, GError **error)
{
    if (!core_xdr_put_count(w, params->len, max, error))
        return FALSE;
    for (guint i = 0; i < params->len; i++) {
        if (!core_rpc_put_typed_param(w, &g_array_index(params, CoreTypedParam, i), error))
            return FALSE;
    }
    return TRUE;
}

static CoreTypedParam *
param_append(GArray *params, const char *field, int type)
{
    CoreTypedParam p = { .field = g_strdup(field), .type = type };

    g_array_append_val(params, p);
    return &g_array_index(params, CoreTypedParam, params->len - 1);
}

void
core_daemon_admin_param_int(GArray *params, const char *field, gint32 value)
{
    param_append(params, field, CORE_TYPED_PARAM_INT)->value.i = value;
}

void
core_daemon_admin_param_uint(GArray *params, const char *field, guint32 value)
{
    param_append(params, field, CORE_TYPED_PARAM_UINT)->value.ui = value;
}

void
core_daemon_admin_param_bool(GArray *params, const char *field, gboolean value)
{
    param_append(params, field, CORE_TYPED_PARAM_BOOLEAN)->value.b = value ? 1 : 0;
}

void
core_daemon_admin_param_string(GArray *params, const char *field, const char *value)
{
    param_append(params, field, CORE_TYPED_PARAM_STRING)->value.s = g_strdup(value);
}

static gboolean
get_params(CoreXdrReader *r, guint max, GArray **ret, GError **error)
{
    g_autoptr(GArray) params = core_daemon_admin_params_new();
    guint n;

    if (!core_xdr_get_count(r, max, TYPED_PARAM_MIN_SIZE, &n, error))
        return FALSE;
    for (guint i = 0; i < n; i++) {
        CoreTypedParam p;

        if (!core_rpc_get_typed_param(r, &p, error))
            return FALSE;
        g_array_append_val(params, p);
    }
    *ret = g_steal_pointer(&params);
    return TRUE;
}

static const char *
type_name(int type)
{
    static const char *const names[] = { "unknown", "int",    "uint",   "llong",
                                         "ullong",  "double", "boolean", "string" };

    return type > 0 && type < (int)G_N_ELEMENTS(names) ? names[type] : names[0];
}

static gint
compare_param_index(gconstpointer a, gconstpointer b, gpointer params)
{
    const CoreTypedParam *x = &g_array_index((GArray *)params, CoreTypedParam, *(const guint *)a);
    const CoreTypedParam *y = &g_array_index((GArray *)params, CoreTypedParam, *(const guint *)b);

    return strcmp(x->field, y->field);
}

/* libvirt's check of set-parameters: each name known, of its type, given
 * once; the first problem in name order is reported. All @names are of
 * type UINT here. */
static gboolean
validate_uint_params(GArray *params, const char *const *names, GError **error)
{
    g_autofree guint *order = g_new(guint, params->len + 1);
    const char *last = NULL;

    for (guint i = 0; i < params->len; i++)
        order[i] = i;
    g_qsort_with_data(order, (gint)params->len, sizeof(guint), compare_param_index, params);
    for (guint k = 0; k < params->len; k++) {
        const CoreTypedParam *p = &g_array_index(params, CoreTypedParam, order[k]);

        if (!g_strv_contains(names, p->field))
            return core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_ARGUMENT_UNSUPPORTED,
                                       "parameter '%s' not supported", p->field);
        if (last && strcmp(last, p->field) == 0)
            return core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_INVALID_ARG,
                                       "parameter '%s' occurs multiple times", p->field);
        if (p->type != CORE_TYPED_PARAM_UINT)
            return core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_INVALID_ARG,
                                       "invalid type '%s' for parameter '%s', expected '%s'",
                                       type_name(p->type), p->field, "uint");
        last = p->field;
    }
    return TRUE;
}

/* The value of UINT parameter @field, -1 when absent. */
static gint64
param_uint(GArray *params, const char *field)
{
    for (guint i = 0; i < params->len; i++) {
        const CoreTypedParam *p = &g_array_index(params, CoreTypedParam, i);

        if (strcmp(p->field, field) == 0)
            return p->value.ui;
    }
    return -1;
}

/* Decodes { admin_nonnull_server srv; admin_typed_param params<@max>; flags }. */
static gboolean
get_server_params(CoreDaemonAdminCall *call, CoreXdrReader *r, guint max, CoreAdminServer *srv,
                  GArray **params, guint32 *flags, GError **error)
{
    g_autofree char *name = NULL;

    return core_xdr_get_string(r, &name, error) && get_params(r, max, params, error) &&
           core_xdr_get_uint(r, flags, error) && core_xdr_reader_finish(r, error) &&
           core_daemon_admin_find_server(call, name, TRUE, srv, error);
}

/* Decodes { admin_nonnull_server srv; flags } and checks the flags. */
static gboolean
get_server_flags(CoreDaemonAdminCall *call, CoreXdrReader *r, const char *func,
                 CoreAdminServer *srv, GError **error)
{
    g_autofree char *name = NULL;
    guint32 flags;

    return core_xdr_get_string(r, &name, error) && core_xdr_get_uint(r, &flags, error) &&
           core_xdr_reader_finish(r, error) &&
           core_daemon_admin_find_server(call, name, FALSE, srv, error) &&
           core_daemon_admin_check_flags(flags, func, error);
}

static CoreRpcServer *
rpc_server(CoreDaemonAdminCall *call)
{
    return core_daemon_get_server(core_daemon_admin_get_daemon(call->admin));
}

/* ---- worker pool ----------------------------------------------------------------- */

gboolean
core_daemon_admin_get_threadpool(CoreDaemonAdminCall *call, CoreXdrReader *r, CoreXdrWriter *w,
                                 GError **error)
{
    g_autoptr(GArray) params = core_daemon_admin_params_new();
    CoreRpcWorkerStats st = { 0 };
    CoreAdminServer srv;

    if (!get_server_flags(call, r, "adminServerGetThreadPoolParameters", &srv, error))
        return FALSE;
    if (srv == CORE_ADMIN_SERVER_DAEMON)
        core_rpc_server_get_workers(rpc_server(call), &st);
    core_daemon_admin_param_uint(params, "minWorkers", 0);
    core_daemon_admin_param_uint(params, "maxWorkers", st.max_workers);
    core_daemon_admin_param_uint(params, "nWorkers", st.n_workers);
    core_daemon_admin_param_uint(params, "freeWorkers", st.free_workers);
    core_daemon_admin_param_uint(params, "prioWorkers", 0);
    core_daemon_admin_param_uint(params, "jobQueueDepth", st.queue_depth);
    return core_daemon_admin_put_params(w, params, ADMIN_SERVER_THREADPOOL_PARAMETERS_MAX, error);
}

/* libvirt's rules for a pool of @cur_max threads and no minimum, then what
 * Vireo's pool cannot do. */
static gboolean
check_workers(guint cur_max, gint64 min, gint64 max, gint64 prio, GError **error)
{
    gint64 new_max = max >= 0 ? max : cur_max;

    if (MAX(min, 0) > new_max)
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "minWorkers cannot be larger than maxWorkers");
    if ((max == 0 && cur_max > 0) || (max > 0 && cur_max == 0))
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "maxWorkers must not be switched from zero to non-zero and vice "
                              "versa");
    if (min > 0)
        return core_error_set(error, CORE_ERR_ARGUMENT_UNSUPPORTED,
                              "minWorkers must be 0: worker threads start when jobs arrive "
                              "and none is kept waiting");
    if (prio > 0)
        return core_error_set(error, CORE_ERR_ARGUMENT_UNSUPPORTED,
                              "prioWorkers must be 0: the calls that need no worker run on "
                              "the main loop");
    return TRUE;
}

gboolean
core_daemon_admin_set_threadpool(CoreDaemonAdminCall *call, CoreXdrReader *r, CoreXdrWriter *w,
                                 GError **error)
{
    static const char *const names[] = { "minWorkers", "maxWorkers", "prioWorkers", NULL };
    g_autoptr(GArray) params = NULL;
    CoreRpcWorkerStats st = { 0 };
    CoreAdminServer srv;
    guint32 flags;
    gint64 max;

    if (!get_server_params(call, r, ADMIN_SERVER_THREADPOOL_PARAMETERS_MAX, &srv, &params,
                           &flags, error) ||
        !core_daemon_admin_check_flags(flags, "adminServerSetThreadPoolParameters", error) ||
        !validate_uint_params(params, names, error))
        return FALSE;
    if (srv == CORE_ADMIN_SERVER_DAEMON)
        core_rpc_server_get_workers(rpc_server(call), &st);
    max = param_uint(params, "maxWorkers");
    if (!check_workers(st.max_workers, param_uint(params, "minWorkers"), max,
                       param_uint(params, "prioWorkers"), error))
        return FALSE;
    if (max > 0 && max != st.max_workers)
        return core_rpc_server_set_max_workers(rpc_server(call), (guint)max, error);
    return TRUE;
}

/* ---- client limits --------------------------------------------------------------- */

gboolean
core_daemon_admin_get_client_limits(CoreDaemonAdminCall *call, CoreXdrReader *r,
                                    CoreXdrWriter *w, GError **error)
{
    g_autoptr(GArray) params = core_daemon_admin_params_new();
    CoreRpcServerLimits lim;
    CoreAdminServer srv;

    if (!get_server_flags(call, r, "adminServerGetClientLimits", &srv, error))
        return FALSE;
    if (srv == CORE_ADMIN_SERVER_DAEMON)
        core_rpc_server_get_limits(rpc_server(call), &lim);
    else
        core_daemon_admin_get_limits(call->admin, &lim);
    core_daemon_admin_param_uint(params, "nclients_max", lim.max_clients);
    core_daemon_admin_param_uint(params, "nclients", lim.n_clients);
    core_daemon_admin_param_uint(params, "nclients_unauth_max", lim.max_anonymous);
    core_daemon_admin_param_uint(params, "nclients_unauth", lim.n_anonymous);
    return core_daemon_admin_put_params(w, params, ADMIN_SERVER_CLIENT_LIMITS_MAX, error);
}

gboolean
core_daemon_admin_set_client_limits(CoreDaemonAdminCall *call, CoreXdrReader *r,
                                    CoreXdrWriter *w, GError **error)
{
    static const char *const names[] = { "nclients_max", "nclients_unauth_max", NULL };
    g_autoptr(GArray) params = NULL;
    CoreAdminServer srv;
    guint32 flags;
    gint64 max, anon;

    if (!get_server_params(call, r, ADMIN_SERVER_CLIENT_LIMITS_MAX, &srv, &params, &flags,
                           error) ||
        !core_daemon_admin_check_flags(flags, "adminServerSetClientLimits", error) ||
        !validate_uint_params(params, names, error))
        return FALSE;
    max = param_uint(params, "nclients_max");
    anon = param_uint(params, "nclients_unauth_max");
    if (srv == CORE_ADMIN_SERVER_DAEMON)
        return core_rpc_server_set_limits(rpc_server(call), max, anon, error);
    return core_daemon_admin_set_limits(call->admin, max, anon, error);
}

/* ---- logging ---------------------------------------------------------------------- */

static gboolean
get_flags_only(CoreXdrReader *r, const char *func, GError **error)
{
    guint32 flags;

    return core_xdr_get_uint(r, &flags, error) && core_xdr_reader_finish(r, error) &&
           core_daemon_admin_check_flags(flags, func, error);
}

gboolean
core_daemon_admin_get_log_outputs(CoreDaemonAdminCall *call, CoreXdrReader *r,
                                  CoreXdrWriter *w, GError **error)
{
    g_autofree char *outputs = NULL;
    guint n = 0;

    if (!get_flags_only(r, "adminConnectGetLoggingOutputs", error))
        return FALSE;
    outputs = core_log_get_outputs(&n);
    return core_xdr_put_string(w, outputs, error) && core_xdr_put_uint(w, n, error);
}

gboolean
core_daemon_admin_get_log_filters(CoreDaemonAdminCall *call, CoreXdrReader *r,
                                  CoreXdrWriter *w, GError **error)
{
    g_autofree char *filters = NULL;
    guint n = 0;

    if (!get_flags_only(r, "adminConnectGetLoggingFilters", error))
        return FALSE;
    filters = core_log_get_filters(&n);
    /* No filters: no string at all, as libvirt sends it. */
    return core_xdr_put_ostring(w, n ? filters : NULL, error) && core_xdr_put_uint(w, n, error);
}

/* Decodes { admin_string value; flags } and checks the flags. */
static gboolean
get_setting(CoreXdrReader *r, const char *func, char **ret, GError **error)
{
    guint32 flags;

    return core_xdr_get_ostring(r, ret, error) && core_xdr_get_uint(r, &flags, error) &&
           core_xdr_reader_finish(r, error) &&
           core_daemon_admin_check_flags(flags, func, error);
}

gboolean
core_daemon_admin_set_log_outputs(CoreDaemonAdminCall *call, CoreXdrReader *r,
                                  CoreXdrWriter *w, GError **error)
{
    g_autofree char *outputs = NULL;

    if (!get_setting(r, "adminConnectSetLoggingOutputs", &outputs, error) ||
        !core_log_set_outputs(outputs, error))
        return FALSE;
    CORE_INFO("log outputs set to '%s' through the admin socket", outputs ? outputs : "");
    return TRUE;
}

/* One "LEVEL:MATCH" filter checked as libvirt checks it (a leading '+'
 * asked for stack traces once and is dropped), appended to @out. */
static gboolean
normalize_filter(const char *src, GString *out, GError **error)
{
    g_auto(GStrv) tokens = g_strsplit(src, ":", 0);
    const char *match;

    if (!tokens[0] || !tokens[1])
        return core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_INVALID_ARG,
                                   "Malformed format for filter '%s'", src);
    if (strlen(tokens[0]) != 1 || tokens[0][0] < '1' || tokens[0][0] > '4')
        return core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_INVALID_ARG,
                                   "Invalid priority '%s' for filter '%s'", tokens[0], src);
    match = tokens[1][0] == '+' ? tokens[1] + 1 : tokens[1];
    if (!*match)
        return core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_INVALID_ARG,
                                   "Invalid match string '%s'", tokens[1]);
    g_string_append_printf(out, "%s%s:%s", out->len ? " " : "", tokens[0], match);
    return TRUE;
}

gboolean
core_daemon_admin_set_log_filters(CoreDaemonAdminCall *call, CoreXdrReader *r,
                                  CoreXdrWriter *w, GError **error)
{
    g_autoptr(GString) normal = g_string_new(NULL);
    g_autofree char *filters = NULL;
    g_auto(GStrv) words = NULL;

    if (!get_setting(r, "adminConnectSetLoggingFilters", &filters, error))
        return FALSE;
    words = g_strsplit(filters ? filters : "", " ", -1);
    for (guint i = 0; words[i]; i++) {
        if (*words[i] && !normalize_filter(words[i], normal, error))
            return FALSE;
    }
    if (!core_log_set_filters(normal->str, error))
        return FALSE;
    CORE_INFO("log filters set to '%s' through the admin socket", normal->str);
    return TRUE;
}
