/* libFuzzer target for the RPC layer: the input is a client's byte stream.
 * It is cut into packets exactly as the server does (length word, 32 MiB
 * cap), each packet goes through the decoder and the dispatcher of one
 * session served by the in-memory test driver, jobs run synchronously, and
 * every reply must itself be a well-formed packet. Built with -Dfuzzing=true
 * as a libFuzzer binary; otherwise a small main() replays the seed corpus
 * (tests/fuzz/corpus/rpc) as a unit test. */
#define CORE_FROM_THIS CORE_FROM_RPC
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core-error.h"
#include "core-rpc-dispatch.h"
#include "core-rpc-error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const CoreDriver *
select_driver(const char *uri, gpointer data, GError **error)
{
    if (g_str_has_prefix(uri, "test:///default"))
        return &core_test_driver;
    core_error_set(error, CORE_ERR_NO_CONNECT, "%s", uri);
    return NULL;
}

static void
drop_event(GBytes *packet, gpointer data)
{
    guint *count = data;

    (*count)++;
    g_bytes_unref(packet);
}

static void
check_reply(GBytes *reply)
{
    CoreRpcMessage msg;
    gsize len;
    const guint8 *p = g_bytes_get_data(reply, &len);

    if (!core_rpc_message_decode(p, len, &msg, NULL))
        abort();
    if (msg.header.type == CORE_RPC_REPLY && msg.header.status == CORE_RPC_STATUS_ERROR) {
        g_autoptr(GError) err = NULL;
        CoreXdrReader r;

        core_xdr_reader_init(&r, msg.payload, msg.payload_len);
        if (!core_rpc_error_from_wire(&r, &err, NULL) || !core_xdr_reader_finish(&r, NULL))
            abort();
    }
}

/* Returns FALSE when the connection would be dropped. */
static gboolean
handle(CoreRpcSession *session, const guint8 *frame, gsize len)
{
    CoreRpcMessage msg;
    GBytes *reply = NULL;
    CoreRpcJob *job = NULL;
    gboolean close_after = FALSE;

    if (!core_rpc_message_decode(frame, len, &msg, NULL))
        return FALSE;
    /* descriptors never arrive here: packets announcing some get none */
    switch (core_rpc_session_handle(session, &msg, NULL, 0, &reply, &job)) {
    case CORE_RPC_ACTION_NONE:
        break;
    case CORE_RPC_ACTION_REPLY:
        check_reply(reply);
        g_bytes_unref(reply);
        break;
    case CORE_RPC_ACTION_JOB:
        reply = core_rpc_job_run(job, &close_after);
        core_rpc_job_free(job);
        if (!reply)
            return FALSE;
        check_reply(reply);
        g_bytes_unref(reply);
        break;
    }
    return !close_after;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    guint events = 0;
    CoreRpcSessionHooks hooks = {
        .select = select_driver,
        .queue_event = drop_event,
        .event_data = &events,
    };
    g_autoptr(CoreRpcSession) session = NULL;
    gsize pos = 0;

    /* bounded input keeps each run fast */
    if (size > 1024 * 1024)
        return 0;
    /* some inputs run on a read-only connection; which ones follows from the
     * size, so mutations explore both */
    session = core_rpc_session_new(size % 5 == 4, &hooks);
    while (size - pos >= 4) {
        guint32 word;

        memcpy(&word, data + pos, 4);
        word = GUINT32_FROM_BE(word);
        if (!core_rpc_length_valid(word) || word > size - pos)
            break;
        if (!handle(session, data + pos, word))
            break;
        pos += word;
    }
    return 0;
}

#ifndef CORE_FUZZING
static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* Replays every file of the directories given on the command line (or of
 * tests/fuzz/corpus/rpc under VIREO_SOURCE_ROOT) and prints TAP. */
int
main(int argc, char **argv)
{
    g_autofree char *dflt = g_build_filename(g_getenv("VIREO_SOURCE_ROOT") ?: ".", "tests",
                                             "fuzz", "corpus", "rpc", NULL);
    const char *dir_path = argc > 1 && argv[1][0] != '-' ? argv[1] : dflt;
    g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    if (!dir) {
        printf("1..0 # SKIP no corpus at %s\n", dir_path);
        return 77;
    }
    while ((name = g_dir_read_name(dir)))
        g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, compare_names);
    printf("1..%u\n", names->len);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path = g_build_filename(dir_path, names->pdata[i], NULL);
        g_autofree char *buf = NULL;
        gsize len = 0;

        if (!g_file_get_contents(path, &buf, &len, NULL)) {
            printf("not ok %u %s\n", i + 1, (char *)names->pdata[i]);
            continue;
        }
        LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
        printf("ok %u %s\n", i + 1, (char *)names->pdata[i]);
    }
    return 0;
}
#endif
