// SPDX-License-Identifier: Apache-2.0
// Tock Binary Format (TBF v2) header parser: validates one object of the apps flash region.
//
// Pure and allocation-free: the kernel calls it on flash at boot, the host tools and tests
// call it on buffers. Every multi-byte field is read with byte loads, so an image may sit at
// any address. The parser never reads outside [img, img + avail), and on success never
// outside [img, img + header_size) (the userspace binary itself is not inspected).
#ifndef CAIRN_TBF_H
#define CAIRN_TBF_H

#include <stdbool.h>
#include <stdint.h>

// The Tock kernel version Cairn advertises to apps through the KernelVersion TLV check:
// an app asking for 2.m runs iff m <= CAIRN_KERNEL_MINOR. libtock-c asks for 2.2 by
// default; Tock master reports 2.3.
#ifndef CAIRN_KERNEL_MAJOR
#define CAIRN_KERNEL_MAJOR 2
#endif
#ifndef CAIRN_KERNEL_MINOR
#define CAIRN_KERNEL_MINOR 3
#endif

#define TBF_VERSION          2
#define TBF_BASE_HEADER_SIZE 16
#define TBF_FLAG_ENABLED     0x1u        // start the app at boot
#define TBF_FLAG_STICKY      0x2u        // tooling only: erasing needs --force
#define TBF_NOT_FIXED        0xFFFFFFFFu // FixedAddresses value meaning "anywhere"
// Storage permission ids the kernel supports per list (as Tock): more is a TLV error.
#define TBF_MAX_STORAGE_IDS 8

// TLV types (Tock 2.x). Types with bit 15 set are for out-of-tree use and are skipped.
enum tbf_tlv_type {
    TBF_TLV_MAIN = 1,
    TBF_TLV_WRITEABLE_FLASH_REGIONS = 2,
    TBF_TLV_PACKAGE_NAME = 3,
    TBF_TLV_PIC_OPTION_1 = 4,
    TBF_TLV_FIXED_ADDRESSES = 5,
    TBF_TLV_PERMISSIONS = 6,
    TBF_TLV_STORAGE_PERMISSIONS = 7,
    TBF_TLV_KERNEL_VERSION = 8,
    TBF_TLV_PROGRAM = 9,
    TBF_TLV_SHORT_ID = 10,
    TBF_TLV_CREDENTIALS = 128,
};

// Outcome of tbf_parse(), in the order the checks run. What a walker of the apps region
// does with each is given by tbf_walk_can_continue(): the statuses marked STOP leave
// total_size untrustworthy, so the walk ends there; for all others the next object is at
// img + total_size.
enum tbf_status {
    TBF_OK = 0,                // runnable app (flags bit 0 set)
    TBF_PADDING,               // valid 16-byte header without TLVs: a filler, never run
    TBF_DISABLED,              // valid app with flags bit 0 clear: not started at boot
    TBF_END,                   // STOP, normal: < 8 bytes left, or version 0x0000/0xFFFF (blank)
    TBF_ERR_VERSION,           // STOP: version is not 2 (and not blank)
    TBF_ERR_TOTAL_SIZE,        // STOP: total_size < 16 (incl. 0) or not a multiple of 4
    TBF_ERR_TRUNCATED,         // STOP: total_size runs past the end of the region
    TBF_ERR_HEADER_SIZE,       // header_size < 16, > total_size, or not a multiple of 4
    TBF_ERR_CHECKSUM,          // XOR checksum mismatch
    TBF_ERR_TLV,               // TLV past header_size, or a known TLV with a malformed length
    TBF_ERR_NAME,              // PackageName is not valid UTF-8
    TBF_ERR_NO_PROGRAM,        // TLVs present but neither Main nor Program: not runnable
    TBF_ERR_LAYOUT,            // entry, protected trailer, binary end or a WFR outside the binary
    TBF_ERR_KERNEL_VERSION,    // KernelVersion TLV asks for an incompatible kernel
    TBF_ERR_NO_KERNEL_VERSION, // no KernelVersion TLV
    TBF_UNCOMMITTED,           // sound object whose checksum word is still erased (app store)
    TBF_RETIRED,               // sound object whose checksum word was cleared (app store)
    TBF_STATUS_COUNT,
};

// The app store's commit protocol on NOR flash (capsules/appstore.c, doc/appstore.md) uses
// the checksum word as the one field whose value only ever moves by clearing bits:
// erased (0xFFFFFFFF) while the object is being written, the real checksum once it is
// complete and verified (commit), zero once it is removed or superseded (retire). Only an
// otherwise sound object (total_size, header and TLVs valid) gets these two statuses;
// both leave total_size trustworthy, so a walk steps over them. Tock and tockloader see a
// bad checksum there and skip the object too. A TBF whose real checksum is one of these
// two values cannot be installed by the store (one in 2^31).
#define TBF_CHECKSUM_UNCOMMITTED 0xFFFFFFFFu
#define TBF_CHECKSUM_RETIRED     0x00000000u

// One writeable flash region: offset from the TBF start, size in bytes.
struct tbf_wfr {
    uint32_t offset;
    uint32_t size;
};

