// SPDX-License-Identifier: Apache-2.0
// Key-value driver (0x50003): allow key/value/output, command, completion upcall.
#include "kv.h"

enum { KV_UPCALL = 0, KV_RO_KEY = 0, KV_RO_VALUE = 1, KV_RW_OUT = 0 };

static kv_done_fn *pending_done;
static void *pending_userdata;

returncode_t kv_exists(void)
{
    return command_ok(command(KV_DRIVER, KV_CMD_EXISTS, 0, 0));
}

returncode_t kv_command_raw(enum kv_command cmd)
{
    return command_ok(command(KV_DRIVER, cmd, 0, 0));
}

returncode_t kv_allow_key(const void *key, size_t len)
{
    return allow_ok(allow_ro(KV_DRIVER, KV_RO_KEY, key, len));
}

returncode_t kv_allow_value(const void *value, size_t len)
{
    return allow_ok(allow_ro(KV_DRIVER, KV_RO_VALUE, value, len));
}

returncode_t kv_allow_output(void *buf, size_t len)
{
    return allow_ok(allow_rw(KV_DRIVER, KV_RW_OUT, buf, len));
}

returncode_t kv_subscribe(upcall_fn_t *fn, void *userdata)
{
    return subscribe_ok(subscribe(KV_DRIVER, KV_UPCALL, fn, userdata));
}

static void release(void)
{
    kv_allow_key(NULL, 0);
    kv_allow_value(NULL, 0);
    kv_allow_output(NULL, 0);
}

// Lends the buffers the command needs and issues it.
static returncode_t issue(enum kv_command cmd, const void *key, size_t klen, const void *value,
                          size_t vlen, void *out, size_t olen)
{
    returncode_t rc = RETURNCODE_SUCCESS;
    if (cmd != KV_CMD_GC)
        rc = kv_allow_key(key, klen);
    if (rc == RETURNCODE_SUCCESS && value)
        rc = kv_allow_value(value, vlen);
    if (rc == RETURNCODE_SUCCESS && out)
        rc = kv_allow_output(out, olen);
    if (rc == RETURNCODE_SUCCESS)
        rc = kv_command_raw(cmd);
    if (rc < 0)
        release();
    return rc;
}

static void kv_upcall(int status, int len, int unused, void *userdata)
{
    (void)unused;
    (void)userdata;
    kv_done_fn *done = pending_done;
    pending_done = NULL;
    release();
    if (done)
        done(returncode_from_status((uint32_t)status), (size_t)len, pending_userdata);
}

static returncode_t start(enum kv_command cmd, const void *key, size_t klen, const void *value,
                          size_t vlen, void *out, size_t olen, kv_done_fn *done, void *userdata)
{
    if (pending_done)
        return RETURNCODE_EBUSY;
    returncode_t rc = kv_subscribe(kv_upcall, NULL);
    if (rc < 0)
        return rc;
    pending_done = done;
    pending_userdata = userdata;
    rc = issue(cmd, key, klen, value, vlen, out, olen);
    if (rc < 0)
        pending_done = NULL;
    return rc;
}

returncode_t kv_get(const void *key, size_t klen, void *buf, size_t len, kv_done_fn *done,
                    void *userdata)
{
    return start(KV_CMD_GET, key, klen, NULL, 0, buf, len, done, userdata);
}

returncode_t kv_set(const void *key, size_t klen, const void *value, size_t vlen, kv_done_fn *done,
                    void *userdata)
{
    return start(KV_CMD_SET, key, klen, value, vlen, NULL, 0, done, userdata);
}

returncode_t kv_add(const void *key, size_t klen, const void *value, size_t vlen, kv_done_fn *done,
                    void *userdata)
{
    return start(KV_CMD_ADD, key, klen, value, vlen, NULL, 0, done, userdata);
}

returncode_t kv_update(const void *key, size_t klen, const void *value, size_t vlen,
                       kv_done_fn *done, void *userdata)
{
    return start(KV_CMD_UPDATE, key, klen, value, vlen, NULL, 0, done, userdata);
}

returncode_t kv_delete(const void *key, size_t klen, kv_done_fn *done, void *userdata)
{
    return start(KV_CMD_DELETE, key, klen, NULL, 0, NULL, 0, done, userdata);
}

returncode_t kv_gc(kv_done_fn *done, void *userdata)
{
    return start(KV_CMD_GC, NULL, 0, NULL, 0, NULL, 0, done, userdata);
}

static returncode_t run_sync(enum kv_command cmd, const void *key, size_t klen, const void *value,
                             size_t vlen, void *out, size_t olen, size_t *len_out)
{
    if (pending_done)
        return RETURNCODE_EBUSY;
    returncode_t rc = issue(cmd, key, klen, value, vlen, out, olen);
    if (rc < 0)
        return rc;
    struct yield_wait_for_return r = yield_wait_for(KV_DRIVER, KV_UPCALL);
    release();
    if (len_out)
        *len_out = r.data1;
    return returncode_from_status(r.data0);
}

returncode_t kv_get_sync(const void *key, size_t klen, void *buf, size_t len, size_t *len_out)
{
    return run_sync(KV_CMD_GET, key, klen, NULL, 0, buf, len, len_out);
}

returncode_t kv_set_sync(const void *key, size_t klen, const void *value, size_t vlen)
{
    return run_sync(KV_CMD_SET, key, klen, value, vlen, NULL, 0, NULL);
}

returncode_t kv_add_sync(const void *key, size_t klen, const void *value, size_t vlen)
{
    return run_sync(KV_CMD_ADD, key, klen, value, vlen, NULL, 0, NULL);
}

returncode_t kv_update_sync(const void *key, size_t klen, const void *value, size_t vlen)
{
    return run_sync(KV_CMD_UPDATE, key, klen, value, vlen, NULL, 0, NULL);
}

returncode_t kv_delete_sync(const void *key, size_t klen)
{
    return run_sync(KV_CMD_DELETE, key, klen, NULL, 0, NULL, 0, NULL);
}

returncode_t kv_gc_sync(void)
{
    return run_sync(KV_CMD_GC, NULL, 0, NULL, 0, NULL, 0, NULL);
}
