// SPDX-License-Identifier: Apache-2.0
// The one way to state a kernel invariant: a broken invariant panics with its location.
#ifndef CAIRN_KASSERT_H
#define CAIRN_KASSERT_H

// Exit status of an emulator run that ended in a kernel panic (test builds).
#define CAIRN_PANIC_EXIT_CODE 2

_Noreturn void kernel_panic(const char *file, int line, const char *fmt, ...);

#define kpanic(...) kernel_panic(__FILE__, __LINE__, __VA_ARGS__)

// A failed kassert: kernel_panic(file, line, "assertion failed"). One call with two
// arguments per kassert instead of three (the message is loaded once, in kernel/kernel.c).
_Noreturn void kassert_failed(const char *file, int line);

// kassert is never compiled out: an invariant that fails in the field must stop the
// kernel with a dump rather than corrupt another process. The panic names the file and
// line, which name the invariant; the condition's text is not kept (it cost 12 to 50 B of
// flash per assertion).
#define kassert(cond)                                                                              \
    do {                                                                                           \
        if (!(cond))                                                                               \
            kassert_failed(__FILE__, __LINE__);                                                    \
    } while (0)

#endif
