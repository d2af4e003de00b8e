// SPDX-License-Identifier: Apache-2.0
// Names of the kernel error codes, for diagnostics.
#include <cairn/errorcode.h>

const char *errorcode_name(int err)
{
    static const char *const names[] = {"OK",        "FAIL",     "BUSY",        "ALREADY", "OFF",
                                        "RESERVE",   "INVAL",    "SIZE",        "CANCEL",  "NOMEM",
                                        "NOSUPPORT", "NODEVICE", "UNINSTALLED", "NOACK"};
    if (err >= 0 && err < (int)(sizeof names / sizeof names[0]))
        return names[err];
    return "?";
}
