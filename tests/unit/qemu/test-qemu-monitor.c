/* Unit tests for qemu-monitor against a scripted fake QMP peer.
 *
 * The peer is a thread on the other end of a socketpair that follows a
 * script: send text, expect a command (checking its name and remembering
 * its id), reply (the id is added), close. The monitor runs on a private
 * context that the test iterates (or a sync call iterates).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "qemu-monitor.h"

#define GREETING                                                                             \
    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, "        \
    "\"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"capabilities\": [\"oob\"]}}\r\n"

typedef enum {
    STEP_SEND,   /* write text as is */
    STEP_EXPECT, /* read one command; text is its expected name */
    STEP_REPLY,  /* text is a JSON object; the last expected id is added */
    STEP_BIG,    /* write size bytes of a JSON string reply, then "\r\n" if text */
    STEP_WAIT,   /* wait until the main thread releases the peer */
    STEP_CLOSE,
} StepKind;

typedef struct {
    StepKind kind;
    const char *text;
    gsize size;
} Step;

typedef struct {
    int fd;
    const Step *steps;
    GThread *thread;
    GString *in;
    char *last_id;
    GPtrArray *seen; /* names of the commands received */
    GMutex lock;
    GCond cond;
    gboolean released;
} Peer;

static char *
peer_read_line(Peer *p)
{
    char buf[1024];

    for (;;) {
        char *nl = memchr(p->in->str, '\n', p->in->len);
        ssize_t n;

        if (nl) {
            char *line = g_strndup(p->in->str, (gsize)(nl - p->in->str));

            g_string_erase(p->in, 0, nl - p->in->str + 1);
            return line;
        }
        n = read(p->fd, buf, sizeof(buf));
        if (n <= 0)
            return NULL;
        g_string_append_len(p->in, buf, n);
    }
}

static void
peer_write(Peer *p, const char *data, gsize len)
{
    while (len > 0) {
        ssize_t n = send(p->fd, data, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* the monitor hung up: fine for the failure tests */
        data += n;
        len -= (gsize)n;
    }
}

static void
peer_expect(Peer *p, const char *name)
{
    g_autofree char *line = peer_read_line(p);
    g_autoptr(json_object) cmd = NULL;
    json_object *v = NULL;

    g_assert_nonnull(line);
    cmd = json_tokener_parse(line);
    g_assert_nonnull(cmd);
    g_assert_true(json_object_object_get_ex(cmd, "execute", &v));
    g_assert_cmpstr(json_object_get_string(v), ==, name);
    g_ptr_array_add(p->seen, g_strdup(name));
    g_clear_pointer(&p->last_id, g_free);
    if (json_object_object_get_ex(cmd, "id", &v))
        p->last_id = g_strdup(json_object_get_string(v));
}

static void
peer_reply(Peer *p, const char *text)
{
    g_autoptr(json_object) msg = json_tokener_parse(text);
    g_autofree char *line = NULL;

    g_assert_nonnull(msg);
    if (p->last_id)
        json_object_object_add(msg, "id", json_object_new_string(p->last_id));
    line = g_strdup_printf("%s\r\n", json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN));
    peer_write(p, line, strlen(line));
}

static void
peer_big(Peer *p, gsize size, gboolean terminate)
{
    g_autofree char *chunk = g_malloc(65536);
    const char *head = "{\"return\": \"";

    memset(chunk, 'x', 65536);
    peer_write(p, head, strlen(head));
    for (gsize done = 0; done < size;) {
        gsize n = MIN(size - done, 65536);

        peer_write(p, chunk, n);
        done += n;
    }
    if (terminate) {
        g_autofree char *tail = g_strdup_printf("\", \"id\": \"%s\"}\r\n", p->last_id);

        peer_write(p, tail, strlen(tail));
    }
}

static gpointer
peer_main(gpointer data)
{
    Peer *p = data;

    for (const Step *s = p->steps; s->kind != STEP_CLOSE; s++) {
        switch (s->kind) {
        case STEP_SEND:
            peer_write(p, s->text, strlen(s->text));
            break;
        case STEP_EXPECT:
            peer_expect(p, s->text);
            break;
        case STEP_REPLY:
            peer_reply(p, s->text);
            break;
        case STEP_BIG:
            peer_big(p, s->size, s->text != NULL);
            break;
        case STEP_WAIT:
            g_mutex_lock(&p->lock);
            while (!p->released)
                g_cond_wait(&p->cond, &p->lock);
            p->released = FALSE;
            g_mutex_unlock(&p->lock);
            break;
        case STEP_CLOSE:
            break;
        }
    }
    shutdown(p->fd, SHUT_RDWR);
    return NULL;
}

