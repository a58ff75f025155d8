"""The GitOps tree changes only where something changed (issue 25, item 4): adding or removing an NLB,
reordering services or adding a cluster rewrites `kustomization.yaml` and the files of the bindings
that come or go, and leaves every other binding file byte-identical."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared_nlb.cli import main
from shared_nlb.config import load_config
from shared_nlb.config import state as states
from shared_nlb.deploy import record
from shared_nlb.manifests import KUSTOMIZATION
from tests.factories import PUBLIC_SUBNETS, base_dict, write
from tests.fake_outputs import outputs_for, write_outputs
from tests.test_manifests import snapshot_of

OTHER = "arn:aws:iam::222222222222:role/aws-load-balancer-controller"


def start(clusters: list[dict] | None) -> dict[str, Any]:
    """Two entries, `internal` already past its two listeners (`internal`, `internal-2`) and `public`."""
    data = base_dict(
        [
            {"name": "redis", "namespace": "data", "service_port": 6379, "listener_port": 6379},
            {"name": "kafka", "namespace": "kafka", "service_port": 9092, "listener_port": 9092},
            {"name": "nats", "namespace": "data", "service_port": 4222, "listener_port": 4222},
            {"name": "web", "service_port": 443, "listener_port": 443, "load_balancer": "public"},
        ]
    )
    data["load_balancers"] = [
        {"name": "internal", "max_listeners": 2},
        {"name": "public", "scheme": "internet-facing", "subnet_ids": PUBLIC_SUBNETS, "clients": [{"cidr": "203.0.113.0/24"}]},
    ]
    if clusters is not None:
        data["clusters"] = clusters
    return data


def generate(tmp_path: Path, data: dict[str, Any]) -> dict[str, bytes]:
    """What a user does after a config change: synth records the state, deploy writes every
    stack's outputs, `shared-nlb manifests` regenerates the tree. The tree's files, as bytes."""
    config_path = write(tmp_path, data)
    state_file = states.path_beside(config_path)
    if state_file.exists():  # an NLB removed from the config was retired first (`shared-nlb destroy`): it leaves `nlbs`
        state, _ = states.parse(yaml.safe_load(state_file.read_text()))
        state_file.write_text(states.text(states.State(state.services)))
    record.record(load_config(config_path), config_path)
    config = load_config(config_path)  # as the next command reads it: with the state beside it
    outputs: dict[str, Any] = {}
    for unit in config.units():
        outputs.update(outputs_for(unit.config))
    outputs_path = write_outputs(tmp_path / "outputs.json", outputs)
    out = tmp_path / "manifests"
    assert main(["manifests", str(config_path), "--outputs", str(outputs_path), "--out", str(out)]) == 0
    return snapshot_of(out)


def bindings(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {path: text for path, text in tree.items() if Path(path).name != KUSTOMIZATION}


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> tuple[set[str], set[str], set[str]]:
    """(added, removed, rewritten) binding files."""
    old, new = bindings(before), bindings(after)
    return set(new) - set(old), set(old) - set(new), {path for path in set(old) & set(new) if old[path] != new[path]}


def in_clusters(paths: set[str], clusters: list[str] | None) -> set[str]:
    return {f"{cluster}/{path}" for cluster in clusters for path in paths} if clusters else paths


@pytest.mark.parametrize("clusters", [None, ["blue", "green"]], ids=["one-tree", "two-clusters"])
def test_untouched_binding_files_stay_byte_identical(tmp_path, capsys, clusters):
    listed = None if clusters is None else [{"name": "blue"}, {"name": "green", "controller_role_arn": OTHER}]
    data = start(listed)
    tree = generate(tmp_path, data)
    assert len(bindings(tree)) == 4 * len(clusters or [1])

    # Add an NLB: a third entry with one service; the NLB's stack joins the outputs file.
    data = copy.deepcopy(data)
    data["load_balancers"].append({"name": "stream"})
    data["services"].append({"name": "mq", "namespace": "mq", "service_port": 5672, "listener_port": 5672, "load_balancer": "stream"})
    after = generate(tmp_path, data)
    assert changed(tree, after) == (in_clusters({"mq/mq.yaml"}, clusters), set(), set())
    # The whole tree's facts (which stacks it came from) are in the kustomizations, which do change.
    for kustomization in in_clusters({KUSTOMIZATION}, clusters):
        assert b"shared-nlb-test-stream" in after[kustomization] and b"shared-nlb-test-stream" not in tree[kustomization]
    tree = after

    # Grow an entry past max_listeners: a new NLB of the same settings (internal-2 is full).
    data = copy.deepcopy(data)
    data["services"].insert(0, {"name": "amqp", "namespace": "mq", "service_port": 5671, "listener_port": 5671})
    data["services"].insert(0, {"name": "zk", "namespace": "kafka", "service_port": 2181, "listener_port": 2181})
    after = generate(tmp_path, data)
    assert changed(tree, after) == (in_clusters({"mq/amqp.yaml", "kafka/zk.yaml"}, clusters), set(), set())
    # zk, listed first, takes internal-2's last listener; amqp opens internal-3.
    for path in in_clusters({"mq/amqp.yaml"}, clusters):
        assert b"stack shared-nlb-test-internal-3." in after[path]
    tree = after

    # Remove an NLB: the `public` entry and its one service.
    data = copy.deepcopy(data)
    data["load_balancers"] = [e for e in data["load_balancers"] if e["name"] != "public"]
    data["services"] = [s for s in data["services"] if s["name"] != "web"]
    after = generate(tmp_path, data)
    assert changed(tree, after) == (set(), in_clusters({"default/web.yaml"}, clusters), set())
    tree = after

    # Reorder the services: nothing at all changes. (Not the entries: a service without
    # `load_balancer:` belongs to the first entry, so reordering entries really moves services.)
    data = copy.deepcopy(data)
    data["services"].reverse()
    after = generate(tmp_path, data)
    assert after == tree
    tree = after

    if clusters is None:
        return
    # Add a cluster (the config lists two already, so every binding is multi-cluster before and after):
    # the new cluster's tree appears, the others' files stay as they were.
    data = copy.deepcopy(data)
    data["clusters"].append({"name": "purple", "controller_role_arn": OTHER.replace("222222222222", "333333333333")})
    after = generate(tmp_path, data)
    old = {path for path in tree if not path.startswith("purple/")}
    assert {path: after[path] for path in old} == tree
    assert sorted(path for path in after if path.startswith("purple/")) == sorted(path.replace("blue/", "purple/", 1) for path in tree if path.startswith("blue/"))
    capsys.readouterr()


def test_a_construct_apps_binding_files_name_only_their_own_stack() -> None:
    """Without a config (bindings from the stacks of a user's own CDK app), a new stack adds its
    bindings and changes no other binding file."""
    from shared_nlb.binding_outputs import parse_binding_outputs
    from shared_nlb.manifests import render_specs
    from tests.test_binding_outputs import ARN, binding

    edge = {"Edge": {"SharedRedisBindingA": binding()}}
    other = ARN.replace("0123456789abcdef", "fedcba9876543210")
    core = {"Core": {"SharedKafkaBindingB": binding(name="kafka", namespace="kafka", targetGroupArn=other, loadBalancer="Core-Share-ABCDEF")}}
    alone = render_specs(parse_binding_outputs(edge))
    both = render_specs(parse_binding_outputs({**edge, **core}))
    assert both["data/redis.yaml"] == alone["data/redis.yaml"]
    assert both["data/redis.yaml"].startswith("# Generated by shared-nlb from the outputs of stack Edge. ")
    assert both["kafka/kafka.yaml"].startswith("# Generated by shared-nlb from the outputs of stack Core. ")
    assert both[KUSTOMIZATION].startswith("# Generated by shared-nlb from the outputs of stack Core, Edge. ")
