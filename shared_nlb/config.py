"""The `shared-nlb.yaml` model: the whole format, every default and every rule, in one module.

Loading reports every problem of a file at once, one line each, in the form
`<file>:<line>: <field path>: <what is wrong>; <what is allowed>`. Field checks (types, ranges, formats,
unknown keys) run in pydantic; rules that relate fields (TLS needs a certificate, listener ports are
unique, quotas) run in the `problems()` methods, in the style of aws-cdk's `validate(): string[]`, so a
field error never hides a rule error elsewhere. Nothing here imports aws-cdk: `validate` never starts
jsii.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError
from pydantic_core import PydanticCustomError

from shared_nlb import naming

# --- AWS and Kubernetes limits, each with where it comes from -------------------------------------
MAX_LISTENERS_PER_NLB = 50  # ELB quota "Listeners per Network Load Balancer"
MAX_RULES_PER_SECURITY_GROUP = 60  # VPC quota "Inbound or outbound rules per security group"
MAX_LOAD_BALANCER_NAME = 32  # ELBv2 CreateLoadBalancer Name
MAX_STACK_NAME = 128  # CloudFormation CreateStack StackName
TLS_DEFAULT_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"  # the AWS-recommended TLS 1.3 policy

Protocol = Literal["TCP", "UDP", "TCP_UDP", "TLS"]
_PROTOCOLS: tuple[str, ...] = ("TCP", "UDP", "TCP_UDP", "TLS")
# Which port spaces a listener occupies: TCP and TLS share the TCP space, TCP_UDP takes both.
PORT_SPACES: dict[str, tuple[str, ...]] = {"TCP": ("tcp",), "TLS": ("tcp",), "UDP": ("udp",), "TCP_UDP": ("tcp", "udp")}


# --- scalar checks: each raises one PydanticCustomError whose text is the whole message ---------------
def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("shared_nlb", message)


def _show(value: Any) -> str:
    """A value as the user wrote it, cut short: an error line stays one readable line."""
    text = repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _integer(lo: int, hi: int, what: str = "") -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(f"{_show(value)} is not an integer; allowed: {lo}-{hi}{what}")
        if not lo <= value <= hi:
            raise _fail(f"{value} is out of range; allowed: {lo}-{hi}{what}")
        return value

    return check


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(f"{_show(value)} is not a boolean; allowed: true, false")
    return value


def _one_of(*allowed: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in allowed:
            hint = ""
            if isinstance(value, str):
                close = [a for a in allowed if a.lower() == value.lower()] or difflib.get_close_matches(value, allowed, 1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise _fail(f"{_show(value)} is not allowed; allowed: {', '.join(allowed)}{hint}")
        return value

    return check


def _pattern(regex: str, allowed: str) -> Callable[[Any], str]:
    compiled = re.compile(regex)

    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise _fail(f"{_show(value)} is not a string; allowed: {allowed}")
        if not compiled.fullmatch(value):
            raise _fail(f"{value!r} is not valid; allowed: {allowed}")
        return value

    return check


_DNS1035 = r"[a-z]([-a-z0-9]{0,61}[a-z0-9])?"
_DNS1123 = r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"
_DNS1035_TEXT = "a DNS label: 1-63 lowercase letters, digits and '-', starting with a letter, not ending with '-'"
_DNS1123_TEXT = "a DNS label: 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit"
# IANA service name, as Kubernetes checks port names (IsValidPortName).
_PORT_NAME = re.compile(r"(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?")
_PORT_TEXT = "1-65535, or a port name (1-15 lowercase letters, digits and '-', at least one letter)"


def aws_id_pattern(prefix: str) -> str:
    """`vpc-`, `subnet-`, `sg-`, `pl-` IDs as EC2 issues them: the prefix and 8 or 17 hexadecimal
    digits. EC2 rejects anything else (InvalidGroupId.Malformed ...) minutes into a deploy, and so
    does cfn-lint (E1150); DESIGN.md's illustrative `sg-0ecs0000000000001` is such an ID."""
    return rf"{prefix}-([0-9a-f]{{8}}|[0-9a-f]{{17}})"


