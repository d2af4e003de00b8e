// SPDX-License-Identifier: Apache-2.0
// Core of the host tools elf2tbf and mkappflash, as functions the host tests link.
//
// Every function returns 0 on success or -1 with a one-line message in err (no trailing
// newline). Output buffers are malloc'ed and owned by the caller.
#ifndef CAIRN_TOOLS_TBFGEN_H
#define CAIRN_TOOLS_TBFGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TBFGEN_ERR_LEN 256
// Permissions entries elf2tbf writes at most (16 bytes each; the header must stay within
// what tockloader reads).
#define TBFGEN_MAX_PERMS 16

// Inputs of elf2tbf besides the ELF itself; tbfgen_opts_default() fills the defaults.
struct tbfgen_opts {
    const char *name;     // PackageName (UTF-8); NULL or "" = no PackageName TLV
    uint32_t stack;       // added to minimum RAM (align 8); 0 by default, see elf2tbf.c
    uint32_t app_heap;    // added (align 4); default 1024
    uint32_t kernel_heap; // added (align 4); default 1024
    bool kernel_version;  // emit a KernelVersion TLV (default 2.3)
    uint16_t kernel_major;
    uint16_t kernel_minor;
    bool disabled;        // clear flags bit 0
    uint32_t min_size;    // total_size at least this (then a power of two), default 0
    bool relocs;          // append elf2tab's relocation blob (u32 length + .rel.<w> data)
    const char *arch;     // the core the image is for (tbfgen_arch_check); NULL: no check
    uint32_t app_version; // the Program TLV's version, default 0
    // Storage Permissions TLV (key-value store access), emitted when has_storage: the
    // write id (0: may not write), then up to 8 read and 8 modify ids.
    bool has_storage;
    uint32_t write_id;
    uint16_t n_read, n_modify;
    uint32_t read_ids[8], modify_ids[8];
    // Permissions TLV (type 6), emitted when has_perms (with n_perms entries, possibly
    // none: then the kernel refuses every subscribe, command and allow of the app). Entry
    // {driver, offset, mask}: commands 64 * offset + k of driver for each bit k of mask.
    bool has_perms;
    uint16_t n_perms;
    struct tbfgen_perm {
        uint32_t driver, offset;
        uint64_t mask;
    } perms[TBFGEN_MAX_PERMS];
    uint32_t short_id; // ShortId TLV (type 10) value; 0 = no such TLV (the default)
    // Footer room after the binary, at least this many bytes, written as one Reserved
    // credential footer (format 0) that tbfcred.h's functions fill; 0 = no footers (the
    // object is zero-padded), 8 at least otherwise.
    uint32_t footer_size;
};

// Parses "N[,N...]" (at most max numbers) into ids; *n gets the count. -1 on bad input.
int tbfgen_parse_ids(const char *s, uint32_t *ids, uint16_t max, uint16_t *n);

// Parses one Permissions entry "DRIVER:OFFSET:MASK" (numbers as strtoull with base 0: 0x
// for hex; MASK is 64 bits) into *e. -1 on bad input.
int tbfgen_parse_perm(const char *s, struct tbfgen_perm *e);

// Adds one --permissions argument to o: "DRIVER:OFFSET:MASK" appends that entry;
// "DRIVER,COMMAND" (elf2tab's form) sets the command's bit in the entry for the driver and
// the command's block of 64, appending that entry if there is none. Sets has_perms.
// 0 on success, -1 on bad input, -2 when TBFGEN_MAX_PERMS entries are already taken.
int tbfgen_add_perm(struct tbfgen_opts *o, const char *s);

void tbfgen_opts_default(struct tbfgen_opts *o);

// Converts an ARM ELF32 little-endian executable into a TBF (layout in doc/tbf.md).
int tbfgen_elf_to_tbf(const uint8_t *elf, size_t elf_len, const struct tbfgen_opts *o,
                      uint8_t **out, size_t *out_len, char err[TBFGEN_ERR_LEN]);

// What an ELF's code needs: e_machine and, for ARM, the .ARM.attributes the linker merged.
// name is Tock's TAB member name for it (cortex-m0, -m3, -m4, -m23, -m33, -m55, rv32imac).
struct tbfgen_arch {
    char name[16];
    unsigned cpu_arch; // ARM Tag_CPU_arch (10 = ARMv7, 13 = ARMv7E-M, 17 = ARMv8-M.main ...)
    bool fpu;          // Tag_FP_arch or Tag_MVE_arch non-zero: uses FP/vector registers
};
int tbfgen_elf_arch(const uint8_t *elf, size_t len, struct tbfgen_arch *a,
                    char err[TBFGEN_ERR_LEN]);
// Fails, saying why, if code built as a describes cannot run on the target core.
int tbfgen_arch_check(const struct tbfgen_arch *a, const char *target, char err[TBFGEN_ERR_LEN]);

// One file of a TAB (ustar archive).
struct tbfgen_tar_entry {
    const char *name; // < 100 bytes
    const uint8_t *data;
    size_t len;
};

// POSIX ustar archive of the entries in order: mode 0644, uid/gid 0, mtime 0 (output is
// byte-for-byte deterministic), ended by two zero blocks.
int tbfgen_tar(const struct tbfgen_tar_entry *e, size_t n, uint8_t **out, size_t *out_len,
               char err[TBFGEN_ERR_LEN]);