static void
peer_release(Peer *p)
{
    g_mutex_lock(&p->lock);
    p->released = TRUE;
    g_cond_signal(&p->cond);
    g_mutex_unlock(&p->lock);
}

/* Starts a peer; *@mon_fd receives the monitor's end. */
static Peer *
peer_start(const Step *steps, int *mon_fd)
{
    Peer *p = g_new0(Peer, 1);
    int sv[2];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    p->fd = sv[1];
    *mon_fd = sv[0];
    p->steps = steps;
    p->in = g_string_new(NULL);
    p->seen = g_ptr_array_new_with_free_func(g_free);
    g_mutex_init(&p->lock);
    g_cond_init(&p->cond);
    p->thread = g_thread_new("fake-qmp", peer_main, p);
    return p;
}

static void
peer_finish(Peer *p)
{
    peer_release(p);
    g_thread_join(p->thread);
    close(p->fd);
    g_string_free(p->in, TRUE);
    g_ptr_array_unref(p->seen);
    g_free(p->last_id);
    g_mutex_clear(&p->lock);
    g_cond_clear(&p->cond);
    g_free(p);
}

/* ---- monitor side ------------------------------------------------------------ */

typedef struct {
    GPtrArray *events; /* "NAME data-json @timestamp" */
    gboolean ready;
    gboolean closed;
    GError *closed_error;
    QemuMonitor *mon;
    gboolean sync_in_callback_refused;
} Watch;

static void
on_ready(QemuMonitor *mon, gpointer data)
{
    ((Watch *)data)->ready = TRUE;
}

static void
on_event(QemuMonitor *mon, const char *name, json_object *d, gint64 ts, gpointer data)
{
    Watch *w = data;

    g_ptr_array_add(w->events,
                    g_strdup_printf("%s %s @%" G_GINT64_FORMAT, name,
                                    d ? json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN)
                                      : "-",
                                    ts));
    if (g_str_equal(name, "SYNC_FROM_CALLBACK")) {
        g_autoptr(GError) err = NULL;
        json_object *r = qemu_monitor_command_sync(mon, "query-status", NULL, 100, &err);

        g_assert_null(r);
        w->sync_in_callback_refused = g_error_matches(err, CORE_ERROR, CORE_ERR_OPERATION_INVALID);
    }
}

static void
on_closed(QemuMonitor *mon, const GError *error, gpointer data)
{
    Watch *w = data;

    g_assert_false(w->closed);
    w->closed = TRUE;
    w->closed_error = error ? g_error_copy(error) : NULL;
}

static const QemuMonitorCallbacks watch_callbacks = {
    .ready = on_ready,
    .event = on_event,
    .closed = on_closed,
};

typedef struct {
    GMainContext *ctx;
    Watch watch;
    Peer *peer;
    QemuMonitor *mon;
} Fixture;

static void
fixture_start(Fixture *f, const Step *steps)
{
    int fd;

    f->ctx = g_main_context_new();
    f->watch.events = g_ptr_array_new_with_free_func(g_free);
    f->peer = peer_start(steps, &fd);
    f->mon = qemu_monitor_new(fd, f->ctx, &watch_callbacks, &f->watch);
    f->watch.mon = f->mon;
}

static void
fixture_stop(Fixture *f)
{
    qemu_monitor_close(f->mon);
    peer_finish(f->peer);
    /* let deferred completions run */
    while (g_main_context_iteration(f->ctx, FALSE))
        ;
    qemu_monitor_unref(f->mon);
    g_ptr_array_unref(f->watch.events);
    g_clear_error(&f->watch.closed_error);
    g_main_context_unref(f->ctx);
}

static void
iterate_until(Fixture *f, gboolean *flag)
{
    gint64 end = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while (!*flag) {
        g_assert_cmpint(g_get_monotonic_time(), <, end);
        g_main_context_iteration(f->ctx, TRUE);
    }
}

typedef struct {
    gboolean done;
    char *ret;
    GError *error;
    int order;
} Result;

static int completion_counter;

