"""The pydantic models of `shared-nlb.yaml`, every default on its field and the docstring under it.

Field checks (types, ranges, formats, unknown keys) run in pydantic; rules that relate fields (TLS needs
a certificate, listener ports are unique, quotas) run in the `problems()` methods, in the style of
aws-cdk's `validate(): string[]`, so a field error never hides a rule error elsewhere.
"""

from __future__ import annotations

import re
from typing import Annotated

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, PrivateAttr

from shared_nlb import naming, ports
from shared_nlb.config.clusters import Cluster, clusters_problems
from shared_nlb.config.fields import (
    Bool, CertificateArn, ClientCidr, DnsName1035, DnsName1123, HealthProtocol, Port, PrefixListId, ProtocolField, SecurityGroupId, SubnetId, TargetCidr, VpcId,
    _account, _capacity_units, _health_check_port, _integer, _integer_or_off, _one_of, _pattern, _service_port, _tags, _version, _vpc_cidr,
)
from shared_nlb.config import placement as placing
from shared_nlb.config import quic_rules
from shared_nlb.config import state as states
from shared_nlb.config.limits import CLIENT_ROUTING_POLICIES, MAX_UNHEALTHY_DRAINING_SECONDS
from shared_nlb.config.limits import DEFAULT_HEALTH_CHECK_INTERVAL, DEFAULT_HEALTH_CHECK_TIMEOUT, MAX_LISTENERS_PER_NLB, MAX_LOAD_BALANCER_NAME, MAX_NLBS_PER_REGION, MAX_RULES_PER_SECURITY_GROUP, MAX_STACK_NAME, PORT_SPACES, TLS_DEFAULT_POLICY
from shared_nlb.config.reach import Alarms, Dns, PrivateLink
from shared_nlb.config.rules import WIDE_IPV4_PREFIX, WIDE_IPV6_PREFIX, _client_list_problems, _duplicates, _is_wide, egress_rules, services_problems
from shared_nlb.config.rules import largest_fit, load_balancer_settings_problems


