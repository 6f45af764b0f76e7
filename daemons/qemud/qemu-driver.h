/* qemu-driver: the QEMU driver's tables (qemu:///system, qemu:///session).
 *
 * The tables work on the process's QemuDriver (qemu-domain.h), which
 * vireo-qemud creates in its state_init hook. Calls that only read run on
 * the main loop and take no more than a domain's lock; calls that change
 * a domain hold its job and may block (QMP, process start and stop).
 */
#pragma once

#include "core-driver.h"

G_BEGIN_DECLS

extern const CoreDriver qemu_driver;

G_END_DECLS
