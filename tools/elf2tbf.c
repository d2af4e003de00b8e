// SPDX-License-Identifier: Apache-2.0
// elf2tbf: converts an ARM ELF32 app into a Tock Binary Format image (and optionally a TAB).
//
// Sizes (see doc/tbf.md): the TBF header is followed directly by the flash image (all
// PT_LOAD file contents laid out by p_paddr from the lowest one), then elf2tab's
// relocation blob; the object is zero-padded to a power of two >= 512.
// minimum_ram_size = end address of the RAM image (RAM is linked at 0) + align4(app heap)
// + align4(kernel heap) + align8(stack). --stack defaults to 0 because Cairn's app linker
// script reserves the stack inside RAM at address 0, so it is already part of the RAM
// image; callers whose linker script does not (libtock-c style with an external stack
// size) pass --stack.
#include "tbfcred.h"
#include "tbfgen.h"

#include <cairn/tbf.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: elf2tbf -o OUT.tbf [-n NAME] [--stack N] [--app-heap N] [--kernel-heap N]\n"
            "               [--tab OUT.tab] [--tab-arch ARCH] [--arch CORE]\n"
            "               [--kernel-version M.m|none]\n"
            "               [--disabled] [--min-size N] [--no-relocs] [--app-version N]\n"
            "               [--permissions DRIVER:OFFSET:MASK | DRIVER,COMMAND]...\n"
            "               [--no-permissions]\n"
            "               [--write-id N] [--read-ids N,..] [--modify-ids N,..]\n"
            "               [--short-id N] [--sha256] [--ecdsa-p256-key KEY.pem]\n"
            "               [--minimum-footer-size N]\n"
            "               [-v] IN.elf\n"
            "  -n NAME             package name (default: IN's base name without extension)\n"
            "  --stack N           stack bytes to add to minimum RAM (default 0: the Cairn\n"
            "                      linker script already reserves the stack in RAM)\n"
            "  --app-heap N        app heap bytes (default 1024)\n"
            "  --kernel-heap N     grant headroom bytes (default 1024)\n"
            "  --tab OUT.tab       also write a TAB (tar: metadata.toml + ARCH.tbf)\n"
            "  --tab-arch ARCH     TBF name inside the TAB (default: what the ELF was built\n"
            "                      for: cortex-m0, cortex-m3, cortex-m4, ..., rv32imac)\n"
            "  --arch CORE         refuse an ELF that CORE cannot run (an FPU build for an\n"
            "                      FPU-less core, ARMv7E-M code for a Cortex-M3, ...)\n"
            "  --kernel-version V  KernelVersion TLV (default %d.%d; 'none' omits it, and\n"
            "                      then the kernel refuses the app, as Tock's does)\n"
            "  --disabled          clear the enabled flag (not started at boot)\n"
            "  --app-version N     the Program TLV's version (default 0): of two copies of\n"
            "                      one app the higher version runs (an update needs one)\n"
            "  --short-id N        ShortId TLV: one running app per ShortId (0: none)\n"
            "  --sha256            append a SHA-256 credential footer (Tock format 3)\n"
            "  --ecdsa-p256-key K  append an ECDSA P-256 signature footer (format 6) made\n"
            "                      with private key K (PEM/DER; `make keys` makes one)\n"
            "  --minimum-footer-size N  keep at least N bytes of footers (a Reserved footer\n"
            "                      that tockloader or `tbfsign add` can fill later)\n"
            "  --min-size N        total size at least N (rounded up to a power of two)\n"
            "  --no-relocs         do not append the relocation blob (u32 length + .rel.*)\n"
            "  --permissions D:O:M Permissions TLV entry (repeat for more, up to %d): the\n"
            "                      app may call commands 64*O+k of driver D for each bit k\n"
            "                      of the 64-bit mask M, and subscribe/allow on D; any\n"
            "                      driver not listed answers NODEVICE (e.g. 0x1:0:0x3)\n"
            "  --permissions D,C   elf2tab's form: command C of driver D (and subscribe/allow\n"
            "                      on D); pairs of one driver share entries (1,0 1,1 = 1:0:3)\n"
            "  --no-permissions    a Permissions TLV with no entry: only yield, memop and\n"
            "                      exit work (without either option: no TLV, no filter)\n"
            "  --write-id N        Storage Permissions TLV (key-value store, driver\n"
            "  --read-ids N,..     0x50003): the id this app's values carry (0: writes\n"
            "  --modify-ids N,..   none), whose values it reads, whose it replaces or\n"
            "                      deletes (up to 8 ids each; any of the three adds the\n"
            "                      TLV; without it the app cannot use the store)\n"
            "  -v                  print the resulting header fields\n"
            "Numbers take 0x and k/M suffixes.\n",
            CAIRN_KERNEL_MAJOR, CAIRN_KERNEL_MINOR, TBFGEN_MAX_PERMS);
}

