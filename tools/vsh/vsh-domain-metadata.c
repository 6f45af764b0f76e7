/* vsh-domain-metadata: the desc and metadata commands (a domain's title,
 * description and custom XML metadata), with virsh's options, messages
 * and --edit behaviour. */
#include "vsh.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DOM_ALL (VSH_BYID | VSH_BYUUID | VSH_BYNAME)
#define OPT_DOMAIN(help) { "domain", VSH_OT_DATA, VSH_OFLAG_REQ, help }

/* libvirt's error codes these commands look at */
enum {
    ERR_NO_SUPPORT = 3,
    ERR_NO_DOMAIN_METADATA = 80,
};

/* Characters an editor command may hold to be run without a shell (virsh's
 * list). */
#define EDITOR_SAFE_CHARS                                                                 \
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/@"

/* The value of string option @name in *@ret (NULL when absent); an empty
 * value is refused as virsh's vshCommandOptStringReq refuses it. */
static gboolean
opt_string_req(VshCtl *ctl, const VshCmd *cmd, const char *name, const char **ret)
{
    const char *v = vsh_opt_string(cmd, name);

    *ret = NULL;
    if (v && !*v) {
        vsh_error(ctl, "Failed to get option '%s': %s", name, "Option argument is empty");
        return FALSE;
    }
    *ret = v;
    return TRUE;
}

/* --current excludes --live and --config; these select the definition. */
static gboolean
impact_flags(VshCtl *ctl, const VshCmd *cmd, guint *ret_flags)
{
    if (!vsh_opts_exclusive(ctl, cmd, "current", "live") ||
        !vsh_opts_exclusive(ctl, cmd, "current", "config"))
        return FALSE;
    *ret_flags = VIREO_DOMAIN_AFFECT_CURRENT;
    if (vsh_opt_bool(cmd, "config"))
        *ret_flags |= VIREO_DOMAIN_AFFECT_CONFIG;
    if (vsh_opt_bool(cmd, "live"))
        *ret_flags |= VIREO_DOMAIN_AFFECT_LIVE;
    return TRUE;
}

/* ---- the editor (virsh's vshEdit* helpers) ------------------------------------------- */

/* A temporary file holding @text; its name in *@ret_path (transfer full). */
static gboolean
edit_write_temp(VshCtl *ctl, const char *text, char **ret_path)
{
    const char *dir = g_getenv("TMPDIR");
    g_autofree char *path = g_build_filename(dir && *dir ? dir : "/tmp", "vshXXXXXX.xml", NULL);
    g_autoptr(GError) err = NULL;
    int fd = g_mkstemp_full(path, O_RDWR | O_CLOEXEC, 0600);

    if (fd < 0) {
        vsh_error(ctl, "failed to create temporary file: %s", g_strerror(errno));
        return FALSE;
    }
    g_close(fd, NULL);
    if (!g_file_set_contents(path, text, -1, &err)) {
        vsh_error(ctl, "%s: failed to write temporary file: %s", path, err->message);
        (void)unlink(path);
        return FALSE;
    }
    *ret_path = g_steal_pointer(&path);
    return TRUE;
}

