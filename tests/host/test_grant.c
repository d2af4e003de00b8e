// SPDX-License-Identifier: Apache-2.0
// Host tests of grants: allocation, stale pids, allows, ASan fences, grant_enter_upcall.
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host_proc.h"
#include <cairn/grant.h>
#include <cairn/kassert.h>

#define DRV_A 0x90001u
#define DRV_B 0x90002u

struct a_state {
    uint32_t words[6];
};

struct b_state {
    uint8_t bytes[200];
};

static struct grant grant_a = GRANT_INIT(DRV_A, struct a_state, 2, 2, 2);
static struct grant grant_b = GRANT_INIT(DRV_B, struct b_state, 1, 0, 1);

static struct cmd_result cmd_ok(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t a0,
                                uint32_t a1)
{
    (void)d;
    (void)pid;
    (void)cmd;
    (void)a0;
    (void)a1;
    return cmd_success();
}

static const struct driver drivers[] = {{DRV_A, cmd_ok, NULL}, {DRV_B, cmd_ok, NULL}};

static const struct kernel_config config = {
    .drivers = drivers,
    .n_drivers = 2,
    .fault_policy = FAULT_POLICY_STOP,
};

static int group_setup(void **state)
{
    grant_register(&grant_a);
    grant_register(&grant_b);
    return host_arena_map(state);
}

static int test_setup(void **state)
{
    (void)state;
    host_reset(&config);
    return 0;
}

// What a grant_enter callback saw, and what it should leave behind.
struct visit {
    unsigned calls;
    procid_t pid;
    uint8_t *state;
    size_t size;   // bytes of state to inspect
    bool all_zero; // every byte was 0 on entry
    uint8_t first; // byte 0 on entry
    uint8_t fill;  // if non-zero, written over the whole state
};

static void visit_cb(procid_t pid, void *state, void *ctx)
{
    struct visit *v = ctx;
    uint8_t *s = state;
    v->calls++;
    v->pid = pid;
    v->state = s;
    v->first = s[0];
    v->all_zero = true;
    for (size_t i = 0; i < v->size; i++)
        if (s[i])
            v->all_zero = false;
    if (v->fill)
        memset(s, v->fill, v->size);
}

static void never_cb(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    (void)state;
    (void)ctx;
    fail_msg("grant callback ran for a pid that should have been refused");
}

// The first grant_enter lowers kernel_brk by grant_alloc_size and hands the callback
// zeroed state (the arena was 0xA5 before); the second reuses the same state with its
// contents kept and allocates nothing more.
static void first_enter_allocates_zeroed_state_second_reuses_it(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    uint32_t kbrk0 = p->kernel_brk;
    assert_int_equal(host_ptr(kbrk0 - 1)[0], HOST_FILL); // not zeroed before allocation

    struct visit v = {.size = sizeof(struct a_state), .fill = 0x3C};
    assert_int_equal(grant_enter(&grant_a, p->id, visit_cb, &v), OK);
    assert_int_equal(v.calls, 1);
    assert_int_equal(v.pid, p->id);
    assert_true(v.all_zero);
    assert_int_equal(p->kernel_brk, kbrk0 - grant_alloc_size(&grant_a));
    assert_true(host_addr(v.state) >= p->kernel_brk && host_addr(v.state) < kbrk0);
    assert_true(host_addr(v.state) + sizeof(struct a_state) <= kbrk0);

    uint8_t *first_state = v.state;
    struct visit again = {.size = sizeof(struct a_state)};
    assert_int_equal(grant_enter(&grant_a, p->id, visit_cb, &again), OK);
    assert_int_equal(again.calls, 1);
    assert_ptr_equal(again.state, first_state);
    assert_int_equal(again.first, 0x3C);
    assert_int_equal(p->kernel_brk, kbrk0 - grant_alloc_size(&grant_a));

    // A second grant gets its own zeroed block below the first. The two declare 3 upcall
    // slots, more than the small queue holds, so b's block also carries the full queue.
    struct visit vb = {.size = sizeof(struct b_state)};
    assert_int_equal(grant_enter(&grant_b, p->id, visit_cb, &vb), OK);
    assert_true(vb.all_zero);
    assert_int_equal(p->kernel_brk, kbrk0 - grant_alloc_size(&grant_a) -
                                        grant_alloc_size(&grant_b) - UPCALL_RING_BYTES);
    assert_ptr_not_equal(vb.state, first_state);
}

