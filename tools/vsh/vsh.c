/* vsh: the virsh-compatible command line shell of Vireo.
 *
 * This file holds main(), the global options, the command parser (one
 * command string split on ';' by a shell-like tokenizer, or the argv words
 * of a single command), the runner and the help command. The parse and
 * error rules are those of virsh 9.0: the whole line is parsed first and
 * nothing runs when any part of it is malformed; then the connection is
 * opened; then each command runs, failures are reported as "error: ..."
 * lines on stderr, a blank line follows each command's output, and the
 * exit status is that of the last command.
 */
#include "vsh.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "vireo-config.h"

typedef struct {
    const char *name;
    const char *keyword;
    const VshCmdDef *cmds;
} VshGroup;

static const VshGroup groups[] = {
    { "Vsh itself", "virsh", vsh_shell_cmds },
    { "Domain Management", "domain", vsh_domain_cmds },
    { "Domain Monitoring", "monitor", vsh_domain_monitor_cmds },
    { "Domain Events", "event", vsh_event_cmds },
    { "Host and Hypervisor", "host", vsh_host_cmds },
    { "Networking", "network", vsh_network_cmds },
    { "Storage Pool", "pool", vsh_storage_cmds },
    { "Storage Volume", "volume", vsh_volume_cmds },
    { NULL, NULL, NULL },
};

/* ---- messages ------------------------------------------------------------ */

void
vsh_error(VshCtl *ctl, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
    fprintf(stderr, "error: %s\n", msg);
    fflush(stderr);
}

void
vsh_print(VshCtl *ctl, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
}

void
vsh_print_extra(VshCtl *ctl, const char *fmt, ...)
{
    va_list ap;

    if (ctl && ctl->quiet)
        return;
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
}

void
vsh_save_error(VshCtl *ctl, GError *error)
{
    g_clear_error(&ctl->last_error);
    ctl->last_error = error;
}

gboolean
vsh_fail(VshCtl *ctl, GError *error)
{
    vsh_save_error(ctl, error);
    return FALSE;
}

void
vsh_reset_error(VshCtl *ctl)
{
    g_clear_error(&ctl->last_error);
}

static void
report_error(VshCtl *ctl)
{
    if (ctl->last_error)
        vsh_error(ctl, "%s", ctl->last_error->message);
    vsh_reset_error(ctl);
}

char *
vsh_read_file(VshCtl *ctl, const char *path)
{
    g_autoptr(GError) err = NULL;
    char *data = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    /* open first for the errno that libvirt's virFileReadAll reports */
    if (fd < 0) {
        int saved = errno;

        vsh_save_error(ctl, g_error_new(VIREO_ERROR, VIREO_ERROR_SYSTEM,
                                        "Failed to open file '%s': %s", path, g_strerror(saved)));
        return NULL;
    }
    close(fd);
    if (g_file_get_contents(path, &data, NULL, &err))
        return data;
    vsh_save_error(ctl, g_error_new(VIREO_ERROR, VIREO_ERROR_SYSTEM,
                                    "Failed to read file '%s': %s", path, err->message));
    return NULL;
}

/* ---- option access ---------------------------------------------------------- */

static const VshCmdOpt *
find_opt(const VshCmd *cmd, const char *name)
{
    for (guint i = 0; i < cmd->opts->len; i++) {
        const VshCmdOpt *opt = cmd->opts->pdata[i];

        if (strcmp(opt->def->name, name) == 0)
            return opt;
    }
    return NULL;
}

gboolean
vsh_opt_bool(const VshCmd *cmd, const char *name)
{
    return find_opt(cmd, name) != NULL;
}

const char *
vsh_opt_string(const VshCmd *cmd, const char *name)
{
    const VshCmdOpt *opt = find_opt(cmd, name);

    return opt ? opt->data : NULL;
}

int
vsh_opt_int(VshCtl *ctl, const VshCmd *cmd, const char *name, int *value)
{
    const char *str = vsh_opt_string(cmd, name);
    gint64 v = 0;
    char *end = NULL;

    if (!str)
        return 0;
    errno = 0;
    v = g_ascii_strtoll(str, &end, 10);
    if (errno || end == str || *end || v < G_MININT || v > G_MAXINT) {
        vsh_error(ctl, "Numeric value '%s' for <%s> option is malformed or out of range", str,
                  name);
        return -1;
    }
    *value = (int)v;
    return 1;
}

