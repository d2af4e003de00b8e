// SPDX-License-Identifier: Apache-2.0
// Host tests of the upcall queue: whose queue an event may enter, what a full one keeps.
//
// The policy (doc/kernel.md, "Queue policy"): a full queue makes room by dropping the
// oldest task of the origin holding the most tasks (the new one counted with its own
// origin, which pays first on a tie); only when every origin has a single task is the new
// one dropped, unless the process is blocked in yield-wait-for on exactly that origin.
// The entry call is never dropped. Every loss is counted in dropped_upcalls.
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host_proc.h"
#include <cairn/grant.h>
#include <cairn/procinfo.h>

#define DRV_Q 0x90020u // fake capsule with more upcall slots than the queue holds
#define N_SUB 12u

struct q_state {
    uint32_t unused;
};

static struct grant grant_q = GRANT_INIT(DRV_Q, struct q_state, N_SUB, 1, 0);
#define DRV_ONE 0x90021u // fake capsule with a single upcall slot, like the alarm
static struct grant grant_one = GRANT_INIT(DRV_ONE, struct q_state, 1, 0, 0);

static void touch(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    (void)state;
    (void)ctx;
}

// Command 1 keeps state for the caller (as the alarm does for its alarm); command 2 enters
// the grant of the process in slot a0 instead (a capsule acting for someone else); any
// other command touches no grant.
static struct cmd_result cmd_q(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t a0,
                               uint32_t a1)
{
    (void)d;
    (void)a1;
    int err = OK;
    if (cmd == 1)
        err = grant_enter(&grant_q, pid, touch, NULL);
    else if (cmd == 2)
        err = grant_enter(&grant_q, process_table[a0]->id, touch, NULL);
    return err ? cmd_failure(err) : cmd_success();
}

static const struct driver drivers[] = {{DRV_Q, cmd_q, NULL}, {DRV_ONE, cmd_q, NULL}};

static const struct kernel_config config = {
    .drivers = drivers,
    .n_drivers = 2,
    .fault_policy = FAULT_POLICY_STOP,
};

static int group_setup(void **state)
{
    grant_register(&grant_q);
    grant_register(&grant_one);
    return host_arena_map(state);
}

static int test_setup(void **state)
{
    (void)state;
    host_reset(&config);
    return 0;
}

// A process that subscribed a function to every slot of DRV_Q (so all its events are
// callable upcalls for subscriptions it made).
static struct process *subscribed_proc(unsigned index)
{
    struct process *p = host_proc_new(index, HOST_RAM_DEFAULT);
    for (uint32_t s = 0; s < N_SUB; s++) {
        host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_Q, s, p->app_start + 0x11 + 2 * s, s);
        assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_2U32);
    }
    return p;
}

static int schedule(struct process *p, uint32_t sub, uint32_t tag)
{
    return upcall_schedule(p->id, DRV_Q, sub, tag, 0, 0);
}

// The queue holds exactly these (subscribe, tag) pairs, oldest first.
struct qe {
    uint32_t sub, tag;
};

static void expect_queue(const struct process *p, const struct qe *want, unsigned n)
{
    assert_int_equal(p->q_len, n);
    for (unsigned i = 0; i < n; i++) {
        struct upcall_task task;
        process_queue_peek(p, i, &task);
        const struct upcall_task *t = &task;
        if (t->origin != TASK_ORIGIN(DRV_Q, want[i].sub) || t->a[0] != want[i].tag)
            print_error("queue[%u]: origin 0x%x tag %u, want sub %u tag %u\n", i,
                        (unsigned)t->origin, (unsigned)t->a[0], (unsigned)want[i].sub,
                        (unsigned)want[i].tag);
        assert_int_equal(t->origin, TASK_ORIGIN(DRV_Q, want[i].sub));
        assert_int_equal(t->a[0], want[i].tag);
    }
}

