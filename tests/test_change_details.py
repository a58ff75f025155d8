"""Why a change set modifies a resource: the stand-in's Details as CloudFormation gives them, and
the plan's "what changes" read from them."""

from __future__ import annotations

from shared_nlb.changeset.change_sets import changed_parts
from shared_nlb.standin.classify import change_details, classify

TG = "AWS::ElasticLoadBalancingV2::TargetGroup"


def _tg(port: int, **extra) -> dict:
    return {"Type": TG, "Properties": {"Port": port, "Protocol": "TCP", **extra}}


def _listener(target: str) -> dict:
    return {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"Port": 6379, "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": target}}]}}


def test_a_changed_setting_is_a_static_direct_modification_named_by_its_property() -> None:
    old = {"RedisTargetGroup": _tg(6379, HealthCheckIntervalSeconds=10, Tags=[{"Key": "a", "Value": "1"}])}
    new = {"RedisTargetGroup": _tg(6379, HealthCheckIntervalSeconds=30, Tags=[{"Key": "a", "Value": "2"}])}
    scope, details = change_details(old["RedisTargetGroup"], new["RedisTargetGroup"], classify(old, new))
    assert scope == ["Properties", "Tags"]
    assert details == [
        {"Target": {"Attribute": "Properties", "Name": "HealthCheckIntervalSeconds", "RequiresRecreation": "Never"}, "Evaluation": "Static", "ChangeSource": "DirectModification"},
        {"Target": {"Attribute": "Tags"}, "Evaluation": "Static", "ChangeSource": "DirectModification"},
    ]
    assert changed_parts(details) == ("HealthCheckIntervalSeconds", "Tags")


def test_a_listener_following_a_replaced_target_group_says_via_which() -> None:
    old = {"RedisTargetGroup": _tg(6379), "RedisListener": _listener("RedisTargetGroup")}
    new = {"RedisTargetGroup": _tg(6380), "RedisListener": _listener("RedisTargetGroup")}
    replacements = classify(old, new)
    assert replacements == {"RedisTargetGroup": "True", "RedisListener": "False"}
    _, group = change_details(old["RedisTargetGroup"], new["RedisTargetGroup"], replacements)
    assert group[0]["Target"] == {"Attribute": "Properties", "Name": "Port", "RequiresRecreation": "Always"}
    _, listener = change_details(old["RedisListener"], new["RedisListener"], replacements)
    assert listener == [
        {"Target": {"Attribute": "Properties", "Name": "DefaultActions", "RequiresRecreation": "Never"}, "Evaluation": "Dynamic", "ChangeSource": "ResourceReference", "CausingEntity": "RedisTargetGroup"}
    ]
    assert changed_parts(listener) == ("DefaultActions (via RedisTargetGroup)",)


def test_details_without_a_name_or_a_target_say_what_they_can() -> None:
    """Metadata, UpdatePolicy and other attributes have no Name; a detail without a Target is left out."""
    details = [{"Target": {"Attribute": "Metadata"}}, {"Evaluation": "Static"}, {"Target": {"Attribute": "Properties", "Name": "Port"}}, {"Target": {"Attribute": "Properties", "Name": "Port"}}]
    assert changed_parts(details) == ("Metadata", "Port")
    assert changed_parts([]) == ()
