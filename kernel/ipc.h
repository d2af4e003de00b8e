// SPDX-License-Identifier: Apache-2.0
// IPC driver (0x10000): services found by package name, notify both ways, shared buffers.
//
// ABI (Tock 2.x, kernel/src/ipc.rs of the Tock repository). "Index" is a process's slot in
// the process table, Tock's ProcessId index (IPC reaches the first IPC_MAX_PROCS, 16): it
// names a process to notify and is the subscribe number of the upcalls that process's
// notifies cause.
//   command 0: exists -> Success
//   command 1: discover the process whose TBF package name equals the read-only buffer of
//              allow 0 -> Success-u32(index); Failure NODEVICE if no process has that name,
//              NOMEM if the grant cannot be allocated
//   command 2 (index): notify the service at index -> Success; Failure INVAL if index
//              names no process, NODEVICE if it is not alive, NOMEM if its queue is full
//   command 3 (index): notify the client at index -> the same results
//   other commands: Failure NOSUPPORT
//   read-only allow 0: the package name to discover
//   read-write allow i: the buffer this process shares with the process at index i; only
//              buffers one MPU region covers exactly (kernel/arch.h, arch_mpu_plan_shared;
//              PMSAv7: a power of two >= 32 bytes aligned to its size) are accepted, others
//              answer Failure INVAL (Tock accepts them and then cannot map them)
//   subscribe i: a service subscribes with its own index (notifies from clients); a client
//              subscribes with the service's index (notifies from that service). The upcall
//              is (notifier index, length, address) of the buffer the notifier shares with
//              the recipient (0, 0 when it shares none).
//   Allows and subscribes past IPC_MAX_PROCS - 1: Failure NOSUPPORT (from the grant); a
//   process in a later slot is not found by discover and cannot be notified (INVAL), and
//   its own commands 1-3 answer Failure NOSUPPORT (it could reach a service, which could
//   never answer it). Command 0 still answers Success: the driver exists.
//
// Memory: when an IPC upcall is delivered, the recipient is given MPU access to exactly
// the buffer its arguments name -- one extra region per process, so the buffer of the
// upcall delivered last. The access ends when the next IPC upcall is delivered to it, when
// the owner shares another buffer (or none) with it, or when either process restarts or
// dies. No other process can reach the buffer. A notify to a process that never used the
// driver queues nothing and still answers Success (Tock queues a task that then finds no
// upcall).
#ifndef CAIRN_KERNEL_IPC_H
#define CAIRN_KERNEL_IPC_H

#include <stdint.h>

#include "process.h"
#include <cairn/driver.h>

#define IPC_DRIVER_NUM 0x10000u

// The IPC feature (boards/common/features.mk, FEATURE_IPC). Left out, the driver is absent
// (NODEVICE), no IPC task is ever queued, and the kernel hooks below are empty.
#ifndef CAIRN_FEATURE_IPC
#define CAIRN_FEATURE_IPC 1
#endif

void ipc_init(void);
struct cmd_result ipc_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                              uint32_t arg1);

// ---- kernel hooks ----------------------------------------------------------------------
#if CAIRN_FEATURE_IPC

// A read-write allow of (addr, len) in p's slot `slot` is about to be stored: OK, or INVAL
// if the MPU could not give the peer exactly that buffer (len 0 is always OK).
int ipc_allow_rw_check(uint32_t addr, uint32_t len);
// p's read-write slot `slot` now holds another buffer (or none): the process at index slot
// loses the access it had to the old one.
void ipc_allow_rw_changed(struct process *p, unsigned slot);
// p restarts or dies: every process loses the access it had to p's buffers, and p its own.
void ipc_process_gone(struct process *p);
// An IPC task is about to reach p (as an upcall or a yield-wait-for result): fill in the
// buffer its arguments name and give p access to it (or to nothing).
void ipc_deliver(struct process *p, struct upcall_task *t);
#else
static inline int ipc_allow_rw_check(uint32_t addr, uint32_t len)
{
    (void)addr, (void)len;
    return 0; // OK: never reached, the IPC driver being absent
}
static inline void ipc_allow_rw_changed(struct process *p, unsigned slot)
{
    (void)p, (void)slot;
}
static inline void ipc_process_gone(struct process *p)
{
    (void)p;
}
static inline void ipc_deliver(struct process *p, struct upcall_task *t)
{
    (void)p, (void)t;
}
#endif

#endif
