"""Recording where each service of a `load_balancers` config was placed, beside the config.

The assignment is what `shared_nlb.config.placement` reads back, so it must be written by every step
that can put a new service on an NLB: `shared-nlb deploy`, `shared-nlb synth` and `cdk synth` /
`cdk deploy` (app.py). It works as `cdk.context.json` does for CDK context lookups: written during
synthesis, committed, and read on every later synthesis so that the output stays the same.
"""

from __future__ import annotations

from pathlib import Path

from shared_nlb import atomic
from shared_nlb.config import Config
from shared_nlb.config import placement as placing


def record(config: Config, config_path: str | Path) -> Path | None:
    """Write `<config>.placement.yaml` when the config has `load_balancers` and the assignment
    differs from the file's; the path written, or None."""
    if not config.load_balancers:
        return None
    path = placing.path_beside(config_path)
    text = placing.text(config.placement)
    try:
        if path.read_text(encoding="utf-8") == text:
            return None
    except OSError:
        pass
    atomic.write_file(path, text)
    return path


COMMIT_HINT = "commit it beside the config (placed services never move to another NLB)"
