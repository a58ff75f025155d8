"""Writes that are all or nothing: a failed run leaves the previous outputs byte-identical."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_file(path: str | Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and an atomic rename.

    The file gets the mode a plain write would give (the old file's, or 0666 less the umask), not
    mkstemp's private 0600: outputs and templates are read by other tools and users. A symlink is
    written through: its target gets the new text and the link stays (a committed link, such as a
    checkout's example beside the packaged one, is kept and never left pointing at stale text)."""
    target = Path(os.path.realpath(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_tree(path: str | Path, files: Mapping[str, str]) -> None:
    """Make folder `path` hold exactly `files` (relative path -> text), swapped in whole.

    The new tree is written beside the old one, then the old one is renamed away and the new one
    renamed into place; files that are no longer listed disappear with the old tree.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    old: Path | None = None
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        os.chmod(staging, 0o777 & ~_umask())  # a GitOps folder, not mkdtemp's private 0700
        for relative, text in sorted(files.items()):
            file = staging / relative
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(text, encoding="utf-8", newline="")
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.rmdir(old)
            os.replace(target, old)
        try:
            os.replace(staging, target)
        except BaseException:
            if old is not None:
                os.replace(old, target)
            raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
