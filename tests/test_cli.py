"""The command line: exit codes, one line per problem, no traceback, nothing half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared_nlb.cli import main
from tests.factories import EXAMPLE, ROOT, base_dict, write

BIN = Path(sys.executable).with_name("shared-nlb")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_validate_ok(capsys) -> None:
    assert main(["validate", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out.strip().endswith("valid: stack shared-nlb-core, NLB shared-nlb-core, 3 service(s)")


def test_validate_bad_config_exits_2_with_one_line_per_problem(tmp_path, capsys) -> None:
    data = base_dict()
    data["services"][0]["listener_port"] = 0
    data["network"]["vpc_id"] = "vpc-1"
    path = write(tmp_path, data)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert err[0].startswith(f"{path}:") and "network.vpc_id" in err[0]
    assert "services[0].listener_port: 0 is out of range; allowed: 1-65535" in err[1]


def test_validate_does_not_import_aws_cdk() -> None:
    code = "import sys; from shared_nlb.cli import main; rc = main(['validate', 'examples/shared-nlb.yaml']); print([m for m in sys.modules if m.startswith(('aws_cdk', 'jsii', 'cdk8s'))]); sys.exit(rc)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_synth_writes_the_cdk_template(tmp_path, example_template_text: str) -> None:
    out = tmp_path / "out"
    assert main(["synth", str(EXAMPLE), "--out", str(out)]) == 0
    assert (out / "shared-nlb-core.template.json").read_text() == example_template_text
    assert sorted(p.name for p in out.iterdir()) == ["shared-nlb-core.template.json"]


def test_synth_with_lint(tmp_path) -> None:
    assert main(["synth", str(EXAMPLE), "--out", str(tmp_path), "--lint"]) == 0


def test_failed_synth_leaves_previous_output_untouched(tmp_path, capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    previous = out / "shared-nlb-test.template.json"
    previous.write_text("previous bytes")
    data = base_dict()
    data["services"][0]["protocol"] = "SCTP"
    assert main(["synth", str(write(tmp_path, data)), "--out", str(out)]) == 2
    assert previous.read_text() == "previous bytes"
    assert sorted(p.name for p in out.iterdir()) == ["shared-nlb-test.template.json"]
    assert "services[0].protocol: 'SCTP' is not allowed" in capsys.readouterr().err


def test_bad_input_through_the_real_command_has_no_traceback(tmp_path) -> None:
    bad = write(tmp_path, "version: 1\nname: [x\n")
    result = run_cli("synth", str(bad), "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"{bad}:3: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence started at line 2)"
    assert "Traceback" not in result.stderr and not (tmp_path / "o").exists()
    missing = run_cli("validate", str(tmp_path / "none.yaml"))
    assert (missing.returncode, missing.stderr.strip()) == (2, f"{tmp_path / 'none.yaml'}: no such file")


def test_usage_errors_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["synth"])
    assert caught.value.code == 2
    assert "the following arguments are required: CONFIG" in capsys.readouterr().err


def test_cdk_cli_synth_matches(tmp_path, example_template_text: str) -> None:
    """`cdk synth` through cdk.json and app.py writes the same bytes (needs node_modules from scripts/setup),
    and says nothing of its own: the imported subnets' route table warnings (four lines per subnet)
    are acknowledged, so the one line left is the CLI's notice about unset feature flags."""
    cdk = ROOT / "node_modules" / ".bin" / "cdk"
    if not cdk.exists():
        pytest.skip("node_modules not installed: run scripts/setup")
    # .venv/bin first, as the README says: the CDK CLI runs on the Node that scripts/setup installed, if any.
    env = {**os.environ, "PATH": f"{BIN.parent}:{os.environ['PATH']}"}
    done = subprocess.run(
        [str(cdk), "synth", "-q", "-c", "config=examples/shared-nlb.yaml", "--output", str(tmp_path / "cdk.out")],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=180,
    )
    assert (tmp_path / "cdk.out" / "shared-nlb-core.template.json").read_text() == example_template_text
    printed = (done.stdout + done.stderr).splitlines()
    assert "routeTableId" not in done.stdout + done.stderr
    assert len(printed) <= 1 and all("feature flags are not configured" in line for line in printed), printed


