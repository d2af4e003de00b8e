// SPDX-License-Identifier: Apache-2.0
// PL022 SPI master driver: transmit FIFO refilled from the bottom half, RX drained.
#include <stddef.h>

#include "arch.h"
#include "pl022.h"

#include <cairn/errorcode.h>

_Static_assert(offsetof(struct ssi_regs, icr) == 0x20, "SSI ICR offset");

#define SPI_OF(h)      ((struct pl022 *)(h))
#define CR0_MODE3_8BIT 0xC7u // SPH | SPO | Freescale format | 8-bit

static void drain(struct pl022 *s)
{
    while (s->regs->sr & SSI_SR_RNE)
        (void)s->regs->dr;
}

void pl022_service(struct pl022 *s)
{
    if (!s->buf) {
        s->regs->im = 0; // nothing to send: stay quiet
        return;
    }
    // At most one FIFO's worth per pass, draining as we go, so the receive FIFO never
    // holds more than it can and no pass spins for long.
    for (unsigned k = 0; k < SSI_FIFO && s->sent < s->len && (s->regs->sr & SSI_SR_TNF); k++) {
        drain(s);
        s->regs->dr = s->buf[s->sent++];
    }
    drain(s);
    if (s->sent < s->len)
        return; // the half-empty interrupt brings the next pass
    s->regs->im = 0;
    while (!(s->regs->sr & SSI_SR_TFE) || (s->regs->sr & SSI_SR_BSY))
        drain(s);
    drain(s);
    s->buf = NULL;
    if (s->client)
        s->client->write_done(s->client, OK);
}

static int write(struct spi_master *m, const uint8_t *buf, uint32_t len)
{
    struct pl022 *s = SPI_OF(m);
    if (s->buf)
        return BUSY;
    if (len == 0)
        return INVAL;
    s->buf = buf;
    s->len = len;
    s->sent = 0;
    // The transmit FIFO is empty, so this raises the interrupt at once: the first bytes
    // go out from the bottom half, and write_done never runs inside this call.
    s->regs->im = SSI_INT_TX;
    return OK;
}

static void set_client(struct spi_master *m, struct spi_client *c)
{
    SPI_OF(m)->client = c;
}

static const struct spi_master_ops ops = {.write = write, .set_client = set_client};

void pl022_init(struct pl022 *s, struct ssi_regs *regs, uint8_t irq, uint32_t prescale)
{
    s->hil.ops = &ops;
    s->regs = regs;
    s->client = NULL;
    s->buf = NULL;
    regs->cr1 = 0; // configure while disabled (datasheet)
    regs->cr0 = CR0_MODE3_8BIT;
    regs->cpsr = prescale;
    regs->im = 0;
    regs->icr = 3u;
    regs->cr1 = SSI_CR1_SSE;
    drain(s);
    arch_irq_enable(irq);
}