// Everything the kernel uses from a TBF header. All pointers point into the image passed
// to tbf_parse() (nothing is copied) and stay valid as long as that image does.
// Fields are complete when tbf_parse() returns TBF_OK, TBF_DISABLED,
// TBF_ERR_KERNEL_VERSION or TBF_ERR_NO_KERNEL_VERSION; for TBF_PADDING only the base
// header is; for the other errors the base header fields are filled as far as they could
// be read (for diagnostics).
struct tbf_header {
    // Base header.
    uint16_t version;
    uint16_t header_size;
    uint32_t total_size;
    uint32_t flags;
    uint32_t checksum;

    // From the Program TLV, else the Main TLV (then binary_end_offset = total_size and
    // app_version = 0). Invariant on success:
    //   header_size + protected_trailer_size <= header_size + init_fn_offset
    //                                         < binary_end_offset <= total_size.
    bool has_main;
    bool has_program;
    uint32_t init_fn_offset;         // entry = TBF start + header_size + init_fn_offset
    uint32_t protected_trailer_size; // app_start = TBF start + header_size + this
    uint32_t minimum_ram_size;
    uint32_t binary_end_offset; // from the TBF start; integrity covers [0, this)
    uint32_t app_version;

    // PackageName: UTF-8, not NUL-terminated; NULL and 0 when absent.
    const char *name;
    uint32_t name_len;

    // FixedAddresses: either may be TBF_NOT_FIXED. fixed_flash is the address of the first
    // byte after the protected region (see tbf_fixed_flash_ok()).
    bool has_fixed;
    uint32_t fixed_ram;
    uint32_t fixed_flash;

    // KernelVersion: the oldest kernel the app accepts. Required, as in Tock's loader
    // (which refuses a TBF without it): without it nothing says which ABI the app was
    // built for. elf2tbf and elf2tab emit it.
    bool has_kernel_version;
    uint16_t kernel_major;
    uint16_t kernel_minor;

    uint32_t short_id; // ShortId TLV, 0 = none (also when absent)

    // Permissions: permission_count entries of 16 bytes, only 2-byte aligned: read them with
    // tbf_permission_get(). has_permissions false = no filter (everything allowed).
    bool has_permissions;
    uint16_t permission_count;
    const uint8_t *permissions;

    // StoragePermissions: ids are u32 LE arrays in the image (read with byte loads).
    bool has_storage;
    uint32_t storage_write_id; // 0 = may not write
    uint16_t storage_read_count;
    uint16_t storage_modify_count;
    const uint8_t *storage_read_ids;
    const uint8_t *storage_modify_ids;

    // WriteableFlashRegions: how many regions all type-2 TLVs hold together, in header
    // order (Tock keeps only the last TLV, but elf2tab writes one TLV per region, so
    // Cairn keeps them all). Read one with tbf_wfr_get(). Each lies inside the app's
    // binary: app_start <= offset and offset + size <= binary_end_offset (no wrapping).
    uint32_t wfr_count;
};

// Parse and validate the TBF object at img. avail = bytes from img to the end of the apps
// flash region (the object must fit in it). Rules: doc/tbf.md and tock-abi.md §7.
enum tbf_status tbf_parse(const uint8_t *img, uint32_t avail, struct tbf_header *out);

// Best-effort package name of an object that failed to parse, for error messages: walks
// the TLVs with every read bounded, trusting nothing. False if none can be found.
bool tbf_peek_name(const uint8_t *img, uint32_t avail, const char **name, uint32_t *len);

// Writeable flash region number index (header order, from 0) of the TBF at img, of which
// avail bytes are readable; false if there is no such region. Meant for a TBF tbf_parse()
// accepted (then index < wfr_count finds one and it was checked); on any other bytes it
// still reads only within [img, img + min(header_size, avail)). Costs one walk of the
// header's TLVs.
bool tbf_wfr_get(const uint8_t *img, uint32_t avail, uint32_t index, struct tbf_wfr *out);

// Credential formats of the footers (Tock's numbering, tock-abi.md section 7.6).
enum tbf_cred_format {
    TBF_CRED_RESERVED = 0, // filler: room kept for credentials added later
    TBF_CRED_RSA3072 = 1,
    TBF_CRED_RSA4096 = 2,
    TBF_CRED_SHA256 = 3,
    TBF_CRED_SHA384 = 4,
    TBF_CRED_SHA512 = 5,
    TBF_CRED_ECDSA_P256 = 6,
};

// One credentials footer: format and its data (pointing into the image).
struct tbf_footer {
    uint32_t offset; // of the footer's TLV from the TBF start
    uint32_t format;
    const uint8_t *data;
    uint32_t data_len;
};

enum tbf_footer_status {
    TBF_FOOTER_OK,  // *f holds the next footer
    TBF_FOOTER_END, // no more footers (the rest of the object, if any, is zero padding)
    TBF_FOOTER_BAD, // malformed or unknown footer at *pos: scanning stops there (as Tock's)
};

