// SPDX-License-Identifier: Apache-2.0
// ipc_rot13: an IPC service that rot13s, in place, the buffer a client shares with it.
//
// A client discovers it by its package name "ipc_rot13", shares a buffer with it
// (ipc_share), notifies it, and is notified back when the buffer is done. The service can
// touch the buffer only inside the upcall that names it: the kernel maps it for that.

#include <stdio.h>

#include "cairn.h"

// The ipc_rot13_stale variant (test only): after serving, it keeps the buffer's address
// and reaches for it 50 ms later, when its client has unshared it: the MPU must stop it.
#ifdef IPC_STALE
#define SELF "ipc_rot13_stale"
static struct alarm later;
static volatile char *kept;

static void reach(uint32_t now, uint32_t expiration, void *userdata)
{
    (void)now;
    (void)expiration;
    (void)userdata;
    printf("%s: reaching for the buffer at 0x%08lx again\n", SELF, (unsigned long)(uintptr_t)kept);
    char c = *kept;
    printf("%s: reached the unshared buffer (%d)\n", SELF, c);
}
#else
#define SELF "ipc_rot13"
#endif

static char rot13(char c)
{
    if (c >= 'a' && c <= 'z')
        return (char)('a' + (c - 'a' + 13) % 26);
    if (c >= 'A' && c <= 'Z')
        return (char)('A' + (c - 'A' + 13) % 26);
    return c;
}

static unsigned served;

static void serve(uint32_t client, size_t len, void *buf, void *userdata)
{
    (void)userdata;
    char *b = buf;
    for (size_t i = 0; i < len; i++)
        b[i] = rot13(b[i]);
    served++;
    printf("%s: request %u from client %u, %u bytes\n", SELF, served, (unsigned)client,
           (unsigned)len);
    ipc_notify_client(client);
#ifdef IPC_STALE
    kept = buf;
    alarm_in_ms(&later, 50, reach, NULL);
#endif
}

int main(void)
{
    returncode_t rc = ipc_register_service(SELF, serve, NULL);
    printf("%s: serving (%s)\n", SELF, returncode_name(rc));
    for (;;)
        yield_wait();
}
