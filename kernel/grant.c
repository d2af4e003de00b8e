// SPDX-License-Identifier: Apache-2.0
// Grants in process memory, subscribe and the allow classes, allow accessors.
//
// Each process's grant area runs from kernel_brk up to its PCB. It is a sequence of
// blocks, each [header][upcall slots][ro slots][rw slots][capsule state], allocated
// downward by lowering kernel_brk; a block is never freed alone: restart and death reset
// kernel_brk and everything is gone at once.
#include <stddef.h>

#include "ipc.h"
#include "process.h"
#include "sched.h"
#include <cairn/driver.h>
#include <cairn/errorcode.h>
#include <cairn/grant.h>
#include <cairn/kassert.h>
#include <cairn/poison.h>

void *memset(void *dst, int c, size_t n); // kernel/string.c: word stores

#ifndef GRANT_MAX
#define GRANT_MAX 16
#endif

static struct grant *grants[GRANT_MAX];
static unsigned n_grants;
// Events come in runs from one driver (a timer, a notifier): the last hit goes first.
static struct grant *grant_last;

// Block header. size covers the whole block; index names the grant. used: the process
// itself used the driver (subscribe, allow, or a command of its own served from this
// block), which is what lets the driver queue events for it (upcall_lookup_subscription).
// A block a capsule allocated while acting for someone else stays unused.
struct grant_hdr {
    uint8_t index;
    uint8_t used;
    uint16_t size;
};

struct slot {
    uint32_t a, b; // upcall: fn, appdata; allow: address, length
};

// A block: its header, g's slots, then (8-byte aligned) the capsule's state.
static uint32_t data_offset_of(const struct grant *g)
{
    uint32_t slots = (uint32_t)(g->n_upcalls + g->n_ro + g->n_rw) * sizeof(struct slot);
    return (sizeof(struct grant_hdr) + slots + 7u) & ~7u;
}

// pre: g registered.
static uint32_t data_offset(const struct grant *g)
{
    return g->data_off;
}

uint32_t grant_alloc_size(const struct grant *g)
{
    return (data_offset(g) + g->data_size + 7u) & ~7u;
}

static __attribute__((noinline)) struct grant *grant_search(uint32_t driver)
{
    for (unsigned i = 0; i < n_grants; i++)
        if (grants[i]->driver_num == driver)
            return grant_last = grants[i];
    return NULL;
}

void grant_register(struct grant *g)
{
    kassert(n_grants < GRANT_MAX);
    kassert(!grant_search(g->driver_num)); // one grant per driver
    g->data_off = (uint16_t)data_offset_of(g);
    // Block sizes are kept in 16 bits, a full queue included.
    kassert(grant_alloc_size(g) + UPCALL_RING_BYTES <= 0xFFFFu);
    g->index = (uint8_t)n_grants;
    grants[n_grants++] = g;
}

// Host tests and fuzzers re-wire the capsules from scratch; boards never call this.
void grant_reset_for_test(void);
void grant_reset_for_test(void)
{
    n_grants = 0;
    grant_last = NULL;
}

// The last hit checked inline: upcall_schedule runs it once per event.
__attribute__((always_inline)) static inline struct grant *grant_for_driver(uint32_t driver)
{
    struct grant *g = grant_last;
    return g && g->driver_num == driver ? g : grant_search(driver);
}

static __attribute__((noinline)) struct grant_hdr *find_block_walk(const struct process *p,
                                                                   const struct grant *g)
{
    uint32_t at = p->kernel_brk, end = (uint32_t)(uintptr_t)p;
    while (at < end) {
        struct grant_hdr *h = (struct grant_hdr *)(uintptr_t)at;
        if (h->index == g->index)
            return h;
        kassert(h->size >= sizeof *h && h->size <= end - at);
        at += h->size;
    }
    return NULL;
}