static void
on_reply(QemuMonitor *mon, json_object *ret, const GError *error, gpointer data)
{
    Result *r = data;

    g_assert_false(r->done);
    r->done = TRUE;
    r->order = ++completion_counter;
    r->ret = ret ? g_strdup(json_object_to_json_string_ext(ret, JSON_C_TO_STRING_PLAIN)) : NULL;
    r->error = error ? g_error_copy(error) : NULL;
}

static void
result_clear(Result *r)
{
    g_free(r->ret);
    g_clear_error(&r->error);
    memset(r, 0, sizeof(*r));
}

/* ---- tests --------------------------------------------------------------------- */

static void
test_greeting_and_command(void)
{
    static const Step steps[] = {
        { STEP_SEND, GREETING },
        { STEP_EXPECT, "qmp_capabilities" },
        { STEP_REPLY, "{\"return\": {}}" },
        { STEP_EXPECT, "query-status" },
        { STEP_REPLY, "{\"return\": {\"status\": \"running\", \"running\": true}}" },
        { STEP_WAIT },
        { STEP_CLOSE },
    };
    Fixture f = { 0 };
    Result r = { 0 };
    int major = 0, minor = 0, micro = 0;
    const char *package = NULL;

    fixture_start(&f, steps);
    g_assert_false(qemu_monitor_get_version(f.mon, NULL, NULL, NULL, NULL));
    /* queued before the greeting: must go out after qmp_capabilities */
    qemu_monitor_command(f.mon, "query-status", NULL, 5000, on_reply, &r);
    g_assert_false(r.done);
    iterate_until(&f, &r.done);
    g_assert_true(f.watch.ready);
    g_assert_true(qemu_monitor_is_ready(f.mon));
    g_assert_no_error(r.error);
    g_assert_cmpstr(r.ret, ==, "{\"status\":\"running\",\"running\":true}");
    g_assert_true(qemu_monitor_get_version(f.mon, &major, &minor, &micro, &package));
    g_assert_cmpint(major * 10000 + minor * 100 + micro, ==, 70222);
    g_assert_cmpstr(package, ==, "Debian 1:7.2+dfsg-7+deb12u18+b3");
    g_assert_cmpuint(f.peer->seen->len, ==, 2);
    result_clear(&r);
    fixture_stop(&f);
}

static void
test_events_interleaved(void)
{
    static const Step steps[] = {
        { STEP_SEND, GREETING },
        { STEP_EXPECT, "qmp_capabilities" },
        { STEP_REPLY, "{\"return\": {}}" },
        { STEP_EXPECT, "stop" },
        /* the event comes before the reply, in the same write as it */
        { STEP_SEND, "{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 250}, "
                     "\"event\": \"STOP\"}\r\n" },
        { STEP_REPLY, "{\"return\": {}}" },
        { STEP_EXPECT, "cont" },
        { STEP_EXPECT, "query-status" },
        /* replies out of order, events around them, a partial line */
        { STEP_SEND, "{\"event\": \"RESUME\", \"timestamp\": {\"seconds\": 1700000001, "
                     "\"microseconds\": 0}}\r\n{\"return\": {\"status\": \"running\"}, \"id\": \"vireo-4\"}\r\n"
                     "{\"event\": \"NIC_RX_FILTER_CHANGED\", \"data\": {\"name\": \"nic0\", "
                     "\"path\": \"/machine/peripheral/nic0/virtio-backend\"}, \"timest" },
        { STEP_SEND, "amp\": {\"seconds\": 1700000002, \"microseconds\": 999999}}\r\n"
                     "{\"return\": {}, \"id\": \"vireo-3\"}\r\n" },
        { STEP_WAIT },
        { STEP_CLOSE },
    };
    Fixture f = { 0 };
    Result stop = { 0 }, cont = { 0 }, status = { 0 };

    completion_counter = 0;
    fixture_start(&f, steps);
    qemu_monitor_command(f.mon, "stop", NULL, 5000, on_reply, &stop);
    iterate_until(&f, &stop.done);
    g_assert_cmpuint(f.watch.events->len, ==, 1);
    g_assert_cmpstr(f.watch.events->pdata[0], ==, "STOP - @1700000000000250");
    qemu_monitor_command(f.mon, "cont", NULL, 5000, on_reply, &cont);
    qemu_monitor_command(f.mon, "query-status", NULL, 5000, on_reply, &status);
    iterate_until(&f, &cont.done);
    g_assert_true(status.done);
    g_assert_no_error(cont.error);
    g_assert_no_error(status.error);
    g_assert_cmpstr(status.ret, ==, "{\"status\":\"running\"}");
    g_assert_cmpint(status.order, <, cont.order);
    g_assert_cmpuint(f.watch.events->len, ==, 3);
    g_assert_cmpstr(f.watch.events->pdata[1], ==, "RESUME - @1700000001000000");
    g_assert_cmpstr(f.watch.events->pdata[2], ==,
                    "NIC_RX_FILTER_CHANGED {\"name\":\"nic0\",\"path\":\"\\/machine\\/peripheral"
                    "\\/nic0\\/virtio-backend\"} @1700000002999999");
    result_clear(&stop);
    result_clear(&cont);
    result_clear(&status);
    fixture_stop(&f);
}

