"""A direct channel to the jsii kernel, for the command line: one Node process instead of two.

Stock jsii (Python) starts `node jsii-runtime.js`, a relay whose only job is to start a *second* Node
process (`program.js`, the kernel), pass every request and response between its stdin/stdout and the
kernel's socket on fd 3, and wrap the kernel's console output into JSON. That costs every
jsii-using process one extra Node start (~0.1 s, before aws-cdk-lib can even load) and every call
two extra pipe hops (~0.1 ms of the ~0.35 ms a round trip takes). Here Python starts `program.js`
itself with one end of a socket pair on fd 3 (where the relay would put its channel), talks the same
protocol over the other end, and lets the kernel's console output go straight to our stdout/stderr.
Requests, responses and hence templates are unchanged (tests/test_jsii_transport.py checks the
bytes against a stock-transport `cdk synth`).

The command line also starts that kernel first thing (`prestart()`, before jsii's own ~0.1 s of
imports and the config model's), so Node's start-up runs on the other core meanwhile; jsii adopts it.

It replaces two private methods of `jsii._kernel.providers.process._NodeProcess`, so it is used only
with the jsii release it was checked against (TESTED_JSII, pinned in requirements.txt) and only on
POSIX; anywhere else, or with `SHARED_NLB_JSII_TRANSPORT=stock` or a custom `JSII_RUNTIME`, jsii
starts as it always does. `cdk synth` (app.py, k8s_app.py) keeps the stock transport: it is the
reference the command line's output is compared with.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import platform
import shutil
import signal
import socket
import tempfile
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
_prestarted: _Kernel | None = None


def install() -> bool:
    """Make jsii start its kernel directly, if this jsii release and platform allow it.

    Call before the first jsii import of the process (jsii starts its kernel on the first library
    load). True when installed; False when jsii keeps its stock transport.
    """
    global _installed
    if _installed:
        return True
    if not _allowed():
        return False
    import jsii
    from jsii._kernel.providers import process

    if jsii.__version__ != TESTED_JSII:
        return False
    process._NodeProcess.start = _start
    process._NodeProcess.stop = _stop
    _installed = True
    return True


def prestart() -> bool:
    """Start the kernel now, before `import jsii` (~0.1 s of Python) and the command's own imports,
    so Node's start-up overlaps with them; jsii adopts this kernel when it starts (`install()` is
    still needed, and must follow). Nothing is imported: jsii's files are found on disk. A kernel
    that jsii never adopts (the config was invalid, say) is stopped at exit. True when started."""
    global _prestarted
    if _prestarted is not None or _installed or not _allowed():
        return _prestarted is not None
    spec = importlib.util.find_spec("jsii")
    if spec is None or not spec.submodule_search_locations:
        return False
    package = Path(spec.submodule_search_locations[0])
    try:
        if json.loads((package / "_metadata.json").read_text())["version"] != TESTED_JSII:
            return False
    except (OSError, ValueError, KeyError):  # not the layout this was checked against: jsii starts its own
        return False
    folder = Path(tempfile.mkdtemp(prefix="shared-nlb-jsii-"))
    try:
        for name, relative in runtime_files(package / "_embedded" / "jsii").items():
            target = folder / relative
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(package / "_embedded" / "jsii" / name, target)
        _prestarted = _spawn(folder / "lib" / "program.js", folder)
    except OSError:  # files missing, or no Node to start: jsii starts its own and reports what fails
        shutil.rmtree(folder, ignore_errors=True)
        return False
    atexit.register(_discard_prestarted)
    return True


def runtime_files(embedded: Path) -> dict[str, str]:
    """jsii's embedded runtime files and where jsii unpacks each (`lib__program.js` -> `lib/program.js`):
    the mapping of `jsii._embedded.jsii.EMBEDDED_FILES`, read from the names on disk."""
    return {p.name: p.name.replace("__", "/", 1) for p in sorted(embedded.iterdir()) if p.name.startswith(("bin__", "lib__"))}


def _allowed() -> bool:
    if os.environ.get("SHARED_NLB_JSII_TRANSPORT") == "stock" or "JSII_RUNTIME" in os.environ:
        return False
    return hasattr(os, "posix_spawnp")


def _discard_prestarted() -> None:
    global _prestarted
    if _prestarted is not None:
        _prestarted.stop()
        _prestarted = None


class _Kernel:
    """The running `program.js`: the parts of a `subprocess.Popen` that jsii's `_NodeProcess` uses."""

    def __init__(self, pid: int, channel: socket.socket, command: tuple[str, Path], folder: Path | None) -> None:
        self.pid = pid
        self.channel = channel
        self.command = command  # (node, program.js): what a start failure names
        self.folder = folder  # the runtime files prestart() unpacked; removed with the kernel
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

    def stop(self) -> None:
        """Ask the kernel to exit and wait for it, as stock jsii does; then remove its files."""
        if self.returncode is None and not self.stdin.closed:
            try:
                self.stdin.write(b'{"exit":0}\n')
                self.stdin.flush()
            except OSError:  # the kernel is gone already (crash, signal): nothing to ask
                pass
            self.close()
            if self.wait(_STOP_TIMEOUT_S) is None:
                self.kill()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def _spawn(program: Path, folder: Path | None = None) -> _Kernel:
    """`node program.js` with one end of a socket pair on fd 3; the other end is ours."""
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
    return _Kernel(pid, ours, (node, program), folder)


def _start(self) -> None:
    """Replaces `_NodeProcess.start`: adopt the prestarted kernel, or spawn one, then the handshake."""
    global _start_failure, _prestarted
    if _start_failure is not None:  # once is enough: a second start would print Node's message again
        raise _start_failure
    if _prestarted is not None:
        kernel, _prestarted = _prestarted, None
    else:
        runtime = Path(self._jsii_runtime())  # <tmp>/bin/jsii-runtime.js, unpacked by jsii as usual
        kernel = _spawn(runtime.parent.parent / "lib" / "program.js")
    self._process = kernel
    atexit.register(self.stop)
    try:
        self.handshake()
    except ValueError:  # no hello line: the kernel stopped before it answered (bad Node flags, old Node...)
        kernel.close()
        status = kernel.wait(_STOP_TIMEOUT_S)
        node, program = kernel.command
        _start_failure = KernelStartError(
            f"the jsii kernel ({node} {program.name}) stopped before it answered (exit status {status}); Node's own message, if any, is above"
        )
        raise _start_failure from None


def _stop(self) -> None:
    """Replaces `_NodeProcess.stop`."""
    atexit.unregister(self.stop)
    kernel = getattr(self, "_process", None)
    if isinstance(kernel, _Kernel):
        kernel.stop()
    self._ctx_stack.close()
