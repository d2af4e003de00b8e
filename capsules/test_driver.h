// SPDX-License-Identifier: Apache-2.0
// Test driver (0xCA170, QEMU boards only): lets test apps end the run and read kernel state.
//
// ABI:
//   command 0: exists -> Success (does nothing else: the benchmarks' null command)
//   command 1 (code): end the emulator run with exit status code (semihosting)
//   command 2: Success-u32: bytes of the process RAM pool not given to any process
//   command 3: Success-2u32: (kernel_brk - mem_start, app_brk - mem_start) of the caller
//   command 4: allocate the caller's grant -> Success, or Failure NOMEM
//   command 5: Success-u32: how many times the caller was restarted
//   command 7: Success-u32: interrupt bottom halves the kernel has run since boot
//   command 8 (n): keep the kernel thread busy: a deferred call spins n iterations (at most
//     TEST_BUSY_MAX) with interrupts enabled, then prints how many bottom halves ran
//     meanwhile and whether an interrupt waits for the thread -> Success
//   command 6 (slot): queue upcall 0 (caller's slot, 0, 0) on the process in that slot ->
//     Success, Failure INVAL (empty slot), NODEVICE (not alive), NOMEM (its queue is full)
//   other commands: Failure NOSUPPORT
//   grant: 2 upcall slots, 1 read-only and 1 read-write allow slot, 16 bytes of state,
//   so conformance tests have a driver whose slots they can exercise without side effects.
#ifndef CAIRN_TEST_DRIVER_H
#define CAIRN_TEST_DRIVER_H

#include <cairn/deferred.h>
#include <cairn/driver.h>
#include <cairn/grant.h>

#define TEST_DRIVER_NUM 0xCA170u
#define TEST_BUSY_MAX   10000000u

struct test_driver_app {
    uint32_t scratch[4];
};

struct test_driver {
    struct grant grant;
    void (*exit_fn)(int code);
    struct deferred_call busy; // command 8
    uint32_t busy_n;
};

void test_driver_init(struct test_driver *t, void (*exit_fn)(int code));
struct cmd_result test_driver_command(const struct driver *d, procid_t pid, uint32_t cmd,
                                      uint32_t arg0, uint32_t arg1);

#endif