static void
test_error_reply(void)
{
    static const Step steps[] = {
        { STEP_SEND, GREETING },
        { STEP_EXPECT, "qmp_capabilities" },
        { STEP_REPLY, "{\"return\": {}}" },
        { STEP_EXPECT, "query-foo" },
        { STEP_REPLY, "{\"error\": {\"class\": \"CommandNotFound\", "
                      "\"desc\": \"The command query-foo has not been found\"}}" },
        /* an id-less error (QEMU could not parse the input) goes to the
         * oldest command sent */
        { STEP_EXPECT, "query-bar" },
        { STEP_SEND, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error\"}}\r\n" },
        { STEP_WAIT },
        { STEP_CLOSE },
    };
    Fixture f = { 0 };
    Result r = { 0 };

    fixture_start(&f, steps);
    qemu_monitor_command(f.mon, "query-foo", NULL, 5000, on_reply, &r);
    iterate_until(&f, &r.done);
    g_assert_error(r.error, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
    g_assert_nonnull(strstr(r.error->message, "The command query-foo has not been found"));
    g_assert_nonnull(strstr(r.error->message, "CommandNotFound"));
    g_assert_cmpstr(qemu_monitor_error_class(r.error), ==, "CommandNotFound");
    g_assert_cmpint(core_error_get_from(r.error), ==, CORE_FROM_QEMU);
    g_assert_null(r.ret);
    result_clear(&r);

    qemu_monitor_command(f.mon, "query-bar", NULL, 5000, on_reply, &r);
    iterate_until(&f, &r.done);
    g_assert_cmpstr(qemu_monitor_error_class(r.error), ==, "GenericError");
    g_assert_true(qemu_monitor_is_ready(f.mon)); /* an error reply is not fatal */
    result_clear(&r);
    fixture_stop(&f);
}

static void
test_timeout(void)
{
    static const Step steps[] = {
        { STEP_SEND, GREETING },
        { STEP_EXPECT, "qmp_capabilities" },
        { STEP_REPLY, "{\"return\": {}}" },
        { STEP_EXPECT, "slow" },
        { STEP_WAIT }, /* until the command timed out */
        { STEP_REPLY, "{\"return\": {\"late\": true}}" },
        { STEP_EXPECT, "fast" },
        { STEP_REPLY, "{\"return\": {\"fast\": true}}" },
        { STEP_WAIT },
        { STEP_CLOSE },
    };
    Fixture f = { 0 };
    Result slow = { 0 }, fast = { 0 };
    gint64 t0 = g_get_monotonic_time();

    fixture_start(&f, steps);
    qemu_monitor_command(f.mon, "slow", NULL, 100, on_reply, &slow);
    iterate_until(&f, &slow.done);
    g_assert_error(slow.error, CORE_ERROR, CORE_ERR_OPERATION_TIMEOUT);
    g_assert_cmpint(g_get_monotonic_time() - t0, >=, 100 * 1000);
    peer_release(f.peer);
    /* the late reply is dropped; the monitor keeps working */
    qemu_monitor_command(f.mon, "fast", NULL, 5000, on_reply, &fast);
    iterate_until(&f, &fast.done);
    g_assert_no_error(fast.error);
    g_assert_cmpstr(fast.ret, ==, "{\"fast\":true}");
    result_clear(&slow);
    result_clear(&fast);
    fixture_stop(&f);
}

/* Runs a script whose peer misbehaves after one pending command; checks
 * that the command and the monitor fail with @code and @text. */
static void
check_failure(const Step *steps, gsize max_message, int code, const char *text)
{
    Fixture f = { 0 };
    Result r = { 0 }, after = { 0 };

    fixture_start(&f, steps);
    if (max_message)
        qemu_monitor_set_max_message(f.mon, max_message);
    qemu_monitor_command(f.mon, "query-status", NULL, 10000, on_reply, &r);
    iterate_until(&f, &r.done);
    g_assert_error(r.error, CORE_ERROR, code);
    g_assert_nonnull(strstr(r.error->message, text));
    g_assert_true(f.watch.closed);
    g_assert_error(f.watch.closed_error, CORE_ERROR, code);
    g_assert_false(qemu_monitor_is_ready(f.mon));
    /* later commands fail too, but never inside the submitting call */
    qemu_monitor_command(f.mon, "query-status", NULL, 0, on_reply, &after);
    g_assert_false(after.done);
    iterate_until(&f, &after.done);
    g_assert_error(after.error, CORE_ERROR, code);
    result_clear(&r);
    result_clear(&after);
    fixture_stop(&f);
}

static void
test_garbage(void)
{
    static const Step steps[] = {
        { STEP_SEND, GREETING },
        { STEP_EXPECT, "qmp_capabilities" },
        { STEP_REPLY, "{\"return\": {}}" },
        { STEP_EXPECT, "query-status" },
        { STEP_SEND, "\x01\xfe}{ not json at all\r\n" },
        { STEP_WAIT },
        { STEP_CLOSE },
    };
    static const Step no_greeting[] = {
        { STEP_SEND, "{\"return\": {}}\r\n" },
        { STEP_WAIT },
        { STEP_CLOSE },
    };
    static const Step trailing[] = {
        { STEP_SEND, GREETING },
        { STEP_EXPECT, "qmp_capabilities" },
        { STEP_SEND, "{\"return\": {}} {\"return\": {}}\r\n" },
        { STEP_WAIT },
        { STEP_CLOSE },
    };
    static const Step not_object[] = {
        { STEP_SEND, GREETING },
        { STEP_EXPECT, "qmp_capabilities" },
        { STEP_SEND, "[1, 2, 3]\r\n" },
        { STEP_WAIT },
        { STEP_CLOSE },
    };

    check_failure(steps, 0, CORE_ERR_INTERNAL_ERROR, "malformed QMP message");
    check_failure(no_greeting, 0, CORE_ERR_INTERNAL_ERROR, "greeting");
    check_failure(trailing, 0, CORE_ERR_INTERNAL_ERROR, "malformed QMP message");
    check_failure(not_object, 0, CORE_ERR_INTERNAL_ERROR, "malformed QMP message");
}

static void
test_eof(void)
{
    static const Step mid[] = {
        { STEP_SEND, GREETING },
        { STEP_EXPECT, "qmp_capabilities" },
        { STEP_REPLY, "{\"return\": {}}" },
        { STEP_EXPECT, "query-status" },
        { STEP_SEND, "{\"return\": {\"status\": " },
        { STEP_CLOSE },
    };
    static const Step clean[] = {
        { STEP_SEND, GREETING },
        { STEP_EXPECT, "qmp_capabilities" },
        { STEP_REPLY, "{\"return\": {}}" },
        { STEP_EXPECT, "quit" },
        { STEP_REPLY, "{\"return\": {}}" },
        { STEP_SEND, "{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": false}}\r\n" },
        { STEP_CLOSE },
    };
    Fixture f = { 0 };
    Result r = { 0 };

    check_failure(mid, 0, CORE_ERR_OPERATION_FAILED, "in the middle of a message");

    /* a clean EOF: closed(NULL); pending work fails with OPERATION_FAILED */
    fixture_start(&f, clean);
    qemu_monitor_command(f.mon, "quit", NULL, 5000, on_reply, &r);
    iterate_until(&f, &f.watch.closed);
    g_assert_true(r.done);
    g_assert_no_error(r.error);
    g_assert_no_error(f.watch.closed_error);
    g_assert_cmpuint(f.watch.events->len, ==, 1);
    result_clear(&r);
    qemu_monitor_command(f.mon, "query-status", NULL, 0, on_reply, &r);
    iterate_until(&f, &r.done);
    g_assert_error(r.error, CORE_ERROR, CORE_ERR_OPERATION_FAILED);
    result_clear(&r);
    fixture_stop(&f);
}

