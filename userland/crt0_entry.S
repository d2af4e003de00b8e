// SPDX-License-Identifier: Apache-2.0
// App entry point _start: claims RAM and a stack, sets r9, then hands over to crt0.c.
//
// The kernel calls _start(app_start, mem_start, mem_len, app_brk) with SP = app_brk =
// mem_start + 32: only those 32 bytes are ours, exactly one exception frame. So the
// first svc (brk) must be issued with SP where it is; only once the break covers the
// whole RAM image may SP move to the top of the stack. Nothing here touches memory
// except through svc, and no global is read through r9 before crt0.c has relocated the
// GOT. See app.ld for struct crt0_info (the CRT0_INFO_* offsets below).

    .syntax unified
    .thumb

    .equ CRT0_INFO_STACK_TOP, 8
    .equ CRT0_INFO_GOT, 12
    .equ CRT0_INFO_BSS_END, 32

    .equ SVC_COMMAND, 2
    .equ SVC_MEMOP, 5
    .equ SVC_EXIT, 6
    .equ MEMOP_BRK, 0
    .equ MEMOP_HINT_STACK_TOP, 10
    .equ MEMOP_HINT_HEAP_START, 11
    .equ VARIANT_SUCCESS, 128
    .equ LOWLEVEL_DEBUG_DRIVER, 8
    .equ LOWLEVEL_DEBUG_ALERT, 1
    .equ ALERT_CRT0_BRK, 0x10

    .section .start, "ax", %progbits
    .global _start
    .type _start, %function
    .thumb_func
_start:
    // r4..r8 survive svc (the kernel saves r4-r11 for the process).
    mov     r4, r0                  // app_start: runtime address of link address __flash_start
    mov     r5, r1                  // mem_start: runtime address of RAM link address 0
    ldr     r6, .Lcrt0_info_offset
.Lpc_base:
    add     r6, pc                  // r6 = &crt0_info at run time (pc reads as .Lpc_base + 4)

    // brk to the end of .bss; the svc frame uses the 32 bytes below SP.
    ldr     r7, [r6, #CRT0_INFO_BSS_END]
    add     r7, r5                  // r7 = initial break = heap start
    movs    r0, #MEMOP_BRK
    mov     r1, r7
    svc     #SVC_MEMOP
    cmp     r0, #VARIANT_SUCCESS
    bne     .Lbrk_failed

    // The whole image is ours now: the stack is [mem_start, mem_start + stack size), so
    // an overflow runs off the bottom of the process block into memory we cannot touch.
    ldr     r0, [r6, #CRT0_INFO_STACK_TOP]
    add     r0, r5
    mov     sp, r0

    // Debug hints for the kernel's process dump; their result does not matter.
    movs    r0, #MEMOP_HINT_STACK_TOP
    mov     r1, sp
    svc     #SVC_MEMOP
    movs    r0, #MEMOP_HINT_HEAP_START
    mov     r1, r7
    svc     #SVC_MEMOP

    // r9 = GOT base, fixed for the life of the app (-msingle-pic-base).
    ldr     r0, [r6, #CRT0_INFO_GOT]
    add     r9, r5, r0

    mov     r0, r4
    mov     r1, r5
    mov     r2, r6
    bl      crt0_c_start            // never returns
    udf     #0

.Lbrk_failed:
    // Still on the kernel's 32 bytes, which one svc frame fits: report, then terminate.
    movs    r0, #LOWLEVEL_DEBUG_DRIVER
    movs    r1, #LOWLEVEL_DEBUG_ALERT
    movs    r2, #ALERT_CRT0_BRK
    svc     #SVC_COMMAND
    movs    r0, #0                  // exit-terminate
    movs    r1, #ALERT_CRT0_BRK
    svc     #SVC_EXIT
    udf     #0

    .balign 4
.Lcrt0_info_offset:
    // Resolved by the static linker: both ends are in flash, so no run-time relocation.
    .word   crt0_info - (.Lpc_base + 4)
    .size _start, . - _start