// grant_enter_existing never allocates: NOSUPPORT before the first grant_enter, OK after.
static void enter_existing_does_not_allocate(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    uint32_t kbrk0 = p->kernel_brk;
    assert_int_equal(grant_enter_existing(&grant_a, p->id, never_cb, NULL), NOSUPPORT);
    assert_int_equal(p->kernel_brk, kbrk0);
    struct visit v = {.size = sizeof(struct a_state)};
    assert_int_equal(grant_enter(&grant_a, p->id, visit_cb, &v), OK);
    assert_int_equal(grant_enter_existing(&grant_a, p->id, visit_cb, &v), OK);
    assert_int_equal(v.calls, 2);
}

// A grant that does not fit between app_brk and kernel_brk gives NOMEM to that process,
// changes nothing there, and another process's grant_enter still succeeds.
static void full_grant_area_is_nomem_for_that_process_only(void **state)
{
    (void)state;
    struct process *full = host_proc_new(0, HOST_RAM_DEFAULT);
    struct process *other = host_proc_new(1, HOST_RAM_DEFAULT);
    uint32_t need = grant_alloc_size(&grant_b);
    assert_int_equal(process_set_brk(full, full->kernel_brk - need + 8), OK);
    uint32_t kbrk = full->kernel_brk, abrk = full->app_brk;

    assert_int_equal(grant_enter(&grant_b, full->id, never_cb, NULL), NOMEM);
    assert_int_equal(full->kernel_brk, kbrk);
    assert_int_equal(full->app_brk, abrk);

    struct visit v = {.size = sizeof(struct b_state)};
    assert_int_equal(grant_enter(&grant_b, other->id, visit_cb, &v), OK);
    assert_int_equal(v.calls, 1);

    // Exactly enough room fits.
    assert_int_equal(process_set_brk(full, full->kernel_brk - need), OK);
    struct visit w = {.size = sizeof(struct b_state)};
    assert_int_equal(grant_enter(&grant_b, full->id, visit_cb, &w), OK);
    assert_int_equal(full->kernel_brk, full->app_brk);
}

struct each_log {
    unsigned n;
    procid_t pids[HOST_PROCS];
};

static void each_cb(procid_t pid, void *state, void *ctx)
{
    (void)state;
    struct each_log *l = ctx;
    assert_true(l->n < HOST_PROCS);
    l->pids[l->n++] = pid;
}

// grant_each visits, in slot order, exactly the live processes that allocated the grant
// (not those that allocated another grant, nor a terminated one).
static void grant_each_visits_exactly_the_allocating_processes(void **state)
{
    (void)state;
    struct process *p[4];
    for (unsigned i = 0; i < 4; i++)
        p[i] = host_proc_new(i, HOST_RAM_DEFAULT);
    struct visit v = {.size = 0};
    assert_int_equal(grant_enter(&grant_a, p[3]->id, visit_cb, &v), OK);
    assert_int_equal(grant_enter(&grant_a, p[0]->id, visit_cb, &v), OK);
    assert_int_equal(grant_enter(&grant_b, p[1]->id, visit_cb, &v), OK);
    assert_int_equal(grant_enter(&grant_a, p[2]->id, visit_cb, &v), OK);

    struct each_log log = {0};
    grant_each(&grant_a, each_cb, &log);
    assert_int_equal(log.n, 3);
    assert_int_equal(log.pids[0], p[0]->id);
    assert_int_equal(log.pids[1], p[2]->id);
    assert_int_equal(log.pids[2], p[3]->id);

    process_terminate(p[2], 0);
    struct each_log after = {0};
    grant_each(&grant_a, each_cb, &after);
    assert_int_equal(after.n, 2);
    assert_int_equal(after.pids[0], p[0]->id);
    assert_int_equal(after.pids[1], p[3]->id);

    struct each_log b = {0};
    grant_each(&grant_b, each_cb, &b);
    assert_int_equal(b.n, 1);
    assert_int_equal(b.pids[0], p[1]->id);
}

