"""Writes that are all or nothing: a failed run leaves the previous outputs byte-identical.

Even a run killed outright (SIGKILL, OOM killer, power loss) leaves each target whole, old or new:
a file is renamed over its target, and a tree is exchanged with its target in one step where the
system can (Linux's renameat2 RENAME_EXCHANGE, macOS's renamex_np RENAME_SWAP). What such a run
leaves beside the target (a temporary file, the staging or old tree) carries the writer's process
ID in its name, and the next write of the same target removes it once that process is gone, so
that a `git add --all` after a second run picks up nothing of ours but the target.

A write that fails for a reason the user can fix (a full disk, a read-only folder, no permission)
is a `UserError` naming the path, not a traceback.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from shared_nlb.errors import BadArguments, UserError

# Leftovers of versions that did not put the writer's process ID in the name: removed once they
# are older than any write takes, since no running writer can be told apart from a dead one.
_LEGACY_AGE_SECONDS = 3600


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _cannot_write(path: Path, error: OSError) -> UserError:
    reason = error.strerror or type(error).__name__
    return UserError(f"cannot write {path}: {reason}; nothing of it was changed")


def write_file(path: str | Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and an atomic rename.

    The file gets the mode a plain write would give (the old file's, or 0666 less the umask), not
    mkstemp's private 0600: outputs and templates are read by other tools and users. A symlink is
    written through: its target gets the new text and the link stays (a committed link, such as a
    checkout's example beside the packaged one, is kept and never left pointing at stale text)."""
    target = Path(os.path.realpath(path))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        sweep(target)
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise _cannot_write(Path(path), error) from error
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException as error:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _cannot_write(Path(path), error) from error
        raise


def replace_tree(path: str | Path, files: Mapping[str, str]) -> None:
    """Make folder `path` hold exactly `files` (relative path -> text), swapped in whole.

    The new tree is written beside the old one, then exchanged with it in one step (or, where the
    system has no exchange, the old one renamed away and the new one renamed into place); files that
    are no longer listed disappear with the old tree.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        sweep(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-{os.getpid()}-", dir=target.parent))
    except OSError as error:
        raise _cannot_write(target, error) from error
    try:
        os.chmod(staging, 0o777 & ~_umask())  # a GitOps folder, not mkdtemp's private 0700
        for relative, text in sorted(files.items()):
            file = staging / relative
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(text, encoding="utf-8", newline="")
        if target.exists() and exchange(staging, target):
            shutil.rmtree(staging, ignore_errors=True)  # it holds the old tree now
            return
        _rename_over(staging, target)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError):
            raise _cannot_write(target, error) from error
        raise


def _rename_over(staging: Path, target: Path) -> None:
    """The two renames of a system without an exchange: between them, a run killed outright leaves
    no `target`; the next write (`sweep`) puts the old tree back first."""
    old: Path | None = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=target.parent))
        os.rmdir(old)
        os.replace(target, old)
    try:
        os.replace(staging, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _load_exchange():
    """The system call that swaps two paths atomically, or None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    except OSError:
        return None
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        at_fdcwd, rename_exchange = -100, 2  # <fcntl.h>, <linux/fs.h>
        call = libc.renameat2
        call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        return lambda a, b: call(at_fdcwd, a, at_fdcwd, b, rename_exchange)
    if sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        rename_swap = 0x2  # <stdio.h>
        call = libc.renamex_np
        call.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        return lambda a, b: call(a, b, rename_swap)
    return None


_EXCHANGE = _load_exchange()
# The file system or kernel has no exchange (an old kernel, some network file systems): fall back.
_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}


def exchange(a: Path, b: Path) -> bool:
    """Swap what `a` and `b` name in one step; False where the system cannot (nothing moved)."""
    if _EXCHANGE is None:
        return False
    if _EXCHANGE(os.fsencode(a), os.fsencode(b)) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(b))


_LEFTOVER = re.compile(r"\.(?P<kind>new|old)-(?P<pid>\d+)-[^/]*|\.(?P<filepid>\d+)\.[^/]*\.tmp")
_LEGACY = re.compile(r"\.(new|old)-[^/]*|\.[^/]*\.tmp")


def sweep(target: Path) -> None:
    """Remove what killed writes of `target` left beside it (their process is gone), and put an old
    tree back where a run was killed between the two renames of `_rename_over`."""
    prefix = f".{target.name}"
    try:
        entries = sorted(entry for entry in target.parent.iterdir() if entry.name.startswith(prefix))
    except OSError:
        return
    for entry in entries:
        rest = entry.name[len(prefix) :]
        found = _LEFTOVER.fullmatch(rest)
        if found:
            if _alive(int(found["pid"] or found["filepid"])):
                continue
            if found["kind"] == "old" and not target.exists() and not target.is_symlink():
                os.replace(entry, target)
                continue
        elif not (_LEGACY.fullmatch(rest) and _older_than(entry, _LEGACY_AGE_SECONDS)):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0  # another user's process: not ours to judge
    return True


def _older_than(entry: Path, seconds: float) -> bool:
    try:
        return time.time() - entry.lstat().st_mtime > seconds
    except OSError:
        return False


def refuse_inputs(flag: str, output: str | Path, inputs: Mapping[str, str | Path | None], *, tree: bool = False) -> None:
    """Stop before anything is written when output `flag` is one of the run's `inputs` (name ->
    path), or, for a `tree` swapped in whole, holds one: writing would destroy what the run read
    (`deploy --outputs-file CONFIG` replaced the config with JSON). Symlinks are followed, as the
    writes follow them."""
    written = Path(os.path.realpath(output))
    for name, path in inputs.items():
        if path is None or str(path) == "-":
            continue
        read = Path(os.path.realpath(path))
        if read == written or (tree and written in read.parents and os.path.lexists(path)):
            where = "is" if read == written else "holds"
            raise BadArguments(f"{flag} {output} {where} {name} {path}, which this run reads; name another {'folder' if tree else 'file'}")
