"""`--check` of `synth` and `manifests`: compare what would be written with what is on disk, write
nothing, and name every file that differs (as `terraform fmt -check` does), so CI and pre-commit can
fail when a committed template or manifests tree is stale."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from shared_nlb.errors import UserError

_FIX = "run the same command without --check and commit the result"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, UnicodeDecodeError):
        return None


def differences(folder: str | Path, files: Mapping[str, str], *, whole_folder: bool) -> list[str]:
    """One line per file of `folder` that is not what `files` (relative path -> text) says: missing,
    different, or (with `whole_folder`, the manifests tree, which the command replaces whole) extra."""
    root = Path(folder)
    found = []
    for relative in sorted(files):
        text = _read(root / relative)
        if text is None:
            found.append(f"{root / relative}: missing")
        elif text != files[relative]:
            found.append(f"{root / relative}: differs")
    if whole_folder and root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if path.relative_to(root).as_posix() not in files:
                found.append(f"{path}: would be removed")
    return found


def check_all(checks: list[tuple[str | Path, Mapping[str, str], bool]]) -> list[str]:
    """(folder, files, whole_folder) each: one success line per folder, or UserError listing every
    file of every folder that differs."""
    found = [line for folder, files, whole in checks for line in differences(folder, files, whole_folder=whole)]
    if found:
        raise UserError("\n".join(found + [f"{len(found)} file(s) out of date; {_FIX}"]))
    return [f"{folder}: up to date ({len(files)} file(s))" for folder, files, _ in checks]


def check(folder: str | Path, files: Mapping[str, str], *, whole_folder: bool) -> str:
    """The one-line success message, or UserError listing every file that differs."""
    return check_all([(folder, files, whole_folder)])[0]
