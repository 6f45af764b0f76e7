/* vsh.h: command table, parsed commands and shared helpers of vsh, the
 * virsh-compatible shell of Vireo.
 *
 * vsh parses options, reports errors and prints its output the way virsh
 * does (the same command names, option names, positional order, messages,
 * blank lines and exit status), so that scripts written for virsh run
 * unchanged. Beyond virsh, several commands take --json.
 */
#pragma once

#include <glib.h>
#include <json-c/json.h>
#include <vireo/vireo.h>

G_BEGIN_DECLS

typedef enum {
    VSH_OT_BOOL,   /* --flag */
    VSH_OT_STRING, /* --opt value, or positional when not REQ_OPT */
    VSH_OT_INT,    /* like STRING, a number */
    VSH_OT_DATA,   /* required positional: <name> */
    VSH_OT_ARGV,   /* the remaining positional words */
} VshOptType;

enum {
    VSH_OFLAG_REQ = 1 << 0,     /* must be given */
    VSH_OFLAG_REQ_OPT = 1 << 1, /* only as --name value, never positional */
    VSH_OFLAG_EMPTY_OK = 1 << 2,
};

typedef struct {
    const char *name;
    VshOptType type;
    unsigned flags;
    const char *help;
} VshOptDef;

typedef struct _VshCtl VshCtl;
typedef struct _VshCmd VshCmd;

typedef gboolean (*VshHandler)(VshCtl *ctl, const VshCmd *cmd);

enum {
    VSH_CMD_FLAG_NOCONNECT = 1 << 0, /* runs without a connection */
};

typedef struct {
    const char *name;
    VshHandler handler;
    const VshOptDef *opts; /* terminated by { NULL } */
    const char *help;
    const char *desc;
    unsigned flags;
} VshCmdDef;

typedef struct {
    const VshOptDef *def;
    char *data; /* NULL for booleans */
} VshCmdOpt;

struct _VshCmd {
    const VshCmdDef *def;
    GPtrArray *opts; /* (element-type VshCmdOpt) */
};

struct _VshCtl {
    char *uri;
    gboolean readonly;
    gboolean quiet;
    VireoConnect *conn;
    GError *last_error; /* error of the last failed API call, reported after the command */
};

/* command groups (vsh-domain.c, vsh-network.c, ...) */
extern const VshCmdDef vsh_shell_cmds[];
extern const VshCmdDef vsh_domain_cmds[];
extern const VshCmdDef vsh_domain_monitor_cmds[];
extern const VshCmdDef vsh_network_cmds[];
extern const VshCmdDef vsh_storage_cmds[];
extern const VshCmdDef vsh_volume_cmds[];
extern const VshCmdDef vsh_host_cmds[];
extern const VshCmdDef vsh_event_cmds[];

/* ---- vsh.c: options, messages ---- */

/* TRUE when boolean option @name was given (or a data option is present). */
gboolean vsh_opt_bool(const VshCmd *cmd, const char *name);
/* (transfer none) Value of option @name, NULL when absent. */
const char *vsh_opt_string(const VshCmd *cmd, const char *name);
/* Reads option @name as an int: 1 found, 0 absent, -1 malformed (reported). */
int vsh_opt_int(VshCtl *ctl, const VshCmd *cmd, const char *name, int *value);
/* Fails (reported as virsh does) when both @a and @b are given. */
gboolean vsh_opts_exclusive(VshCtl *ctl, const VshCmd *cmd, const char *a, const char *b);

/* A boolean option and the API flag it sets; tables end with { NULL }. */
typedef struct {
    const char *opt;
    guint flag;
} VshOptFlag;
/* The OR of the flags of the options of @map that were given. */
guint vsh_opt_flags(const VshCmd *cmd, const VshOptFlag *map);

