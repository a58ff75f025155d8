"""Make-before-break staging of target group replacements (`shared_nlb.staging`), on plain templates:
each phase, and the cases a user reaches by changing the config again mid-way. End to end on the
stand-in: tests/test_e2e.py."""

from __future__ import annotations

import copy

import pytest

from shared_nlb import staging

VPC = "vpc-0a1b2c3d4e5f60718"


def _group(port: int, *, protocol: str = "TCP", health_port: str = "traffic-port", interval: int = 30) -> dict:
    return {
        "Type": staging.TARGET_GROUP,
        "Properties": {"HealthCheckIntervalSeconds": interval, "HealthCheckPort": health_port, "Port": port, "Protocol": protocol, "TargetType": "ip", "VpcId": VPC},
    }


def _listener(*forwards: tuple[str, int]) -> dict:
    if len(forwards) == 1:
        action = {"TargetGroupArn": {"Ref": forwards[0][0]}, "Type": "forward"}
    else:
        action = {"ForwardConfig": {"TargetGroups": [{"TargetGroupArn": {"Ref": n}, "Weight": w} for n, w in forwards]}, "Type": "forward"}
    return {"Type": staging.LISTENER, "Properties": {"DefaultActions": [action], "Port": 6379, "Protocol": "TCP"}}


def _egress(port: int) -> dict:
    return {"Type": staging.EGRESS, "Properties": {"FromPort": port, "ToPort": port, "IpProtocol": "tcp", "CidrIp": "10.0.0.0/16"}}


def _stack(groups: dict[str, dict], forwards: list[tuple[str, int]], egress: tuple[int, ...]) -> dict:
    resources = {**groups, "RedisListener": _listener(*forwards)}
    resources |= {f"EgressToTcp{port}": _egress(port) for port in egress}
    outputs = {"RedisTargetGroupArn": {"Value": {"Ref": forwards[0][0]}}}
    return {"Resources": resources, "Outputs": outputs}


def synthesized(port: int, **kwargs) -> dict:
    """What `synth` gives for the config: the plain ID, the listener on it, egress on the port."""
    return _stack({"RedisTargetGroup": _group(port, **kwargs)}, [("RedisTargetGroup", 1)], (port,))


def never(logical_id: str) -> int:
    raise AssertionError(f"health of {logical_id} read, but no switch was due")


def adapt(template, deployed, healthy=never):
    return staging.adapt(template, deployed, ["redis"], healthy)


NEW = "RedisTargetGroup" + staging._digest(_group(6390))


def test_a_new_stack_or_an_unchanged_service_is_left_as_synthesized():
    template = synthesized(6380)
    assert adapt(template, None) == (template, [])
    assert adapt(template, copy.deepcopy(template)) == (template, [])
    # a change AWS makes in place (the health check interval) is not staged
    assert adapt(synthesized(6380, interval=10), template) == (synthesized(6380, interval=10), [])


def test_a_replacing_change_is_staged_beside_the_live_group_at_weight_0():
    deployed = synthesized(6380)
    adapted, steps = adapt(synthesized(6390), deployed)
    assert [(s.phase, s.live, s.new) for s in steps] == [("stage", "RedisTargetGroup", NEW)]
    resources = adapted["Resources"]
    assert resources["RedisTargetGroup"] == deployed["Resources"]["RedisTargetGroup"]  # the live group is untouched
    assert resources[NEW] == _group(6390)
    assert resources["RedisListener"] == _listener(("RedisTargetGroup", 1), (NEW, 0))
    assert {"EgressToTcp6380", "EgressToTcp6390"} <= set(resources)  # the live pods' port stays open
    outputs = adapted["Outputs"]
    assert outputs["RedisTargetGroupArn"]["Value"] == {"Ref": "RedisTargetGroup"}
    assert outputs["RedisStagedTargetGroupArn"]["Value"] == {"Ref": NEW}
    assert outputs["RedisTargetRules"]["Value"] == "tcp/6380"


@pytest.mark.parametrize(("healthy_new", "healthy_live", "phase"), [(0, 2, "wait"), (1, 2, "wait"), (2, 2, "switch"), (3, 2, "switch"), (0, 0, "switch")])
def test_the_switch_waits_for_as_many_healthy_targets_as_the_live_group_has(healthy_new, healthy_live, phase):
    staged, _ = adapt(synthesized(6390), synthesized(6380))
    health = {NEW: healthy_new, "RedisTargetGroup": healthy_live}
    adapted, steps = adapt(synthesized(6390), staged, health.__getitem__)
    assert [(s.phase, s.healthy_new, s.healthy_live) for s in steps] == [(phase, healthy_new, healthy_live)]
    if phase == "wait":
        assert adapted == staged  # nothing changes: the change set is empty
        assert "waiting for " + NEW in steps[0].describe()
    else:
        assert set(adapted["Resources"]) == {NEW, "RedisListener", "EgressToTcp6390"}  # old group and its egress go
        assert adapted["Resources"]["RedisListener"] == _listener((NEW, 1))
        assert adapted["Outputs"] == {"RedisTargetGroupArn": {"Value": {"Ref": NEW}}}


def test_after_the_switch_the_group_keeps_its_staged_id():
    staged, _ = adapt(synthesized(6390), synthesized(6380))
    switched, _ = adapt(synthesized(6390), staged, {NEW: 1, "RedisTargetGroup": 1}.__getitem__)
    assert adapt(synthesized(6390), switched) == (switched, [])  # converged
    # the next replacement stages from there, and going back to 6380 is a replacement like any other
    again, steps = adapt(synthesized(6380), switched)
    assert [(s.phase, s.live) for s in steps] == [("stage", NEW)]
    assert "RedisTargetGroup" + staging._digest(_group(6380)) in again["Resources"]


def test_going_back_mid_way_cancels_the_staging():
    staged, _ = adapt(synthesized(6390), synthesized(6380))
    adapted, steps = adapt(synthesized(6380), staged)
    assert [(s.phase, s.live, s.new) for s in steps] == [("cancel", "RedisTargetGroup", NEW)]
    assert adapted == synthesized(6380)


def test_a_second_change_mid_way_restages_without_touching_the_live_group():
    staged, _ = adapt(synthesized(6390), synthesized(6380))
    adapted, steps = adapt(synthesized(6391), staged)  # the staged group never took traffic: replaced at once
    newer = "RedisTargetGroup" + staging._digest(_group(6391))
    assert [(s.phase, s.live, s.new) for s in steps] == [("stage", "RedisTargetGroup", newer)]
    assert NEW not in adapted["Resources"] and adapted["Resources"]["RedisListener"] == _listener(("RedisTargetGroup", 1), (newer, 0))


def test_live_rules_follow_the_live_group():
    group = _group(53, protocol="TCP_UDP", health_port="8080")
    assert staging.rules_text(staging.target_rules_of(group)) == "tcp/53,tcp/8080,udp/53"
    assert staging.parse_rules_text("tcp/53,tcp/8080,udp/53") == (("tcp", 53), ("tcp", 8080), ("udp", 53))
    for bad in ("", "tcp", "sctp/53", "tcp/0", "tcp/65536", "tcp/53,"):
        assert staging.parse_rules_text(bad) is None
