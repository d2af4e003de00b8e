// SPDX-License-Identifier: Apache-2.0
// Console driver (0x1): asynchronous and synchronous write and read.
//
// write = RO allow 1 + command 1 + upcall 1 (bytes_written, 0, 0);
// read = RW allow 1 + command 2 + upcall 2 (status, bytes_read, 0); command 3 aborts.

#include "console.h"
#include "syscall.h"

enum {
    CONSOLE_CMD_WRITE = 1,
    CONSOLE_CMD_READ = 2,
    CONSOLE_CMD_ABORT = 3,
    CONSOLE_UPCALL_WRITE = 1,
    CONSOLE_UPCALL_READ = 2,
    CONSOLE_ALLOW_WRITE = 1, // read-only allow
    CONSOLE_ALLOW_READ = 1,  // read-write allow
};

// One outstanding asynchronous operation per direction. done != NULL exactly while the
// kernel holds the buffer of that direction for an asynchronous request.
struct console_pending {
    console_done_fn *done;
    void *userdata;
};

void (*console_before_read)(void);

static struct console_pending pending_write;
static struct console_pending pending_read;

// Clears the slot before calling back, so the callback may start the next request.
static void finish(struct console_pending *p, returncode_t status, size_t len)
{
    console_done_fn *done = p->done;
    void *userdata = p->userdata;
    p->done = NULL;
    if (done != NULL)
        done(status, len, userdata);
}

static void write_upcall(int bytes_written, int unused1, int unused2, void *unused_ud)
{
    allow_ro(CONSOLE_DRIVER, CONSOLE_ALLOW_WRITE, NULL, 0);
    finish(&pending_write, RETURNCODE_SUCCESS, (size_t)bytes_written);
}

static void read_upcall(int status, int bytes_read, int unused2, void *unused_ud)
{
    allow_rw(CONSOLE_DRIVER, CONSOLE_ALLOW_READ, NULL, 0);
    finish(&pending_read, returncode_from_status((uint32_t)status), (size_t)bytes_read);
}

// Subscribe first: the driver may queue the completion during the command itself, and a
// subscribe after that would purge it.
static returncode_t start(uint32_t upcall, upcall_fn_t *fn, struct syscall_return allowed,
                          uint32_t allow_class, uint32_t cmd, size_t len)
{
    returncode_t rc = allow_ok(allowed);
    if (rc < 0)
        return rc;
    rc = subscribe_ok(subscribe(CONSOLE_DRIVER, upcall, fn, NULL));
    if (rc == RETURNCODE_SUCCESS)
        rc = command_ok(command(CONSOLE_DRIVER, cmd, (uint32_t)len, 0));
    if (rc < 0) {
        if (allow_class == SYSCALL_CLASS_ALLOW_RO)
            allow_ro(CONSOLE_DRIVER, CONSOLE_ALLOW_WRITE, NULL, 0);
        else
            allow_rw(CONSOLE_DRIVER, CONSOLE_ALLOW_READ, NULL, 0);
    }
    return rc;
}

returncode_t console_write(const void *buf, size_t len, console_done_fn *done, void *userdata)
{
    if (pending_write.done != NULL)
        return RETURNCODE_EBUSY;
    if (done == NULL)
        return RETURNCODE_EINVAL;
    returncode_t rc = start(CONSOLE_UPCALL_WRITE, write_upcall,
                            allow_ro(CONSOLE_DRIVER, CONSOLE_ALLOW_WRITE, buf, len),
                            SYSCALL_CLASS_ALLOW_RO, CONSOLE_CMD_WRITE, len);
    if (rc == RETURNCODE_SUCCESS) {
        pending_write.done = done;
        pending_write.userdata = userdata;
    }
    return rc;
}

returncode_t console_read(void *buf, size_t len, console_done_fn *done, void *userdata)
{
    if (pending_read.done != NULL)
        return RETURNCODE_EBUSY;
    if (done == NULL)
        return RETURNCODE_EINVAL;
    if (console_before_read != NULL)
        console_before_read();
    returncode_t rc = start(CONSOLE_UPCALL_READ, read_upcall,
                            allow_rw(CONSOLE_DRIVER, CONSOLE_ALLOW_READ, buf, len),
                            SYSCALL_CLASS_ALLOW_RW, CONSOLE_CMD_READ, len);
    if (rc == RETURNCODE_SUCCESS) {
        pending_read.done = done;
        pending_read.userdata = userdata;
    }
    return rc;
}

returncode_t console_abort_read(void)
{
    return command_ok(command(CONSOLE_DRIVER, CONSOLE_CMD_ABORT, 0, 0));
}

// The event is taken by WaitFor whether or not an upcall function is subscribed, so the
// sync calls need no subscribe of their own.
returncode_t console_write_sync(const void *buf, size_t len, size_t *len_out)
{
    if (len_out != NULL)
        *len_out = 0;
    // An asynchronous write still in flight would make the completion ambiguous: finish
    // it first (its callback runs here), so that printf never fails for that reason.
    if (pending_write.done != NULL) {
        struct yield_wait_for_return r = yield_wait_for(CONSOLE_DRIVER, CONSOLE_UPCALL_WRITE);
        write_upcall((int)r.data0, 0, 0, NULL);
    }
    if (len == 0)
        return RETURNCODE_SUCCESS;
    returncode_t rc = allow_ok(allow_ro(CONSOLE_DRIVER, CONSOLE_ALLOW_WRITE, buf, len));
    if (rc < 0)
        return rc;
    rc = command_ok(command(CONSOLE_DRIVER, CONSOLE_CMD_WRITE, (uint32_t)len, 0));
    if (rc == RETURNCODE_SUCCESS) {
        struct yield_wait_for_return r = yield_wait_for(CONSOLE_DRIVER, CONSOLE_UPCALL_WRITE);
        if (len_out != NULL)
            *len_out = r.data0;
    }
    allow_ro(CONSOLE_DRIVER, CONSOLE_ALLOW_WRITE, NULL, 0);
    return rc;
}

returncode_t console_read_sync(void *buf, size_t len, size_t *len_out)
{
    size_t done = 0;
    returncode_t rc = RETURNCODE_SUCCESS;
    // Unlike a write, a pending read may never end (no input): refuse instead of waiting.
    if (pending_read.done != NULL)
        rc = RETURNCODE_EBUSY;
    else if (console_before_read != NULL)
        console_before_read();
    while (rc == RETURNCODE_SUCCESS && done < len) {
        size_t chunk = len - done < CONSOLE_READ_CHUNK ? len - done : CONSOLE_READ_CHUNK;
        rc = allow_ok(allow_rw(CONSOLE_DRIVER, CONSOLE_ALLOW_READ, (char *)buf + done, chunk));
        if (rc < 0)
            break;
        rc = command_ok(command(CONSOLE_DRIVER, CONSOLE_CMD_READ, (uint32_t)chunk, 0));
        size_t got = 0;
        if (rc == RETURNCODE_SUCCESS) {
            struct yield_wait_for_return r = yield_wait_for(CONSOLE_DRIVER, CONSOLE_UPCALL_READ);
            rc = returncode_from_status(r.data0);
            // Never trust a count beyond what was allowed.
            got = r.data1 < chunk ? r.data1 : chunk;
        }
        allow_rw(CONSOLE_DRIVER, CONSOLE_ALLOW_READ, NULL, 0);
        done += got;
        if (got < chunk)
            break; // a short read is a complete answer
    }
    if (len_out != NULL)
        *len_out = done;
    return rc;
}
