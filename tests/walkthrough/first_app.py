#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# The README's "your first app" walkthrough, step by step, in a fresh copy of the tree.
"""Follows README.md's "Your first app" as a newcomer would, in a fresh copy of the tree
(the files git knows, as they are now), and checks what each step promises: make help; a
copied template runs next to hello with %f working; the image follows APPS; a broken app
elsewhere does not matter; an unknown app or board name is answered with the valid ones; make run-app
boots a TAB and a TBF; a warning does not stop the build but an error leaves no image to
boot; an FPU build is refused; make debug stops in an app function, prints an app global
and leaves no QEMU behind; a missing compiler gives one install line and no noise.

Prints PASS/FAIL per step and "N passed, N failed". --tree DIR walks another checkout
(to see the steps fail on an older one). The PIC newlib comes from the shared cache.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import pexpect

HERE = os.path.dirname(os.path.abspath(__file__))
results = []

# A newcomer types make in a plain shell: nothing of the outer make that runs this script
# (`make -j2 test` passes its jobserver in MAKEFLAGS, and the inner makes then print a
# jobserver warning before the lines the steps check).
for var in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"):
    os.environ.pop(var, None)


def step(name, ok, detail=""):
    results.append(ok)
    print(f"{'PASS' if ok else 'FAIL'} walkthrough: {name}" + ("" if ok else f": {detail}"),
          flush=True)


def make(tree, *args, env=None, timeout=900):
    """make ARGS in tree with no terminal; (exit code, combined output). On timeout the
    whole process group (make, QEMU, gdb) is killed and the exit code is 124."""
    p = subprocess.Popen(["make", "--no-print-directory", *args], cwd=tree, env=env,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        return p.returncode, out
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        return 124, out + f"\n[walkthrough: make {' '.join(args)} killed after {timeout} s]"


def boot(tree, args, expects, timeout=600):
    """make ARGS on a terminal (as a person types it), wait for each regex in turn, quit
    QEMU with Ctrl-A x. Returns (ok, what failed, seconds to the first expect, output)."""
    t0 = time.monotonic()
    child = pexpect.spawn("make", ["--no-print-directory", *args], cwd=tree,
                          encoding="utf-8", codec_errors="replace", timeout=timeout)
    log, first, seen = [], None, ""
    try:
        for rx in expects:
            child.expect(rx)
            seen += child.before + child.after
            first = first or time.monotonic() - t0
            child.timeout = 60
        child.send("\x01x")
        child.expect(pexpect.EOF, timeout=30)
        return True, "", first, seen + child.before
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        log.append(str(child.before)[-1500:])
        return False, f"waiting for {rx!r}: {type(e).__name__}; output: {log[-1]}", first, ""
    finally:
        child.close(force=True)


def fresh_copy(src, dst):
    """The files git knows in src (tracked and new), as they are on disk: a fresh clone
    of the work in progress, without build/."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=src,
                           check=True, stdout=subprocess.PIPE).stdout.split(b"\0")
    for f in files:
        f = f.decode()
        if not f or not os.path.isfile(os.path.join(src, f)):
            continue
        os.makedirs(os.path.join(dst, os.path.dirname(f)), exist_ok=True)
        shutil.copy2(os.path.join(src, f), os.path.join(dst, f))


def no_qemu_left(tree):
    out = subprocess.run(["ps", "-eo", "args"], stdout=subprocess.PIPE, text=True).stdout
    return [line for line in out.splitlines() if "qemu-system" in line and tree in line]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tree", default=os.path.abspath(os.path.join(HERE, "..", "..")))
    ap.add_argument("--keep", action="store_true", help="keep the copy")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="cairn-walkthrough-")
    tree = os.path.join(work, "cairn")
    fresh_copy(args.tree, tree)
    try:
        walk(tree)
    finally:
        left = no_qemu_left(tree)
        for line in left:
            print(f"  left running: {line}")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
    return 0 if all(results) else 1


