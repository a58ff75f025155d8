"""Which Node.js jsii runs on: the one scripts/setup installs beside the interpreter, if any.

jsii starts `JSII_NODE`, else `node` from PATH, which a command run as `.venv/bin/shared-nlb` (not
from an activated venv) would take from the machine even where that Node is end-of-life and the
project has its own. Only `os` and `sys` at import: every command, `validate` too, runs
`use_project_node` at its start; `old_node_note` runs only where jsii is about to start.
"""

import os
import sys

# The oldest Node release line still supported: Node 20 reached end of life on 2026-04-30 (Node.js
# release schedule), and jsii prints a banner of 11 lines on every start under an end-of-life Node.
MINIMUM_NODE = 22


def _project_node() -> str | None:
    node = os.path.join(os.path.dirname(sys.executable), "node")
    return node if os.path.isfile(node) and os.access(node, os.X_OK) else None


def use_project_node() -> None:
    """Point JSII_NODE at the `node` beside the running interpreter, unless it is set or there is none."""
    if os.environ.get("JSII_NODE"):
        return
    node = _project_node()
    if node is not None:
        os.environ["JSII_NODE"] = node


def old_node_note(program: str) -> str | None:
    """Where jsii would run on `program` and it is older than Node `MINIMUM_NODE`: turn off jsii's
    end-of-life banner (its own switches, which take the major version) and return one line saying
    how to get a newer Node, for the command to print once. None otherwise, and for the project's
    own Node (scripts/setup installs a supported one), which is not asked."""
    if program == _project_node():
        return None
    import subprocess

    try:
        version = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
        major = int(version.lstrip("v").split(".")[0])
    except (OSError, ValueError, subprocess.SubprocessError):
        return None  # jsii says what is wrong with it
    if major >= MINIMUM_NODE:
        return None
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", str(major))
    os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
    return (
        f"Node.js {version} ({program}) is past its end of life: install Node {MINIMUM_NODE} or later on PATH, "
        f"or set JSII_NODE to one (in a checkout, scripts/setup puts Node {MINIMUM_NODE} in .venv)"
    )