def _aws_id(prefix: str) -> Callable[[Any], str]:
    return _pattern(aws_id_pattern(prefix), f"'{prefix}-' and 8 or 17 hexadecimal digits (0-9, a-f), as EC2 issues them")


def _service_port(value: Any) -> int | str:
    if isinstance(value, str):
        if _PORT_NAME.fullmatch(value):
            return value
        raise _fail(f"{value!r} is not a valid port; allowed: {_PORT_TEXT}")
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise _fail(f"{_show(value)} is not a valid port; allowed: {_PORT_TEXT}")
    return value


def _health_check_port(value: Any) -> int | str:
    if value == "traffic-port":
        return value
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise _fail(f"{_show(value)} is not a valid health check port; allowed: 1-65535 or 'traffic-port'")
    return value


def _network(*, versions: tuple[int, ...], what: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise _fail(f"{_show(value)} is not a CIDR string; allowed: {what}")
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise _fail(f"{value!r} is not a valid CIDR; allowed: {what}") from None
        if "/" not in value:
            raise _fail(f"{value!r} has no prefix length; write it as {network.with_prefixlen!r}")
        if network.version not in versions:
            raise _fail(f"{value!r} is IPv{network.version}; allowed: {what}")
        if network.network_address != ipaddress.ip_address(value.split("/")[0]):
            raise _fail(f"{value!r} has host bits set; did you mean {network.with_prefixlen!r}?")
        return network.with_prefixlen

    return check


def _vpc_cidr(value: Any) -> str:
    cidr = _network(versions=(4,), what="an IPv4 CIDR with a prefix of /16 to /28")(value)
    prefix = ipaddress.ip_network(cidr).prefixlen
    if not 16 <= prefix <= 28:
        raise _fail(f"{cidr!r} has prefix /{prefix}; allowed: /16 to /28, as VPC CIDR blocks are")
    return cidr


def _version(value: Any) -> int:
    if value != 1 or isinstance(value, bool):
        raise _fail(f"{_show(value)} is not a known format version; allowed: 1")
    return 1


def _account(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        raise _fail(f"{value} is a number; write the account ID quoted, as a string of 12 digits: \"{value:012d}\"")
    return _pattern(r"\d{12}", "a quoted string of 12 digits")(value)


def _tags(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise _fail(f"{_show(value)} is not a mapping; allowed: key: value pairs of strings")
    for key, item in value.items():
        if not isinstance(key, str) or not 1 <= len(key) <= 128 or key.startswith("aws:"):
            raise _fail(f"tag key {_show(key)} is not valid; allowed: 1-128 characters, not starting with 'aws:'")
        if not isinstance(item, str) or len(item) > 256:
            raise _fail(f"tag {key!r} has value {_show(item)}; allowed: a string of at most 256 characters (quote numbers)")
    return dict(sorted(value.items()))


Port = Annotated[int, PlainValidator(_integer(1, 65535))]
DnsName1035 = Annotated[str, PlainValidator(_pattern(_DNS1035, _DNS1035_TEXT))]
DnsName1123 = Annotated[str, PlainValidator(_pattern(_DNS1123, _DNS1123_TEXT))]
Bool = Annotated[bool, PlainValidator(_boolean)]
VpcId = Annotated[str, PlainValidator(_aws_id("vpc"))]
SubnetId = Annotated[str, PlainValidator(_aws_id("subnet"))]
SecurityGroupId = Annotated[str, PlainValidator(_aws_id("sg"))]
PrefixListId = Annotated[str, PlainValidator(_aws_id("pl"))]
ClientCidr = Annotated[str, PlainValidator(_network(versions=(4, 6), what="an IPv4 or IPv6 CIDR such as 10.20.0.0/16"))]
ProtocolField = Annotated[str, PlainValidator(_one_of(*_PROTOCOLS))]
HealthProtocol = Annotated[str, PlainValidator(_one_of("TCP", "HTTP", "HTTPS"))]
CertificateArn = Annotated[
    str,
    PlainValidator(
        _pattern(
            r"arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]{36}",
            "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>)",
        )
    ),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StackSettings(_Model):
    """`stack:`: how the CloudFormation stack is named, placed and tagged. All optional."""

    name: Annotated[
        str | None,
        PlainValidator(_pattern(r"[A-Za-z][A-Za-z0-9-]*", "a stack name: a letter, then letters, digits and '-'")),
    ] = None
    "Stack name; default `shared-nlb-<name>`."
    account: Annotated[str | None, PlainValidator(_account)] = None
    "AWS account ID; default: environment-agnostic (the CLI's credentials decide)."
    region: Annotated[
        str | None, PlainValidator(_pattern(r"[a-z]{2}(-[a-z]+)+-\d", "an AWS region such as ap-northeast-2"))
    ] = None
    "AWS region; default: environment-agnostic."
    export_outputs: Bool = False
    "Export every output as `<stack>-<OutputKey>` for other stacks' `Fn::ImportValue`. Default: false."
    tags: Annotated[dict[str, str], PlainValidator(_tags)] = Field(default_factory=dict)
    "Tags on the stack and every resource that takes tags. Default: none."


class Network(_Model):
    """`network:`: the existing VPC the NLB lives in (imported by ID, no context lookup)."""

    vpc_id: VpcId
    "ID of the existing VPC (vpc-...)."
    vpc_cidr: Annotated[str, PlainValidator(_vpc_cidr)]
    "The VPC's CIDR: the NLB's egress is limited to it, on target ports only."
    subnet_ids: Annotated[list[SubnetId], Field(min_length=1)]
    "Subnets of the NLB, at most one per Availability Zone."


class AccessLogs(_Model):
    """`load_balancer.access_logs:`: where the NLB writes TLS access logs."""

    bucket: Annotated[
        str, PlainValidator(_pattern(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", "an S3 bucket name (3-63 lowercase letters, digits, '.', '-')"))
    ]
    prefix: Annotated[str | None, PlainValidator(_pattern(r"[^/](.*[^/])?", "a key prefix not starting or ending with '/'"))] = None
    "Key prefix inside the bucket; default: none."


class LoadBalancerSettings(_Model):
    """`load_balancer:`: the NLB itself. All optional; every default is the safe one."""

    name: Annotated[str | None, PlainValidator(_pattern(r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?", "letters, digits and '-', not starting or ending with '-'"))] = None
    "NLB name; default `shared-nlb-<name>`. At most 32 characters, not starting with `internal-`."
    scheme: Annotated[str, PlainValidator(_one_of("internal", "internet-facing"))] = "internal"
    "`internal` unless `internet-facing` is written here."
    ip_address_type: Annotated[str, PlainValidator(_one_of("ipv4", "dualstack"))] = "ipv4"
    "Addresses of the NLB (`dualstack` adds IPv6 listeners). Target groups stay IPv4, so the bindings' `ipAddressType` is always ipv4. Default: ipv4."
    cross_zone: Bool = False
    "Cross-zone load balancing; default false, the AWS default (no inter-AZ data charges)."
    deletion_protection: Bool = True
    "Default true: deleting the stack or replacing the NLB fails until this is set to false and deployed."
    access_logs: AccessLogs | None = None
    "Default: off (NLB access logs cover TLS listeners only)."


# Public client CIDRs wider than these are treated like 0.0.0.0/0: an internal service has no business
# admitting a sixteenth of the IPv4 internet, and such a range is almost always a typo.
WIDE_IPV4_PREFIX = 8
WIDE_IPV6_PREFIX = 16


def _is_wide(cidr: str) -> bool:
    network = ipaddress.ip_network(cidr)
    if network.prefixlen == 0:
        return True
    # Private ranges (fd00::/8, ...) cannot admit the internet, however wide.
    return network.prefixlen < (WIDE_IPV4_PREFIX if network.version == 4 else WIDE_IPV6_PREFIX) and not network.is_private


class Client(_Model):
    """One source allowed to reach the listeners: exactly one of security_group, cidr, prefix_list."""

    security_group: SecurityGroupId | None = None
    cidr: ClientCidr | None = None
    prefix_list: PrefixListId | None = None
    description: Annotated[str | None, PlainValidator(_pattern(r"[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]{1,255}", "up to 255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"))] = None
    "Text for the security group rules; default: derived from the source."
    allow_anywhere: Bool = False
    "Must be true for a CIDR wider than /8 (IPv4) or /16 (IPv6), 0.0.0.0/0 and ::/0 included; only an internet-facing NLB may have it."

    @property
    def key(self) -> str:
        return naming.client_key(security_group=self.security_group, cidr=self.cidr, prefix_list=self.prefix_list)

    @property
    def source(self) -> str:
        return self.security_group or self.cidr or self.prefix_list or ""

    def problems(self, path: str, scheme: str) -> list[tuple[str, str]]:
        given = [k for k in ("security_group", "cidr", "prefix_list") if getattr(self, k)]
        if len(given) != 1:
            what = "none" if not given else " and ".join(given)
            return [(path, f"has {what}; allowed: exactly one of security_group, cidr, prefix_list")]
        if self.cidr and _is_wide(self.cidr):
            reach = "every address" if self.cidr.endswith("/0") else "a large part of the internet"
            if scheme != "internet-facing":
                return [(f"{path}.cidr", f"{self.cidr} opens the listeners to {reach}; allowed only with load_balancer.scheme: internet-facing and allow_anywhere: true on this client")]
            if not self.allow_anywhere:
                return [(f"{path}.cidr", f"{self.cidr} opens the listeners to {reach}; to ask for it, add allow_anywhere: true to this client")]
        elif self.allow_anywhere:
            return [(f"{path}.allow_anywhere", f"is only for CIDRs wider than /{WIDE_IPV4_PREFIX} (IPv4) or /{WIDE_IPV6_PREFIX} (IPv6), such as 0.0.0.0/0; remove it")]
        return []


class HealthCheck(_Model):
    """`health_check:` of a service. Unset numbers take the AWS defaults for NLB target groups."""

    protocol: HealthProtocol = "TCP"
    "TCP, HTTP or HTTPS (UDP services must use one of these too). Default: TCP."
    port: Annotated[int | str, PlainValidator(_health_check_port)] = "traffic-port"
    "Default: `traffic-port`, the target port. Another port gets its own NLB egress rule."
    path: Annotated[str | None, PlainValidator(_pattern(r"/[\x21-\x7e]{0,1023}", "a path starting with '/', up to 1024 characters"))] = None
    "HTTP(S) only; default `/`."
    interval_seconds: Annotated[int | None, PlainValidator(_integer(5, 300, " seconds"))] = None
    "5-300; default 30 (AWS)."
    timeout_seconds: Annotated[int | None, PlainValidator(_integer(2, 120, " seconds"))] = None
    "2-120, less than the interval; default 10 for TCP and 6 for HTTP(S) (AWS)."
    healthy_threshold: Annotated[int | None, PlainValidator(_integer(2, 10))] = None
    "2-10; default 5 (AWS)."
    unhealthy_threshold: Annotated[int | None, PlainValidator(_integer(2, 10))] = None
    "2-10; default 2 (AWS)."
    success_codes: Annotated[str | None, PlainValidator(_pattern(r"[2-5]\d\d(-[2-5]\d\d)?", "an HTTP code or range from 200 to 599, such as 200-399"))] = None
    "HTTP(S) only; default 200-399 (AWS)."

    def problems(self, path: str) -> list[tuple[str, str]]:
        found = []
        if self.protocol == "TCP":
            for key in ("path", "success_codes"):
                if getattr(self, key) is not None:
                    found.append((f"{path}.{key}", f"is only for HTTP and HTTPS health checks, this one is TCP; remove it or set protocol: HTTP"))
        if self.timeout_seconds is not None and self.timeout_seconds >= (self.interval_seconds or 30):
            found.append((f"{path}.timeout_seconds", f"{self.timeout_seconds} must be less than interval_seconds ({self.interval_seconds or 30})"))
        return found


class Service(_Model):
    """One in-cluster service behind one listener of the shared NLB."""

    name: DnsName1035
    "Unique DNS label: logical IDs, output keys and manifest names derive from it."
    namespace: DnsName1123 = "default"
    "Kubernetes namespace of the Service and of its TargetGroupBinding. Default: default."
    service: DnsName1035 | None = None
    "Kubernetes Service name. Default: `name`."
    service_port: Annotated[int | str, PlainValidator(_service_port)]
    "The Service's port, a number or a port name."
    target_port: Port | None = None
    "The pod port the NLB reaches. Default: service_port when that is a number; required otherwise."
    listener_port: Port
    "The NLB listener's port, 1-65535, unique per protocol (TCP and TLS share one space, TCP_UDP takes both)."
    protocol: ProtocolField = "TCP"
    "TCP, UDP, TCP_UDP or TLS (TLS terminates at the NLB; targets get TCP). Default: TCP."
    health_check: HealthCheck = Field(default_factory=HealthCheck)
    deregistration_delay_seconds: Annotated[int | None, PlainValidator(_integer(0, 3600, " seconds"))] = None
    "0-3600; default 300 (AWS)."
    preserve_client_ip: Bool | None = None
    "Default: the AWS default (off for TCP/TLS with IP targets, on for UDP/TCP_UDP)."
    proxy_protocol_v2: Bool | None = None
    "Default: off (AWS)."
    certificate_arn: CertificateArn | None = None
    "TLS only, required there."
    ssl_policy: Annotated[str | None, PlainValidator(_pattern(r"ELBSecurityPolicy-[A-Za-z0-9-]+", "an ELB security policy name such as ELBSecurityPolicy-TLS13-1-2-2021-06"))] = None
    f"TLS only; default {TLS_DEFAULT_POLICY}."
    alpn_policy: Annotated[str | None, PlainValidator(_one_of("HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred", "None"))] = None
    "TLS only; default: none."
    clients: list[Client] | None = None
    "Replaces the top-level clients for this service. Default: the top-level list."

    @property
    def k8s_service(self) -> str:
        return self.service or self.name

    @property
    def pod_port(self) -> int:
        """The target port (validated: present whenever service_port is a name)."""
        if self.target_port is not None:
            return self.target_port
        assert isinstance(self.service_port, int)
        return self.service_port

    @property
    def port_spaces(self) -> tuple[str, ...]:
        return PORT_SPACES[self.protocol]

    @property
    def target_protocol(self) -> str:
        return "TCP" if self.protocol == "TLS" else self.protocol

    @property
    def health_check_port(self) -> int:
        return self.pod_port if self.health_check.port == "traffic-port" else int(self.health_check.port)

    def target_rules(self) -> list[tuple[str, int]]:
        """(protocol, port) the NLB must reach on the pods: the target port in each port space, and
        the health check port over TCP (health checks are TCP, HTTP or HTTPS, UDP services' too).
        The stack's egress rules and the bindings' `networking.ingress` both come from here."""
        if isinstance(self.service_port, str) and self.target_port is None:
            return []  # reported by Service.problems; no port to open
        rules = {(space, self.pod_port) for space in self.port_spaces}
        rules.add(("tcp", self.health_check_port))
        return sorted(rules)

    def problems(self, path: str) -> list[tuple[str, str]]:
        found = self.health_check.problems(f"{path}.health_check")
        if isinstance(self.service_port, str) and self.target_port is None:
            found.append((f"{path}.target_port", f"required when service_port is a port name ({self.service_port!r}); give the pod's port number"))
        if self.protocol == "TLS":
            if self.certificate_arn is None:
                found.append((f"{path}.certificate_arn", "required for protocol TLS; allowed: an ACM certificate ARN"))
        else:
            for key in ("certificate_arn", "ssl_policy", "alpn_policy"):
                if getattr(self, key) is not None:
                    found.append((f"{path}.{key}", f"is only for protocol TLS, this service is {self.protocol}; remove it or set protocol: TLS"))
        if self.clients is not None and not self.clients:
            found.append((f"{path}.clients", "is empty, so nobody could connect; list at least one client or remove the key to use the top-level clients"))
        return found


class Config(_Model):
    """The whole `shared-nlb.yaml` (DESIGN.md, "Config file")."""

    version: Annotated[int, PlainValidator(_version)]
    "Format version; only 1 exists."
    name: DnsName1035
    "DNS label; the stack and NLB names derive from it."
    stack: StackSettings = Field(default_factory=StackSettings)
    network: Network
    "The existing VPC and subnets."
    load_balancer: LoadBalancerSettings = Field(default_factory=LoadBalancerSettings)
    clients: list[Client] = Field(default_factory=list)
    "Who may connect to every listener (a service's own `clients` replaces this list)."
    services: Annotated[list[Service], Field(min_length=1)]
    "The in-cluster services, one listener each."

    @property
    def stack_name(self) -> str:
        return self.stack.name or naming.default_stack_name(self.name)

    @property
    def load_balancer_name(self) -> str:
        return self.load_balancer.name or naming.default_load_balancer_name(self.name)

    def clients_of(self, service: Service) -> list[Client]:
        return list(self.clients if service.clients is None else service.clients)

    def problems(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if len(self.stack_name) > MAX_STACK_NAME:
            found.append(("stack.name", f"{self.stack_name!r} is {len(self.stack_name)} characters; allowed: at most {MAX_STACK_NAME}"))
        lb_path = "load_balancer.name" if self.load_balancer.name else "name"
        lb_name = self.load_balancer_name
        if len(lb_name) > MAX_LOAD_BALANCER_NAME:
            found.append((lb_path, f"gives the NLB name {lb_name!r} of {len(lb_name)} characters; allowed: at most {MAX_LOAD_BALANCER_NAME} (shorten it or set load_balancer.name)"))
        if lb_name.lower().startswith("internal-"):
            found.append((lb_path, f"gives the NLB name {lb_name!r}; AWS does not allow names starting with 'internal-'"))
        found += _duplicates("network.subnet_ids", self.network.subnet_ids, "subnet")
        found += _client_list_problems("clients", self.clients, self.load_balancer.scheme)
        for index, service in enumerate(self.services):
            if service.clients:
                found += _client_list_problems(f"services[{index}].clients", service.clients, self.load_balancer.scheme)
        found += services_problems(list(enumerate(self.services)))
        if not self.clients:
            orphans = [s.name for s in self.services if s.clients is None]
            if orphans:
                found.append(("clients", f"is empty and services {', '.join(orphans)} have no clients of their own, so nobody could connect; list security_group, cidr or prefix_list sources"))
        found += self._quota_problems()
        return found

    def _quota_problems(self) -> list[tuple[str, str]]:
        found = []
        listeners = len(self.services)
        if listeners > MAX_LISTENERS_PER_NLB:
            found.append(("services", f"{listeners} listeners on one NLB; allowed: at most {MAX_LISTENERS_PER_NLB} (ELB quota 'Listeners per Network Load Balancer')"))
        inbound = sum(len(self.clients_of(s)) * len(s.port_spaces) for s in self.services)
        if inbound > MAX_RULES_PER_SECURITY_GROUP:
            found.append(("clients", f"{inbound} inbound security group rules (clients x listener ports x protocols); allowed: at most {MAX_RULES_PER_SECURITY_GROUP} per security group (VPC quota); use a shared client security group or prefix list"))
        outbound = len(egress_rules(self.services))
        if outbound > MAX_RULES_PER_SECURITY_GROUP:
            found.append(("services", f"{outbound} outbound security group rules (distinct target and health check ports x protocols); allowed: at most {MAX_RULES_PER_SECURITY_GROUP} per security group (VPC quota)"))
        return found


def egress_rules(services: Iterable[Service]) -> list[tuple[str, int]]:
    """(protocol, port) pairs the NLB must reach inside the VPC: every service's `target_rules`."""
    return sorted({rule for service in services for rule in service.target_rules()})


def _duplicates(path: str, values: list[str], what: str) -> list[tuple[str, str]]:
    seen: dict[str, int] = {}
    found = []
    for index, value in enumerate(values):
        if value in seen:
            found.append((f"{path}[{index}]", f"{what} {value} is already listed at {path}[{seen[value]}]"))
        else:
            seen[value] = index
    return found


def _client_list_problems(path: str, clients: list[Client], scheme: str) -> list[tuple[str, str]]:
    found = []
    for index, client in enumerate(clients):
        found += client.problems(f"{path}[{index}]", scheme)
    found += _duplicates(path, [c.source for c in clients], "client")
    return found


def services_problems(indexed: list[tuple[int, Service]]) -> list[tuple[str, str]]:
    """Rules of each service and between services; takes (index, service) so that it can run on the
    services that are valid on their own while other parts of the file are not."""
    found: list[tuple[str, str]] = []
    names: dict[str, tuple[int, str]] = {}
    ids: dict[str, tuple[int, str]] = {}
    ports: dict[tuple[str, int], tuple[int, str]] = {}
    for index, service in indexed:
        path = f"services[{index}]"
        found += service.problems(path)
        if service.name in names:
            first, _ = names[service.name]
            found.append((f"{path}.name", f"{service.name!r} is already used by services[{first}]; names must be unique"))
            continue
        names[service.name] = (index, service.name)
        pascal = naming.pascal(service.name)
        if pascal in ids:
            first, other = ids[pascal]
            found.append((f"{path}.name", f"{service.name!r} gives the same IDs ({pascal}) as services[{first}] {other!r}; rename one"))
        ids.setdefault(pascal, (index, service.name))
        for space in service.port_spaces:
            key = (space, service.listener_port)
            if key in ports:
                first, other = ports[key]
                found.append((f"{path}.listener_port", f"{service.listener_port} is already used by services[{first}] {other!r}"))
                break
        for space in service.port_spaces:
            ports.setdefault((space, service.listener_port), (index, service.name))
    return found


# --- loading ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One problem in a config file: where, and what is wrong and allowed."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ConfigError(Exception):
    """A config file that cannot be used; `problems` holds every problem found, one per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (libyaml's when present: 5x faster) that rejects duplicate keys, which PyYAML
    would otherwise keep silently, the last one winning."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int)) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first at line {seen[key] + 1})", key_node.start_mark
                )
            if isinstance(key, (str, int)):
                seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def _format_path(loc: Iterable[Any]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z0-9_-]+", str(part)):
            text += f".{part}" if text else str(part)
        else:  # a key with spaces, dots or control characters: quoted, so the line stays one line
            text += f"[{str(part)!r}]"
    return text


def _path_parts(path: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]


def _line_of(root: yaml.Node | None, parts: list[str | int]) -> int | None:
    """Line (1-based) of the deepest node on `parts` that the file has."""
    node, line = root, (root.start_mark.line + 1 if root is not None else None)
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _field_doc(loc: tuple[Any, ...]) -> str:
    """The docstring under a field's definition. Read from the source only when a required field is
    missing: pydantic's `use_attribute_docstrings` would parse this module on every start-up."""
    import ast
    import inspect

    parent = _model_at(loc[:-1])
    if parent is None or not isinstance(loc[-1], str):
        return ""
    body = ast.parse(inspect.getsource(parent)).body[0].body
    for statement, following in zip(body, body[1:]):
        if isinstance(statement, ast.AnnAssign) and getattr(statement.target, "id", None) == loc[-1]:
            if isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant):
                return str(following.value.value)
    return ""


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model at `loc` (the parent of an unknown key)."""
    model = _model_at(loc)
    return list(model.model_fields) if model is not None else []


def _model_at(loc: tuple[Any, ...]) -> Any:
    model: Any = Config
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        for candidate in candidates:
            for inner in (candidate, *getattr(candidate, "__args__", ())):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    model = inner
                    break
            else:
                continue
            break
    return model


def _message(error: Any) -> tuple[tuple[Any, ...], str]:
    loc, kind, value = tuple(error["loc"]), error["type"], error.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, 1, 0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(allowed)}"
        return loc, f"unknown key {str(loc[-1])!r}; {hint}"
    if kind == "missing":
        about = _field_doc(loc)
        return loc, f"is required{': ' + about if about else ''}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return loc, f"{_show(value)} is not a mapping; allowed: key: value pairs"
    if kind == "list_type":
        return loc, f"{_show(value)} is not a list; allowed: a YAML list (- item)"
    if kind == "too_short":
        return loc, "is empty; allowed: at least one item"
    return loc, error["msg"]


def _problem(file: str, root: yaml.Node | None, path: str, message: str) -> Problem:
    return Problem(file, _line_of(root, _path_parts(path)), path, message)


def _valid_items(model: type[_Model], raw: Any) -> list[tuple[int, Any]]:
    valid = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        try:
            valid.append((index, model.model_validate(item)))
        except ValidationError as error:
            # An unknown key alone (already reported) should not hide this item's other rules.
            unknown = {e["loc"][0] for e in error.errors() if e["type"] == "extra_forbidden" and len(e["loc"]) == 1}
            if isinstance(item, Mapping) and unknown and len(unknown) == len(error.errors()):
                valid.append((index, model.model_validate({k: v for k, v in item.items() if k not in unknown})))
    return valid


def _partial_problems(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Rules between fields, run on the parts that are valid on their own, so that one bad field does
    not hide the other problems of the file."""
    found = services_problems(_valid_items(Service, data.get("services")))
    load_balancer = data.get("load_balancer")
    scheme = load_balancer.get("scheme") if isinstance(load_balancer, Mapping) else None
    scheme = scheme if scheme in ("internal", "internet-facing") else "internal"
    for index, client in _valid_items(Client, data.get("clients")):
        found += client.problems(f"clients[{index}]", scheme)
    network = data.get("network")
    subnets = network.get("subnet_ids") if isinstance(network, Mapping) else None
    if isinstance(subnets, list) and all(isinstance(s, str) for s in subnets):
        found += _duplicates("network.subnet_ids", subnets, "subnet")
    return found


def parse_config(data: Any, *, file: str = "<config>", root: yaml.Node | None = None) -> Config:
    """Validate already-parsed YAML data; raise ConfigError with every problem found."""
    if not isinstance(data, Mapping):
        names = {"str": "a string", "int": "a number", "float": "a number", "bool": "a boolean", "list": "a list"}
        kind = "empty" if data is None else f"{names.get(type(data).__name__, 'a ' + type(data).__name__)}, not a mapping"
        raise ConfigError([Problem(file, None, "", f"the document is {kind}; allowed: a mapping with version, name, network, clients, services")])
    problems: list[tuple[str, str]] = []
    try:
        config = Config.model_validate(data)
    except ValidationError as error:
        config = None
        for item in error.errors(include_url=False):
            loc, message = _message(item)
            problems.append((_format_path(loc), message))
        problems += _partial_problems(data)
    if config is not None:
        problems += config.problems()
    if problems:
        ordered = sorted({(p, m) for p, m in problems}, key=lambda pm: (_line_of(root, _path_parts(pm[0])) or 0, pm[0], pm[1]))
        raise ConfigError([_problem(file, root, p, m) for p, m in ordered])
    assert config is not None
    return config


def load_yaml(text: str, *, file: str) -> tuple[Any, yaml.Node | None]:
    """Parse YAML text as shared-nlb reads every YAML file: one document, no duplicate keys, libyaml
    when present; returns the data and its node tree (for line numbers). Errors: ConfigError, one line."""
    loader = None
    try:
        loader = _Loader(text)
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        reason = str(error.problem or error)
        if reason.startswith("but ") and error.context:
            reason = f"{error.context} {reason}"
        elif error.context and error.context_mark is not None:
            reason = f"{reason} ({error.context} started at line {error.context_mark.line + 1})"
        reason = " ".join(reason.split())
        raise ConfigError([Problem(file, line, "", f"YAML syntax error: {reason}")]) from None
    except yaml.reader.ReaderError as error:
        raise ConfigError([Problem(file, None, "", f"YAML error: character #x{error.character:04x} at offset {error.position} is not allowed in YAML")]) from None
    except yaml.YAMLError as error:
        raise ConfigError([Problem(file, None, "", f"YAML error: {' '.join(str(error).split())}")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, root


def load_config(path: str | Path) -> Config:
    """Read and validate a config file; raise ConfigError naming the file in every line."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([Problem(file, None, "", "no such file")]) from None
    except IsADirectoryError:
        raise ConfigError([Problem(file, None, "", "is a directory; allowed: a YAML file")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError([Problem(file, None, "", f"cannot be read: {error}")]) from None
    data, root = load_yaml(text, file=file)
    return parse_config(data, file=file, root=root)
