"""Loads a jsii library ahead, in a thread, while the command line reads the config.

`import aws_cdk` takes ~0.5 s, most of it waiting for the jsii kernel (a Node process) to load
aws-cdk-lib; the config model loads meanwhile. The kernel takes one caller at a time, so every user of
jsii calls `wait()` before its first jsii call. Nothing is started outside the command line (tests,
app.py, k8s_app.py), and `wait()` then returns at once.
"""

from __future__ import annotations

import gc
import importlib
import threading

_thread: threading.Thread | None = None
_collector_paused = False


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
        importlib.import_module(module)
    except BaseException:  # noqa: BLE001
        # Not here: the command imports the module again after wait() and reports the failure as one
        # line; an exception escaping a thread would print a traceback through threading.excepthook.
        pass


def wait() -> None:
    global _collector_paused
    if _thread is not None:
        _thread.join()
    if _collector_paused:
        _collector_paused = False
        gc.freeze()
        gc.enable()