static int parse_version(const char *s, uint16_t *major, uint16_t *minor)
{
    char *end;
    unsigned long ma = strtoul(s, &end, 10);
    if (end == s || *end != '.' || ma > 0xFFFF)
        return -1;
    const char *m = end + 1;
    unsigned long mi = strtoul(m, &end, 10);
    if (end == m || *end || mi > 0xFFFF)
        return -1;
    *major = (uint16_t)ma;
    *minor = (uint16_t)mi;
    return 0;
}

// Base name without directory and last extension: "build/apps/blink.elf" -> "blink".
static char *default_name(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    char *n = strdup(b);
    if (!n)
        return NULL;
    char *dot = strrchr(n, '.');
    if (dot && dot != n)
        *dot = 0;
    return n;
}

int main(int argc, char **argv)
{
    enum {
        O_STACK = 256,
        O_APP_HEAP,
        O_KERNEL_HEAP,
        O_TAB,
        O_TAB_ARCH,
        O_KV,
        O_DISABLED,
        O_MIN_SIZE,
        O_NO_RELOCS,
        O_ARCH,
        O_APP_VERSION,
        O_WRITE_ID,
        O_READ_IDS,
        O_MODIFY_IDS,
        O_SHORT_ID,
        O_SHA256,
        O_ECDSA,
        O_MIN_FOOTER,
        O_PERMISSIONS,
        O_NO_PERMISSIONS,
    };
    static const struct option longopts[] = {
        {"stack", required_argument, NULL, O_STACK},
        {"app-heap", required_argument, NULL, O_APP_HEAP},
        {"kernel-heap", required_argument, NULL, O_KERNEL_HEAP},
        {"tab", required_argument, NULL, O_TAB},
        {"tab-arch", required_argument, NULL, O_TAB_ARCH},
        {"kernel-version", required_argument, NULL, O_KV},
        {"disabled", no_argument, NULL, O_DISABLED},
        {"min-size", required_argument, NULL, O_MIN_SIZE},
        {"no-relocs", no_argument, NULL, O_NO_RELOCS},
        {"arch", required_argument, NULL, O_ARCH},
        {"app-version", required_argument, NULL, O_APP_VERSION},
        {"write-id", required_argument, NULL, O_WRITE_ID},
        {"read-ids", required_argument, NULL, O_READ_IDS},
        {"modify-ids", required_argument, NULL, O_MODIFY_IDS},
        {"short-id", required_argument, NULL, O_SHORT_ID},
        {"sha256", no_argument, NULL, O_SHA256},
        {"ecdsa-p256-key", required_argument, NULL, O_ECDSA},
        {"minimum-footer-size", required_argument, NULL, O_MIN_FOOTER},
        {"permissions", required_argument, NULL, O_PERMISSIONS},
        {"no-permissions", no_argument, NULL, O_NO_PERMISSIONS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct tbfgen_opts o;
    tbfgen_opts_default(&o);
    const char *out_path = NULL, *tab_path = NULL, *tab_arch = NULL, *ecdsa_key = NULL;
    bool verbose = false, sha256 = false;
    uint32_t min_footer = 0;
    int c;
    while ((c = getopt_long(argc, argv, "o:n:vh", longopts, NULL)) != -1) {
        uint32_t *num = NULL;
        switch (c) {
        case 'o':
            out_path = optarg;
            break;
        case 'n':
            o.name = optarg;
            break;
        case 'v':
            verbose = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case O_STACK:
            num = &o.stack;
            break;
        case O_APP_HEAP:
            num = &o.app_heap;
            break;
        case O_KERNEL_HEAP:
            num = &o.kernel_heap;
            break;
        case O_MIN_SIZE:
            num = &o.min_size;
            break;
        case O_APP_VERSION:
            num = &o.app_version;
            break;
        case O_SHORT_ID:
            num = &o.short_id;
            break;
        case O_MIN_FOOTER:
            num = &min_footer;
            break;
        case O_SHA256:
            sha256 = true;
            break;
        case O_ECDSA:
            ecdsa_key = optarg;
            break;
        case O_TAB:
            tab_path = optarg;
            break;
        case O_TAB_ARCH:
            tab_arch = optarg;
            break;
        case O_KV:
            if (strcmp(optarg, "none") == 0) {
                o.kernel_version = false;
            } else if (parse_version(optarg, &o.kernel_major, &o.kernel_minor) != 0) {
                fprintf(stderr, "elf2tbf: --kernel-version wants MAJOR.MINOR or none, not '%s'\n",
                        optarg);
                return 2;
            } else {
                o.kernel_version = true;
            }
            break;
        case O_DISABLED:
            o.disabled = true;
            break;
        case O_NO_RELOCS:
            o.relocs = false;
            break;
        case O_ARCH:
            o.arch = optarg;
            break;
        case O_PERMISSIONS:
            switch (tbfgen_add_perm(&o, optarg)) {
            case 0:
                break;
            case -2:
                fprintf(stderr, "elf2tbf: --permissions '%s': more than %d entries\n", optarg,
                        TBFGEN_MAX_PERMS);
                return 2;
            default:
                fprintf(stderr,
                        "elf2tbf: --permissions wants DRIVER:OFFSET:MASK or DRIVER,COMMAND, not "
                        "'%s'\n",
                        optarg);
                return 2;
            }
            break;
        case O_NO_PERMISSIONS:
            o.has_perms = true;
            break;
        case O_WRITE_ID:
            o.has_storage = true;
            num = &o.write_id;
            break;
        case O_READ_IDS:
        case O_MODIFY_IDS:
            o.has_storage = true;
            if (tbfgen_parse_ids(optarg, c == O_READ_IDS ? o.read_ids : o.modify_ids, 8,
                                 c == O_READ_IDS ? &o.n_read : &o.n_modify) != 0) {
                fprintf(stderr,
                        "elf2tbf: --read-ids/--modify-ids want up to 8 numbers N,N,..., "
                        "not '%s'\n",
                        optarg);
                return 2;
            }
            break;
        default:
            usage(stderr);
            return 2;
        }
        if (num && tbfgen_parse_u32(optarg, num) != 0) {
            fprintf(stderr, "elf2tbf: bad number '%s'\n", optarg);
            return 2;
        }
    }
    if (!out_path || optind != argc - 1) {
        usage(stderr);
        return 2;
    }
    const char *in_path = argv[optind];
    char *name_buf = NULL;
    if (!o.name) {
        name_buf = default_name(in_path);
        o.name = name_buf;
    }

    // Room for the credentials asked for, in the order elf2tab writes them.
    uint32_t need = (sha256 ? TBFCRED_SHA256_SIZE : 0) + (ecdsa_key ? TBFCRED_ECDSA_SIZE : 0);
    o.footer_size = need > min_footer ? need : min_footer;

    char err[TBFGEN_ERR_LEN];
    uint8_t *elf = NULL, *tbf = NULL, *tab = NULL;
    size_t elf_len, tbf_len, tab_len;
    int rc = 1;
    if (tbfgen_read_file(in_path, &elf, &elf_len, err) != 0) {
        fprintf(stderr, "elf2tbf: %s\n", err);
        goto out;
    }
    if (tbfgen_elf_to_tbf(elf, elf_len, &o, &tbf, &tbf_len, err) != 0) {
        fprintf(stderr, "elf2tbf: %s: %s\n", in_path, err);
        goto out;
    }
    if ((sha256 && tbfcred_add_sha256(tbf, tbf_len, err) != 0) ||
        (ecdsa_key && tbfcred_add_ecdsa_p256(tbf, tbf_len, ecdsa_key, err) != 0)) {
        fprintf(stderr, "elf2tbf: %s: %s\n", in_path, err);
        goto out;
    }
    if (tbfgen_write_file(out_path, tbf, tbf_len, err) != 0) {
        fprintf(stderr, "elf2tbf: %s\n", err);
        goto out;
    }
    struct tbfgen_arch arch;
    if (tab_path && !tab_arch) {
        if (tbfgen_elf_arch(elf, elf_len, &arch, err) != 0) {
            fprintf(stderr, "elf2tbf: %s: %s\n", in_path, err);
            goto out;
        }
        tab_arch = arch.name;
    }
    if (tab_path) {
        if (tbfgen_tab(tbf, tbf_len, tab_arch, o.name ? o.name : "", o.kernel_version,
                       o.kernel_major, o.kernel_minor, &tab, &tab_len, err) != 0 ||
            tbfgen_write_file(tab_path, tab, tab_len, err) != 0) {
            fprintf(stderr, "elf2tbf: %s\n", err);
            goto out;
        }
    }
    if (verbose) {
        struct tbf_header h;
        enum tbf_status st = tbf_parse(tbf, (uint32_t)tbf_len, &h);
        printf("%s: %s, header %u B, total %u B, binary end %u, entry offset %u, "
               "minimum RAM %u B\n",
               out_path, tbf_status_str(st), h.header_size, h.total_size, h.binary_end_offset,
               h.init_fn_offset, h.minimum_ram_size);
    }
    rc = 0;
out:
    free(elf);
    free(tbf);
    free(tab);
    free(name_buf);
    return rc;
}
