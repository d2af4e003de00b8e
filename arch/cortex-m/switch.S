@ SPDX-License-Identifier: Apache-2.0
@ Cortex-M exception entry: process<->kernel context switch, generic IRQ and fault entry.
@
@ The kernel runs in privileged thread mode on MSP. It enters a process with `svc 0xff`
@ (arch_switch_to_process); the SVC handler loads the process's r4-r11 and PSP and
@ returns to unprivileged thread mode on PSP. Any exception taken from the process (svc,
@ SysTick, peripheral IRQ, fault) saves the process's r4-r11 and PSP into *cm_cur_ctx,
@ records why in cm_switch_reason, and returns to the kernel right after its svc.
@ Two exceptions may instead switch to another process without returning to the kernel
@ thread (cm_switch_in): SysTick when the slice ran out (kernel_switch_preempted) and
@ SVC for a yield that waits (kernel_switch_yield). They save the process into
@ *cm_cur_ctx, the kernel books it and prepares the next one exactly as its thread
@ would, and cm_cur_ctx then names the new context: the kernel thread, suspended in its
@ svc all along, learns which process trapped from the kernel (sched_current), not from
@ the context it entered.
@ A third path serves an interrupt's bottom half in its exception (cm_irq_handler, for a
@ line the board marked in cm_irq_fast; kernel_irq_from_thread, kernel_irq_from_process):
@ taken from a process, it returns to that process; taken from the kernel thread idling at
@ its wait for interrupt, it may enter the process the event woke. The kernel thread's
@ state is then this exception's frame on MSP with the thread's r4-r11 pushed above it,
@ exactly the shape of its svc frame plus r4-r11, so cm_return_to_kernel resumes it, at its
@ idle point instead of after its svc; the kernel reads which process trapped from
@ sched_current there too.
@ Invariant: while a process runs, MSP holds the kernel thread's exception frame (its
@ svc's, or an interrupt's taken at its idle point) plus r4-r11 pushed above it, and
@ nothing else; cm_cur_ctx is the running process's context.
@
@ Every return to a process goes through sanitise_frame first: the kernel may have
@ written into the process's stacked frame since the trap (a yield flag, an allowed
@ buffer, an upcall), so its xPSR and pc are what the process chose. A non-zero
@ exception number makes the return an integrity fault (INVPC) that is taken in the
@ kernel's context; an odd pc is UNPREDICTABLE. Both are forced sane; the flags and the
@ IT/ICI bits stay (a trap may interrupt an IT block or a multi-word load), and so does
@ bit 9, the hardware's record that it padded the frame: clearing it would move the
@ process's own SP, setting it only moves that SP by 4, which is the process's business.
@ Precondition: the frame lies in RAM the kernel checked (arch_ctx_stack_ok) before
@ deciding to resume the process.

#include "cm.h"

    .syntax unified
    .thumb
    .text

    .equ REASON_SYSCALL, 0
    .equ REASON_TIMESLICE, 1
    .equ REASON_INTERRUPT, 2
    .equ REASON_FAULT, 3
    .equ REASON_SYSCALL_DONE, 4
    .equ FAST_RESUME, 1
    .equ FAST_DONE, 2
    .equ CTX_PSP, 32
    .equ CTX_SVC, 36
    .equ EXC_RETURN_THREAD_PSP, 0xFFFFFFFD
    .equ EXC_RETURN_THREAD_MSP, 0xFFFFFFF9
    .equ NVIC_ISER0, 0xE000E100
    .equ NVIC_ICER_OFF, 0x80        @ ICER0 - ISER0
    .equ NVIC_ICPR_OFF, 0x180       @ ICPR0 - ISER0
    .equ FAST_GONE, 3
    .equ XPSR_THUMB, 0x01000000
    .equ FR_PC, 24
    .equ SYSCALL_CLASS_COMMAND, 2
    .equ KERNEL_SWITCH_DONE, 1      @ kernel/arch.h; DEFER is 0
    .equ KERNEL_IRQ_SERVED, 1       @ kernel/arch.h; DECLINED is 0