gboolean
vsh_opts_exclusive(VshCtl *ctl, const VshCmd *cmd, const char *a, const char *b)
{
    if (vsh_opt_bool(cmd, a) && vsh_opt_bool(cmd, b)) {
        vsh_error(ctl, "Options --%s and --%s are mutually exclusive", a, b);
        return FALSE;
    }
    return TRUE;
}

guint
vsh_opt_flags(const VshCmd *cmd, const VshOptFlag *map)
{
    guint flags = 0;

    for (; map->opt; map++) {
        if (vsh_opt_bool(cmd, map->opt))
            flags |= map->flag;
    }
    return flags;
}

/* ---- command table ------------------------------------------------------------ */

static const VshCmdDef *
find_cmd(const char *name)
{
    for (const VshGroup *g = groups; g->name; g++) {
        for (const VshCmdDef *c = g->cmds; c->name; c++) {
            if (strcmp(c->name, name) == 0)
                return c;
        }
    }
    return NULL;
}

static const VshGroup *
find_group(const char *name)
{
    for (const VshGroup *g = groups; g->name; g++) {
        if (strcmp(g->name, name) == 0 || strcmp(g->keyword, name) == 0)
            return g;
    }
    return NULL;
}

static void
cmd_free(VshCmd *cmd)
{
    if (!cmd)
        return;
    g_ptr_array_unref(cmd->opts);
    g_free(cmd);
}

static void
cmd_opt_free(gpointer data)
{
    VshCmdOpt *opt = data;

    g_free(opt->data);
    g_free(opt);
}

static VshCmd *
cmd_new(const VshCmdDef *def)
{
    VshCmd *cmd = g_new0(VshCmd, 1);

    cmd->def = def;
    cmd->opts = g_ptr_array_new_with_free_func(cmd_opt_free);
    return cmd;
}

static void
cmd_add_opt(VshCmd *cmd, const VshOptDef *def, char *data)
{
    VshCmdOpt *opt = g_new0(VshCmdOpt, 1);

    opt->def = def;
    opt->data = data;
    g_ptr_array_add(cmd->opts, opt);
}

/* ---- parser ---------------------------------------------------------------------- */

typedef enum {
    TK_ERROR,
    TK_ARG,
    TK_SUBCMD_END,
    TK_END,
} Token;

typedef struct {
    /* string mode */
    const char *pos;
    /* argv mode */
    char **argv;
    int argc;
    int argi;
} Parser;

/* Next word of a command string: blanks separate words, ';' ends a
 * command, '...' quotes literally, "..." quotes with \ escapes, \ escapes
 * outside quotes (virsh's rules, including its error texts). */
static Token
next_string_token(VshCtl *ctl, Parser *p, char **ret)
{
    gboolean squote = FALSE, dquote = FALSE;
    const char *s = p->pos;
    g_autoptr(GString) out = g_string_new(NULL);

    *ret = NULL;
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '\0')
        return TK_END;
    if (*s == ';') {
        p->pos = s + 1;
        return TK_SUBCMD_END;
    }
    while (*s) {
        if (!dquote && !squote && (*s == ' ' || *s == '\t' || *s == ';'))
            break;
        if (!dquote && *s == '\'') {
            squote = !squote;
            s++;
            continue;
        } else if (!squote && *s == '\\') {
            s++;
            if (*s == '\0') {
                vsh_error(ctl, "%s", "dangling \\");
                return TK_ERROR;
            }
        } else if (!squote && *s == '"') {
            dquote = !dquote;
            s++;
            continue;
        }
        g_string_append_c(out, *s++);
    }
    if (dquote) {
        vsh_error(ctl, "%s", "missing \"");
        return TK_ERROR;
    }
    p->pos = s;
    *ret = g_string_free(g_steal_pointer(&out), FALSE);
    return TK_ARG;
}

static Token
next_token(VshCtl *ctl, Parser *p, char **ret)
{
    if (!p->argv)
        return next_string_token(ctl, p, ret);
    *ret = NULL;
    if (p->argi >= p->argc)
        return TK_END;
    *ret = g_strdup(p->argv[p->argi++]);
    return TK_ARG;
}

