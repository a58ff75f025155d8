"""Recording the state beside the config (`shared_nlb.config.state`), the last step of every path
that synthesizes: `shared-nlb deploy` (before it executes and after each phase), `shared-nlb synth`
and `cdk synth` / `cdk deploy` (app.py). It works as `cdk.context.json` does for CDK context lookups:
written during synthesis, committed, and read on every later synthesis so that the output stays the
same. A version 1 placement file beside the config is replaced by the state file.
"""

from __future__ import annotations

from pathlib import Path

from shared_nlb import atomic
from shared_nlb.config import Config
from shared_nlb.config import state as states

COMMIT_HINT = "commit it beside the config (every template is built from the config and this file)"


def record(config: Config, config_path: str | Path, state: states.State | None = None) -> list[str]:
    """Write `<config>.state.yaml` when its text changes (`state`, default: what a synthesis of
    `config` records), and remove a version 1 `<config>.placement.yaml` it replaces; one line per file
    touched, to print."""
    path = states.path_beside(config_path)
    text = states.text(state if state is not None else config.recorded_state())
    said = []
    try:
        same = path.read_text(encoding="utf-8") == text
    except OSError:
        same = False
    if not same:
        atomic.write_file(path, text)
        said.append(f"wrote {path}: {COMMIT_HINT}")
    legacy = states.legacy_path_beside(config_path)
    if legacy.exists():
        legacy.unlink()
        said.append(f"removed {legacy}: {path} replaces it (commit both changes)")
    return said