/* Runs $VISUAL, $EDITOR or vi on @path with the terminal of vsh. */
static gboolean
edit_run(VshCtl *ctl, const char *path)
{
    const char *editor = g_getenv("VISUAL");
    g_autoptr(GError) err = NULL;
    g_autofree char *line = NULL;
    g_auto(GStrv) argv = NULL;
    int status = 0;

    if (!editor || !*editor)
        editor = g_getenv("EDITOR");
    if (!editor || !*editor)
        editor = "vi";
    line = g_strdup_printf("%s %s", editor, path);
    if (strspn(editor, EDITOR_SAFE_CHARS) == strlen(editor)) {
        argv = g_new0(char *, 3);
        argv[0] = g_strdup(editor);
        argv[1] = g_strdup(path);
    } else {
        /* an editor with arguments or shell syntax runs through sh */
        if (strspn(path, EDITOR_SAFE_CHARS) != strlen(path)) {
            vsh_error(ctl, "%s: temporary filename contains shell meta or other unacceptable "
                      "characters (is $TMPDIR wrong?)", path);
            return FALSE;
        }
        argv = g_new0(char *, 4);
        argv[0] = g_strdup("sh");
        argv[1] = g_strdup("-c");
        argv[2] = g_strdup(line);
    }
    fflush(stdout);
    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN,
                      NULL, NULL, NULL, NULL, &status, &err)) {
        vsh_error(ctl, "internal error: Child process (%s) unexpected exit status 127", line);
        return FALSE;
    }
    if (!g_spawn_check_wait_status(status, NULL)) {
        vsh_error(ctl, "internal error: Child process (%s) unexpected exit status %d", line,
                  WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        return FALSE;
    }
    return TRUE;
}

/* (transfer full) The file @path as the editor left it. */
static char *
edit_read_back(VshCtl *ctl, const char *path)
{
    g_autoptr(GError) err = NULL;
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, &err)) {
        vsh_error(ctl, "%s: failed to read temporary file: %s", path, err->message);
        return NULL;
    }
    return text;
}

/* Writes @text to a temporary file, lets the user edit it and returns
 * what the file holds then. (transfer full) */
static char *
edit_text(VshCtl *ctl, const char *text)
{
    g_autofree char *path = NULL;
    char *edited = NULL;

    if (!edit_write_temp(ctl, text, &path))
        return NULL;
    if (edit_run(ctl, path))
        edited = edit_read_back(ctl, path);
    (void)unlink(path);
    return edited;
}

/* ---- desc --------------------------------------------------------------------------- */

/* The title or description from the domain XML, for drivers without
 * virDomainGetMetadata. (transfer full) */
static char *
description_from_xml(VshCtl *ctl, VireoDomain *dom, gboolean title, guint flags)
{
    GError *err = NULL;
    g_autofree char *xml = vireo_domain_get_xml_desc(dom, flags, &err);
    xmlXPathContext *ctxt = NULL;
    xmlXPathObject *obj = NULL;
    xmlDoc *doc = NULL;
    char *ret = NULL;

    if (!xml) {
        vsh_save_error(ctl, err);
        return NULL;
    }
    doc = xmlReadMemory(xml, (int)strlen(xml), "domain.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc && (ctxt = xmlXPathNewContext(doc))) {
        ctxt->node = xmlDocGetRootElement(doc);
        obj = xmlXPathEval((const xmlChar *)(title ? "string(./title[1])"
                                                   : "string(./description[1])"),
                           ctxt);
        if (obj && obj->type == XPATH_STRING && obj->stringval)
            ret = g_strdup((const char *)obj->stringval);
    }
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(ctxt);
    xmlFreeDoc(doc);
    return ret ? ret : g_strdup("");
}

/* virsh's virshGetDomainDescription: "" when there is none. (transfer full) */
static char *
get_description(VshCtl *ctl, VireoDomain *dom, gboolean title, guint queryflags)
{
    int type = title ? VIREO_DOMAIN_METADATA_TITLE : VIREO_DOMAIN_METADATA_DESCRIPTION;
    GError *err = NULL;
    char *desc = vireo_domain_get_metadata(dom, type, NULL, queryflags, &err);

    if (desc)
        return desc;
    if (err->code == ERR_NO_DOMAIN_METADATA) {
        g_error_free(err);
        return g_strdup("");
    }
    if (err->code != ERR_NO_SUPPORT) {
        vsh_save_error(ctl, err);
        return NULL;
    }
    g_error_free(err);
    return description_from_xml(ctl, dom, title, queryflags);
}

