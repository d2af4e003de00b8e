// SPDX-License-Identifier: Apache-2.0
// Temperature driver (0x60000): command 1 starts a reading, upcall 0 brings it.
#include "temperature.h"
#include "syscall.h"

enum { TEMPERATURE_CMD_READ = 1, TEMPERATURE_UPCALL = 0 };

static temperature_fn *pending;
static void *pending_userdata;

returncode_t temperature_start(void)
{
    return command_ok(command(TEMPERATURE_DRIVER, TEMPERATURE_CMD_READ, 0, 0));
}

int temperature_exists(void)
{
    return driver_exists(TEMPERATURE_DRIVER);
}

static void upcall(int centi, int unused1, int unused2, void *userdata)
{
    (void)unused1;
    (void)unused2;
    (void)userdata;
    temperature_fn *done = pending;
    pending = 0;
    if (done)
        done((int32_t)centi, pending_userdata);
}

returncode_t temperature_read(temperature_fn *done, void *userdata)
{
    returncode_t rc = subscribe_ok(subscribe(TEMPERATURE_DRIVER, TEMPERATURE_UPCALL, upcall, 0));
    if (rc < 0)
        return rc;
    pending = done;
    pending_userdata = userdata;
    rc = temperature_start();
    if (rc < 0)
        pending = 0;
    return rc;
}

returncode_t temperature_read_sync(int32_t *centi_celsius)
{
    returncode_t rc = temperature_start();
    if (rc < 0)
        return rc;
    struct yield_wait_for_return r = yield_wait_for(TEMPERATURE_DRIVER, TEMPERATURE_UPCALL);
    *centi_celsius = (int32_t)r.data0;
    return RETURNCODE_SUCCESS;
}
