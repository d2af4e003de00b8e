// SPDX-License-Identifier: Apache-2.0
// Subscribe and allow: until grants land these classes fail with their failure variant.
#include "process.h"
#include "sched.h"
#include <cairn/driver.h>

void syscall_subscribe_allow(struct process *p, const struct syscall_args *a)
{
    // Failure with 2 u32: r1 = error, r2/r3 echo the pointer/appdata or address/size
    // passed, which is the only failure shape libtock-c accepts for these classes.
    uint32_t regs[4] = {RET_FAILURE_2U32, NOSUPPORT, a->a[2], a->a[3]};
    struct arch_mem_bounds mem = process_bounds(p);
    if (!arch_syscall_return(&p->ctx, &mem, regs, 4))
        process_fault(p, "syscall return frame outside the process's RAM", false);
}

void upcall_lookup_subscription(struct process *p, uint32_t driver, uint32_t sub, uint32_t *fn,
                                uint32_t *appdata)
{
    (void)p;
    (void)driver;
    (void)sub;
    *fn = 0;
    *appdata = 0;
}
