#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# QEMU test runner: boots a kernel + apps image under icount and checks its console.
"""Run Cairn QEMU tests.

A test is a file tests/qemu/NAME.test of directives, applied in order:
  # text              what the test checks (first comment line is its description)
  apps: A B ...        apps placed in flash, in order (build/apps/A/A.tbf); A*N is N
                       copies of A
  flash-opts: ...      extra mkappflash options (--corrupt N, --truncate-last)
  timeout: SECONDS     safety net for the whole run (default 20)
  expect: REGEX        wait until REGEX matches the console output after the last match
  expect-count: N RE   wait until RE matched N times after the last match
  send: TEXT           type TEXT (escapes \\r \\n) once the previous expect matched
  reject: REGEX        fail if REGEX appears anywhere in the output (checked at the end)
  exit: CODE           the run must end by itself with this semihosting exit code
  kernel: VARIANT      which kernel image boots: test (default: test driver and debug
                       shell commands), fuzz (test, restarting faulted apps forever),
                       signed (test, running only apps signed with the test key),
                       core (production, every optional feature left out) or
                       prod (what `make run` boots)
  boards: B ...        run only on these boards (default: every board); a name may also
                       be an arch (BOARD_ARCH, e.g. cortex-m or riscv): all its boards
  KEY[B,...]: VALUE    any directive above, applied only on the listed boards or archs
                       (per-board expectations where the hardware differs, e.g.
                       expect[riscv]: load access fault)
  flash-file: yes      the apps region is a file (the board's BOARD_PERSIST): the apps
                       are written into it, and it survives `reboot`
  cairnctl: ARGS       run tools/cairnctl ARGS against the running board over its console
                       (app paths relative to the apps folder); its messages are added to
                       the output as lines "cairnctl: ...", ending "cairnctl: exit N"
  reboot: yes          stop QEMU and boot again from the same flash file
  realtime: N          also run the whole test N more times without -icount (real host
                       time), each of which must pass too: races hide under icount
Driving the emulated hardware from outside (each waits for QEMU's answer before the next
directive; put them after an expect that shows the guest is waiting for them):
  qmp: JSON            send one QMP command (QEMU then runs with a QMP socket); an error
                       answer fails the test
  hmp: CMD [=> REGEX]  run a human-monitor command through QMP; its output must match
                       REGEX (e.g. hmp: xp /1wx 0x40028000 => : 0x00000003)
  hmp-wait: CMD => REGEX  run it again until its output matches (the guest acknowledged
                       something, e.g. an interrupt status bit its handler clears)
  key: NAME down|up    press or release a key (QMP input-send-event, qcode NAME; on the
                       lm3s6965evb up/down/left/right/ctrl are the board's buttons)
  qtest: LINE [=> REGEX] send one qtest line (QEMU then runs with a qtest socket, still
                       under TCG); its answer must match REGEX (default ^OK), e.g.
                       qtest: set_irq_in /machine/unattached/device[9] unnamed-gpio-in 0 1
  screendump: SCRIPT ARG [=> NAME]  capture the display (QMP screendump, a PPM) and
                       compare it pixel for pixel with the PPM that `python3 SCRIPT ARG`
                       writes to stdout (an expected picture drawn from a description,
                       e.g. tests/qemu/oled_expected.py demo); the capture is kept in
                       the output folder as TEST-NAME.ppm
  qemu-opts: ARGS        extra QEMU arguments for this test, e.g. a device on the board's
                       bus: -device tmp105,id=t0,address=0x48 (set it with qmp: qom-set)
In expect, expect-count and reject patterns, {{NAME}} stands for a fact of the board under
test, from BOARD_TEST_VARS in boards/BOARD/board.mk (e.g. RAM_HI, the high 16 bits of
every address in its 64 kB RAM) or BOARD (its name): the expectation is then generated
per board. A test naming a fact its board does not define fails.
Without `exit:`, QEMU is stopped after the last directive passes.

The environment variable QEMU_EXTRA adds QEMU arguments to every run, for debugging a
test, e.g. QEMU_EXTRA="-gdb tcp::3334" to attach gdb to a stalled run, or
QEMU_EXTRA="-d trace:nvic_set_irq_level -D /tmp/nvic.log" to trace interrupt lines.
"""
import argparse
import concurrent.futures
import json
import os
import re
import select
import socket
import subprocess
import sys
import threading
import time

