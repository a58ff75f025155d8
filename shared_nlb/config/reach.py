"""`dns:`, `privatelink:` and `alarms:`: how clients find the NLB, how other accounts reach it, and who
hears when a service has no healthy target (DESIGN.md, "Reach and operations").

Small models of their own, so that they can sit on the top-level config today and on one entry of
`load_balancers` later; each takes the field path it is under in `problems(path, ...)`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainValidator

from shared_nlb.config.fields import Bool, _fail, _integer, _pattern, _show

# "DNS domain name format" (Route 53 Developer Guide): each label up to 63 bytes, the whole name up to
# 255 bytes on the wire (RFC 1035 2.3.4), which is 253 characters written out without the final dot.
MAX_DNS_NAME = 253
_LABEL = r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"
_ZONE_NAME_TEXT = "a DNS name such as internal.example.com: labels of 1-63 lowercase letters, digits and '-' (not at either end), joined by '.', no final dot, at most 253 characters"
# PutMetricAlarm AlarmName: 1-255 characters (CloudWatch API reference).
MAX_ALARM_NAME = 255


def _zone_name(value: Any) -> str:
    name = _pattern(rf"{_LABEL}(\.{_LABEL})+", _ZONE_NAME_TEXT)(value)
    if len(name) > MAX_DNS_NAME:
        raise _fail(f"{_show(name)} is {len(name)} characters; allowed: {_ZONE_NAME_TEXT}")
    return name


def _principal(value: Any) -> str:
    """An account, role or user ARN, as ModifyVpcEndpointServicePermissions takes them, or '*'
    (everyone: checked against `allow_any_principal` in `PrivateLink.problems`)."""
    if value == "*":
        return value
    return _pattern(
        r"arn:aws[a-z-]*:iam::\d{12}:(root|role/[\w+=,.@/-]{1,512}|user/[\w+=,.@/-]{1,512})",
        "an IAM principal ARN: arn:aws:iam::<12 digits>:root (an account), :role/<name> or :user/<name>; or '*' with allow_any_principal: true",
    )(value)


# Route 53 hosted zone IDs as Route 53 issues them: 'Z' and uppercase letters and digits (Z0123456789ABCDEFGHIJ).
HostedZoneId = Annotated[
    str, PlainValidator(_pattern(r"Z[0-9A-Z]{1,31}", "a Route 53 hosted zone ID: 'Z' and up to 31 uppercase letters and digits, such as Z0123456789ABCDEFGHIJ (no /hostedzone/ prefix)"))
]
ZoneName = Annotated[str, PlainValidator(_zone_name)]
Principal = Annotated[str, PlainValidator(_principal)]
# arn:<partition>:sns:<region>:<account>:<topic>; topic names are 1-256 letters, digits, '-' and '_', a
# FIFO topic's ending in .fifo (SNS CreateTopic Name).
SnsTopicArn = Annotated[
    str,
    PlainValidator(
        _pattern(
            r"arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?",
            "an SNS topic ARN: arn:aws:sns:<region>:<12-digit account>:<topic name>",
        )
    ),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dns(_Model):
    """`dns:`: one Route 53 alias record per service, `<service>.<zone_name>`, to the NLB that holds it
    (A, and AAAA when the NLB is dualstack)."""

    zone_name: ZoneName
    "The hosted zone's name, such as internal.example.com (a private zone associated with the clients' VPCs, usually)."
    zone_id: HostedZoneId
    "The hosted zone's ID, such as Z0123456789ABCDEFGHIJ: the zone is imported, never created or looked up."

    def record_name(self, service_name: str) -> str:
        """`redis` -> `redis.internal.example.com`: what clients connect to."""
        return f"{service_name}.{self.zone_name}"

    def problems(self, path: str, service_names: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """`service_names`: (path, name) of each service whose record goes into this zone."""
        found = []
        for where, name in service_names:
            record = self.record_name(name)
            if len(record) > MAX_DNS_NAME:
                found.append((f"{path}.zone_name", f"gives {where} the record name {record[:40]}... of {len(record)} characters; allowed: at most {MAX_DNS_NAME} (Route 53, 'DNS domain name format'); shorten the zone or service name"))
        return found


class PrivateLink(_Model):
    """`privatelink:`: the NLB as a VPC endpoint service that other accounts reach through interface
    endpoints in their own VPCs (docs/reach.md)."""

    allowed_principals: Annotated[list[Principal], Field(min_length=1)]
    "Who may create an endpoint to the service: account (`arn:aws:iam::<account>:root`), role or user ARNs."
    acceptance_required: Bool = True
    "Every new endpoint connection waits for the service owner's acceptance. Default: true."
    allow_any_principal: Bool = False
    "Must be true for `*` in allowed_principals (every AWS account may create an endpoint). Default: false."
    enforce_inbound_rules: Bool = False
    "Filter PrivateLink traffic with the NLB security group's inbound rules too; the source is then the consumer's client's own private IP, which `clients` must list. Default: false: the endpoint service's principals and acceptance decide who connects (docs/reach.md); a service whose own `clients` admit fewer sources than another listener then needs it written out (`true`, or `false` to accept that PrivateLink bypasses them)."

    def problems(self, path: str) -> list[tuple[str, str]]:
        found = []
        if "*" in self.allowed_principals:
            # ModifyVpcEndpointServicePermissions: "If you grant permissions to all principals, the
            # service is public ... If the service does not require manual approval, attachments are
            # automatically approved."
            if not self.allow_any_principal:
                found.append((f"{path}.allowed_principals", "'*' lets every AWS account create an endpoint to this service; to ask for it, add allow_any_principal: true"))
            elif not self.acceptance_required:
                found.append((f"{path}.acceptance_required", "false with '*' in allowed_principals connects every AWS account that asks, unreviewed; allowed: true, or list the principals"))
        elif self.allow_any_principal:
            found.append((f"{path}.allow_any_principal", "is only for '*' in allowed_principals; remove it"))
        seen: set[str] = set()
        for index, principal in enumerate(self.allowed_principals):
            if principal in seen:
                found.append((f"{path}.allowed_principals[{index}]", f"{principal!r} is listed twice; remove one"))
            seen.add(principal)
        return found

    def bypass_problems(self, path: str, narrower: list[str]) -> list[tuple[str, str]]:
        """`narrower`: each service (as `services[i] 'name'`) whose own clients admit fewer sources
        than another listener of the NLB. With enforcement off, the NLB's inbound rules are not
        evaluated for traffic through PrivateLink (ELB API reference, SetSecurityGroups
        EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "Indicates whether to evaluate inbound
        security group rules for traffic sent to a Network Load Balancer through AWS PrivateLink"), so an
        accepted endpoint reaches such a service as well: refused unless the file says so."""
        if self.enforce_inbound_rules or "enforce_inbound_rules" in self.model_fields_set:
            return []
        return [
            (f"{path}.enforce_inbound_rules", f"is unset (off), so every accepted PrivateLink endpoint reaches every listener, {where} too, whose own clients admit fewer sources than another listener; allowed: true (then list the consumers' client CIDRs in clients), or false written out to accept that PrivateLink bypasses those clients")
            for where in narrower
        ]


class Alarms(_Model):
    """`alarms:`: per service, a CloudWatch alarm when its target group has no healthy target."""

    topic_arn: SnsTopicArn
    "The SNS topic told when an alarm fires and when it is OK again."
    evaluation_periods: Annotated[int, PlainValidator(_integer(1, 60, " minutes"))] = 2
    "How many consecutive minutes without a healthy target raise the alarm, 1-60. Default: 2 (a pod restart of a one-replica service alarms; a blip of one health check does not)."

    @property
    def topic_region(self) -> str:
        """`ap-northeast-2` of `arn:aws:sns:ap-northeast-2:111111111111:alerts`."""
        return self.topic_arn.split(":")[3]

    def problems(self, path: str, region: str | None) -> list[tuple[str, str]]:
        """`region`: the stack's (`stack.region`), where the alarms are; None when not known. An alarm
        and its actions live in one region (CloudWatch: "Alarm actions must reside in the same region
        as the alarm"; PutMetricAlarm AlarmActions: `arn:aws:sns:<region>:<account-id>:<topic>`)."""
        if region is None or self.topic_region == region:
            return []
        return [(f"{path}.topic_arn", f"is a topic in {self.topic_region}, but the alarms are in the stack's region {region} (stack.region), and a CloudWatch alarm only notifies a topic of its own region; allowed: an SNS topic in {region}")]