// TAB built from one TBF: metadata.toml (tab-version 1, name, and
// minimum-tock-kernel-version when has_kv) then "<arch>.tbf".
int tbfgen_tab(const uint8_t *tbf, size_t tbf_len, const char *arch, const char *name, bool has_kv,
               uint16_t kv_major, uint16_t kv_minor, uint8_t **out, size_t *out_len,
               char err[TBFGEN_ERR_LEN]);

// TAB with metadata.toml then the given TBF members in order (names such as
// "cortex-m3.tbf" or "rv32imac.0x80100080.0x80300000.tbf").
int tbfgen_tab_entries(const struct tbfgen_tar_entry *tbfs, size_t n, const char *name, bool has_kv,
                       uint16_t kv_major, uint16_t kv_minor, uint8_t **out, size_t *out_len,
                       char err[TBFGEN_ERR_LEN]);

// One member of a tar archive read back: data points into the archive.
struct tbfgen_tar_member {
    char name[100];
    const uint8_t *data;
    size_t len;
};

// Lists the regular-file members of a ustar archive (checksums verified, sizes bounded by
// the archive). *out is malloc'ed.
int tbfgen_tar_read(const uint8_t *tar, size_t len, struct tbfgen_tar_member **out, size_t *n,
                    char err[TBFGEN_ERR_LEN]);

// True if a TAB member named name holds a TBF for arch: "<arch>.tbf" or
// "<arch>.<anything>.tbf" (tockloader's rule: the first dot-separated token).
bool tbfgen_tab_member_is_arch(const char *name, const char *arch);

// Writes a Tock padding object header of total_size size (>= 16, multiple of 4) at dst:
// version 2, header_size 16, flags 0, valid checksum. Only the 16 header bytes are written.
void tbfgen_padding_header(uint8_t *dst, uint32_t size);

// One TBF given to mkappflash.
struct tbfgen_app {
    const char *label; // for messages (file name)
    const uint8_t *data;
    size_t len;
};

// One header field rewritten by mkappflash --set (test aid): TBF number index gets
// tbfgen_set_field(spec).
struct tbfgen_set {
    uint32_t index;
    const char *spec; // "FIELD=VALUE"
};

// The longest TBF header tockloader sees: it reads 200 bytes at each app's start
// (tock/tockloader tockloader/tockloader.py, _extract_all_app_headers).
#define TBFGEN_TOCKLOADER_HEADER_MAX 200u

struct tbfgen_flash_opts {
    uint32_t region_size;    // default 262144
    uint32_t region_start;   // address of the region's first byte; 0 = unknown: fixed
                             // addresses are then ignored (placed like any TBF)
    bool truncate_last;      // last TBF straddles the region end (test aid)
    bool tockloader_end;     // end the list as tockloader does over erased flash (test aid)
    const uint32_t *corrupt; // indices of TBFs whose checksum word gets a flipped bit
    size_t corrupt_count;
    const struct tbfgen_set *sets; // fields to rewrite, applied in order before --corrupt
    size_t set_count;
    // Per app (NULL, or indexed like the apps): instead of the app's data, n_choices[i]
    // images of app i for several fixed addresses (a TAB's members for one architecture);
    // the layout takes the first that fits where the app comes in the list.
    const struct tbfgen_app *const *choices;
    const size_t *n_choices;
};

// Test aid: rewrites one field of the TBF header at tbf (header_size bytes readable) and
// fixes its checksum, so that the kernel sees a well-formed header asking for something
// hostile. spec is "FIELD=VALUE":
//   min-ram=N             minimum_ram_size of every Main and Program TLV
//   kernel-version=M.m    the KernelVersion TLV's value
//   kernel-version=none   the KernelVersion TLV becomes an out-of-tree type (0x8008),
//                         which parsers skip: the object keeps its size but has none
//   fixed-ram=A           the FixedAddresses TLV's RAM address
//   fixed-flash=A         the FixedAddresses TLV's flash address (the TBF stays where
//                         it was placed: the kernel then finds it at the wrong address)
//   flip=OFF              invert the byte at offset OFF of the TBF (a tampered image:
//                         credentials stop verifying; the header checksum is refreshed)
// Fails if the field's TLV is absent or the header is malformed.
int tbfgen_set_field(uint8_t *tbf, size_t len, const char *spec, char err[TBFGEN_ERR_LEN]);

// Lays out the apps flash region (doc/tbf.md). Notes about inputs the kernel will skip
// (bad checksum, incompatible version, ...) go to diag when it is not NULL.
int tbfgen_appflash(const struct tbfgen_app *apps, size_t n, const struct tbfgen_flash_opts *o,
                    uint8_t **out, size_t *out_len, FILE *diag, char err[TBFGEN_ERR_LEN]);

// Parses a decimal or 0x-hex number with an optional k/K (x1024) or m/M (x1048576) suffix.
int tbfgen_parse_u32(const char *s, uint32_t *out);

// Reads a whole file (for the CLIs).
int tbfgen_read_file(const char *path, uint8_t **out, size_t *out_len, char err[TBFGEN_ERR_LEN]);
int tbfgen_write_file(const char *path, const uint8_t *data, size_t len, char err[TBFGEN_ERR_LEN]);

#endif