typedef struct {
    const VshCmdDef *def;
    guint32 need_arg;  /* options still fillable by position */
    guint32 required;
    guint32 seen;
} OptState;

static void
opt_state_init(OptState *st, const VshCmdDef *def)
{
    memset(st, 0, sizeof(*st));
    st->def = def;
    for (guint i = 0; def->opts && def->opts[i].name; i++) {
        const VshOptDef *opt = &def->opts[i];

        if (opt->type == VSH_OT_BOOL)
            continue;
        if (opt->flags & VSH_OFLAG_REQ_OPT) {
            if (opt->flags & VSH_OFLAG_REQ)
                st->required |= 1u << i;
            continue;
        }
        st->need_arg |= 1u << i;
        if (opt->flags & VSH_OFLAG_REQ)
            st->required |= 1u << i;
    }
}

static const VshOptDef help_opt = { "help", VSH_OT_BOOL, 0, "print help for this function" };

/* The option definition for "--name", or NULL (reported). */
static const VshOptDef *
opt_by_name(VshCtl *ctl, OptState *st, const char *name, int *ret_index)
{
    const VshOptDef *opts = st->def->opts;

    if (strcmp(name, "help") == 0)
        return &help_opt;
    for (int i = 0; opts && opts[i].name; i++) {
        if (strcmp(opts[i].name, name) != 0)
            continue;
        if ((st->seen & (1u << i)) && opts[i].type != VSH_OT_ARGV) {
            vsh_error(ctl, "option --%s already seen", name);
            return NULL;
        }
        st->seen |= 1u << i;
        *ret_index = i;
        return &opts[i];
    }
    if (strcmp(st->def->name, "help") != 0)
        vsh_error(ctl, "command '%s' doesn't support option --%s", st->def->name, name);
    return NULL;
}

/* The next positional option, or NULL. */
static const VshOptDef *
opt_by_position(OptState *st)
{
    int i;

    if (!st->need_arg)
        return NULL;
    i = g_bit_nth_lsf(st->need_arg, -1);
    if (st->def->opts[i].type != VSH_OT_ARGV)
        st->need_arg &= ~(1u << i);
    st->seen |= 1u << i;
    return &st->def->opts[i];
}

static gboolean
check_required(VshCtl *ctl, OptState *st)
{
    guint32 missing = st->required & ~st->seen;

    if (!missing)
        return TRUE;
    for (int i = 0; st->def->opts[i].name; i++) {
        const VshOptDef *opt = &st->def->opts[i];

        if (!(missing & (1u << i)))
            continue;
        if (opt->type == VSH_OT_DATA || opt->type == VSH_OT_ARGV)
            vsh_error(ctl, "command '%s' requires <%s> option", st->def->name, opt->name);
        else
            vsh_error(ctl, "command '%s' requires --%s option", st->def->name, opt->name);
    }
    return FALSE;
}

/* "--opt[=value]" at @word; fills @cmd. FALSE on a reported error. */
static gboolean
parse_option_word(VshCtl *ctl, Parser *p, OptState *st, VshCmd *cmd, char *word,
                  gboolean *ret_help)
{
    char *eq = strchr(word + 2, '=');
    g_autofree char *value = NULL;
    const VshOptDef *opt = NULL;
    int index = -1;

    if (eq) {
        *eq = '\0';
        value = g_strdup(eq + 1);
    }
    if (!(opt = opt_by_name(ctl, st, word + 2, &index)))
        return strcmp(st->def->name, "help") == 0;
    if (opt == &help_opt) {
        *ret_help = TRUE;
        return TRUE;
    }
    if (opt->type == VSH_OT_BOOL) {
        if (value) {
            vsh_error(ctl, "invalid '=' after option --%s", opt->name);
            return FALSE;
        }
        cmd_add_opt(cmd, opt, NULL);
        return TRUE;
    }
    if (!value && next_token(ctl, p, &value) != TK_ARG) {
        vsh_error(ctl, "expected syntax: --%s <%s>", opt->name,
                  opt->type == VSH_OT_INT ? "number" : "string");
        return FALSE;
    }
    if (opt->type != VSH_OT_ARGV)
        st->need_arg &= ~(1u << index);
    cmd_add_opt(cmd, opt, g_steal_pointer(&value));
    return TRUE;
}

