// SPDX-License-Identifier: Apache-2.0
// Tock error codes as seen by apps: kernel status codes and libcairn return codes.
#ifndef CAIRN_ERRORS_H
#define CAIRN_ERRORS_H

#include <stdint.h>

// What the kernel puts in r1 of a Failure variant and in "status" upcall arguments
// (0 means success there). Values are fixed by the Tock ABI.
enum statuscode {
    STATUSCODE_SUCCESS = 0,
    STATUSCODE_FAIL = 1,
    STATUSCODE_BUSY = 2,
    STATUSCODE_ALREADY = 3,
    STATUSCODE_OFF = 4,
    STATUSCODE_RESERVE = 5,
    STATUSCODE_INVAL = 6,
    STATUSCODE_SIZE = 7,
    STATUSCODE_CANCEL = 8,
    STATUSCODE_NOMEM = 9,
    STATUSCODE_NOSUPPORT = 10,
    STATUSCODE_NODEVICE = 11,
    STATUSCODE_UNINSTALLED = 12,
    STATUSCODE_NOACK = 13,
    // Userspace-only: the kernel answered with a variant this call never returns.
    STATUSCODE_BADRVAL = 1024,
};

// What libcairn functions return: 0 on success, otherwise minus the status code, so
// `if (rc < 0)` tests for failure (libtock-c's returncode_t convention).
typedef int returncode_t;

enum {
    RETURNCODE_SUCCESS = 0,
    RETURNCODE_FAIL = -1,
    RETURNCODE_EBUSY = -2,
    RETURNCODE_EALREADY = -3,
    RETURNCODE_EOFF = -4,
    RETURNCODE_ERESERVE = -5,
    RETURNCODE_EINVAL = -6,
    RETURNCODE_ESIZE = -7,
    RETURNCODE_ECANCEL = -8,
    RETURNCODE_ENOMEM = -9,
    RETURNCODE_ENOSUPPORT = -10,
    RETURNCODE_ENODEVICE = -11,
    RETURNCODE_EUNINSTALLED = -12,
    RETURNCODE_ENOACK = -13,
    RETURNCODE_EBADRVAL = -1024,
};

static inline returncode_t returncode_from_status(uint32_t status)
{
    return -(returncode_t)status;
}

// A short upper-case name ("EINVAL", "SUCCESS", ...) for messages; "E?" if unknown.
const char *returncode_name(returncode_t rc);

#endif // CAIRN_ERRORS_H