// A full queue of one repeating source: each new event of that source drops the oldest,
// so the queue always holds its latest UPCALL_QUEUE_LEN events, and every drop is counted.
static void repeating_source_keeps_its_latest_events(void **state)
{
    (void)state;
    struct process *p = subscribed_proc(0);
    for (uint32_t i = 0; i < 100; i++)
        assert_int_equal(schedule(p, 0, i), OK);
    assert_int_equal(p->dropped_upcalls, 100 - UPCALL_QUEUE_LEN);
    struct qe want[UPCALL_QUEUE_LEN];
    for (unsigned i = 0; i < UPCALL_QUEUE_LEN; i++)
        want[i] = (struct qe){0, 100 - UPCALL_QUEUE_LEN + i};
    expect_queue(p, want, UPCALL_QUEUE_LEN);
}

// A new origin arriving at a full queue gets in: the origin holding the most tasks loses
// its oldest; the single tasks of other origins stay.
static void new_origin_evicts_from_the_fullest_origin(void **state)
{
    (void)state;
    struct process *p = subscribed_proc(0);
    // B, A, A, C, A, A, A, A: A holds 6.
    static const struct qe fill[] = {{1, 0}, {0, 1}, {0, 2}, {2, 3},
                                     {0, 4}, {0, 5}, {0, 6}, {0, 7}};
    for (unsigned i = 0; i < UPCALL_QUEUE_LEN; i++)
        assert_int_equal(schedule(p, fill[i].sub, fill[i].tag), OK);
    assert_int_equal(schedule(p, 3, 8), OK);
    static const struct qe want[] = {{1, 0}, {0, 2}, {2, 3}, {0, 4},
                                     {0, 5}, {0, 6}, {0, 7}, {3, 8}};
    expect_queue(p, want, UPCALL_QUEUE_LEN);
    assert_int_equal(p->dropped_upcalls, 1);
    // A second event of the origin with one task still takes from the fullest (A: 5).
    assert_int_equal(schedule(p, 3, 9), OK);
    static const struct qe want2[] = {{1, 0}, {2, 3}, {0, 4}, {0, 5},
                                      {0, 6}, {0, 7}, {3, 8}, {3, 9}};
    expect_queue(p, want2, UPCALL_QUEUE_LEN);
    assert_int_equal(p->dropped_upcalls, 2);
}

// Ties: the new task's own origin pays when it is among the fullest; otherwise, among
// equally full origins, the one whose oldest task is oldest.
static void ties_take_own_origin_then_the_longest_waiting(void **state)
{
    (void)state;
    struct process *p = subscribed_proc(0);
    // A A A A B B B B, then B: B (5 with the new one) is the fullest.
    for (uint32_t i = 0; i < 4; i++)
        assert_int_equal(schedule(p, 0, i), OK);
    for (uint32_t i = 4; i < 8; i++)
        assert_int_equal(schedule(p, 1, i), OK);
    assert_int_equal(schedule(p, 1, 8), OK);
    static const struct qe want[] = {{0, 0}, {0, 1}, {0, 2}, {0, 3},
                                     {1, 5}, {1, 6}, {1, 7}, {1, 8}};
    expect_queue(p, want, UPCALL_QUEUE_LEN);
    // Then C: A and B both hold 4, A's oldest task is the older: A pays.
    assert_int_equal(schedule(p, 2, 9), OK);
    static const struct qe want2[] = {{0, 1}, {0, 2}, {0, 3}, {1, 5},
                                      {1, 6}, {1, 7}, {1, 8}, {2, 9}};
    expect_queue(p, want2, UPCALL_QUEUE_LEN);
    // Then A again: A holds 3 (+1 = 4), B holds 4: a tie with its own origin, A pays.
    assert_int_equal(schedule(p, 0, 10), OK);
    static const struct qe want3[] = {{0, 2}, {0, 3}, {1, 5}, {1, 6},
                                      {1, 7}, {1, 8}, {2, 9}, {0, 10}};
    expect_queue(p, want3, UPCALL_QUEUE_LEN);
    // Then C: C holds 1 (+1 = 2), B holds 4 and pays, not C.
    assert_int_equal(schedule(p, 2, 11), OK);
    static const struct qe want4[] = {{0, 2}, {0, 3}, {1, 6},  {1, 7},
                                      {1, 8}, {2, 9}, {0, 10}, {2, 11}};
    expect_queue(p, want4, UPCALL_QUEUE_LEN);
    assert_int_equal(p->dropped_upcalls, 4);
}

