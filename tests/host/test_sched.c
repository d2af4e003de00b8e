// SPDX-License-Identifier: Apache-2.0
// Host tests of the scheduler's choice: round robin over the ready set of a 256-slot table, across
// words, wrapping, and nothing run that is not ready.
//
// The switches made in the SysTick handler (kernel_switch_preempted, one pass over the
// ready set's word with at most 32 slots, the general rule above that) and the loop's
// choice of a process ready alone pick exactly as a model of the round robin does, in a
// 32-slot table and in a 256-slot one.
//
// The processes sit in slots of different words of the ready set (5, 37, 70, 255) so
// every way the choice moves between words is taken: on to a later word, wrapping to an
// earlier one, and back to the lower bits of the word it started in. The real main loop
// (kernel_loop_once) runs them; host_switch_hook records which one it entered and makes
// it either run to the end of its slice (still ready) or block in yield-wait.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host_proc.h"
#include <cairn/abi.h>

#define SLOTS 256u
static struct process *table[SLOTS];
static const unsigned slots_256[4] = {5, 37, 70, 255};
static const unsigned slots_32[4] = {0, 3, 17, 31};
static const unsigned *slot_of = slots_256;
static unsigned n_slots = SLOTS;
static struct process *procs[4];

static const struct kernel_config config = {
    .fault_policy = FAULT_POLICY_STOP,
    .timeslice_us = 10000,
};

// What the process entered next does: block (yield-wait) or use up its slice.
static bool block_next;
static unsigned ran[16], n_ran;

static enum switch_reason runs(struct arch_ctx *ctx)
{
    struct process *p = (struct process *)ctx; // ctx is the first member
    assert_true(n_ran < sizeof ran / sizeof ran[0]);
    ran[n_ran++] = p->index;
    if (!block_next)
        return SWITCH_TIMESLICE;
    ctx->svc_num = SYSCALL_CLASS_YIELD;
    ctx->regs[0] = YIELD_WAIT;
    return SWITCH_SYSCALL;
}

