// SPDX-License-Identifier: Apache-2.0
// Platform-level interrupt controller (PLIC), hart 0 machine-mode context: the arch's IRQ lines.
//
// Line n is PLIC source n. The top half claims a source, completes the claim and masks it
// in the enable word; the bottom half runs in the main loop, and arch_irq_complete
// unmasks it again. A level-triggered device that still asserts is simply pending again.
#include "arch.h"
#include "rv.h"

#define PLIC_REG(off)    (*(volatile uint32_t *)(RV_PLIC_BASE + (off)))
#define PLIC_PRIORITY(n) PLIC_REG(4u * (n))
#define PLIC_ENABLE0     PLIC_REG(0x2000u)   // context 0: sources 0..31
#define PLIC_THRESHOLD   PLIC_REG(0x200000u) // context 0
#define PLIC_CLAIM       PLIC_REG(0x200004u) // read: claim, write: complete

// Lines the kernel has enabled; the enable word holds these minus the fired ones.
static uint32_t wanted;

// Writes the enable word. QEMU 7.2's PLIC does not re-evaluate its output when the enable
// word changes, so a source unmasked with its interrupt already pending would stay silent
// until some other PLIC event; rewriting the threshold (same value) forces the update.
static void set_enable(uint32_t value)
{
    PLIC_ENABLE0 = value;
    PLIC_THRESHOLD = 0;
}

void rv_plic_init(void)
{
    wanted = 0;
    set_enable(0); // threshold 0: every priority above 0 interrupts
}

void rv_plic_enable(unsigned irq)
{
    PLIC_PRIORITY(irq) = 1;
    uint32_t s = arch_irq_save();
    wanted |= 1u << irq;
    set_enable(wanted & ~rv_irq_fired);
    arch_irq_restore(s);
}

void rv_plic_disable(unsigned irq)
{
    uint32_t s = arch_irq_save();
    wanted &= ~(1u << irq);
    set_enable(wanted & ~rv_irq_fired);
    arch_irq_restore(s);
}

void rv_plic_refresh(void)
{
    set_enable(wanted & ~rv_irq_fired);
}

void rv_plic_isr(void)
{
    uint32_t id;
    while ((id = PLIC_CLAIM) != 0) {
        // Complete first, while the source is still enabled: the PLIC ignores the
        // completion of a disabled source, which would leave it claimed for good. Then
        // mask it: a level that is still high pends again, but stays quiet until the
        // bottom half has run.
        PLIC_CLAIM = id;
        if (id < RV_IRQ_LINES)
            rv_irq_fired |= 1u << id;
        set_enable(wanted & ~rv_irq_fired);
    }
}