// p's block of g, or NULL. The lowest block, the grant allocated last (for most apps
// their only one, or the driver they use most), is tried inline: every event looks.
__attribute__((always_inline)) static inline struct grant_hdr *find_block(const struct process *p,
                                                                          const struct grant *g)
{
    struct grant_hdr *h = (struct grant_hdr *)(uintptr_t)p->kernel_brk;
    if (p->kernel_brk < (uint32_t)(uintptr_t)p && h->index == g->index)
        return h;
    return find_block_walk(p, g);
}

// Upcall slots the process's grant blocks declare in all, g's included if it is to be
// allocated: how many origins can have events queued for it.
static unsigned upcall_slots_total(const struct process *p, const struct grant *g)
{
    unsigned n = g->n_upcalls;
    uint32_t end = (uint32_t)(uintptr_t)p;
    for (uint32_t at = p->kernel_brk; at < end;) {
        const struct grant_hdr *h = (const struct grant_hdr *)(uintptr_t)at;
        n += grants[h->index]->n_upcalls;
        at += h->size;
    }
    return n;
}

// Allocate g's block for p below its kernel break. When the process's grants come to
// declare more upcall slots than its queue holds, the block also carries the full-size
// queue (after the capsule state), so the queue keeps at least one task of every origin
// the process can have; one allocation, so it fits or fails (NOMEM) as a whole.
static struct grant_hdr *alloc_block(struct process *p, const struct grant *g)
{
    uint32_t size = grant_alloc_size(g);
    uint32_t ring = 0;
    if (p->q_cap < UPCALL_QUEUE_LEN && upcall_slots_total(p, g) > p->q_cap)
        ring = UPCALL_RING_BYTES;
    uint32_t floor = arch_mpu_ram_reach(p->mem_start, p->mem_len, p->app_brk);
    if (size + ring > p->kernel_brk - floor)
        return NULL;
    uint32_t nk = p->kernel_brk - size - ring;
    struct arch_mpu_config plan = p->mpu;
    if (!arch_mpu_plan(&plan, p->flash_start, p->flash_len, p->mem_start, p->mem_len, p->app_brk,
                       nk))
        return NULL;
    p->mpu = plan;
    p->mpu_dirty = 1;
    p->kernel_brk = nk;
    // A grant may take bytes this incarnation once reached (its break was higher): they
    // are kernel data now, not the process's.
    if (p->clean_to > nk)
        p->clean_to = nk;
    KUNPOISON(nk, size + ring);
    uint8_t *b = memset((void *)(uintptr_t)nk, 0, size + ring);
    struct grant_hdr *h = (struct grant_hdr *)b;
    h->index = g->index;
    h->size = (uint16_t)(size + ring);
    if (ring)
        process_queue_move(p, (struct upcall_rec *)(uintptr_t)(nk + size), UPCALL_QUEUE_LEN);
    KPOISON(nk + data_offset(g), g->data_size);
    return h;
}

static struct slot *upcall_slots(struct grant_hdr *h)
{
    return (struct slot *)(h + 1);
}

static struct slot *ro_slots(struct grant_hdr *h, const struct grant *g)
{
    return upcall_slots(h) + g->n_upcalls;
}

static struct slot *rw_slots(struct grant_hdr *h, const struct grant *g)
{
    return ro_slots(h, g) + g->n_ro;
}

static void *state_of(struct grant_hdr *h, const struct grant *g)
{
    return (uint8_t *)h + data_offset(g);
}

static struct process *live(procid_t pid)
{
    struct process *p = process_get(pid);
    if (!p || p->state == PROC_FAULTED || p->state == PROC_TERMINATED)
        return NULL;
    return p;
}

static int enter(struct grant *g, procid_t pid, bool allocate,
                 void (*fn)(procid_t pid, void *state, void *ctx), void *ctx)
{
    struct process *p = live(pid);
    if (!p)
        return NODEVICE;
    struct grant_hdr *h = find_block(p, g);
    if (!h && !allocate)
        return NOSUPPORT;
    if (!h && !(h = alloc_block(p, g)))
        return NOMEM;
    if (pid == syscall_caller)
        h->used = 1;
    void *st = state_of(h, g);
    KUNPOISON(st, g->data_size);
    fn(pid, st, ctx);
    // The callback may have killed the process (a capsule faulting it); its memory is
    // then no longer a grant and is left unpoisoned.
    if (process_get(pid) == p)
        KPOISON(st, g->data_size);
    return OK;
}