/* The words of --new-desc joined by spaces, NULL when none was given. */
static char *
desc_words(const VshCmd *cmd)
{
    GString *buf = NULL;

    for (guint i = 0; i < cmd->opts->len; i++) {
        const VshCmdOpt *opt = g_ptr_array_index(cmd->opts, i);

        if (strcmp(opt->def->name, "new-desc") != 0)
            continue;
        if (!buf)
            buf = g_string_new(NULL);
        else
            g_string_append_c(buf, ' ');
        g_string_append(buf, opt->data);
    }
    return buf ? g_string_free(buf, FALSE) : NULL;
}

/* Sets the new title/description @arg, or the one edited from it. */
static gboolean
desc_set(VshCtl *ctl, VireoDomain *dom, gboolean title, const char *arg, guint flags,
         guint queryflags, gboolean edit)
{
    int type = title ? VIREO_DOMAIN_METADATA_TITLE : VIREO_DOMAIN_METADATA_DESCRIPTION;
    const char *what = title ? "title" : "description";
    g_autofree char *current = get_description(ctl, dom, title, queryflags);
    g_autofree char *edited = NULL;
    GError *err = NULL;

    if (!current)
        return FALSE;
    if (!arg)
        arg = current;
    if (edit) {
        gsize len;

        if (!(edited = edit_text(ctl, arg)))
            return FALSE;
        /* editors tend to add a final newline, which a title cannot hold */
        len = strlen(edited);
        if (title && len > 0 && edited[len - 1] == '\n')
            edited[len - 1] = '\0';
        if (strcmp(current, edited) == 0) {
            vsh_print_extra(ctl, "Domain %s not changed\n", what);
            return TRUE;
        }
        arg = edited;
    }
    if (!vireo_domain_set_metadata(dom, type, arg, NULL, NULL, flags, &err)) {
        vsh_error(ctl, "Failed to set new domain %s", what);
        return vsh_fail(ctl, err);
    }
    vsh_print_extra(ctl, "Domain %s updated successfully", what);
    return TRUE;
}

gboolean
vsh_cmd_desc(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoDomain) dom = NULL;
    gboolean title = vsh_opt_bool(cmd, "title");
    g_autofree char *arg = NULL;
    g_autofree char *desc = NULL;
    guint flags = 0;
    guint queryflags = 0;

    if (!impact_flags(ctl, cmd, &flags))
        return FALSE;
    /* reading follows --config only (virsh passes the XML flag) */
    if (vsh_opt_bool(cmd, "config"))
        queryflags |= VIREO_DOMAIN_XML_INACTIVE;
    if (!(dom = vsh_lookup_domain(ctl, cmd, "domain", DOM_ALL, NULL)))
        return FALSE;
    arg = desc_words(cmd);
    if (arg || vsh_opt_bool(cmd, "edit"))
        return desc_set(ctl, dom, title, arg, flags, queryflags, vsh_opt_bool(cmd, "edit"));
    if (!(desc = get_description(ctl, dom, title, queryflags)))
        return FALSE;
    if (*desc)
        vsh_print(ctl, "%s", desc);
    else
        vsh_print_extra(ctl, "No %s for domain: %s", title ? "title" : "description",
                        vireo_domain_get_name(dom));
    return TRUE;
}

/* ---- metadata ----------------------------------------------------------------------- */

/* The element for --edit: "\n" when there is none yet. (transfer full) */
static char *
metadata_for_edit(VireoDomain *dom, const char *uri, guint flags)
{
    char *xml = vireo_domain_get_metadata(dom, VIREO_DOMAIN_METADATA_ELEMENT, uri, flags, NULL);

    return xml ? xml : g_strdup("\n");
}

/* virsh's edit loop without a terminal to ask on: a failed change is
 * reported, and the command still ends as a success, as virsh's does. */