@ \frame: address of an exception frame (kept); \pc, \psr: scratch registers.
    .macro sanitise_frame frame, pc, psr
    ldrd \pc, \psr, [\frame, #FR_PC]
    bic \pc, \pc, #1
    bfc \psr, #0, #9               @ exception number 0: a return to thread mode
    orr \psr, \psr, #XPSR_THUMB
    strd \pc, \psr, [\frame, #FR_PC]
    .endm
    .equ SYSTICK_CSR, 0xE000E010

@ \reg = OR of every cm_irq_fired word, flags set (ne: a bottom half is due); \tmp scratch.
    .macro irq_fired_any reg, tmp
    ldr \reg, =cm_irq_fired
#if CM_IRQ_WORDS == 1
    ldr \reg, [\reg]
    cmp \reg, #0
#elif CM_IRQ_WORDS == 2
    ldrd \reg, \tmp, [\reg]
    orrs \reg, \tmp
#else
#error "switch.S handles up to 64 interrupt lines"
#endif
    .endm

@ The same as a branch to \label (forward, near: cbnz) when a bottom half is due.
    .macro irq_fired_bne reg, tmp, label
    ldr \reg, =cm_irq_fired
#if CM_IRQ_WORDS == 1
    ldr \reg, [\reg]
    cbnz \reg, \label
#else
    ldrd \reg, \tmp, [\reg]
    orrs \reg, \tmp
    bne \label
#endif
    .endm

@ Common tail: r0 = reason. Saves the process state and resumes the kernel thread.
    .thumb_func
    .type cm_return_to_kernel, %function
cm_return_to_kernel:
    ldr r2, =cm_cur_ctx
    ldr r2, [r2]
    stmia r2, {r4-r11}
    mrs r1, psp
    str r1, [r2, #CTX_PSP]
@ The same without saving anything: the context already belongs to a new incarnation.
cm_return_to_kernel_nosave:
    ldr r1, =cm_switch_reason
    str r0, [r1]
    movs r1, #0
    msr control, r1             @ thread mode privileged again
    isb
    pop {r4-r11}                @ the kernel's callee-saved registers
    ldr lr, =EXC_RETURN_THREAD_MSP
    bx lr

    .global cm_svc_handler
    .thumb_func
    .type cm_svc_handler, %function
cm_svc_handler:
    tst lr, #4
    beq cm_enter_process
    @ From a process: the class is the imm8 of the 16-bit svc just before the stacked pc.
    @ Record it and the stack pointer (the C paths and the fault dump read them), make the
    @ one frame check of this entry, then dispatch on the class through one table. r4-r11
    @ still hold the process's values and nothing here or in C touches them, so a call
    @ served in the trap returns straight to the process without a context switch.
    mrs r12, psp
    ldr r1, [r12, #24]
    ldrb r1, [r1, #-2]
    ldr r3, =cm_cur_ctx
    ldr r3, [r3]                    @ the context, first member of the control block
    strd r12, r1, [r3, #CTX_PSP]    @ psp, then the class at CTX_SVC = CTX_PSP + 4
    @ The frame [psp, psp + 32) must lie in [mem_start, app_brk) and psp be word aligned
    @ (arch_ctx_stack_ok): otherwise the slow path faults the process, with r4-r11 saved
    @ for its dump. One unsigned comparison tests all three: ror(psp - mem_start, 2) <
    @ frame_limit (process_frame_limit, kernel/process.h). A process whose calls the TBF
    @ Permissions filter has frame_limit 0 and fails it too: 7 below takes it to C.
    ldrd r0, r2, [r3, #CM_PCB_MEM_START]
    sub r0, r12, r0
    cmp.w r2, r0, ror #2
    bls 7f
    cmp r1, #SYSCALL_CLASSES
    bhs 9f                          @ unknown class: the slow path faults the process
    tbb [pc, r1]
1:  .byte (8f - 1b) / 2             @ 0 yield: no-wait to C, the waits to the kernel thread
    .byte (6f - 1b) / 2             @ 1 subscribe
    .byte (5f - 1b) / 2             @ 2 command
    .byte (6f - 1b) / 2             @ 3 read-write allow
    .byte (6f - 1b) / 2             @ 4 read-only allow
    .byte (6f - 1b) / 2             @ 5 memop
    .byte (9f - 1b) / 2             @ 6 exit: changes what runs, the kernel thread serves it
    .byte (6f - 1b) / 2             @ 7 userspace-readable allow
    .equ SYSCALL_CLASSES, 8
    .p2align 1

5:  @ Command, when its driver is the last one looked up (syscall_last_driver, never null
    @ once the kernel runs): the whole call here. Anything else goes to C, which searches
    @ the driver table. r12 = frame (r0 driver, r1 command, r2 and r3 arguments), r3 =
    @ control block, r1 = the class; lr is free (EXC_RETURN is rebuilt on the way out).
    ldr r0, [r12]                   @ driver number
    ldr lr, =syscall_last_driver
    ldr lr, [lr]                    @ d
    ldr r2, [lr]
    cmp r2, r0
    bne 6f
    @ Counted as every served call is: syscalls, and last_syscall = class | r0 << 8.
    ldr r2, [r3, #CM_PCB_SYSCALLS]
    adds r2, #1
    orr r0, r1, r0, lsl #8
    strd r2, r0, [r3, #CM_PCB_SYSCALLS]
    @ d->command(d, id, cmd, arg0, arg1) returning its 16-byte struct cmd_result through
    @ memory (AAPCS: r0 points at it). One push builds the MSP layout: [sp] arg0, [sp+4]
    @ arg1, [sp+8] the caller's id and [sp+12] its control block, kept across the call;
    @ [sp+16, sp+32) the result (r4-r7 are only copied there, never changed).
    ldr r2, [r3, #CM_PCB_ID]
    ldrd r0, r1, [r12, #8]
    push {r0-r7}
    add r0, sp, #16
    mov r1, lr                      @ d
    ldr r3, [r12, #4]               @ command number
    ldr r12, [r1, #4]
    blx r12
    @ A driver that faulted, restarted or ended the caller left a new id: the frame is
    @ gone (or the next incarnation's) and nothing is written for this call.
    pop {r0-r3}                     @ r2 = the caller's id, r3 = its control block
    ldr r1, [r3, #CM_PCB_ID]
    cmp r1, r2
    bne 4f
    @ Resume only if the caller still runs, its MPU plan did not change (a grant block was
    @ allocated) and no deferred call waits; else the kernel thread takes over (DONE).
    @ Interrupts and the slice's end need no test: they share SVC's priority, so they are
    @ pending and are taken as soon as this exception returns.
    ldrh r1, [r3, #CM_PCB_STATE]
    ldr r2, =deferred_call_bits
    ldr r2, [r2]
    orrs r1, r2                     @ flags kept to the bne below (pop, mrs, stm keep them)
    pop {r0-r3}                     @ the result: variant and three values
    mrs r12, psp
    stmia r12, {r0-r3}
    bne 3f
    sanitise_frame r12, r2, r3
    ldr lr, =EXC_RETURN_THREAD_PSP
    bx lr
3:  movs r0, #REASON_SYSCALL_DONE
    b cm_return_to_kernel
4:  add sp, #16
    movs r0, #REASON_SYSCALL_DONE
    b cm_return_to_kernel_nosave

8:  @ Yield: a yield-no-wait (r0 = 0) is served in C below when nothing is queued for
    @ delivery. A wait is served by kernel_switch_yield, which may switch to the next
    @ process right here when the caller blocks: r4-r11 are saved first (the PSP is).
    ldr r0, [r12]
    cbnz r0, 10f
6:  @ The other classes the kernel serves in the trap, in C; the frame is checked.
    mov r0, r3
    bl kernel_fast_syscall_checked
11: cmp r0, #FAST_RESUME
    bne 2f
    mrs r1, psp
    sanitise_frame r1, r2, r3
    ldr lr, =EXC_RETURN_THREAD_PSP
    bx lr
2:  cmp r0, #FAST_DONE
    bhi 4f                          @ FAST_GONE, the only value above FAST_DONE
    beq 3b
#if !CAIRN_FEATURE_PERMISSIONS
7:
#endif
9:  movs r0, #REASON_SYSCALL        @ the kernel thread serves it (or faults a bad frame)
    b cm_return_to_kernel
#if CAIRN_FEATURE_PERMISSIONS
7:  @ The frame check failed: a bad frame, or a filtered process (r3 = its control block).
    @ kernel_fast_syscall checks the frame in C (a bad one is deferred: the kernel thread
    @ faults it, r4-r11 saved), applies the filter and serves what the trap may serve.
    mov r0, r3
    bl kernel_fast_syscall
    b 11b
#endif
4:  @ The call faulted, restarted or ended the process: r4-r11 and PSP belong to the
    @ incarnation that is gone and must not overwrite the new context.
    movs r0, #REASON_SYSCALL_DONE
    b cm_return_to_kernel_nosave
10: @ A yield that waits (r3 = control block). A pending bottom half runs first, in the
    @ kernel thread, which then serves the yield (kernel_switch_yield's precondition).
    irq_fired_any r1, r2
    bne 9b
    stmia r3, {r4-r11}
    mov r0, r3
    bl kernel_switch_yield
    cmp r0, #KERNEL_SWITCH_DONE
    bhi cm_switch_in
    lsls r0, r0, #2                 @ DEFER -> REASON_SYSCALL, DONE -> REASON_SYSCALL_DONE
    b cm_return_to_kernel_nosave

@ From the kernel (svc 0xff in arch_switch_to_process): enter the process in *cm_cur_ctx,
@ unless an interrupt fired since the kernel last looked (then the process would sit on it
@ for a whole slice) or the slice ran out while the kernel ran (SysTick is one-shot: the
@ process would run on unpreempted, the syscall fast path does not look either).
cm_enter_process:
    irq_fired_any r0, r1
    ldr r1, =cm_timeslice_expired
    ldr r1, [r1]
    orrs r0, r1
    beq 2f
    cmp r1, #0
    ite ne
    movne r0, #REASON_TIMESLICE
    moveq r0, #REASON_INTERRUPT
    ldr r1, =cm_switch_reason
    str r0, [r1]
    bx lr
2:  push {r4-r11}
    movs r3, #1
    msr control, r3             @ nPRIV: thread mode unprivileged (from the return on)
    isb
    ldr r0, =cm_cur_ctx
    ldr r0, [r0]

@ Enter the process whose context is r0 (from cm_enter_process, or from a handler that
@ took another process, or the same one, and saved its r4-r11 and PSP: the kernel has
@ set its slice and MPU regions, kernel_switch_preempted and kernel_switch_yield).
@ CONTROL is unprivileged (a handler never changes it), and once this exception returns
@ MSP holds exactly what the invariant above says. The next trap saves into r0's context.
cm_switch_in:
    ldr r1, =cm_cur_ctx
    str r0, [r1]
    ldmia r0, {r4-r11}
    ldr r2, [r0, #CTX_PSP]
    sanitise_frame r2, r0, r3
    msr psp, r2
    ldr lr, =EXC_RETURN_THREAD_PSP
@ The exception return into a process the kernel switched to (a global label so that
@ bench/trace.py can end a switch's span here).
    .global cm_to_process
cm_to_process:
    bx lr

    .global cm_systick_handler
    .thumb_func
    .type cm_systick_handler, %function
cm_systick_handler:
    @ Only a running process is preempted. The slice is one-shot for the kernel
    @ (arch_timeslice_start), but the counter has already reloaded and goes on: it is
    @ stopped, and the expiry noted (cm_timeslice_expired, which the kernel thread reads),
    @ on every way out except a switch to the next process, whose full slice it then
    @ counts without being programmed again (arch_timeslice_renew). A process never runs
    @ with cm_timeslice_expired set (every slice start clears it, and the kernel does not
    @ enter a process while it is set), so that switch leaves it clear.
    tst lr, #4
    beq 1f
    @ Save the process, then let the kernel switch to the next one in this handler
    @ (kernel_switch_preempted); NULL: the kernel thread takes over, as before. A pending
    @ bottom half runs first, in the kernel thread (the kernel's precondition).
    irq_fired_bne r0, r1, 2f
    ldr r0, =cm_cur_ctx
    ldr r0, [r0]
    stmia r0, {r4-r11}
    mrs r1, psp
    str r1, [r0, #CTX_PSP]
    @ The one stack check of this entry (kernel_switch_preempted's precondition, as in
    @ cm_svc_handler): the frame at psp lies in [mem_start, app_brk) and is aligned, or the
    @ kernel thread faults the process before anything writes into that frame again.
    ldrd r2, r3, [r0, #CM_PCB_MEM_START]
    subs r2, r1, r2
    cmp.w r3, r2, ror #2
    bls 4f
    bl kernel_switch_preempted
    cmp r0, #0
    bne cm_switch_in
4:  bl 3f
    movs r0, #REASON_TIMESLICE
    b cm_return_to_kernel_nosave
1:  mov r12, lr                     @ the kernel thread was interrupted: its EXC_RETURN
    bl 3f
    bx r12
2:  bl 3f
    movs r0, #REASON_TIMESLICE
    b cm_return_to_kernel
3:  @ Note the expiry and stop the counter (r0, r1 scratch).
    ldr r0, =cm_timeslice_expired
    movs r1, #1
    str r1, [r0]
    ldr r0, =SYSTICK_CSR
    movs r1, #0
    str r1, [r0]
    bx lr

@ The line this exception serves: r6 = the line, r7 = its word (line / 32), r4 = its bit in
@ that word, r5 = the word's ISER address (ICER and ICPR at fixed offsets). Line n is bit
@ n % 32 of word n / 32 in the NVIC's registers and in cm_irq_fired alike (only lines with a
@ vector, 32 * CM_IRQ_WORDS, can get here). r2, r3 scratch. r4-r7 are callee-saved, so they
@ keep the line across a call into the kernel.
    .macro irq_line
    mrs r6, ipsr
    subs r6, #16
    and r3, r6, #31
    lsrs r7, r6, #5
    movs r4, #1
    lsls r4, r4, r3
    ldr r5, =NVIC_ISER0
    add r5, r5, r7, lsl #2
    .endm

@ To \label unless the board lets the kernel serve this line in its exception
@ (cm_irq_fast) and no other line waits for the kernel thread (cm_irq_fired all zero).
    .macro irq_fast_or label
    ldr r3, =cm_irq_fast
    ldr r3, [r3, r7, lsl #2]
    tst r3, r4
    beq \label
    irq_fired_bne r3, r2, \label
    .endm

@ The plain top half: mask the line until the kernel thread's bottom half has run, and note
@ it for that thread (r2, r3 scratch).
    .macro irq_note
    str r4, [r5, #NVIC_ICER_OFF]
    ldr r3, =cm_irq_fired
    ldr r2, [r3, r7, lsl #2]
    orrs r2, r4
    str r2, [r3, r7, lsl #2]
    .endm

    .global cm_irq_handler
    .thumb_func
    .type cm_irq_handler, %function
cm_irq_handler:
    @ Top half of every peripheral line. A line the board marked may have its bottom half
    @ run in this exception, if the kernel thread is at a known point (kernel/arch.h:
    @ kernel_irq_from_thread, kernel_irq_from_process). The kernel's answer (r0): 0, it
    @ declined: the plain top half (irq_note), the thread serves the line; 1 or a context,
    @ it served it: the line's pending bit is cleared, since the device held it up until
    @ then, and that context is entered. A line served here is never masked: it cannot be
    @ taken again while its exception is active.
    tst lr, #4
    bne 5f
    @ From the kernel thread (busy: the kernel declines; idle: it may enter a process). Its
    @ r4-r11 go on MSP above this exception's frame, as cm_enter_process pushes them above
    @ the svc's: if a process is entered, cm_return_to_kernel pops them at its next trap
    @ and resumes the thread at its idle point (kernel_run goes on with the process that
    @ trapped, sched_current).
    push {r4-r11}
    irq_line
    irq_fast_or 8f
    mov r0, r6
    bl kernel_irq_from_thread
    cbz r0, 8f
    str r4, [r5, #NVIC_ICPR_OFF]    @ served: a request it raised meanwhile is done
    cmp r0, #KERNEL_IRQ_SERVED
    bhi 6f
    pop {r4-r11}
    ldr lr, =EXC_RETURN_THREAD_MSP
    bx lr
6:  movs r1, #1                     @ the thread ran privileged, the process does not
    msr control, r1
    isb
    b cm_switch_in
8:  irq_note
    pop {r4-r11}
    ldr lr, =EXC_RETURN_THREAD_MSP  @ (the call may have used lr)
    bx lr
5:  @ From a process: saved first, as every trap saves it, so the context is whole
    @ whatever the kernel decides; r4-r7 are then free for the line.
    ldr r12, =cm_cur_ctx
    ldr r12, [r12]
    stmia r12, {r4-r11}
    mrs r2, psp
    str r2, [r12, #CTX_PSP]
    irq_line
    irq_fast_or 9f
    mov r0, r12
    mov r1, r6
    bl kernel_irq_from_process
    cbz r0, 9f
    str r4, [r5, #NVIC_ICPR_OFF]    @ served
    cmp r0, #KERNEL_IRQ_SERVED
    bhi cm_switch_in                @ the same process
    b 10f                           @ the kernel thread takes over (saved already)
9:  irq_note
10: movs r0, #REASON_INTERRUPT
    b cm_return_to_kernel_nosave

    .global cm_fault_handler
    .thumb_func
    .type cm_fault_handler, %function
cm_fault_handler:
    tst lr, #4
    beq 1f
    @ A process faulted: record the status registers (C, preserves r4-r11), then hand the
    @ process to the kernel's fault policy.
    bl cm_record_process_fault
    movs r0, #REASON_FAULT
    b cm_return_to_kernel
1:  @ The kernel faulted. MSP may be unusable (overflow into the guard), so save r4-r11
    @ and move to the panic stack before running any C.
    mrs r0, msp
    mov r1, lr
    ldr r2, =cm_panic_r4_r11
    stmia r2, {r4-r11}
    ldr r3, =__panic_stack_top
    mov sp, r3
    bl cm_kernel_fault
    b .

    .pool
