// SPDX-License-Identifier: Apache-2.0
// The arch contract: every hook the portable kernel needs from an architecture port.
//
// kernel/ includes only this header for anything CPU-specific; each port (arch/cortex-m,
// arch/host, later arch/riscv) implements every function below and provides
// <arch_defs.h> with struct arch_ctx and the constants named here. Conditions are
// stated as "pre:" (what the caller guarantees) and "post:" (what the port guarantees).
#ifndef CAIRN_ARCH_H
#define CAIRN_ARCH_H

#include <stdbool.h>
#include <stdint.h>

// RAM the process may touch, for the checks the port makes on the process stack
// (before <arch_defs.h>, whose inline functions use it).
struct arch_mem_bounds {
    uint32_t start; // first byte of process RAM
    uint32_t brk;   // one past the last byte the process may access
};

#include <arch_defs.h>

// ---- CPU bring-up and interrupt masking -------------------------------------------

// pre: called once, first thing after reset code set up the C runtime; interrupts off.
// post: exception priorities set (SVC and faults usable), fault handlers enabled,
//       kernel stack guard armed; interrupts still globally masked.
void arch_init(void);

// post: global interrupt mask cleared; any enabled pending interrupt runs its top half.
void arch_irq_unmask_all(void);

// Mask interrupts and return the previous state, for arch_irq_restore.
// post: no top half runs until the matching restore. Nestable.
uint32_t arch_irq_save(void);
void arch_irq_restore(uint32_t state);

// pre: interrupts masked with arch_irq_save, and the caller checked that no kernel work
//      is pending after masking (so no wakeup can be lost).
// post: returns after an interrupt became pending (its top half runs once the caller
//       restores the mask). Never returns early for no reason on QEMU, but callers must
//       tolerate spurious wakeups.
void arch_wait_for_interrupt(void);

// ---- Peripheral interrupt lines ---------------------------------------------------
// Top halves are generic: a line that fires is masked and left pending; the main loop
// asks for pending lines, runs the chip's bottom half, then completes the line.

// post: the line is unmasked and will be reported by arch_irq_next_pending when it fires.
void arch_irq_enable(unsigned irq);
void arch_irq_disable(unsigned irq);

// post: the lowest-numbered line that fired since its last completion, or -1 if none.
int arch_irq_next_pending(void);

// pre: irq was returned by arch_irq_next_pending and its bottom half has run.
// post: its pending state is cleared and the line unmasked again: one event takes one
//       exception, and a device that still (or again) asserts the line interrupts anew.
void arch_irq_complete(unsigned irq);

// True if a top half ran that the main loop has not looked at (a peripheral line or the
// timeslice timer). Cheap: called on every pass of the main loop.
bool arch_kernel_work_pending(void);

// arch_kernel_work_pending() || arch_timeslice_expired(), in one cheap call for the
// syscall fast path.
bool arch_kernel_attention(void);

// ---- Leaving the system -----------------------------------------------------------

// Test builds: end the emulator run with `code` as exit status (semihosting).
// Real boards: stop the CPU (code is printed before). Never returns.
_Noreturn void arch_exit(int code);

// Restart the whole system as a reset would (the process console's `reset`). Returns
// only where the architecture has no reset of its own; a board may then offer one.
void arch_reset(void);

// ---- Process context ----------------------------------------------------------------

// Why arch_switch_to_process returned.
enum switch_reason {
    SWITCH_SYSCALL,      // the process trapped; arch_syscall_class tells which call
    SWITCH_TIMESLICE,    // the timeslice timer expired
    SWITCH_INTERRUPT,    // a peripheral interrupt wants the kernel
    SWITCH_FAULT,        // the process faulted; arch_fault_print describes it
    SWITCH_SYSCALL_DONE, // the process trapped and kernel_fast_syscall already served it
};

