// SPDX-License-Identifier: Apache-2.0
// hello: printf through newlib, including a float, to show the C library works from PIC.

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const greetings[] = {"Hello", "Hej", "Salut"};

int main(void)
{
    printf("Hello from Cairn!\n");
    // A pointer table in .data.rel.ro and a float: both need the relocated image.
    for (size_t i = 0; i < sizeof(greetings) / sizeof(greetings[0]); i++)
        printf("%s #%u\n", greetings[i], (unsigned)i);
    double ratio = 22.0 / 7.0;
    printf("pi is about %.4f (%d/%d)\n", ratio, 22, 7);
    char buf[32];
    snprintf(buf, sizeof(buf), "%ld", strtol("-12345", NULL, 10));
    printf("strtol and snprintf: %s, strlen %u\n", buf, (unsigned)strlen(buf));
    fprintf(stderr, "hello: done\n");
    return 0;
}
