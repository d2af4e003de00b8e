// SPDX-License-Identifier: Apache-2.0
// Umbrella header: everything libcairn offers an app.
#ifndef CAIRN_CAIRN_H
#define CAIRN_CAIRN_H

#include "errors.h"
#include "syscall.h"
#include "lowlevel_debug.h"
#include "console.h"
#include "alarm.h"
#include "led.h"
#include "button.h"
#include "gpio.h"
#include "ipc.h"
#include "rng.h"
#include "temperature.h"
#include "adc.h"
#include "screen.h"
#include "kv.h"

#endif // CAIRN_CAIRN_H
