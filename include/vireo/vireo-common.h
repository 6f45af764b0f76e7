/* vireo-common.h: errors, flags and handle types shared by the libvireo API.
 *
 * libvireo is the C client library of Vireo. Every call that can fail takes
 * a GError ** as its last argument and sets it exactly when it fails. Errors
 * are in the VIREO_ERROR domain; the code is libvirt's virErrorNumber value
 * (42 = domain not found, 55 = operation invalid, ...), so programs ported
 * from libvirt can keep their error handling. vireo_error_get_origin() and
 * vireo_error_get_level() give the virErrorDomain and virErrorLevel numbers.
 *
 * Handles (VireoConnect, VireoDomain, ...) are reference counted and
 * thread-safe to ref/unref; each object handle keeps its connection alive.
 */
#pragma once

#if !defined(VIREO_INSIDE) && !defined(VIREO_COMPILATION)
#error "Only <vireo/vireo.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/* VIREO_ERROR: the error domain of every libvireo error. */
#define VIREO_ERROR (vireo_error_quark())
GQuark vireo_error_quark(void);

/* A few frequently tested codes (libvirt's virErrorNumber values). */
typedef enum {
    VIREO_ERROR_INTERNAL = 1,
    VIREO_ERROR_NO_SUPPORT = 3,
    VIREO_ERROR_NO_CONNECT = 5,
    VIREO_ERROR_INVALID_ARG = 8,
    VIREO_ERROR_OPERATION_FAILED = 9,
    VIREO_ERROR_XML = 27,
    VIREO_ERROR_OPERATION_DENIED = 29,
    VIREO_ERROR_SYSTEM = 38,
    VIREO_ERROR_RPC = 39,
    VIREO_ERROR_NO_DOMAIN = 42,
    VIREO_ERROR_NO_NETWORK = 43,
    VIREO_ERROR_NO_STORAGE_POOL = 49,
    VIREO_ERROR_NO_STORAGE_VOL = 50,
    VIREO_ERROR_OPERATION_INVALID = 55,
} VireoErrorCode;

/**
 * vireo_error_get_origin:
 * @error: an error returned by libvireo
 * Returns: the virErrorDomain number of the component that raised @error
 * (12 = test driver, 20 = domain API checks, ...); 0 for foreign errors.
 */
int vireo_error_get_origin(const GError *error);

/**
 * vireo_error_get_level:
 * @error: an error returned by libvireo
 * Returns: the virErrorLevel (1 warning, 2 error); 2 for foreign errors.
 */
int vireo_error_get_level(const GError *error);

typedef enum {
    VIREO_CONNECT_READ_ONLY = 1 << 0, /* modifying calls fail with code 29 */
} VireoConnectFlags;

#define VIREO_UUID_BUFLEN 16
#define VIREO_UUID_STRING_BUFLEN 37

typedef struct _VireoConnect VireoConnect;
typedef struct _VireoDomain VireoDomain;
typedef struct _VireoNetwork VireoNetwork;
typedef struct _VireoStoragePool VireoStoragePool;
typedef struct _VireoStorageVol VireoStorageVol;

G_END_DECLS
