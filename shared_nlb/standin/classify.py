"""Which resources a change set replaces, as CloudFormation decides it: the stand-in's `Replacement`.

moto's change sets carry no `Replacement` (see `patches._change_set_replacements`); this pure module
gives it, from the old and the new template, and the stand-in's update hooks ask the same `replaces()`
whether to update a resource in place or replace it, so the change set and the execution agree.
shared-nlb itself reads `Replacement` from the change set CloudFormation (or the stand-in) returns and
never classifies on its own: this belongs to the stand-in only.
"""

from __future__ import annotations

from typing import Any

TARGET_GROUP = "AWS::ElasticLoadBalancingV2::TargetGroup"
SECURITY_GROUP = "AWS::EC2::SecurityGroup"
# Properties whose change makes CloudFormation replace the resource ("Update requires: Replacement" in
# the CloudFormation resource reference). `None` means every property except those in _IN_PLACE. The
# change set's Replacement (`classify`) and the update hooks both decide through `replaces`.
_REPLACING: dict[str, frozenset[str] | None] = {
    TARGET_GROUP: frozenset({"Name", "Port", "Protocol", "ProtocolVersion", "TargetType", "VpcId", "IpAddressType"}),
    "AWS::ElasticLoadBalancingV2::Listener": frozenset({"LoadBalancerArn"}),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": frozenset({"Name", "Scheme", "Type"}),
    SECURITY_GROUP: frozenset({"GroupDescription", "GroupName", "VpcId"}),
    "AWS::EC2::SecurityGroupIngress": None,
    "AWS::EC2::SecurityGroupEgress": None,
}
_IN_PLACE = frozenset({"Description", "Tags"})


def _references(value: Any) -> set[str]:
    """Logical IDs a template value refers to through Ref or Fn::GetAtt."""
    found: set[str] = set()
    if isinstance(value, dict):
        if "Ref" in value and isinstance(value["Ref"], str):
            found.add(value["Ref"])
        if "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            found.add(target[0] if isinstance(target, list) else str(target).split(".")[0])
        for item in value.values():
            found |= _references(item)
    elif isinstance(value, list):
        for item in value:
            found |= _references(item)
    return found


def _replacing(resource_type: str, key: str) -> bool:
    keys = _REPLACING.get(resource_type, frozenset())
    return key not in _IN_PLACE if keys is None else key in keys


def _changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """Properties that differ between two versions of a resource (added and removed ones too)."""
    return {k for k in set(before) | set(after) if before.get(k) != after.get(k)}


def replaces(resource_type: str, before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether CloudFormation replaces a resource whose properties change from `before` to `after`:
    the one rule of `classify()` and of the update hooks."""
    return any(_replacing(resource_type, k) for k in _changed(before, after))


def classify(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Replacement of each resource in both templates that changes: "True" when a replacing property
    changes, "Conditional" when a replacing property refers to a replaced resource (its value is only
    known at execution), "False" otherwise, including resources whose references change in place."""
    result: dict[str, str] = {}
    for name in sorted(set(old) & set(new)):
        before, after = old[name].get("Properties", {}), new[name].get("Properties", {})
        changed = _changed(before, after)
        if changed or old[name].get("Type") != new[name].get("Type"):
            replace = old[name].get("Type") != new[name].get("Type") or replaces(new[name]["Type"], before, after)
            result[name] = "True" if replace else "False"
    while True:  # follow references from replaced resources until nothing more changes
        replaced = {n for n, r in result.items() if r in ("True", "Conditional")}
        grew = False
        for name in sorted(set(old) & set(new)):
            properties = new[name].get("Properties", {})
            hits = [k for k, v in properties.items() if _references(v) & replaced]
            if not hits:
                continue
            verdict = "Conditional" if any(_replacing(new[name]["Type"], k) for k in hits) else "False"
            if result.get(name) is None or (result[name] == "False" and verdict == "Conditional"):
                result[name] = verdict
                grew = True
        if not grew:
            break
    return result


def change_details(old: dict[str, Any], new: dict[str, Any], replacements: dict[str, str]) -> tuple[list[str], list[dict[str, Any]]]:
    """A Modify's `Scope` and `Details`, as CloudFormation describes them (API Reference,
    "ResourceChange", "ResourceChangeDetail", "ResourceTargetDefinition"): one detail per property
    that changes (Attribute Properties, its Name, RequiresRecreation Always or Never; Tags as
    Attribute Tags, without a Name), Static and DirectModification; and one per property that refers
    to a replaced resource (Dynamic, ResourceReference, CausingEntity the replaced resource), whose
    value is known only when it is executed."""
    kind = new.get("Type", "")
    before, after = old.get("Properties", {}), new.get("Properties", {})
    details: list[dict[str, Any]] = []
    for key in sorted(_changed(before, after)):
        if key == "Tags":
            target = {"Attribute": "Tags"}
        else:
            target = {"Attribute": "Properties", "Name": key, "RequiresRecreation": "Always" if _replacing(kind, key) else "Never"}
        details.append({"Target": target, "Evaluation": "Static", "ChangeSource": "DirectModification"})
    replaced = {name for name, how in replacements.items() if how in ("True", "Conditional")}
    for key, value in sorted(after.items()):
        for cause in sorted(_references(value) & replaced):
            target = {"Attribute": "Properties", "Name": key, "RequiresRecreation": "Conditionally" if _replacing(kind, key) else "Never"}
            details.append({"Target": target, "Evaluation": "Dynamic", "ChangeSource": "ResourceReference", "CausingEntity": cause})
    scope = sorted({detail["Target"]["Attribute"] for detail in details})
    return scope, details
