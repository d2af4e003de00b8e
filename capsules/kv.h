// SPDX-License-Identifier: Apache-2.0
// Key-value capsule (driver 0x50003): Tock's key-value syscalls over the store (kvstore.h).
//
// ABI (Tock 2.x, doc/syscalls/50003_key_value.md and capsules/extra/src/kv_driver.rs):
//   command 0: exists -> Success
//   command 1 GET, 2 SET (create or replace), 3 DELETE, 4 ADD (key must not exist),
//   5 UPDATE (key must exist), 6 GC (erase store pages holding nothing live)
//     -> Success: the operation is queued; its result comes in the upcall.
//     Failure INVAL: the process has no Storage Permissions TLV (any of 1-6), or it has no
//              write_id and asked for SET/ADD/UPDATE
//     Failure NOMEM: the process already has an operation queued or running (one each),
//              or its grant cannot be allocated
//     Failure RESERVE: no key (read-only allow 0) for 1-5; no value (read-only allow 1)
//              for 2, 4, 5; no value buffer (read-write allow 0) for 1
//     Failure SIZE: key longer than KV_KEY_MAX (64) or value than KV_VALUE_MAX (256) bytes
//   other commands: Failure NOSUPPORT
//   read-only allow 0: the key (its whole length is the key); 1: the value to store
//   read-write allow 0: where GET puts the value
//   subscribe 0: completion, upcall (status, value_length, 0). status 0 or an error code:
//     NOSUPPORT the key is missing (GET, DELETE, UPDATE), exists (ADD), or belongs to a
//     writer the process may not read (GET) or modify (SET, UPDATE, DELETE): the two cases
//     look the same, so a process learns nothing of keys it may not read from the code;
//     NOMEM the store is full; FAIL a flash error; RESERVE/SIZE when the allows changed
//     after the command; for GET, SIZE when the value is longer than the buffer (the part
//     that fits is copied). value_length: GET's stored length (else 0).
// Permissions: the TBF Storage Permissions TLV (write_id, read_ids, modify_ids; see
// kvstore.h for what each allows). The key and value are copied from the allows when the
// operation starts, not at the command.
// Fairness: one operation runs at a time; the next is taken round-robin by process slot
// after the one that ran last, so no process waits behind more than one operation of
// each other process.
#ifndef CAIRN_CAPSULE_KV_H
#define CAIRN_CAPSULE_KV_H

#include <stdbool.h>

#include <cairn/driver.h>
#include <cairn/grant.h>

#include "kvstore.h"

#define KV_DRIVER_NUM 0x50003u

struct kv_app {
    uint8_t op; // queued or running command (1-6), 0: none
};

struct kv_capsule {
    struct kvstore *store; // null: the board has no store (NODEVICE)
    struct grant grant;
    procid_t running; // whose operation the store is doing (PROCID_NONE: idle)
    uint8_t last_slot;
};

void kv_capsule_init(struct kv_capsule *k, struct kvstore *store);
// The store's completion (the board passes it to kvstore_init).
void kv_capsule_store_done(struct kv_capsule *k, int err);
struct cmd_result kv_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                             uint32_t arg1);

#endif
