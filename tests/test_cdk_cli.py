"""The real CDK CLI against `shared-nlb standin`, exactly as the README's recipe runs it: the project's
own `node_modules/.bin/cdk` deploys the config's stack (create, then an update), `cdk diff` reads it
back, and `shared-nlb manifests` turns the CLI's outputs file into the tree."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.factories import ROOT
from tests.test_standin_command import StandIn, assert_stops_cleanly

pytestmark = pytest.mark.e2e

CDK = ROOT / "node_modules" / ".bin" / "cdk"
BIN = Path(sys.executable).parent
CONFIG = """version: 1
name: cli
network:
  vpc_id: vpc-0a1b2c3d4e5f60718
  vpc_cidr: 10.0.0.0/16
  subnet_ids: [subnet-0aaaaaaaaaaaaaaa1, subnet-0bbbbbbbbbbbbbbb2]
load_balancer: {deletion_protection: false}
clients:
  - security_group: sg-0ec5000000000001a
services:
  - name: redis
    namespace: data
    service_port: 6379
    listener_port: 6379
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not CDK.exists():
        pytest.skip("node_modules not installed: run scripts/setup")
    folder = tmp_path_factory.mktemp("cdk-cli")
    (folder / "shared-nlb.yaml").write_text(CONFIG)
    running = StandIn("--config", str(folder / "shared-nlb.yaml"), "--write-config", str(folder / "standin.yaml"))
    yield running, folder
    assert_stops_cleanly(running, signal.SIGTERM)


def run(args: list[str], running: StandIn, cwd: Path) -> subprocess.CompletedProcess:
    """A command with the environment `standin` printed and nothing else of AWS's; the venv's bin
    first on PATH, as the README says, so `cdk` and the app run on the project's Node and Python."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_"))}
    env |= running.exports
    env["PATH"] = f"{BIN}{os.pathsep}{CDK.parent}{os.pathsep}{env['PATH']}"
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{args[:3]} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def cdk(*args: str) -> list[str]:
    return [str(CDK), "--no-notices", *args]


def bindings(tree: Path) -> dict[str, str]:
    docs = [d for p in sorted(tree.rglob("*.yaml")) for d in yaml.safe_load_all(p.read_text()) if isinstance(d, dict)]
    return {d["metadata"]["name"]: d["spec"]["targetGroupARN"] for d in docs if d.get("kind") == "TargetGroupBinding"}


def test_cdk_deploy_diff_and_an_update_then_manifests_from_the_cli_outputs(served):
    running, folder = served
    config, outputs, out = str(folder / "standin.yaml"), folder / "outputs.json", folder / "cdk.out"
    deploy = cdk("deploy", "-c", f"config={config}", "--output", str(out), "--require-approval", "never", "--no-previous-parameters", "--outputs-file", str(outputs))
    run(deploy, running, ROOT)
    first = json.loads(outputs.read_text())["shared-nlb-cli"]
    assert first["RedisTargetGroupArn"].startswith("arn:aws:elasticloadbalancing:")

    diff = run(cdk("diff", "-c", f"config={config}", "--output", str(out)), running, ROOT)
    assert "There were no differences" in diff.stdout + diff.stderr

    # an update through the CLI's own change set (its DeleteChangeSet/DescribeChangeSet of names that
    # do not exist yet are what the stand-in had to learn)
    (folder / "standin.yaml").write_text((folder / "standin.yaml").read_text().replace("listener_port: 6379", "listener_port: 16379"))
    run(deploy, running, ROOT)
    listeners = running_client(running, "elbv2").describe_listeners(LoadBalancerArn=first["LoadBalancerArn"])["Listeners"]
    assert [listener["Port"] for listener in listeners] == [16379]

    tree = folder / "manifests"
    run([str(BIN / "shared-nlb"), "manifests", config, "--outputs", str(outputs), "--out", str(tree)], running, ROOT)
    assert list(bindings(tree).values()) == [json.loads(outputs.read_text())["shared-nlb-cli"]["RedisTargetGroupArn"]]


def running_client(running: StandIn, service: str):
    import boto3

    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=running.exports["AWS_REGION"])
    return session.client(service, endpoint_url=running.exports["AWS_ENDPOINT_URL"])
