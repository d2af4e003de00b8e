// SPDX-License-Identifier: Apache-2.0
// ARMv8-M variant hooks of the Cortex-M port: SecureFault routing and its status registers.
//
// Cairn runs entirely in Secure state on ARMv8-M boards with the Security Extension (the
// core resets Secure, and nothing ever enters Non-secure state), so the SAU stays disabled
// and every address is Secure. A SecureFault can still be raised by an instruction that
// only makes sense across states (e.g. a process executing BXNS or SG); it is taken like
// the other configurable faults, at the same priority, and described from SFSR/SFAR.
#include "regs.h"
#include "cm.h"

#include <cairn/kprint.h>

#define SFSR ((volatile uint32_t *)0xE000EDE4u)
#define SFAR ((volatile uint32_t *)0xE000EDE8u)

#define SFSR_INVEP     (1u << 0)
#define SFSR_INVIS     (1u << 1)
#define SFSR_INVER     (1u << 2)
#define SFSR_AUVIOL    (1u << 3)
#define SFSR_INVTRAN   (1u << 4)
#define SFSR_LSPERR    (1u << 5)
#define SFSR_SFARVALID (1u << 6)
#define SFSR_LSERR     (1u << 7)
#define SFSR_ALL       0xFFu

void cm_variant_init(void)
{
    volatile uint8_t *prio = (volatile uint8_t *)SCB->shpr;
    prio[SHPR_IDX_SECURE] = 0x00;
    SCB->shcsr |= SCB_SHCSR_SECUREFAULTENA;
}

uint32_t cm_variant_fault_capture(uint32_t *addr)
{
    uint32_t sfsr = *SFSR & SFSR_ALL;
    *addr = *SFAR;
    *SFSR = sfsr; // write 1 to clear: the next fault reads fresh bits
    return sfsr;
}

void cm_variant_fault_print(uint32_t status, uint32_t addr)
{
    if (status == 0)
        return;
    kprintf("  SFSR %p\n", KADDR(status));
    // SFSR bits 0-7 in bit order (SFARVALID: the address line covers it).
    cm_print_bits(status,
                  "invalid Secure entry point (INVEP)\0"
                  "invalid integrity signature on exception return (INVIS)\0"
                  "invalid exception return (INVER)\0"
                  "attribution unit violation (AUVIOL)\0"
                  "invalid transition between security states (INVTRAN)\0"
                  "lazy state preservation error (LSPERR)\0"
                  "\0"
                  "lazy state error (LSERR)",
                  8, CM_BIT_LINE);
    if (status & SFSR_SFARVALID)
        kprintf("  faulting address: %p (SFAR)\n", KADDR(addr));
}