// Every queued task of its own origin and the new one too: the new one is dropped
// (NOMEM, counted) and the queue is unchanged. Then the process blocks in yield-wait-for
// on that very origin: the event must get in (the oldest task goes) and wake it with its
// arguments.
static void all_distinct_drops_new_unless_awaited(void **state)
{
    (void)state;
    struct process *p = subscribed_proc(0);
    struct qe want[UPCALL_QUEUE_LEN];
    for (uint32_t s = 0; s < UPCALL_QUEUE_LEN; s++) {
        assert_int_equal(schedule(p, s, 100 + s), OK);
        want[s] = (struct qe){s, 100 + s};
    }
    assert_int_equal(schedule(p, 9, 7), NOMEM);
    assert_int_equal(p->dropped_upcalls, 1);
    expect_queue(p, want, UPCALL_QUEUE_LEN);

    host_syscall(p, SYSCALL_CLASS_YIELD, YIELD_WAIT_FOR, DRV_Q, 9, 0);
    assert_int_equal(p->state, PROC_YIELDED_FOR);
    assert_int_equal(schedule(p, 10, 8), NOMEM); // not the awaited one: dropped
    assert_false(process_runnable(p));
    assert_int_equal(upcall_schedule(p->id, DRV_Q, 9, 0xA, 0xB, 0xC), OK);
    assert_int_equal(p->dropped_upcalls, 3);
    assert_true(process_runnable(p));
    assert_true(syscall_resume_yielded(p));
    host_expect_regs(p, 0xA, 0xB, 0xC, 0);
    // The oldest task made the room; the others kept their order.
    expect_queue(p, want + 1, UPCALL_QUEUE_LEN - 1);
}

// The hang of the stock demo: a process blocked in yield-wait-for on one origin while
// another origin floods its queue. However long the flood, the awaited event gets in and
// wakes the process; also when the process is stopped while it waits.
static void awaited_event_survives_a_flood(void **state)
{
    (void)state;
    for (int stopped = 0; stopped < 2; stopped++) {
        host_reset(&config);
        struct process *p = subscribed_proc(0);
        host_syscall(p, SYSCALL_CLASS_YIELD, YIELD_WAIT_FOR, DRV_Q, 1, 0);
        assert_int_equal(p->state, PROC_YIELDED_FOR);
        if (stopped)
            assert_int_equal(process_control(p->index, PROCESS_ACTION_STOP), OK);
        for (uint32_t i = 0; i < 50; i++)
            assert_int_equal(schedule(p, 0, i), OK);
        assert_int_equal(upcall_schedule(p->id, DRV_Q, 1, 0x51, 0x52, 0x53), OK);
        for (uint32_t i = 50; i < 100; i++)
            assert_int_equal(schedule(p, 0, i), OK);
        assert_int_equal(p->dropped_upcalls, 101 - UPCALL_QUEUE_LEN);
        if (stopped) {
            assert_false(process_runnable(p));
            assert_int_equal(process_control(p->index, PROCESS_ACTION_RESUME), OK);
        }
        assert_true(process_runnable(p));
        assert_true(syscall_resume_yielded(p));
        host_expect_regs(p, 0x51, 0x52, 0x53, 0);
        // The flood kept its latest events.
        struct qe want[UPCALL_QUEUE_LEN - 1];
        for (unsigned i = 0; i < UPCALL_QUEUE_LEN - 1; i++)
            want[i] = (struct qe){0, 100 - (UPCALL_QUEUE_LEN - 1) + i};
        expect_queue(p, want, UPCALL_QUEUE_LEN - 1);
    }
}

