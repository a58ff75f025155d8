"""The state file committed beside a config: what every synthesis needs beyond the config itself to
keep a deployed service where it is (DESIGN.md, "Safe changes, on every path": one truth).

Per service:
- `nlb`: the NLB (shard) of its `load_balancers` entry that holds it (`shared_nlb.config.placement`);
  its DNS name is its clients' address, so a placed service never moves;
- `target_group`, `port`, `protocol`: the target group its listener forwards to now (the live group),
  by logical ID, with the properties that make CloudFormation replace a target group when they change
  (`Port`, `Protocol`; "Update requires: Replacement", AWS::ElasticLoadBalancingV2::TargetGroup in
  the CloudFormation template reference). The other replacing properties are the same for every
  group shared-nlb makes (`TargetType: ip`, no `IpAddressType` or `Name`) or move the whole NLB
  (`VpcId`, with the security group and the load balancer), which no staging can save;
- `health_check`: the live group's health check protocol, port and path, when not TCP on the
  traffic port: while a replacement is staged the live group keeps checking its pods as before;
- `nlbs` (top level, with `load_balancers:`): every NLB deployed for the config, so that one whose
  last service left is still planned (emptied) until it is retired on purpose (`shared-nlb destroy`);
- `staged`: a replacement in progress (`target_group`, `port`, `protocol`): the config asks for other
  replacing properties than the live group's, so the new group stands beside the live one, forwarded
  with weight 0, until `shared-nlb deploy` switches (`shared_nlb.deploy.stage`).

It works as `cdk.context.json` does for CDK lookups: written by `shared-nlb synth`, `plan`'s deploy
and `deploy` (before executing and after each phase) and by `cdk synth` (app.py), committed, and read
on every later synthesis, so that the same config and file give the same templates on every path,
offline. A lost file is looked up from the deployed stacks (`shared_nlb.deploy.read_deployed`), never
guessed. Version 1 files (`<config>.placement.yaml`, placement only) are still read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from shared_nlb.untrusted import show

STATE_VERSION = 2
LEGACY_VERSION = 1
_SUFFIX = ".state.yaml"
_LEGACY_SUFFIX = ".placement.yaml"
_HEADER = (
    "# shared-nlb's state of this config: the NLB of each service, the target group its listener\n"
    "# forwards to, and any replacement staged beside it. Written by shared-nlb synth and deploy and by\n"
    "# cdk synth; commit it beside the config. Every template is built from the config and this file.\n"
)
_PROTOCOLS = ("TCP", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC")
_HEALTH_PROTOCOLS = ("TCP", "HTTP", "HTTPS")
# A CloudFormation logical ID: "The logical ID must be alphanumeric (A-Za-z0-9) and unique within the
# template" (CloudFormation User Guide, "Resources" template section), at most 255 characters.
_LOGICAL_ID = re.compile(r"[A-Za-z0-9]{1,255}")


@dataclass(frozen=True, order=True)
class HealthCheckState:
    """A live target group's health check, when it is not TCP on the traffic port."""

    protocol: str = "TCP"
    port: int | str = "traffic-port"
    path: str | None = None

    @property
    def default(self) -> bool:
        return self == HealthCheckState()


@dataclass(frozen=True)
class TargetGroupState:
    """One deployed (or about to be deployed) target group of a service: its logical ID and the
    properties whose change would replace it."""

    logical_id: str
    port: int
    protocol: str
    "The target group's protocol (a TLS listener's group is TCP)."
    health_check: HealthCheckState = field(default_factory=HealthCheckState)

    @property
    def key(self) -> tuple[int, str]:
        """What must be equal for two groups to be one and the same to CloudFormation."""
        return (self.port, self.protocol)


@dataclass(frozen=True)
class ServiceState:
    """What the state file says of one service."""

    nlb: str | None = None
    live: TargetGroupState | None = None
    staged: TargetGroupState | None = None


@dataclass(frozen=True)
class State:
    """The whole file: service name -> `ServiceState`. `complete` is false when there is no file, or a
    version 1 file, which holds placement only: what is deployed must then be looked up
    (`shared_nlb.deploy.lookup`), or the user says there is nothing deployed yet."""

    services: Mapping[str, ServiceState] = field(default_factory=dict)
    complete: bool = True
    nlbs: tuple[str, ...] = ()
    "With `load_balancers:`: every NLB deployed for the config, those whose last service left included (sorted)."
    edited: bool = False
    "The file's digest does not match its text: it was changed by hand (a merge, say), so it is checked against the deployed stacks before it is trusted."

    @property
    def placement(self) -> dict[str, str]:
        """service name -> NLB, for the services placed on one."""
        return {name: s.nlb for name, s in self.services.items() if s.nlb is not None}

    def with_placement(self, placement: Mapping[str, str]) -> State:
        """This state with the services' NLBs replaced by `placement` (services it lacks are added)."""
        services = dict(self.services)
        for name, nlb in placement.items():
            services[name] = replace(services.get(name, ServiceState()), nlb=nlb)
        return State(services, self.complete, self.nlbs, self.edited)

    def of(self, name: str) -> ServiceState:
        return self.services.get(name, ServiceState())


