"""Listener ports that move between services of one stack: in phases where one change set would put
two listeners on a port (DuplicateListener), refused where no order can work (a swap)."""

from __future__ import annotations

import copy
import json

from tests.factories import base_dict, write
from tests.test_nlb_lifecycle import Deployer

SERVICES = [
    {"name": "redis", "service_port": 6379, "listener_port": 6379},
    {"name": "kafka", "service_port": 9092, "listener_port": 9092},
    {"name": "nats", "service_port": 4222, "listener_port": 4222},
]


def _deployed(aws, tmp_path, name: str) -> Deployer:
    data = base_dict(copy.deepcopy(SERVICES))
    data["name"] = name
    data["load_balancer"] = {"deletion_protection": False}
    data["stack"] = {"termination_protection": False}
    deployer = Deployer(aws, tmp_path, data)
    deployer.deploy(deployer.data)
    return deployer


def _ports(aws, outputs: dict) -> dict[int, str]:
    """Listener port -> the output key of the target group it forwards to."""
    arns = {value: key for key, value in outputs.items()}
    listeners = aws.client("elbv2").describe_listeners(LoadBalancerArn=outputs["LoadBalancerArn"])["Listeners"]
    return {l["Port"]: arns[l["DefaultActions"][0]["TargetGroupArn"]] for l in listeners}


def _with(data: dict, ports: dict[str, int | None]) -> dict:
    moved = copy.deepcopy(data)
    moved["services"] = [{**s, "listener_port": ports.get(s["name"], s["listener_port"])} for s in moved["services"] if ports.get(s["name"], 0) is not None]
    return moved


def test_a_chain_of_moves_onto_a_leaving_port_deploys_in_phases(aws, tmp_path, capsys):
    """nats leaves, kafka moves onto its port, redis onto kafka's: three change sets, each freeing
    the port the next takes (in one, CloudFormation would move the listeners while the old holders
    still have the ports)."""
    deployer = _deployed(aws, tmp_path, "moves-chain")
    chain = _with(deployer.data, {"nats": None, "kafka": 4222, "redis": 9092})
    capsys.readouterr()
    outputs = deployer.deploy(chain)["shared-nlb-moves-chain"]
    said = " ".join(capsys.readouterr().out.split())
    assert "port 4222 from NatsListener to service kafka (moving from 9092)" in said
    assert "port 9092 from KafkaListener to service redis (moving from 6379)" in said
    assert said.count("change set for stack shared-nlb-moves-chain (UPDATE):") == 3
    assert _ports(aws, outputs) == {4222: "KafkaTargetGroupArn", 9092: "RedisTargetGroupArn"}
    capsys.readouterr()
    assert deployer.deploy(chain)["shared-nlb-moves-chain"] == outputs  # converged
    assert "two change sets" not in capsys.readouterr().out


def test_a_swap_is_refused_before_any_change_set(aws, tmp_path, capsys):
    deployer = _deployed(aws, tmp_path, "moves-swap")
    before = _ports(aws, json.loads(deployer.out.read_text())["shared-nlb-moves-swap"])
    deployer.data = _with(deployer.data, {"redis": 9092, "kafka": 6379})
    write(deployer.tmp_path, deployer.data)
    capsys.readouterr()
    for command in (("plan",), ("deploy", "--outputs-file", str(deployer.out), "--yes")):
        assert deployer.run(*command) == 1
        err = capsys.readouterr().err
        assert err.endswith(
            "stack shared-nlb-moves-swap: listener ports move in a cycle (kafka 9092 -> 6379, redis 6379 -> 9092): ELB never has two listeners "
            "on one port (DuplicateListener), so no order of changes deploys it; move one of them to a free port first (a deploy), then to its port\n"
        ), err
    outputs = json.loads(deployer.out.read_text())["shared-nlb-moves-swap"]
    assert _ports(aws, outputs) == before
    assert not aws.client("cloudformation").list_change_sets(StackName="shared-nlb-moves-swap")["Summaries"]