// Kernel hook a port may call at a syscall trap, before switching to the kernel thread,
// with ctx the context arch_switch_to_process is running and its stack pointer and
// class recorded (r4-r11 may still be live in the
// CPU: the kernel touches only what arch_syscall_class/arch_syscall_regs reach).
// Returns FAST_SYSCALL_RESUME: served, resume the process now; FAST_SYSCALL_DONE: served,
// but return to the kernel (SWITCH_SYSCALL_DONE); FAST_SYSCALL_DEFER: not served, return
// SWITCH_SYSCALL; FAST_SYSCALL_GONE: served, and serving it faulted, restarted or ended
// the process, so the context already holds the next incarnation (or none): the port
// must return SWITCH_SYSCALL_DONE WITHOUT saving the trapped registers into it.
// Ports that do not call it lose only speed.
// Every return to the process (after this hook, or arch_switch_to_process) must go
// through a frame the port has made safe: the kernel may have written anything into it.
enum {
    FAST_SYSCALL_DEFER = 0,
    FAST_SYSCALL_RESUME = 1,
    FAST_SYSCALL_DONE = 2,
    FAST_SYSCALL_GONE = 3,
};
int kernel_fast_syscall(struct arch_ctx *ctx);
// The same for a port that has made the one stack check of this entry itself with the
// process's frame_limit (kernel/process.h, process_frame_limit: the frame passed it): the
// kernel does not check again. A port may serve some calls entirely on its own (Cortex-M:
// command on the last driver's cache hit) and call this for the rest. A process whose
// syscalls are filtered by its TBF Permissions keeps frame_limit 0, so that check fails
// for all its traps and it never gets here nor to the port's own serving: the port hands
// such a trap to kernel_fast_syscall or to the kernel thread, which apply the filter.
int kernel_fast_syscall_checked(struct arch_ctx *ctx);

// Kernel hooks a port may call to switch processes inside the exception handler that
// took the running process (the one in ctx), without the round trip through the kernel
// thread. pre: r4-r11 and the stack pointer are saved in ctx, no bottom half is pending
// (arch_kernel_work_pending() is false: the port looks first, it is cheaper there; with
// one pending the port returns to the kernel thread instead), and the port enters
// whatever context they return exactly as arch_switch_to_process would (its registers,
// a frame made safe, the timeslice and MPU already set by the kernel) and makes it the
// context the next trap saves into. Ports that do not call them lose only speed.
// kernel_switch_preempted: the slice of ctx ran out (the timer is stopped, or left
// running with its reload: see arch_timeslice_renew; the port stops it when NULL is
// returned) and arch_ctx_stack_ok held for ctx (the port's one check of this entry; with
// a bad stack pointer it returns SWITCH_TIMESLICE instead, and the kernel thread faults
// the process before anything writes into its frame). Returns the context to enter (possibly ctx
// itself), or NULL: return SWITCH_TIMESLICE to the kernel thread, whatever happened meanwhile (the
// kernel knows).
struct arch_ctx *kernel_switch_preempted(struct arch_ctx *ctx);
// kernel_switch_yield: ctx trapped with a yield and arch_ctx_stack_ok held (the port's
// one check of this entry). Returns KERNEL_SWITCH_DEFER: not served, return SWITCH_SYSCALL;
// KERNEL_SWITCH_DONE: served, return SWITCH_SYSCALL_DONE without saving anything again;
// anything else: the context to enter (ctx itself if the yield returns at once).
enum { KERNEL_SWITCH_DEFER = 0, KERNEL_SWITCH_DONE = 1 };
uintptr_t kernel_switch_yield(struct arch_ctx *ctx);

// Bottom halves inside the interrupt's exception: only for a port whose <arch_defs.h>
// defines ARCH_IRQ_IN_HANDLER to 1 (Cortex-M); a port defining 0 (rv32, host) implements
// none of the three below, and every bottom half runs in the kernel thread.
// arch_irq_serve_in_handler: the board says line irq's bottom half (its service_irq) may
// run in handler mode, at the interrupt's priority: it must not block; it should end,
// stop or fault no process (the kernel would then hand the rest to the thread). A fault
// there is a kernel fault, as in the thread. pre: at boot, before interrupts are unmasked.
// kernel_irq_from_thread, kernel_irq_from_process: the port's top half of such a line,
// taken with no other line noted for the kernel thread, calls one of them from the
// exception (the line not noted, not masked): _from_thread when the exception was taken
// from the kernel thread, _from_process when it was taken from the process ctx (r4-r11 and
// the stack pointer saved in it: the kernel thread is suspended in arch_switch_to_process).
// The kernel serves the line only when that thread is at a known point (suspended for ctx,
// or idle in its wait for interrupt), never while it is busy, and only when no deferred
// call waits. Returns KERNEL_IRQ_DECLINED: not served, mask the line and note it for the
// kernel thread as a plain top half does; KERNEL_IRQ_SERVED: served (complete the line as
// arch_irq_complete does), then return to the kernel thread (from a process:
// SWITCH_INTERRUPT, without saving again); anything else: served, complete the line and
// enter that context as kernel_switch_preempted's (from a process: ctx itself, since the
// round robin does not preempt for a woken process; from the idle thread: the process
// picked, entered with the thread's r4-r11 kept on its stack so that the process's next
// trap resumes the thread at its idle point).
// arch_switch_reason: why the process trapped, for the kernel thread when it comes back
// from its idle wait to a process entered meanwhile (what arch_switch_to_process returns).
#if ARCH_IRQ_IN_HANDLER
void arch_irq_serve_in_handler(unsigned irq);
enum { KERNEL_IRQ_DECLINED = 0, KERNEL_IRQ_SERVED = 1 };
uintptr_t kernel_irq_from_thread(unsigned irq);
uintptr_t kernel_irq_from_process(struct arch_ctx *ctx, unsigned irq);
enum switch_reason arch_switch_reason(void);
#endif

