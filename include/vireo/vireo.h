/* vireo.h: the public C API of libvireo, Vireo's client library.
 *
 * Include only this header. Link with libvireo (pkg-config name "vireo").
 */
#pragma once

#define VIREO_INSIDE
#include <vireo/vireo-common.h>
#include <vireo/vireo-host.h>
#include <vireo/vireo-domain.h>
#include <vireo/vireo-network.h>
#include <vireo/vireo-storage.h>
#include <vireo/vireo-event.h>
#undef VIREO_INSIDE