# Console on stdio, nothing else attached to the host; the board adds machine and CPU.
QEMU_IO = ["-display", "none", "-monitor", "none", "-serial", "stdio"]
ICOUNT = ["-icount", "shift=0,sleep=off"]
KERNEL_VARIANTS = {"test": "-test", "fuzz": "-fuzz", "signed": "-signed", "core": "-core",
                   "prod": ""}


def board_conf(board):
    """What boards/BOARD/board.mk says (the build reads it too): BOARD_QEMU, BOARD_APPS_ADDR,
    and optionally BOARD_APPS_SIZE and BOARD_APP_ARCH (apps in build/apps-ARCH, as TABs
    of fixed-address images that mkappflash places by address)."""
    conf = {}
    with open(os.path.join("boards", board, "board.mk")) as f:
        for line in f:
            m = re.match(r"^(BOARD_QEMU|BOARD_APPS_ADDR|BOARD_APPS_SIZE|BOARD_APP_ARCH|BOARD_ARCH|"
                         r"BOARD_PERSIST)"
                         r"\s*:?=\s*(.*?)\s*$", line)
            if m:
                conf[m.group(1)] = m.group(2)
    if "BOARD_QEMU" not in conf or "BOARD_APPS_ADDR" not in conf:
        raise SystemExit(f"boards/{board}/board.mk lacks BOARD_QEMU or BOARD_APPS_ADDR")
    conf["qemu"] = conf["BOARD_QEMU"].split() + QEMU_IO
    return conf


def board_test_vars(board):
    """BOARD_TEST_VARS (NAME=value words) from boards/BOARD/board.mk, as a dict, plus
    BOARD, the board's own name."""
    found = {"BOARD": board}
    with open(os.path.join("boards", board, "board.mk")) as f:
        text = f.read().replace("\\\n", " ")  # make's line continuations
        for line in text.splitlines():
            m = re.match(r"^BOARD_TEST_VARS\s*:?=\s*(.*?)\s*$", line)
            if m:
                for word in m.group(1).split():
                    name, _, value = word.partition("=")
                    found[name] = value
    return found


def expand(pattern, tvars, where):
    """Replace each {{NAME}} in a pattern with the board's value (taken literally).
    Without vars (tvars None: only the directives are wanted) the pattern stays as is."""
    if tvars is None:
        return pattern

    def one(m):
        if m.group(1) not in tvars:
            raise SystemExit(f"{where}: this board defines no {{{{{m.group(1)}}}}} "
                             f"(BOARD_TEST_VARS in its board.mk)")
        return re.escape(tvars[m.group(1)])
    return re.sub(r"\{\{(\w+)\}\}", one, pattern)


