// SPDX-License-Identifier: Apache-2.0
// mktab: writes a TAB (Tock application bundle) holding TBFs for several architectures.
//
// Members come from NAME=FILE.tbf arguments (member NAME.tbf, e.g. cortex-m3 or
// rv32imac.0x80100080.0x80300000) and from other TABs, whose TBF members are copied, so
// one TAB can carry an app for every board: each board's tools pick their architecture.
#include "tbfgen.h"

#include <cairn/tbf.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: mktab -o OUT.tab -n NAME ARCH=FILE.tbf|IN.tab ...\n"
               "  ARCH=FILE.tbf  add FILE as member ARCH.tbf\n"
               "  IN.tab         add every .tbf member of IN (a later member of the same\n"
               "                 name is refused)\n"
               "metadata.toml takes its minimum kernel version from the first TBF.\n");
}

int main(int argc, char **argv)
{
    const char *out_path = NULL, *name = NULL;
    int c;
    while ((c = getopt(argc, argv, "o:n:h")) != -1) {
        if (c == 'o')
            out_path = optarg;
        else if (c == 'n')
            name = optarg;
        else {
            usage(c == 'h' ? stdout : stderr);
            return c == 'h' ? 0 : 2;
        }
    }
    if (!out_path || !name || optind >= argc) {
        usage(stderr);
        return 2;
    }
    size_t nargs = (size_t)(argc - optind), n = 0, cap = 16;
    uint8_t **files = calloc(nargs, sizeof(*files));
    struct tbfgen_tar_entry *e = malloc(cap * sizeof(*e));
    char(*names)[100] = malloc(cap * sizeof(*names));
    char err[TBFGEN_ERR_LEN];
    uint8_t *tab = NULL;
    size_t tab_len;
    int rc = 1;
    if (!files || !e || !names)
        goto out;
    for (size_t i = 0; i < nargs; i++) {
        const char *arg = argv[optind + (int)i];
        const char *eq = strchr(arg, '=');
        const char *path = eq ? eq + 1 : arg;
        size_t flen;
        if (tbfgen_read_file(path, &files[i], &flen, err) != 0) {
            fprintf(stderr, "mktab: %s\n", err);
            goto out;
        }
        struct tbfgen_tar_member *m = NULL;
        size_t nm = 0;
        struct tbfgen_tar_member one;
        if (eq) {
            int l = snprintf(one.name, sizeof one.name, "%.*s.tbf", (int)(eq - arg), arg);
            if (l < 0 || (size_t)l >= sizeof one.name) {
                fprintf(stderr, "mktab: member name too long: %s\n", arg);
                goto out;
            }
            one.data = files[i];
            one.len = flen;
            m = &one;
            nm = 1;
        } else if (tbfgen_tar_read(files[i], flen, &m, &nm, err) != 0) {
            fprintf(stderr, "mktab: %s: %s\n", path, err);
            goto out;
        }
        for (size_t k = 0; k < nm; k++) {
            size_t nl = strlen(m[k].name);
            if (nl < 4 || strcmp(m[k].name + nl - 4, ".tbf") != 0)
                continue; // metadata.toml of a merged TAB: rewritten below
            for (size_t j = 0; j < n; j++)
                if (strcmp(names[j], m[k].name) == 0) {
                    fprintf(stderr, "mktab: two members named %s\n", m[k].name);
                    if (m != &one)
                        free(m);
                    goto out;
                }
            if (n == cap) {
                cap *= 2;
                void *g1 = realloc(e, cap * sizeof(*e)), *g2 = realloc(names, cap * sizeof(*names));
                if (g1)
                    e = g1;
                if (g2)
                    names = g2;
                if (!g1 || !g2) {
                    if (m != &one)
                        free(m);
                    goto out;
                }
            }
            memcpy(names[n], m[k].name, sizeof names[n]);
            e[n] = (struct tbfgen_tar_entry){NULL, m[k].data, m[k].len};
            n++;
        }
        if (m != &one)
            free(m);
    }
    for (size_t j = 0; j < n; j++)
        e[j].name = names[j];
    struct tbf_header h;
    bool has_kv = n > 0 && e[0].len <= UINT32_MAX &&
                  tbf_parse(e[0].data, (uint32_t)e[0].len, &h) == TBF_OK && h.has_kernel_version;
    if (tbfgen_tab_entries(e, n, name, has_kv, has_kv ? h.kernel_major : 0,
                           has_kv ? h.kernel_minor : 0, &tab, &tab_len, err) != 0 ||
        tbfgen_write_file(out_path, tab, tab_len, err) != 0) {
        fprintf(stderr, "mktab: %s\n", err);
        goto out;
    }
    rc = 0;
out:
    for (size_t i = 0; files && i < nargs; i++)
        free(files[i]);
    free(files);
    free(e);
    free(names);
    free(tab);
    return rc;
}