static gboolean
metadata_edit(VshCtl *ctl, VireoDomain *dom, const char *key, const char *uri, guint flags)
{
    g_autofree char *doc = metadata_for_edit(dom, uri, flags);
    g_autofree char *edited = edit_text(ctl, doc);
    g_autofree char *reread = NULL;
    g_autoptr(GError) err = NULL;

    if (!edited)
        return FALSE;
    if (strcmp(doc, edited) == 0) {
        vsh_print_extra(ctl, "%s", "Metadata not changed");
        return TRUE;
    }
    reread = metadata_for_edit(dom, uri, flags);
    if (strcmp(doc, reread) != 0)
        vsh_error(ctl, "%s", "The XML configuration was changed by another user.");
    else if (!vireo_domain_set_metadata(dom, VIREO_DOMAIN_METADATA_ELEMENT, edited, key, uri,
                                        flags, &err))
        vsh_error(ctl, "%s", "Failed.");
    vsh_print_extra(ctl, "%s\n", "Metadata modified");
    return TRUE;
}

gboolean
vsh_cmd_metadata(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoDomain) dom = NULL;
    gboolean edit = vsh_opt_bool(cmd, "edit");
    gboolean rem = vsh_opt_bool(cmd, "remove");
    const char *uri = NULL;
    const char *key = NULL;
    const char *set = NULL;
    g_autofree char *data = NULL;
    GError *err = NULL;
    guint flags = 0;

    if (!impact_flags(ctl, cmd, &flags) || !vsh_opts_exclusive(ctl, cmd, "edit", "set") ||
        !vsh_opts_exclusive(ctl, cmd, "remove", "set") ||
        !vsh_opts_exclusive(ctl, cmd, "remove", "edit"))
        return FALSE;
    if (!(dom = vsh_lookup_domain(ctl, cmd, "domain", DOM_ALL, NULL)))
        return FALSE;
    if (!opt_string_req(ctl, cmd, "uri", &uri) || !opt_string_req(ctl, cmd, "key", &key) ||
        !opt_string_req(ctl, cmd, "set", &set))
        return FALSE;
    if ((set || edit) && !key) {
        vsh_error(ctl, "%s", "namespace key is required when modifying metadata");
        return FALSE;
    }
    if (set || rem) {
        if (!vireo_domain_set_metadata(dom, VIREO_DOMAIN_METADATA_ELEMENT, set, key, uri, flags,
                                       &err))
            return vsh_fail(ctl, err);
        vsh_print_extra(ctl, "%s\n", rem ? "Metadata removed" : "Metadata modified");
        return TRUE;
    }
    if (edit)
        return metadata_edit(ctl, dom, key, uri, flags);
    if (!(data = vireo_domain_get_metadata(dom, VIREO_DOMAIN_METADATA_ELEMENT, uri, flags,
                                           &err)))
        return vsh_fail(ctl, err);
    vsh_print(ctl, "%s\n", data);
    return TRUE;
}

/* ---- options ------------------------------------------------------------------------ */

const VshOptDef vsh_opts_desc[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    { "live", VSH_OT_BOOL, 0, "modify/get running state" },
    { "config", VSH_OT_BOOL, 0, "modify/get persistent configuration" },
    { "current", VSH_OT_BOOL, 0, "modify/get current state configuration" },
    { "title", VSH_OT_BOOL, 0, "modify/get the title instead of description" },
    { "edit", VSH_OT_BOOL, 0, "open an editor to modify the description" },
    { "new-desc", VSH_OT_ARGV, 0, "message" },
    { NULL },
};

const VshOptDef vsh_opts_metadata[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    { "uri", VSH_OT_DATA, VSH_OFLAG_REQ, "URI of the namespace" },
    { "live", VSH_OT_BOOL, 0, "modify/get running state" },
    { "config", VSH_OT_BOOL, 0, "modify/get persistent configuration" },
    { "current", VSH_OT_BOOL, 0, "modify/get current state configuration" },
    { "edit", VSH_OT_BOOL, 0, "use an editor to change the metadata" },
    { "key", VSH_OT_STRING, 0, "key to be used as a namespace identifier" },
    { "set", VSH_OT_STRING, 0, "new metadata to set" },
    { "remove", VSH_OT_BOOL, 0, "remove the metadata corresponding to an uri" },
    { NULL },
};
