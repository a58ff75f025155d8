"""Read what the deployed stacks hold, as a state (`shared_nlb.config.state`): the first step of a
deploy, and the lookup that replaces a lost state file (the CDK lookup idiom: `Vpc.from_lookup` reads
the account once and `cdk.context.json` keeps what it found).

The file beside the config is the record, but it can be lost or stale (not committed, a branch merged
without it). A service's NLB is its clients' address and its live target group is where its traffic
goes, so `plan` and `deploy` read each stack of the config first, and what AWS holds wins over the
file: a service found in a stack stays on that NLB, with the target groups its listener forwards to;
each difference is said in one line and the file is rewritten by deploy. A service whose
`load_balancer` names another entry now was moved by hand and is placed anew.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared_nlb import naming
from shared_nlb.changeset import CloudFormation
from shared_nlb.config import Config
from shared_nlb.config import placement as placing
from shared_nlb.config.limits import MAX_NLBS_PER_REGION
from shared_nlb.config.state import HealthCheckState, ServiceState, State, TargetGroupState
from shared_nlb.errors import UserError

HealthyTargets = Callable[[str, str], int]
"(service name, logical ID of one of its deployed target groups) -> how many of its targets are healthy now"


def read(aws: CloudFormation, config: Config) -> State:
    """The state of every service of the config found in a deployed stack of its NLB, and with
    `load_balancers` every NLB whose stack exists. The stacks are listed once (ListStacks), so an NLB
    past a deleted one is still found, and one whose last services left the config is found too."""
    found: dict[str, ServiceState] = {}
    if not config.load_balancers:
        _services_of(aws.template(config.stack_name), config, None, found)
        return State(found)
    existing = aws.stack_names()
    nlbs = []
    for entry in config.load_balancers:
        for number in range(1, MAX_NLBS_PER_REGION + 1):
            shard = placing.shard_name(entry.name, number)
            if config.shard_stack_name(shard) not in existing:
                continue
            template = aws.template(config.shard_stack_name(shard))
            if template is not None:
                nlbs.append(shard)
                _services_of(template, config, shard, found, entry=entry.name)
    return State(found, nlbs=tuple(sorted(nlbs)))


def _services_of(template: dict[str, Any] | None, config: Config, shard: str | None, found: dict[str, ServiceState], *, entry: str | None = None) -> None:
    """Add the config's services that `template` holds to `found`: its NLB, and the target groups
    its listener forwards to (weight above 0: live; weight 0: a staged replacement). A service whose
    `load_balancer` names another entry now was moved by hand: it is left to be placed anew there."""
    if not template:
        return
    resources = template.get("Resources", {})
    outputs = template.get("Outputs", {})
    for service in config.services:
        if naming.target_group_output_key(service.name) not in outputs or service.name in found:
            continue
        if entry is not None and service.load_balancer not in (None, entry):
            continue
        live = staged = None
        for logical_id, weight in forwards(resources.get(naming.listener_id(service.name), {})):
            group = _group(logical_id, resources.get(logical_id))
            if group is not None and weight > 0 and live is None:
                live = group
            elif group is not None and weight == 0 and staged is None:
                staged = group
        found[service.name] = ServiceState(shard, live, staged)


def forwards(listener: dict[str, Any]) -> list[tuple[str, int]]:
    """(logical ID, weight) of the target groups a deployed listener's default action forwards to."""
    found: list[tuple[str, int]] = []
    for action in listener.get("Properties", {}).get("DefaultActions", []):
        if action.get("Type") != "forward":
            continue
        groups = action.get("ForwardConfig", {}).get("TargetGroups")
        if groups:
            found += [(g["TargetGroupArn"]["Ref"], int(g.get("Weight", 1))) for g in groups if isinstance(g.get("TargetGroupArn"), dict) and "Ref" in g["TargetGroupArn"]]
        elif isinstance(action.get("TargetGroupArn"), dict) and "Ref" in action["TargetGroupArn"]:
            found.append((action["TargetGroupArn"]["Ref"], 1))
    return found


def _group(logical_id: str, resource: dict[str, Any] | None) -> TargetGroupState | None:
    if not resource or resource.get("Type") != "AWS::ElasticLoadBalancingV2::TargetGroup":
        return None
    properties = resource.get("Properties", {})
    try:
        port = int(properties["Port"])
    except (KeyError, TypeError, ValueError):
        return None
    check_port = properties.get("HealthCheckPort", "traffic-port")
    check = HealthCheckState(
        properties.get("HealthCheckProtocol", "TCP"),
        int(check_port) if str(check_port).isdigit() else "traffic-port",
        properties.get("HealthCheckPath") if properties.get("HealthCheckProtocol", "TCP") != "TCP" else None,
    )
    return TargetGroupState(logical_id, port, properties.get("Protocol", "TCP"), check)


def reconcile(console: Any, aws: CloudFormation, config: Config) -> tuple[Config, State]:
    """(the config with what is deployed winning over its state file, the deployed state): each
    difference said in one line (see the module's docstring)."""
    deployed = read(aws, config)
    committed = config.state
    if committed.edited:
        console.print("state: the state file was changed by hand (its digest does not match): what is deployed wins, and deploy rewrites it")
    merged = dict(committed.services)
    for name, service in sorted(deployed.services.items()):
        recorded = committed.of(name)
        if config.load_balancers and recorded.nlb != service.nlb:
            said = f"not on {recorded.nlb} as the state file says" if recorded.nlb else "which the state file does not record"
            console.print(f"placement: service {name} is deployed on NLB {service.nlb}, {said}: it stays there")
        if committed.complete and recorded.live is not None and service.live is not None and recorded.live.logical_id != service.live.logical_id:
            console.print(f"state: service {name} forwards to {service.live.logical_id}, not {recorded.live.logical_id} as the state file says: {service.live.logical_id} stays live")
        merged[name] = service
    adopted = config.with_state(State(merged, nlbs=tuple(sorted(set(committed.nlbs) | set(deployed.nlbs)))))
    problems = adopted.problems()
    if problems:
        raise UserError("\n".join(f"with the deployed placement: {path}: {message}" for path, message in sorted(set(problems))))
    return adopted, deployed


def healthy_targets(aws: CloudFormation, config: Config) -> HealthyTargets:
    """How many healthy targets a deployed target group of a service has now (DescribeTargetHealth)."""
    stacks = {service.name: unit.stack_name for unit in config.units() for service in unit.config.services}
    elbv2 = aws.client("elbv2")

    def healthy(service: str, logical_id: str) -> int:
        arn = aws.physical_id(stacks[service], logical_id)
        found = aws.call("read the target group's health", elbv2.describe_target_health, TargetGroupArn=arn)["TargetHealthDescriptions"]
        return sum(1 for target in found if target.get("TargetHealth", {}).get("State") == "healthy")

    return healthy