// After process_restart the old pid is stale: grant_enter gives NODEVICE without calling
// back, and every allow accessor returns 0; the new pid starts with fresh zeroed state.
static void stale_pid_after_restart_is_refused(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    procid_t old = p->id;
    uint32_t buf = p->mem_start + 64;
    assert_int_equal(process_set_brk(p, p->mem_start + 256), OK);
    struct visit v = {.size = sizeof(struct a_state), .fill = 0x77};
    assert_int_equal(grant_enter(&grant_a, old, visit_cb, &v), OK);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_A, 0, buf, 16);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_2U32);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_A, 1, buf, 8);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_2U32);
    assert_int_equal(allow_rw_len(&grant_a, old, 0), 16);
    assert_int_equal(allow_ro_len(&grant_a, old, 1), 8);

    process_restart(p);
    assert_int_not_equal(p->id, old);
    assert_int_equal(PROCID_INDEX(p->id), PROCID_INDEX(old));
    assert_false(process_alive(old));
    assert_int_equal(grant_enter(&grant_a, old, never_cb, NULL), NODEVICE);
    assert_int_equal(grant_enter_existing(&grant_a, old, never_cb, NULL), NODEVICE);
    uint8_t b[16] = {0};
    assert_int_equal(allow_rw_len(&grant_a, old, 0), 0);
    assert_int_equal(allow_ro_len(&grant_a, old, 1), 0);
    assert_int_equal(allow_rw_read(&grant_a, old, 0, 0, b, sizeof b), 0);
    assert_int_equal(allow_ro_read(&grant_a, old, 1, 0, b, sizeof b), 0);
    assert_int_equal(allow_rw_write(&grant_a, old, 0, 0, b, sizeof b), 0);

    // The new incarnation has no allows and gets freshly zeroed state.
    assert_int_equal(allow_rw_len(&grant_a, p->id, 0), 0);
    struct visit fresh = {.size = sizeof(struct a_state)};
    assert_int_equal(grant_enter(&grant_a, p->id, visit_cb, &fresh), OK);
    assert_true(fresh.all_zero);
}

// Restart releases everything: across 1000 restarts, each with grants, a subscribe, an
// allow and a grown break, kernel_brk, app_brk and the allow mark return exactly to their
// initial values every time.
static void restart_1000_times_returns_breaks_to_initial_values(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    const uint32_t kbrk0 = p->kernel_brk, abrk0 = p->app_brk, hwm0 = p->allow_hwm;
    // Both grants, and the full-size queue their 3 upcall slots call for.
    const uint32_t all =
        grant_alloc_size(&grant_a) + grant_alloc_size(&grant_b) + UPCALL_RING_BYTES;
    for (unsigned i = 0; i < 1000; i++) {
        struct visit v = {.size = sizeof(struct a_state), .fill = (uint8_t)(i | 1)};
        assert_int_equal(grant_enter(&grant_a, p->id, visit_cb, &v), OK);
        assert_true(v.all_zero);
        host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_B, 0, p->app_start + 0x10, i);
        host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
        assert_int_equal(p->kernel_brk, kbrk0 - all);
        host_syscall(p, SYSCALL_CLASS_MEMOP, 1, 512, 0, 0);
        assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_U32);
        host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_A, 1, p->mem_start + 100, 300);
        assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_2U32);
        assert_int_equal(p->allow_hwm, p->mem_start + 400);

        process_restart(p);
        assert_int_equal(p->kernel_brk, kbrk0);
        assert_int_equal(p->app_brk, abrk0);
        assert_int_equal(p->allow_hwm, hwm0);
        assert_int_equal(p->restarts, i + 1);
        assert_true(syscall_resume_yielded(p)); // run the entry call again
    }
}

