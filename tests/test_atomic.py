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


# A run killed outright (SIGKILL) runs no clean-up: these play it in a child process, killed at
# the worst moment of each write, then check what a reader and the next write find.
_KILL = "import os, signal; kill = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"


def run_killed(script: str, cwd) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _KILL + script], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == -9, done.stderr


def names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_tree_is_exchanged_in_one_step_where_the_system_can(tmp_path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x").write_text("a")
    if atomic._EXCHANGE is None:
        pytest.skip("this system has no atomic exchange of two paths")
    assert atomic.exchange(tmp_path / "a", tmp_path / "b")
    assert names(tmp_path / "b") == ["x"] and names(tmp_path / "a") == []


def test_killed_after_the_exchange_the_tree_is_new_and_the_next_write_removes_the_leftover(tmp_path) -> None:
    atomic.replace_tree(tmp_path / "manifests", {"old.yaml": "old"})
    run_killed("import shutil; shutil.rmtree = kill\nfrom shared_nlb import atomic\natomic.replace_tree('manifests', {'new.yaml': 'new'})", tmp_path)
    assert names(tmp_path / "manifests") == (["new.yaml"] if atomic._EXCHANGE else ["old.yaml"])
    assert len(names(tmp_path)) == 2  # the old tree (or the unfinished new one), under the dead writer's ID
    atomic.replace_tree(tmp_path / "manifests", {"next.yaml": "next"})
    assert names(tmp_path) == ["manifests"] and names(tmp_path / "manifests") == ["next.yaml"]


def test_killed_between_the_two_renames_the_old_tree_is_put_back(tmp_path) -> None:
    """Where the system has no exchange: the one moment without a folder is repaired first thing."""
    atomic.replace_tree(tmp_path / "manifests", {"old.yaml": "old"})
    script = (
        "from shared_nlb import atomic\natomic._EXCHANGE = None\nreplace, calls = os.replace, []\n"
        "def second_kills(a, b):\n    calls.append(a)\n    kill() if len(calls) == 2 else replace(a, b)\n"
        "os.replace = second_kills\natomic.replace_tree('manifests', {'new.yaml': 'new'})"
    )
    run_killed(script, tmp_path)
    assert "manifests" not in names(tmp_path)  # what the fallback cannot avoid
    atomic.sweep(tmp_path / "manifests")
    assert names(tmp_path) == ["manifests"] and names(tmp_path / "manifests") == ["old.yaml"]


def test_a_killed_file_write_leaves_the_old_file_and_its_temporary_goes_next_time(tmp_path) -> None:
    (tmp_path / "outputs.json").write_text("old")
    run_killed("os.replace = kill\nfrom shared_nlb import atomic\natomic.write_file('outputs.json', 'new')", tmp_path)
    assert (tmp_path / "outputs.json").read_text() == "old" and len(names(tmp_path)) == 2
    atomic.write_file(tmp_path / "outputs.json", "next")
    assert names(tmp_path) == ["outputs.json"]


def test_leftovers_of_a_running_writer_are_kept(tmp_path) -> None:
    """A concurrent run's temporary file is its own: removing it would fail that run's write."""
    import subprocess
    import sys

    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / f".outputs.json.{other.pid}.abc.tmp").write_text("in progress")
        (tmp_path / f".manifests.new-{other.pid}-abc").mkdir()
        atomic.write_file(tmp_path / "outputs.json", "x")
        atomic.replace_tree(tmp_path / "manifests", {"a.yaml": "a"})
        assert names(tmp_path) == sorted([f".manifests.new-{other.pid}-abc", f".outputs.json.{other.pid}.abc.tmp", "manifests", "outputs.json"])
    finally:
        other.kill()
        other.wait()
    atomic.write_file(tmp_path / "outputs.json", "y")
    assert f".outputs.json.{other.pid}.abc.tmp" not in names(tmp_path)


def test_a_file_of_the_user_beside_the_target_is_never_swept(tmp_path) -> None:
    for name in (".manifests.keep", ".manifests-old", ".outputs.json.swp", "manifests.old-1-x"):
        (tmp_path / name).write_text("mine")
    atomic.replace_tree(tmp_path / "manifests", {"a.yaml": "a"})
    atomic.write_file(tmp_path / "outputs.json", "x")
    assert names(tmp_path) == sorted([".manifests.keep", ".manifests-old", ".outputs.json.swp", "manifests.old-1-x", "manifests", "outputs.json"])


def test_a_full_disk_is_one_line_naming_the_file_and_the_old_file_stays(tmp_path) -> None:
    """RLIMIT_FSIZE makes the kernel refuse the write itself (EFBIG), as a full disk does (ENOSPC)."""
    import subprocess
    import sys

    (tmp_path / "outputs.json").write_text("old")
    script = (
        "import resource, signal\nsignal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "from shared_nlb import atomic\nfrom shared_nlb.errors import UserError\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4, 4))\n"
        "for write in (lambda: atomic.write_file('outputs.json', 'x' * 100000), lambda: atomic.replace_tree('manifests', {'a.yaml': 'x' * 100000})):\n"
        "    try:\n        write()\n    except UserError as error:\n        print(error)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "cannot write outputs.json: File too large; nothing of it was changed",
        "cannot write manifests: File too large; nothing of it was changed",
    ]
    assert names(tmp_path) == ["outputs.json"] and (tmp_path / "outputs.json").read_text() == "old"
