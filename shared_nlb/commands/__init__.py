"""One module per command: each parses nothing itself (`shared_nlb.cli` does), runs, and prints."""

from __future__ import annotations

from pathlib import Path


def config_inputs(config_path: str | Path | None) -> dict[str, Path | None]:
    """What a command that reads a config reads beside it: for `atomic.refuse_inputs`."""
    if config_path is None:
        return {}
    from shared_nlb.config.state import legacy_path_beside, path_beside

    return {"the config": Path(config_path), "its state file": path_beside(config_path), "its version 1 placement file": legacy_path_beside(config_path)}
