// SPDX-License-Identifier: Apache-2.0
// The process console: Tock's command set on the console UART, and the keyboard's owner.
//
// Console mode (the default): typed lines are edited (backspace, Ctrl-U, left/right,
// up/down through a history) and run as commands: help, status, list, start, stop,
// fault, terminate, boot, process, kernel, reset, console-start, console-stop (doc/
// process-console.md). Processes are named by their package name or their id (the PID
// column of `list`). Test builds add kpanic, kfault, koverflow and exit N.
// App mode (after console-stop): every keystroke goes to the console driver's input ring
// for the app reading the console; CR becomes LF (a CR LF pair one LF), printable bytes
// and line ends are echoed. PCONSOLE_ESCAPE (Ctrl-\) returns to console mode.
// Output goes through the kernel debug writer (kprintf), so it is ordered with kernel
// messages; app output has its own UART device and is never held back by typing.
#ifndef CAIRN_PCONSOLE_H
#define CAIRN_PCONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/hil/uart.h>

#include "console.h"

#define PCONSOLE_LINE_MAX 64  // a command line, NUL included
#define PCONSOLE_HIST     128 // bytes of history: NUL-separated lines, oldest first
#define PCONSOLE_ESCAPE   0x1C

// What the board tells the console about itself (all fixed at build time).
struct pconsole_board {
    bool debug_commands;             // kpanic/kfault/koverflow/exit: test builds only
    void (*exit_fn)(int code);       // ends the emulator run (exit N); null: no exit command
    void (*reset_fn)(void);          // restarts the board; null or returning: not supported
    uint32_t (*kstack_unused)(void); // kernel stack never used since boot (high-water mark)
    // Kernel attributes end here (__kernel_attributes_end: the apps start, or the end of
    // the kernel flash on the an385); the kernel RAM map around them.
    uint32_t attributes_end, ram_start, kstack_top, kernel_ram_end;
};

struct pconsole {
    struct uart *uart;
    struct uart_client client;
    struct console *con;
    const struct pconsole_board *board;
    uint8_t rx;
    uint8_t app_mode; // keystrokes go to the console driver's readers
    uint8_t esc;      // escape sequence: 0 none, 1 after ESC, 2 after ESC [ or ESC O
    uint8_t after_cr; // app mode: the last byte was CR (an LF right after it is dropped)
    uint8_t len, cur; // line length and cursor
    uint8_t hist_len; // bytes used in hist
    uint8_t hist_sel; // lines back from the newest while browsing (0: the line typed)
    char line[PCONSOLE_LINE_MAX];
    char hist[PCONSOLE_HIST];
};

// Prints the prompt and starts reading; console mode.
void pconsole_init(struct pconsole *pc, struct uart *uart, struct console *con,
                   const struct pconsole_board *board);

#endif
