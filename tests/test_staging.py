"""Make-before-break staging of target group replacements, synthesized from the config and the state
file (`shared_nlb.config.state`, `shared_nlb.deploy.stage`): the same template on every path."""

from __future__ import annotations

import json

import pytest

from shared_nlb import naming, ports
from shared_nlb.config import parse_config
from shared_nlb.config.state import HealthCheckState, ServiceState, State, TargetGroupState
from shared_nlb.deploy import stage
from tests.factories import example_dict

VPC = example_dict()["network"]["vpc_id"]
LIVE = TargetGroupState("RedisTargetGroup", 6380, "TCP")
NEW = "RedisTargetGroup" + naming.target_group_digest(6390, "TCP", VPC)


def redis_on(port: int, **extra) -> dict:
    data = example_dict()
    redis = next(s for s in data["services"] if s["name"] == "redis")
    redis["target_port"] = port
    redis.update(extra)
    return data


def deployed(**services: ServiceState) -> State:
    return State(services)


def template(synth, port: int, state: State, **extra) -> dict:
    return json.loads(synth(redis_on(port, **extra), state))


def forwards(resources: dict) -> list:
    return resources["RedisListener"]["Properties"]["DefaultActions"]


def test_the_digest_is_that_of_the_groups_replacing_properties() -> None:
    assert naming.target_group_digest(6390, "TCP", VPC) != naming.target_group_digest(6391, "TCP", VPC)
    assert naming.target_group_digest(6390, "TCP", VPC) != naming.target_group_digest(6390, "UDP", VPC)
    assert len(naming.target_group_digest(6390, "TCP", None)) == 8


def test_an_unchanged_service_keeps_its_live_group_and_a_setting_aws_changes_in_place_is_not_staged(synth) -> None:
    state = deployed(redis=ServiceState(live=LIVE))
    plain = template(synth, 6380, state)
    assert plain == template(synth, 6380, State())  # nothing recorded is the same as the plain group
    assert forwards(plain["Resources"]) == [{"TargetGroupArn": {"Ref": "RedisTargetGroup"}, "Type": "forward"}]
    checked = template(synth, 6380, state, health_check={"interval_seconds": 10})
    assert set(checked["Resources"]) == set(plain["Resources"])
    assert "RedisStagedTargetGroupArn" not in checked["Outputs"]


def test_a_replacing_change_is_staged_beside_the_live_group_at_weight_0(synth) -> None:
    resources_outputs = template(synth, 6390, deployed(redis=ServiceState(live=LIVE)))
    resources, outputs = resources_outputs["Resources"], resources_outputs["Outputs"]
    assert resources["RedisTargetGroup"]["Properties"]["Port"] == 6380  # the live group is kept as it is
    assert resources[NEW]["Properties"]["Port"] == 6390
    assert forwards(resources) == [{"ForwardConfig": {"TargetGroups": [{"TargetGroupArn": {"Ref": "RedisTargetGroup"}, "Weight": 1}, {"TargetGroupArn": {"Ref": NEW}, "Weight": 0}]}, "Type": "forward"}]
    assert {"EgressToTcp6380", "EgressToTcp6390"} <= set(resources)  # the live pods' port stays open
    assert outputs["RedisTargetGroupArn"]["Value"] == {"Ref": "RedisTargetGroup"}
    assert outputs["RedisStagedTargetGroupArn"]["Value"] == {"Ref": NEW}
    assert outputs["RedisTargetRules"]["Value"] == "tcp/6380"


def test_the_live_group_keeps_its_recorded_health_check_while_a_replacement_is_staged(synth) -> None:
    live = TargetGroupState("RedisTargetGroup", 6380, "TCP", HealthCheckState("HTTP", 8080, "/ready"))
    resources = template(synth, 6390, deployed(redis=ServiceState(live=live)), health_check={"protocol": "TCP", "port": 9000})["Resources"]
    old = resources["RedisTargetGroup"]["Properties"]
    assert (old["HealthCheckProtocol"], old["HealthCheckPort"], old["HealthCheckPath"]) == ("HTTP", "8080", "/ready")
    new_props = resources[next(k for k in resources if k.startswith("RedisTargetGroup") and k != "RedisTargetGroup")]["Properties"]
    assert (new_props["HealthCheckProtocol"], new_props["HealthCheckPort"]) == ("TCP", "9000")
    assert {"EgressToTcp8080", "EgressToTcp9000"} <= set(resources)


def test_the_alarm_watches_the_live_group_in_every_phase(synth) -> None:
    alarms = {"topic_arn": "arn:aws:sns:us-east-1:111111111111:platform-alerts"}

    def watched(port: int, state: State) -> dict:
        data = redis_on(port)
        data["alarms"] = alarms
        resources = json.loads(synth(data, state))["Resources"]
        dimensions = resources[naming.alarm_id("redis")]["Properties"]["Dimensions"]
        return next(d["Value"] for d in dimensions if d["Name"] == "TargetGroup")

    assert watched(6380, State()) == {"Fn::GetAtt": ["RedisTargetGroup", "TargetGroupFullName"]}  # new
    staging = deployed(redis=ServiceState(live=LIVE))
    assert watched(6390, staging) == {"Fn::GetAtt": ["RedisTargetGroup", "TargetGroupFullName"]}  # staged: not the weight-0 group
    switched = deployed(redis=ServiceState(live=TargetGroupState(NEW, 6390, "TCP")))
    assert watched(6390, switched) == {"Fn::GetAtt": [NEW, "TargetGroupFullName"]}  # switched: the group that carries traffic


