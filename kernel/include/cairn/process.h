// SPDX-License-Identifier: Apache-2.0
// What capsules may know about processes: identifiers and upcall scheduling.
#ifndef CAIRN_PROCESS_H
#define CAIRN_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

// The TBF Permissions filter (boards/common/features.mk, FEATURE_PERMISSIONS): left out,
// no process is filtered and nothing of it is linked.
#ifndef CAIRN_FEATURE_PERMISSIONS
#define CAIRN_FEATURE_PERMISSIONS 1
#endif

// A process identifier: slot index in the low 8 bits, a generation above. Every
// creation and restart gives a new generation, so an ID kept by a capsule for a process
// that died or restarted no longer matches and every call with it fails cleanly.
typedef uint32_t procid_t;

#define PROCID_NONE       0u
#define PROCID_INDEX(pid) ((pid)&0xFFu)

// Queue an upcall for (driver, subscribe number) on that process with three arguments.
// The function and appdata are those subscribed at the time of this call; a null
// subscription queues a record that only yield-wait-for can consume.
// A full queue makes room by the kernel's queue policy (doc/kernel.md): usually an older
// event of the source holding the most is dropped and this one is queued (OK).
// Only a process that used the driver itself gets its events: its own subscribe or allow
// on the driver, or its own command that the driver served from its grant (grant_enter).
// Returns OK, NOMEM (queue full and this event the one dropped; counted), NODEVICE
// (process not alive or pid stale), INVAL (subscribe number outside what the driver
// declared), NOSUPPORT (the process never used the driver: nothing queued).
int upcall_schedule(procid_t pid, uint32_t driver, uint32_t subscribe, uint32_t a0, uint32_t a1,
                    uint32_t a2);

// True if pid names a live process (running, yielded or stopped, not faulted/terminated).
bool process_alive(procid_t pid);

// The short numeric identifier printed in diagnostics for this pid (its generation).
uint32_t process_short_id(procid_t pid);

// A process's storage permissions: its TBF's Storage Permissions TLV (type 7), the ids
// that key-value records carry. write_id 0: may not create records.
#define STORAGE_IDS_MAX 8
struct storage_perms {
    uint32_t write_id;
    uint8_t n_read, n_modify;
    uint32_t read[STORAGE_IDS_MAX], modify[STORAGE_IDS_MAX];
};

// Fills *out from pid's TBF header in flash. False (and *out all zero: no permission at
// all) if pid is stale or its TBF has no Storage Permissions TLV.
bool process_storage_perms(procid_t pid, struct storage_perms *out);

#endif
