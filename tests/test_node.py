"""The Node.js that jsii runs on: the project's own (scripts/setup) where the machine's is too old."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared_nlb import node
from tests.factories import EXAMPLE, ROOT

BIN = Path(sys.executable).with_name("shared-nlb")


@pytest.fixture
def venv_bin(tmp_path, monkeypatch) -> Path:
    """A bin folder holding the running interpreter, with JSII_NODE unset."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setattr(sys, "executable", str(folder / "python"))
    monkeypatch.delenv("JSII_NODE", raising=False)
    return folder


def executable(path: Path) -> Path:
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_jsii_runs_the_node_beside_the_interpreter(venv_bin) -> None:
    project_node = executable(venv_bin / "node")
    node.use_project_node()
    assert os.environ["JSII_NODE"] == str(project_node)


def test_a_users_jsii_node_is_kept(venv_bin, monkeypatch) -> None:
    executable(venv_bin / "node")
    theirs = str(venv_bin.parent / "their-node")
    monkeypatch.setenv("JSII_NODE", theirs)
    node.use_project_node()
    assert os.environ["JSII_NODE"] == theirs


def test_without_a_node_beside_the_interpreter_jsii_takes_paths(venv_bin) -> None:
    (venv_bin / "node").mkdir()  # not a program
    node.use_project_node()
    assert "JSII_NODE" not in os.environ


def _major(program: str) -> int:
    version = subprocess.run([program, "--version"], capture_output=True, text=True, check=True, timeout=30).stdout
    return int(version.strip().lstrip("v").split(".")[0])


def test_jsii_runs_on_node_22_or_later() -> None:
    """What the command line gives jsii in this checkout, as a user's shell starts it (no JSII_NODE):
    the project's Node, or the machine's where scripts/setup found it recent enough to keep."""
    code = "import os; os.environ.pop('JSII_NODE', None); import shared_nlb.cli; print(os.environ.get('JSII_NODE', 'node'))"
    program = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True, timeout=60).stdout.strip()
    assert _major(program) >= 22, f"jsii would run on {program}, older than Node 22: run scripts/setup"


def test_synth_prints_nothing_about_node(tmp_path) -> None:
    """No end-of-life or untested-version banner from jsii on stderr, with nothing silenced."""
    env = {name: value for name, value in os.environ.items() if name != "JSII_NODE" and not name.startswith("JSII_SILENCE_")}
    result = subprocess.run([str(BIN), "synth", str(EXAMPLE), "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def node_printing(path: Path, version: str) -> Path:
    path.write_text(f"#!/bin/sh\necho {version}\n")
    path.chmod(0o755)
    return path


@pytest.mark.parametrize("version, old", [("v20.20.2", True), ("v18.0.0", True), ("v22.23.2", False), ("v24.1.0", False)])
def test_an_old_node_gets_one_line_and_jsii_s_banner_is_turned_off(venv_bin, tmp_path, monkeypatch, version, old) -> None:
    for name in ("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"):
        monkeypatch.delenv(name, raising=False)
    machine = str(node_printing(tmp_path / "machine-node", version))
    note = node.old_node_note(machine)
    if not old:
        assert note is None and "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION" not in os.environ
        return
    assert note == f"Node.js {version} ({machine}) is past its end of life: install Node 22 or later on PATH, or set JSII_NODE to one (in a checkout, scripts/setup puts Node 22 in .venv)"
    assert os.environ["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] == version[1:].split(".")[0]


def test_the_project_node_is_not_asked(venv_bin) -> None:
    project = node_printing(venv_bin / "node", "v20.0.0")  # were it asked, it would be called old
    assert node.old_node_note(str(project)) is None


def test_synth_on_an_end_of_life_node_says_so_in_one_line(tmp_path, monkeypatch) -> None:
    """A pip install on a machine with Node 20: jsii's 11-line banner on every start becomes one line
    saying how to get a supported Node (JSII_NODE stands for that machine's Node here)."""
    import shutil

    machine = next((found for folder in os.environ["PATH"].split(os.pathsep) if Path(folder) != BIN.parent and (found := shutil.which("node", path=folder))), None)
    if machine is None or _major(machine) >= node.MINIMUM_NODE:
        pytest.skip("no Node older than 22 on this machine")
    env = {name: value for name, value in os.environ.items() if not name.startswith("JSII_SILENCE_")} | {"JSII_NODE": machine}
    result = subprocess.run([str(BIN), "synth", str(EXAMPLE), "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    for name in ("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"):
        monkeypatch.setenv(name, "")  # what the note's call below sets stays in this test
    assert result.stderr.splitlines() == [f"shared-nlb synth: {node.old_node_note(machine)}"]