def test_after_the_switch_the_group_keeps_its_staged_id_and_the_old_one_goes(synth) -> None:
    switched = deployed(redis=ServiceState(live=TargetGroupState(NEW, 6390, "TCP")))
    after = template(synth, 6390, switched)
    assert "RedisTargetGroup" not in after["Resources"] and "EgressToTcp6380" not in after["Resources"]
    assert forwards(after["Resources"]) == [{"TargetGroupArn": {"Ref": NEW}, "Type": "forward"}]
    assert set(after["Outputs"]) >= {"RedisTargetGroupArn"} and "RedisStagedTargetGroupArn" not in after["Outputs"]
    # the next replacement stages from there; going back to 6380 is a replacement like any other
    again = template(synth, 6380, switched)
    back = "RedisTargetGroup" + naming.target_group_digest(6380, "TCP", VPC)
    assert forwards(again["Resources"])[0]["ForwardConfig"]["TargetGroups"] == [{"TargetGroupArn": {"Ref": NEW}, "Weight": 1}, {"TargetGroupArn": {"Ref": back}, "Weight": 0}]


def test_going_back_mid_way_cancels_and_a_second_change_restages(synth) -> None:
    staged = deployed(redis=ServiceState(live=LIVE, staged=TargetGroupState(NEW, 6390, "TCP")))
    assert template(synth, 6380, staged) == template(synth, 6380, State())  # cancelled: the plain template
    newer = "RedisTargetGroup" + naming.target_group_digest(6391, "TCP", VPC)
    resources = template(synth, 6391, staged)["Resources"]
    assert NEW not in resources and newer in resources and resources["RedisTargetGroup"]["Properties"]["Port"] == 6380


def _config(port: int, state: State):
    return parse_config(redis_on(port), state=state)


@pytest.mark.parametrize(
    ("healthy_new", "healthy_live", "phase"),
    [(0, 2, "wait"), (1, 2, "wait"), (2, 2, "switch"), (3, 2, "switch"), (1, 0, "switch"), (0, 0, "wait")],
)
def test_the_switch_waits_for_healthy_targets_as_many_as_the_live_group_has(healthy_new, healthy_live, phase) -> None:
    """A live group with no healthy target (an incident) is no reason to move to a group with none."""
    now = deployed(redis=ServiceState(live=LIVE, staged=TargetGroupState(NEW, 6390, "TCP")))
    config = _config(6390, now)
    health = {NEW: healthy_new, "RedisTargetGroup": healthy_live}
    after, steps = stage.steps(config, now, lambda _service, logical_id: health[logical_id])
    assert [(s.phase, s.healthy_new, s.healthy_live) for s in steps] == [(phase, healthy_new, healthy_live)]
    live, staged = after.target_groups(next(s for s in after.services if s.name == "redis"))
    if phase == "wait":
        assert after is config and (live.logical_id, staged.logical_id) == ("RedisTargetGroup", NEW)
        assert "waiting for " + NEW in steps[0].describe()
    else:
        assert (live.logical_id, live.port, staged) == (NEW, 6390, None)
        assert after.recorded_state().of("redis").live == live


def test_steps_say_stage_and_cancel_and_nothing_for_new_or_unchanged_services() -> None:
    now = deployed(redis=ServiceState(live=LIVE))
    _, steps = stage.steps(_config(6390, now), now, lambda *_: pytest.fail("no health is read while staging"))
    assert [(s.phase, s.live, s.new) for s in steps] == [("stage", "RedisTargetGroup", NEW)]
    staged = deployed(redis=ServiceState(live=LIVE, staged=TargetGroupState(NEW, 6390, "TCP")))
    _, steps = stage.steps(_config(6380, staged), staged, lambda *_: 0)
    assert [(s.phase, s.live, s.new) for s in steps] == [("cancel", "RedisTargetGroup", NEW)]
    assert stage.steps(_config(6380, now), now, lambda *_: 0)[1] == []
    assert stage.steps(_config(6390, State()), State(), lambda *_: 0)[1] == []


def test_live_rules_as_an_output_holds_them() -> None:
    assert ports.rules_text(ports.target_rules("TCP_UDP", 53, 8080)) == "tcp/53,tcp/8080,udp/53"
    assert ports.parse_rules_text("tcp/53,tcp/8080,udp/53") == (("tcp", 53), ("tcp", 8080), ("udp", 53))
    for bad in ("", "tcp", "sctp/53", "tcp/0", "tcp/65536", "tcp/53,"):
        assert ports.parse_rules_text(bad) is None


def test_a_replaced_group_is_named_by_its_service_whatever_its_logical_id() -> None:
    """After a switch the live group keeps its staged ID: a replacement of it still names the binding."""
    from shared_nlb.changeset import Change, Plan
    from shared_nlb.deploy.change_sets import replaced_target_groups

    switched = deployed(redis=ServiceState(live=TargetGroupState(NEW, 6390, "TCP")))
    config = _config(6390, switched)
    plan = Plan("shared-nlb-core", "id", "UPDATE", (Change("Modify", NEW, "AWS::ElasticLoadBalancingV2::TargetGroup", "True"),))
    assert [(service.name, change.logical_id) for service, change in replaced_target_groups(config, plan)] == [("redis", NEW)]
