"""A direct channel to the jsii kernel, for the command line: one Node process instead of two.

Stock jsii (Python) starts `node jsii-runtime.js`, a relay whose only job is to start a *second* Node
process (`program.js`, the kernel), pass every request and response between its stdin/stdout and the
kernel's socket on fd 3, and wrap the kernel's console output into JSON. That costs every
jsii-using process one extra Node start (~0.1 s, before aws-cdk-lib can even load) and every call
two extra pipe hops (~0.1 ms of the ~0.35 ms a round trip takes). Here Python starts `program.js`
itself with one end of a socket pair on fd 3 (the kernel's documented channel), talks the same
protocol over the other end, and lets the kernel's console output go straight to our stdout/stderr.
Requests, responses and hence templates are unchanged (tests/test_jsii_transport.py checks the
bytes against a stock-transport `cdk synth`).

It replaces two private methods of `jsii._kernel.providers.process._NodeProcess`, so it is used only
with the jsii release it was checked against (TESTED_JSII, pinned in requirements.txt) and only on
POSIX; anywhere else, or with `SHARED_NLB_JSII_TRANSPORT=stock` or a custom `JSII_RUNTIME`, jsii
starts as it always does. `cdk synth` (app.py, k8s_app.py) keeps the stock transport: it is the
reference the command line's output is compared with.
"""

from __future__ import annotations

import atexit
import os
import platform
import signal
import socket
import time
from pathlib import Path

from shared_nlb.errors import UserError

TESTED_JSII = "1.142.0"
_KERNEL_FD = 3  # program.js reads and writes its requests on fd 3 (@jsii/runtime's SyncStdio)
_STOP_TIMEOUT_S = 5.0  # as stock jsii waits for the kernel to exit

_installed = False


class KernelStartError(UserError):
    """Node could not start the jsii kernel; the command line reports it as one line."""


_start_failure: KernelStartError | None = None


def install() -> bool:
    """Make jsii start its kernel directly, if this jsii release and platform allow it.

    Call before the first jsii import of the process (jsii starts its kernel on the first library
    load). True when installed; False when jsii keeps its stock transport.
    """
    global _installed
    if _installed:
        return True
    if os.environ.get("SHARED_NLB_JSII_TRANSPORT") == "stock" or "JSII_RUNTIME" in os.environ:
        return False
    if not hasattr(os, "posix_spawnp"):
        return False
    import jsii
    from jsii._kernel.providers import process

    if jsii.__version__ != TESTED_JSII:
        return False
    process._NodeProcess.start = _start
    process._NodeProcess.stop = _stop
    _installed = True
    return True


class _Kernel:
    """The running `program.js`: the parts of a `subprocess.Popen` that jsii's `_NodeProcess` uses."""

    def __init__(self, pid: int, channel: socket.socket) -> None:
        self.pid = pid
        self.channel = channel
        self.stdin = channel.makefile("wb")  # jsii writes a request line, then flushes
        self.stdout = channel.makefile("rb")  # and reads the response line
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while self.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)  # the kernel exits within milliseconds of the exit request
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.returncode = -signal.SIGKILL

    def close(self) -> None:
        for stream in (self.stdin, self.stdout):
            try:
                stream.close()
            except OSError:  # the kernel already went away; nothing left to flush
                pass
        self.channel.close()


def _start(self) -> None:
    """Replaces `_NodeProcess.start`: spawn program.js with a socket on fd 3, then the handshake."""
    global _start_failure
    if _start_failure is not None:  # once is enough: a second start would print Node's message again
        raise _start_failure
    runtime = Path(self._jsii_runtime())  # <tmp>/bin/jsii-runtime.js, unpacked by jsii as usual
    program = runtime.parent.parent / "lib" / "program.js"
    ours, theirs = socket.socketpair()
    if theirs.fileno() == _KERNEL_FD:  # dup2(3, 3) would keep the close-on-exec flag on some libcs
        moved = socket.socket(fileno=os.dup(theirs.fileno()))
        theirs.detach()
        os.close(_KERNEL_FD)
        theirs = moved
    env = dict(os.environ, JSII_AGENT=f"Python/{platform.python_version()}")
    node = env.get("JSII_NODE", "node")
    try:
        pid = os.posix_spawnp(
            node,
            [node, "--max-old-space-size=4069", "--preserve-symlinks", str(program)],
            env,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, theirs.fileno(), _KERNEL_FD),
            ],
        )
    finally:
        theirs.close()
    self._process = _Kernel(pid, ours)
    atexit.register(self.stop)
    try:
        self.handshake()
    except ValueError:  # no hello line: the kernel stopped before it answered (bad Node flags, old Node...)
        kernel = self._process
        kernel.close()
        status = kernel.wait(_STOP_TIMEOUT_S)
        _start_failure = KernelStartError(
            f"the jsii kernel ({node} {program.name}) stopped before it answered (exit status {status}); Node's own message, if any, is above"
        )
        raise _start_failure from None


def _stop(self) -> None:
    """Replaces `_NodeProcess.stop`: ask the kernel to exit, wait for it as stock jsii does."""
    atexit.unregister(self.stop)
    kernel = getattr(self, "_process", None)
    if isinstance(kernel, _Kernel) and kernel.returncode is None and not kernel.stdin.closed:
        try:
            kernel.stdin.write(b'{"exit":0}\n')
            kernel.stdin.flush()
        except OSError:  # the kernel is gone already (crash, signal): nothing to ask
            pass
        kernel.close()
        if kernel.wait(_STOP_TIMEOUT_S) is None:
            kernel.kill()
    self._ctx_stack.close()