/* "error: ..." on stderr, as vshError. */
void vsh_error(VshCtl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Plain output on stdout. */
void vsh_print(VshCtl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Output suppressed by -q (virsh's vshPrintExtra). */
void vsh_print_extra(VshCtl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Keeps @error (transfer full) as the error reported once the command ends. */
void vsh_save_error(VshCtl *ctl, GError *error);
/* vsh_save_error(), then FALSE: the tail of a failed command. */
gboolean vsh_fail(VshCtl *ctl, GError *error);
/* Forgets the saved error (virsh's vshResetLibvirtError). */
void vsh_reset_error(VshCtl *ctl);
/* Reads a whole file for define/create; on failure saves a system error
 * worded as libvirt's ("Failed to open file '...': ..."). (transfer full) */
char *vsh_read_file(VshCtl *ctl, const char *path);

/* ---- vsh-output.c: tables, sizes, JSON ---- */

typedef struct _VshTable VshTable;
VshTable *vsh_table_new(const char *first, ...) G_GNUC_NULL_TERMINATED;
void vsh_table_add_row(VshTable *table, const char *first, ...) G_GNUC_NULL_TERMINATED;
/* Prints the table as virsh does (no header under -q) and frees it. */
void vsh_table_print(VshCtl *ctl, VshTable *table);
void vsh_table_free(VshTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VshTable, vsh_table_free)

/* Prints the JSON array @arr (transfer full) when not NULL, else @table
 * (transfer full, may be NULL: nothing) as vsh_table_print(); the end of
 * every list command.
 * Returns: TRUE */
gboolean vsh_list_print(VshCtl *ctl, json_object *arr, VshTable *table);
/* "<label padded to 15> <size>": bytes when @bytes (followed by
 * @bytes_unit when not NULL), else pretty units as virsh's info commands. */
void vsh_print_size(VshCtl *ctl, const char *label, guint64 val, gboolean bytes,
                    const char *bytes_unit);

/* Scales @val to B/KiB/MiB/... as virsh's vshPrettyCapacity. */
double vsh_pretty_capacity(guint64 val, const char **unit);
/* Prints @obj (transfer full) as pretty JSON followed by a newline. */
void vsh_json_print(VshCtl *ctl, json_object *obj);
/* Formats a UUID into @buf (VIREO_UUID_STRING_BUFLEN). */
void vsh_uuid_format(const guint8 *uuid, char *buf);

/* The --json option of the list and info commands that have one. */
#define VSH_OPT_JSON { "json", VSH_OT_BOOL, 0, "print machine-readable JSON (vsh extension)" }

/* ---- lookups (virsh's rules) ---- */
enum {
    VSH_BYID = 1 << 0,
    VSH_BYUUID = 1 << 1,
    VSH_BYNAME = 1 << 2,
};
/* Lookup of option @optname; numeric -> id, UUID-shaped -> uuid, else name,
 * limited to @flags. Reports "failed to get domain 'x'". (transfer full) */
VireoDomain *vsh_lookup_domain(VshCtl *ctl, const VshCmd *cmd, const char *optname,
                               unsigned flags, const char **ret_name);
VireoNetwork *vsh_lookup_network(VshCtl *ctl, const VshCmd *cmd, const char *optname,
                                 const char **ret_name);
VireoStoragePool *vsh_lookup_pool_by(VshCtl *ctl, const char *name, unsigned flags);
VireoStoragePool *vsh_lookup_pool(VshCtl *ctl, const VshCmd *cmd, const char *optname,
                                  unsigned flags, const char **ret_name);

/* virsh's state names ("running", "shut off", ...) and reasons. */
const char *vsh_domain_state_str(int state);
const char *vsh_domain_reason_str(int state, int reason);

/* Rejects (with an error) any of @names that was given. */
gboolean vsh_reject_unsupported(VshCtl *ctl, const VshCmd *cmd, const char *const *names);

/* ---- vsh-domain-lifecycle.c: handlers and options of the lifecycle commands ---- */
#define VSH_DECLARE_CMD(name)                                                        \
    gboolean vsh_cmd_##name(VshCtl *ctl, const VshCmd *cmd);                         \
    extern const VshOptDef vsh_opts_##name[]
VSH_DECLARE_CMD(autostart);
/* vsh-console.c */
VSH_DECLARE_CMD(console);
VSH_DECLARE_CMD(create);
VSH_DECLARE_CMD(define);
VSH_DECLARE_CMD(destroy);
VSH_DECLARE_CMD(reboot);
VSH_DECLARE_CMD(resume);
VSH_DECLARE_CMD(shutdown);
VSH_DECLARE_CMD(start);
VSH_DECLARE_CMD(suspend);
VSH_DECLARE_CMD(undefine);
/* vsh-domain-metadata.c */
VSH_DECLARE_CMD(desc);
VSH_DECLARE_CMD(metadata);

G_END_DECLS
