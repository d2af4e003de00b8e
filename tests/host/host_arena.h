// SPDX-License-Identifier: Apache-2.0
// Memory below 4 GB for host tests and fuzzers, and conversions to the kernel's addresses.
//
// The kernel keeps addresses as uint32_t, so process blocks and fake flash must live in
// the low 4 GB: MAP_32BIT (x86-64 Linux). Shared by the cmocka tests (host_proc.h) and
// the syscall fuzzer (tests/fuzz/fuzz_syscall.c); needs no test framework.
#ifndef CAIRN_TESTS_HOST_ARENA_H
#define CAIRN_TESTS_HOST_ARENA_H

#include <stdint.h>
#include <sys/mman.h>

static inline uint32_t host_addr(const void *ptr)
{
    return (uint32_t)(uintptr_t)ptr;
}

static inline uint8_t *host_ptr(uint32_t addr)
{
    return (uint8_t *)(uintptr_t)addr;
}

// len bytes of read-write memory wholly below 4 GB, or null: fd's first len bytes, shared
// (so they can be mapped a second time elsewhere), or fresh zeroed memory if fd is -1.
static inline uint8_t *host_map_low_fd(uint32_t len, int fd)
{
    int flags = MAP_32BIT | (fd < 0 ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_SHARED);
    void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, 0);
    if (m == MAP_FAILED)
        return NULL;
    if ((uintptr_t)m + len > 0xFFFFFFFFu) {
        munmap(m, len);
        return NULL;
    }
    return m;
}

static inline uint8_t *host_map_low(uint32_t len)
{
    return host_map_low_fd(len, -1);
}

#endif