// libtock-c's synchronous calls: command, then yield-wait-for. The awaited event may be
// queued before the process waits for it (here a null record: the slot is not
// subscribed); a flood of another origin in between must not push it out.
static void event_queued_before_the_wait_survives_a_flood(void **state)
{
    (void)state;
    struct process *p = subscribed_proc(0);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_Q, 5, 0, 0); // null upcall
    assert_int_equal(upcall_schedule(p->id, DRV_Q, 5, 0x61, 0x62, 0x63), OK);
    for (uint32_t i = 0; i < 100; i++) {
        assert_int_equal(schedule(p, 0, i), OK);
        assert_int_equal(schedule(p, 2, 1000 + i), OK);
    }
    assert_true(process_queue_has_origin(p, TASK_ORIGIN(DRV_Q, 5)));
    host_syscall(p, SYSCALL_CLASS_YIELD, YIELD_WAIT_FOR, DRV_Q, 5, 0);
    assert_int_equal(p->state, PROC_RUNNING);
    host_expect_regs(p, 0x61, 0x62, 0x63, 0);
}

// The entry call of a new incarnation is never dropped, whatever arrives before the
// process first runs. Its grants are gone with the old incarnation, so the queue is filled
// through the queue operation itself: floods of three origins, then more distinct origins
// than the queue holds.
static void entry_call_is_never_dropped(void **state)
{
    (void)state;
    struct process *p = subscribed_proc(0);
    process_restart(p);
    assert_int_equal(p->q_len, 1);
    // A new incarnation has no grants, so its queue is the small one in its control block.
    assert_int_equal(p->q_cap, UPCALL_QUEUE_SMALL);
    for (uint32_t i = 0; i < 40; i++) {
        struct upcall_rec t = {.a = {i}, .origin = TASK_ORIGIN(DRV_Q, i % 3)};
        process_queue_push(p, &t);
    }
    for (uint32_t s = 3; s < N_SUB; s++) {
        struct upcall_rec t = {.a = {s}, .origin = TASK_ORIGIN(DRV_Q, s)};
        process_queue_push(p, &t);
    }
    assert_int_equal(p->q_len, p->q_cap);
    struct upcall_task head;
    process_queue_peek(p, 0, &head);
    assert_int_equal(head.origin, TASK_ORIGIN_KERNEL);
    assert_int_equal(head.fn, p->entry);
}

// ---- whose queue an event may enter ---------------------------------------------------