def test_debug_after_the_command_and_version(capsys) -> None:
    assert main(["validate", str(EXAMPLE), "--debug"]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.startswith("shared-nlb 0.")


def test_unexpected_errors_are_one_line_unless_debug(monkeypatch, capsys) -> None:
    import shared_nlb.commands.validate as validate

    def boom(args):
        raise RuntimeError("boom")

    monkeypatch.setattr(validate, "run", boom)
    assert main(["validate", str(EXAMPLE)]) == 1
    assert capsys.readouterr().err == "shared-nlb validate: internal error: RuntimeError: boom (run with --debug for the traceback)\n"
    with pytest.raises(RuntimeError):
        main(["validate", str(EXAMPLE), "--debug"])


def test_several_problems_of_an_outputs_file_are_one_prefixed_line_each(tmp_path, capsys) -> None:
    outputs = tmp_path / "outputs.json"
    outputs.write_text('{"shared-nlb-core": {"VpcId": "vpc-0a1b2c3d4e5f60718"}}')
    assert main(["manifests", str(EXAMPLE), "--outputs", str(outputs), "--out", str(tmp_path / "m")]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 4  # three target group ARNs and the security group are missing
    assert all(line.startswith(f"shared-nlb manifests: {outputs}: stack shared-nlb-core has no output ") for line in lines)
    assert not (tmp_path / "m").exists()


def test_missing_node_is_one_line(tmp_path) -> None:
    env = {**os.environ, "JSII_NODE": str(tmp_path / "no-node-here")}
    result = subprocess.run([str(BIN), "synth", str(EXAMPLE), "--out", str(tmp_path / "o")], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert result.returncode == 1
    assert result.stderr == f"shared-nlb synth: Node.js ({tmp_path / 'no-node-here'}) is not on PATH; the CDK and cdk8s run on it: install Node 22 or later (scripts/setup does, in a checkout)\n"
    assert not (tmp_path / "o").exists()


def test_the_collector_is_back_on_once_the_imports_are_done(tmp_path) -> None:
    """jsii commands pause the garbage collector while aws-cdk and the config model import, then
    freeze what the imports made and turn it back on before any synthesis (shared_nlb/preload.py)."""
    code = (
        "import gc, sys; from shared_nlb.cli import main;"
        f"rc = main(['synth', 'examples/shared-nlb.yaml', '--out', {str(tmp_path)!r}]);"
        "print(gc.isenabled(), gc.get_freeze_count() > 1000); sys.exit(rc)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True, timeout=120).stdout
    assert out.splitlines()[-1] == "True True"


def test_the_kernel_starts_before_the_config_model_imports() -> None:
    """`preload.started()` returns once the thread has started the jsii kernel (the `constructs`
    library loaded), before the module it preloads is done: the command line imports the config
    model only then (shared_nlb/preload.py)."""
    code = (
        "import sys; from shared_nlb import preload;"
        "preload.start('shared_nlb.synth_runtime'); preload.started();"
        "print('constructs' in sys.modules, 'shared_nlb.config' in sys.modules); preload.wait()"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True, timeout=120).stdout
    assert out.splitlines()[-1] == "True False"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["deploy", "{config}", "--outputs-file", "{config}", "--yes"], "--outputs-file {config} is the config {config}"),
        (["deploy", "{config}", "--outputs-file", "{state}", "--yes"], "--outputs-file {state} is its state file {state}"),
        (["destroy", "{config}", "--outputs-file", "{link}", "--yes"], "--outputs-file {link} is the config {config}"),
        (["graph", "{config}", "--out", "{config}"], "--out {config} is the config {config}"),
        (["manifests", "{config}", "--outputs", "{outputs}", "--out", "{dir}"], "--out {dir} holds the config {config}"),
        (["manifests", "--outputs", "{outputs}", "--out", "{dir}"], "--out {dir} holds the outputs file {outputs}"),
        (["synth", "{config}", "--outputs", "{outputs}", "--manifests-out", "{dir}"], "--manifests-out {dir} holds the config {config}"),
    ],
)
def test_an_output_that_is_an_input_is_refused_before_anything_is_written(tmp_path, capsys, argv, says) -> None:
    """`deploy --outputs-file CONFIG` would replace the config by JSON; a manifests folder holding
    the config would be swapped out with it. Exit 2 in one line, every file as it was."""
    config = write(tmp_path, base_dict())
    paths = {"config": config, "state": tmp_path / "shared-nlb.state.yaml", "outputs": tmp_path / "outputs.json", "dir": tmp_path, "link": tmp_path / "link.yaml"}
    paths["outputs"].write_text("{}")
    paths["link"].symlink_to(config)  # written through, so the same file
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    assert main([a.format(**paths) for a in argv]) == 2
    assert capsys.readouterr().err == f"shared-nlb {argv[0]}: {says.format(**paths)}, which this run reads; name another {'folder' if '{dir}' in argv else 'file'}\n"
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before
