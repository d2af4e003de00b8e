// SPDX-License-Identifier: Apache-2.0
// cairn-flashd: the kernel's app store and its protocol over a flash image file (cairnctl -i).
//
// Offline mode runs the very code the board runs (capsules/appstore.c and appstore_link.c,
// the TBF parser) on the apps region of an image file mapped shared, with NOR semantics
// from chips/ramflash, speaking the same frames on stdin/stdout. No process is started.
// usage: cairn-flashd [--base A] [--offset O] [--size S] [--arch ARCH] IMAGE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../capsules/appstore_link.h"
#include "../chips/ramflash/ramflash.h"
#include <cairn/debug.h>
#include <cairn/deferred.h>
#include <cairn/kassert.h>
#include <cairn/procinfo.h>

// The pieces of the kernel the store's files call, for a program without processes.
unsigned process_slots(void)
{
    return 0;
}
bool process_info_get(unsigned slot, struct process_info *out)
{
    (void)slot, (void)out;
    return false;
}
// Kernel messages (none are expected from the store) go to stderr.
void debug_put(char c)
{
    fputc(c, stderr);
}
void debug_put_sync(char c)
{
    fputc(c, stderr);
}
void debug_kick(void) {}
void debug_go_sync(void) {}
_Noreturn void kernel_panic(const char *file, int line, const char *fmt, ...)
{
    fprintf(stderr, "cairn-flashd: internal error at %s:%d: %s\n", file, line, fmt);
    exit(70);
}

_Noreturn void kassert_failed(const char *file, int line)
{
    kernel_panic(file, line, "assertion failed");
}

static void send_out(struct appstore_link *l, const uint8_t *buf, uint32_t len)
{
    fwrite(buf, 1, len, stdout);
    fflush(stdout);
    appstore_link_sent(l);
}

int main(int argc, char **argv)
{
    unsigned long base = 0x21000000, offset = 0, size = 0x40000;
    const char *arch = "cortex-m3", *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--base") == 0)
            base = strtoul(argv[++i], NULL, 0);
        else if (i + 1 < argc && strcmp(argv[i], "--offset") == 0)
            offset = strtoul(argv[++i], NULL, 0);
        else if (i + 1 < argc && strcmp(argv[i], "--size") == 0)
            size = strtoul(argv[++i], NULL, 0);
        else if (i + 1 < argc && strcmp(argv[i], "--arch") == 0)
            arch = argv[++i];
        else
            path = argv[i];
    }
    if (!path || size == 0 || size % 512) {
        fprintf(stderr,
                "usage: cairn-flashd [--base A] [--offset O] [--size S] [--arch A] IMAGE\n");
        return 2;
    }
    int fd = open(path, O_RDWR);
    if (fd < 0) {
        fprintf(stderr, "cairn-flashd: %s: %s\n", path, strerror(errno));
        return 2;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || (unsigned long)st.st_size < offset + size) {
        fprintf(stderr, "cairn-flashd: %s is smaller than the apps region\n", path);
        return 2;
    }
    uint8_t *map = mmap(NULL, offset + size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        fprintf(stderr, "cairn-flashd: mmap: %s\n", strerror(errno));
        return 2;
    }
    static struct ramflash flash;
    static struct appstore_link link;
    ramflash_init(&flash, map + offset, (uint32_t)base, (uint32_t)size, 512);
    appstore_link_init(&link, &flash.hil, NULL, true, arch, "flash image file", send_out);
    uint8_t buf[512];
    for (;;) {
        while (deferred_call_pending())
            deferred_call_run();
        ssize_t n = read(0, buf, sizeof buf);
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; i++) {
            appstore_link_rx(&link, buf[i]);
            while (deferred_call_pending())
                deferred_call_run();
        }
    }
    msync(map, offset + size, MS_SYNC);
    return 0;
}
