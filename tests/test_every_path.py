"""Every path as safe as `shared-nlb deploy` (DESIGN.md, "Safe changes, on every path"): the real CDK
CLI and `shared-nlb deploy` take turns on one config against `shared-nlb standin`, in both orders, and
after every step no listener forwards to a target group without healthy targets, `cdk diff` after a
`shared-nlb` step shows nothing, and a lost state file is read back, never guessed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from shared_nlb.cli import main
from shared_nlb.config import state as states
from tests.factories import ROOT
from tests.test_cdk_cli import bindings, cdk, run, running_client
from tests.test_e2e import _assert_no_listener_without_healthy_targets, _forwarding, _play_controller
from tests.test_standin_command import StandIn

pytestmark = pytest.mark.e2e

CONFIG = """version: 1
name: {name}
network:
  vpc_id: vpc-0a1b2c3d4e5f60718
  vpc_cidr: 10.0.0.0/16
  subnet_ids: [subnet-0aaaaaaaaaaaaaaa1, subnet-0bbbbbbbbbbbbbbb2]
load_balancer: {{deletion_protection: false}}
clients:
  - security_group: sg-0ec5000000000001a
services:
  - name: redis
    namespace: data
    service_port: 6379
    target_port: {port}
    listener_port: 6379
"""


class Turns:
    """One config on the stand-in, driven by `shared-nlb` and by the CDK CLI in turns."""

    def __init__(self, running: StandIn, folder, name: str, capsys) -> None:
        self.running, self.folder, self.name, self.capsys = running, folder, name, capsys
        self.config = folder / f"{name}.yaml"
        self.text = (folder / "shared-nlb.yaml").read_text()  # the session's `name: cli` config (conftest.cli_standin): the user's own IDs, which the stand-in maps on every path
        self.outputs, self.tree = folder / f"{name}-outputs.json", folder / f"{name}-manifests"
        self.elbv2 = running_client(running, "elbv2")

    def set_port(self, port: int) -> None:
        """This config (the stand-in's network, a stack of its own) with the redis pod port `port`."""
        text = self.text.replace("name: cli\n", f"name: {self.name}\n").replace("    service_port: 6379\n", f"    service_port: 6379\n    target_port: {port}\n")
        assert f"name: {self.name}\n" in text and f"target_port: {port}\n" in text
        self.config.write_text(text)

    def shared_nlb(self, *args: str) -> str:
        """`shared-nlb ARGS` through the command line's own entry point, in this process (its jsii is
        running already), with the stand-in's environment and nothing else of AWS's; its output as one
        line. The CDK CLI's turns run as processes, as a user runs them."""
        with pytest.MonkeyPatch.context() as env:
            for name in [n for n in os.environ if n.startswith(("AWS_", "CDK_DEFAULT_"))]:
                env.delenv(name)
            for name, value in self.running.exports.items():
                env.setenv(name, value)
            self.capsys.readouterr()
            code = main(list(args))
            done = self.capsys.readouterr()
        assert code == 0, f"shared-nlb {args[0]} exited {code}:\n{done.out}\n{done.err}"
        return " ".join((done.out + done.err).split())

    def deploy(self) -> dict[str, str]:
        self.shared_nlb("deploy", str(self.config), "--yes", "--outputs-file", str(self.outputs))
        return json.loads(self.outputs.read_text())[f"shared-nlb-{self.name}"]

    def cdk_deploy(self) -> dict[str, str]:
        args = cdk("deploy", "-c", f"config={self.config}", "--output", str(self.folder / f"{self.name}.out"), "--require-approval", "never", "--no-previous-parameters", "--outputs-file", str(self.outputs))
        run(args, self.running, ROOT)
        return json.loads(self.outputs.read_text())[f"shared-nlb-{self.name}"]

    def cdk_diff(self) -> str:
        done = run(cdk("diff", "-c", f"config={self.config}", "--output", str(self.folder / f"{self.name}.out")), self.running, ROOT)
        return done.stdout + done.stderr

    def apply_manifests(self) -> dict[str, str]:
        """GitOps applies the tree and the controller registers the pods of every binding."""
        self.shared_nlb("manifests", str(self.config), "--outputs", str(self.outputs), "--out", str(self.tree))
        _play_controller(self, self.tree, "10.0.0.0/16")
        return bindings(self.tree)

    def client(self, service: str):  # what the e2e helpers call
        return running_client(self.running, service)

    def forwarding(self, outputs: dict[str, str]) -> dict[str, int]:
        self.assert_serving(outputs)
        return _forwarding(self, outputs["LoadBalancerArn"])[6379]

    def assert_serving(self, outputs: dict[str, str]) -> None:
        _assert_no_listener_without_healthy_targets(self, outputs["LoadBalancerArn"])


def test_stage_with_shared_nlb_then_cdk_deploy_changes_nothing_and_shared_nlb_switches(cli_standin, capsys):
    """(a) `shared-nlb deploy` stages; `cdk diff` is empty and `cdk deploy` keeps the staging; the
    health-gated switch stays with `shared-nlb deploy`; `cdk diff` is empty after it too."""
    running, folder = cli_standin
    turns = Turns(running, folder, "paths-a", capsys)
    turns.set_port(6380)
    before = turns.deploy()
    live = before["RedisTargetGroupArn"]
    turns.apply_manifests()
    assert turns.forwarding(before) == {live: 1}
    assert "There were no differences" in turns.cdk_diff()

    turns.set_port(6390)
    staged = turns.deploy()
    new = staged["RedisStagedTargetGroupArn"]
    assert turns.forwarding(staged) == {live: 1, new: 0}
    assert "There were no differences" in turns.cdk_diff()  # the state file holds the staging
    assert turns.cdk_deploy() == staged  # cdk deploy changes nothing: it never switches and never undoes
    assert turns.forwarding(staged) == {live: 1, new: 0}

    turns.apply_manifests()  # the staged binding's pods register and pass health checks
    switched = turns.deploy()
    assert switched["RedisTargetGroupArn"] == new and "RedisStagedTargetGroupArn" not in switched
    assert turns.forwarding(switched) == {new: 1}
    assert "There were no differences" in turns.cdk_diff()
    assert turns.cdk_deploy() == switched


def test_a_replacing_change_deployed_with_cdk_is_staged_and_shared_nlb_switches(cli_standin, capsys):
    """(b) The target port change deployed first with `cdk deploy` stages: the listener still forwards
    to the live group; `shared-nlb deploy` switches once the new group is healthy."""
    running, folder = cli_standin
    turns = Turns(running, folder, "paths-b", capsys)
    turns.set_port(6380)
    before = turns.cdk_deploy()  # no state file yet: app.py reads the (empty) account and records it
    state_file = states.path_beside(turns.config)
    assert "RedisTargetGroup, port: 6380" in state_file.read_text()
    live = before["RedisTargetGroupArn"]
    turns.apply_manifests()
    assert turns.forwarding(before) == {live: 1}

    turns.set_port(6390)
    staged = turns.cdk_deploy()
    new = staged["RedisStagedTargetGroupArn"]
    assert staged["RedisTargetGroupArn"] == live and turns.forwarding(staged) == {live: 1, new: 0}
    assert "staged: {target_group: RedisTargetGroup" in state_file.read_text()
    said = turns.shared_nlb("plan", str(turns.config))  # before the binding: shared-nlb waits
    assert "waiting for RedisTargetGroup" in said and turns.forwarding(staged) == {live: 1, new: 0}

    turns.apply_manifests()
    switched = turns.deploy()
    assert switched["RedisTargetGroupArn"] == new and turns.forwarding(switched) == {new: 1}
    assert "There were no differences" in turns.cdk_diff()

    # The state file is lost: cdk reads it back from the deployed stack and changes nothing.
    recorded = state_file.read_text()
    state_file.unlink()
    assert "There were no differences" in turns.cdk_diff()
    assert state_file.read_text() == recorded


def test_without_the_state_file_or_credentials_cdk_synth_stops_in_one_line(tmp_path):
    """Offline, a config without its state file is never placed anew: app.py says how to get it back."""
    config = tmp_path / "shared-nlb.yaml"
    config.write_text(CONFIG.format(name="offline", port=6380))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_"))}
    env |= {"AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "CDK_OUTDIR": str(tmp_path / "out"), "CDK_CONTEXT_JSON": json.dumps({"config": str(config)})}
    done = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"{config}: no state file {states.path_beside(config)} to build the templates from, and the deployed stacks cannot be read")
    assert line.endswith("pass -c first-deploy=true")
    assert not states.path_beside(config).exists()
    env["CDK_CONTEXT_JSON"] = json.dumps({"config": str(config), "first-deploy": "true"})
    done = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert states.path_beside(config).exists()