def path_beside(config_path: str | Path) -> Path:
    """`shared-nlb.yaml` -> `shared-nlb.state.yaml`, in the config's folder."""
    path = Path(config_path)
    return path.with_name(_stem(path) + _SUFFIX)


def legacy_path_beside(config_path: str | Path) -> Path:
    """`shared-nlb.yaml` -> `shared-nlb.placement.yaml`: the version 1 file, read when no state file is there."""
    path = Path(config_path)
    return path.with_name(_stem(path) + _LEGACY_SUFFIX)


def _stem(path: Path) -> str:
    return path.name.removesuffix(".yaml").removesuffix(".yml")


def text(state: State) -> str:
    """The file's text: one flow mapping per service, sorted, so the same state is the same bytes."""
    lines = [_HEADER, f"version: {STATE_VERSION}\n"]
    if state.nlbs:
        lines.append(f"nlbs: [{', '.join(sorted(state.nlbs))}]\n")
    lines.append("services:\n" if state.services else "services: {}\n")
    for name, service in sorted(state.services.items()):
        fields = []
        if service.nlb is not None:
            fields.append(f"nlb: {service.nlb}")
        if service.live is not None:
            fields.append(_group_text(service.live))
        if service.staged is not None:
            fields.append(f"staged: {{{_group_text(service.staged)}}}")
        lines.append(f"  {name}: {{{', '.join(fields)}}}\n")
    body = "".join(lines)
    return body + f"{_DIGEST_PREFIX}{_digest(body)}\n"


# The last line of a state file: a digest of the lines above it, so that a file changed by hand (a merge
# resolved in an editor, a line moved) is told from one shared-nlb wrote; it is then checked against the
# deployed stacks before any synthesis trusts it (`shared_nlb.deploy.lookup`).
_DIGEST_PREFIX = "# digest: sha256:"


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def written_by_shared_nlb(file_text: str) -> bool:
    """Whether a state file's text ends with the digest of the lines above it."""
    body, _, last = file_text.rstrip("\n").rpartition("\n")
    return last.startswith(_DIGEST_PREFIX) and last.removeprefix(_DIGEST_PREFIX) == _digest(body + "\n")


def _group_text(group: TargetGroupState) -> str:
    parts = [f"target_group: {group.logical_id}", f"port: {group.port}", f"protocol: {group.protocol}"]
    check = group.health_check
    if not check.default:
        inner = [f"protocol: {check.protocol}", f"port: {check.port}"] + ([f"path: {check.path}"] if check.path else [])
        parts.append(f"health_check: {{{', '.join(inner)}}}")
    return ", ".join(parts)


def parse(data: object) -> tuple[State, list[tuple[str, str]]]:
    """(state, problems as (path, message)) from the file's parsed YAML, version 1 or 2."""
    if data is None:
        return State(), []
    if not isinstance(data, Mapping):
        return State(), [("", f"is a {type(data).__name__}, not a mapping with version and services")]
    problems: list[tuple[str, str]] = []
    version = data.get("version")
    if version not in (LEGACY_VERSION, STATE_VERSION):
        problems.append(("version", f"{show(version)}; allowed: {STATE_VERSION} (or {LEGACY_VERSION}, a placement file)"))
    for key in sorted(set(map(str, data)) - {"version", "services", "nlbs"}):
        problems.append((show(key), "unknown key; allowed: version, nlbs, services"))
    nlbs = data.get("nlbs") or []
    if not isinstance(nlbs, list) or not all(isinstance(n, str) for n in nlbs):
        problems.append(("nlbs", f"{show(nlbs)}; allowed: a list of the NLB names deployed for the config, such as [internal, internal-2]"))
        nlbs = []
    services = data.get("services") or {}
    if not isinstance(services, Mapping):
        return State(), problems + [("services", f"is a {type(services).__name__}, not a mapping of service name to its state")]
    found: dict[str, ServiceState] = {}
    for name, value in services.items():
        path = f"services.{show(name)}"
        if not isinstance(name, str):
            problems.append((path, "a service name must be a string"))
        elif version == LEGACY_VERSION:
            if isinstance(value, str):
                found[name] = ServiceState(nlb=value)
            else:
                problems.append((path, f"{show(value)}; allowed: the name of an NLB of a load_balancers entry, such as internal-2"))
        else:
            service = _service(value, path, problems)
            if service is not None:
                found[name] = service
    return State(found, complete=version != LEGACY_VERSION, nlbs=tuple(sorted(set(nlbs)))), problems