/* Parses one command up to ';' or the end. *ret_cmd is NULL for an empty
 * command. FALSE on a reported error. */
static gboolean
parse_one(VshCtl *ctl, Parser *p, VshCmd **ret_cmd, Token *ret_tk)
{
    VshCmd *cmd = NULL;
    OptState st;
    gboolean data_only = FALSE, want_help = FALSE;
    Token tk;

    *ret_cmd = NULL;
    for (;;) {
        g_autofree char *word = NULL;

        tk = next_token(ctl, p, &word);
        if (tk == TK_ERROR)
            goto error;
        if (tk != TK_ARG)
            break;
        if (!cmd) {
            const VshCmdDef *def = find_cmd(word);

            if (!def) {
                vsh_error(ctl, "unknown command: '%s'", word);
                goto error;
            }
            cmd = cmd_new(def);
            opt_state_init(&st, def);
        } else if (!data_only && word[0] == '-' && word[1] == '-' &&
                   g_ascii_isalnum(word[2])) {
            if (!parse_option_word(ctl, p, &st, cmd, word, &want_help))
                goto error;
        } else if (!data_only && strcmp(word, "--") == 0) {
            data_only = TRUE;
        } else {
            const VshOptDef *opt = opt_by_position(&st);

            if (!opt) {
                if (strcmp(cmd->def->name, "help") == 0)
                    continue;
                vsh_error(ctl, "unexpected data '%s'", word);
                goto error;
            }
            cmd_add_opt(cmd, opt, g_steal_pointer(&word));
        }
    }
    if (cmd && want_help) {
        /* "cmd --help" is "help cmd" */
        const char *name = cmd->def->name;
        VshCmd *help = cmd_new(find_cmd("help"));

        cmd_add_opt(help, &help->def->opts[0], g_strdup(name));
        cmd_free(cmd);
        cmd = help;
        opt_state_init(&st, help->def);
        st.required = 0;
    } else if (cmd && !check_required(ctl, &st)) {
        goto error;
    }
    *ret_cmd = cmd;
    *ret_tk = tk;
    return TRUE;

error:
    cmd_free(cmd);
    return FALSE;
}

static GPtrArray *
parse_all(VshCtl *ctl, Parser *p)
{
    g_autoptr(GPtrArray) cmds = g_ptr_array_new_with_free_func((GDestroyNotify)cmd_free);

    for (;;) {
        VshCmd *cmd = NULL;
        Token tk = TK_END;

        if (!parse_one(ctl, p, &cmd, &tk))
            return NULL;
        if (cmd)
            g_ptr_array_add(cmds, cmd);
        if (tk == TK_END)
            break;
    }
    return g_steal_pointer(&cmds);
}

static GPtrArray *
parse_string(VshCtl *ctl, const char *str)
{
    Parser p = { .pos = str };

    if (!*str)
        return NULL;
    return parse_all(ctl, &p);
}

static GPtrArray *
parse_argv(VshCtl *ctl, int argc, char **argv)
{
    Parser p = { .argv = argv, .argc = argc };

    return parse_all(ctl, &p);
}

/* ---- help ---------------------------------------------------------------------- */

static gboolean
shows_short_form(const VshOptDef *opt)
{
    return opt->type != VSH_OT_BOOL && !(opt->flags & VSH_OFLAG_REQ_OPT);
}

static void
help_synopsis(const VshCmdDef *def, gboolean *ret_shortopt)
{
    gboolean shortopt = FALSE;

    printf("    %s", def->name);
    for (const VshOptDef *opt = def->opts; opt && opt->name; opt++) {
        gboolean req = (opt->flags & VSH_OFLAG_REQ) != 0;

        switch (opt->type) {
        case VSH_OT_BOOL:
            printf(" [--%s]", opt->name);
            break;
        case VSH_OT_INT:
            if (req)
                printf(" <%s>", opt->name);
            else
                printf(" [--%s <number>]", opt->name);
            break;
        case VSH_OT_STRING:
            printf(" [--%s <string>]", opt->name);
            break;
        case VSH_OT_DATA:
            printf(req ? " <%s>" : " [<%s>]", opt->name);
            break;
        case VSH_OT_ARGV:
            if (shortopt)
                printf(req ? " {[--%s] <string>}..." : " [[--%s] <string>]...", opt->name);
            else
                printf(req ? " <%s>..." : " [<%s>]...", opt->name);
            break;
        }
        if (shows_short_form(opt) && opt->type != VSH_OT_ARGV)
            shortopt = TRUE;
    }
    printf("\n");
    *ret_shortopt = shortopt;
}

