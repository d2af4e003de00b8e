// SPDX-License-Identifier: Apache-2.0
// Kernel debug writer: where kprintf's bytes go, before and after interrupts are on.
#ifndef CAIRN_DEBUG_H
#define CAIRN_DEBUG_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/hil/uart.h>

// Bytes of the debug ring: large enough for the bursts of normal operation (a few lines
// at once); long diagnostics wait for the UART instead of needing a ring that holds
// them whole (debug_hold).
#ifndef DEBUG_BUF_SIZE
#define DEBUG_BUF_SIZE 512
#endif

// Boot: output is written synchronously with put_sync (polling the UART), so messages
// appear even if the kernel dies before its main loop. poll_tx advances a split-phase
// transmit without interrupts (used to drain before going synchronous); may be null.
void debug_init(void (*put_sync)(char c), void (*poll_tx)(void));

// Switch to buffered output through a (virtual) UART once the main loop runs: bytes go
// into a ring buffer and are sent split-phase; a full buffer drops bytes and the count
// is reported in the output once room returns.
void debug_attach_uart(struct uart *u);

void debug_put(char c);
void debug_kick(void);

// Wait (polling the UART) until n bytes of buffer are free, so a long diagnostic is
// printed whole. For fault dumps only: it holds the CPU meanwhile.
void debug_reserve(uint32_t n);
// While on, every byte waits (polling the UART) for room instead of being dropped: a
// fault dump or a console command's reply of any length comes out whole through a small
// ring. It holds the CPU. Calls nest: each debug_hold(true) is ended by one (false).
void debug_hold(bool on);

// Panic path: flush whatever is buffered, then write synchronously from now on.
void debug_put_sync(char c);
void debug_go_sync(void);

#endif