def _service(value: object, path: str, problems: list[tuple[str, str]]) -> ServiceState | None:
    if not isinstance(value, Mapping):
        problems.append((path, f"{show(value)}; allowed: a mapping with nlb, target_group, port, protocol and staged"))
        return None
    unknown = sorted(set(map(str, value)) - {"nlb", "target_group", "port", "protocol", "health_check", "staged"})
    problems += [(f"{path}.{show(key)}", "unknown key; allowed: nlb, target_group, port, protocol, health_check, staged") for key in unknown]
    nlb = value.get("nlb")
    if nlb is not None and not isinstance(nlb, str):
        problems.append((f"{path}.nlb", f"{show(nlb)}; allowed: the name of an NLB of a load_balancers entry, such as internal-2"))
        nlb = None
    live = _group(value, path, problems) if "target_group" in value else None
    staged = None
    if value.get("staged") is not None:
        if isinstance(value["staged"], Mapping):
            staged = _group(value["staged"], f"{path}.staged", problems)
        else:
            problems.append((f"{path}.staged", f"{show(value['staged'])}; allowed: a mapping with target_group, port and protocol"))
    if staged is not None and live is None:
        problems.append((f"{path}.staged", "a staged replacement needs the live target_group beside it"))
    return ServiceState(nlb, live, staged)


def _group(value: Mapping[str, Any], path: str, problems: list[tuple[str, str]]) -> TargetGroupState | None:
    before = len(problems)
    logical_id, port, protocol = value.get("target_group"), value.get("port"), value.get("protocol")
    if not isinstance(logical_id, str) or not _LOGICAL_ID.fullmatch(logical_id):
        problems.append((f"{path}.target_group", f"{show(logical_id)}; allowed: the target group's logical ID (letters and digits)"))
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        problems.append((f"{path}.port", f"{show(port)}; allowed: 1-65535"))
    if protocol not in _PROTOCOLS:
        problems.append((f"{path}.protocol", f"{show(protocol)}; allowed: {', '.join(_PROTOCOLS)}"))
    check = _health_check(value.get("health_check"), f"{path}.health_check", problems)
    if len(problems) > before:
        return None
    return TargetGroupState(logical_id, port, protocol, check)  # type: ignore[arg-type]


def _health_check(value: object, path: str, problems: list[tuple[str, str]]) -> HealthCheckState:
    if value is None:
        return HealthCheckState()
    if not isinstance(value, Mapping):
        problems.append((path, f"{show(value)}; allowed: a mapping with protocol, port and path"))
        return HealthCheckState()
    protocol, port, check_path = value.get("protocol", "TCP"), value.get("port", "traffic-port"), value.get("path")
    if protocol not in _HEALTH_PROTOCOLS:
        problems.append((f"{path}.protocol", f"{show(protocol)}; allowed: {', '.join(_HEALTH_PROTOCOLS)}"))
    if port != "traffic-port" and (isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535):
        problems.append((f"{path}.port", f"{show(port)}; allowed: traffic-port or 1-65535"))
    if check_path is not None and not isinstance(check_path, str):
        problems.append((f"{path}.path", f"{show(check_path)}; allowed: a path starting with '/'"))
    return HealthCheckState(str(protocol), port, check_path)  # type: ignore[arg-type]


def resolve(recorded: ServiceState, wanted: TargetGroupState, staged_id: str) -> tuple[TargetGroupState, TargetGroupState | None]:
    """(live group, staged replacement or None) of a service whose config asks for `wanted` (under
    its plain logical ID), given what the state records (`shared_nlb.deploy.stage` explains the
    phases):

    - nothing recorded: a new service, `wanted` is its live group;
    - the recorded live group has `wanted`'s replacing properties: it stays, under its recorded ID,
      with the config's other settings (a staged group, if any, is cancelled: it never took traffic);
    - otherwise the live group stays as recorded, and `wanted` is staged beside it as `staged_id`.
    """
    live = recorded.live
    if live is None:
        return wanted, None
    if live.key == wanted.key:
        return replace(wanted, logical_id=live.logical_id), None
    return live, replace(wanted, logical_id=staged_id)