// Steps through the footers [binary_end_offset, total_size) of an image tbf_parse()
// accepted (h is its result, img has total_size readable bytes). Start with *pos =
// h->binary_end_offset; each footer is a type-128 TLV whose length counts the 4-byte
// format and the data, and the next starts right after it. A footer is malformed if it
// runs past total_size, is not type 128, or its data length is not the one its format
// has (0 = Reserved: any); formats other than 0-6 (HMAC, RSA-2048, cleartext ID ...) are
// refused as Tock's kernel refuses them. A zero TLV (type 0, length 0) followed by zero
// bytes only is the end: older tools padded the object with zeros.
enum tbf_footer_status tbf_footer_next(const uint8_t *img, const struct tbf_header *h,
                                       uint32_t *pos, struct tbf_footer *f);

// Data length of a credential format, or -1 if the kernel does not know it (0 = Reserved,
// any length).
int32_t tbf_cred_data_len(uint32_t format);

// Short human text for a status ("bad checksum", "truncated", ...); never NULL.
const char *tbf_status_str(enum tbf_status s);

// True if a walker of the apps region may step to img + out->total_size after this status
// (the object itself is then run or skipped); false if the walk must end here. s: a status
// tbf_parse returned (TBF_STATUS_COUNT is none).
bool tbf_walk_can_continue(enum tbf_status s);

// XOR of the 32-bit little-endian words of hdr[0, header_size) except word 3 (the checksum
// itself). A trailing partial word is ignored, as Tock does.
uint32_t tbf_checksum(const uint8_t *hdr, uint32_t header_size);

// True if s[0, len) is well-formed UTF-8 (no overlong forms, surrogates or code points
// above U+10FFFF).
bool tbf_utf8_valid(const uint8_t *s, uint32_t len);

// Permission entry i (< permission_count): commands 64*offset + k are allowed for driver
// when bit k of allowed_commands is set. Returns false if i is out of range.
bool tbf_permission_get(const struct tbf_header *h, uint16_t i, uint32_t *driver, uint32_t *offset,
                        uint64_t *allowed_commands);

// Tock's TBF permission filter. Without a Permissions TLV everything is allowed. With one,
// a driver not listed gets NODEVICE for every syscall class (tbf_driver_permitted() false);
// a listed driver allows all subscribes and allows but only the commands whose bit is set.
bool tbf_driver_permitted(const struct tbf_header *h, uint32_t driver);
bool tbf_command_permitted(const struct tbf_header *h, uint32_t driver, uint32_t command);

// The value of the last TLV of type in a header tbf_parse() accepted (the one tbf_parse
// keeps for a repeated type), with its length in *len; NULL if there is none. A walk of
// the TLVs' type and length words only, for data the kernel re-derives from an app's
// header in flash instead of keeping a copy.
const uint8_t *tbf_find_tlv(const uint8_t *hdr, uint16_t type, uint16_t *len);

// The same filter over the TLV's n entries at perms (16 bytes each, 2-byte aligned, as
// tbf_header.permissions points at them): what the kernel keeps of a process's header to
// enforce it (kernel/syscall.c), without the rest of the parsed header.
bool tbf_perms_driver_listed(const uint8_t *perms, uint16_t n, uint32_t driver);
bool tbf_perms_command_allowed(const uint8_t *perms, uint16_t n, uint32_t driver, uint32_t command);

// Storage id i of the read (or modify) list; i must be < the list's count.
uint32_t tbf_storage_read_id(const struct tbf_header *h, uint16_t i);
uint32_t tbf_storage_modify_id(const struct tbf_header *h, uint16_t i);

// For a parsed app placed at flash address tbf_addr: false if its FixedAddresses TLV pins
// the binary to another flash address (the loader then skips it). The parser cannot check
// this itself because on the host img is not the flash address.
bool tbf_fixed_flash_ok(const struct tbf_header *h, uint32_t tbf_addr);

// Tock's AppID uniqueness rule with Cairn's identity: a and b are the same app if they
// carry the same non-zero ShortId TLV or the same non-empty package name (Tock's default
// assigner derives the ShortId from the name, so equal names mean equal ShortIds).
bool tbf_same_app(const struct tbf_header *a, const struct tbf_header *b);

// True if app a (TBF at flash address a_at) must not run because b (at b_at) is the same
// app (tbf_same_app) with a higher Program version (a missing Program TLV counts as
// version 0), or with the same version and the same ShortId TLV and earlier in flash
// (Tock's uniqueness rule: one running app per ShortId, the first copy wins a tie).
// Copies of one version without a ShortId TLV all run, as Tock's boot loader runs them
// (ShortId LocallyUnique): images with several copies of one test app rely on it. The app
// store never makes such copies: an update must carry a higher version, so the new copy
// wins the moment it is committed.
bool tbf_blocked_by(const struct tbf_header *a, uint32_t a_at, const struct tbf_header *b,
                    uint32_t b_at);

// Offsets from the TBF start of the first byte of the userspace binary and of the entry.
static inline uint32_t tbf_app_start_offset(const struct tbf_header *h)
{
    return (uint32_t)h->header_size + h->protected_trailer_size;
}

static inline uint32_t tbf_entry_offset(const struct tbf_header *h)
{
    return (uint32_t)h->header_size + h->init_fn_offset;
}

#endif