// The allow accessors clamp every copy to the buffer as currently allowed: offsets at or
// past the end copy nothing (no overflow for huge offsets/lengths), counts are cut at the
// end, slots beyond the declared number read as empty, and RO buffers in flash are read.
static void allow_accessors_clamp_to_length_and_offset(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    assert_int_equal(process_set_brk(p, p->mem_start + 256), OK);
    uint32_t buf = p->mem_start + 64;
    memset(host_ptr(buf - 8), 0xEE, 8); // bytes around the 16-byte buffer
    memset(host_ptr(buf + 16), 0xEE, 8);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_A, 1, buf, 16);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_2U32);
    procid_t pid = p->id;
    assert_int_equal(allow_rw_len(&grant_a, pid, 1), 16);
    assert_int_equal(allow_rw_len(&grant_a, pid, 0), 0);
    assert_int_equal(allow_rw_len(&grant_a, pid, 2), 0); // beyond n_rw

    uint8_t src[64];
    for (unsigned i = 0; i < sizeof src; i++)
        src[i] = (uint8_t)(i + 1);
    assert_int_equal(allow_rw_write(&grant_a, pid, 1, 10, src, 100), 6);
    assert_int_equal(allow_rw_write(&grant_a, pid, 1, 0, src, 4), 4);
    assert_int_equal(allow_rw_write(&grant_a, pid, 1, 16, src, 1), 0);
    assert_int_equal(allow_rw_write(&grant_a, pid, 1, 0xFFFFFFF8u, src, 16), 0);
    assert_int_equal(allow_rw_write(&grant_a, pid, 1, 12, src, 0xFFFFFFFFu), 4);
    assert_int_equal(allow_rw_write(&grant_a, pid, 0, 0, src, 4), 0); // empty slot
    assert_int_equal(allow_rw_write(&grant_a, pid, 2, 0, src, 4), 0); // beyond n_rw

    uint8_t dst[32];
    memset(dst, 0, sizeof dst);
    assert_int_equal(allow_rw_read(&grant_a, pid, 1, 0, dst, sizeof dst), 16);
    const uint8_t want[16] = {1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 1, 2, 1, 2, 3, 4};
    assert_memory_equal(dst, want, 16);
    assert_int_equal(allow_rw_read(&grant_a, pid, 1, 15, dst, 8), 1);
    assert_int_equal(dst[0], 4);
    assert_int_equal(allow_rw_read(&grant_a, pid, 1, 16, dst, 8), 0);
    assert_int_equal(allow_rw_read(&grant_a, pid, 1, 0xFFFFFFFFu, dst, 8), 0);

    // Shrinking the allow shrinks what the accessors reach.
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_A, 1, buf, 4);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, buf, 16, 0);
    assert_int_equal(allow_rw_write(&grant_a, pid, 1, 0, src + 32, 16), 4);
    assert_int_equal(allow_rw_read(&grant_a, pid, 1, 2, dst, 16), 2);

    // Revoke: nothing poisoned any more; memory holds exactly what was written, and the
    // bytes around the buffer were never touched.
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_A, 1, 0, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, buf, 4, 0);
    assert_int_equal(allow_rw_len(&grant_a, pid, 1), 0);
    const uint8_t *m = host_ptr(buf);
    assert_int_equal(m[0], 33);
    assert_int_equal(m[3], 36);
    assert_int_equal(m[4], 0);
    assert_int_equal(m[15], 4);
    for (unsigned i = 1; i <= 8; i++) {
        assert_int_equal(m[-(int)i], 0xEE);
        assert_int_equal(m[15 + i], 0xEE);
    }

    // A read-only buffer in flash (after the header) reads back through allow_ro_read.
    uint32_t fbuf = p->app_start + 0x20;
    memcpy(host_ptr(fbuf), "constant", 8);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_A, 0, fbuf, 8);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_2U32);
    char s[16] = {0};
    assert_int_equal(allow_ro_len(&grant_a, pid, 0), 8);
    assert_int_equal(allow_ro_read(&grant_a, pid, 0, 3, s, sizeof s), 5);
    assert_string_equal(s, "stant");
    assert_int_equal(allow_ro_read(&grant_a, pid, 2, 0, s, sizeof s), 0); // beyond n_ro
    assert_int_equal(allow_ro_len(&grant_b, pid, 0), 0);                  // grant declares 0
}

// ---- AddressSanitizer fences --------------------------------------------------------

static uint32_t *escaped;

static void escape_cb(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    (void)ctx;
    escaped = state;
    escaped[1] = 0x1234; // fine: inside the callback
}

static void write_escaped(void *arg)
{
    (void)arg;
    *(volatile uint32_t *)&escaped[1] = 0xBAD;
}

struct enter_and_write {
    procid_t pid;
};

static void write_inside_cb(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    (void)ctx;
    ((volatile uint32_t *)state)[1] = 0x600D;
}

static void enter_and_write(void *arg)
{
    struct enter_and_write *e = arg;
    if (grant_enter(&grant_a, e->pid, write_inside_cb, NULL) != OK)
        _exit(3); // no cmocka assert in a child: it would longjmp into the parent's runner
}

// A capsule that keeps the state pointer past its grant_enter callback and writes through
// it later is stopped by AddressSanitizer (use-after-poison); the same write inside a
// callback is fine.
static void escaped_grant_state_write_is_caught_by_asan(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    assert_int_equal(grant_enter(&grant_a, p->id, escape_cb, NULL), OK);
    assert_non_null(escaped);

    struct host_child c;
    host_run_child(write_escaped, NULL, &c);
    host_expect_asan_death(&c, "use-after-poison");

    struct enter_and_write e = {p->id};
    host_run_child(enter_and_write, &e, &c);
    host_expect_clean_child(&c);
}

