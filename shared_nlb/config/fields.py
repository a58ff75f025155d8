"""Checks of single values (ports, IDs, CIDRs, names, tags) and the field types built on them.

Each check raises one PydanticCustomError whose text is the whole problem message, so that a field
error reads the same as a rule error.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from pydantic import PlainValidator
from pydantic_core import PydanticCustomError

from shared_nlb.config.limits import _PROTOCOLS
from shared_nlb.untrusted import show


# --- scalar checks: each raises one PydanticCustomError whose text is the whole message ---------------
def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("shared_nlb", message)


def _show(value: Any) -> str:
    """A value as the user wrote it, cut short while it is rendered (`shared_nlb.untrusted.show`): an
    error line stays one readable line, whatever the value's size."""
    return show(value)


def _integer(lo: int, hi: int, what: str = "") -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(f"{_show(value)} is not an integer; allowed: {lo}-{hi}{what}")
        if not lo <= value <= hi:
            raise _fail(f"{_show(value)} is out of range; allowed: {lo}-{hi}{what}")
        return value

    return check


def _integer_or_off(lo: int, hi: int | None, what: str = "") -> Callable[[Any], int | str]:
    """An integer in lo-hi (no ceiling when hi is None), or `off`, as ELB's target group health
    attributes take them. YAML 1.1 reads a bare `off` as false, so false means off too."""
    allowed = f"{lo}-{hi}{what} or off" if hi is not None else f"an integer of at least {lo}{what}, or off"

    def check(value: Any) -> int | str:
        if value == "off" or value is False:
            return "off"
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(f"{_show(value)} is not an integer or off; allowed: {allowed}")
        if value < lo or (hi is not None and value > hi):
            raise _fail(f"{_show(value)} is out of range; allowed: {allowed}")
        return value

    return check


def _capacity_units(value: Any) -> int:
    """A whole, positive number of LCUs; the range per zone is a rule (it needs the subnet count)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _fail(f"{_show(value)} is not a positive integer; allowed: a number of LCUs, 2750-45000 per zone of the NLB")
    return value


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
            raise _fail(f"{_show(value)} is not valid; allowed: {allowed}")
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
        raise _fail(f"{_show(value)} is not a valid port; allowed: {_PORT_TEXT}")
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise _fail(f"{_show(value)} is not a valid port; allowed: {_PORT_TEXT}")
    return value


def is_service_port(value: Any) -> bool:
    """A Service port as the config's `service_port` takes it: 1-65535, or a port name (IANA service
    name syntax, as Kubernetes checks it)."""
    try:
        _service_port(value)
    except PydanticCustomError:
        return False
    return True


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
            raise _fail(f"{_show(value)} is not a valid CIDR; allowed: {what}") from None
        if "/" not in value:
            raise _fail(f"{_show(value)} has no prefix length; write it as {network.with_prefixlen!r}")
        if network.version not in versions:
            raise _fail(f"{_show(value)} is IPv{network.version}; allowed: {what}")
        if network.network_address != ipaddress.ip_address(value.split("/")[0]):
            raise _fail(f"{_show(value)} has host bits set; did you mean {network.with_prefixlen!r}?")
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
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**12:
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
TargetCidr = Annotated[str, PlainValidator(_network(versions=(4,), what="an IPv4 CIDR such as 100.64.0.0/16"))]
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
