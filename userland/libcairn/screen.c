// SPDX-License-Identifier: Apache-2.0
// Screen driver (0x90001): queries, queued operations with a status upcall, allow 0.
#include "screen.h"
#include "syscall.h"

enum { SCREEN_UPCALL = 0 };

static screen_done_fn *pending;
static void *pending_userdata;

static returncode_t from_status(uint32_t status)
{
    return status == 0 ? RETURNCODE_SUCCESS : -(returncode_t)status;
}

returncode_t screen_resolution(uint32_t *width, uint32_t *height)
{
    return command_u32x2(command(SCREEN_DRIVER, 23, 0, 0), width, height);
}

returncode_t screen_pixel_format(uint32_t *format)
{
    return command_u32(command(SCREEN_DRIVER, 25, 0, 0), format);
}

returncode_t screen_command_set_frame(uint16_t x, uint16_t y, uint16_t w, uint16_t h)
{
    return command_ok(command(SCREEN_DRIVER, 100, (uint32_t)x << 16 | y, (uint32_t)w << 16 | h));
}

returncode_t screen_command_write(size_t len)
{
    return command_ok(command(SCREEN_DRIVER, 200, len, 0));
}

returncode_t screen_command_fill(void)
{
    return command_ok(command(SCREEN_DRIVER, 300, 0, 0));
}

returncode_t screen_command_power(int on)
{
    return command_ok(command(SCREEN_DRIVER, 2, on != 0, 0));
}

returncode_t screen_command_brightness(uint32_t percent)
{
    return command_ok(command(SCREEN_DRIVER, 3, percent, 0));
}

returncode_t screen_command_invert(int on)
{
    return command_ok(command(SCREEN_DRIVER, 6, on != 0, 0));
}

returncode_t screen_allow(const uint8_t *buf, size_t len)
{
    return allow_ok(allow_ro(SCREEN_DRIVER, 0, buf, len));
}

static void upcall(int status, int unused1, int unused2, void *userdata)
{
    (void)unused1;
    (void)unused2;
    (void)userdata;
    screen_done_fn *done = pending;
    pending = 0;
    if (done)
        done(from_status((uint32_t)status), pending_userdata);
}

returncode_t screen_write(const uint8_t *buf, size_t len, screen_done_fn *done, void *userdata)
{
    returncode_t rc = subscribe_ok(subscribe(SCREEN_DRIVER, SCREEN_UPCALL, upcall, 0));
    if (rc < 0)
        return rc;
    rc = screen_allow(buf, len);
    if (rc < 0)
        return rc;
    pending = done;
    pending_userdata = userdata;
    rc = screen_command_write(len);
    if (rc < 0)
        pending = 0;
    return rc;
}

// Wait for the completion of the operation a command just queued (rc: its answer).
static returncode_t wait_done(returncode_t rc)
{
    if (rc < 0)
        return rc;
    return from_status(yield_wait_for(SCREEN_DRIVER, SCREEN_UPCALL).data0);
}

returncode_t screen_set_frame_sync(uint16_t x, uint16_t y, uint16_t w, uint16_t h)
{
    return wait_done(screen_command_set_frame(x, y, w, h));
}

returncode_t screen_write_sync(const uint8_t *buf, size_t len)
{
    returncode_t rc = screen_allow(buf, len);
    if (rc < 0)
        return rc;
    rc = wait_done(screen_command_write(len));
    screen_allow(0, 0);
    return rc;
}

returncode_t screen_fill_sync(int lit)
{
    static const uint8_t pixel[2] = {0x00, 0x80};
    returncode_t rc = screen_allow(&pixel[lit ? 1 : 0], 1);
    if (rc < 0)
        return rc;
    rc = wait_done(screen_command_fill());
    screen_allow(0, 0);
    return rc;
}

returncode_t screen_power_sync(int on)
{
    return wait_done(screen_command_power(on));
}

returncode_t screen_brightness_sync(uint32_t percent)
{
    return wait_done(screen_command_brightness(percent));
}

returncode_t screen_invert_sync(int on)
{
    return wait_done(screen_command_invert(on));
}