int grant_enter(struct grant *g, procid_t pid, void (*fn)(procid_t pid, void *state, void *ctx),
                void *ctx)
{
    return enter(g, pid, true, fn, ctx);
}

int grant_enter_existing(struct grant *g, procid_t pid,
                         void (*fn)(procid_t pid, void *state, void *ctx), void *ctx)
{
    return enter(g, pid, false, fn, ctx);
}

void grant_each(struct grant *g, void (*fn)(procid_t pid, void *state, void *ctx), void *ctx)
{
    for (unsigned i = 0; i < process_count; i++) {
        struct process *p = process_table[i];
        if (!p || p->state == PROC_FAULTED || p->state == PROC_TERMINATED)
            continue;
        if (find_block(p, g))
            enter(g, p->id, false, fn, ctx);
    }
}

bool grant_chain_ok(const struct process *p)
{
    uint32_t seen = 0;  // grant indices met so far (GRANT_MAX <= 32)
    unsigned rings = 0; // blocks carrying the full-size queue
    uint32_t at = p->kernel_brk, end = (uint32_t)(uintptr_t)p;
    while (at < end) {
        const struct grant_hdr *h = (const struct grant_hdr *)(uintptr_t)at;
        if (h->index >= n_grants || (seen >> h->index) & 1u || h->size > end - at)
            return false;
        // A block is its grant's size, or that plus the queue, which then is right after
        // the capsule state and is the process's queue.
        uint32_t size = grant_alloc_size(grants[h->index]);
        bool ring = (uint32_t)(uintptr_t)p->q == at + size;
        if (h->size != size + (ring ? UPCALL_RING_BYTES : 0))
            return false;
        rings += ring;
        seen |= 1u << h->index;
        at += h->size;
    }
    // The queue is the small one in the control block, or the full one in one block.
    bool small = p->q == p->q_small && p->q_cap == UPCALL_QUEUE_SMALL;
    bool full = rings == 1 && p->q_cap == UPCALL_QUEUE_LEN;
    return at == end && (small ? rings == 0 : full) && p->q_len <= p->q_cap && p->q_head < p->q_cap;
}

// The upcall record for subscription sub of g in p, whose block of g is h (NULL: none).
// Inlined: it is on the path of every event.
__attribute__((always_inline)) static inline int subscription_rec(struct process *p,
                                                                  const struct grant *g,
                                                                  struct grant_hdr *h, uint32_t sub,
                                                                  struct upcall_rec *r)
{
    if (sub >= g->n_upcalls)
        return INVAL;
    // The one place deciding whose queue an event may enter: only a process that used
    // the driver itself. Its subscribe (even of the null upcall) or allow marks the block,
    // and so does a command of its own that keeps state there (libtock-c's synchronous
    // calls: command, then yield-wait-for without subscribing). A process that never
    // touched the driver gets nothing, whoever asks the capsule to notify it.
    if (!h || !h->used)
        return NOSUPPORT;
    r->origin = TASK_ORIGIN(g->driver_num, sub);
    // Words below the control block, in 16 bits: grant areas stay far below 256 kB.
    uint32_t words = ((uint32_t)(uintptr_t)p - (uint32_t)(uintptr_t)&upcall_slots(h)[sub]) / 4u;
    kassert(words <= 0xFFFFu);
    r->slot = (uint16_t)words;
    return OK;
}

int upcall_lookup_subscription(struct process *p, uint32_t driver, uint32_t sub,
                               struct upcall_rec *r)
{
    struct grant *g = grant_for_driver(driver);
    if (!g)
        return INVAL;
    return subscription_rec(p, g, sub < g->n_upcalls ? find_block(p, g) : NULL, sub, r);
}