def parse(path, board=None, arch=None, tvars=None):
    """Directives of a test; those filtered with [B,...] only when board or arch is listed.
    {{NAME}} in patterns is expanded from tvars (see expand)."""
    steps, opts = [], {"apps": [], "flash": [], "timeout": 20.0, "desc": "", "kernel": "test",
                       "realtime": 0, "boards": None, "qemu_opts": [],
                       "flash_file": False}
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip():
                continue
            if line.startswith("#"):
                if not opts["desc"] and not line.startswith("# SPDX"):
                    opts["desc"] = line[1:].strip()
                continue
            key, _, val = line.partition(":")
            key, val = key.strip(), val.strip()
            m = re.match(r"^([\w-]+)\[([^\]]*)\]$", key)
            if m:
                key = m.group(1)
                only = [x.strip() for x in m.group(2).split(",") if x.strip()]
                if board not in only and arch not in only:
                    continue
            if key == "apps":
                for word in val.split():
                    name, _, count = word.partition("*")
                    opts["apps"] += [name] * (int(count) if count else 1)
            elif key == "flash-opts":
                opts["flash"] = val.split()
            elif key == "timeout":
                opts["timeout"] = float(val)
            elif key == "kernel":
                if val not in KERNEL_VARIANTS:
                    raise SystemExit(f"{path}:{n}: unknown kernel variant '{val}' "
                                     f"(one of {', '.join(KERNEL_VARIANTS)})")
                opts["kernel"] = val
            elif key == "boards":
                opts["boards"] = val.split()
            elif key == "realtime":
                opts["realtime"] = int(val)
            elif key == "qemu-opts":
                opts["qemu_opts"] += val.split()
            elif key == "qmp":
                try:
                    steps.append((key, json.loads(val), n))
                except ValueError as e:
                    raise SystemExit(f"{path}:{n}: qmp: not one JSON object ({e})")
            elif key == "flash-file":
                opts["flash_file"] = val == "yes"
            elif key in ("cairnctl", "reboot"):
                steps.append((key, val, n))
            elif key in ("expect", "reject"):
                steps.append((key, re.compile(expand(val, tvars, f"{path}:{n}")), n))
            elif key == "expect-count":
                cnt, _, rx = val.partition(" ")
                rx = expand(rx.strip(), tvars, f"{path}:{n}")
                steps.append((key, (int(cnt), re.compile(rx)), n))
            elif key == "send":
                steps.append((key, val.encode().decode("unicode_escape"), n))
            elif key == "exit":
                steps.append((key, int(val), n))
            elif key in ("hmp", "hmp-wait", "qtest"):
                cmd, _, rx = val.partition("=>")
                rx = rx.strip() or ("^OK" if key == "qtest" else ".*")
                steps.append((key, (cmd.strip(), re.compile(expand(rx, tvars, f"{path}:{n}"))), n))
            elif key == "screendump":
                cmd, _, tag = val.partition("=>")
                steps.append((key, (cmd.split(), tag.strip() or "screen"), n))
            elif key == "key":
                name, _, how = val.partition(" ")
                if how.strip() not in ("down", "up"):
                    raise SystemExit(f"{path}:{n}: key: NAME down|up")
                steps.append(("qmp", {"execute": "input-send-event", "arguments": {"events": [
                    {"type": "key", "data": {"down": how.strip() == "down",
                                             "key": {"type": "qcode", "data": name}}}]}}, n))
            else:
                raise SystemExit(f"{path}:{n}: unknown directive '{key}'")
    return opts, steps


def ppm_parse(data):
    """(width, height, pixel bytes) of a binary P6 PPM with maxval 255."""
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or fields[3] != b"255":
        raise ValueError("not a P6 PPM with maxval 255")
    return int(fields[1]), int(fields[2]), data[pos + 1:]


def ppm_differs(got, want):
    """None if the two PPMs show the same picture, else the first difference."""
    gw, gh, gp = ppm_parse(got)
    ww, wh, wp = ppm_parse(want)
    if (gw, gh) != (ww, wh):
        return f"size {gw}x{gh}, expected {ww}x{wh}"
    if gp == wp:
        return None
    diff = [i for i in range(0, min(len(gp), len(wp)), 3) if gp[i:i + 3] != wp[i:i + 3]]
    if not diff:
        return f"{len(gp)} pixel bytes, expected {len(wp)}"
    i = diff[0] // 3
    return f"{len(diff)} pixels differ, first at ({i % gw}, {i // gw}): " \
           f"{tuple(gp[diff[0]:diff[0] + 3])}, expected {tuple(wp[diff[0]:diff[0] + 3])}"


def apps_dir(a, conf):
    """--apps, else build/apps for Cortex-M boards and build/apps-ARCH for the others."""
    if a.apps:
        return a.apps
    arch = conf.get("BOARD_APP_ARCH")
    return os.path.join(a.build, "apps" + (f"-{arch}" if arch else ""))