// Only a process that used the driver itself gets its events: its subscribe (null upcall
// included), its allow, or its own command served from its grant. A process that never
// touched the driver, or whose grant a capsule allocated while serving another process's
// command (or outside any command), gets NOSUPPORT and nothing queued or counted; so does
// a restarted process until it uses the driver again.
static void events_only_for_processes_that_used_the_driver(void **state)
{
    (void)state;
    struct process *p[5];
    for (unsigned i = 0; i < 5; i++)
        p[i] = host_proc_new(i, HOST_RAM_DEFAULT);

    // p0 never touched DRV_Q; a capsule entering its grant from p1's command, and from
    // no command at all, does not make it a user.
    assert_int_equal(schedule(p[0], 0, 1), NOSUPPORT);
    host_syscall(p[1], SYSCALL_CLASS_COMMAND, DRV_Q, 2, 0, 0);
    assert_int_equal(p[1]->ctx.regs[0], SYSCALL_SUCCESS);
    assert_int_equal(grant_enter(&grant_q, p[0]->id, touch, NULL), OK);
    assert_true(p[0]->kernel_brk < host_addr(p[0])); // the block exists
    for (uint32_t i = 0; i < 20; i++)
        assert_int_equal(schedule(p[0], i % N_SUB, i), NOSUPPORT);
    assert_int_equal(p[0]->q_len, 0);
    assert_int_equal(p[0]->dropped_upcalls, 0);
    // p1's command that only served p0 did not make p1 a user either.
    assert_int_equal(schedule(p[1], 0, 1), NOSUPPORT);

    // p1: its own command keeping state (command, then yield-wait-for without subscribe).
    host_syscall(p[1], SYSCALL_CLASS_COMMAND, DRV_Q, 1, 0, 0);
    assert_int_equal(p[1]->ctx.regs[0], SYSCALL_SUCCESS);
    assert_int_equal(upcall_schedule(p[1]->id, DRV_Q, 3, 7, 8, 9), OK);
    host_syscall(p[1], SYSCALL_CLASS_YIELD, YIELD_WAIT_FOR, DRV_Q, 3, 0);
    host_expect_regs(p[1], 7, 8, 9, 0);
    // A command that keeps no state is not a use.
    host_syscall(p[2], SYSCALL_CLASS_COMMAND, DRV_Q, 0, 0, 0);
    assert_int_equal(schedule(p[2], 0, 1), NOSUPPORT);
    // p2: a subscribe of the null upcall; p3: an allow (even an empty one).
    host_syscall(p[2], SYSCALL_CLASS_SUBSCRIBE, DRV_Q, 4, 0, 0);
    assert_int_equal(p[2]->ctx.regs[0], SYSCALL_SUCCESS_2U32);
    assert_int_equal(schedule(p[2], 4, 1), OK);
    struct upcall_task head;
    process_queue_peek(p[2], 0, &head);
    assert_int_equal(head.fn, 0); // a null record
    host_syscall(p[3], SYSCALL_CLASS_ALLOW_RO, DRV_Q, 0, 0, 0);
    assert_int_equal(p[3]->ctx.regs[0], SYSCALL_SUCCESS_2U32);
    assert_int_equal(schedule(p[3], 0, 1), OK);

    // A new incarnation starts as a non-user.
    process_restart(p[2]);
    assert_true(syscall_resume_yielded(p[2]));
    assert_int_equal(schedule(p[2], 4, 2), NOSUPPORT);
    assert_int_equal(p[2]->q_len, 0);
    // p4 subscribed with a function: callable upcalls, as always.
    host_syscall(p[4], SYSCALL_CLASS_SUBSCRIBE, DRV_Q, 0, p[4]->app_start | 1u, 0x44);
    assert_int_equal(schedule(p[4], 0, 1), OK);
    process_queue_peek(p[4], 0, &head);
    assert_int_equal(head.fn, p[4]->app_start | 1u);
}

