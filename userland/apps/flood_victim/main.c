// SPDX-License-Identifier: Apache-2.0
// flood_victim: sleeps and prints in a loop while another process tries to flood its queue.
//
// Its only events are its own: one alarm (delay_ms) and one console write-done at a time,
// so its queue never overflows by itself and its dropped-upcall count must stay 0 (ps).
// Prints "flood_victim: round N" ROUNDS times, then "flood_victim: done".

#include <stdio.h>

#include "cairn.h"

#define ROUNDS 20

int main(void)
{
    for (unsigned round = 0; round < ROUNDS; round++) {
        delay_ms(2);
        printf("flood_victim: round %u\n", round);
    }
    printf("flood_victim: done\n");
    return 0;
}
