// SPDX-License-Identifier: Apache-2.0
// Deferred call registry: a bitmap of pending calls, run in index order by the main loop.
#include <cairn/deferred.h>
#include <cairn/kassert.h>

static struct deferred_call *registry[DEFERRED_CALL_MAX];
static unsigned registered;
// Bit i: registry[i] must run. Not static: a port's syscall fast path in assembly reads
// it (non-zero: return to the kernel, not to the process).
uint32_t deferred_call_bits;

void deferred_call_register(struct deferred_call *dc, void (*fn)(void *), void *ctx)
{
    kassert(registered < DEFERRED_CALL_MAX);
    dc->fn = fn;
    dc->ctx = ctx;
    dc->index = (uint8_t)registered;
    registry[registered++] = dc;
}

void deferred_call_schedule(struct deferred_call *dc)
{
    kassert(dc->index < registered && registry[dc->index] == dc);
    deferred_call_bits |= 1u << dc->index;
}

bool deferred_call_pending(void)
{
    return deferred_call_bits != 0;
}

unsigned deferred_call_run(void)
{
    uint32_t now = deferred_call_bits;
    deferred_call_bits &= ~now;
    unsigned ran = 0;
    while (now) {
        unsigned i = (unsigned)__builtin_ctz(now);
        now &= now - 1;
        registry[i]->fn(registry[i]->ctx);
        ran++;
    }
    return ran;
}

void deferred_call_reset_for_test(void);
void deferred_call_reset_for_test(void)
{
    registered = 0;
    deferred_call_bits = 0;
}
