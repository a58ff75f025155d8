"""A first `shared-nlb.yaml` from the cluster's LoadBalancer Services (`kubectl get svc -A -o yaml`).

Every port of every Service that an AWS controller gives a load balancer becomes one service entry.
What has an equivalent is carried over (ports, protocol, health checks, TLS, target group attributes,
source ranges, scheme); what has none is reported with the reason, on stderr and at the top of the
file, never dropped silently. Missing network settings become `REPLACE` placeholders that
`shared-nlb validate` names one by one. Pure and sorted: the same input gives the same bytes.

The input is any file the user was handed, so it is read within the limits of `shared_nlb.untrusted`,
a Service whose name or namespace Kubernetes would refuse is reported and left out, every note and
comment is one line (text from the file cannot end a YAML comment), and the printed `kubectl patch`
commands quote their words for the shell (`shlex.quote`).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import shlex
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import ValidationError

from shared_nlb import naming, untrusted
from shared_nlb.config import _DNS1123, MAX_LISTENERS_PER_NLB, PORT_SPACES, HealthCheck
from shared_nlb.errors import InvalidInput, UserError
from shared_nlb.untrusted import show

ANN = "service.beta.kubernetes.io/"
LB = ANN + "aws-load-balancer-"
NLB_CLASS = "service.k8s.aws/nlb"
# EKS Auto Mode's load balancer class (Amazon EKS User Guide, "Migrate to EKS Auto Mode", migration
# reference: loadBalancerClass service.k8s.aws/nlb -> eks.amazonaws.com/nlb), set as the cluster's
# default, so `kubectl get svc` shows it on every Auto Mode LoadBalancer Service.
AUTO_MODE_CLASS = "eks.amazonaws.com/nlb"
SELF_MANAGED, AUTO_MODE = "aws-load-balancer-controller", "eks-auto-mode"
# Annotations EKS Auto Mode does not honour ("Use Service Annotations to configure Network Load
# Balancers", Service annotations table): the old NLB never had them, so nothing is carried over.
_AUTO_MODE_IGNORES = {
    ANN + "load-balancer-source-ranges": "use spec.loadBalancerSourceRanges",
    LB + "type": "use spec.loadBalancerClass",
    LB + "internal": "use aws-load-balancer-scheme",
    LB + "proxy-protocol": "use aws-load-balancer-attributes",
    LB + "access-log-enabled": "use aws-load-balancer-attributes",
    LB + "access-log-s3-bucket-name": "use aws-load-balancer-attributes",
    LB + "access-log-s3-bucket-prefix": "use aws-load-balancer-attributes",
    LB + "cross-zone-load-balancing-enabled": "use aws-load-balancer-attributes",
}

# Placeholders that fail validation with a message naming their field.
VPC_PLACEHOLDER = "vpc-REPLACE-ME"
CIDR_PLACEHOLDER = "REPLACE-ME/16"
SUBNET_PLACEHOLDER = "subnet-REPLACE-ME"
SG_PLACEHOLDER = "sg-REPLACE-ME"
NODES_PLACEHOLDER = "sg-REPLACE-NODES"

# Annotations this importer reads; every other `aws-load-balancer-*` one is reported as not carried over.
_HEALTH = {
    "healthcheck-protocol": "protocol",
    "healthcheck-port": "port",
    "healthcheck-path": "path",
    "healthcheck-interval": "interval_seconds",
    "healthcheck-timeout": "timeout_seconds",
    "healthcheck-healthy-threshold": "healthy_threshold",
    "healthcheck-unhealthy-threshold": "unhealthy_threshold",
    "healthcheck-success-codes": "success_codes",
}
_HANDLED = {LB + key for key in (*_HEALTH, "type", "nlb-target-type", "scheme", "internal", "ssl-cert", "ssl-ports", "ssl-negotiation-policy", "alpn-policy", "proxy-protocol", "target-group-attributes", "quic-enabled-ports")}
_HANDLED.add(ANN + "load-balancer-source-ranges")
# Why some well-known annotations cannot be carried over.
_WHY = {
    "eip-allocations": "an internal shared NLB has no Elastic IPs; clients use its DNS name",
    "private-ipv4-addresses": "the shared NLB's addresses are chosen by AWS",
    "subnets": "the shared NLB's subnets are network.subnet_ids, one list for all services",
    "name": "the shared NLB has one name, load_balancer.name",
    "security-groups": "the shared NLB has its own security group; clients are listed under clients",
    "additional-resource-tags": "tags are set once for the stack, under stack.tags",
    "attributes": "load balancer attributes are set once, under load_balancer",
    "cross-zone-load-balancing-enabled": "cross-zone is set once, as load_balancer.cross_zone",
    "ip-address-type": "the address type is set once, as load_balancer.ip_address_type",
    "backend-protocol": "shared-nlb forwards TCP to targets (TLS ends at the NLB)",
}
# The AWS Load Balancer Controller's NLB health check, not AWS's target group defaults (30 s interval,
# 5/2 thresholds): kubernetes-sigs/aws-load-balancer-controller pkg/service/model_builder.go
# (defaultHealthCheck* fields), applied in pkg/service/model_build_target_group.go
# (buildTargetGroupHealthCheckConfigDefault), listed in docs/guide/service/annotations.md: TCP on the
# traffic port, 10 s interval, 10 s timeout, 3 healthy and 3 unhealthy. (Instance targets with
# externalTrafficPolicy: Local probed the nodes' kube-proxy instead; that has no meaning for pod IPs,
# so those Services get the same defaults as every other.) Port and protocol equal the model's
# defaults, so only protocol is written, to make the check readable.
CONTROLLER_HEALTH_CHECK = {"protocol": "TCP", "interval_seconds": 10, "timeout_seconds": 10, "healthy_threshold": 3, "unhealthy_threshold": 3}
# What Go's strconv.ParseBool, which the controller uses for aws-load-balancer-internal, reads as false.
_GO_FALSE = {"0", "f", "false"}


@dataclass(frozen=True)
class ImportResult:
    """The generated config (text and data), what could not be carried over, and the switch-over commands."""

    text: str
    data: dict[str, Any]
    notes: tuple[str, ...]
    patch_commands: tuple[str, ...]
    placeholders: tuple[str, ...]


@dataclass
class _Entry:
    """One Service port on its way to becoming a service entry."""

    namespace: str
    service: str
    port: int
    port_name: str | None
    protocol: str
    fields: dict[str, Any] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    scheme: str = "internal"
    controller: str = SELF_MANAGED
    quic: bool = False
    "Listed in aws-load-balancer-quic-enabled-ports, by number or name."


# --- reading --------------------------------------------------------------------------------------
def read_services(text: str, source: str = "<input>") -> list[dict[str, Any]]:
    """Service objects of a `List`, a `ServiceList` or a multi-document stream (other kinds skipped),
    read within the limits of `shared_nlb.untrusted` (InvalidInput past one)."""
    try:
        untrusted.check_yaml(text, max_bytes=untrusted.MAX_IMPORT_BYTES)
        documents = list(yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    except untrusted.LimitExceeded as error:
        where = f"{source}:{error.line}" if error.line else source
        raise InvalidInput(f"{where}: {error.message}") from None
    except ValueError as error:  # a scalar its type refuses: a date such as 2024-13-01, an integer past 4300 digits
        raise UserError(f"{source}: not YAML: a value cannot be read: {show(str(error).partition(';')[0], 120)}") from None
    except yaml.YAMLError as error:
        raise UserError(f"{source}: not YAML: {' '.join(str(error).split())}") from None
    found = []
    for document in documents:
        if not isinstance(document, Mapping):
            continue
        items = document.get("items") if str(document.get("kind", "")).endswith("List") else [document]
        found += [item for item in items or [] if isinstance(item, Mapping) and item.get("kind", "Service") == "Service"]
    return found


# --- one Service ----------------------------------------------------------------------------------
def _controller(service: Mapping[str, Any], where: str, notes: list[str]) -> tuple[str, str] | None:
    """(controller, target type) of a LoadBalancer Service, or None when no AWS controller serves it."""
    annotations = service["metadata"].get("annotations") or {}
    spec = service.get("spec") or {}
    kind, lb_class = annotations.get(LB + "type"), spec.get("loadBalancerClass")
    if lb_class == AUTO_MODE_CLASS:
        # "The default targeting mode is IP Mode, not Instance Mode" (Amazon EKS User Guide, "Learn
        # about VPC Networking and Load Balancing in EKS Auto Mode", load balancing considerations).
        return AUTO_MODE, annotations.get(LB + "nlb-target-type", "ip")
    if lb_class is not None and lb_class != NLB_CLASS:
        notes.append(f"{where}: not imported: loadBalancerClass {show(lb_class)} is neither the AWS Load Balancer Controller's ({NLB_CLASS}) nor EKS Auto Mode's ({AUTO_MODE_CLASS})")
        return None
    if lb_class == NLB_CLASS or kind in ("external", "nlb-ip"):
        target = "ip" if kind == "nlb-ip" else annotations.get(LB + "nlb-target-type", "instance")
        return SELF_MANAGED, target
    if kind in (None, "nlb"):
        return "in-tree", "instance"  # the legacy controller registers nodes, never pods
    notes.append(f"{where}: not imported: aws-load-balancer-type {show(kind)} is not known (expected external, nlb-ip or nlb)")
    return None


def _scheme(annotations: Mapping[str, str], controller: str) -> str:
    scheme = annotations.get(LB + "scheme")
    if scheme in ("internal", "internet-facing"):
        return scheme
    if controller == AUTO_MODE:
        # Auto Mode reads no aws-load-balancer-internal; its NLB page has internet-facing asked for
        # with aws-load-balancer-scheme and states no default: internal, which exposes nothing more
        # (`_entries` says so in a note).
        return "internal"
    internal = str(annotations.get(LB + "internal", "")).strip().lower()
    if controller == SELF_MANAGED:
        # pkg/service/model_build_load_balancer.go (buildLoadBalancerSchemeLegacyAnnotation): "false"
        # means internet-facing; without either annotation the controller's default is internal.
        return "internet-facing" if internal in _GO_FALSE else "internal"
    # The in-tree controller: any value but "false" makes it internal; its default is internet-facing.
    return "internal" if internal and internal != "false" else "internet-facing"


def _health_check(annotations: Mapping[str, str], where: str, notes: list[str]) -> dict[str, Any]:
    """health_check fields from the healthcheck annotations; values the model refuses are reported.
    Fields left unset are not filled in here (see CONTROLLER_HEALTH_CHECK)."""
    raw: dict[str, Any] = {}
    for suffix, key in sorted(_HEALTH.items()):
        value = annotations.get(LB + suffix)
        if value is None:
            continue
        value = str(value).strip()
        if key == "protocol":
            raw[key] = value.upper()
        elif key == "port" and value != "traffic-port":
            raw[key] = int(value) if value.isdigit() else value
        elif key in ("interval_seconds", "timeout_seconds", "healthy_threshold", "unhealthy_threshold"):
            raw[key] = int(value) if value.isdigit() else value
        else:
            raw[key] = value
    # Drop what the model refuses, one field at a time, so the rest still carries over.
    while raw:
        try:
            check = HealthCheck.model_validate(raw)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            key = str(first["loc"][0])
            notes.append(f"{where}: health check {key} {show(raw.pop(key))} not carried over: {first['msg']}")
            continue
        problems = check.problems("health_check")
        if not problems:
            break
        path, message = problems[0]
        key = path.rsplit(".", 1)[1]
        notes.append(f"{where}: health check {key} {show(raw.pop(key))} not carried over: {message}")
    return raw


def _target_group_attributes(annotations: Mapping[str, str], where: str, notes: list[str]) -> dict[str, Any]:
    known = {"preserve_client_ip.enabled": "preserve_client_ip", "proxy_protocol_v2.enabled": "proxy_protocol_v2", "deregistration_delay.timeout_seconds": "deregistration_delay_seconds"}
    out: dict[str, Any] = {}
    for pair in filter(None, (p.strip() for p in str(annotations.get(LB + "target-group-attributes", "")).split(","))):
        key, _, value = pair.partition("=")
        if key.strip() not in known:
            notes.append(f"{where}: target group attribute {show(pair)} not carried over: shared-nlb has no setting for it")
        elif key.strip() == "deregistration_delay.timeout_seconds" and value.strip().isdigit():
            out[known[key.strip()]] = int(value)
        elif value.strip().lower() in ("true", "false"):
            out[known[key.strip()]] = value.strip().lower() == "true"
        else:
            notes.append(f"{where}: target group attribute {show(pair)} not carried over: value not understood")
    if annotations.get(LB + "proxy-protocol") == "*":
        out["proxy_protocol_v2"] = True
    return out


def _source_ranges(service: Mapping[str, Any], scheme: str, where: str, notes: list[str]) -> list[dict[str, Any]]:
    annotations = service["metadata"].get("annotations") or {}
    ranges = list((service.get("spec") or {}).get("loadBalancerSourceRanges") or [])
    if not ranges and annotations.get(ANN + "load-balancer-source-ranges"):
        ranges = [r.strip() for r in annotations[ANN + "load-balancer-source-ranges"].split(",") if r.strip()]
    clients = []
    for text in sorted(set(ranges)):
        try:
            cidr = ipaddress.ip_network(text, strict=False)
        except ValueError:
            notes.append(f"{where}: source range {show(text)} not carried over: not a CIDR")
            continue
        if cidr.prefixlen == 0 and scheme != "internet-facing":
            notes.append(f"{where}: source range {text} not carried over: an internal NLB cannot be opened to every address; the top-level clients apply")
            continue
        client: dict[str, Any] = {"cidr": cidr.with_prefixlen}
        if cidr.prefixlen == 0:
            client["allow_anywhere"] = True
        clients.append(client)
    return clients


def _auto_mode_annotations(annotations: Mapping[str, str], where: str, notes: list[str]) -> dict[str, str]:
    """The annotations EKS Auto Mode honours; each ignored one is reported, and a missing scheme."""
    for key in sorted(set(annotations) & set(_AUTO_MODE_IGNORES)):
        notes.append(f"{where}: annotation {key} not carried over: EKS Auto Mode ignores it ({_AUTO_MODE_IGNORES[key]}), so the old NLB never had it")
    if LB + "scheme" not in annotations:
        notes.append(f"{where}: no aws-load-balancer-scheme: taken as internal (EKS Auto Mode's NLB page states no default); check the old NLB's scheme")
    return {key: value for key, value in annotations.items() if key not in _AUTO_MODE_IGNORES}


def _entries(service: Mapping[str, Any], notes: list[str]) -> list[_Entry]:
    meta = service["metadata"]
    namespace, name = meta.get("namespace") or "default", meta["name"]
    where = f"{namespace}/{name}"
    if (service.get("spec") or {}).get("type") != "LoadBalancer":
        return []  # ClusterIP, NodePort, ExternalName: nothing to consolidate
    controller = _controller(service, where, notes)
    if controller is None:
        return []
    annotations = meta.get("annotations") or {}
    scheme = _scheme(annotations, controller[0])
    common: list[str] = [f"from Service {where} ({controller[0]}, {scheme}, {controller[1]} targets)"]
    if controller[1] == "instance":
        notes.append(f"{where}: had instance targets; the shared NLB registers pod IPs, so pods need VPC-routable IPs (Amazon VPC CNI)")
        common.append("was instance targets: the shared NLB targets pod IPs (needs VPC-routable pod IPs, Amazon VPC CNI)")
    if controller[0] == AUTO_MODE:
        annotations = _auto_mode_annotations(annotations, where, notes)
    for key in sorted(annotations):
        if key.startswith(LB) and key not in _HANDLED:
            why = _WHY.get(key[len(LB):], "shared-nlb has no equivalent")
            notes.append(f"{where}: annotation {key} not carried over: {why}")
    health = _health_check(annotations, where, notes)
    if controller[0] == SELF_MANAGED:
        defaulted = [key for key in CONTROLLER_HEALTH_CHECK if key not in health]
        health = {**CONTROLLER_HEALTH_CHECK, **health}  # the annotations win; keys keep one order
        if defaulted:
            which = "" if len(defaulted) == len(CONTROLLER_HEALTH_CHECK) else f" {', '.join(defaulted)}"
            common.append(f"health_check{which}: the AWS Load Balancer Controller's defaults, which the old NLB ran with (not AWS's)")
    attributes = _target_group_attributes(annotations, where, notes)
    # AWS keeps client IPs for instance targets and drops them for IP targets with TCP or TLS (target
    # group attribute preserve_client_ip.enabled): say it, or the move to pod IPs changes what pods see.
    keep_client_ip = controller[1] == "instance" and "preserve_client_ip" not in attributes
    clients = _source_ranges(service, scheme, where, notes)
    cert = str(annotations.get(LB + "ssl-cert", "")).split(",")
    ssl_ports = {p.strip() for p in str(annotations.get(LB + "ssl-ports", "*")).split(",")}
    quic_ports = {p.strip() for p in str(annotations.get(LB + "quic-enabled-ports", "")).split(",") if p.strip()}
    if len(cert) > 1:
        notes.append(f"{where}: certificates {', '.join(cert[1:])} not carried over: a shared-nlb listener takes one certificate")
    entries = []
    ports = [p for p in (service.get("spec") or {}).get("ports") or [] if isinstance(p, Mapping)]
    for port in sorted(ports, key=_port_order):
        protocol, number, port_name = port.get("protocol", "TCP"), port.get("port"), port.get("name")
        protocol = protocol if isinstance(protocol, str) else show(protocol)
        here = f"{where} port {show(number)}/{protocol}"
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 65535:
            notes.append(f"{here}: not carried over: the port is not a number from 1 to 65535")
            continue
        if protocol not in ("TCP", "UDP"):
            notes.append(f"{here}: not carried over: an NLB listener takes TCP, UDP, TCP_UDP or TLS, not {protocol}")
            continue
        entry = _Entry(namespace, name, number, port_name, protocol, scheme=scheme, comments=list(common), controller=controller[0], quic=bool({str(number), port_name} & quic_ports))
        target = port.get("targetPort", number)
        if isinstance(target, int):
            entry.fields["target_port"] = target
        else:
            entry.fields["target_port"] = f"REPLACE-ME pod port number of {show(target)}"
            notes.append(f"{here}: targetPort is the name {show(target)}: fill in target_port with the pod's port number")
            entry.comments.append(f"REPLACE target_port: the container port number named {show(target)}")
        if cert[0] and protocol == "TCP" and ("*" in ssl_ports or str(number) in ssl_ports or port_name in ssl_ports):
            entry.protocol = "TLS"
            entry.fields["certificate_arn"] = cert[0].strip()
            for key, out in (("ssl-negotiation-policy", "ssl_policy"), ("alpn-policy", "alpn_policy")):
                if annotations.get(LB + key):
                    entry.fields[out] = annotations[LB + key]
        if health:
            entry.fields["health_check"] = dict(health)
        entry.fields.update(attributes)
        if keep_client_ip and protocol == "TCP":
            entry.fields["preserve_client_ip"] = True
            entry.comments.append("preserve_client_ip: true as with instance targets (AWS turns it off for IP targets with TCP/TLS); pods keep seeing client addresses")
            notes.append(f"{where}: preserve_client_ip: true carried over from instance targets (AWS's default for IP targets with TCP/TLS is off); set it to false if the pods should see the NLB's addresses")
        if clients:
            entry.fields["clients"] = list(clients)
            entry.comments.append("clients: the Service's loadBalancerSourceRanges (replace the top-level clients for it)")
        entries.append(entry)
    return _quic(_merge_tcp_udp(entries, where, notes), where, notes)


def _port_order(port: Mapping[str, Any]) -> tuple[Any, ...]:
    """Ports by number, then protocol; a port that is not a number (refused) after them, as written."""
    number, protocol = port.get("port", 0), str(port.get("protocol", "TCP"))
    return (0, number, protocol) if isinstance(number, int) else (1, show(number), protocol)


def _merge_tcp_udp(entries: list[_Entry], where: str, notes: list[str]) -> list[_Entry]:
    """A TCP and a UDP port of one Service with the same number and target (CoreDNS's 53) become one
    TCP_UDP entry: AWS keys NLB listeners by port alone ("Listeners for your Network Load Balancers":
    to support both TCP and UDP on the same port, create a TCP_UDP listener)."""
    out: list[_Entry] = []
    for entry in entries:
        twin = next((e for e in out if e.port == entry.port and {e.protocol, entry.protocol} == {"TCP", "UDP"}), None)
        if twin is None or twin.fields.get("target_port") != entry.fields.get("target_port"):
            out.append(entry)
            continue
        twin.protocol, twin.port_name, twin.quic = "TCP_UDP", None, twin.quic or entry.quic
        # Client IP preservation cannot be turned off for TCP_UDP target groups (TargetGroupAttribute
        # reference, preserve_client_ip.enabled).
        if twin.fields.get("preserve_client_ip") is False:
            del twin.fields["preserve_client_ip"]
            notes.append(f"{where} port {entry.port}: preserve_client_ip false not carried over: AWS keeps client IPs for TCP_UDP target groups")
        twin.comments.append(f"ports {entry.port}/TCP and {entry.port}/UDP merged into one TCP_UDP listener (AWS keys NLB listeners by port)")
        notes.append(f"{where} ports {entry.port}/TCP and {entry.port}/UDP: merged into one TCP_UDP listener")
    return out


def _quic(entries: list[_Entry], where: str, notes: list[str]) -> list[_Entry]:
    """A port the Service lists in aws-load-balancer-quic-enabled-ports (by number or name) is upgraded
    as the controller upgrades it: UDP to QUIC, TCP_UDP to TCP_QUIC, anything else refused by the
    controller ("Unsupported QUIC upgrade", kubernetes-sigs/aws-load-balancer-controller
    pkg/service/model_build_listener.go, buildListenerSpec), so carried over as it is, with a note."""
    for entry in entries:
        if not entry.quic:
            continue
        upgraded = {"UDP": "QUIC", "TCP_UDP": "TCP_QUIC"}.get(entry.protocol)
        if upgraded is None:
            notes.append(f"{where} port {entry.port}/{entry.protocol}: QUIC not carried over: the controller upgrades only UDP and TCP_UDP ports to QUIC (it refused this Service)")
            continue
        entry.protocol = upgraded
        entry.comments.append(f"{upgraded}: the port is in aws-load-balancer-quic-enabled-ports")
    return entries


# --- the whole import -----------------------------------------------------------------------------
def _names(entries: Sequence[_Entry]) -> list[str]:
    """A unique DNS label per entry: the Service name, plus the port name or number when it has several
    ports, plus the namespace when two namespaces share a name; a digest settles what remains."""
    ports_of: dict[tuple[str, str], int] = {}
    for e in entries:
        ports_of[(e.namespace, e.service)] = ports_of.get((e.namespace, e.service), 0) + 1
    bases = []
    for e in entries:
        base = e.service
        if ports_of[(e.namespace, e.service)] > 1:
            base += f"-{e.port_name or e.port}" + (f"-{e.protocol.lower()}" if not e.port_name else "")
        bases.append(base)
    counts = {b: bases.count(b) for b in bases}
    names = [f"{e.namespace}-{b}" if counts[b] > 1 else b for e, b in zip(entries, bases)]
    out, seen_ids = [], set()
    for e, candidate in zip(entries, names):
        if candidate[0].isdigit():
            candidate = f"svc-{candidate}"
        if len(candidate) > 63 or naming.pascal(candidate) in seen_ids:
            digest = hashlib.sha256(f"{e.namespace}/{e.service}/{e.port}/{e.protocol}".encode()).hexdigest()[:6]
            candidate = f"{candidate[:56].rstrip('-')}-{digest}"
        seen_ids.add(naming.pascal(candidate))
        out.append(candidate)
    return out


def _listener_ports(entries: Sequence[_Entry], names: Sequence[str], notes: list[str]) -> list[int | None]:
    """The Service's port where free, else the next free one above it (reported); None when none is free."""
    # One port space per NLB: AWS keys listeners by port, whatever the protocol (see _merge_tcp_udp).
    taken: dict[int, str] = {}
    out: list[int | None] = []
    for entry, name in zip(entries, names):
        port = entry.port
        while port <= 65535 and port in taken:
            port += 1
        where = f"{entry.namespace}/{entry.service} port {entry.port}/{entry.protocol}"
        if port > 65535:
            notes.append(f"{where}: not carried over: listener port {entry.port} is taken and no higher port is free")
            out.append(None)
            continue
        if port != entry.port:
            holder = taken[entry.port]
            notes.append(f"{where}: listener port {entry.port} is already used by {holder!r}; given {port}: its clients must connect to {port}")
            entry.comments.append(f"listener_port moved from {entry.port} (used by {holder!r}): clients must use {port}")
        taken[port] = name
        out.append(port)
    return out


def _choose_scheme(entries: list[_Entry], notes: list[str]) -> tuple[str, list[_Entry]]:
    """One NLB has one scheme: internal unless every Service was internet-facing. When they disagree,
    one note says so and names the internet-facing Services left out."""
    schemes = {e.scheme for e in entries}
    if schemes == {"internet-facing"}:
        notes.append("every imported Service was internet-facing, so load_balancer.scheme is internet-facing: check the clients")
        return "internet-facing", entries
    public = sorted({f"{e.namespace}/{e.service}" for e in entries if e.scheme == "internet-facing"})
    if public:
        # Per-port advice (fill in target_port...) about a Service left out would only mislead.
        notes[:] = [n for n in notes if not any(n.startswith(f"{where} port ") for where in public)]
        internal = len({(e.namespace, e.service) for e in entries if e.scheme == "internal"})
        notes.append(
            f"scheme: the Services disagree ({internal} internal, {len(public)} internet-facing), and one NLB has one scheme: "
            f"load_balancer.scheme is internal and {', '.join(public)} not carried over; import them into a second config with load_balancer.scheme: internet-facing"
        )
    return "internal", [e for e in entries if e.scheme == "internal"]


def import_services(
    text: str,
    *,
    source: str = "<input>",
    name: str = "imported",
    vpc_id: str | None = None,
    vpc_cidr: str | None = None,
    subnet_ids: Sequence[str] = (),
    client_sgs: Sequence[str] = (),
    client_cidrs: Sequence[str] = (),
) -> ImportResult:
    """Build the config for every AWS-controller LoadBalancer Service port in `text`."""
    notes: list[str] = []
    services = sorted(_named(read_services(text, source), notes), key=lambda s: (s["metadata"].get("namespace") or "default", s["metadata"]["name"]))
    entries = [e for s in services for e in _entries(s, notes)]
    if not entries:
        raise UserError(f"{source}: no LoadBalancer Service port that an AWS controller serves was found; nothing to import")
    scheme, entries = _choose_scheme(entries, notes)
    entries.sort(key=lambda e: (e.namespace, e.service, e.port, e.protocol))
    if len(entries) > MAX_LISTENERS_PER_NLB:
        for e in entries[MAX_LISTENERS_PER_NLB:]:
            notes.append(f"{e.namespace}/{e.service} port {e.port}/{e.protocol}: not carried over: an NLB has at most {MAX_LISTENERS_PER_NLB} listeners; put it in a second config")
        entries = entries[:MAX_LISTENERS_PER_NLB]
    names = _names(entries)
    listener_ports = _listener_ports(entries, names, notes)
    kept = [(e, n, p) for e, n, p in zip(entries, names, listener_ports) if p is not None]

    placeholders: list[str] = []
    network = {
        "vpc_id": vpc_id or _placeholder(placeholders, "network.vpc_id", VPC_PLACEHOLDER),
        "vpc_cidr": vpc_cidr or _placeholder(placeholders, "network.vpc_cidr", CIDR_PLACEHOLDER),
        "subnet_ids": list(subnet_ids) or [_placeholder(placeholders, "network.subnet_ids", SUBNET_PLACEHOLDER)],
    }
    clients = [{"security_group": sg} for sg in client_sgs] + [{"cidr": c} for c in client_cidrs]
    if not clients:
        clients = [{"security_group": _placeholder(placeholders, "clients", SG_PLACEHOLDER)}]
    data: dict[str, Any] = {"version": 1, "name": name, "network": network, "load_balancer": {"scheme": scheme}, "clients": clients, "services": []}
    if any(entry.protocol in ("QUIC", "TCP_QUIC") for entry, _, _ in kept):
        # AWS refuses QUIC and TCP_QUIC listeners on an NLB with security groups ("Create a listener for
        # your Network Load Balancer", prerequisites), as the controller's old NLB had none (disable-nlb-sg).
        data["load_balancer"]["security_group"] = False
        notes.append("load_balancer.security_group: false, as QUIC listeners need an NLB without a security group; the pods' own rules then admit the clients (docs/manifests.md, \"QUIC and TCP_QUIC services\")")
    controllers = {entry.controller for entry, _, _ in kept}
    if controllers == {AUTO_MODE}:
        # The bindings must be Auto Mode's, and its template rule needs the nodes' group (docs/clusters.md).
        data = {**data, "clusters": [{"name": "auto-mode", "controller": AUTO_MODE, "node_security_group": _placeholder(placeholders, "clusters[0].node_security_group", NODES_PLACEHOLDER)}]}
        data["services"] = data.pop("services")
    elif AUTO_MODE in controllers:
        notes.append(f"Services of both EKS Auto Mode and the AWS Load Balancer Controller: the bindings are written for the AWS Load Balancer Controller, which must then run in the cluster; list clusters: with controller: {AUTO_MODE} to write Auto Mode's instead")
    for entry, service_name, listener_port in kept:
        item = {"name": service_name, "namespace": entry.namespace, "service": entry.service, "service_port": entry.port, "listener_port": listener_port, "protocol": entry.protocol}
        data["services"].append({**item, **entry.fields})
    notes = sorted({untrusted.one_line(note) for note in notes})  # text from the file stays on its line
    patches = _patch_commands(kept, services)
    body = _render(data, kept, notes, placeholders, patches)
    return ImportResult(text=body, data=data, notes=tuple(notes), patch_commands=tuple(patches), placeholders=tuple(placeholders))


def _named(services: Iterable[Mapping[str, Any]], notes: list[str]) -> list[Mapping[str, Any]]:
    """The Services whose name and namespace Kubernetes would accept: a Service name is an RFC 1035
    label and a namespace an RFC 1123 label (Kubernetes "Object Names and IDs"; apimachinery
    ValidateServiceName, ValidateNamespaceName). Others are reported, not imported: the names go into
    the config, its comments and the printed commands."""
    named = []
    for service in services:
        meta = service.get("metadata")
        if not isinstance(meta, Mapping) or not meta.get("name"):
            continue
        namespace, name = meta.get("namespace") or "default", meta["name"]
        if naming.is_dns_label(name) and isinstance(namespace, str) and re.fullmatch(_DNS1123, namespace):
            named.append(service)
        else:
            notes.append(
                f"Service {show(namespace)}/{show(name)}: not imported: not a Kubernetes Service name and namespace; "
                "allowed: a name of 1-63 lowercase letters, digits and '-' starting with a letter, in a namespace of the same characters"
            )
    return named


def _placeholder(found: list[str], path: str, value: str) -> str:
    found.append(path)
    return value


def _patch_commands(kept: Iterable[tuple[_Entry, str, int]], services: Sequence[Mapping[str, Any]]) -> list[str]:
    """One `kubectl patch` per imported Service; a Service that keeps ports outside the config says so,
    because the patch takes their load balancer away too."""
    moved: dict[tuple[str, str], set[tuple[int, str]]] = {}
    for entry, _, _ in kept:
        # The Service port's own protocol: the listener's port space (a TLS listener came from a TCP port).
        ports = {(entry.port, space.upper()) for space in PORT_SPACES[entry.protocol]}
        moved.setdefault((entry.namespace, entry.service), set()).update(ports)
    patch = json.dumps({"spec": {"type": "ClusterIP"}}, separators=(",", ":"))
    lines = []
    for service in services:
        key = (service["metadata"].get("namespace") or "default", service["metadata"].get("name"))
        if key not in moved:
            continue
        left: set[tuple[Any, ...]] = set()
        for port in (service.get("spec") or {}).get("ports") or []:
            number, protocol = (port.get("port"), port.get("protocol", "TCP")) if isinstance(port, Mapping) else (port, "")
            if isinstance(number, int) and isinstance(protocol, str):
                left.add((0, number, protocol))  # in port order, as the Service lists them
            else:  # a port the import refused: named as the file has it, after the others
                left.add((1, show(number), show(protocol)))
        left -= {(0, number, protocol) for number, protocol in moved[key]}
        text = ", ".join(f"{number}/{protocol}" for _, number, protocol in sorted(left))
        warning = untrusted.one_line(f"  # also ends the load balancer of {text}, not carried over") if text else ""
        # Quoted for the shell, though _named let only DNS labels through: these lines are pasted into one.
        lines.append(f"kubectl patch svc {shlex.quote(key[1])} -n {shlex.quote(key[0])} -p {shlex.quote(patch)}{warning}")
    return lines


PATCH_NOTE = (
    "Run these only once clients use the shared NLB's DNS name: the controller deletes the old load balancer at once. "
    "Then remove spec.type: LoadBalancer, spec.loadBalancerClass, spec.loadBalancerSourceRanges, spec.externalTrafficPolicy "
    "and the service.beta.kubernetes.io/aws-load-balancer-* annotations from each Service's source (chart values, Git), "
    "or the next sync makes it a LoadBalancer again; older API servers may also want nodePort and externalTrafficPolicy "
    "cleared in the same patch."
)


def _render(data: dict[str, Any], kept: Sequence[tuple[_Entry, str, int]], notes: Sequence[str], placeholders: Sequence[str], patches: Sequence[str]) -> str:
    lines = ["# shared-nlb config imported by `shared-nlb import-services`; review it, then `shared-nlb validate` it."]
    if placeholders:
        lines.append(f"# REPLACE the placeholder values of: {', '.join(placeholders)}.")
    if notes:
        lines.append("# Not carried over, or to check:")
        lines += [f"#   - {note}" for note in notes]
    head = {k: v for k, v in data.items() if k != "services"}
    hints = {VPC_PLACEHOLDER: "the VPC's ID (--vpc-id)", CIDR_PLACEHOLDER: "the VPC's CIDR (--vpc-cidr)", SUBNET_PLACEHOLDER: "the NLB's subnets, one per AZ (--subnet-id)", SG_PLACEHOLDER: "who may connect: security_group, cidr or prefix_list (--client-sg, --client-cidr)", NODES_PLACEHOLDER: "the Auto Mode nodes' security group (the NodeClass's, by default eks-cluster-sg-*)"}
    for line in yaml.safe_dump(head, sort_keys=False, default_flow_style=False).rstrip().splitlines():
        hint = next((h for value, h in hints.items() if line.endswith(value)), None)
        lines.append(f"{line}  # REPLACE: {hint}" if hint else line)
    lines.append("services:")
    for (entry, _, _), item in zip(kept, data["services"]):
        lines += [f"  # {untrusted.one_line(comment)}" for comment in entry.comments]
        block = yaml.safe_dump([item], sort_keys=False, default_flow_style=False).rstrip()
        lines += [f"  {line}" for line in block.splitlines()]
    lines.append("# After the switch, make the old Services plain ClusterIP Services:")
    lines += [f"#   {command}" for command in patches]
    lines += [f"# {part}" for part in textwrap.wrap(PATCH_NOTE, 100, break_long_words=False, break_on_hyphens=False)]
    return "\n".join(lines) + "\n"

