// SPDX-License-Identifier: Apache-2.0
// IPC driver (0x10000): discovery, notify, share, callbacks and a blocking call.
//
// Kernel interface: read-only allow 0 + command 1 discover (Success-u32 index); command 2
// notify service, 3 notify client (index in arg0); read-write allow i = the buffer shared
// with index i; subscribe i: service upcalls on the own index, client upcalls on the
// service's index, with arguments (from, len, address).

#include <string.h>

#include "ipc.h"

enum { IPC_CMD_DISCOVER = 1, IPC_CMD_NOTIFY_SERVICE = 2, IPC_CMD_NOTIFY_CLIENT = 3 };

returncode_t ipc_discover(const char *pkg_name, uint32_t *index)
{
    returncode_t rc = allow_ok(allow_ro(IPC_DRIVER, 0, pkg_name, strlen(pkg_name)));
    if (rc < 0)
        return rc;
    rc = command_u32(command(IPC_DRIVER, IPC_CMD_DISCOVER, 0, 0), index);
    // The name may live on the caller's stack: the kernel must not keep it.
    allow_ro(IPC_DRIVER, 0, NULL, 0);
    return rc;
}

returncode_t ipc_notify_service(uint32_t index)
{
    return command_ok(command(IPC_DRIVER, IPC_CMD_NOTIFY_SERVICE, index, 0));
}

returncode_t ipc_notify_client(uint32_t index)
{
    return command_ok(command(IPC_DRIVER, IPC_CMD_NOTIFY_CLIENT, index, 0));
}

returncode_t ipc_share(uint32_t index, void *buf, size_t len)
{
    return allow_ok(allow_rw(IPC_DRIVER, index, buf, len));
}

// One table of callbacks for every subscribe number: the kernel passes the subscription's
// userdata back, which points at the entry.
struct ipc_sub {
    ipc_fn *fn;
    void *userdata;
};

static void ipc_upcall(int from, int len, int addr, void *userdata)
{
    struct ipc_sub *s = userdata;
    s->fn((uint32_t)from, (size_t)len, (void *)addr, s->userdata);
}

// The kernel has at most 16 process slots on any board.
static struct ipc_sub subs[16];

static returncode_t subscribe_index(uint32_t index, ipc_fn *fn, void *userdata)
{
    if (index >= sizeof subs / sizeof subs[0])
        return subscribe_ok(subscribe(IPC_DRIVER, index, NULL, NULL)); // the kernel's answer
    subs[index] = (struct ipc_sub){fn, userdata};
    return subscribe_ok(subscribe(IPC_DRIVER, index, fn ? ipc_upcall : NULL, &subs[index]));
}

returncode_t ipc_register_service(const char *pkg_name, ipc_fn *fn, void *userdata)
{
    uint32_t self;
    returncode_t rc = ipc_discover(pkg_name, &self);
    if (rc < 0)
        return rc;
    return subscribe_index(self, fn, userdata);
}

returncode_t ipc_register_client(uint32_t service, ipc_fn *fn, void *userdata)
{
    return subscribe_index(service, fn, userdata);
}

returncode_t ipc_call_sync(uint32_t service, size_t *len_out, void **buf_out)
{
    returncode_t rc = ipc_notify_service(service);
    if (rc < 0)
        return rc;
    struct yield_wait_for_return r = yield_wait_for(IPC_DRIVER, service);
    if (len_out)
        *len_out = r.data1;
    if (buf_out)
        *buf_out = (void *)r.data2;
    return RETURNCODE_SUCCESS;
}