# An NLB's own name (ELBv2 CreateLoadBalancer Name): what `load_balancer.name` and an adopted entry's
# `load_balancer_name` may be; its length and prefix are rules of `Config`.
_NlbName = Annotated[str | None, PlainValidator(_pattern(r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?", "letters, digits and '-', not starting or ending with '-'"))]


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
    termination_protection: Bool = True
    "CloudFormation termination protection on the stack: DeleteStack, and so `cdk destroy`, is refused before anything is deleted; `shared-nlb destroy` lifts it on purpose. Default: true; false opts out."


class Network(_Model):
    """`network:`: the existing VPC the NLB lives in (imported by ID, no context lookup)."""

    vpc_id: VpcId
    "ID of the existing VPC (vpc-...)."
    vpc_cidr: Annotated[str, PlainValidator(_vpc_cidr)]
    "The VPC's CIDR: the NLB's egress is limited to it, on target ports only."
    subnet_ids: Annotated[list[SubnetId], Field(min_length=1)]
    "Subnets of the NLB, at most one per Availability Zone: the private subnets. With `load_balancer:` its NLB's whatever the scheme (public subnets then, for `internet-facing`); with `load_balancers`, those of every internal entry without `subnet_ids` of its own (an internet-facing entry must name its own)."
    target_cidrs: Annotated[list[TargetCidr] | None, Field(min_length=1)] = None
    "Where the pods live: the NLB's only egress, on target and health check ports. Default: `[vpc_cidr]`; add a secondary CIDR for EKS custom networking (pods in 100.64.0.0/10, say)."

    @property
    def pod_cidrs(self) -> list[str]:
        return list(self.target_cidrs) if self.target_cidrs is not None else [self.vpc_cidr]


class AccessLogs(_Model):
    """`load_balancer.access_logs:`: where the NLB writes TLS access logs."""

    bucket: Annotated[
        str, PlainValidator(_pattern(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", "an S3 bucket name (3-63 lowercase letters, digits, '.', '-')"))
    ]
    prefix: Annotated[str | None, PlainValidator(_pattern(r"[^/](.*[^/])?", "a key prefix not starting or ending with '/'"))] = None
    "Key prefix inside the bucket; default: none."


class LoadBalancerSettings(_Model):
    """`load_balancer:`: the NLB itself. All optional; every default is the safe one."""

    name: _NlbName = None
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
    path_mtu_discovery: Bool = False
    "Let clients' ICMP 'fragmentation needed' (IPv6: 'packet too big') reach the NLB, as AWS recommends for NLB security groups for path MTU discovery; one more inbound rule per client source. Default: false."
    zonal_shift: Bool = False
    "ARC zonal shift integration (attribute `zonal_shift.config.enabled`): lets you or zonal autoshift move traffic away from an impaired Availability Zone. Default: false, as AWS."
    client_routing_policy: Annotated[str | None, PlainValidator(_one_of(*CLIENT_ROUTING_POLICIES))] = None
    "How the NLB's DNS name spreads clients over its zones (attribute `dns_record.client_routing_policy`): `availability_zone_affinity` (100% zonal affinity), `partial_availability_zone_affinity` (85%) or `any_availability_zone`. Default: unset, AWS's `any_availability_zone`."
    minimum_capacity_units: Annotated[int | None, PlainValidator(_capacity_units)] = None
    "LCU reservation (`MinimumLoadBalancerCapacity`), spread evenly over the subnets' zones: 2750-45000 per zone; not with TLS listeners. Billed while reserved. Default: none."
    security_group: Bool = True
    "false: the NLB has no security group, which QUIC and TCP_QUIC listeners need (AWS refuses them on an NLB with one). Clients are then enforced on the pods only (the bindings' ingress from the clients and the VPC's CIDR); prefix list clients and path MTU discovery need the group. AWS cannot add or remove an NLB's groups later: changing it replaces the NLB. Default: true."


class Client(_Model):
    """One source allowed to reach the listeners: exactly one of security_group, cidr, prefix_list."""

    security_group: SecurityGroupId | None = None
    cidr: ClientCidr | None = None
    prefix_list: PrefixListId | None = None
    description: Annotated[str | None, PlainValidator(_pattern(r"[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]{1,255}", "up to 255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"))] = None
    "Text for the security group rules; default: derived from the source."
    allow_anywhere: Bool = False
    "Must be true for a CIDR wider than /8 (IPv4) or /16 (IPv6), 0.0.0.0/0 and ::/0 included; only an internet-facing NLB may have it."
    max_entries: Annotated[int | None, PlainValidator(_integer(1, 1000))] = None
    "Prefix lists only, required there: the list's max entries, which is what a rule referencing it counts against the 60-rule quota."

    @property
    def rule_weight(self) -> int:
        """What one rule from this source counts against the rules-per-security-group quota: a
        prefix list counts as its max entries (VPC quotas, "Inbound or outbound rules per security
        group"); anything else as one."""
        return self.max_entries or 1 if self.prefix_list else 1

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
        if self.prefix_list and self.max_entries is None:
            return [(f"{path}.max_entries", "required for a prefix list: a rule that references it counts as its max entries against the 60 rules of a security group (VPC quotas); give the list's MaxEntries")]
        if self.max_entries is not None and not self.prefix_list:
            return [(f"{path}.max_entries", "is only for prefix_list clients; remove it")]
        return []


class LoadBalancerEntry(LoadBalancerSettings):
    """One entry of `load_balancers:`: an NLB's settings, its own clients, and how many listeners it
    takes before the entry grows another NLB of the same settings (`shared_nlb.config.placement`)."""

    name: DnsName1035  # type: ignore[assignment]  # the entry's label here, not the NLB's AWS name
    "DNS label of the entry: its NLBs are `<name>`, `<name>-2`, ...; their stacks `shared-nlb-<config name>-<NLB>` and their NLB names the same."
    max_listeners: Annotated[int, PlainValidator(_integer(1, MAX_LISTENERS_PER_NLB))] = MAX_LISTENERS_PER_NLB
    f"1-{MAX_LISTENERS_PER_NLB} (the quota); past it, the entry's next service goes to a new NLB of the same settings. Default: {MAX_LISTENERS_PER_NLB}."
    clients: list[Client] | None = None
    "Replaces the top-level clients for this entry's NLBs. Default: the top-level list."
    dns: Dns | None = None
    "Replaces the top-level `dns` for this entry's NLBs (the records of its services). Default: the top-level one."
    privatelink: PrivateLink | None = None
    "Replaces the top-level `privatelink` for this entry's NLBs (each its own endpoint service). Default: the top-level one."
    alarms: Alarms | None = None
    "Replaces the top-level `alarms` for this entry's services. Default: the top-level one."
    adopt: Bool = False
    "The entry's first NLB is the one this config deployed with `load_balancer:`: it keeps that stack (`stack.name` or `shared-nlb-<name>`), its NLB name and every logical ID, so moving to `load_balancers` replaces nothing. At most one entry. Default: false."
    load_balancer_name: _NlbName = None
    "With `adopt`: the adopted NLB's name, when `load_balancer.name` gave it one. Default: `shared-nlb-<name>`."
    subnet_ids: Annotated[list[SubnetId] | None, Field(min_length=1)] = None
    "Subnets of the entry's NLBs, at most one per Availability Zone (as `network.subnet_ids`). Required for `scheme: internet-facing`: public subnets, never those of `network.subnet_ids`. Default: `network.subnet_ids`, the private subnets (internal entries only)."


# Top-level sections an entry of load_balancers may replace for its own NLBs (DESIGN.md, "Several load
# balancers, several clusters" and "Reach and operations").
_ENTRY_SECTIONS = ("clients", "dns", "privatelink", "alarms")
_UNIT_SERVICE = re.compile(r"(?<![.\w])services\[(\d+)\]")


@dataclass(frozen=True)
class Unit:
    """One NLB of a config and its stack: `config` is a one-NLB `Config` (the whole config when it has
    no `load_balancers:`), so everything that builds, deploys or binds one NLB works on it unchanged.
    `entry` is the index of its `load_balancers` entry (None for `load_balancer:`), `shard` its name
    in the placement, and `indexes` maps its services' positions to the file's `services[i]`."""

    config: Config
    entry: int | None = None
    shard: str | None = None
    indexes: tuple[int, ...] = ()
    own: frozenset[str] = frozenset()
    "The top-level sections the entry replaces with its own (`clients`, `dns`, `privatelink`, `alarms`)."
    adopted: bool = False
    "The NLB a `load_balancer:` config deployed (`adopt`): its config keeps the whole config's names."
    own_subnets: bool = False
    "The entry names its own `subnet_ids`: the unit's `network.subnet_ids` are the entry's."

    @property
    def stack_name(self) -> str:
        return self.config.stack_name

    def in_file(self, path: str, message: str) -> tuple[str, str]:
        """A problem of the unit's config, with the paths of the file's fields."""
        if self.entry is None:
            return path, message
        entry = f"load_balancers[{self.entry}]"
        path, message = (_UNIT_SERVICE.sub(lambda m: f"services[{self.indexes[int(m[1])]}]", text) for text in (path, message))
        if path == "load_balancer.name":  # only an adopted NLB has a name of its own
            path = f"{entry}.load_balancer_name"
        elif path.startswith("load_balancer."):
            path = entry + path.removeprefix("load_balancer")
        elif path.startswith("network.subnet_ids") and self.own_subnets:
            path, message = (text.replace("network.subnet_ids", f"{entry}.subnet_ids") for text in (path, message))
        elif path.split(".", 1)[0].split("[", 1)[0] in self.own:
            path = f"{entry}.{path}"
        elif path == "name" and not self.adopted:  # the NLB name derived from the config and entry names
            path, message = f"{entry}.name", message.replace("shorten it or set load_balancer.name", "shorten the config's or the entry's name")
        return path, message


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
    "2-120, at most the interval; default 10 for TCP and HTTPS, 6 for HTTP (AWS)."
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
        # The interval must be at least the timeout, the protocol's default timeout included (equal is
        # allowed: the controller's own NLB default is 10/10). Defaults: interval 30 s; timeout 6 s for
        # HTTP, 10 s for TCP and HTTPS (ELB API reference, CreateTargetGroup HealthCheckTimeoutSeconds).
        interval = self.interval_seconds or DEFAULT_HEALTH_CHECK_INTERVAL
        timeout = self.timeout_seconds or DEFAULT_HEALTH_CHECK_TIMEOUT[self.protocol]
        if timeout > interval:
            if self.timeout_seconds is None:
                found.append((f"{path}.interval_seconds", f"{interval} is less than the {self.protocol} health check's default timeout ({timeout} s); allowed: at least the timeout, or set timeout_seconds too"))
            else:
                found.append((f"{path}.timeout_seconds", f"{timeout} is more than interval_seconds ({interval}); allowed: at most the interval"))
        return found


class TargetGroupHealth(_Model):
    """`target_group_health:` of a service: when a zone counts as unhealthy in DNS (DNS failover)."""

    minimum_healthy_targets: Annotated[int | str | None, PlainValidator(_integer_or_off(1, None))] = None
    "Healthy targets a zone needs, or `off` (attribute `target_group_health.dns_failover.minimum_healthy_targets.count`); below it, the zone's NLB addresses leave DNS. Default: unset, AWS's 1."
    minimum_healthy_targets_percentage: Annotated[int | str | None, PlainValidator(_integer_or_off(1, 100, " percent"))] = None
    "The same as a percentage of the zone's targets, 1-100 or `off` (`...minimum_healthy_targets.percentage`); with both set, either breach fails the zone over. Default: unset, AWS's off."


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
    "The NLB listener's port, 1-65535, unique per NLB whatever the protocol (TCP and UDP on one port: protocol TCP_UDP)."
    protocol: ProtocolField = "TCP"
    "TCP, UDP, TCP_UDP, TLS (terminates at the NLB; targets get TCP), QUIC or TCP_QUIC (passed through to the pods; on an NLB with security_group: false, one per NLB, not beside UDP or TCP_UDP). Default: TCP."
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
    target_group_health: TargetGroupHealth | None = None
    "DNS failover thresholds of the target group. Default: AWS's (a zone fails over when it has no healthy target)."
    unhealthy_draining_seconds: Annotated[int | None, PlainValidator(_integer(0, MAX_UNHEALTHY_DRAINING_SECONDS, " seconds"))] = None
    "Keep connections to a target that fails health checks open this long (attribute `target_health_state.unhealthy.draining_interval_seconds`, with `...unhealthy.connection_termination.enabled` false, which AWS requires). 0-360000. Default: unset, AWS's: such connections are closed (TCP/TLS)."
    connection_termination: Bool | None = None
    "Close a deregistered target's connections when the deregistration delay ends (attribute `deregistration_delay.connection_termination.enabled`). Default: unset, AWS's: false for TCP/TLS, true for UDP/TCP_UDP."
    load_balancer: DnsName1035 | None = None
    "With `load_balancers:`, the entry whose NLB holds this service. Default: the first entry."

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
        return ports.target_protocol(self.protocol)

    @property
    def health_check_port(self) -> int:
        return self.pod_port if self.health_check.port == "traffic-port" else int(self.health_check.port)

    def target_rules(self) -> list[tuple[str, int]]:
        """(protocol, port) the NLB must reach on the pods: the target port in each port space, and
        the health check port over TCP (health checks are TCP, HTTP or HTTPS, UDP services' too).
        The stack's egress rules and the bindings' `networking.ingress` both come from here."""
        if isinstance(self.service_port, str) and self.target_port is None:
            return []  # reported by Service.problems; no port to open
        return ports.target_rules(self.protocol, self.pod_port, self.health_check_port)

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
        # "Client IP preservation can't be disabled for UDP and TCP_UDP target groups" (ELB
        # TargetGroupAttribute reference, preserve_client_ip.enabled).
        if self.preserve_client_ip is False and self.protocol in ("UDP", "TCP_UDP"):
            found.append((f"{path}.preserve_client_ip", f"false is not allowed for protocol {self.protocol}: AWS keeps client IPs for UDP and TCP_UDP target groups; remove it"))
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
    load_balancers: Annotated[list[LoadBalancerEntry] | None, Field(min_length=1)] = None
    "Several NLBs instead of `load_balancer:`, one stack each; a service picks one with `load_balancer`. Default: the one NLB of `load_balancer:`."
    clients: list[Client] = Field(default_factory=list)
    "Who may connect to every listener (a service's own `clients` replaces this list)."
    services: Annotated[list[Service], Field(min_length=1)]
    "The in-cluster services, one listener each."
    dns: Dns | None = None
    "A Route 53 alias record `<service>.<zone_name>` per service, to the NLB. Default: none (clients use the NLB's own DNS name)."
    privatelink: PrivateLink | None = None
    "The NLB as a VPC endpoint service for other accounts' VPCs. Default: none."
    alarms: Alarms | None = None
    "A CloudWatch alarm per service when it has no healthy target, sent to an SNS topic. Default: none."
    clusters: Annotated[list[Cluster] | None, Field(min_length=1)] = None
    "The Kubernetes clusters that bind every target group, each with its own manifests tree (`<out>/<cluster>/`). Default: one cluster, the tree directly in `<out>`."

    # The state committed beside the config (`shared_nlb.config.state`); not a YAML key.
    _state: states.State = PrivateAttr(default_factory=lambda: states.State(complete=False))  # no file: nothing recorded

    # The name of the config file's config, for a `Unit`'s one-NLB config (whose `name` is the NLB's).
    _family: str | None = PrivateAttr(default=None)

    @property
    def family_name(self) -> str:
        """The config's own `name`, also for the one-NLB config of one of its NLBs (`units()`)."""
        return self._family or self.name

    def with_state(self, state: states.State) -> Config:
        """This config with the committed state of its services (`<config>.state.yaml`)."""
        copy = self.model_copy()
        copy._state = state
        return copy

    def with_placement(self, placement: dict[str, str]) -> Config:
        """This config with its services' NLBs replaced by `placement`, the rest of its state kept."""
        return self.with_state(self._state.with_placement(placement))

    @property
    def state(self) -> states.State:
        """The state as read from the file beside the config (empty without one)."""
        return self._state

    def target_groups(self, service: Service) -> tuple[states.TargetGroupState, states.TargetGroupState | None]:
        """(live target group, staged replacement or None) of one of this config's services: what
        the config asks for, kept from replacing the deployed group (`shared_nlb.config.state.resolve`)."""
        check = service.health_check
        wanted = states.TargetGroupState(
            naming.target_group_id(service.name), service.pod_port, service.target_protocol, states.HealthCheckState(check.protocol, check.port, check.path)
        )
        digest = naming.target_group_digest(wanted.port, wanted.protocol, self.network.vpc_id)
        return states.resolve(self._state.of(service.name), wanted, naming.staged_target_group_id(service.name, digest))

    def recorded_state(self) -> states.State:
        """The state a synthesis of this config records: each service's NLB (with `load_balancers`),
        live target group and staged replacement, for the config's services only."""
        placement = self.placement
        recorded = {}
        for service in self.services:
            live, staged = self.target_groups(service)
            recorded[service.name] = states.ServiceState(placement.get(service.name), live, staged)
        return states.State(recorded, nlbs=tuple(sorted({unit.shard for unit in self.units() if unit.shard is not None})))

    def entry_of(self, service: Service) -> str | None:
        """The name of the `load_balancers` entry that holds `service` (None without `load_balancers`):
        its `load_balancer`; else the entry of the NLB the state places it on (a deployed service stays
        where it is, whatever the order of the entries: an adopted entry need not be the first); else
        the first entry."""
        if not self.load_balancers:
            return None
        if service.load_balancer:
            return service.load_balancer
        shard = self._state.of(service.name).nlb
        if shard is not None:
            for entry in self.load_balancers:
                if placing.shard_number(entry.name, shard) is not None:
                    return entry.name
        return self.load_balancers[0].name

    @property
    def committed_placement(self) -> dict[str, str]:
        """The placement as read from the file beside the config (empty without one)."""
        return self._state.placement

    @property
    def placement(self) -> dict[str, str]:
        """service name -> NLB (shard) name, for a config with `load_balancers:`; empty otherwise."""
        if not self.load_balancers:
            return {}
        entries = [(e.name, e.max_listeners) for e in self.load_balancers]
        return placing.place(entries, [(s.name, self.entry_of(s) or "") for s in self.services], self._state.placement)

    def units(self) -> list[Unit]:
        """Every NLB of the config with its stack, in entry order, then shard order."""
        if not self.load_balancers:
            return [Unit(self, indexes=tuple(range(len(self.services))))]
        placement = self.placement
        units = []
        for index, entry in enumerate(self.load_balancers):
            shards: dict[int, list[int]] = {}
            for position, service in enumerate(self.services):
                number = placing.shard_number(entry.name, placement.get(service.name, ""))
                if self.entry_of(service) == entry.name and number is not None:
                    shards.setdefault(number, []).append(position)
            for shard in self._state.nlbs:  # an NLB whose last service left: planned emptied, until retired
                number = placing.shard_number(entry.name, shard)
                if number is not None:
                    shards.setdefault(number, [])
            for number, positions in sorted(shards.items()):
                units.append(self._unit(index, entry, placing.shard_name(entry.name, number), positions))
        return units

    def _adopted(self) -> LoadBalancerEntry | None:
        return next((e for e in self.load_balancers or [] if e.adopt), None)

    def shard_stack_name(self, shard: str) -> str:
        """The stack of one NLB of `load_balancers`: `<stack.name>-<NLB>`, else `shared-nlb-<name>-<NLB>`;
        the adopted NLB keeps the stack of the `load_balancer:` config (`stack.name` or `shared-nlb-<name>`)."""
        adopted = self._adopted()
        if adopted is not None and shard == adopted.name:
            return self.stack.name or naming.default_stack_name(self.name)
        return f"{self.stack.name}-{shard}" if self.stack.name else naming.default_stack_name(f"{self.name}-{shard}")

    def _unit(self, index: int, entry: LoadBalancerEntry, shard: str, positions: list[int]) -> Unit:
        # The adopted NLB keeps every name a `load_balancer:` config gave it: the config's own name
        # (the security group's description derives from it, and EC2 replaces a group whose
        # description changes), the stack and the NLB name.
        adopted = entry.adopt and shard == entry.name
        name = self.name if adopted else f"{self.name}-{shard}"
        settings = {key: getattr(entry, key) for key in LoadBalancerSettings.model_fields if key != "name"}
        if adopted:
            settings["name"] = entry.load_balancer_name
        own = frozenset(key for key in _ENTRY_SECTIONS if getattr(entry, key) is not None)
        stack_name = self.stack.name if adopted else (f"{self.stack.name}-{shard}" if self.stack.name else None)
        network = self.network if entry.subnet_ids is None else self.network.model_copy(update={"subnet_ids": list(entry.subnet_ids)})
        config = self.model_copy(
            update={
                "name": name,
                "stack": self.stack.model_copy(update={"name": stack_name}),
                "network": network,
                "load_balancer": LoadBalancerSettings.model_construct(**settings),
                "load_balancers": None,
                "services": [self.services[p] for p in positions],
                **{key: getattr(entry, key) for key in own},
            }
        )
        config._state = states.State({s.name: self._state.of(s.name) for s in config.services}, self._state.complete)
        config._family = self.family_name
        # A unit with no service is an NLB whose last service left: its stack is updated to hold none.
        return Unit(config, entry=index, shard=shard, indexes=tuple(positions), own=own, adopted=adopted, own_subnets=entry.subnet_ids is not None)

    @property
    def stack_name(self) -> str:
        return self.stack.name or naming.default_stack_name(self.name)

    @property
    def load_balancer_name(self) -> str:
        return self.load_balancer.name or naming.default_load_balancer_name(self.name)

    @property
    def tree_owner(self) -> str:
        """The name that marks the manifests tree as this config's: its NLB's name, or with
        `load_balancers` the config's (`shared-nlb-<name>`), which a new NLB of an entry leaves as it is."""
        adopted = self._adopted()
        if adopted is not None:  # the tree the `load_balancer:` config wrote stays this config's
            return adopted.load_balancer_name or naming.default_load_balancer_name(self.name)
        return naming.default_load_balancer_name(self.name) if self.load_balancers else self.load_balancer_name

    def clients_of(self, service: Service) -> list[Client]:
        return list(self.clients if service.clients is None else service.clients)

    def inbound_rule_count(self) -> int:
        """The inbound rules the NLB's group holds, as the quota counts them (VPC quotas, "Inbound or
        outbound rules per security group": a rule referencing a prefix list counts as its max
        entries): per service, each client in each of its port spaces; with path MTU discovery, one
        ICMP rule per distinct client source."""
        return sum(self.service_rule_count(s) for s in self.services) + self.path_mtu_rule_count(self.services)

    def service_rule_count(self, service: Service) -> int:
        """The inbound rules one service's listener takes: each client in each of its port spaces."""
        return sum(c.rule_weight for c in self.clients_of(service)) * len(service.port_spaces)

    def path_mtu_rule_count(self, services: list[Service]) -> int:
        """The ICMP rules path MTU discovery adds for `services`: one per distinct client source."""
        if not self.load_balancer.path_mtu_discovery:
            return 0
        distinct = {c.source: c for s in services for c in self.clients_of(s)}
        return sum(c.rule_weight for c in distinct.values())

    def problems(self) -> list[tuple[str, str]]:
        if self.load_balancers is None:
            found = [
                (f"services[{index}].load_balancer", "is only for configs with load_balancers; remove it or list the NLBs under load_balancers")
                for index, service in enumerate(self.services)
                if service.load_balancer is not None
            ]
            return found + self._one_nlb_problems()
        units = self.units()
        found = self._load_balancers_problems(units)
        found += services_problems(list(enumerate(self.services)), one_nlb=False)  # names are unique across NLBs too
        for unit in units:
            over = unit.config.inbound_rule_count() > MAX_RULES_PER_SECURITY_GROUP  # the fix is worked out only when needed
            fix = self._max_listeners_fix(units, unit) if over else ""
            found += [unit.in_file(path, message) for path, message in unit.config._one_nlb_problems(fix)]
        return found

    def _load_balancers_problems(self, units: list[Unit]) -> list[tuple[str, str]]:
        entries = self.load_balancers or []
        found = []
        if "load_balancer" in self.model_fields_set:
            found.append(("load_balancer", "cannot be used with load_balancers; move its settings into an entry of load_balancers"))
        names = [e.name for e in entries]
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries):
            if entry.name in seen:
                found.append((f"load_balancers[{index}].name", f"{entry.name!r} is already used by load_balancers[{seen[entry.name]}]; names must be unique"))
            seen.setdefault(entry.name, index)
            # `a-2` is the second NLB of an entry `a`: two entries must not be able to name one NLB.
            for other in names:
                if other != entry.name and placing.shard_number(other, entry.name):
                    found.append((f"load_balancers[{index}].name", f"{entry.name!r} is the name of the second or later NLB of entry {other!r}; choose another name"))
        adopting = [i for i, e in enumerate(entries) if e.adopt]
        for index in adopting[1:]:
            found.append((f"load_balancers[{index}].adopt", f"only one entry may adopt the NLB of the load_balancer: config; load_balancers[{adopting[0]}] does already"))
        for index, entry in enumerate(entries):
            if entry.load_balancer_name is not None and not entry.adopt:
                found.append((f"load_balancers[{index}].load_balancer_name", "is only for the adopted NLB (adopt: true); the other NLB names derive from the config's and the entry's names"))
        for shard in self._state.nlbs:
            if not any(placing.shard_number(name, shard) for name in names):
                found.append(("load_balancers", f"NLB {shard} is deployed (the state file) but no entry holds it now; put its entry back and retire the NLB with `shared-nlb destroy CONFIG --nlb {shard}` before removing the entry"))
        found += self._entry_subnet_problems(entries)
        for index, service in enumerate(self.services):
            if service.load_balancer is not None and service.load_balancer not in seen:
                found.append((f"services[{index}].load_balancer", f"{service.load_balancer!r} is not an entry of load_balancers; allowed: {', '.join(names)}"))
        for unit in units:
            assert unit.entry is not None
            entry = entries[unit.entry]
            if len(unit.config.services) > entry.max_listeners:
                found.append((f"load_balancers[{unit.entry}].max_listeners", f"{entry.max_listeners}, but NLB {unit.shard} already holds {len(unit.config.services)} services (the state file); a placed service never moves: raise max_listeners or move services to another entry"))
        # ELB quota "Network Load Balancers per Region" (Quotas for your Network Load Balancers): 50 by default.
        if len(units) > MAX_NLBS_PER_REGION:
            found.append(("load_balancers", f"the services need {len(units)} NLBs; allowed: at most {MAX_NLBS_PER_REGION} per region (ELB quota 'Network Load Balancers per Region'), unless the quota was raised: raise max_listeners or split the config"))
        return found

    def _entry_subnet_problems(self, entries: list[LoadBalancerEntry]) -> list[tuple[str, str]]:
        """Which scheme needs which subnets. `network.subnet_ids` are the private subnets (README,
        "Config reference"), where an internet-facing NLB gets public addresses nobody can route to:
        the nodes of an internet-facing NLB have public addresses and need subnets with a route to an
        internet gateway (ELB API reference: CreateLoadBalancer Scheme; SetSubnets, "The IDs of the
        public subnets"), which is why aws-cdk-lib places an internet-facing load balancer in the VPC's
        public subnets by default (aws-elasticloadbalancingv2, lib/shared/base-load-balancer.ts)."""
        found = []
        private = set(self.network.subnet_ids)
        for index, entry in enumerate(entries):
            if entry.scheme != "internet-facing":
                continue
            if entry.subnet_ids is None:
                found.append((f"load_balancers[{index}].subnet_ids", "is required for scheme internet-facing: the entry would otherwise sit in network.subnet_ids, the private subnets, where nobody on the internet reaches it; allowed: the IDs of public subnets (a route to an internet gateway), one per Availability Zone"))
                continue
            if entry.adopt:  # the subnets the deployed `load_balancer:` NLB has, whatever network.subnet_ids now says
                continue
            for position, subnet in enumerate(entry.subnet_ids):
                if subnet in private:
                    found.append((f"load_balancers[{index}].subnet_ids[{position}]", f"{subnet} is one of network.subnet_ids, the private subnets; allowed: public subnets (a route to an internet gateway) for scheme internet-facing"))
        return found

    def _max_listeners_fix(self, units: list[Unit], unit: Unit) -> str:
        """For the rules quota message of one NLB of an entry: the largest `max_listeners` with which
        any NLB of the entry stays within the quota, whichever of the entry's services it holds (none
        when not one service fits, or the entry's max is that low already)."""
        assert unit.entry is not None
        entry = (self.load_balancers or [])[unit.entry]
        held = [(u.config, s) for u in units if u.entry == unit.entry for s in u.config.services]
        fixed = unit.config.path_mtu_rule_count([s for _, s in held])
        fit = largest_fit([config.service_rule_count(s) for config, s in held], fixed, MAX_RULES_PER_SECURITY_GROUP)
        return f"set load_balancers[{unit.entry}].max_listeners: {fit}" if 0 < fit < entry.max_listeners else ""

    def _one_nlb_problems(self, max_listeners_fix: str | None = None) -> list[tuple[str, str]]:
        """Every rule of one NLB. `max_listeners_fix`: what the rules quota message suggests for an
        NLB of a `load_balancers` entry (`_max_listeners_fix`); None for the NLB of `load_balancer:`."""
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
        found += _duplicates("network.target_cidrs", self.network.target_cidrs or [], "CIDR")
        found += _client_list_problems("clients", self.clients, self.load_balancer.scheme)
        for index, service in enumerate(self.services):
            if service.clients:
                found += _client_list_problems(f"services[{index}].clients", service.clients, self.load_balancer.scheme)
        found += services_problems(list(enumerate(self.services)))
        if not self.clients:
            orphans = [s.name for s in self.services if s.clients is None]
            if orphans:
                found.append(("clients", f"is empty and services {', '.join(orphans)} have no clients of their own, so nobody could connect; list security_group, cidr or prefix_list sources"))
        found += self._address_family_problems()
        found += self._quota_problems(max_listeners_fix)
        found += load_balancer_settings_problems(self.load_balancer, list(enumerate(self.services)), len(self.network.subnet_ids))
        if self.dns is not None:
            found += self.dns.problems("dns", [(f"services[{i}] {s.name!r}", s.name) for i, s in enumerate(self.services)])
        if self.alarms is not None:
            found += self.alarms.problems("alarms", self.stack.region)
        if self.privatelink is not None:
            found += self.privatelink.problems("privatelink")
            found += self.privatelink.bypass_problems("privatelink", self._narrower_services())
        found += clusters_problems(list(enumerate(self.clusters or [])), self.stack.account)
        found += quic_rules.problems(self)
        return found

    def _narrower_services(self) -> list[str]:
        """`services[i] 'name'` of each service whose own clients leave out a source that another
        listener of the NLB admits."""
        sources = [{c.source for c in self.clients_of(s)} for s in self.services]
        widest = set().union(*sources)
        return [f"services[{i}] {s.name!r}" for i, s in enumerate(self.services) if s.clients is not None and not widest <= sources[i]]

    def _address_family_problems(self) -> list[tuple[str, str]]:
        found = []
        if self.load_balancer.ip_address_type == "dualstack":
            # A UDP listener on a dualstack NLB needs IPv6 target groups and the NLB's IPv6 source NAT
            # prefix (LoadBalancer EnablePrefixForIpv6SourceNat, "Network Load Balancers with UDP
            # listeners"; IPv6 target groups need IP targets of that family); shared-nlb's target
            # groups and bindings are IPv4.
            for index, service in enumerate(self.services):
                if service.protocol in ("UDP", "TCP_UDP"):
                    found.append((f"services[{index}].protocol", f"{service.protocol} on a dualstack NLB needs IPv6 target groups and an IPv6 source NAT prefix, which shared-nlb does not build; use load_balancer.ip_address_type: ipv4 or a TCP protocol"))
        else:
            # An ipv4 NLB has no IPv6 address for an IPv6 client to reach; the controller refuses the
            # same ("unsupported v6 cidr ... when lb is not dualstack", pkg/service/model_build_managed_sg.go).
            lists = [("clients", self.clients)] + [(f"services[{i}].clients", s.clients) for i, s in enumerate(self.services) if s.clients]
            for path, clients in lists:
                for index, client in enumerate(clients):
                    if client.cidr and ":" in client.cidr:
                        found.append((f"{path}[{index}].cidr", f"{client.cidr} is IPv6, but the NLB is ipv4 and has no IPv6 address; set load_balancer.ip_address_type: dualstack or remove it"))
        return found

    def _quota_problems(self, max_listeners_fix: str | None) -> list[tuple[str, str]]:
        found = []
        listeners = len(self.services)
        if listeners > MAX_LISTENERS_PER_NLB:
            found.append(("services", f"{listeners} listeners on one NLB; allowed: at most {MAX_LISTENERS_PER_NLB} (ELB quota 'Listeners per Network Load Balancer')"))
        inbound = self.inbound_rule_count()
        if inbound > MAX_RULES_PER_SECURITY_GROUP:
            if max_listeners_fix is None:  # one NLB: as many NLBs as it takes, with load_balancers
                fit = largest_fit([self.service_rule_count(s) for s in self.services], self.path_mtu_rule_count(self.services), MAX_RULES_PER_SECURITY_GROUP)
                max_listeners_fix = f"list the NLB under load_balancers with max_listeners: {fit}" if fit else ""
            # With two clients, neither a shared group nor a prefix list may be at hand: fewer listeners
            # per NLB always fit, whatever the clients (docs/several-nlbs.md, "Quotas and limits checked").
            fix = f", or {max_listeners_fix} (the most listeners whose rules fit in one group)" if max_listeners_fix else ""
            found.append(("clients", f"{inbound} inbound security group rules (clients x listener ports x protocols, a prefix list counted as its max entries, plus path MTU discovery); allowed: at most {MAX_RULES_PER_SECURITY_GROUP} per security group (VPC quota); use a shared client security group or prefix list{fix}"))
        outbound = len(egress_rules(self.services)) * len(self.network.pod_cidrs)
        if outbound > MAX_RULES_PER_SECURITY_GROUP:
            found.append(("services", f"{outbound} outbound security group rules (distinct target and health check ports x protocols x target CIDRs); allowed: at most {MAX_RULES_PER_SECURITY_GROUP} per security group (VPC quota)"))
        return found
