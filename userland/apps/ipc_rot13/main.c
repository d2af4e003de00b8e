// SPDX-License-Identifier: Apache-2.0
// ipc_rot13: an IPC service that rot13s, in place, the buffer a client shares with it.
//
// A client discovers it by its package name "ipc_rot13", shares a buffer with it
// (ipc_share), notifies it, and is notified back when the buffer is done. The service can
// touch the buffer only inside the upcall that names it: the kernel maps it for that.

#include <stdio.h>

#include "cairn.h"

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
    printf("ipc_rot13: request %u from client %u, %u bytes\n", served, (unsigned)client,
           (unsigned)len);
    ipc_notify_client(client);
}

int main(void)
{
    returncode_t rc = ipc_register_service("ipc_rot13", serve, NULL);
    printf("ipc_rot13: serving (%s)\n", returncode_name(rc));
    for (;;)
        yield_wait();
}
