// SPDX-License-Identifier: Apache-2.0
// frame_read: lets the console write typed bytes over the frame of its own blocked svc.
//
// The app allows the 64 bytes just below its stack pointer as the console's read buffer,
// posts a 64-byte read and blocks in yield-wait-for with an svc issued right here, so the
// hardware frame of that svc (32 bytes under SP) lies inside the buffer. When the test
// types 64 'A's the kernel copies them over the frame: the stacked pc and xPSR become
// 0x41414141. The kernel must return through a sanitised xPSR, so the process faults
// alone on the bogus pc; unsanitised, the exception number in xPSR made the return an
// integrity fault taken in the kernel. Cortex-M only (RISC-V keeps no frame on the stack).
#include <stdint.h>

#include "cairn.h"

#define CONSOLE 1u

int main(void)
{
    lowlevel_debug_alert(0x301); // started
    uint32_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    uint8_t *buf = (uint8_t *)(uintptr_t)(sp - 64);
    if (allow_ok(allow_rw(CONSOLE, 1, buf, 64)) != RETURNCODE_SUCCESS ||
        command_ok(command(CONSOLE, 2, 64, 0)) != RETURNCODE_SUCCESS) {
        lowlevel_debug_alert(0x3ff); // setup failed: the test rejects this
        return 1;
    }
    lowlevel_debug_alert(0x302); // read posted: type now
    // Yield-wait-for (console, read done) from this frame, with nothing pushed in between.
    register uint32_t r0 __asm__("r0") = 2;
    register uint32_t r1 __asm__("r1") = CONSOLE;
    register uint32_t r2 __asm__("r2") = 2;
    __asm__ volatile("svc 0" : "+r"(r0), "+r"(r1), "+r"(r2) : : "r3", "r12", "lr", "memory", "cc");
    lowlevel_debug_alert(0x3ee); // resumed through a frame of typed bytes: must not happen
    return 0;
}
