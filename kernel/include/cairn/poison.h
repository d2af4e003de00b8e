// SPDX-License-Identifier: Apache-2.0
// Manual AddressSanitizer poisoning of grant and allowed memory in host test builds.
//
// Outside grant_enter and the allow accessors nothing in the kernel or a capsule may touch
// that memory; in ASan builds it is poisoned there, so a pointer that escapes is reported
// at its first use. In target builds these compile to nothing.
#ifndef CAIRN_POISON_H
#define CAIRN_POISON_H

// GCC announces ASan with __SANITIZE_ADDRESS__, clang (before 16) only via __has_feature:
// the clang-built fuzzers must poison too.
#if defined(__SANITIZE_ADDRESS__)
#define CAIRN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CAIRN_ASAN 1
#endif
#endif

#if defined(CAIRN_ASAN)
#include <sanitizer/asan_interface.h>
#define KPOISON(addr, n)   ASAN_POISON_MEMORY_REGION((const void *)(uintptr_t)(addr), (n))
#define KUNPOISON(addr, n) ASAN_UNPOISON_MEMORY_REGION((const void *)(uintptr_t)(addr), (n))
#define KPOISON_ENABLED    1
// For the kernel's own stores into process memory that may lie inside an allowed buffer
// (the yield flag byte): legitimate, so exempt from the poisoning.
#define KUNCHECKED __attribute__((no_sanitize_address))
#else
#define KPOISON(addr, n)   ((void)(addr), (void)(n))
#define KUNPOISON(addr, n) ((void)(addr), (void)(n))
#define KPOISON_ENABLED    0
#define KUNCHECKED
#endif

#endif
