"""All-or-nothing writes keep the permissions a plain write would give."""

from __future__ import annotations

import os
import stat

import pytest

from shared_nlb import atomic


@pytest.fixture()
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_file_gets_0644_not_private(tmp_path, umask_022) -> None:
    atomic.write_file(tmp_path / "a.json", "x")
    assert (tmp_path / "a.json").read_text() == "x"
    assert mode(tmp_path / "a.json") == 0o644


def test_existing_file_keeps_its_mode(tmp_path, umask_022) -> None:
    target = tmp_path / "a.json"
    target.write_text("old")
    target.chmod(0o640)
    atomic.write_file(target, "new")
    assert (target.read_text(), mode(target)) == ("new", 0o640)


def test_tree_folder_gets_0755_and_old_files_disappear(tmp_path, umask_022) -> None:
    out = tmp_path / "tree"
    atomic.replace_tree(out, {"a/x.yaml": "1", "k.yaml": "2"})
    atomic.replace_tree(out, {"k.yaml": "3"})
    assert mode(out) == 0o755
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == ["k.yaml"]
    assert (out / "k.yaml").read_text() == "3" and mode(out / "k.yaml") == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tree"]  # no staging or old copy left


def test_a_symlink_is_written_through_and_kept(tmp_path) -> None:
    """A committed link (examples/shared-nlb.state.yaml to the packaged file) keeps pointing at the
    file that holds the new text: replacing the link by a file would leave its target stale."""
    real = tmp_path / "package" / "state.yaml"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "state.yaml"
    link.symlink_to(real)
    atomic.write_file(link, "new\n")
    assert link.is_symlink() and real.read_text() == "new\n" and link.read_text() == "new\n"