int grant_enter_upcall(struct grant *g, procid_t pid, unsigned sub,
                       bool (*fn)(procid_t pid, void *state, void *ctx, uint32_t args[3]),
                       void *ctx)
{
    struct process *p = process_live(pid);
    if (!p)
        return NODEVICE;
    struct grant_hdr *h = find_block(p, g);
    if (!h)
        return NOSUPPORT;
    if (pid == syscall_caller)
        h->used = 1;
    void *st = state_of(h, g);
    KUNPOISON(st, g->data_size);
    struct upcall_rec t;
    bool queue = fn(pid, st, ctx, t.a);
    // As in enter: a callback that killed the process leaves no grant to poison, and
    // no incarnation to queue for. Every end or restart gives the slot's control block a
    // new id, and a slot emptied for good (loader_stop_app) no longer holds p: the two
    // loads are process_get(pid) == p.
    if (process_table[PROCID_INDEX(pid)] != p || p->id != pid)
        return OK;
    KPOISON(st, g->data_size);
    // The same rule and queue policy as upcall_schedule, with p and h already found; a
    // refused or dropped event is the queue's business (counted in dropped_upcalls).
    if (queue && subscription_rec(p, g, h, sub, &t) == OK)
        (void)upcall_post(p, &t);
    return OK;
}

void grant_release_all(struct process *p)
{
    ipc_process_gone(p);
    // Everything between the old kernel break and the PCB stops being a grant at once.
    KUNPOISON(p->mem_start, (uint32_t)(uintptr_t)p - p->mem_start);
}

// ---- syscalls ------------------------------------------------------------------------

// All four return registers (r: the trapped registers, checked at the kernel entry).
static void ret4(uint32_t *r, uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3)
{
    r[0] = r0;
    r[1] = r1;
    r[2] = r2;
    r[3] = r3;
}

// [addr, addr+len) lies inside [lo, hi), without overflow.
static bool range_in(uint32_t addr, uint32_t len, uint32_t lo, uint32_t hi)
{
    return addr >= lo && addr <= hi && len <= hi - addr;
}

static bool in_app_ram(const struct process *p, uint32_t addr, uint32_t len)
{
    return range_in(addr, len, p->mem_start, p->app_brk);
}

static bool in_app_flash(const struct process *p, uint32_t addr, uint32_t len)
{
    // Only after the protected region (TBF header and trailer): the header is kernel data.
    return range_in(addr, len, p->app_start, p->flash_start + p->flash_len);
}

#if KPOISON_ENABLED
// Host builds: make exactly the currently allowed buffers poisoned (overlaps included).
static void poison_refresh(struct process *p)
{
    KUNPOISON(p->mem_start, p->app_brk - p->mem_start);
    for (uint32_t at = p->kernel_brk; at < (uint32_t)(uintptr_t)p;) {
        struct grant_hdr *h = (struct grant_hdr *)(uintptr_t)at;
        const struct grant *g = grants[h->index];
        struct slot *s = ro_slots(h, g);
        for (unsigned i = 0; i < (unsigned)(g->n_ro + g->n_rw); i++)
            if (s[i].b && in_app_ram(p, s[i].a, s[i].b))
                KPOISON(s[i].a, s[i].b);
        at += h->size;
    }
}
#else
static void poison_refresh(struct process *p)
{
    (void)p;
}
#endif

// The grant block that holds driver's upcall and allow slots for p, allocated on first
// use; null with *err = NOMEM if the driver keeps no grant or the block does not fit.
//
// The order of the failures is Tock's (kernel/src/kernel.rs, handle_syscall, with
// kernel/src/grant.rs subscribe/allow_ro/allow_rw): the kernel first enters the driver's
// grant, asking the capsule to allocate it if needed, and only then indexes the slots.
// So a driver with no grant at all (Tock's LED) answers NOMEM, a grant that cannot be
// allocated answers NOMEM whatever the slot number, and a number at or past the slots the
// grant declares answers NOSUPPORT after the grant was allocated -- also for a grant that
// declares no slots, like Tock's low-level debug capsule
// (capsules/core/src/low_level_debug: Grant<.., UpcallCount<0>, AllowRoCount<0>,
// AllowRwCount<0>>). Userspace-readable allows never get here (see sys_allow).
static struct grant_hdr *slots_block(struct process *p, uint32_t driver, int *err)
{
    *err = NOMEM;
    struct grant *g = grant_for_driver(driver);
    if (!g)
        return NULL;
    struct grant_hdr *h = find_block(p, g);
    return h ? h : alloc_block(p, g);
}

