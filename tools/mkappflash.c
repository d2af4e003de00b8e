// SPDX-License-Identifier: Apache-2.0
// mkappflash: lays TBF files out as the binary image of a board's apps flash region.
//
// Each TBF starts at an offset (from the region start) that is a multiple of its own
// total_size when that is a power of two (what the Cortex-M MPU needs), else of 4; gaps
// are filled with Tock padding objects, and 8 zero bytes after the last object end the
// kernel's walk. The region start itself must be aligned at least as much as the largest
// TBF (boards put it on a >= 256 kB boundary). See doc/tbf.md.
#include "tbfgen.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: mkappflash -o OUT.bin [--region-size N] [--truncate-last] [--corrupt I]\n"
               "                  [--set I:FIELD=VALUE]\n"
               "                  A.tbf B.tbf ...\n"
               "  --region-size N  bytes of the apps flash region (default 262144)\n"
               "  --truncate-last  test aid: the last TBF straddles the region end and the\n"
               "                   image is cut there (the kernel sees it truncated)\n"
               "  --corrupt I      test aid: flip a bit of TBF I's checksum (0-based;\n"
               "                   may be repeated)\n"
               "  --set I:F=V      test aid: rewrite header field F of TBF I and fix its\n"
               "                   checksum; F is min-ram (V a number) or kernel-version\n"
               "                   (V is M.m, or none to hide the TLV); may be repeated\n"
               "The image is as long as the used bytes plus an 8-byte zero terminator.\n");
}

int main(int argc, char **argv)
{
    enum { O_REGION = 256, O_TRUNCATE, O_CORRUPT, O_SET };
    static const struct option longopts[] = {
        {"region-size", required_argument, NULL, O_REGION},
        {"truncate-last", no_argument, NULL, O_TRUNCATE},
        {"corrupt", required_argument, NULL, O_CORRUPT},
        {"set", required_argument, NULL, O_SET},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct tbfgen_flash_opts o = {.region_size = 262144};
    uint32_t *corrupt = calloc((size_t)argc, sizeof(*corrupt));
    struct tbfgen_set *sets = calloc((size_t)argc, sizeof(*sets));
    const char *out_path = NULL;
    if (!corrupt || !sets) {
        free(corrupt);
        free(sets);
        return 1;
    }
    int c;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out_path = optarg;
            break;
        case 'h':
            usage(stdout);
            free(corrupt);
            free(sets);
            return 0;
        case O_REGION:
            if (tbfgen_parse_u32(optarg, &o.region_size) != 0) {
                fprintf(stderr, "mkappflash: bad region size '%s'\n", optarg);
                free(corrupt);
                free(sets);
                return 2;
            }
            break;
        case O_TRUNCATE:
            o.truncate_last = true;
            break;
        case O_CORRUPT:
            if (tbfgen_parse_u32(optarg, &corrupt[o.corrupt_count]) != 0) {
                fprintf(stderr, "mkappflash: bad index '%s'\n", optarg);
                free(corrupt);
                free(sets);
                return 2;
            }
            o.corrupt_count++;
            break;
        case O_SET: {
            // I:FIELD=VALUE; the index ends at the first colon.
            char *colon = strchr(optarg, ':');
            if (colon)
                *colon = '\0';
            if (!colon || tbfgen_parse_u32(optarg, &sets[o.set_count].index) != 0) {
                fprintf(stderr, "mkappflash: --set wants I:FIELD=VALUE\n");
                free(corrupt);
                free(sets);
                return 2;
            }
            sets[o.set_count++].spec = colon + 1;
            break;
        }
        default:
            usage(stderr);
            free(corrupt);
            free(sets);
            return 2;
        }
    }
    o.corrupt = corrupt;
    o.sets = sets;
    if (!out_path) {
        usage(stderr);
        free(corrupt);
        free(sets);
        return 2;
    }

    size_t n = (size_t)(argc - optind);
    struct tbfgen_app *apps = calloc(n ? n : 1, sizeof(*apps));
    char err[TBFGEN_ERR_LEN];
    uint8_t *img = NULL;
    size_t img_len = 0, loaded = 0;
    int rc = 1;
    if (!apps)
        goto out;
    for (; loaded < n; loaded++) {
        struct tbfgen_app *a = &apps[loaded];
        uint8_t *data;
        a->label = argv[optind + (int)loaded];
        if (tbfgen_read_file(a->label, &data, &a->len, err) != 0) {
            fprintf(stderr, "mkappflash: %s\n", err);
            goto out;
        }
        a->data = data;
    }
    if (tbfgen_appflash(apps, n, &o, &img, &img_len, stderr, err) != 0 ||
        tbfgen_write_file(out_path, img, img_len, err) != 0) {
        fprintf(stderr, "mkappflash: %s\n", err);
        goto out;
    }
    rc = 0;
out:
    for (size_t i = 0; apps && i < loaded; i++)
        free((void *)apps[i].data);
    free(apps);
    free(img);
    free(corrupt);
    free(sets);
    return rc;
}
