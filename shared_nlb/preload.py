"""Loads a jsii library ahead, in a thread, while the command line reads the config.

`import aws_cdk` takes ~0.5 s, most of it waiting for the jsii kernel (a Node process) to load
aws-cdk-lib; the config model loads meanwhile. The command line first lets the thread start the kernel
(`started()`: jsii's own Python imports, then Node's start), so that the config model's imports do not
delay Node and run while Node loads aws-cdk-lib on the other core. The kernel takes one caller at a
time, so every user of jsii calls `wait()` before its first jsii call. Nothing is started outside the command line (tests,
app.py, k8s_app.py), and `wait()` then returns at once.
"""

from __future__ import annotations

import gc
import importlib
import threading

_thread: threading.Thread | None = None
_collector_paused = False
_kernel_started = threading.Event()


def start(module: str) -> None:
    """Import `module` in a thread.

    The garbage collector is off until `wait()`: these imports (aws-cdk's thousands of classes, the
    config model) create objects that all live until the process ends, and collecting among them
    costs a CDK command ~0.05-0.1 s. `wait()` freezes them (later collections skip them) and turns it
    back on, so what runs after (a deploy's polling, the stand-in) is collected as usual.
    """
    global _thread, _collector_paused
    if _thread is None:
        if gc.isenabled():
            gc.disable()
            _collector_paused = True
        _thread = threading.Thread(target=_load, args=(module,), name=f"preload {module}", daemon=True)
        _thread.start()


def _load(module: str) -> None:
    try:
        # The jsii kernel (Node) starts on the first library load, after ~0.3 s of Python imports
        # (jsii's own). `started()` lets the command line keep the interpreter lock free until then,
        # so Node starts as early as it can and loads aws-cdk-lib while Python reads the config.
        importlib.import_module("constructs")
        _kernel_started.set()
        importlib.import_module(module)
    except BaseException:  # noqa: BLE001
        _kernel_started.set()
        # Not here: the command imports the module again after wait() and reports the failure as one
        # line; an exception escaping a thread would print a traceback through threading.excepthook.
        pass


def started(timeout: float = 5.0) -> None:
    """Return once the thread has started the jsii kernel (or failed, or `timeout` passed)."""
    if _thread is not None:
        _kernel_started.wait(timeout)


def wait() -> None:
    global _collector_paused
    if _thread is not None:
        _thread.join()
    if _collector_paused:
        _collector_paused = False
        gc.freeze()
        gc.enable()
