// SPDX-License-Identifier: Apache-2.0
// kv_probe: tries the key-value driver against kv_counter's key and with bad arguments.
//
// KV_PROBE_SPY: a hostile app with its own storage id. Every way it has to reach
// kv_counter's "boots" (get, set, update, delete, add, a collection between) must answer
// ENOSUPPORT and leave its buffer untouched; then the driver's argument checks.
// KV_PROBE_READER: read id of kv_counter, no write id: reads the count, may change nothing.
// KV_PROBE_NOPERM: no Storage Permissions TLV: every operation is refused (EINVAL).
// Each result is printed as "NAME: what RESULT" for tests/qemu/kv_*.test.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cairn.h"

#define KV_PROBE_SPY    1
#define KV_PROBE_READER 2
#define KV_PROBE_NOPERM 3
#ifndef KV_PROBE
#define KV_PROBE KV_PROBE_SPY
#endif
#if KV_PROBE == KV_PROBE_SPY
#define NAME "kv_spy"
#elif KV_PROBE == KV_PROBE_READER
#define NAME "kv_reader"
#else
#define NAME "kv_noperm"
#endif

static const char boots[] = "boots";
static uint8_t out[32];

static void say(const char *what, returncode_t rc)
{
    printf(NAME ": %s %s\n", what, returncode_name(rc));
}

static __attribute__((unused)) bool untouched(void)
{
    for (size_t i = 0; i < sizeof out; i++)
        if (out[i] != 0xAA)
            return false;
    return true;
}

#if KV_PROBE == KV_PROBE_SPY
static uint8_t big[KV_VALUE_MAX + 1];

static void bad_arguments(void)
{
    // Nothing allowed: GET has no key.
    say("get-no-key", kv_command_raw(KV_CMD_GET));
    kv_allow_key(big, KV_KEY_MAX + 1);
    kv_allow_output(out, sizeof out);
    say("get-long-key", kv_command_raw(KV_CMD_GET));
    say("command-7", kv_command_raw((enum kv_command)7));
    kv_allow_key(boots, sizeof boots - 1);
    kv_allow_output(NULL, 0);
    say("get-no-output", kv_command_raw(KV_CMD_GET));
    say("set-no-value", kv_command_raw(KV_CMD_SET));
    kv_allow_value(big, sizeof big);
    say("set-long-value", kv_command_raw(KV_CMD_SET));
    kv_allow_key(NULL, 0);
    kv_allow_value(NULL, 0);
}
#endif

int main(void)
{
    size_t len = 0;
    // kv_counter stores its count at boot: give it time to.
    delay_ms(300);
    say("exists", kv_exists());
    memset(out, 0xAA, sizeof out);
    returncode_t rc = kv_get_sync(boots, sizeof boots - 1, out, sizeof out, &len);
#if KV_PROBE == KV_PROBE_READER
    uint32_t n = 0;
    memcpy(&n, out, sizeof n);
    printf(NAME ": get boots %s len %u value %lu\n", returncode_name(rc), (unsigned)len,
           (unsigned long)n);
#else
    printf(NAME ": get boots %s len %u %s\n", returncode_name(rc), (unsigned)len,
           untouched() ? "untouched" : "WRITTEN");
#endif
    uint32_t forged = 999;
    say("set boots", kv_set_sync(boots, sizeof boots - 1, &forged, sizeof forged));
    say("update boots", kv_update_sync(boots, sizeof boots - 1, &forged, sizeof forged));
    say("add boots", kv_add_sync(boots, sizeof boots - 1, &forged, sizeof forged));
    say("delete boots", kv_delete_sync(boots, sizeof boots - 1));
    say("gc", kv_gc_sync());
#if KV_PROBE == KV_PROBE_SPY
    memset(out, 0xAA, sizeof out);
    rc = kv_get_sync(boots, sizeof boots - 1, out, sizeof out, &len);
    printf(NAME ": get-after-gc boots %s len %u %s\n", returncode_name(rc), (unsigned)len,
           untouched() ? "untouched" : "WRITTEN");
    // Its own key works, and a short buffer gets ESIZE with the full length.
    say("set spy", kv_set_sync("spy", 3, "secret", 6));
    rc = kv_get_sync("spy", 3, out, 3, &len);
    printf(NAME ": get spy short %s len %u %.3s\n", returncode_name(rc), (unsigned)len,
           (const char *)out);
    bad_arguments();
#endif
    printf(NAME ": done\n");
    for (;;)
        yield_wait();
}
