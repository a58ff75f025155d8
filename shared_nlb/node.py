"""Which Node.js jsii runs on: the one scripts/setup installs beside the interpreter, if any.

jsii starts `JSII_NODE`, else `node` from PATH, which a command run as `.venv/bin/shared-nlb` (not
from an activated venv) would take from the machine even where that Node is end-of-life and the
project has its own. Only `os` and `sys`: every command, `validate` too, runs this at its start.
"""

import os
import sys


def use_project_node() -> None:
    """Point JSII_NODE at the `node` beside the running interpreter, unless it is set or there is none."""
    if os.environ.get("JSII_NODE"):
        return
    node = os.path.join(os.path.dirname(sys.executable), "node")
    if os.path.isfile(node) and os.access(node, os.X_OK):
        os.environ["JSII_NODE"] = node
