// SPDX-License-Identifier: Apache-2.0
// Host test helpers: processes in memory below 4 GB, simulated syscalls, forked death tests.
//
// The kernel keeps addresses as uint32_t, so every process block and the fake flash come
// from one arena below 4 GB (host_arena.h). Each process slot gets its own flash image and
// a RAM block with a margin of valid memory on both sides, so tests can aim at bytes just
// outside a process's memory without leaving the arena. Include after <cmocka.h>.
#ifndef CAIRN_TESTS_HOST_PROC_H
#define CAIRN_TESTS_HOST_PROC_H

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sanitizer/asan_interface.h>

#include "host_arena.h"
#include "process.h"
#include "sched.h"
#include <cairn/debug.h>
#include <cairn/kernel.h>

// Test-only setter in kernel/kernel.c: the config kernel_run would have installed.
void kernel_set_config_for_test(const struct kernel_config *cfg);

#define HOST_PROCS       8u      // process slots of every host test
#define HOST_FLASH_SLOT  0x1000u // per-process fake flash image
#define HOST_TBF_HEADER  0x40u   // bytes of "TBF header" before the binary
#define HOST_RAM_SLOT    0x8000u // per-process RAM slot (block + margins)
#define HOST_RAM_MARGIN  0x100u  // valid arena bytes below each block
#define HOST_RAM_DEFAULT 0x1000u // default block length (PCB included)
#define HOST_ARENA_LEN   (HOST_PROCS * (HOST_FLASH_SLOT + HOST_RAM_SLOT))
#define HOST_FILL        0xA5u // arena filler: shows which bytes the kernel zeroed

static uint8_t *host_arena;
static struct process *host_table[HOST_PROCS];

static inline uint32_t host_flash_start(unsigned index)
{
    return host_addr(host_arena + index * HOST_FLASH_SLOT);
}

static inline uint32_t host_mem_start(unsigned index)
{
    return host_addr(host_arena + HOST_PROCS * HOST_FLASH_SLOT + index * HOST_RAM_SLOT +
                     HOST_RAM_MARGIN);
}

// Map the arena once per program (group setup).
static inline int host_arena_map(void **state)
{
    (void)state;
    host_arena = host_map_low(HOST_ARENA_LEN);
    return host_arena ? 0 : -1;
}

static inline int host_arena_unmap(void **state)
{
    (void)state;
    ASAN_UNPOISON_MEMORY_REGION(host_arena, HOST_ARENA_LEN);
    munmap(host_arena, HOST_ARENA_LEN);
    host_arena = NULL;
    return 0;
}

// Kernel output (fault dumps, panics) goes to the test's stdout, i.e. its log.
static inline void host_debug_putc(char c)
{
    if (c != '\r')
        fputc(c, stdout);
}

// Forget every process, unpoison and refill the arena, install cfg (per-test setup).
static inline void host_reset(const struct kernel_config *cfg)
{
    debug_init(host_debug_putc, NULL);
    process_table_init(host_table, HOST_PROCS);
    ASAN_UNPOISON_MEMORY_REGION(host_arena, HOST_ARENA_LEN);
    memset(host_arena, HOST_FILL, HOST_ARENA_LEN);
    kernel_set_config_for_test(cfg);
}

// Create the process of slot index with a mem_len-byte block and run it to its entry
// call, so it is RUNNING with an empty upcall queue, as after _start began.
static inline struct process *host_proc_new(unsigned index, uint32_t mem_len)
{
    uint32_t flash = host_flash_start(index);
    uint32_t app = flash + HOST_TBF_HEADER;
    static const char names[HOST_PROCS][8] = {"app0", "app1", "app2", "app3",
                                              "app4", "app5", "app6", "app7"};
    assert_true(mem_len + HOST_RAM_MARGIN <= HOST_RAM_SLOT);
    struct process *p = process_create(index, flash, HOST_FLASH_SLOT, app, app | 1u, names[index],
                                       4, host_mem_start(index), mem_len);
    assert_non_null(p);
    assert_true(syscall_resume_yielded(p));
    assert_int_equal(p->ctx.pc, app | 1u);
    assert_int_equal(p->state, PROC_RUNNING);
    assert_int_equal(p->q_len, 0);
    return p;
}

// Trap with class cls and r0..r3 = a0..a3, as the process's svc would.
static inline void host_syscall(struct process *p, uint32_t cls, uint32_t a0, uint32_t a1,
                                uint32_t a2, uint32_t a3)
{
    p->ctx.svc_num = cls;
    p->ctx.regs[0] = a0;
    p->ctx.regs[1] = a1;
    p->ctx.regs[2] = a2;
    p->ctx.regs[3] = a3;
    syscall_handle(p);
}

// The four return registers are exactly (r0, r1, r2, r3).
static inline void host_expect_regs(const struct process *p, uint32_t r0, uint32_t r1, uint32_t r2,
                                    uint32_t r3)
{
    assert_int_equal(p->ctx.regs[0], r0);
    assert_int_equal(p->ctx.regs[1], r1);
    assert_int_equal(p->ctx.regs[2], r2);
    assert_int_equal(p->ctx.regs[3], r3);
}

// ---- death tests ------------------------------------------------------------------------

struct host_child {
    bool clean_exit; // exited with status 0
    int status;      // raw waitpid status
    char err[16384]; // what the child wrote to stderr (truncated, NUL-terminated)
};

// Run fn(arg) in a forked child with stderr captured; the child exits 0 if fn returns.
static inline void host_run_child(void (*fn)(void *arg), void *arg, struct host_child *out)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(stdout);
    fflush(stderr);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        close(fds[1]);
        fn(arg);
        _exit(0);
    }
    close(fds[1]);
    size_t used = 0;
    for (;;) {
        char buf[4096];
        ssize_t n = read(fds[0], buf, sizeof buf);
        if (n <= 0)
            break;
        size_t room = sizeof out->err - 1 - used;
        size_t take = (size_t)n < room ? (size_t)n : room;
        memcpy(out->err + used, buf, take);
        used += take;
    }
    out->err[used] = '\0';
    close(fds[0]);
    assert_int_equal(waitpid(child, &out->status, 0), child);
    out->clean_exit = WIFEXITED(out->status) && WEXITSTATUS(out->status) == 0;
}

// The child died (non-zero exit or signal) with an AddressSanitizer report naming kind.
static inline void host_expect_asan_death(const struct host_child *c, const char *kind)
{
    if (c->clean_exit || !strstr(c->err, "AddressSanitizer") || !strstr(c->err, kind))
        print_error("child status 0x%x, stderr:\n%s\n", (unsigned)c->status, c->err);
    assert_false(c->clean_exit);
    assert_non_null(strstr(c->err, "AddressSanitizer"));
    assert_non_null(strstr(c->err, kind));
}

static inline void host_expect_clean_child(const struct host_child *c)
{
    if (!c->clean_exit)
        print_error("child status 0x%x, stderr:\n%s\n", (unsigned)c->status, c->err);
    assert_true(c->clean_exit);
    assert_null(strstr(c->err, "AddressSanitizer"));
}

#endif
