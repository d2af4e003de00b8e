// SPDX-License-Identifier: Apache-2.0
// Kernel-internal process control block, process table and lifecycle operations.
#ifndef CAIRN_KERNEL_PROCESS_H
#define CAIRN_KERNEL_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include <cairn/process.h>

// Most process slots a board can have: a process id keeps the slot in its low 8 bits.
// The table itself is as long as the loader needs (process_table_init), so this costs
// nothing: the pool's RAM is what limits the number of processes.
#ifndef PROCESS_MAX
#define PROCESS_MAX 256u
#endif

// Pending upcalls per process. A process starts with a queue of UPCALL_QUEUE_SMALL tasks
// in its control block; the first time its grants declare more upcall slots than that in
// all, the grant allocation that does it also takes a queue of UPCALL_QUEUE_LEN tasks (see
// doc/kernel.md, "Upcalls and the queue policy"). So the queue always holds at least one
// task of every origin the process can have (up to UPCALL_QUEUE_LEN of them).
#ifndef UPCALL_QUEUE_LEN
#define UPCALL_QUEUE_LEN 8
#endif
#ifndef UPCALL_QUEUE_SMALL
#define UPCALL_QUEUE_SMALL 2
#endif

enum proc_state {
    PROC_RUNNING,     // runnable: resumes where it was
    PROC_YIELDED,     // in yield-wait: runs when a callable upcall is queued
    PROC_YIELDED_FOR, // in yield-wait-for(driver, sub): runs when a matching task exists
    PROC_STOPPED,     // paused by the kernel; previous state kept in stopped_from
    PROC_FAULTED,     // faulted and not restarted: not runnable
    PROC_TERMINATED,  // exited: not runnable, may be started again
};

// A task's origin packs (driver, subscribe number) into one word. Driver numbers of a
// board stay below TASK_DRIVER_MAX and drivers declare at most 256 upcall slots, so the
// packing is exact for everything that can be queued.
#define TASK_DRIVER_MAX          0xFFFFFEu
#define TASK_SUB_MAX             0xFFu
#define TASK_ORIGIN(driver, sub) (((driver) << 8) | ((sub)&0xFFu))
#define TASK_ORIGIN_KERNEL       0xFFFFFFFFu // the entry call
#define TASK_ORIGIN_NEVER        0xFFFFFFFEu // awaited by an impossible yield-wait-for

// One queued upcall: 20 bytes. The function and appdata are not copied: they are read
// from the subscription's upcall slot (a word pair in a grant block, which never moves
// while the incarnation lives) when the task is delivered. That gives the same call as a
// copy would, because a subscribe removes every pending task of its slot. The entry call
// (TASK_ORIGIN_KERNEL) takes them from the control block instead.
struct upcall_rec {
    uint32_t a[3];
    uint32_t origin; // TASK_ORIGIN(driver, subscribe) or TASK_ORIGIN_KERNEL
    uint16_t slot;   // the upcall slot's distance below the control block, in words
};

// Bytes of the full-size queue a grant block carries when it takes one (alloc_block).
#define UPCALL_RING_BYTES (UPCALL_QUEUE_LEN * sizeof(struct upcall_rec))

// A task as delivered: fn == 0 is a null record (only yield-wait-for consumes it).
struct upcall_task {
    uint32_t fn, appdata;
    uint32_t a[3];
    uint32_t origin; // TASK_ORIGIN(driver, subscribe) or TASK_ORIGIN_KERNEL
};