// Prepare a fresh context whose stack pointer is sp (all other registers zero).
// pre: ctx is not running; the ARCH_MIN_APP_RAM bytes from sp are zero (process_reset
// zeroes all the fresh incarnation reaches first, so the port does not zero them again).
// post: arch_push_upcall can be used to give it an entry call.
void arch_ctx_init(struct arch_ctx *ctx, uint32_t sp);

// Run the process until something needs the kernel.
// pre: the MPU holds this process's regions (arch_mpu_load); interrupts may be masked
//      or not; the timeslice timer is armed if it should be.
// post: ctx holds the process's full state; the return value says why it stopped.
//       On SWITCH_FAULT, arch_fault_print can describe the fault until the next switch.
enum switch_reason arch_switch_to_process(struct arch_ctx *ctx);

// On every syscall's path, so <arch_defs.h> defines them as static inline functions:
//   bool arch_ctx_stack_ok(const struct arch_ctx *ctx, const struct arch_mem_bounds *mem);
//     true if the context's saved stack pointer (and the frame the port keeps there)
//     lies inside mem. Checked once at every kernel entry from the process, before the
//     kernel reads or writes anything there. pre: mem->start >= ARCH_FRAME_BYTES (RAM
//     does not start at address 0), so ports may compute mem->brk - ARCH_FRAME_BYTES.
//   uint32_t arch_syscall_class(const struct arch_ctx *ctx);
//     the class number of the trap. pre: the context trapped with a syscall.
//   uint32_t *arch_syscall_regs(struct arch_ctx *ctx);
//     the four argument registers as trapped, a0..a3 consecutive, which are also where
//     the syscall's return values go (registers a handler does not write keep their
//     values). pre: the context trapped with a syscall and arch_ctx_stack_ok held for it
//     against the process's current bounds (on Cortex-M they are the stacked frame).

// Make the process, when next resumed, call fn(a[0], a[1], a[2], a3) and then return to
// where it trapped (or, for an entry call, fault on return). The three arguments come by
// pointer (they sit in an upcall record), so that the call passes all but a3 in registers.
// post: false (nothing written) if the process stack lies outside mem: fault it.
bool arch_push_upcall(struct arch_ctx *ctx, const struct arch_mem_bounds *mem, uint32_t fn,
                      const uint32_t a[3], uint32_t a3);

// Stack pointer as last saved, for diagnostics.
uint32_t arch_ctx_sp(const struct arch_ctx *ctx);

// PC and return address (LR, ra) as last saved, for the fault dump's source lines.
// post: false (nothing written) when they live on a process stack outside mem.
bool arch_ctx_pc_lr(const struct arch_ctx *ctx, const struct arch_mem_bounds *mem, uint32_t *pc,
                    uint32_t *lr);

// Print the saved registers of the context (kprintf). Registers kept on the process
// stack are read only if that stack lies inside mem.
void arch_ctx_print(const struct arch_ctx *ctx, const struct arch_mem_bounds *mem);

// Print the decoded cause of the last process fault and the faulting address, if any.
// pre: the last switch returned SWITCH_FAULT.
void arch_fault_print(void);

// Undo whatever a fault left armed for this process (Cortex-M: a pending SVC from a
// stacking fault during svc). pre: the process is being killed or restarted.
void arch_fault_cleanup(void);

// ---- Timeslice timer ------------------------------------------------------------------

// Arm a one-shot timer that ends the running process's slice after us microseconds,
// also while the last slice still counts (a blocking switch in a handler starts the next
// one without stopping it): the new slice replaces it, and no expiry of the old one stays
// pending. post: if it expires while a process runs, the switch returns SWITCH_TIMESLICE.
void arch_timeslice_start(uint32_t us);

