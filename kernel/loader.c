// SPDX-License-Identifier: Apache-2.0
// Boot-time app loader: walk the TBF objects in the apps region, create a process each.
#include <stddef.h>

#include "process.h"
#include "sched.h"
#include <cairn/kernel.h>
#include <cairn/kprint.h>
#include <cairn/procinfo.h>
#include <cairn/tbf.h>

static void print_name(const struct tbf_header *h)
{
    if (!h->name) {
        kprintf("(unnamed)");
        return;
    }
    for (uint32_t i = 0; i < h->name_len && i < 32; i++)
        kprintf("%c", h->name[i]);
}

static void report(uint32_t offset, const struct tbf_header *h, const char *what)
{
    kprintf("loader: app at offset 0x%05x '", (unsigned)offset);
    print_name(h);
    kprintf("': %s\n", what);
}

static uint32_t pool_next, pool_end;

uint32_t process_pool_free(void)
{
    return pool_end - pool_next;
}

unsigned loader_load_all(const struct kernel_config *cfg)
{
    uint32_t at = cfg->app_flash_start;
    uint32_t ram = cfg->app_ram_start;
    unsigned slot = 0;
    while (at < cfg->app_flash_end) {
        struct tbf_header h = {0};
        uint32_t off = at - cfg->app_flash_start;
        enum tbf_status st = tbf_parse((const uint8_t *)(uintptr_t)at, cfg->app_flash_end - at, &h);
        if (st == TBF_END)
            break;
        if (st != TBF_OK && !h.name)
            tbf_peek_name((const uint8_t *)(uintptr_t)at, cfg->app_flash_end - at, &h.name,
                          &h.name_len);
        if (!tbf_walk_can_continue(st)) {
            // The object's size cannot be trusted, so nothing after it can be found.
            report(off, &h, tbf_status_str(st));
            kprintf("loader: apps after offset 0x%05x cannot be located, walk stopped\n",
                    (unsigned)off);
            break;
        }
        uint32_t next = at + h.total_size;
        if (st == TBF_PADDING) {
            at = next;
            continue;
        }
        if (st != TBF_OK) {
            char why[64];
            ksnprintf(why, sizeof why, "%s, skipped", tbf_status_str(st));
            report(off, &h, st == TBF_DISABLED ? "disabled, not started" : why);
            at = next;
            continue;
        }
        if (!tbf_fixed_flash_ok(&h, at)) {
            report(off, &h, "linked for another flash address, skipped");
            at = next;
            continue;
        }
        if (!arch_mpu_flash_ok(at, h.total_size)) {
            report(off, &h, "flash placement the MPU cannot protect (size/alignment), skipped");
            at = next;
            continue;
        }
        if (slot >= PROCESS_MAX) {
            report(off, &h, "no free process slot, skipped");
            at = next;
            continue;
        }
        uint32_t want =
            h.minimum_ram_size < ARCH_MIN_APP_RAM ? ARCH_MIN_APP_RAM : h.minimum_ram_size;
        want = (want + 7u) & ~7u;
        uint32_t start, len;
        if (h.has_fixed && h.fixed_ram != TBF_NOT_FIXED) {
            // Fixed-RAM apps (RISC-V style) are not placed by this board's MPU rules.
            report(off, &h, "asks for a fixed RAM address, not supported here, skipped");
            at = next;
            continue;
        }
        if (!arch_mpu_place_ram(ram, cfg->app_ram_end, want, process_kernel_part(), &start, &len)) {
            char why[96];
            ksnprintf(why, sizeof why, "needs %u B of RAM + %u B kernel part, %u B left, skipped",
                      (unsigned)want, (unsigned)process_kernel_part(),
                      (unsigned)(cfg->app_ram_end - ram));
            report(off, &h, why);
            at = next;
            continue;
        }
        struct process *p =
            process_create(slot, at, h.total_size, at + tbf_app_start_offset(&h),
                           at + tbf_entry_offset(&h), want, h.name, h.name_len, start, len);
        kprintf("loader: '");
        print_name(&h);
        kprintf("' slot %u: flash 0x%08x (%u B), ram 0x%08x (%u B)\n", slot, (unsigned)at,
                (unsigned)h.total_size, (unsigned)start, (unsigned)len);
        (void)p;
        slot++;
        ram = start + len;
        at = next;
    }
    pool_next = ram;
    pool_end = cfg->app_ram_end;
    return slot;
}
