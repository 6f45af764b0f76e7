/* core-rpc-proc: what the generated protocol tables are made of.
 *
 * gen-protocol.py turns a procedure description (remote-procs.def) into a
 * CoreRpcProgram: one CoreRpcProcInfo per procedure number with its
 * annotations, the codecs of its args/ret structs and its handler. The
 * dispatcher (core-rpc-dispatch.c) and the remote client use the same
 * tables.
 */
#pragma once

#include <glib.h>

#include "core-driver.h"
#include "core-rpc-message.h"
#include "core-rpc-types.h"
#include "core-xdr.h"

G_BEGIN_DECLS

typedef enum {
    CORE_RPC_PROC_READONLY = 1 << 0,    /* allowed on read-only connections */
    CORE_RPC_PROC_INLINE = 1 << 1,      /* cheap: runs on the main loop */
    CORE_RPC_PROC_NOCONN = 1 << 2,      /* allowed before CONNECT_OPEN */
    CORE_RPC_PROC_FDS = 1 << 3,         /* arguments come with FDs */
    CORE_RPC_PROC_EVENT = 1 << 4,       /* server->client MESSAGE, not callable */
    CORE_RPC_PROC_UNSUPPORTED = 1 << 5, /* known procedure Vireo does not offer */
    CORE_RPC_PROC_WORKER = 1 << 6,      /* on the worker pool even for a nonblocking driver */
} CoreRpcProcFlags;

/* Per-call context handed to handlers. */
typedef struct {
    const CoreDriver *driver; /* NULL before CONNECT_OPEN */
    gpointer conn;            /* the driver's per-connection state */
    gpointer session;         /* (CoreRpcSession *) the dispatcher state */
    int *fds;                 /* FDs received with the call (owned by the caller) */
    guint nfds;
    /* The call's header: procedures that open a stream tag its packets
     * with its procedure and serial (core-rpc-stream.h). NULL when unknown. */
    const CoreRpcHeader *header;
} CoreRpcCall;

typedef gboolean (*CoreRpcEncodeFunc)(CoreXdrWriter *w, gconstpointer v, GError **error);
typedef gboolean (*CoreRpcDecodeFunc)(CoreXdrReader *r, gpointer v, GError **error);
typedef void (*CoreRpcClearFunc)(gpointer v);
/* @args and @ret point to the decoded args struct and a zeroed ret struct
 * (NULL when the procedure has none). TRUE on success with @ret filled;
 * FALSE with @error set otherwise. */
typedef gboolean (*CoreRpcHandler)(CoreRpcCall *call, gconstpointer args, gpointer ret,
                                   GError **error);

typedef struct {
    const char *name; /* "DOMAIN_LOOKUP_BY_NAME"; NULL = unknown number */
    const char *api;  /* "virDomainLookupByName" */
    int from;         /* CoreErrorFrom of "not supported" errors */
    guint flags;      /* CoreRpcProcFlags */
    /* args (for events: the message body); size 0 = empty payload */
    gsize args_size;
    CoreRpcEncodeFunc args_encode;
    CoreRpcDecodeFunc args_decode;
    CoreRpcClearFunc args_clear;
    gsize ret_size;
    CoreRpcEncodeFunc ret_encode;
    CoreRpcDecodeFunc ret_decode;
    CoreRpcClearFunc ret_clear;
    CoreRpcHandler handler; /* NULL for events and unsupported procedures */
} CoreRpcProcInfo;

typedef struct {
    const char *name;
    guint32 prog;
    guint32 vers;
    int nprocs;
    const CoreRpcProcInfo *procs;
} CoreRpcProgram;

/* (transfer none) The description of @proc, NULL when @proc is unknown. */
const CoreRpcProcInfo *core_rpc_program_lookup(const CoreRpcProgram *program, int proc);

/* Sets CORE_ERR_NO_SUPPORT from @from: "this function is not supported by
 * the connection driver: @api". Returns FALSE. */
gboolean core_rpc_no_support(GError **error, int from, const char *api);

/* Moves the elements of @list (transfer full, consumed) into *@ret_items /
 * *@ret_len when @need_results, frees them with @free_elem otherwise, and
 * stores the count in *@ret_count. (A list longer than the reply's array
 * maximum fails later, when the reply is encoded.) Returns TRUE. */
gboolean core_rpc_list_result(GPtrArray *list, gboolean need_results, gpointer **ret_items,
                              guint *ret_len, guint32 *ret_count, GDestroyNotify free_elem,
                              GError **error);

G_END_DECLS