static void
test_huge_reply(void)
{
    /* 3 MiB without a newline against a 1 MiB cap: fails cleanly */
    static const Step huge[] = {
        { STEP_SEND, GREETING },
        { STEP_EXPECT, "qmp_capabilities" },
        { STEP_REPLY, "{\"return\": {}}" },
        { STEP_EXPECT, "query-status" },
        { STEP_BIG, NULL, 3 * 1024 * 1024 },
        { STEP_WAIT },
        { STEP_CLOSE },
    };
    /* a complete line above the cap fails as well */
    static const Step huge_line[] = {
        { STEP_SEND, GREETING },
        { STEP_EXPECT, "qmp_capabilities" },
        { STEP_REPLY, "{\"return\": {}}" },
        { STEP_EXPECT, "query-status" },
        { STEP_BIG, "", 2 * 1024 * 1024 },
        { STEP_WAIT },
        { STEP_CLOSE },
    };
    /* and a large reply under the cap arrives whole */
    static const Step large[] = {
        { STEP_SEND, GREETING },
        { STEP_EXPECT, "qmp_capabilities" },
        { STEP_REPLY, "{\"return\": {}}" },
        { STEP_EXPECT, "query-status" },
        { STEP_BIG, "", 4 * 1024 * 1024 },
        { STEP_WAIT },
        { STEP_CLOSE },
    };
    Fixture f = { 0 };
    Result r = { 0 };

    check_failure(huge, 1024 * 1024, CORE_ERR_INTERNAL_ERROR, "exceeds 1048576 bytes");
    check_failure(huge_line, 1024 * 1024, CORE_ERR_INTERNAL_ERROR, "exceeds 1048576 bytes");

    fixture_start(&f, large);
    qemu_monitor_set_max_message(f.mon, 8 * 1024 * 1024);
    qemu_monitor_command(f.mon, "query-status", NULL, 10000, on_reply, &r);
    iterate_until(&f, &r.done);
    g_assert_no_error(r.error);
    g_assert_cmpuint(strlen(r.ret), ==, 4 * 1024 * 1024 + 2);
    result_clear(&r);
    fixture_stop(&f);
}

