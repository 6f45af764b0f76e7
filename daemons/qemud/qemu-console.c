/* qemu-console: a running guest's console as a descriptor for the RPC
 * stream of DOMAIN_OPEN_CONSOLE (virsh console). */
#include <errno.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "qemu-domain.h"

#define CORE_FROM_THIS CORE_FROM_QEMU

/* The console named @dev_name ("serial0", "console0", the alias of a
 * channel), or the first console / serial port (dom->lock held). */
static const CoreDomainChrDef *
find_chr(QemuDomain *dom, const char *dev_name)
{
    CoreDomainDefPriv *priv = core_domain_def_priv(dom->def);
    GPtrArray *kinds[] = { priv->consoles, priv->serials, priv->channels };
    const char *prefixes[] = { "console", "serial", "channel" };

    for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
        for (guint i = 0; kinds[k] && i < kinds[k]->len; i++) {
            g_autofree char *alias = g_strdup_printf("%s%u", prefixes[k], i);

            if (!dev_name || g_str_equal(dev_name, alias))
                return g_ptr_array_index(kinds[k], i);
        }
    }
    return NULL;
}

int
qemu_console_open(QemuDomain *dom, const char *dev_name, GError **error)
{
    g_autofree char *path = NULL;
    struct termios tio;
    const CoreDomainChrDef *chr;
    int fd;

    g_mutex_lock(&dom->lock);
    if (!qemu_domain_is_active(dom)) {
        g_mutex_unlock(&dom->lock);
        core_error_set(error, CORE_ERR_OPERATION_INVALID, "domain is not running");
        return -1;
    }
    chr = find_chr(dom, dev_name);
    if (chr && g_strcmp0(chr->type, "pty") == 0)
        path = g_strdup(chr->source_path);
    g_mutex_unlock(&dom->lock);
    if (!chr) {
        core_error_set(error, CORE_ERR_INTERNAL_ERROR, "cannot find character device %s",
                       dev_name ? dev_name : "<null>");
        return -1;
    }
    if (!path) {
        core_error_set(error, CORE_ERR_OPERATION_UNSUPPORTED,
                       "character device %s is not using a PTY", dev_name ? dev_name : "");
        return -1;
    }
    if ((fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)) < 0) {
        core_error_set_errno(error, errno, "cannot open console '%s'", path);
        return -1;
    }
    /* raw: no echo back into the guest, no line buffering */
    if (tcgetattr(fd, &tio) == 0) {
        cfmakeraw(&tio);
        (void)tcsetattr(fd, TCSANOW, &tio);
    }
    return fd;
}