static int setup(void **state)
{
    (void)state;
    host_reset(&config);
    process_table_init(table, n_slots); // host_reset's 8-slot table replaced
    host_switch_hook = runs;
    block_next = false;
    n_ran = 0;
    for (unsigned k = 0; k < 4; k++) {
        uint32_t flash = host_flash_start(k), app = flash + HOST_TBF_HEADER;
        procs[k] = process_create(slot_of[k], flash, HOST_FLASH_SLOT, app, app | 1u, "app", 3,
                                  host_mem_start(k), HOST_RAM_DEFAULT);
        assert_non_null(procs[k]);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    host_switch_hook = NULL;
    slot_of = slots_256;
    n_slots = SLOTS;
    return 0;
}

// The same with a 32-slot table: every slot in the ready set's first word.
static int setup_32(void **state)
{
    slot_of = slots_32;
    n_slots = 32;
    return setup(state);
}

// The summary word has a bit exactly for every word of the ready set that is not zero.
static void expect_summary_exact(void)
{
    for (unsigned w = 0; w < SCHED_WORDS; w++)
        assert_int_equal((sched_ready_words >> w) & 1u, sched_ready_set[w] != 0);
}

// Run the main loop n times; the slots entered, in order, must be want[0..n).
static void expect_runs(const unsigned *want, unsigned n)
{
    n_ran = 0;
    for (unsigned i = 0; i < n; i++) {
        assert_true(kernel_loop_once());
        expect_summary_exact();
    }
    assert_int_equal(n_ran, n);
    for (unsigned i = 0; i < n; i++)
        assert_int_equal(ran[i], want[i]);
}

// Wake a blocked process as a queued upcall would (the entry-call record is callable).
static void wake(unsigned k)
{
    struct upcall_rec r = {.origin = TASK_ORIGIN_KERNEL};
    assert_int_equal(procs[k]->state, PROC_YIELDED);
    assert_true(process_queue_push(procs[k], &r));
}

// Processes that stay ready take turns in slot order, across words and around the end.
static void ready_processes_take_turns_across_words(void **state)
{
    (void)state;
    const unsigned want[] = {5, 37, 70, 255, 5, 37, 70, 255, 5};
    expect_runs(want, 9);
}

// A process woken in a later word while the turn is at an earlier one runs next, then one
// in an earlier word (the choice wraps); blocked processes never run.
static void woken_processes_run_in_turn_order(void **state)
{
    (void)state;
    block_next = true;
    const unsigned all[] = {5, 37, 70, 255};
    expect_runs(all, 4);
    assert_false(kernel_loop_once()); // every process blocked: nothing to run
    wake(1);
    const unsigned w37[] = {37};
    expect_runs(w37, 1); // the turn is now at slot 38
    wake(0);
    wake(3);
    const unsigned later_then_wrap[] = {255, 5};
    expect_runs(later_then_wrap, 2);
    assert_false(kernel_loop_once());
}

// A process below the turn in the turn's own word is found by wrapping around to it.
static void woken_process_below_the_turn_in_its_word_runs(void **state)
{
    (void)state;
    block_next = true;
    const unsigned all[] = {5, 37, 70, 255};
    expect_runs(all, 4);
    wake(2);
    const unsigned w70[] = {70};
    expect_runs(w70, 1);
    // The turn is at slot 71: 70 lies below it in the same word, 37 in an earlier word.
    wake(2);
    wake(1);
    const unsigned wrap[] = {37, 70};
    expect_runs(wrap, 2);
    assert_false(kernel_loop_once());
}

// ---- Switches made in the SysTick handler ------------------------------------------------
// The round robin rule, modelled on its own: model_ready[s] for a ready slot s, model_turn
// the slot considered first. Every choice the kernel makes, in its loop or in the handler,
// must be the model's.
static bool model_ready[SLOTS];
static unsigned model_turn;

static unsigned model_pick(void)
{
    for (unsigned k = 0; k < n_slots; k++) {
        unsigned s = (model_turn + k) % n_slots;
        if (model_ready[s]) {
            model_ready[s] = false;
            model_turn = (s + 1) % n_slots;
            return s;
        }
    }
    fail_msg("the model has nothing ready");
    return 0;
}

// What the process the loop enters next does: block in yield-wait if its slot is
// block_slot, else run while `switches` slices end in the handler (each switching to the
// next process in it, the process procs[wake_k] woken before switch number wake_at), then
// have the last one's slice end in the kernel thread.
static unsigned block_slot = ~0u, switches, wake_at = ~0u, wake_k;
static bool block_all; // every process entered blocks

static enum switch_reason modelled(struct arch_ctx *ctx)
{
    struct process *cur = (struct process *)ctx; // ctx is the first member
    assert_int_equal(cur->index, model_pick());
    if (block_all || cur->index == block_slot) {
        ctx->svc_num = SYSCALL_CLASS_YIELD;
        ctx->regs[0] = YIELD_WAIT;
        return SWITCH_SYSCALL;
    }
    for (unsigned n = 0; n < switches; n++) {
        if (n == wake_at) {
            wake(wake_k);
            model_ready[procs[wake_k]->index] = true;
        }
        model_ready[cur->index] = true; // preempted: back in the ready set
        unsigned want = model_pick();
        struct arch_ctx *next = kernel_switch_preempted(&cur->ctx);
        assert_non_null(next);
        cur = (struct process *)next;
        assert_int_equal(cur->index, want);
        assert_int_equal(cur->state, PROC_RUNNING);
        expect_summary_exact();
    }
    model_ready[cur->index] = true; // the loop concludes the last one's run: ready again
    return SWITCH_TIMESLICE;
}

// One pass of the loop under the model.
static void loop_modelled(void)
{
    assert_true(kernel_loop_once());
    expect_summary_exact();
}

// Runs of spinners, one of which blocks and is woken while the others switch in the
// handler, then processes woken one at a time: every choice, the handler's and the
// loop's, follows the round robin, wrap-arounds included.
static void choices_follow_the_round_robin_model(void **state)
{
    (void)state;
    host_switch_hook = modelled;
    for (unsigned s = 0; s < SLOTS; s++)
        model_ready[s] = false;
    for (unsigned k = 0; k < 4; k++)
        model_ready[slot_of[k]] = true; // created: ready
    model_turn = 0;
    switches = 0;
    wake_at = ~0u;
    block_slot = ~0u;
    block_all = false;
    for (unsigned k = 0; k < 4; k++)
        loop_modelled(); // each enters its entry call and uses up a slice
    switches = 9;
    loop_modelled(); // three rounds of four in the handler
    block_slot = slot_of[3];
    switches = 0;
    for (unsigned k = 0; k < 4; k++)
        loop_modelled(); // the last slot blocks (the others' turn ends below it: wrap)
    block_slot = ~0u;
    switches = 10;
    wake_at = 4;
    wake_k = 3;
    loop_modelled(); // woken during the handler's switches: it gets its turn in them
    wake_at = ~0u;
    switches = 7;
    loop_modelled();
    assert_int_equal(procs[3]->state, PROC_RUNNING);
    // The loop's own choice of a process woken alone moves the turn on as well.
    switches = 0;
    block_all = true;
    for (unsigned k = 0; k < 4; k++)
        loop_modelled();
    assert_false(kernel_loop_once());
    for (unsigned k = 1; k < 4; k++) {
        wake(k);
        model_ready[slot_of[k]] = true;
        loop_modelled(); // the only one ready
    }
    wake(0);
    wake(2);
    model_ready[slot_of[0]] = model_ready[slot_of[2]] = true;
    loop_modelled();
    loop_modelled();
    block_all = false;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(ready_processes_take_turns_across_words, setup, teardown),
        cmocka_unit_test_setup_teardown(woken_processes_run_in_turn_order, setup, teardown),
        cmocka_unit_test_setup_teardown(woken_process_below_the_turn_in_its_word_runs, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(choices_follow_the_round_robin_model, setup, teardown),
        cmocka_unit_test_setup_teardown(choices_follow_the_round_robin_model, setup_32, teardown),
    };
    return cmocka_run_group_tests(tests, host_arena_map, host_arena_unmap);
}