// The process control block. It lives in the kernel-owned top of the process's own RAM
// block, so kernel static RAM does not grow with processes (only the slot pointer).
// Invariants: mem_start ≤ app_brk ≤ kernel_brk ≤ (uint32_t)this < mem_start + mem_len;
// allow_hwm ≤ app_brk; mpu always holds a plan for the current app_brk and kernel_brk;
// arch_mpu_ram_reach(app_brk) ≤ clean_to ≤ kernel_brk, and every byte of
// [mem_start, clean_to) is zero or was written by this incarnation (or for it, into its
// own buffers): the process can reach nothing of an earlier incarnation.
struct process {
    struct arch_ctx ctx; // first: the arch hands the kernel &ctx (kernel_fast_syscall)
    // What a port's syscall fast path in assembly reads and writes, right after ctx so
    // the offsets do not depend on the MPU plan's size (arch/cortex-m/cm.h names them,
    // cm.c checks them): the frame bounds as one pair, the id, the state and mpu_dirty as
    // one halfword (both 0: the process may resume), and the two syscall counters as a pair.
    uint32_t mem_start;       // first byte of the block
    uint32_t frame_limit;     // process_frame_limit(mem_start, app_brk), kept with app_brk
    uint32_t app_brk;         // first byte the process may not access
    uint32_t id;              // procid_t of this incarnation (index | generation << 8)
    uint8_t state, mpu_dirty; // mpu_dirty: mpu changed since it was last loaded
    uint8_t index, stopped_from;
    uint32_t syscalls;     // debug counter, reset on restart
    uint32_t last_syscall; // class | (first argument << 8), for the fault dump
    struct arch_mpu_config mpu;
    uint32_t mem_len;                // the whole block, kernel part included
    uint32_t kernel_brk;             // lowest kernel-owned byte
    uint32_t allow_hwm;              // brk may not go below this (allowed buffers)
    uint32_t clean_to;               // end of what this incarnation may see (see above)
    uint32_t flash_start, flash_len; // the whole TBF object
    uint32_t app_start;              // first byte of the userspace binary
    uint32_t entry;                  // address of _start
    const char *name;                // in flash, not NUL-terminated
    uint8_t name_len;
    // The upcall queue: a ring of q_cap tasks at q (q_small, or UPCALL_QUEUE_LEN tasks in
    // a grant block), q_head the oldest. q_len ≤ q_cap.
    uint8_t q_head, q_len, q_cap;
    struct upcall_rec *q;
    uint32_t yield_for_origin; // TASK_ORIGIN awaited in PROC_YIELDED_FOR
    uint32_t slice_left_us;    // rest of the current timeslice
    // Debug counters, reset on restart except restarts (syscalls is above).
    uint32_t timeslice_expirations, dropped_upcalls, restarts;
    uint32_t completion_code;       // of the last exit
    uint32_t stack_hint, heap_hint; // memop 10/11
    // Writeable flash regions in the TBF (memop 7), set by the loader; the regions
    // themselves are read from the header in flash (tbf_wfr_get). 16 bits: a header of
    // at most 64 kB holds fewer than 8192.
    uint16_t wfr_count;
    // IPC (kernel/ipc.c): the one buffer of another process this one may reach, and the
    // region that reaches it, loaded after mpu while shared_on. Invariant: then the live
    // process shared_owner (never this one) holds, in its IPC read-write slot numbered
    // with this process's index, exactly the buffer mpu_shared was planned for (a plan
    // names one buffer: arch_mpu_plan_shared accepts only ranges one region expresses
    // exactly, so the plan stands for the address and length, which are not kept).
    uint8_t shared_on;
#if CAIRN_FEATURE_PERMISSIONS
    // 1: the TBF has a Permissions TLV, which kernel/syscall.c enforces (set by the loader,
    // kept across restarts). The entries are read from the header in the process's own
    // flash at each filtered call, not kept here: that flash stays valid exactly as long as
    // the process does (the app store frees the process before it retires or erases its
    // image), and this byte was padding, so the control block does not grow for it.
    uint8_t filtered;
#endif
    struct arch_mpu_shared mpu_shared;
    procid_t shared_owner;
    struct upcall_rec q_small[UPCALL_QUEUE_SMALL];
};

// A port's frame check in one comparison (Cortex-M's SVC handler): the trapped frame of
// ARCH_MIN_APP_RAM bytes at sp lies in [mem_start, app_brk) and sp is word aligned iff
// ror(sp - mem_start, 2) < process_frame_limit(mem_start, app_brk). An aligned offset
// rotates to itself / 4; a misaligned one, or one that wrapped below mem_start, to at
// least 2^30 - mem_start / 4, above any limit. 0 when no frame fits: nothing passes.
static inline uint32_t process_frame_limit(uint32_t mem_start, uint32_t app_brk)
{
    uint32_t room = app_brk - mem_start;
    uint32_t spare = room - ARCH_MIN_APP_RAM; // wraps above room when no frame fits
    return spare > room ? 0 : (spare >> 2) + 1;
}

// True if p's syscalls go through its TBF Permissions filter.
static inline bool process_filtered(const struct process *p)
{
#if CAIRN_FEATURE_PERMISSIONS
    return p->filtered;
#else
    (void)p;
    return false;
#endif
}

// Every write of app_brk goes through here, so frame_limit never lags behind it. A
// filtered process keeps frame_limit 0: a port's frame check in one comparison then
// fails for every trap of it, which sends its calls to the C entries that apply the
// filter (kernel_fast_syscall, syscall_handle), so the unfiltered pay nothing for it.
static inline void process_set_app_brk(struct process *p, uint32_t app_brk)
{
    p->app_brk = app_brk;
    p->frame_limit = process_filtered(p) ? 0 : process_frame_limit(p->mem_start, app_brk);
}

// The process table: process_count slots, null where no process was created. It lives
// where process_table_init put it (the loader: at the bottom of the process pool, which
// no process can reach), so kernel static RAM holds only this pointer and the count.
extern struct process **process_table;
extern unsigned process_count;

// Use table[0, n) (n ≤ PROCESS_MAX) as the process table, every slot empty.
void process_table_init(struct process **table, unsigned n);

// Bounds of what the process may touch, for the arch stack checks.
static inline struct arch_mem_bounds process_bounds(const struct process *p)
{
    return (struct arch_mem_bounds){p->mem_start, p->app_brk};
}

// Look a pid up; null if stale or unknown (does not check liveness).
struct process *process_get(procid_t pid);

