"""`services[]`: one listener each, its target group and health check."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, PlainValidator

from shared_nlb import ports
from shared_nlb.config.base import _Model
from shared_nlb.config.fields import Bool, CertificateArn, DnsName1035, DnsName1123, HealthProtocol, Port, ProtocolField, _health_check_port, _integer, _integer_or_off, _one_of, _pattern, _service_port
from shared_nlb.config.limits import DEFAULT_HEALTH_CHECK_INTERVAL, DEFAULT_HEALTH_CHECK_TIMEOUT, MAX_UNHEALTHY_DRAINING_SECONDS, PORT_SPACES, TLS_DEFAULT_POLICY
from shared_nlb.config.load_balancer import Client


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
