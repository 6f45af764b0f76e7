/* core-storage-common: pieces shared by the pool and volume models:
 * size units, path clean-up and <permissions>. */
#define CORE_FROM_THIS CORE_FROM_STORAGE

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core-error.h"
#include "core-storage-conf.h"
#include "core-xml.h"

gboolean
core_storage_scale(guint64 value, const char *unit, guint64 *ret, GError **error)
{
    guint64 scale = 1, base;
    const char *letters = "kmgtpe";
    const char *pos;

    if (!unit || !*unit || g_ascii_strcasecmp(unit, "b") == 0 ||
        g_ascii_strcasecmp(unit, "byte") == 0 || g_ascii_strcasecmp(unit, "bytes") == 0) {
        scale = 1;
    } else {
        if (!unit[1] || g_ascii_strcasecmp(unit + 1, "iB") == 0)
            base = 1024;
        else if (g_ascii_tolower(unit[1]) == 'b' && !unit[2])
            base = 1000;
        else
            base = 0;
        pos = strchr(letters, g_ascii_tolower(unit[0]));
        if (!base || !pos || !unit[0]) {
            g_autofree char *msg = g_strdup_printf("unknown suffix '%s'", unit);

            return core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_INVALID_ARG, "%s", msg);
        }
        for (const char *p = letters; p <= pos; p++)
            scale *= base;
    }
    if (value > (guint64)G_MAXINT64 / scale) {
        g_autofree char *msg = g_strdup_printf("value too large: %" G_GUINT64_FORMAT "%s", value,
                                               unit ? unit : "");

        return core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_OVERFLOW, "%s", msg);
    }
    *ret = value * scale;
    return TRUE;
}

char *
core_storage_sanitize_path(const char *path)
{
    GString *out = g_string_new(NULL);
    const char *p = path;

    /* "//x" is distinct from "/x" in POSIX, "///x" is not */
    if (p[0] == '/' && p[1] == '/' && p[2] != '/') {
        g_string_append(out, "//");
        p += 2;
    }
    for (; *p; p++) {
        if (*p == '/' && out->len > 0 && out->str[out->len - 1] == '/')
            continue;
        g_string_append_c(out, *p);
    }
    while (out->len > 1 && out->str[out->len - 1] == '/' &&
           !(out->len == 2 && out->str[0] == '/'))
        g_string_truncate(out, out->len - 1);
    return g_string_free(out, FALSE);
}

char *
core_storage_child_text(const xmlNode *parent, const char *name)
{
    char *text = core_xml_child_content(parent, name);

    if (text && !*text)
        g_clear_pointer(&text, g_free);
    return text;
}

void
core_storage_perms_clear(CoreStoragePerms *perms)
{
    g_clear_pointer(&perms->label, g_free);
    perms->mode = perms->uid = perms->gid = -1;
}

/* strtoll with libvirt's strictness: some digits and nothing after them. */
static gboolean
parse_ll(const char *str, guint base, gint64 *ret)
{
    char *end = NULL;

    if (!str || !*str)
        return FALSE;
    errno = 0;
    *ret = g_ascii_strtoll(str, &end, base);
    return errno == 0 && end != str && *end == '\0';
}

static gboolean
parse_id(const xmlNode *node, const char *what, gint64 *ret, GError **error)
{
    g_autofree char *text = NULL;
    gint64 v;

    if (!node) {
        *ret = -1;
        return TRUE;
    }
    text = core_xml_content(node);
    if (!parse_ll(text, 10, &v) || (v != -1 && (v < 0 || v > G_MAXUINT32)))
        return core_xml_error(error, CORE_FROM_STORAGE, CORE_ERR_XML_ERROR, "malformed %s element",
                              what);
    /* (uid_t)-1 written out in full still means "unset" */
    *ret = v == G_MAXUINT32 ? -1 : v;
    return TRUE;
}

gboolean
core_storage_perms_parse(const xmlNode *parent, CoreStoragePerms *perms, GError **error)
{
    const xmlNode *node = core_xml_child(parent, "permissions");
    g_autofree char *mode = NULL;
    gint64 v;

    core_storage_perms_clear(perms);
    if (!node)
        return TRUE;
    mode = core_storage_child_text(node, "mode");
    if (mode) {
        if (!parse_ll(mode, 8, &v) || v < G_MININT32 || v > G_MAXINT32 || (v & ~0777))
            return core_xml_error(error, CORE_FROM_STORAGE, CORE_ERR_XML_ERROR, "%s",
                                  "malformed octal mode");
        perms->mode = v;
    }
    if (!parse_id(core_xml_child(node, "owner"), "owner", &perms->uid, error) ||
        !parse_id(core_xml_child(node, "group"), "group", &perms->gid, error))
        return FALSE;
    perms->label = core_storage_child_text(node, "label");
    return TRUE;
}

void
core_storage_perms_format(CoreXmlWriter *w, const CoreStoragePerms *perms)
{
    if (perms->mode == -1 && perms->uid == -1 && perms->gid == -1 && !perms->label)
        return;
    core_xml_writer_start(w, "permissions");
    if (perms->mode != -1)
        core_xml_writer_text_elementf(w, "mode", "0%o", (unsigned)perms->mode);
    /* ids above INT32_MAX are valid uids: written unsigned so that they
     * read back (a signed cast would turn them into unparseable negatives) */
    if (perms->uid != -1)
        core_xml_writer_text_elementf(w, "owner", "%" G_GINT64_FORMAT, perms->uid);
    if (perms->gid != -1)
        core_xml_writer_text_elementf(w, "group", "%" G_GINT64_FORMAT, perms->gid);
    core_xml_writer_text_element(w, "label", perms->label);
    core_xml_writer_end(w);
}
