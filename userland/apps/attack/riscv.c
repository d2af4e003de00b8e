// SPDX-License-Identifier: Apache-2.0
// attack: the RISC-V trap kinds of the attack matrix (ecall classes, CSRs, PMP, breakpoints).
//
// A RISC-V trap pushes nothing: the kernel saves every register into the process's
// control block and never reads or writes its stack. So every ecall is served whatever
// the stack pointer is, and a bad SP faults only when the process itself uses it (the
// stack_store case). The attacks Cortex-M has no counterpart for are here instead:
// instructions U-mode may not run (CSR writes to the trap vector and the PMP, counter
// reads, wfi, mret), loads and stores to the devices and the kernel, misaligned
// accesses, and ecalls whose registers the kernel must refuse.
#if defined(__riscv)

#include <stdint.h>

#include "attack.h"

// Devices of QEMU virt (boards/qemu-rv32-virt/README.md); U-mode reaches none of them.
#define UART0_ADDRESS    0x10000000u
#define FINISHER_ADDRESS 0x00100000u // SiFive test device: a store of 0x5555 ends QEMU
#define FINISHER_PASS    0x5555u
#define MTIMECMP_ADDRESS 0x02004000u
// The board's RAM (Tock's qemu_rv32_virt map) starts at 0x80200000 with the 2 kB kernel
// stack at its bottom; the kernel's flash starts at 0x80000000.
#define KERNEL_RAM_ADDRESS   0x80200400u
#define KERNEL_FLASH_ADDRESS 0x80000000u
// Fixed-address apps: slot i's RAM is 0x80300000 + i * 64 kB (userland/common.mk).
#define RAM_SLOT_SIZE 0x10000u

// "ret; nop" (c.jr ra, c.nop) in .data: process RAM is never executable.
static uint16_t ram_code[2] __attribute__((aligned(4))) = {0x8082, 0x0001};

// The upcall runs on whatever SP the case set (the kernel calls it from the trap point
// with every register as it was), so it must not touch the stack: assembly, not C.
__asm__(".text\n"
        ".balign 2\n"
        ".global attack_on_alarm\n"
        ".type attack_on_alarm, @function\n"
        "attack_on_alarm:\n"
        "    lui t0, %hi(attack_upcalls)\n"
        "    lw t1, %lo(attack_upcalls)(t0)\n"
        "    addi t1, t1, 1\n"
        "    sw t1, %lo(attack_upcalls)(t0)\n"
        "    ret\n"
        ".size attack_on_alarm, . - attack_on_alarm\n");

uint32_t attack_sp(void)
{
    uint32_t here;
    __asm__ volatile("mv %0, sp" : "=r"(here));
    return here;
}

// RISC-V keeps every bit of sp: a served trap returns with exactly the SP it was given.
uint32_t attack_sp_expected(uint32_t sp)
{
    return sp;
}

uint32_t attack_kernel_ram(void)
{
    return KERNEL_RAM_ADDRESS;
}

// The neighbours' RAM: the test places a counter in the slot below and the one above.
uint32_t attack_below_ram(void)
{
    return memop_value(MEMOP_RAM_START) - RAM_SLOT_SIZE + 256u;
}

uint32_t attack_other_process(void)
{
    return memop_value(MEMOP_RAM_START) + RAM_SLOT_SIZE + 256u;
}

_Noreturn void attack_restart(void)
{
    register uint32_t a0 __asm__("a0") = EXIT_RESTART;
    register uint32_t a1 __asm__("a1") = 0;
    register uint32_t a4 __asm__("a4") = SYSCALL_CLASS_EXIT;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a4) : "memory");
    for (;;) {
    }
}

