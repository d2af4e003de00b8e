// SPDX-License-Identifier: Apache-2.0
// perms_probe: calls that its TBF Permissions TLV allows and refuses, with the answers.
//
// Built twice from this source. perms_probe's TBF lists only the console, and only its
// commands 0, 1 and 64 (Makefile); perms_free (PERMS_FREE, mk/userland.mk) has no
// Permissions TLV. Both make the same calls and print "NAME: call variant V RESULT", so a
// test sees the filter's answer beside the driver's own: a refused call answers as a
// driver the board does not have (the "missing" line), subscribe and allow with the
// Failure-with-2-u32 variant (2) that libcairn, like libtock-c, expects there.
#include <stdint.h>
#include <stdio.h>

#include "cairn.h"

#ifdef PERMS_FREE
#define NAME "perms_free"
#else
#define NAME "perms_probe"
#endif

#define DRV_ALARM   0x0u
#define DRV_CONSOLE 0x1u
#define DRV_MISSING 0xC0FFEEu // no board has it

static uint32_t buf[4];

static void never(int a, int b, int c, void *d)
{
    (void)a, (void)b, (void)c, (void)d;
}

static void show(const char *what, struct syscall_return r)
{
    // Success variants are 128 and up; a failure's status is the Tock error code.
    returncode_t rc = r.variant >= 128 ? RETURNCODE_SUCCESS : -(returncode_t)r.data[0];
    printf(NAME ": %s variant %u %s\n", what, (unsigned)r.variant, returncode_name(rc));
}

int main(void)
{
    // printf itself needs the console's allow, subscribe and command 1: it works or this
    // line never shows.
    printf(NAME ": start\n");
    show("missing command 0", command(DRV_MISSING, 0, 0, 0));
    show("missing subscribe 0", subscribe(DRV_MISSING, 0, never, NULL));
    show("console command 0", command(DRV_CONSOLE, 0, 0, 0));
    show("console command 64", command(DRV_CONSOLE, 64, 0, 0));
    show("console command 65", command(DRV_CONSOLE, 65, 0, 0));
    show("alarm command 0", command(DRV_ALARM, 0, 0, 0));
    show("alarm subscribe 0", subscribe(DRV_ALARM, 0, never, NULL));
    show("alarm allow-rw 0", allow_rw(DRV_ALARM, 0, buf, sizeof buf));
    show("alarm allow-ro 0", allow_ro(DRV_ALARM, 0, buf, sizeof buf));
    show("alarm allow-ur 0", allow_userspace_r(DRV_ALARM, 0, buf, sizeof buf));
    // Never filtered: memop and yield.
    show("memop ram-start", memop(MEMOP_RAM_START, 0));
    printf(NAME ": yield-no-wait %s\n", yield_no_wait() ? "ran an upcall" : "nothing");
    printf(NAME ": done\n");
    return 0;
}