// The queue is sized by what the process's grants declare: a process whose drivers have
// at most UPCALL_QUEUE_SMALL upcall slots in all keeps the small queue in its control
// block (a repeating source keeps its latest events there); the grant allocation that
// takes the total past it also takes the full queue, and the pending tasks move to it in
// order.
static void queue_grows_with_the_upcall_slots_of_the_grants(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    assert_int_equal(p->q_cap, UPCALL_QUEUE_SMALL);
    uint32_t kbrk = p->kernel_brk;
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_ONE, 0, p->app_start | 1u, 0);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_2U32);
    assert_int_equal(p->kernel_brk, kbrk - grant_alloc_size(&grant_one));
    assert_int_equal(p->q_cap, UPCALL_QUEUE_SMALL);
    for (uint32_t i = 0; i < 10; i++)
        assert_int_equal(upcall_schedule(p->id, DRV_ONE, 0, i, 0, 0), OK);
    assert_int_equal(p->q_len, UPCALL_QUEUE_SMALL);
    assert_int_equal(p->dropped_upcalls, 10 - UPCALL_QUEUE_SMALL);
    struct upcall_task t;
    for (unsigned i = 0; i < UPCALL_QUEUE_SMALL; i++) {
        process_queue_peek(p, i, &t);
        assert_int_equal(t.a[0], 10 - UPCALL_QUEUE_SMALL + i);
    }
    // A driver with more slots: its block carries the full queue, the tasks move along.
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_Q, 0, p->app_start | 1u, 0);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_2U32);
    assert_int_equal(p->kernel_brk, kbrk - grant_alloc_size(&grant_one) -
                                        grant_alloc_size(&grant_q) - UPCALL_RING_BYTES);
    assert_int_equal(p->q_cap, UPCALL_QUEUE_LEN);
    assert_true(host_addr(p->q) >= p->kernel_brk && host_addr(p->q) < host_addr(p));
    assert_int_equal(p->q_len, UPCALL_QUEUE_SMALL);
    for (unsigned i = 0; i < UPCALL_QUEUE_SMALL; i++) {
        process_queue_peek(p, i, &t);
        assert_int_equal(t.origin, TASK_ORIGIN(DRV_ONE, 0));
        assert_int_equal(t.a[0], 10 - UPCALL_QUEUE_SMALL + i);
    }
    for (uint32_t i = 0; i < UPCALL_QUEUE_LEN; i++)
        assert_int_equal(schedule(p, 1 + i % 3, 100 + i), OK);
    // Full now: the fullest origins paid, DRV_ONE's latest event is still there.
    assert_int_equal(p->q_len, UPCALL_QUEUE_LEN);
    assert_true(process_queue_has_origin(p, TASK_ORIGIN(DRV_ONE, 0)));
    // A restart goes back to the small queue in the control block.
    process_restart(p);
    assert_int_equal(p->q_cap, UPCALL_QUEUE_SMALL);
    assert_ptr_equal(p->q, p->q_small);
}

// Delivery calls the function subscribed now: the task keeps no copy of it, and a
// subscribe removes the slot's pending tasks, so an old function is never called.
static void delivery_reads_the_current_subscription(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    uint32_t f1 = p->app_start | 1u, f2 = p->app_start + 0x21;
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_ONE, 0, 0, 0); // null upcall
    assert_int_equal(upcall_schedule(p->id, DRV_ONE, 0, 1, 0, 0), OK);
    struct upcall_task t;
    process_queue_peek(p, 0, &t);
    assert_int_equal(t.fn, 0);
    assert_false(process_queue_has_callable(p));
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_ONE, 0, f1, 0x51);
    assert_int_equal(p->q_len, 0); // the null record went with the old subscription
    assert_int_equal(upcall_schedule(p->id, DRV_ONE, 0, 2, 0, 0), OK);
    process_queue_peek(p, 0, &t);
    assert_int_equal(t.fn, f1);
    assert_int_equal(t.appdata, 0x51);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_ONE, 0, f2, 0x52);
    assert_int_equal(p->q_len, 0);
    assert_int_equal(upcall_schedule(p->id, DRV_ONE, 0, 3, 0, 0), OK);
    host_syscall(p, SYSCALL_CLASS_YIELD, YIELD_WAIT, 0, 0, 0);
    assert_int_equal(p->state, PROC_RUNNING);
    assert_int_equal(p->ctx.pc, f2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(repeating_source_keeps_its_latest_events, test_setup),
        cmocka_unit_test_setup(queue_grows_with_the_upcall_slots_of_the_grants, test_setup),
        cmocka_unit_test_setup(delivery_reads_the_current_subscription, test_setup),
        cmocka_unit_test_setup(new_origin_evicts_from_the_fullest_origin, test_setup),
        cmocka_unit_test_setup(ties_take_own_origin_then_the_longest_waiting, test_setup),
        cmocka_unit_test_setup(all_distinct_drops_new_unless_awaited, test_setup),
        cmocka_unit_test_setup(awaited_event_survives_a_flood, test_setup),
        cmocka_unit_test_setup(event_queued_before_the_wait_survives_a_flood, test_setup),
        cmocka_unit_test_setup(entry_call_is_never_dropped, test_setup),
        cmocka_unit_test_setup(events_only_for_processes_that_used_the_driver, test_setup),
    };
    return cmocka_run_group_tests(tests, group_setup, host_arena_unmap);
}
