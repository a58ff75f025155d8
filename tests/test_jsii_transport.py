"""The direct jsii channel of the command line (shared_nlb/jsii_transport.py): same bytes, same errors,
no kernel left behind, and a way back to stock jsii."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared_nlb import jsii_transport
from tests.factories import EXAMPLE, ROOT

BIN = Path(sys.executable).with_name("shared-nlb")
ENV = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}


def test_installed_with_the_pinned_jsii(example_template_text: str) -> None:
    """Fails when jsii moves past the release the channel was checked against: check it again, then
    move TESTED_JSII and the pin in requirements.txt together."""
    import jsii
    from jsii._kernel import Kernel

    assert jsii.__version__ == jsii_transport.TESTED_JSII
    pinned = [line.split()[0] for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith("jsii==")]
    assert pinned == [f"jsii=={jsii_transport.TESTED_JSII}"]
    assert jsii_transport.install() is True
    # The session's kernel (it synthesized example_template_text) runs on the direct channel.
    assert isinstance(Kernel().provider._process._process, jsii_transport._Kernel)


def test_stock_jsii_writes_the_same_bytes(tmp_path, example_template_text: str) -> None:
    env = {**ENV, "SHARED_NLB_JSII_TRANSPORT": "stock"}
    subprocess.run([str(BIN), "synth", str(EXAMPLE), "--out", str(tmp_path)], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    assert (tmp_path / "shared-nlb-core.template.json").read_text() == example_template_text


def test_javascript_errors_still_raise_as_python_errors(example_template_text: str) -> None:
    from aws_cdk import App, Stack

    app = App()
    Stack(app, "Twice")
    with pytest.raises(RuntimeError, match="There is already a Construct with name 'Twice'"):
        Stack(app, "Twice")
    assert Stack(app, "Next").stack_name == "Next"  # the channel is still in step after an error


def test_the_kernel_exits_with_the_process() -> None:
    code = (
        "from shared_nlb import jsii_transport; assert jsii_transport.install();"
        "import constructs; from jsii._kernel import Kernel;"
        "print(Kernel().provider._process._process.pid)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")
    pid = int(result.stdout)
    assert not Path(f"/proc/{pid}").exists()  # exited and reaped, not left running or a zombie


@pytest.mark.parametrize("env", [{"SHARED_NLB_JSII_TRANSPORT": "stock"}, {"JSII_RUNTIME": "/custom/jsii-runtime.js"}])
def test_stock_jsii_when_asked_or_customized(env: dict) -> None:
    code = "from shared_nlb import jsii_transport; print(jsii_transport.install())"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**ENV, **env}, capture_output=True, text=True, check=True)
    assert result.stdout == "False\n"


def test_a_kernel_that_cannot_start_is_one_line(tmp_path) -> None:
    """Stock jsii answers a Node that refuses to start with a JSONDecodeError and two tracebacks."""
    env = {**ENV, "NODE_OPTIONS": "--cpu-prof"}  # a flag Node refuses in NODE_OPTIONS: it exits at once
    result = subprocess.run([str(BIN), "synth", str(EXAMPLE), "--out", str(tmp_path / "o")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "node: --cpu-prof is not allowed in NODE_OPTIONS",  # Node's own message, once
        "shared-nlb synth: the jsii kernel (node program.js) stopped before it answered (exit status 9); Node's own message, if any, is above",
    ]
    assert not (tmp_path / "o").exists()


def test_runtime_files_are_unpacked_as_jsii_unpacks_them() -> None:
    import jsii._embedded.jsii as embedded

    assert jsii_transport.runtime_files(Path(embedded.__file__).parent) == embedded.EMBEDDED_FILES


def test_a_prestarted_kernel_is_adopted_by_jsii() -> None:
    code = (
        "from shared_nlb import jsii_transport; assert jsii_transport.prestart();"
        "pid = jsii_transport._prestarted.pid; folder = jsii_transport._prestarted.folder;"
        "assert jsii_transport.install(); import constructs; from jsii._kernel import Kernel;"
        "assert Kernel().provider._process._process.pid == pid and jsii_transport._prestarted is None;"
        "print(pid, folder)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")
    pid, folder = result.stdout.split()
    assert not Path(f"/proc/{pid}").exists() and not Path(folder).exists()


def test_a_prestarted_kernel_jsii_never_adopts_is_stopped(tmp_path) -> None:
    """An invalid config ends a synth before jsii starts: the kernel started ahead must not outlive it."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nname: [x\n")
    env = {**ENV, "TMPDIR": str(tmp_path)}
    result = subprocess.run([str(BIN), "synth", str(bad), "--out", str(tmp_path / "o")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "YAML syntax error" in result.stderr
    assert not list(tmp_path.glob("shared-nlb-jsii-*"))  # its runtime files are gone with it
    code = "from shared_nlb import jsii_transport; assert jsii_transport.prestart(); print(jsii_transport._prestarted.pid)"
    pid = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    assert not Path(f"/proc/{pid}").exists()
