// SPDX-License-Identifier: Apache-2.0
// RISC-V app start-up in C: RAM image, thread-local block, .bss, constructors, then main.
//
// Entered from _start (crt0_rv32.S) on the app's own stack, with the break already past
// .bss. The app runs at its link addresses, so nothing is relocated: only copied.
#include <stdint.h>
#include <stdlib.h>

_Noreturn void crt0_rv32_c_start(void);
int main(int argc, char **argv);

extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __tdata_load[], __tls_base[], __tdata_end[], __tls_end[];
extern uint32_t __bss_start[], __bss_end[];

typedef void constructor_fn(void);
extern constructor_fn *const __preinit_array_start[], *const __preinit_array_end[];
extern constructor_fn *const __init_array_start[], *const __init_array_end[];

// Word loops over linker-delimited ranges (4-aligned by app_rv32.ld); volatile keeps the
// compiler from turning them into library calls that might rely on initialised data.
static void copy(const uint32_t *src, uint32_t *dst, const uint32_t *end)
{
    volatile uint32_t *d = dst;
    while ((uintptr_t)d < (uintptr_t)end)
        *d++ = *src++;
}

static void zero(uint32_t *dst, const uint32_t *end)
{
    volatile uint32_t *d = dst;
    while ((uintptr_t)d < (uintptr_t)end)
        *d++ = 0;
}

void crt0_rv32_c_start(void)
{
    copy(__data_load, __data_start, __data_end);
    copy(__tdata_load, __tls_base, __tdata_end);
    zero(__tdata_end, __tls_end);
    zero(__bss_start, __bss_end);
    for (constructor_fn *const *fn = __preinit_array_start; fn < __preinit_array_end; fn++)
        (*fn)();
    for (constructor_fn *const *fn = __init_array_start; fn < __init_array_end; fn++)
        (*fn)();
    exit(main(0, NULL));
}