def build_flash(opts, out, mkappflash, appdir, conf):
    arch = conf.get("BOARD_APP_ARCH")
    # Fixed-address apps come as TABs holding one image per slot; mkappflash takes, for
    # each app, the image linked for where it lands.
    ext = ".tab" if arch else ".tbf"
    files = []
    for a in opts["apps"]:
        t = os.path.join(appdir, a, a + ext)
        if not os.path.exists(t):
            raise RuntimeError(f"app image {t} not built")
        files.append(t)
    if not files:
        return None
    extra = []
    if arch:
        extra += ["--arch", arch, "--region-start", conf["BOARD_APPS_ADDR"]]
    if "BOARD_APPS_SIZE" in conf:
        extra += ["--region-size", conf["BOARD_APPS_SIZE"]]
    subprocess.run([mkappflash, "-o", out] + extra + opts["flash"] + files, check=True,
                   stdout=subprocess.DEVNULL)
    return out


def kernel_path(opts, a):
    if a.kernel:
        return a.kernel
    return os.path.join(a.build, a.board + KERNEL_VARIANTS[opts["kernel"]], "cairn.elf")


_out = threading.local()


def say(line):
    """Collect a result line for the test this thread runs (printed in test order)."""
    _out.lines.append(line)


def run_test(path, a):
    """Run the test once under icount, then `realtime` more times without it."""
    name = os.path.splitext(os.path.basename(path))[0]
    conf = board_conf(a.board)
    arch = conf.get("BOARD_ARCH")
    opts, _ = parse(path, a.board, arch)
    if opts["boards"] is not None and a.board not in opts["boards"] and \
            arch not in opts["boards"]:
        say(f"SKIP {name} (not for {a.board})")
        return None
    opts, steps = parse(path, a.board, arch, board_test_vars(a.board))
    kernel = kernel_path(opts, a)
    if not os.path.exists(kernel):
        raise RuntimeError(f"kernel image {kernel} not built (make kernels)")
    os.makedirs(a.out, exist_ok=True)
    qemu, apps_addr = conf["qemu"], conf["BOARD_APPS_ADDR"]
    flash = build_flash(opts, os.path.join(a.out, name + ".apps.bin"), a.mkappflash,
                        apps_dir(a, conf), conf)
    if opts["flash_file"]:
        if "BOARD_PERSIST" not in conf:
            raise RuntimeError(f"flash-file: {a.board} has no BOARD_PERSIST")
        opts["persist"] = conf["BOARD_PERSIST"]
    opts["appdir"] = apps_dir(a, conf)
    ok = run_once(name, opts, steps, qemu, apps_addr, kernel, flash, a.out, a.verbose, True)
    for i in range(1, opts["realtime"] + 1):
        if not ok:
            break
        ok = run_once(f"{name}[realtime {i}/{opts['realtime']}]", opts, steps, qemu, apps_addr,
                      kernel, flash, a.out, a.verbose, False)
    return ok


def make_flash_file(path, apps_image):
    """A fresh persistent flash: the 16 MB backing file, its apps region (at offset 0)
    erased (0xFF) as NOR flash comes, then the apps laid out by mkappflash."""
    with open(path, "wb") as f:
        f.write(b"\xff" * 0x40000)
        f.truncate(16 * 1024 * 1024)
        if apps_image:
            f.seek(0)
            with open(apps_image, "rb") as img:
                f.write(img.read())


_cairnctl = []


