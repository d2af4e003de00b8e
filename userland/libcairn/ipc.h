// SPDX-License-Identifier: Apache-2.0
// IPC driver (0x10000): find a service by package name, notify it, share a buffer with it.
//
// Model (Tock's): every process may be a service, named by its TBF package name (the app
// name), and a client of any number of services. A process is known by its index (its
// slot in the kernel's process table), which discovery returns. A client shares one
// buffer per peer (ipc_share), then notifies; the peer's upcall gets (notifier index,
// length, address) of the buffer the notifier shares with it, and the MPU lets the peer
// reach exactly that buffer while handling it -- until the next IPC upcall reaches the
// peer, the owner shares another buffer (or none), or either process restarts. Only the
// notifier's buffer shared *with that peer* is passed; nobody else can reach it.
//
// Every function returns RETURNCODE_SUCCESS or a negative returncode_t:
//   RETURNCODE_ENODEVICE  discovery found no process with that name; or no IPC driver
//   RETURNCODE_EINVAL     an index naming no process; a buffer the MPU cannot cover
//                         exactly (on PMSAv7, the Cortex-M3 board: len must be a power of
//                         two >= 32 and buf aligned to len; IPC_BUFFER() declares one)
//   RETURNCODE_ENOSUPPORT an index >= the kernel's process slots (as an allow or
//                         subscribe number)
//   RETURNCODE_ENOMEM     no room for the driver's state in the kernel part of this
//                         process, or the peer's upcall queue is full
//   RETURNCODE_ENODEVICE  (notify) the peer exists but has exited or faulted
#ifndef CAIRN_IPC_H
#define CAIRN_IPC_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"
#include "syscall.h"

#define IPC_DRIVER 0x10000

// A buffer every board's MPU can share: SIZE a power of two >= 32, aligned to SIZE.
#define IPC_BUFFER(name, size) char name[size] __attribute__((aligned(size)))

// An IPC upcall: from = the notifier's index; buf/len = the buffer it shares with this
// process (NULL, 0 if none), reachable until the next IPC upcall or until it is unshared.
typedef void ipc_fn(uint32_t from, size_t len, void *buf, void *userdata);

// --- raw calls ------------------------------------------------------------------------

// The index of the process whose package name is pkg_name (exact match, first in slot
// order).
returncode_t ipc_discover(const char *pkg_name, uint32_t *index);
// Notify the service at index (its service callback runs) / the client at index (its
// callback for this service runs). Returns once queued; never blocks.
returncode_t ipc_notify_service(uint32_t index);
returncode_t ipc_notify_client(uint32_t index);
// Share buf[0..len) with the process at index, replacing what was shared with it before;
// ipc_share(index, NULL, 0) shares nothing (the peer loses access at once).
returncode_t ipc_share(uint32_t index, void *buf, size_t len);

// --- asynchronous API -------------------------------------------------------------------

// Become the service named pkg_name (this app's own package name): fn runs for every notify
// from a client (from = the client's index, the buffer that client shares with it).
returncode_t ipc_register_service(const char *pkg_name, ipc_fn *fn, void *userdata);
// fn runs for every notify from the service at index (ipc_notify_client from it).
returncode_t ipc_register_client(uint32_t service, ipc_fn *fn, void *userdata);

// --- synchronous API --------------------------------------------------------------------

// Notify the service and block (Yield-WaitFor, no other upcall runs) until it notifies this
// client back. *len_out/*buf_out (may be NULL) get the buffer the service shares with this
// client (0/NULL if none). Any callback registered for the service is not called for it.
returncode_t ipc_call_sync(uint32_t service, size_t *len_out, void **buf_out);

#endif // CAIRN_IPC_H