def walk(tree):
    apps = os.path.join(tree, "userland", "apps")
    rc, out = make(tree, "help")
    step("make help lists targets, variables, boards and apps",
         rc == 0 and all(w in out for w in ("run-app", "APPS=", "qemu-mps2-an385", "template")),
         out[-500:])

    # Step 1 of the README: copy the template, name it, run it next to hello.
    shutil.copytree(os.path.join(apps, "template"), os.path.join(apps, "myapp"))
    mk = os.path.join(apps, "myapp", "Makefile")
    with open(mk) as f:
        text = f.read()
    with open(mk, "w") as f:
        f.write(text.replace("APP := template", "APP := myapp"))
    ok, why, secs, out = boot(tree, ["run", 'APPS=hello myapp'],
                              [r"loader: 'myapp' slot", r"kernel: 2 processes loaded",
                               r"template: tick 3 at 0\.3 s"])
    # The two apps' lines interleave in real time: look for hello's anywhere.
    step("make run APPS=\"hello myapp\" boots both; %f prints",
         ok and "Hello from Cairn" in out and "template: tick 1 at 0.1 s" in out,
         why or out[-800:])
    if secs is not None:
        print(f"  (first make run in a fresh tree, newlib cached: {secs:.0f} s to boot)")

    ok, why, _, out = boot(tree, ["run", "APPS=myapp"],
                           [r"kernel: 1 process loaded", r"template: tick 1"])
    step("a shorter APPS boots a new image with only those apps",
         ok and "'hello'" not in out, why or "hello still loaded")

    # A half-written app elsewhere does not stop anyone.
    os.makedirs(os.path.join(apps, "broken"))
    with open(os.path.join(apps, "broken", "Makefile"), "w") as f:
        f.write("APP := broken\ninclude ../../rules.mk\n")
    with open(os.path.join(apps, "broken", "main.c"), "w") as f:
        f.write("int main(void) { return this is not C; }\n")
    ok, why, _, _ = boot(tree, ["run", "APPS=myapp"], [r"template: tick 1"])
    step("a broken app in userland/apps does not break make run of others", ok, why)

    rc, out = make(tree, "run", "APPS=myapp nosuch")
    step("an unknown app name is answered with the valid names",
         rc != 0 and "nosuch" in out and re.search(r"Apps:.* myapp", out) is not None
         and "Booting" not in out, out[-600:])

    rc, out = make(tree, "run", "BOARD=an385")
    step("an unknown board name is answered with the valid names",
         rc != 0 and "No board named 'an385'" in out
         and re.search(r"Boards:.* qemu-mps2-an385", out) is not None
         and "No rule" not in out, out[-600:])

    b = os.path.join(tree, "build", "apps", "myapp")
    for ext in ("tab", "tbf"):
        ok, why, _, _ = boot(tree, ["run-app", f"APP={b}/myapp.{ext}"],
                             [r"loader: 'myapp' slot 0", r"template: tick 1"])
        step(f"make run-app APP=path/myapp.{ext} boots it", ok, why)

    # Warnings are shown, not fatal; an error leaves no image behind to boot.
    src = os.path.join(apps, "myapp", "main.c")
    with open(src) as f:
        good = f.read()
    with open(src, "w") as f:
        f.write(good.replace("int main(void)\n{\n", "int main(void)\n{\n    int unused;\n"))
    ok, why, _, out = boot(tree, ["run", "APPS=myapp"], [r"warning:.*unused variable",
                                                         r"template: tick 1"])
    step("a warning in a new app is shown and the app still runs", ok, why)
    with open(src, "w") as f:
        f.write(good.replace("int main(void)\n{\n", "int main(void)\n{\n    crash here\n"))
    rc, out = make(tree, "run", "APPS=myapp")
    step("a compile error stops make run and removes the old image",
         rc != 0 and "Booting" not in out and not os.path.exists(os.path.join(b, "myapp.tbf"))
         and not os.path.exists(os.path.join(b, "myapp.tab")), out[-600:])
    with open(src, "w") as f:
        f.write(good)

    rc, out = make(tree, "build/apps/myapp/myapp.tbf",
                   "CFLAGS_EXTRA=-mcpu=cortex-m4 -mfloat-abi=softfp -mfpu=fpv4-sp-d16")
    step("an app built for an FPU core is refused for the FPU-less board",
         rc != 0 and "floating-point unit" in out, out[-600:])

    # make debug: break in an app function, continue, print an app global.
    cmds = os.path.join(tree, "build", "walk.gdb")
    with open(cmds, "w") as f:
        f.write("break tick\ncontinue\ncontinue\nprint ticks\n")
    rc, out = make(tree, "debug", "APPS=hello myapp", f"DEBUG_BATCH={cmds}", timeout=240)  # everything is built by now
    step("make debug: break tick stops in the app twice and print ticks reads its global",
         out.count("Breakpoint 1, tick ()") == 2 and re.search(r"\$1 = 1\b", out) is not None,
         out[-1200:])
    left = no_qemu_left(tree)
    step("no QEMU is left running after gdb quits", not left, str(left))

    # A fault: the dump's addr2line line, run as printed, names the faulting function.
    with open(src, "w") as f:
        f.write(good.replace("int main(void)\n{\n", "__attribute__((noinline)) static void crash(void)\n"
                             "{\n    *(volatile unsigned *)4 = 1;\n}\n\nint main(void)\n{\n"
                             "    crash();\n"))
    ok, why, _, out = boot(tree, ["run", "APPS=myapp"],
                           [r"faulted", r"source: arm-none-eabi-addr2line [^\r\n]*\r",
                            r"policy"])
    m = re.search(r"source: (arm-none-eabi-addr2line [^\r\n]*)", out)
    where = subprocess.run(m.group(1), shell=True, cwd=tree, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True).stdout if m else ""
    step("a fault dump's addr2line line, run as printed, names the faulting function",
         ok and where.startswith("crash at ") and "main.c" in where, why or out[-800:] + where)
    with open(src, "w") as f:
        f.write(good)

    # A missing compiler: one install line, nothing before it. PATH without the ARM tools.
    fake = os.path.join(tree, "build", "fakebin")
    os.makedirs(fake)
    for d in os.environ.get("PATH", "/usr/bin").split(":"):
        if os.path.isdir(d):
            for n in os.listdir(d):
                if not n.startswith("arm-none-eabi-") and not os.path.exists(os.path.join(fake, n)):
                    os.symlink(os.path.join(d, n), os.path.join(fake, n))
    env = dict(os.environ, PATH=fake, CAIRN_DEPS_NO_INSTALL="1")
    rc, out = make(tree, "-s", "run", env=env)
    lines = out.splitlines()
    step("a missing compiler gives one exact install line and nothing before it",
         rc != 0 and len(lines) >= 2 and lines[0].startswith("Missing packages for make run")
         and re.fullmatch(r"\s+(sudo )?apt-get update && (sudo )?apt-get install -y "
                          r"--no-install-recommends .*gcc-arm-none-eabi.*", lines[1]) is not None
         and all("make" in x for x in lines[2:]), out[-600:])


if __name__ == "__main__":
    sys.exit(main())
