// SPDX-License-Identifier: Apache-2.0
// Read-only process information and lifecycle control for kernel services (process console).
#ifndef CAIRN_PROCINFO_H
#define CAIRN_PROCINFO_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/process.h>

struct process_info {
    procid_t pid;
    const char *name; // not NUL-terminated
    uint32_t name_len;
    uint32_t state; // 0 running, 1 yielded, 2 yielded-for, 3 stopped, 4 faulted, 5 terminated
    const char *state_name;
    uint32_t syscalls, timeslice_expirations, restarts, dropped_upcalls, pending_upcalls;
    uint32_t mem_start, mem_len, app_brk, kernel_brk;
    uint32_t flash_start, flash_len;
    // For the process console's memory map: the saved stack pointer, the app's stack-top
    // and heap-start hints (memop 10/11; 0 if it gave none), the first byte of its
    // binary, the process control block (the kernel part above the grants) and the
    // completion code of a terminated process.
    uint32_t sp, stack_hint, heap_hint, app_start, pcb, completion_code;
    bool filtered; // its TBF Permissions TLV limits its syscalls (doc/tbf.md); false without
                   // the filter (FEATURE_PERMISSIONS 0)
};

// Interrupt bottom halves the kernel has run since boot, in its thread or in a handler (one
// per interrupt event when the port takes each event once).
uint32_t kernel_interrupts_serviced(void);

// True if an interrupt's bottom half waits for the kernel thread.
bool kernel_interrupt_waiting(void);

// Bytes of the process RAM pool not yet given to any process.
uint32_t process_pool_free(void);

// Slot count of the process table.
unsigned process_slots(void);

// False if the slot is empty.
bool process_info_get(unsigned slot, struct process_info *out);

// The id of the process in a slot (whatever its state), PROCID_NONE for an empty or
// unknown slot: the cheap question, for drivers that address processes by slot.
procid_t process_slot_pid(unsigned slot);

enum process_action {
    PROCESS_ACTION_STOP = 2, // pause (keeps state for resume)
    PROCESS_ACTION_RESUME = 1,
    PROCESS_ACTION_FAULT = 3, // as if it faulted (applies the fault policy)
    PROCESS_ACTION_TERMINATE = 4,
    PROCESS_ACTION_BOOT = 5, // start a terminated or faulted process afresh
};

// OK, INVAL (empty slot or action not valid in the current state).
int process_control(unsigned slot, enum process_action action);

// For the app store (kernel/loader.c): start a process for the runnable TBF at flash
// address at (avail bytes readable from there) in a free slot and free pool RAM. OK and
// *slot; INVAL (not a runnable app for this place), ALREADY (a process of the same name
// exists), BUSY (no free slot), NOMEM (no RAM block fits).
int loader_start_app(uint32_t at, uint32_t avail, unsigned *slot);
// For the app store: NULL if the board's credentials policy lets the TBF at img run (the
// app store's staged copy: committed or not, base = its real 16-byte base header), else
// the reason in words. Borrows free process RAM for an ECDSA check.
const char *loader_check_app(const uint8_t *img, uint32_t avail, const uint8_t base[16]);
// End the process in slot and give its slot and RAM back. OK, INVAL (empty slot).
int loader_stop_app(unsigned slot);

#endif