static void sys_subscribe(struct process *p, uint32_t *r)
{
    uint32_t driver = r[0], sub = r[1], fn = r[2], appdata = r[3];
    // Validate the function pointer before anything else, so a bad subscribe leaves the
    // old upcall and its pending events untouched.
    if (fn && !in_app_flash(p, fn & ~1u, 4) && !in_app_ram(p, fn & ~1u, 4)) {
        ret4(r, SYSCALL_FAILURE_2U32, INVAL, fn, appdata);
        return;
    }
    if (!driver_lookup(driver)) {
        ret4(r, SYSCALL_FAILURE_2U32, NODEVICE, fn, appdata);
        return;
    }
    int err;
    struct grant_hdr *h = slots_block(p, driver, &err);
    if (!h || sub >= grant_for_driver(driver)->n_upcalls) {
        ret4(r, SYSCALL_FAILURE_2U32, h ? NOSUPPORT : err, fn, appdata);
        return;
    }
    h->used = 1;
    struct slot *s = &upcall_slots(h)[sub];
    uint32_t old_fn = s->a, old_data = s->b;
    s->a = fn;
    s->b = appdata;
    // Events queued for the old subscription must not run on the new one.
    struct upcall_task dropped;
    while (process_queue_take_origin(p, TASK_ORIGIN(driver, sub), &dropped))
        ;
    ret4(r, SYSCALL_SUCCESS_2U32, old_fn, old_data, 0);
}

static void sys_allow(struct process *p, uint32_t cls, uint32_t *r)
{
    uint32_t driver = r[0], num = r[1], addr = r[2], len = r[3];
    if (!driver_lookup(driver)) {
        ret4(r, SYSCALL_FAILURE_2U32, NODEVICE, addr, len);
        return;
    }
    bool ok = len == 0 || in_app_ram(p, addr, len) ||
              (cls == SYSCALL_CLASS_ALLOW_RO && in_app_flash(p, addr, len));
    if (!ok) {
        ret4(r, SYSCALL_FAILURE_2U32, INVAL, addr, len);
        return;
    }
    // Any validated RAM buffer raises the mark, whatever happens next: brk may never
    // drop below memory the kernel was shown, until the process restarts.
    if (len && in_app_ram(p, addr, len) && addr + len > p->allow_hwm)
        p->allow_hwm = addr + len;
    if (cls == SYSCALL_CLASS_ALLOW_URA) {
        // Tock hands a validated userspace-readable buffer to the driver, whose default
        // answer is NOSUPPORT, grant or not; no Cairn driver takes one yet.
        ret4(r, SYSCALL_FAILURE_2U32, NOSUPPORT, addr, len);
        return;
    }
    int err;
    struct grant_hdr *h = slots_block(p, driver, &err);
    const struct grant *g = grant_for_driver(driver);
    if (!h || num >= (cls == SYSCALL_CLASS_ALLOW_RO ? g->n_ro : g->n_rw)) {
        ret4(r, SYSCALL_FAILURE_2U32, h ? NOSUPPORT : err, addr, len);
        return;
    }
    bool ipc_share = driver == IPC_DRIVER_NUM && cls == SYSCALL_CLASS_ALLOW_RW;
    if (ipc_share && ipc_allow_rw_check(addr, len) != OK) {
        ret4(r, SYSCALL_FAILURE_2U32, INVAL, addr, len);
        return;
    }
    h->used = 1;
    struct slot *s = (cls == SYSCALL_CLASS_ALLOW_RO ? ro_slots(h, g) : rw_slots(h, g)) + num;
    uint32_t old_addr = s->a, old_len = s->b;
    s->a = addr;
    s->b = len;
    if (ipc_share)
        ipc_allow_rw_changed(p, num);
    poison_refresh(p);
    ret4(r, SYSCALL_SUCCESS_2U32, old_addr, old_len, 0);
}