static volatile uint8_t *raw_buffer;

static void touch_raw_buffer(void *arg)
{
    (void)arg;
    raw_buffer[5] = 0xBA;
}

static void read_raw_buffer(void *arg)
{
    (void)arg;
    volatile uint8_t x = raw_buffer[0];
    (void)x;
}

// An allowed buffer touched by a capsule through a raw pointer, instead of through the
// allow accessors, is stopped by AddressSanitizer (reads and writes, RW and RO allows);
// once the process revokes it, the memory is ordinary process memory again.
static void raw_access_to_allowed_buffer_is_caught_by_asan(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    assert_int_equal(process_set_brk(p, p->mem_start + 512), OK);
    uint32_t rw = p->mem_start + 64, ro = p->mem_start + 256;
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_A, 0, rw, 32);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_2U32);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_A, 1, ro, 32);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_2U32);
    // The accessors still work (and leave the buffers fenced afterwards).
    uint8_t b[4] = {9, 9, 9, 9};
    assert_int_equal(allow_rw_write(&grant_a, p->id, 0, 0, b, 4), 4);
    assert_int_equal(allow_ro_read(&grant_a, p->id, 1, 0, b, 4), 4);

    struct host_child c;
    raw_buffer = host_ptr(rw);
    host_run_child(touch_raw_buffer, NULL, &c);
    host_expect_asan_death(&c, "use-after-poison");
    raw_buffer = host_ptr(ro);
    host_run_child(read_raw_buffer, NULL, &c);
    host_expect_asan_death(&c, "use-after-poison");

    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_A, 0, 0, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, rw, 32, 0);
    raw_buffer = host_ptr(rw);
    host_run_child(touch_raw_buffer, NULL, &c);
    host_expect_clean_child(&c);
}

// ---- grant_enter_upcall: the event sources' one-entry expiry path ----------------------

// What an expiry callback saw and decides: queue (with args) or not, kill the process.
struct expiry {
    unsigned calls;
    bool queue;
    bool kill; // terminate the process from inside the callback
    struct process *p;
};

static bool expiry_cb(procid_t pid, void *state, void *ctx, uint32_t args[3])
{
    (void)pid;
    struct expiry *e = ctx;
    e->calls++;
    ((uint32_t *)state)[0]++;
    args[0] = 0x11, args[1] = 0x22, args[2] = 0x33;
    if (e->kill)
        process_terminate(e->p, 0);
    return e->queue;
}

static bool never_expiry_cb(procid_t pid, void *state, void *ctx, uint32_t args[3])
{
    (void)pid, (void)state, (void)ctx, (void)args;
    fail_msg("expiry callback ran for a process that should have been refused");
    return false;
}

// A process that subscribed gets the event queued with the callback's arguments, once;
// a callback that declines queues nothing; an out-of-range subscribe number is dropped.
static void enter_upcall_queues_only_what_the_callback_asks(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_A, 1, p->app_start | 1u, 0x99);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_2U32);
    struct expiry e = {.queue = false, .p = p};
    assert_int_equal(grant_enter_upcall(&grant_a, p->id, 1, expiry_cb, &e), OK);
    assert_int_equal(e.calls, 1);
    assert_int_equal(p->q_len, 0);
    e.queue = true;
    assert_int_equal(grant_enter_upcall(&grant_a, p->id, 1, expiry_cb, &e), OK);
    assert_int_equal(p->q_len, 1);
    struct upcall_rec *r = &p->q[p->q_head];
    assert_int_equal(r->a[0], 0x11);
    assert_int_equal(r->a[1], 0x22);
    assert_int_equal(r->a[2], 0x33);
    assert_int_equal(r->origin, TASK_ORIGIN(DRV_A, 1));
    // Subscribe number 2 is past grant_a's two upcalls: the callback runs, nothing queues.
    assert_int_equal(grant_enter_upcall(&grant_a, p->id, 2, expiry_cb, &e), OK);
    assert_int_equal(e.calls, 3);
    assert_int_equal(p->q_len, 1);
}