// The same, inlined, and null also for a process that is faulted or terminated: for the
// event paths (upcall_schedule, grant_enter_upcall), which run once per event.
__attribute__((always_inline)) static inline struct process *process_live(procid_t pid)
{
    unsigned i = PROCID_INDEX(pid);
    struct process *p = i < process_count ? process_table[i] : NULL;
    if (!p || p->id != pid || p->state == PROC_FAULTED || p->state == PROC_TERMINATED)
        return NULL;
    return p;
}

// Create a process from a parsed app in its RAM block; queues its entry call.
// pre: block placed by arch_mpu_place_ram, flash checked by arch_mpu_flash_ok.
struct process *process_create(unsigned index, uint32_t flash_start, uint32_t flash_len,
                               uint32_t app_start, uint32_t entry, const char *name,
                               uint32_t name_len, uint32_t mem_start, uint32_t mem_len);

// Filter p's syscalls by the Permissions TLV of h, its own header parsed in place in its
// flash (nothing if h has none). Kept across restarts; called once, after process_create.
#if CAIRN_FEATURE_PERMISSIONS
struct tbf_header;
void process_set_permissions(struct process *p, const struct tbf_header *h);
#else
#define process_set_permissions(p, h) ((void)(p), (void)(h))
#endif

// Bytes at the top of each block the kernel keeps (PCB), rounded as allocated.
uint32_t process_kernel_part(void);

// Put the process back to its initial state with a new generation and its entry call
// queued. Memory the MPU exposes is zeroed when it is exposed for the first time in an
// incarnation (here the first granule, later by brk growth), not all at once.
void process_restart(struct process *p);
void process_terminate(struct process *p, uint32_t code);

// A fault or an undecodable trap: dump, then the board's policy (restart/stop/panic).
void process_fault(struct process *p, const char *why, bool cpu_fault);

// Move the break; INVAL-style failures return NOMEM (memop's only failure code).
int process_set_brk(struct process *p, uint32_t new_brk);

// Upcall queue operations (exposed for the scheduler and tests). Origins are
// TASK_ORIGIN values; tasks come out resolved (the function and appdata they call now).
// Append r; a full queue first makes room by the queue policy (doc/kernel.md). False if
// r itself was dropped. Every loss, of r or of an older task, counts in dropped_upcalls.
bool process_queue_push(struct process *p, const struct upcall_rec *r);
// An event for p: delivered at once when p is blocked in yield-wait (a callable upcall)
// or in yield-wait-for awaiting exactly its origin, with nothing queued; else queued with
// process_queue_push, whose result it returns. pre: r is not an IPC notification (those
// must be queued: upcall_schedule pushes them itself).
bool upcall_post(struct process *p, const struct upcall_rec *r);
// Remove null records at the head, then pop the oldest callable task.
bool process_queue_pop_callable(struct process *p, struct upcall_task *out);
// Remove the first task whose origin matches (callable or null record).
bool process_queue_take_origin(struct process *p, uint32_t origin, struct upcall_task *out);
// The same, copying only the task's three arguments to a (which may be the trapped
// registers): for a yield-wait-for, which calls nothing, so nothing is resolved.
bool process_queue_take_args(struct process *p, uint32_t origin, uint32_t a[3]);
bool process_queue_has_origin(const struct process *p, uint32_t origin);
bool process_queue_has_callable(const struct process *p);
// The i-th oldest task, resolved (i < q_len): for tests and diagnostics.
void process_queue_peek(const struct process *p, unsigned i, struct upcall_task *out);
// Move the queue to a ring of cap tasks at ring (the oldest task first).
void process_queue_move(struct process *p, struct upcall_rec *ring, unsigned cap);

// For an event of (driver, sub) queued for p: its origin and the place of its upcall slot
// (upcall_rec.slot). Returns OK; INVAL if sub is outside the slots the driver
// declared (or the driver keeps no grant); NOSUPPORT if the process never used the driver
// itself, so no event of it may be queued there (doc/kernel.md, "Upcalls and the queue
// policy").
int upcall_lookup_subscription(struct process *p, uint32_t driver, uint32_t sub,
                               struct upcall_rec *r);

// The grant blocks from kernel_brk chain exactly to the PCB, each block naming a registered
// grant once and sized as that grant allocates (a check for tests and fuzzers).
bool grant_chain_ok(const struct process *p);

// All grants of p vanish (restart, death): host builds unpoison the memory they held, and
// no other process keeps access to a buffer p shared over IPC.
void grant_release_all(struct process *p);

// The buffer in p's read-write allow slot of g (kernel-internal: capsules never see
// addresses). False if p has no block for g or slot is out of range; len 0: no buffer.
struct grant;
bool grant_rw_slot_get(struct grant *g, struct process *p, unsigned slot, uint32_t *addr,
                       uint32_t *len);

bool process_runnable(const struct process *p);
const char *process_state_name(unsigned state);

// Print the per-process memory map (flash, RAM, break, kernel break).
void process_print_map(const struct process *p);

#endif