// Start a slice of us in kernel_switch_preempted, where the port's timer has just
// expired and, unlike arch_timeslice_start's one-shot, may have been left running with
// its reload (Cortex-M: SysTick): a slice of the same length is then already counting.
// post: as arch_timeslice_start(us).
void arch_timeslice_renew(uint32_t us);

// True once the armed slice has run out (cheap; called after every served syscall).
bool arch_timeslice_expired(void);

// Stop it. post: returns the microseconds left (0 if it expired) and no expiry is pending.
uint32_t arch_timeslice_stop(void);

// ---- Memory protection ----------------------------------------------------------------

// Compute the protection for one process: flash [flash, flash+flash_len) read/execute,
// RAM [ram, brk) read/write, with ram_len the whole (power-of-two or port-rounded) block
// and kbrk the kernel break (lowest kernel-owned byte) that must stay unreachable.
// post: false if the hardware cannot express it (e.g. brk would expose kernel memory).
// On success *cfg holds the register values; nothing is loaded yet.
bool arch_mpu_plan(struct arch_mpu_config *cfg, uint32_t flash, uint32_t flash_len, uint32_t ram,
                   uint32_t ram_len, uint32_t brk, uint32_t kbrk);

// First RAM byte the process cannot reach when its break is brk (the MPU rounds the
// break up). A grant allocation may not lower the kernel break below this.
uint32_t arch_mpu_ram_reach(uint32_t ram, uint32_t ram_len, uint32_t brk);

// Load a plan into the hardware. The kernel calls it only when the running process or
// its plan changed, so ports need not compare.
void arch_mpu_load(const struct arch_mpu_config *cfg);

// Round a process RAM request the way the hardware needs it and place it as high in
// [pool_start, pool_end) as the hardware's alignment allows.
// post: *start ≥ pool_start, aligned as required, *start + *len ≤ pool_end; *len ≥ want
//       plus kernel_part; false if it does not fit. want and kernel_part come from an
//       untrusted TBF and may be anything up to 2^32 - 1: their sum and every rounding must
//       be computed without wrapping (a wrapped sum would admit the app with a tiny block).
bool arch_mpu_place_ram(uint32_t pool_start, uint32_t pool_end, uint32_t want, uint32_t kernel_part,
                        uint32_t *start, uint32_t *len);

// True if the MPU can protect flash [start, start+len) as one process's code.
bool arch_mpu_flash_ok(uint32_t start, uint32_t len);

// ---- Memory protection: the IPC shared region -----------------------------------------
// One region per process beyond its own flash and RAM: read/write, never execute, on
// exactly one buffer of another process, the one an IPC peer currently shares with it
// (kernel/ipc.c). Kept out of struct arch_mpu_config (and out of arch_mpu_load) so a
// switch between processes that have none costs nothing more. <arch_defs.h> defines
// struct arch_mpu_shared.

// Compute the region giving the process unprivileged read/write (execute-never) access to
// exactly [addr, addr + len).
// post: false (*sh untouched) if len == 0, the range wraps, or one region of this hardware
//       cannot cover exactly that range (PMSAv7: len a power of two >= 32, addr a multiple
//       of len; PMSAv8: addr and len multiples of 32; PMP: multiples of 4). Nothing loaded.
bool arch_mpu_plan_shared(struct arch_mpu_shared *sh, uint32_t addr, uint32_t len);

// Load the shared region planned in *sh, or switch it off (sh == NULL).
// pre: arch_mpu_load just loaded the plan of the same process (a port may switch the
//      shared region off there). The kernel calls this after arch_mpu_load whenever the
//      process being loaded or the one loaded before had a shared region.
void arch_mpu_load_shared(const struct arch_mpu_shared *sh);

// Print the CPU state of the caller for a panic dump: stack pointer, return address,
// mode, and the fault status registers decoded. Must work with interrupts masked and
// only kprintf_sync available.
void arch_panic_dump(void);

// ---- Kernel stack ---------------------------------------------------------------------

// Bytes of the kernel stack never touched so far (high-water mark), for diagnostics.
uint32_t arch_kernel_stack_unused(void);

// Calls fn(arg) with the stack pointer moved to top (rounded down to the ABI's alignment)
// and restores it after. For work whose stack does not fit the kernel stack (the ECDSA
// check, about 1.5 kB): the caller lends RAM no process uses. Interrupts taken meanwhile
// stack there too. The host port calls fn on its own stack.
void arch_call_on_stack(void (*fn)(void *), void *arg, uintptr_t top);

#endif
