// SPDX-License-Identifier: Apache-2.0
// malloc_test: checks newlib's allocator over memop sbrk; prints "malloc_test: OK".
//
// malloc/calloc/realloc/free patterns with content checks, heap growth through sbrk, and a
// refused huge allocation; a failure prints the failing step.

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn.h"

#define BLOCKS 24

static unsigned failures;

static void check(int ok, const char *step)
{
    if (!ok) {
        failures++;
        printf("malloc_test: FAIL at %s\n", step);
    }
}

static uint8_t pattern(size_t block, size_t i)
{
    return (uint8_t)(block * 31 + i * 7 + 1);
}

static int has_pattern(const uint8_t *p, size_t block, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != pattern(block, i))
            return 0;
    return 1;
}

static void fill(uint8_t *p, size_t block, size_t len)
{
    for (size_t i = 0; i < len; i++)
        p[i] = pattern(block, i);
}

static uint32_t current_break(void)
{
    uint32_t brk = 0;
    memop_u32(memop(MEMOP_SBRK, 0), &brk);
    return brk;
}

int main(void)
{
    uint32_t heap_start = current_break();
    printf("malloc_test: break at %#" PRIx32 "\n", heap_start);

    // 1. Many small blocks of different sizes, all alive at once.
    uint8_t *blocks[BLOCKS];
    size_t sizes[BLOCKS];
    for (size_t b = 0; b < BLOCKS; b++) {
        sizes[b] = 1 + (b * 13) % 64;
        blocks[b] = malloc(sizes[b]);
        check(blocks[b] != NULL, "1 malloc small");
        if (blocks[b] == NULL)
            return 1;
        check(((uintptr_t)blocks[b] & 7) == 0, "1 alignment");
        fill(blocks[b], b, sizes[b]);
    }
    for (size_t b = 0; b < BLOCKS; b++)
        check(has_pattern(blocks[b], b, sizes[b]), "1 contents");

    // 2. Free every other block, allocate into the holes, the survivors must be intact.
    for (size_t b = 0; b < BLOCKS; b += 2)
        free(blocks[b]);
    for (size_t b = 0; b < BLOCKS; b += 2) {
        blocks[b] = malloc(sizes[b]);
        check(blocks[b] != NULL, "2 malloc into holes");
        if (blocks[b] != NULL)
            fill(blocks[b], b, sizes[b]);
    }
    for (size_t b = 0; b < BLOCKS; b++)
        check(blocks[b] != NULL && has_pattern(blocks[b], b, sizes[b]), "2 contents");

    // 3. calloc returns zeroed memory, also where freed blocks were dirty.
    free(blocks[1]);
    uint8_t *zeroed = calloc(16, 4);
    check(zeroed != NULL, "3 calloc");
    for (size_t i = 0; zeroed != NULL && i < 64; i++)
        check(zeroed[i] == 0, "3 calloc zeroed");
    free(zeroed);
    blocks[1] = NULL;

    // 4. realloc growing step by step keeps the prefix.
    uint32_t before_growth = current_break();
    uint8_t *grow = NULL;
    size_t len = 0;
    for (size_t next = 16; next <= 1536; next *= 2) {
        uint8_t *p = realloc(grow, next);
        check(p != NULL, "4 realloc grow");
        if (p == NULL)
            break;
        check(has_pattern(p, 99, len), "4 realloc keeps contents");
        grow = p;
        fill(grow, 99, next);
        len = next;
    }
    uint32_t after_growth = current_break();
    printf("malloc_test: sbrk grew the heap from %#" PRIx32 " to %#" PRIx32 " (+%" PRIu32 ")\n",
           before_growth, after_growth, after_growth - before_growth);
    check(after_growth > before_growth, "4 heap grew");

    // 5. realloc shrinking keeps the prefix too.
    uint8_t *shrunk = realloc(grow, 100);
    check(shrunk != NULL && has_pattern(shrunk, 99, 100), "5 realloc shrink");
    free(shrunk != NULL ? shrunk : grow);

    // 6. An allocation larger than the whole process block must fail cleanly.
    void *huge = malloc(1u << 20);
    check(huge == NULL, "6 huge malloc refused");
    free(huge);

    for (size_t b = 0; b < BLOCKS; b++)
        free(blocks[b]);

    // 7. After everything is freed, a block as large as the biggest one fits again.
    void *again = malloc(1536);
    check(again != NULL, "7 reuse after free");
    free(again);

    if (failures == 0)
        printf("malloc_test: OK\n");
    else
        printf("malloc_test: %u failures\n", failures);
    return failures == 0 ? 0 : 1;
}
