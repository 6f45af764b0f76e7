/* core-conf-version: keeps the conf library non-empty and lets callers check
 * which libxml2 it was built against. */
#include <libxml/xmlversion.h>

const char *core_conf_libxml_version(void);

const char *
core_conf_libxml_version(void)
{
    return LIBXML_DOTTED_VERSION;
}
