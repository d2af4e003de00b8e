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
               "                  [--tockloader-end]\n"
               "                  [--set I:FIELD=VALUE] [--arch ARCH --region-start ADDR]\n"
               "                  A.tbf|A.tab B.tbf|B.tab ...\n"
               "  --region-size N  bytes of the apps flash region (default 262144)\n"
               "  --region-start A address of the region: a TBF with a FixedAddresses flash\n"
               "                   address is placed exactly there (gaps become padding)\n"
               "  --arch A[,B...]  take each .tab's TBFs for the first of these architectures it\n"
               "                   has (ARCH.tbf or ARCH.*.tbf); of several fixed-address\n"
               "                   ones, the first that fits\n"
               "  --truncate-last  test aid: the last TBF straddles the region end and the\n"
               "                   image is cut there (the kernel sees it truncated)\n"
               "  --tockloader-end test aid: end the list as tockloader does over erased\n"
               "                   flash (one 0x00 byte, then 0xFF)\n"
               "  --corrupt I      test aid: flip a bit of TBF I's checksum (0-based;\n"
               "                   may be repeated)\n"
               "  --set I:F=V      test aid: rewrite header field F of TBF I and fix its\n"
               "                   checksum; F is min-ram, fixed-ram, fixed-flash (V a number)\n"
               "                   or kernel-version\n"
               "                   (V is M.m, or none to hide the TLV); may be repeated\n"
               "The image is as long as the used bytes plus an 8-byte zero terminator.\n");
}

// The TBFs a TAB holds for the first architecture of the comma-separated list arches that
// it has any for: one becomes the app itself, several its choices.
static int tab_choices(struct tbfgen_app *a, struct tbfgen_app **choices, size_t *n_choices,
                       const uint8_t *tab, size_t len, const char *arches, char err[TBFGEN_ERR_LEN])
{
    struct tbfgen_tar_member *m;
    size_t nm;
    if (tbfgen_tar_read(tab, len, &m, &nm, err) != 0)
        return -1;
    struct tbfgen_app *c = calloc(nm ? nm : 1, sizeof(*c));
    size_t k = 0;
    if (!c) {
        free(m);
        snprintf(err, TBFGEN_ERR_LEN, "out of memory");
        return -1;
    }
    for (const char *arch = arches; *arch && k == 0;) {
        size_t al = strcspn(arch, ",");
        char one[64];
        snprintf(one, sizeof one, "%.*s", (int)(al < sizeof one ? al : sizeof one - 1), arch);
        for (size_t i = 0; i < nm; i++)
            if (tbfgen_tab_member_is_arch(m[i].name, one))
                c[k++] = (struct tbfgen_app){.label = a->label, .data = m[i].data, .len = m[i].len};
        arch += al + (arch[al] == ',');
    }
    if (k == 0) {
        // Say what the TAB has, so a wrong-architecture build is obvious.
        int w = snprintf(err, TBFGEN_ERR_LEN, "no TBF for %s (this board); the TAB holds:", arches);
        for (size_t i = 0; i < nm && w > 0 && (size_t)w < TBFGEN_ERR_LEN; i++)
            w += snprintf(err + w, TBFGEN_ERR_LEN - (size_t)w, " %s", m[i].name);
        free(m);
        free(c);
        return -1;
    }
    free(m);
    if (k == 1) {
        a->data = c[0].data;
        a->len = c[0].len;
        free(c);
        return 0;
    }
    *choices = c;
    *n_choices = k;
    return 0;
}

int main(int argc, char **argv)
{
    enum { O_REGION = 256, O_TOCKLOADER_END, O_TRUNCATE, O_CORRUPT, O_SET, O_ARCH, O_START };
    static const struct option longopts[] = {
        {"region-size", required_argument, NULL, O_REGION},
        {"truncate-last", no_argument, NULL, O_TRUNCATE},
        {"tockloader-end", no_argument, NULL, O_TOCKLOADER_END},
        {"corrupt", required_argument, NULL, O_CORRUPT},
        {"set", required_argument, NULL, O_SET},
        {"arch", required_argument, NULL, O_ARCH},
        {"region-start", required_argument, NULL, O_START},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct tbfgen_flash_opts o = {.region_size = 262144};
    uint32_t *corrupt = calloc((size_t)argc, sizeof(*corrupt));
    struct tbfgen_set *sets = calloc((size_t)argc, sizeof(*sets));
    const char *out_path = NULL, *arch = "cortex-m3";
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
        case O_ARCH:
            arch = optarg;
            break;
        case O_START:
            if (tbfgen_parse_u32(optarg, &o.region_start) != 0) {
                fprintf(stderr, "mkappflash: bad region start '%s'\n", optarg);
                free(corrupt);
                free(sets);
                return 2;
            }
            break;
        case O_TRUNCATE:
            o.truncate_last = true;
            break;
        case O_TOCKLOADER_END:
            o.tockloader_end = true;
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
    uint8_t **files = calloc(n ? n : 1, sizeof(*files));
    struct tbfgen_app **choices = calloc(n ? n : 1, sizeof(*choices));
    size_t *n_choices = calloc(n ? n : 1, sizeof(*n_choices));
    char err[TBFGEN_ERR_LEN];
    uint8_t *img = NULL;
    size_t img_len = 0, loaded = 0;
    int rc = 1;
    if (!apps || !files || !choices || !n_choices)
        goto out;
    o.choices = (const struct tbfgen_app *const *)choices;
    o.n_choices = n_choices;
    for (; loaded < n; loaded++) {
        struct tbfgen_app *a = &apps[loaded];
        size_t flen;
        a->label = argv[optind + (int)loaded];
        if (tbfgen_read_file(a->label, &files[loaded], &flen, err) != 0) {
            fprintf(stderr, "mkappflash: %s\n", err);
            goto out;
        }
        size_t ll = strlen(a->label);
        if (ll < 4 || strcmp(a->label + ll - 4, ".tab") != 0) {
            a->data = files[loaded];
            a->len = flen;
            continue;
        }
        if (tab_choices(a, &choices[loaded], &n_choices[loaded], files[loaded], flen, arch, err) !=
            0) {
            fprintf(stderr, "mkappflash: %s: %s\n", a->label, err);
            loaded++;
            goto out;
        }
    }
    if (tbfgen_appflash(apps, n, &o, &img, &img_len, stderr, err) != 0 ||
        tbfgen_write_file(out_path, img, img_len, err) != 0) {
        fprintf(stderr, "mkappflash: %s\n", err);
        goto out;
    }
    rc = 0;
out:
    for (size_t i = 0; files && choices && i < loaded; i++) {
        free(files[i]);
        free(choices[i]);
    }
    free(files);
    free(choices);
    free(n_choices);
    free(apps);
    free(img);
    free(corrupt);
    free(sets);
    return rc;
}
