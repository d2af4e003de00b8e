// SPDX-License-Identifier: Apache-2.0
// App start-up in C: RAM image, .bss, relocations, constructors, then main.
//
// Entered from _start (crt0_entry.S) with SP on the app stack and r9 = runtime GOT base,
// but with the GOT still unrelocated: until relocate() has finished, this code must not
// read any global (every global access goes through the GOT) or call anything that does.
// It reads the link-time layout from struct crt0_info, which app.ld writes into flash.

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lowlevel_debug.h"
#include "syscall.h"

// Written by app.ld (the same order, one word each). Every field is a link-time
// address: flash addresses near 0x80000000, RAM addresses from 0.
struct crt0_info {
    uint32_t flash_start;     // start of the binary (= app_start at run time)
    uint32_t flash_end;       // end of the flash image, RAM image included
    uint32_t stack_top;       // end of .stack = stack size
    uint32_t got;             // _GLOBAL_OFFSET_TABLE_ (r9 points here at run time)
    uint32_t ram_image_load;  // flash address of the initial RAM image
    uint32_t ram_image_start; // RAM image: GOT, .data, constructor tables
    uint32_t ram_image_end;
    uint32_t bss_start;
    uint32_t bss_end;   // = initial break
    uint32_t rel_start; // .rel.dyn: Elf32_Rel entries, all R_ARM_RELATIVE
    uint32_t rel_end;
    uint32_t preinit_start; // RAM addresses of .preinit_array
    uint32_t preinit_end;
    uint32_t init_start; // RAM addresses of .init_array
    uint32_t init_end;
};

struct elf32_rel {
    uint32_t r_offset;
    uint32_t r_info;
};

#define R_ARM_RELATIVE 23

// Relocated words need not be aligned (a pointer in a packed struct); Cortex-M3 loads
// and stores unaligned words in one instruction when told to through this type.
struct unaligned_word {
    uint32_t value;
} __attribute__((packed));

_Noreturn void crt0_c_start(uint32_t app_start, uint32_t mem_start, const struct crt0_info *info);
int main(int argc, char **argv);
// newlib's runner of the functions registered with atexit (what its exit calls first).
// Weak: it is linked only into apps that register any (atexit pulls it in).
void __call_exitprocs(int code, void *dso) __attribute__((weak));
// Set by libcairn's stdio set-up (stdio_stubs.c) to flush the streams; null otherwise.
void (*crt0_exit_hook)(void);

_Noreturn static void crt0_fail(uint32_t code)
{
    lowlevel_debug_alert(code);
    exit_terminate(code);
}

static inline const void *flash_ptr(uint32_t link_addr, uint32_t app_start,
                                    const struct crt0_info *info)
{
    return (const void *)(link_addr - info->flash_start + app_start);
}

// Every relocation must patch a word inside the RAM image (flash is read-only and the
// linker's -z text guarantees it has none) and hold a link address inside the app:
// flash-based values move with the binary, RAM-based ones with the process block. One-
// past-the-end pointers are allowed. Anything else means a broken image: stop, loudly,
// instead of jumping through a wrong pointer later.
static void relocate(uint32_t app_start, uint32_t mem_start, const struct crt0_info *info)
{
    const struct elf32_rel *rel = flash_ptr(info->rel_start, app_start, info);
    const struct elf32_rel *end = flash_ptr(info->rel_end, app_start, info);
    for (; rel < end; rel++) {
        uint32_t place = rel->r_offset;
        if ((rel->r_info & 0xff) != R_ARM_RELATIVE || place < info->ram_image_start ||
            place > info->ram_image_end - 4 || info->ram_image_end < 4)
            crt0_fail(LOWLEVEL_DEBUG_ALERT_CRT0_RELOC);
        struct unaligned_word *word = (struct unaligned_word *)(mem_start + place);
        uint32_t value = word->value;
        if (value >= info->flash_start && value <= info->flash_end)
            word->value = value - info->flash_start + app_start;
        else if (value <= info->bss_end)
            word->value = value + mem_start;
        else
            crt0_fail(LOWLEVEL_DEBUG_ALERT_CRT0_RELOC);
    }
}

typedef void constructor_fn(void);

static void run_array(uint32_t start, uint32_t end, uint32_t mem_start)
{
    constructor_fn *const *fn = (constructor_fn *const *)(mem_start + start);
    constructor_fn *const *last = (constructor_fn *const *)(mem_start + end);
    for (; fn < last; fn++)
        (*fn)();
}

void crt0_c_start(uint32_t app_start, uint32_t mem_start, const struct crt0_info *info)
{
    // Plain word loops (app.ld aligns these ranges to 4): volatile keeps the compiler
    // from turning them into library calls, which must not run before relocation.
    const volatile uint32_t *src = flash_ptr(info->ram_image_load, app_start, info);
    volatile uint32_t *dst = (volatile uint32_t *)(mem_start + info->ram_image_start);
    volatile uint32_t *dst_end = (volatile uint32_t *)(mem_start + info->ram_image_end);
    while (dst < dst_end)
        *dst++ = *src++;
    volatile uint32_t *bss = (volatile uint32_t *)(mem_start + info->bss_start);
    volatile uint32_t *bss_end = (volatile uint32_t *)(mem_start + info->bss_end);
    while (bss < bss_end)
        *bss++ = 0;

    relocate(app_start, mem_start, info);

    // Globals work from here on.
    run_array(info->preinit_start, info->preinit_end, mem_start);
    run_array(info->init_start, info->init_end, mem_start);
    // Returning from main ends the process as exit() would, but without newlib's exit,
    // which brings its 96-byte reentrancy structure (for its stdio clean-up) into every
    // app: the atexit functions run if the app has any, then stdio is flushed if the
    // app uses it.
    int code = main(0, NULL);
    if (__call_exitprocs)
        __call_exitprocs(code, NULL);
    if (crt0_exit_hook)
        crt0_exit_hook();
    exit_terminate((uint32_t)code);
}
