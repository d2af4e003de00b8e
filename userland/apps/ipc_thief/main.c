// SPDX-License-Identifier: Apache-2.0
// ipc_thief: test app; an IPC service that, told where another process's shared buffer
// is, reaches for it. The MPU must stop it (it faults alone; the owner and the service the
// buffer is shared with run on).
//
// The note it is given is shared with it, so reading the note must work; the buffer the
// note points at is shared with ipc_rot13 only.

#include <stdio.h>
#include <string.h>

#include "cairn.h"

static void told(uint32_t from, size_t len, void *buf, void *userdata)
{
    (void)userdata;
    uint32_t target;
    memcpy(&target, buf, sizeof target); // shared with this process: allowed
    printf("ipc_thief: note of %u bytes from %u; reaching for 0x%08lx\n", (unsigned)len,
           (unsigned)from, (unsigned long)target);
    volatile char *p = (volatile char *)(uintptr_t)target;
    char c = *p;
    printf("ipc_thief: read %d, the MPU did not stop me\n", c);
}

int main(void)
{
    returncode_t rc = ipc_register_service("ipc_thief", told, NULL);
    printf("ipc_thief: waiting (%s)\n", returncode_name(rc));
    for (;;)
        yield_wait();
}