def load_cairnctl():
    """tools/cairnctl as a module (loaded once: its exception classes must be one)."""
    if _cairnctl:
        return _cairnctl[0]
    import importlib.machinery
    import importlib.util
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cairnctl")
    loader = importlib.machinery.SourceFileLoader("cairnctl", path)
    spec = importlib.util.spec_from_loader("cairnctl", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    _cairnctl.append(mod)
    return mod


def run_once(name, opts, steps, qemu, apps_addr, kernel, flash, outdir, verbose, icount):
    log_path = os.path.join(outdir, re.sub(r"[^\w.-]+", "_", name).strip("_") + ".log")
    started = time.monotonic()
    cmd = qemu + (ICOUNT if icount else []) + ["-kernel", kernel] + opts["qemu_opts"]
    if opts.get("persist"):
        flash_file = log_path[:-4] + ".flash.img"
        make_flash_file(flash_file, flash)
        cmd += opts["persist"].split()
        cmd[-1] += flash_file
    elif flash:
        cmd += ["-device", f"loader,file={flash},addr={apps_addr}"]
    cmd += os.environ.get("QEMU_EXTRA", "").split()
    kinds = {s[0] for s in steps}
    qmp_path = qtest_path = None
    if kinds & {"qmp", "hmp", "hmp-wait", "screendump"}:
        qmp_path = log_path[:-4] + ".qmp"
        cmd += ["-qmp", f"unix:{qmp_path},server=on,wait=off"]
    if "qtest" in kinds:
        # qtest would otherwise pick its own accelerator, which runs no guest code.
        qtest_path = log_path[:-4] + ".qtest"
        cmd += ["-accel", "tcg", "-qtest", f"unix:{qtest_path},server=on,wait=off"]
    for sock in (qmp_path, qtest_path):
        if sock and os.path.exists(sock):
            os.unlink(sock)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    out = b""
    pos = 0  # output consumed by matched expects
    deadline = time.monotonic() + opts["timeout"]
    failure = None
    rejects = [s for s in steps if s[0] == "reject"]
    exit_code = None
    chans = {}

    def connect(path):
        """A line reader/writer on QEMU's socket at path (it appears shortly after start)."""
        while True:
            try:
                c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                c.connect(path)
                c.settimeout(max(1.0, deadline - time.monotonic()))
                return c.makefile("rwb", buffering=0)
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"no QEMU socket at {path}")
                time.sleep(0.05)

    def qmp(command):
        """Send one QMP command; return its answer (a dict with return or error)."""
        if "qmp" not in chans:
            f = connect(qmp_path)
            f.readline()  # greeting
            chans["qmp"] = f
            qmp({"execute": "qmp_capabilities"})
        f = chans["qmp"]
        f.write(json.dumps(command).encode() + b"\n")
        while True:
            line = f.readline()
            if not line:
                raise RuntimeError("QMP socket closed")
            answer = json.loads(line)
            if "return" in answer or "error" in answer:  # anything else is an event
                return answer

    def qtest(line):
        if "qtest" not in chans:
            chans["qtest"] = connect(qtest_path)
        f = chans["qtest"]
        f.write(line.encode() + b"\n")
        while True:
            answer = f.readline().decode().strip()
            if not answer.startswith("IRQ"):  # intercepted interrupts are not answers
                return answer

    def pump(wait):
        nonlocal out
        r, _, _ = select.select([proc.stdout], [], [], wait)
        if r:
            chunk = os.read(proc.stdout.fileno(), 65536)
            if chunk:
                out += chunk
                return True
        return False

    def ctl_read(timeout):
        r, _, _ = select.select([proc.stdout], [], [], timeout)
        return os.read(proc.stdout.fileno(), 65536) if r else b""

    def ctl_write(data):
        try:
            proc.stdin.write(data)
            proc.stdin.flush()
        except BrokenPipeError:
            raise load_cairnctl().CtlError("QEMU exited", 3)

    def ctl_text(b):
        nonlocal out
        out += b

    errs = b""
    for kind, arg, line in steps:
        if failure:
            break
        if kind == "reject":
            continue
        if kind == "hmp-wait":
            try:
                while True:
                    answer = qmp({"execute": "human-monitor-command",
                                  "arguments": {"command-line": arg[0]}})
                    got = str(answer.get("return", answer.get("error")))
                    if arg[1].search(got):
                        break
                    if time.monotonic() > deadline or proc.poll() is not None:
                        failure = f"line {line}: hmp '{arg[0]}' never answered /{arg[1].pattern}/ (last {got!r})"
                        break
                    pump(0.02)
            except (OSError, RuntimeError, ValueError) as e:
                failure = f"line {line}: hmp-wait: {e}"
            continue
        if kind == "reboot":
            proc.kill()
            proc.wait()
            errs += proc.stderr.read()
            for f in chans.values():  # the new QEMU makes its sockets afresh
                f.close()
            chans.clear()
            for sock in (qmp_path, qtest_path):
                if sock and os.path.exists(sock):
                    os.unlink(sock)
            while pump(0):
                pass
            out += b"\n--- reboot ---\n"
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
            continue
        if kind == "cairnctl":
            ctl = load_cairnctl()
            words = arg.split()
            words = [os.path.join(opts["appdir"], w) if w.endswith((".tab", ".tbf")) else w
                     for w in words]
            link = ctl.Link(ctl_read, ctl_write, ctl_text, timeout=5.0, retries=3)
            a_ctl = ctl.parser().parse_intermixed_args(["-i", "unused"] + words)
            t0 = time.monotonic()

            def ctl_out(msg):
                nonlocal out
                out += ("\ncairnctl: " + msg + "\n").encode()
            try:
                ctl.run_command(link, a_ctl, ctl_out)
                code = 0
            except ctl.CtlError as e:
                ctl_out(f"error: {e}")
                code = e.code
            ctl_out(f"exit {code} ({time.monotonic() - t0:.2f} s wall)")
            continue
        if kind in ("qmp", "hmp", "qtest"):
            try:
                if kind == "qmp":
                    answer = qmp(arg)
                    if "error" in answer:
                        failure = f"line {line}: QMP error {answer['error']}"
                    continue
                if kind == "hmp":
                    answer = qmp({"execute": "human-monitor-command",
                                  "arguments": {"command-line": arg[0]}})
                    got = str(answer.get("return", answer.get("error")))
                else:
                    got = qtest(arg[0])
                if not arg[1].search(got):
                    failure = f"line {line}: {kind} '{arg[0]}' answered {got!r}, not /{arg[1].pattern}/"
            except (OSError, RuntimeError, ValueError) as e:
                failure = f"line {line}: {kind}: {e}"
            continue
        if kind == "screendump":
            got_path = log_path[:-4] + "-" + arg[1] + ".ppm"
            try:
                answer = qmp({"execute": "screendump",
                              "arguments": {"filename": os.path.abspath(got_path)}})
                if "error" in answer:
                    failure = f"line {line}: screendump: QMP error {answer['error']}"
                    continue
                want = subprocess.run([sys.executable] + arg[0], check=True,
                                      stdout=subprocess.PIPE).stdout
                with open(got_path, "rb") as f:
                    got = f.read()
                why = ppm_differs(got, want)
                if why:
                    failure = f"line {line}: screendump {got_path} differs from " \
                              f"{' '.join(arg[0])}: {why}"
            except (OSError, RuntimeError, ValueError, subprocess.CalledProcessError) as e:
                failure = f"line {line}: screendump: {e}"
            continue
        if kind == "send":
            try:
                proc.stdin.write(arg.encode())
                proc.stdin.flush()
            except BrokenPipeError:
                failure = f"line {line}: QEMU exited before input could be sent"
            continue
        if kind in ("expect", "expect-count"):
            rx, need = (arg, 1) if kind == "expect" else (arg[1], arg[0])
            while True:
                # surrogateescape round-trips every byte, so pos stays a byte offset even
                # when a process writes bytes that are not UTF-8 (the fuzz app does).
                text = out[pos:].decode(errors="surrogateescape")
                ms = list(rx.finditer(text))
                if len(ms) >= need:
                    pos += len(text[:ms[need - 1].end()].encode(errors="surrogateescape"))
                    break
                if proc.poll() is not None and not pump(0):
                    failure = f"line {line}: QEMU exited ({proc.returncode}) before /{rx.pattern}/ " \
                              f"matched {need} time(s) (saw {len(ms)})"
                    break
                if time.monotonic() > deadline:
                    failure = f"line {line}: timeout waiting for /{rx.pattern}/ x{need} (saw {len(ms)})"
                    break
                pump(0.05)
            continue
        if kind == "exit":
            while proc.poll() is None and time.monotonic() < deadline:
                pump(0.05)
            if proc.poll() is None:
                failure = f"line {line}: timeout waiting for exit {arg}"
            else:
                while pump(0):
                    pass
                exit_code = proc.returncode
                if exit_code != arg:
                    failure = f"line {line}: exit code {exit_code}, expected {arg}"
    for f in chans.values():
        f.close()
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    while pump(0):
        pass
    text = out.decode(errors="replace")
    if not failure:
        for _, rx, line in rejects:
            m = rx.search(text)
            if m:
                failure = f"line {line}: rejected /{rx.pattern}/ appeared: {m.group(0)!r}"
                break
    err = (errs + proc.stderr.read()).decode(errors="replace")
    with open(log_path, "w") as f:
        f.write(text)
        if err:
            f.write("\n--- qemu stderr ---\n" + err)
    if failure:
        say(f"FAIL {name} ({time.monotonic() - started:.1f} s): {failure}")
        tail = "\n".join(text.splitlines()[-25:])
        say("  --- last console lines (full log: %s) ---" % log_path)
        say("  " + tail.replace("\n", "\n  "))
        return False
    say(f"PASS {name} ({time.monotonic() - started:.1f} s)" +
          (f" ({opts['desc']})" if verbose and opts["desc"] else ""))
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build", help="build folder holding the kernels")
    ap.add_argument("--board", default="qemu-mps2-an385")
    ap.add_argument("--kernel", help="boot this image in every test, whatever it asks for")
    ap.add_argument("--mkappflash", default="build/tools/mkappflash")
    ap.add_argument("--apps", help="app images (default: the board's, under --build)")
    ap.add_argument("--out", default="build/tests/qemu")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("-j", "--jobs", type=int,
                    default=int(os.environ.get("CAIRN_TEST_JOBS", os.cpu_count() or 1)),
                    help="tests run at once (default: CAIRN_TEST_JOBS, else the CPU count); "
                         "under icount results do not depend on it, only wall time does")
    ap.add_argument("tests", nargs="+")
    a = ap.parse_args()

    def one(t):
        _out.lines = []
        try:
            ok = run_test(t, a)
        # A broken test file or missing image is a failure, loudly. SystemExit too: parse
        # raises it (a fact the board does not define), and uncaught in this worker it
        # ended the whole run with the tests after it unreported.
        except (Exception, SystemExit) as e:
            say(f"FAIL {os.path.basename(t)}: {e}")
            ok = False
        return ok, _out.lines

    def weight(t):
        # The largest timeout the file declares, for any board: the long tests (fuzzers,
        # soaks, realtime runs) declare large ones. Started first, they overlap the many
        # short ones instead of running alone at the end while the other workers idle.
        try:
            with open(t) as f:
                return max([float(line.partition(":")[2]) for line in f
                            if re.match(r"^timeout(\[[^\]]*\])?\s*:", line)] or [0.0])
        except (OSError, ValueError):
            return 0.0  # parse reports it when the test runs

    passed = failed = skipped = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        futs = [None] * len(a.tests)
        # Stable: the given order among tests of equal weight.
        for i in sorted(range(len(a.tests)), key=lambda i: weight(a.tests[i]), reverse=True):
            futs[i] = pool.submit(one, a.tests[i])
        # Results are printed in the order the tests were given, as each one is ready.
        for fut in futs:
            ok, lines = fut.result()
            for line in lines:
                print(line, flush=True)
            if ok is None:
                skipped += 1
                continue
            passed += ok
            failed += not ok
    print(f"qemu: {passed} passed, {failed} failed" + (f", {skipped} not for this board"
                                                        if skipped else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
