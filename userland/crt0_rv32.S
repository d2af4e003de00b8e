# SPDX-License-Identifier: Apache-2.0
# RISC-V app entry point _start: checks its fixed addresses, claims RAM and a stack, then C.
#
# The kernel calls _start(app_start, mem_start, mem_len, app_brk) with sp = mem_start =
# app_brk: the process owns no RAM yet, so nothing here touches memory before the brk
# ecall. The app is linked for one flash and one RAM address (app_rv32.ld); anywhere else
# it would run with wrong pointers, so it reports low-level-debug alert 0x02 (Tock's
# "statically linked app at the wrong address") and terminates instead.

    .equ CLASS_COMMAND, 2
    .equ CLASS_MEMOP, 5
    .equ CLASS_EXIT, 6
    .equ MEMOP_BRK, 0
    .equ MEMOP_HINT_STACK_TOP, 10
    .equ MEMOP_HINT_HEAP_START, 11
    .equ VARIANT_SUCCESS, 128
    .equ LOWLEVEL_DEBUG_DRIVER, 8
    .equ LOWLEVEL_DEBUG_ALERT, 1
    .equ ALERT_WRONG_LOCATION, 0x02
    .equ ALERT_CRT0_BRK, 0x10

    .section .start, "ax", @progbits
    .global _start
    .type _start, @function
_start:
    la      t0, __flash_start
    bne     a0, t0, .Lwrong_location
    la      t0, __ram_origin
    bne     a1, t0, .Lwrong_location

    # brk to the end of .bss: stack, data and bss become ours.
    li      a0, MEMOP_BRK
    la      a1, __bss_end
    li      a4, CLASS_MEMOP
    ecall
    li      t0, VARIANT_SUCCESS
    bne     a0, t0, .Lbrk_failed

    la      sp, __stack_top
    # Debug hints for the kernel's process dump; their result does not matter.
    li      a0, MEMOP_HINT_STACK_TOP
    mv      a1, sp
    li      a4, CLASS_MEMOP
    ecall
    li      a0, MEMOP_HINT_HEAP_START
    la      a1, __bss_end
    li      a4, CLASS_MEMOP
    ecall
    # Thread pointer: picolibc's thread-local errno lives at __tls_base.
    la      tp, __tls_base
    li      ra, 0
    call    crt0_rv32_c_start       # never returns
    unimp

.Lwrong_location:
    li      a2, ALERT_WRONG_LOCATION
    j       .Lfail
.Lbrk_failed:
    li      a2, ALERT_CRT0_BRK
.Lfail:
    # Registers only: no RAM is ours. Report, then terminate with the alert as the code.
    mv      s0, a2
    li      a0, LOWLEVEL_DEBUG_DRIVER
    li      a1, LOWLEVEL_DEBUG_ALERT
    li      a4, CLASS_COMMAND
    ecall
    li      a0, 0                   # exit-terminate
    mv      a1, s0
    li      a4, CLASS_EXIT
    ecall
    unimp
    .size _start, . - _start