void syscall_subscribe_allow(struct process *p, uint32_t cls, uint32_t *r)
{
    if (cls == SYSCALL_CLASS_SUBSCRIBE)
        sys_subscribe(p, r);
    else
        sys_allow(p, cls, r);
}

// ---- allow accessors -------------------------------------------------------------------

bool grant_rw_slot_get(struct grant *g, struct process *p, unsigned slot, uint32_t *addr,
                       uint32_t *len)
{
    struct grant_hdr *h = slot < g->n_rw ? find_block(p, g) : NULL;
    if (!h)
        return false;
    *addr = rw_slots(h, g)[slot].a;
    *len = rw_slots(h, g)[slot].b;
    return true;
}

static struct slot *allow_slot(struct grant *g, procid_t pid, bool rw, unsigned slot,
                               struct process **pp)
{
    struct process *p = live(pid);
    if (!p || slot >= (rw ? g->n_rw : g->n_ro))
        return NULL;
    struct grant_hdr *h = find_block(p, g);
    if (!h)
        return NULL;
    *pp = p;
    return (rw ? rw_slots(h, g) : ro_slots(h, g)) + slot;
}

uint32_t allow_ro_len(struct grant *g, procid_t pid, unsigned slot)
{
    struct process *p;
    struct slot *s = allow_slot(g, pid, false, slot, &p);
    return s ? s->b : 0;
}

uint32_t allow_rw_len(struct grant *g, procid_t pid, unsigned slot)
{
    struct process *p;
    struct slot *s = allow_slot(g, pid, true, slot, &p);
    return s ? s->b : 0;
}

static uint32_t clamp(const struct slot *s, uint32_t off, uint32_t n)
{
    if (off >= s->b)
        return 0;
    return n < s->b - off ? n : s->b - off;
}

static uint32_t copy_from(struct process *p, const struct slot *s, uint32_t off, void *dst,
                          uint32_t n)
{
    n = clamp(s, off, n);
    const uint8_t *src = (const uint8_t *)(uintptr_t)(s->a + off);
    KUNPOISON(src, n);
    uint8_t *d = dst;
    for (uint32_t i = 0; i < n; i++)
        d[i] = src[i];
    poison_refresh(p);
    return n;
}

uint32_t allow_ro_read(struct grant *g, procid_t pid, unsigned slot, uint32_t off, void *dst,
                       uint32_t n)
{
    struct process *p;
    struct slot *s = allow_slot(g, pid, false, slot, &p);
    return s ? copy_from(p, s, off, dst, n) : 0;
}

uint32_t allow_rw_read(struct grant *g, procid_t pid, unsigned slot, uint32_t off, void *dst,
                       uint32_t n)
{
    struct process *p;
    struct slot *s = allow_slot(g, pid, true, slot, &p);
    return s ? copy_from(p, s, off, dst, n) : 0;
}

uint32_t allow_rw_write(struct grant *g, procid_t pid, unsigned slot, uint32_t off, const void *src,
                        uint32_t n)
{
    struct process *p;
    struct slot *s = allow_slot(g, pid, true, slot, &p);
    if (!s)
        return 0;
    n = clamp(s, off, n);
    uint8_t *d = (uint8_t *)(uintptr_t)(s->a + off);
    KUNPOISON(d, n);
    const uint8_t *sp = src;
    for (uint32_t i = 0; i < n; i++)
        d[i] = sp[i];
    poison_refresh(p);
    return n;
}

uint32_t allow_rw_addr(struct grant *g, procid_t pid, unsigned slot)
{
    struct process *p;
    struct slot *s = allow_slot(g, pid, true, slot, &p);
    return s && s->b ? s->a : 0;
}