uint32_t run_arch_case(enum trap t, uint32_t sp, struct regs *io)
{
    uint32_t wrong = 0;
    switch (t) {
    case TRAP_class_all_ones:
        // a4 is a whole register on RISC-V (the svc immediate is 8 bits on Arm).
        TRAP_SYSCALL(0xFFFFFFFFu, sp, io);
        return WRONG_RETURNED;
    case TRAP_yield_unknown:
        set(io, 3, 0, 0, 0);
        TRAP_SYSCALL(SYSCALL_CLASS_YIELD, sp, io);
        return WRONG_RETURNED;
    case TRAP_illegal:
        TRAP_AT("unimp", sp, io);
        return WRONG_RETURNED;
    case TRAP_ebreak:
        TRAP_AT("ebreak", sp, io);
        return WRONG_RETURNED;
    case TRAP_csrw_mtvec:
        // Would send the next trap (the kernel's) to an address the process chose.
        set(io, (uint32_t)(uintptr_t)ram_code, 0, 0, 0);
        TRAP_AT("csrw mtvec, a0", sp, io);
        return WRONG_RETURNED;
    case TRAP_csrw_pmpcfg0:
        // Would make entries 0-3 read-write-execute over everything they describe.
        set(io, 0x0F0F0F0Fu, 0, 0, 0);
        TRAP_AT("csrw pmpcfg0, a0", sp, io);
        return WRONG_RETURNED;
    case TRAP_rdcycle:
        // No counters for U-mode (mcounteren is 0; with S-mode present, scounteren too).
        TRAP_AT("rdcycle a0", sp, io);
        return WRONG_RETURNED;
    case TRAP_wfi:
        // mstatus.TW: U-mode may not idle the hart.
        TRAP_AT("wfi", sp, io);
        return WRONG_RETURNED;
    case TRAP_mret:
        TRAP_AT("mret", sp, io);
        return WRONG_RETURNED;
    case TRAP_uart_load:
        set(io, 0, UART0_ADDRESS, 0, 0);
        TRAP_AT("lw a0, 0(a1)", sp, io);
        return WRONG_RETURNED;
    case TRAP_finisher_store:
        // Allowed, this store would end the whole machine with a pass.
        set(io, FINISHER_PASS, FINISHER_ADDRESS, 0, 0);
        TRAP_AT("sw a0, 0(a1)", sp, io);
        return WRONG_RETURNED;
    case TRAP_mtimecmp_store:
        // Allowed, this would move the timer that ends the process's time slice.
        set(io, 0xFFFFFFFFu, MTIMECMP_ADDRESS, 0, 0);
        TRAP_AT("sw a0, 0(a1)", sp, io);
        return WRONG_RETURNED;
    case TRAP_misaligned_load:
        // QEMU, like many cores, completes a misaligned load in hardware (the privileged
        // spec lets it trap instead): no kernel is involved, but the value must be right.
        attack_words[0] = 0x33221100u;
        attack_words[1] = 0x77665544u;
        set(io, 0, (uint32_t)(uintptr_t)attack_words + 2u, 0, 0);
        TRAP_AT("lw a0, 0(a1)", sp, io);
        wrong |= io->r[0] != 0x55443322u ? WRONG_REGS : 0;
        break;
    case TRAP_misaligned_amo:
        set(io, 1, (uint32_t)(uintptr_t)attack_words + 2u, 0, 0);
        TRAP_AT("amoadd.w a0, a0, (a1)", sp, io);
        return WRONG_RETURNED;
    case TRAP_exec_ram:
        set(io, 0, (uint32_t)(uintptr_t)ram_code, 0, 0);
        TRAP_AT("jalr a1", sp, io);
        return WRONG_RETURNED;
    case TRAP_exec_kernel:
        set(io, 0, KERNEL_FLASH_ADDRESS, 0, 0);
        TRAP_AT("jalr a1", sp, io);
        return WRONG_RETURNED;
    case TRAP_stack_store:
        // A push: on RISC-V the process's own store is the first (and only) use of a bad
        // SP. SP is moved first, so the fault dump shows it equal to the faulting address.
        TRAP_AT("addi sp, sp, -4\n\tsw zero, 0(sp)\n\taddi sp, sp, 4", sp, io);
        break;
    default:
        return WRONG_RETURNED; // the shared ones are run_case's
    }
    return wrong;
}

#endif
