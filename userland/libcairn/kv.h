// SPDX-License-Identifier: Apache-2.0
// Key-value driver (0x50003): a persistent store shared by apps, isolated by storage ids.
//
// An app may use it only if its TBF has a Storage Permissions TLV (elf2tbf --storage,
// doc/syscalls/50003_key_value.md): values it stores carry its write id; it reads values
// whose writer's id is among its read ids and replaces or deletes those among its modify
// ids. Keys are 1-64 bytes, values 1-256 bytes. Every call returns one of:
//   RETURNCODE_SUCCESS
//   RETURNCODE_ENOSUPPORT  missing key (get, delete, update), existing key (add), or a key
//                          whose writer this app may not read or modify (it looks missing)
//   RETURNCODE_EINVAL      the app has no storage permissions (or no write id, for set,
//                          add, update)
//   RETURNCODE_ESIZE       key or value empty or too long; get: the value is longer than
//                          the buffer (the part that fits is in it, *len_out the full length)
//   RETURNCODE_ENOMEM      the store is full, or this app already has an operation pending
//   RETURNCODE_ERESERVE    a buffer was missing (raw API)
//   RETURNCODE_FAIL        a flash error
//   RETURNCODE_ENODEVICE   no key-value store on this board
//   RETURNCODE_EBUSY       (async API) an operation of this app is still in flight
#ifndef CAIRN_KV_H
#define CAIRN_KV_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"
#include "syscall.h"

#define KV_DRIVER    0x50003
#define KV_KEY_MAX   64
#define KV_VALUE_MAX 256

// --- raw calls ------------------------------------------------------------------------
// Commands (0 exists, 1 get, 2 set, 3 delete, 4 add, 5 update, 6 garbage-collect), the
// allows (key: read-only 0, value: read-only 1, get's output: read-write 0; NULL, 0 takes
// a buffer back) and the completion upcall (status, value length, 0).
enum kv_command {
    KV_CMD_EXISTS = 0,
    KV_CMD_GET = 1,
    KV_CMD_SET = 2,
    KV_CMD_DELETE = 3,
    KV_CMD_ADD = 4,
    KV_CMD_UPDATE = 5,
    KV_CMD_GC = 6,
};
returncode_t kv_exists(void);
returncode_t kv_command_raw(enum kv_command cmd);
returncode_t kv_allow_key(const void *key, size_t len);
returncode_t kv_allow_value(const void *value, size_t len);
returncode_t kv_allow_output(void *buf, size_t len);
returncode_t kv_subscribe(upcall_fn_t *fn, void *userdata);

// --- asynchronous API -------------------------------------------------------------------
// Start the operation; done(status, value length (get only), userdata) runs from a later
// yield. key, value and buf must stay valid until then.
typedef void kv_done_fn(returncode_t status, size_t len, void *userdata);
returncode_t kv_get(const void *key, size_t klen, void *buf, size_t len, kv_done_fn *done,
                    void *userdata);
returncode_t kv_set(const void *key, size_t klen, const void *value, size_t vlen, kv_done_fn *done,
                    void *userdata);
returncode_t kv_add(const void *key, size_t klen, const void *value, size_t vlen, kv_done_fn *done,
                    void *userdata);
returncode_t kv_update(const void *key, size_t klen, const void *value, size_t vlen,
                       kv_done_fn *done, void *userdata);
returncode_t kv_delete(const void *key, size_t klen, kv_done_fn *done, void *userdata);
returncode_t kv_gc(kv_done_fn *done, void *userdata);

// --- synchronous API --------------------------------------------------------------------
// Return when the operation is done (Yield-WaitFor: no other upcall runs meanwhile).
// kv_get_sync: *len_out (may be NULL) gets the stored value's full length.
returncode_t kv_get_sync(const void *key, size_t klen, void *buf, size_t len, size_t *len_out);
returncode_t kv_set_sync(const void *key, size_t klen, const void *value, size_t vlen);
returncode_t kv_add_sync(const void *key, size_t klen, const void *value, size_t vlen);
returncode_t kv_update_sync(const void *key, size_t klen, const void *value, size_t vlen);
returncode_t kv_delete_sync(const void *key, size_t klen);
returncode_t kv_gc_sync(void);

#endif // CAIRN_KV_H
