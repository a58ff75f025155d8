"""The package as users install it: a wheel built from this checkout, installed into a folder of its
own and run from outside the checkout (validate, synth, manifests of the bundled example, the demo),
so every module and data file the commands need is in the wheel."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import ROOT
from tests.fake_outputs import outputs_for, write_outputs


def tracked_copy(folder: Path) -> Path:
    """The checkout's tracked files (symlinks kept), so the build writes nothing into the checkout."""
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, names):
        source, copy = ROOT / name, folder / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, copy, follow_symlinks=False)
    return folder


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("wheel")
    source = tracked_copy(folder / "source")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(folder / "dist"), str(source)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = (folder / "dist").glob("shared_nlb-*.whl")
    target = folder / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)], check=True, capture_output=True, timeout=300)
    # The wheel's modules come first; the dependencies (aws-cdk-lib, moto, ...) from this environment.
    env = {**os.environ, "PYTHONPATH": str(target)}
    return target, env


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shared_nlb.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_installed_package_is_the_wheels(installed, tmp_path) -> None:
    target, env = installed
    code = "import shared_nlb, constructs_lib, k8s_charts; print(shared_nlb.__file__, constructs_lib.__file__, k8s_charts.__file__)"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert all(path.startswith(str(target)) for path in out.split()), out


def test_commands_run_from_the_wheel_outside_the_checkout(installed, tmp_path, example_config) -> None:
    target, env = installed
    example = target / "shared_nlb" / "examples" / "shared-nlb.yaml"
    assert run(["validate", str(example)], env, tmp_path).returncode == 0
    synth = run(["synth", str(example), "--out", "out"], env, tmp_path)
    assert synth.returncode == 0, synth.stderr
    assert json.loads((tmp_path / "out" / "shared-nlb-core.template.json").read_text())["Resources"]["LoadBalancer"]["Type"] == "AWS::ElasticLoadBalancingV2::LoadBalancer"
    outputs = write_outputs(tmp_path / "outputs.json", outputs_for(example_config))
    manifests = run(["manifests", str(example), "--outputs", str(outputs), "--out", "manifests"], env, tmp_path)
    assert manifests.returncode == 0, manifests.stderr
    assert (tmp_path / "manifests" / "data" / "redis.yaml").is_file()


def test_the_demo_runs_from_the_wheel(installed, tmp_path) -> None:
    _, env = installed
    demo = run(["demo", "--out", "demo"], env, tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == ["manifests", "outputs.json", "shared-nlb-core.template.json"]
