// SPDX-License-Identifier: Apache-2.0
// The kernel shell: a prompt on the console for inspecting and controlling processes.
#ifndef CAIRN_SHELL_H
#define CAIRN_SHELL_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/hil/uart.h>

#define SHELL_LINE_MAX 64

struct shell {
    struct uart *uart;
    struct uart_client client;
    bool debug_commands; // kpanic/kfault/koverflow/exit: development boards only
    uint8_t rx;
    char line[SHELL_LINE_MAX];
    uint32_t len;
    void (*exit_fn)(int code); // ends the emulator run (exit N); null: no exit command
};

// Prints the prompt and starts reading. Commands: help, ps, stop/resume/kill/boot N,
// and with debug_commands: kpanic, kfault, koverflow, exit N.
void shell_init(struct shell *s, struct uart *uart, bool debug_commands, void (*exit_fn)(int));

#endif
