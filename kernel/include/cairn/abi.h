// SPDX-License-Identifier: Apache-2.0
// The syscall ABI numbers, shared by the kernel and libcairn so the two cannot drift.
//
// Values are Tock 2.x's: TRD 104, "Syscalls", in the Tock repository's doc/reference/
// (https://github.com/tock/tock/blob/master/doc/reference/trd104-syscalls.md). This header is plain
// C with no kernel types: userland includes it too.
#ifndef CAIRN_ABI_H
#define CAIRN_ABI_H

// Class numbers: the imm8 of `svc` on Cortex-M.
enum syscall_class {
    SYSCALL_CLASS_YIELD = 0,
    SYSCALL_CLASS_SUBSCRIBE = 1,
    SYSCALL_CLASS_COMMAND = 2,
    SYSCALL_CLASS_ALLOW_RW = 3,
    SYSCALL_CLASS_ALLOW_RO = 4,
    SYSCALL_CLASS_MEMOP = 5,
    SYSCALL_CLASS_EXIT = 6,
    SYSCALL_CLASS_ALLOW_URA = 7,
    SYSCALL_CLASS_LAST = 7,
};

// Return variants, in r0 after every syscall but yield.
enum syscall_variant {
    SYSCALL_FAILURE = 0,
    SYSCALL_FAILURE_U32 = 1,
    SYSCALL_FAILURE_2U32 = 2,
    SYSCALL_FAILURE_U64 = 3,
    SYSCALL_SUCCESS = 128,
    SYSCALL_SUCCESS_U32 = 129,
    SYSCALL_SUCCESS_2U32 = 130,
    SYSCALL_SUCCESS_U64 = 131,
    SYSCALL_SUCCESS_3U32 = 132,
    SYSCALL_SUCCESS_U32_U64 = 133,
};

// Yield kinds (r0 of class 0).
enum yield_kind {
    YIELD_NO_WAIT = 0,
    YIELD_WAIT = 1,
    YIELD_WAIT_FOR = 2,
};

// Exit kinds (r0 of class 6).
enum exit_kind {
    EXIT_TERMINATE = 0,
    EXIT_RESTART = 1,
};

// memop operations (r0 of class 5).
enum memop_op {
    MEMOP_BRK = 0,
    MEMOP_SBRK = 1,
    MEMOP_RAM_START = 2,
    MEMOP_RAM_END = 3,
    MEMOP_FLASH_START = 4,
    MEMOP_FLASH_END = 5,
    MEMOP_GRANT_START = 6,
    MEMOP_WFR_COUNT = 7,
    MEMOP_WFR_START = 8,
    MEMOP_WFR_END = 9,
    MEMOP_HINT_STACK_TOP = 10,
    MEMOP_HINT_HEAP_START = 11,
};

#endif
