// SPDX-License-Identifier: Apache-2.0
// Grants: per-process capsule state carved from each process's own memory.
//
// A capsule declares one struct grant for its driver: the size of its per-process state
// and how many upcall, read-only allow and read-write allow slots the process gets. The
// state is allocated from the process's kernel-owned area on first use (grant_enter or
// a subscribe/allow to the driver) and all of it vanishes when the process dies or
// restarts: there is no free. A full area gives NOMEM to that process only.
//
// Capsules never hold pointers into process memory: the state pointer is valid only
// inside the grant_enter/grant_each callback, and allowed buffers are reached only
// through the allow_* accessors, which check the slot's current bounds and that the pid
// still names the same incarnation of the process.
#ifndef CAIRN_GRANT_H
#define CAIRN_GRANT_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/process.h>

struct grant {
    uint32_t driver_num;
    uint16_t data_size; // bytes of capsule state per process (zeroed on allocation)
    uint8_t n_upcalls, n_ro, n_rw;
    uint8_t index;     // assigned by grant_register
    uint16_t data_off; // where the state starts in a block: set by grant_register (every
                       // expiry enters a block, so the sum is not redone each time)
};

#define GRANT_INIT(driver, state_type, upcalls, ro_allows, rw_allows)                              \
    {                                                                                              \
        .driver_num = (driver), .data_size = sizeof(state_type), .n_upcalls = (upcalls),           \
        .n_ro = (ro_allows), .n_rw = (rw_allows)                                                   \
    }

// Boards register each capsule's grant once at boot (before processes run).
void grant_register(struct grant *g);

// Run fn with this process's state for g, allocating it on first use.
// Returns OK, NOMEM (no room in that process's area), NODEVICE (pid dead or stale).
int grant_enter(struct grant *g, procid_t pid, void (*fn)(procid_t pid, void *state, void *ctx),
                void *ctx);

// Like grant_enter but never allocates: NOSUPPORT if the process has no state yet.
int grant_enter_existing(struct grant *g, procid_t pid,
                         void (*fn)(procid_t pid, void *state, void *ctx), void *ctx);

// An event source's expiry path: like grant_enter_existing, and if fn returns true, the
// upcall subscribe number sub of g's driver is queued for pid with the arguments fn
// wrote to args, exactly as upcall_schedule would (same subscription rule and queue
// policy), the process and its block looked up once for both. Returns OK once fn ran
// (whatever became of the event), NODEVICE or NOSUPPORT (fn not run) as
// grant_enter_existing. pre: g is not IPC's (IPC's notifications go through
// upcall_schedule, which queues them for the mapping their delivery does).
int grant_enter_upcall(struct grant *g, procid_t pid, unsigned sub,
                       bool (*fn)(procid_t pid, void *state, void *ctx, uint32_t args[3]),
                       void *ctx);

// Visit every live process that has allocated g, in slot order.
void grant_each(struct grant *g, void (*fn)(procid_t pid, void *state, void *ctx), void *ctx);

// ---- allowed buffers (slot numbers as the process used them in allow) -----------------

// Current length of the buffer in a slot (0 if none, stale pid or no grant).
uint32_t allow_ro_len(struct grant *g, procid_t pid, unsigned slot);
uint32_t allow_rw_len(struct grant *g, procid_t pid, unsigned slot);

// Copy up to n bytes from offset off of the read-only buffer into dst.
// Returns the bytes copied (0 when off is at or past the end, or no buffer).
uint32_t allow_ro_read(struct grant *g, procid_t pid, unsigned slot, uint32_t off, void *dst,
                       uint32_t n);
// Same for a read-write buffer (the kernel may read what the process lent it).
uint32_t allow_rw_read(struct grant *g, procid_t pid, unsigned slot, uint32_t off, void *dst,
                       uint32_t n);
// Copy up to n bytes from src into the read-write buffer at offset off.
uint32_t allow_rw_write(struct grant *g, procid_t pid, unsigned slot, uint32_t off, const void *src,
                        uint32_t n);

// The process's own address of the buffer in a read-write slot, for upcalls that hand
// it back (Tock's ADC does); 0 if none. Never dereferenced by the kernel: use the
// accessors above.
uint32_t allow_rw_addr(struct grant *g, procid_t pid, unsigned slot);

// Bytes of process memory allocated for g per process (header and slots included).
uint32_t grant_alloc_size(const struct grant *g);

#endif
