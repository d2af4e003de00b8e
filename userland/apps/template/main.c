// SPDX-License-Identifier: Apache-2.0
// template: a starting point for a new app (see README.md): prints, waits, prints again.

#include <stdio.h>

#include "cairn.h"

int main(void)
{
    printf("template: hello\n");
    for (int i = 1; i <= 3; i++) {
        delay_ms(100);
        printf("template: tick %d\n", i);
    }
    return 0;
}
