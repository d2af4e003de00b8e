// SPDX-License-Identifier: Apache-2.0
// What a board hands the kernel: drivers, memory, policies, and the chip's bottom halves.
#ifndef CAIRN_KERNEL_H
#define CAIRN_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/driver.h>

enum fault_policy {
    FAULT_POLICY_PANIC,   // a process fault stops the whole system (development aid)
    FAULT_POLICY_STOP,    // the process stays faulted; the others run on
    FAULT_POLICY_RESTART, // restart it, up to restart_threshold times, then stop it
};

struct kernel_config {
    const struct driver *drivers; // sorted by num
    uint32_t n_drivers;
    // Apps region in flash, walked at boot, and the RAM pool processes are carved from.
    uint32_t app_flash_start, app_flash_end;
    uint32_t app_ram_start, app_ram_end;
    // Process slots the loader keeps empty at boot for apps started later (the app store's
    // installs): the process table is sized at boot, one pointer of pool RAM per slot.
    uint32_t spare_slots;
    uint32_t timeslice_us;
    enum fault_policy fault_policy;
    uint32_t restart_threshold;
    // A process that faults again after a restart gets a one-line summary instead of the
    // whole dump (its first fault's dump says all the rest), unless this is set: test
    // builds set it, their checks read every dump.
    bool dump_every_fault;
    // Run the bottom half of peripheral line irq (chip code). False if no driver owns it.
    bool (*service_irq)(unsigned irq);
    // Called once after the apps are loaded, before the first process runs (may be null).
    void (*on_ready)(void);
    // The board's credentials policy (cairn/cred.h): NULL runs every app unchecked.
    const struct app_checker *checker;
};

// Load processes and run forever. pre: debug output and drivers are initialised.
_Noreturn void kernel_run(const struct kernel_config *cfg);

// Only for kernel services (process console, tests): the board's config in use.
const struct kernel_config *kernel_config(void);

#endif