// A grant block the process never used itself (a capsule allocated it on another's
// behalf): the callback runs and may change state, but the process's queue gets nothing.
static void enter_upcall_on_an_unused_grant_queues_nothing(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    struct visit v = {.size = sizeof(struct a_state)};
    assert_int_equal(grant_enter(&grant_a, p->id, visit_cb, &v), OK); // not the caller
    struct expiry e = {.queue = true, .p = p};
    assert_int_equal(grant_enter_upcall(&grant_a, p->id, 0, expiry_cb, &e), OK);
    assert_int_equal(e.calls, 1);
    assert_int_equal(p->q_len, 0);
    assert_int_equal(p->dropped_upcalls, 0);
    // Once it subscribes itself, the same event is queued.
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_A, 0, p->app_start | 1u, 0);
    assert_int_equal(grant_enter_upcall(&grant_a, p->id, 0, expiry_cb, &e), OK);
    assert_int_equal(p->q_len, 1);
}

// No process, or no block of this grant: NODEVICE / NOSUPPORT, the callback never runs
// and nothing is allocated.
static void enter_upcall_refuses_without_running_the_callback(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    uint32_t kbrk = p->kernel_brk;
    assert_int_equal(grant_enter_upcall(&grant_a, p->id, 0, never_expiry_cb, NULL), NOSUPPORT);
    assert_int_equal(p->kernel_brk, kbrk);
    procid_t old = p->id;
    process_restart(p);
    assert_int_equal(grant_enter_upcall(&grant_a, old, 0, never_expiry_cb, NULL), NODEVICE);
}

// A callback that ends its own process: OK, nothing is queued anywhere, and the slot's
// next incarnation starts with an empty queue and no grant of its own.
static void enter_upcall_callback_that_kills_its_process(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_A, 0, p->app_start | 1u, 0);
    procid_t old = p->id;
    struct expiry e = {.queue = true, .kill = true, .p = p};
    assert_int_equal(grant_enter_upcall(&grant_a, old, 0, expiry_cb, &e), OK);
    assert_int_equal(e.calls, 1);
    assert_false(process_alive(old));
    assert_int_equal(p->q_len, 0);
    assert_int_equal(grant_enter_upcall(&grant_a, old, 0, never_expiry_cb, NULL), NODEVICE);
}

// One grant per driver: registering a second one for a driver panics; a new driver does
// not (run in children: a panic ends the process).
static void register_in_child(void *arg)
{
    static struct grant g;
    g = (struct grant)GRANT_INIT(0, struct a_state, 1, 0, 0);
    g.driver_num = *(const uint32_t *)arg;
    grant_register(&g);
}

static void register_duplicate_driver_panics(void **state)
{
    (void)state;
    static const uint32_t dup = DRV_B, fresh = 0x90003u;
    struct host_child c;
    host_run_child(register_in_child, (void *)&dup, &c);
    assert_true(WIFEXITED(c.status));
    assert_int_equal(WEXITSTATUS(c.status), CAIRN_PANIC_EXIT_CODE);
    host_run_child(register_in_child, (void *)&fresh, &c);
    host_expect_clean_child(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(first_enter_allocates_zeroed_state_second_reuses_it, test_setup),
        cmocka_unit_test_setup(enter_existing_does_not_allocate, test_setup),
        cmocka_unit_test_setup(full_grant_area_is_nomem_for_that_process_only, test_setup),
        cmocka_unit_test_setup(grant_each_visits_exactly_the_allocating_processes, test_setup),
        cmocka_unit_test_setup(stale_pid_after_restart_is_refused, test_setup),
        cmocka_unit_test_setup(restart_1000_times_returns_breaks_to_initial_values, test_setup),
        cmocka_unit_test_setup(allow_accessors_clamp_to_length_and_offset, test_setup),
        cmocka_unit_test_setup(escaped_grant_state_write_is_caught_by_asan, test_setup),
        cmocka_unit_test_setup(raw_access_to_allowed_buffer_is_caught_by_asan, test_setup),
        cmocka_unit_test_setup(enter_upcall_queues_only_what_the_callback_asks, test_setup),
        cmocka_unit_test_setup(enter_upcall_on_an_unused_grant_queues_nothing, test_setup),
        cmocka_unit_test_setup(enter_upcall_refuses_without_running_the_callback, test_setup),
        cmocka_unit_test_setup(enter_upcall_callback_that_kills_its_process, test_setup),
        cmocka_unit_test_setup(register_duplicate_driver_panics, test_setup),
    };
    return cmocka_run_group_tests(tests, group_setup, host_arena_unmap);
}
