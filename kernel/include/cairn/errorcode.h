// SPDX-License-Identifier: Apache-2.0
// Kernel error codes: the Tock 2.x values, shared by syscalls, HILs and capsules.
#ifndef CAIRN_ERRORCODE_H
#define CAIRN_ERRORCODE_H

// Values are ABI: they reach processes in r1 of a failure variant and as upcall
// status codes. 0 is never an error; functions return 0 (OK) or one of these.
enum errorcode {
    OK = 0,
    FAIL = 1,
    BUSY = 2,
    ALREADY = 3,
    OFF = 4,
    RESERVE = 5,
    INVAL = 6,
    SIZE = 7,
    CANCEL = 8,
    NOMEM = 9,
    NOSUPPORT = 10,
    NODEVICE = 11,
    UNINSTALLED = 12,
    NOACK = 13,
};

// Short upper-case name of an error code, for diagnostics ("NOMEM"); "?" if unknown.
const char *errorcode_name(int err);

#endif