static gboolean
help_command(VshCtl *ctl, const VshCmdDef *def)
{
    gboolean shortopt = FALSE;

    printf("  NAME\n    %s - %s\n\n  SYNOPSIS\n", def->name, def->help);
    help_synopsis(def, &shortopt);
    if (def->desc && *def->desc)
        printf("\n  DESCRIPTION\n    %s\n", def->desc);
    if (def->opts && def->opts->name) {
        printf("\n  OPTIONS\n");
        for (const VshOptDef *opt = def->opts; opt->name; opt++) {
            g_autofree char *buf = NULL;

            switch (opt->type) {
            case VSH_OT_BOOL:
                buf = g_strdup_printf("--%s", opt->name);
                break;
            case VSH_OT_INT:
                buf = g_strdup_printf((opt->flags & VSH_OFLAG_REQ) ? "[--%s] <number>"
                                                                   : "--%s <number>",
                                      opt->name);
                break;
            case VSH_OT_STRING:
                buf = g_strdup_printf("--%s <string>", opt->name);
                break;
            case VSH_OT_DATA:
                buf = g_strdup_printf("[--%s] <string>", opt->name);
                break;
            case VSH_OT_ARGV:
                buf = g_strdup_printf(shortopt ? "[--%s] <string>" : "<%s>", opt->name);
                break;
            }
            printf("    %-15s  %s\n", buf, opt->help);
        }
    }
    printf("\n");
    return TRUE;
}

static void
help_group(const VshGroup *g)
{
    printf(" %s (help keyword '%s'):\n", g->name, g->keyword);
    for (const VshCmdDef *c = g->cmds; c->name; c++)
        printf("    %-30s %s\n", c->name, c->help);
}

static gboolean
cmd_help(VshCtl *ctl, const VshCmd *cmd)
{
    const char *name = vsh_opt_string(cmd, "command");
    const VshCmdDef *def = NULL;
    const VshGroup *grp = NULL;

    if (!name) {
        printf("Grouped commands:\n\n");
        for (const VshGroup *g = groups; g->name; g++) {
            help_group(g);
            printf("\n");
        }
        return TRUE;
    }
    if ((def = find_cmd(name)))
        return help_command(ctl, def);
    if ((grp = find_group(name))) {
        help_group(grp);
        return TRUE;
    }
    vsh_error(ctl, "command or command group '%s' doesn't exist", name);
    return FALSE;
}

static gboolean
cmd_quit(VshCtl *ctl, const VshCmd *cmd)
{
    return TRUE;
}

static const VshOptDef opts_help[] = {
    { "command", VSH_OT_STRING, 0,
      "Prints global help, command specific help, or help for a group of related commands" },
    { NULL },
};

const VshCmdDef vsh_shell_cmds[] = {
    { "help", cmd_help, opts_help, "print help", "Prints global help, command specific help, "
      "or help for a\n    group of related commands", VSH_CMD_FLAG_NOCONNECT },
    { "quit", cmd_quit, NULL, "quit this interactive terminal", "", VSH_CMD_FLAG_NOCONNECT },
    { "exit", cmd_quit, NULL, "quit this interactive terminal", "", VSH_CMD_FLAG_NOCONNECT },
    { NULL },
};

/* ---- main ------------------------------------------------------------------------ */

static gboolean
run_commands(VshCtl *ctl, GPtrArray *cmds)
{
    gboolean ret = TRUE;

    for (guint i = 0; i < cmds->len; i++) {
        const VshCmd *cmd = cmds->pdata[i];

        ret = cmd->def->handler(ctl, cmd);
        if (!ret)
            report_error(ctl);
        vsh_reset_error(ctl);
        if (strcmp(cmd->def->name, "quit") == 0 || strcmp(cmd->def->name, "exit") == 0)
            break;
        vsh_print_extra(ctl, "\n");
        fflush(stdout);
    }
    return ret;
}

