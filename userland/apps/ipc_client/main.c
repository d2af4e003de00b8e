// SPDX-License-Identifier: Apache-2.0
// ipc_client: the rot13 service's client; also tries IPC's bad arguments and shows a
// third process (ipc_thief) that the buffer shared with the service is not shared with it.
//
// It shares a 64-byte buffer with ipc_rot13, asks it twice (rot13 twice is the identity),
// and in between gives ipc_thief the address of that buffer, in a second, small buffer it
// shares with the thief alone.

#include <stdio.h>
#include <string.h>

#include "cairn.h"

// The ipc_client_stale variant (test only) talks to ipc_rot13_stale and unshares its
// buffer as soon as the first answer is in, then does nothing more with the service.
#ifdef IPC_STALE
#define SERVICE "ipc_rot13_stale"
#else
#define SERVICE "ipc_rot13"
#endif

static IPC_BUFFER(text, 64);
static IPC_BUFFER(note, 32);

static void bad_arguments(uint32_t svc)
{
    // Expected answers in the comments; the QEMU test checks the printed line.
    returncode_t mis = ipc_share(svc, text + 2, 32); // EINVAL: no MPU region covers it
    returncode_t far = ipc_notify_service(99);       // EINVAL: no such index
    returncode_t empty = ipc_notify_service(7);      // EINVAL: no process in slot 7
    uint32_t ignored;
    returncode_t unknown = ipc_discover("no_such_app", &ignored); // ENODEVICE
    returncode_t cmd = command_ok(command(IPC_DRIVER, 9, 0, 0));  // ENOSUPPORT
    returncode_t slot = ipc_share(99, text, sizeof text);         // ENOSUPPORT
    returncode_t sub = ipc_register_client(99, NULL, NULL);       // ENOSUPPORT
    printf("ipc_client: bad arguments: share-misaligned %s, notify-99 %s, notify-empty %s, "
           "discover-unknown %s, command-9 %s, share-99 %s, subscribe-99 %s\n",
           returncode_name(mis), returncode_name(far), returncode_name(empty),
           returncode_name(unknown), returncode_name(cmd), returncode_name(slot),
           returncode_name(sub));
}

int main(void)
{
    uint32_t svc;
    // Let the service register first (it notifies nothing until a client asks).
    delay_ms(20);
    returncode_t rc = ipc_discover(SERVICE, &svc);
    if (rc < 0) {
        printf("ipc_client: no rot13 service (%s)\n", returncode_name(rc));
        return 1;
    }
    strcpy(text, "Hello, World");
    rc = ipc_share(svc, text, sizeof text);
    if (rc < 0) {
        printf("ipc_client: share failed (%s)\n", returncode_name(rc));
        return 1;
    }
    bad_arguments(svc);
    rc = ipc_call_sync(svc, NULL, NULL);
    printf("ipc_client: service %u answered (%s): %s\n", (unsigned)svc, returncode_name(rc), text);
#ifdef IPC_STALE
    rc = ipc_share(svc, NULL, 0);
    printf("ipc_client: unshared (%s) the buffer at 0x%08lx\n", returncode_name(rc),
           (unsigned long)(uintptr_t)text);
    delay_ms(200);
    printf("ipc_client: done\n");
    return 0;
#endif

    uint32_t thief;
    if (ipc_discover("ipc_thief", &thief) == RETURNCODE_SUCCESS) {
        uint32_t where = (uint32_t)(uintptr_t)text;
        memcpy(note, &where, sizeof where);
        ipc_share(thief, note, sizeof note);
        ipc_notify_service(thief);
        delay_ms(50); // the thief runs (and faults) meanwhile
    }

    rc = ipc_call_sync(svc, NULL, NULL);
    printf("ipc_client: asked again (%s): %s\n", returncode_name(rc), text);
    printf("ipc_client: done\n");
    return 0;
}