static void
test_close_aborts(void)
{
    static const Step steps[] = {
        { STEP_SEND, GREETING },
        { STEP_EXPECT, "qmp_capabilities" },
        { STEP_REPLY, "{\"return\": {}}" },
        { STEP_EXPECT, "query-status" },
        { STEP_WAIT },
        { STEP_CLOSE },
    };
    Fixture f = { 0 };
    Result r = { 0 };

    fixture_start(&f, steps);
    qemu_monitor_command(f.mon, "query-status", NULL, 0, on_reply, &r);
    iterate_until(&f, &f.watch.ready);
    qemu_monitor_close(f.mon);
    g_assert_true(r.done);
    g_assert_error(r.error, CORE_ERROR, CORE_ERR_OPERATION_ABORTED);
    g_assert_false(f.watch.closed); /* closed() is for failures only */
    result_clear(&r);
    fixture_stop(&f);
}

static void
test_sync_own_context(void)
{
    static const Step steps[] = {
        { STEP_SEND, GREETING },
        { STEP_EXPECT, "qmp_capabilities" },
        { STEP_REPLY, "{\"return\": {}}" },
        { STEP_EXPECT, "query-kvm" },
        { STEP_SEND, "{\"event\": \"SYNC_FROM_CALLBACK\"}\r\n" },
        { STEP_REPLY, "{\"return\": {\"enabled\": false, \"present\": true}}" },
        { STEP_EXPECT, "stop" },
        { STEP_REPLY, "{\"return\": {}}" },
        { STEP_EXPECT, "query-foo" },
        { STEP_REPLY, "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"nope\"}}" },
        { STEP_WAIT },
        { STEP_CLOSE },
    };
    Fixture f = { 0 };
    g_autoptr(GError) err = NULL;
    g_autoptr(json_object) ret = NULL;
    g_autoptr(json_object) empty = NULL;

    fixture_start(&f, steps);
    /* nobody iterates f.ctx: the sync calls do */
    g_assert_true(qemu_monitor_wait_ready_sync(f.mon, 5000, &err));
    g_assert_no_error(err);
    ret = qemu_monitor_command_sync(f.mon, "query-kvm", NULL, 5000, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(json_object_to_json_string_ext(ret, JSON_C_TO_STRING_PLAIN), ==,
                    "{\"enabled\":false,\"present\":true}");
    g_assert_true(f.watch.sync_in_callback_refused);
    empty = qemu_monitor_command_sync(f.mon, "stop", json_object_new_object(), 5000, &err);
    g_assert_no_error(err);
    g_assert_true(json_object_is_type(empty, json_type_object));
    g_assert_null(qemu_monitor_command_sync(f.mon, "query-foo", NULL, 5000, &err));
    g_assert_cmpstr(qemu_monitor_error_class(err), ==, "CommandNotFound");
    fixture_stop(&f);
}

typedef struct {
    QemuMonitor *mon;
    GMainLoop *loop;
    int ok;
} Worker;

static gpointer
worker_main(gpointer data)
{
    Worker *w = data;

    for (int i = 0; i < 50; i++) {
        g_autoptr(GError) err = NULL;
        g_autoptr(json_object) ret = qemu_monitor_command_sync(w->mon, "query-status", NULL,
                                                               5000, &err);

        g_assert_no_error(err);
        if (ret)
            w->ok++;
    }
    g_main_loop_quit(w->loop);
    return NULL;
}

static void
test_sync_from_worker(void)
{
    g_autofree Step *steps = g_new0(Step, 2 + 2 * 50 + 4);
    guint n = 0;
    Fixture f = { 0 };
    Worker w = { 0 };
    GThread *thread;

    steps[n++] = (Step){ STEP_SEND, GREETING };
    steps[n++] = (Step){ STEP_EXPECT, "qmp_capabilities" };
    steps[n++] = (Step){ STEP_REPLY, "{\"return\": {}}" };
    for (int i = 0; i < 50; i++) {
        steps[n++] = (Step){ STEP_EXPECT, "query-status" };
        steps[n++] = (Step){ STEP_REPLY, "{\"return\": {\"status\": \"running\"}}" };
    }
    steps[n++] = (Step){ STEP_WAIT };
    steps[n++] = (Step){ STEP_CLOSE };
    g_assert_cmpuint(n, <=, 2 + 2 * 50 + 4);

    fixture_start(&f, steps);
    w.mon = f.mon;
    w.loop = g_main_loop_new(f.ctx, FALSE);
    /* the main thread runs the monitor's loop, the worker blocks on it */
    thread = g_thread_new("worker", worker_main, &w);
    g_main_loop_run(w.loop);
    g_thread_join(thread);
    g_assert_cmpint(w.ok, ==, 50);
    g_main_loop_unref(w.loop);
    fixture_stop(&f);
}

static void
test_connect_unix(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("vireo-mon-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "absent.sock", NULL);
    g_autofree char *longpath = g_strnfill(200, 'a');
    gint64 t0 = g_get_monotonic_time();

    g_assert_cmpint(qemu_monitor_connect_unix(path, 50, 0, &err), ==, -1);
    g_assert_error(err, CORE_ERROR, CORE_ERR_OPERATION_TIMEOUT);
    g_assert_cmpint(g_get_monotonic_time() - t0, >=, 50 * 1000);
    g_clear_error(&err);
    g_assert_cmpint(qemu_monitor_connect_unix(longpath, 50, 0, &err), ==, -1);
    g_assert_error(err, CORE_ERROR, CORE_ERR_INVALID_ARG);
    g_rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu/monitor/greeting-and-command", test_greeting_and_command);
    g_test_add_func("/qemu/monitor/events-interleaved", test_events_interleaved);
    g_test_add_func("/qemu/monitor/error-reply", test_error_reply);
    g_test_add_func("/qemu/monitor/timeout", test_timeout);
    g_test_add_func("/qemu/monitor/garbage", test_garbage);
    g_test_add_func("/qemu/monitor/eof", test_eof);
    g_test_add_func("/qemu/monitor/huge-reply", test_huge_reply);
    g_test_add_func("/qemu/monitor/close-aborts", test_close_aborts);
    g_test_add_func("/qemu/monitor/sync-own-context", test_sync_own_context);
    g_test_add_func("/qemu/monitor/sync-from-worker", test_sync_from_worker);
    g_test_add_func("/qemu/monitor/connect-unix", test_connect_unix);
    return g_test_run();
}
