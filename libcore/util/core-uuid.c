/* core-uuid: see core-uuid.h. */
#include "core-uuid.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "core-error.h"

#define CORE_FROM_THIS CORE_FROM_NONE

static gboolean
is_separator(char c)
{
    return c == '-' || c == ' ';
}

gboolean
core_uuid_parse(const char *str, guint8 ret_uuid[CORE_UUID_BUFLEN], GError **error)
{
    guint8 raw[CORE_UUID_BUFLEN];
    const char *p = str;
    guint n = 0;

    g_return_val_if_fail(str != NULL, FALSE);

    while (g_ascii_isspace(*p))
        p++;
    /* Separators are accepted anywhere between bytes (libvirt also takes a
     * leading one), never inside a byte. */
    while (n < CORE_UUID_BUFLEN) {
        if (is_separator(*p)) {
            p++;
            continue;
        }
        if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1]))
            return core_error_set(error, CORE_ERR_INVALID_ARG, "malformed UUID '%s'", str);
        raw[n++] = (guint8)(g_ascii_xdigit_value(p[0]) * 16 + g_ascii_xdigit_value(p[1]));
        p += 2;
    }
    while (g_ascii_isspace(*p))
        p++;
    if (*p)
        return core_error_set(error, CORE_ERR_INVALID_ARG, "malformed UUID '%s'", str);
    memcpy(ret_uuid, raw, sizeof(raw));
    return TRUE;
}

const char *
core_uuid_format(const guint8 uuid[CORE_UUID_BUFLEN], char ret_str[CORE_UUID_STRING_BUFLEN])
{
    static const char hex[] = "0123456789abcdef";
    char *out = ret_str;

    for (guint i = 0; i < CORE_UUID_BUFLEN; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *out++ = '-';
        *out++ = hex[uuid[i] >> 4];
        *out++ = hex[uuid[i] & 0xf];
    }
    *out = '\0';
    return ret_str;
}

char *
core_uuid_format_dup(const guint8 uuid[CORE_UUID_BUFLEN])
{
    char buf[CORE_UUID_STRING_BUFLEN];

    return g_strdup(core_uuid_format(uuid, buf));
}

static gboolean
fill_random(guint8 *buf, gsize len)
{
    gsize done = 0;

    while (done < len) {
        ssize_t r = getrandom(buf + done, len - done, 0);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return FALSE;
        done += (gsize)r;
    }
    return TRUE;
}

void
core_uuid_generate(guint8 ret_uuid[CORE_UUID_BUFLEN])
{
    /* getrandom() only fails on kernels without it (ENOSYS) or under odd
     * seccomp filters; GLib's generator is the weaker but working fallback. */
    if (!fill_random(ret_uuid, CORE_UUID_BUFLEN)) {
        for (guint i = 0; i < CORE_UUID_BUFLEN; i++)
            ret_uuid[i] = (guint8)g_random_int_range(0, 256);
    }
    ret_uuid[6] = (guint8)((ret_uuid[6] & 0x0f) | 0x40); /* version 4 */
    ret_uuid[8] = (guint8)((ret_uuid[8] & 0x3f) | 0x80); /* RFC 4122 variant */
}

gboolean
core_uuid_is_zero(const guint8 uuid[CORE_UUID_BUFLEN])
{
    for (guint i = 0; i < CORE_UUID_BUFLEN; i++) {
        if (uuid[i])
            return FALSE;
    }
    return TRUE;
}

gboolean
core_uuid_equal(const guint8 a[CORE_UUID_BUFLEN], const guint8 b[CORE_UUID_BUFLEN])
{
    return memcmp(a, b, CORE_UUID_BUFLEN) == 0;
}

guint
core_uuid_hash_func(gconstpointer key)
{
    const guint8 *u = key;
    guint h = 5381;

    for (guint i = 0; i < CORE_UUID_BUFLEN; i++)
        h = h * 33 + u[i];
    return h;
}

gboolean
core_uuid_equal_func(gconstpointer a, gconstpointer b)
{
    return core_uuid_equal(a, b);
}