static gboolean
needs_connection(GPtrArray *cmds)
{
    for (guint i = 0; i < cmds->len; i++) {
        const VshCmd *cmd = cmds->pdata[i];

        if (!(cmd->def->flags & VSH_CMD_FLAG_NOCONNECT))
            return TRUE;
    }
    /* virsh connects even for help-only lines; so do we, for the same
     * failure behaviour, unless nothing at all was asked */
    return cmds->len > 0;
}

static gboolean
connect_uri(VshCtl *ctl)
{
    g_autoptr(GError) err = NULL;

    ctl->conn = vireo_connect_open(ctl->uri, ctl->readonly ? VIREO_CONNECT_READ_ONLY : 0, &err);
    if (ctl->conn)
        return TRUE;
    vsh_error(ctl, "%s", "failed to connect to the hypervisor");
    vsh_error(ctl, "%s", err->message);
    return FALSE;
}

static void
usage(const char *prog)
{
    printf("\n%s [options]... [<command_string>]\n"
           "%s [options]... <command> [args...]\n\n"
           "  options:\n"
           "    -c | --connect=URI      hypervisor connection URI\n"
           "    -h | --help             this help\n"
           "    -q | --quiet            quiet mode\n"
           "    -r | --readonly         connect readonly\n"
           "    -v                      short version\n"
           "    -V                      long version\n"
           "         --version[=TYPE]   version, TYPE is short or long (default short)\n"
           "  commands (non interactive mode):\n\n", prog, prog);
    for (const VshGroup *g = groups; g->name; g++) {
        help_group(g);
        printf("\n");
    }
    printf("  (specify help <group> for details about the commands in the group)\n\n"
           "  (specify help <command> for details about the command)\n\n");
}

static int
parse_global(VshCtl *ctl, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "connect", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { "quiet", no_argument, NULL, 'q' },
        { "readonly", no_argument, NULL, 'r' },
        { "version", optional_argument, NULL, 'v' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    while ((c = getopt_long(argc, argv, "+c:hqrvV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            g_free(ctl->uri);
            ctl->uri = g_strdup(optarg);
            break;
        case 'h':
            usage("vsh");
            exit(EXIT_SUCCESS);
        case 'q':
            ctl->quiet = TRUE;
            break;
        case 'r':
            ctl->readonly = TRUE;
            break;
        case 'v':
            if (!optarg || strcmp(optarg, "short") == 0) {
                printf("%s\n", VIREO_VERSION);
                exit(EXIT_SUCCESS);
            }
            if (strcmp(optarg, "long") != 0) {
                vsh_error(ctl, "unsupported argument '%s' to --version", optarg);
                exit(EXIT_FAILURE);
            }
            G_GNUC_FALLTHROUGH;
        case 'V':
            printf("vsh (Vireo) %s\n", VIREO_VERSION);
            exit(EXIT_SUCCESS);
        default:
            vsh_error(ctl, "unsupported option '-%c'. See --help.", optopt ? optopt : '?');
            exit(EXIT_FAILURE);
        }
    }
    return optind;
}

static void
ctl_clear(VshCtl *ctl)
{
    g_clear_pointer(&ctl->conn, vireo_connect_unref);
    g_clear_pointer(&ctl->uri, g_free);
    g_clear_error(&ctl->last_error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(VshCtl, ctl_clear)

int
main(int argc, char **argv)
{
    g_auto(VshCtl) ctl = { 0 };
    g_autoptr(GPtrArray) cmds = NULL;
    gboolean ok = FALSE;
    int first;

    opterr = 0;
    first = parse_global(&ctl, argc, argv);
    if (!ctl.uri && g_getenv("VIREO_DEFAULT_URI"))
        ctl.uri = g_strdup(g_getenv("VIREO_DEFAULT_URI"));
    if (first >= argc) {
        /* no interactive mode: say how to use vsh */
        usage("vsh");
        return EXIT_FAILURE;
    }
    if (argc - first == 1)
        cmds = parse_string(&ctl, argv[first]);
    else
        cmds = parse_argv(&ctl, argc - first, argv + first);
    if (!cmds || cmds->len == 0)
        return EXIT_FAILURE;
    if (needs_connection(cmds) && !connect_uri(&ctl))
        return EXIT_FAILURE;
    ok = run_commands(&ctl, cmds);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
