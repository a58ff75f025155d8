"""The stack outputs the TargetGroupBindings need, read from a `cdk deploy --outputs-file` JSON file.

The file's shape is `{stackName: {OutputKey: value}}` (`cdk deploy --outputs-file`, and `shared-nlb
deploy`). Everything is checked before any manifest is rendered, and every problem is reported at once,
one line each, naming the file, the stack, the output key and the service it belongs to, so the fix is
obvious: usually "deploy again" or "wrong stack name".
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared_nlb import naming, ports, untrusted
from shared_nlb.config import Config, aws_id_pattern
from shared_nlb.config.clusters import ROLE_ARN
from shared_nlb.errors import InvalidInput, UserError

# arn:<partition>:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<16 hex>; the name is the
# 1-32 character target group name (CloudFormation generates one, as the stack sets none).
TARGET_GROUP_ARN = re.compile(
    r"arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup/[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?/[0-9a-f]{16}"
)
_ARN_TEXT = "a target group ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)"
# The same ID formats the config accepts: the VpcId output is the config's network.vpc_id, verbatim.
_SECURITY_GROUP = re.compile(aws_id_pattern("sg"))
_VPC = re.compile(aws_id_pattern("vpc"))

_FIX = "deploy the stack again or check the stack name"
# CloudFormation API Reference, CreateStack, StackName: "can contain only alphanumeric characters
# (case sensitive) and hyphens. It must start with an alphabetical character and can't be longer than
# 128 characters" (pattern [a-zA-Z][-a-zA-Z0-9]*). `cdk deploy --outputs-file` keys its file by stack
# name, and the name goes into every manifest's header comment.
STACK_NAME = re.compile(r"[a-zA-Z][-a-zA-Z0-9]{0,127}")
STACK_NAME_TEXT = "a CloudFormation stack name (a letter, then letters, digits and '-', at most 128 characters)"


@dataclass(frozen=True)
class StackOutputs:
    """The checked values the bindings are built from: one target group ARN per service, by name."""

    stack_name: str
    vpc_id: str
    security_group_id: str | None
    "None for an NLB without a security group (`load_balancer.security_group: false`)."
    target_group_arns: Mapping[str, str]
    staged_arns: Mapping[str, str] = field(default_factory=dict)
    "Services whose target group is being replaced in stages (`shared_nlb.deploy.stage`): the new group."
    live_rules: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    "While staged: the live group's target rules, which its binding keeps."
    controller_roles: Mapping[str, str] = field(default_factory=dict)
    "Clusters in another account (`clusters[].controller_role_arn`): the role the stack made for each, by cluster name."

    def arn_of(self, service_name: str) -> str:
        return self.target_group_arns[service_name]


def _what(config: Config) -> dict[str, str]:
    """Output key -> what it is, for the error lines; every key the bindings need, in a stable order."""
    keys = {naming.target_group_output_key(s.name): f"target group of service {s.name!r}" for s in config.services}
    if config.load_balancer.security_group:
        keys[naming.SECURITY_GROUP_OUTPUT] = "the NLB security group, source of every binding's ingress rule"
    keys[naming.VPC_ID_OUTPUT] = "the VPC of every binding"
    for cluster in config.clusters or []:
        if cluster.controller_role_arn is not None:
            keys[naming.controller_role_output_key(cluster.name)] = f"the role the controller of cluster {cluster.name!r} assumes"
    return keys


def show(value: Any) -> str:
    """A value from an outputs file as messages echo it: cut while rendered (`untrusted.show`), at a
    length that still shows a whole target group ARN (32-character name, 130 characters in all)."""
    return untrusted.show(value, 160)


def stacks_in(data: Mapping[str, Any]) -> str:
    """The stack names of parsed outputs for a message: sorted, the first 20."""
    names = sorted(data)
    return ", ".join(names[:20]) + (f", ... ({len(names) - 20} more)" if len(names) > 20 else "") if names else "none"


def stack_key_problems(data: Mapping[Any, Any]) -> list[str]:
    """One line per key of parsed outputs that is not a stack name (`STACK_NAME`): such a file was
    not written by a deploy, and its keys would be echoed into messages and manifests."""
    return [f"stack key {show(key)} is not valid; allowed: {STACK_NAME_TEXT}" for key in data if not isinstance(key, str) or not STACK_NAME.fullmatch(key)]


def _value_problems(config: Config, key: str, value: Any, what: str) -> list[str]:
    if not isinstance(value, str):
        return [f"output {key} ({what}) is {show(value)}, not a string"]
    if key == naming.SECURITY_GROUP_OUTPUT and not _SECURITY_GROUP.fullmatch(value):
        return [f"output {key} is {show(value)}, not a security group ID (sg-...)"]
    if key == naming.VPC_ID_OUTPUT:
        if not _VPC.fullmatch(value):
            return [f"output {key} is {show(value)}, not a VPC ID (vpc-...)"]
        if value != config.network.vpc_id:
            return [f"output {key} is {value}, but the config's network.vpc_id is {config.network.vpc_id}; these outputs come from another deployment"]
    if key.endswith("TargetGroupArn") and not TARGET_GROUP_ARN.fullmatch(value):
        return [f"output {key} ({what}) is {show(value)}, not {_ARN_TEXT}"]
    if key.endswith("ControllerRoleArn") and not re.fullmatch(ROLE_ARN, value):
        return [f"output {key} ({what}) is {show(value)}, not an IAM role ARN (arn:aws:iam::<account>:role/<name>)"]
    return []


def parse_outputs(config: Config, data: Any, *, source: str = "outputs") -> StackOutputs:
    """Check parsed outputs (`{stackName: {OutputKey: value}}`) against the config; raise UserError
    listing every problem, one line each, prefixed with `source` (the file name): InvalidInput when
    a key or value is malformed (the file was not written by a deploy, or was edited), else UserError
    (an output is missing: deploy again)."""
    stack = config.stack_name
    if not isinstance(data, Mapping):
        raise UserError(f"{source}: is a {type(data).__name__}, not a JSON object; expected the `cdk deploy --outputs-file` shape {{stackName: {{OutputKey: value}}}}")
    bad_keys = stack_key_problems(data)
    if bad_keys:
        raise InvalidInput("\n".join(f"{source}: {p}" for p in bad_keys))
    if stack not in data:
        raise UserError(f"{source}: has no stack {stack} (stacks in the file: {stacks_in(data)}); {_FIX}")
    values = data[stack]
    if not isinstance(values, Mapping):
        raise InvalidInput(f"{source}: stack {stack} is a {type(values).__name__}, not an object of outputs")
    problems, malformed = [], []
    for key, what in _what(config).items():
        if key not in values:
            problems.append(f"stack {stack} has no output {key} ({what}); {_FIX}")
        else:
            malformed += [f"stack {stack} {p}" for p in _value_problems(config, key, values[key], what)]
    arns = {s.name: values.get(naming.target_group_output_key(s.name)) for s in config.services}
    seen: dict[str, str] = {}
    for name, arn in arns.items():
        if not isinstance(arn, str):
            continue
        if arn in seen:  # the controller's webhook would reject the second binding
            problems.append(f"stack {stack} gives services {seen[arn]!r} and {name!r} the same target group {arn}; one target group takes one binding")
        else:
            seen[arn] = name
    staged, live_rules = _staged(config, values, problems, malformed, stack)
    if problems or malformed:
        error = InvalidInput if malformed else UserError
        raise error("\n".join(f"{source}: {p}" for p in problems + malformed))
    return StackOutputs(
        stack_name=stack,
        vpc_id=values[naming.VPC_ID_OUTPUT],
        security_group_id=values[naming.SECURITY_GROUP_OUTPUT] if config.load_balancer.security_group else None,
        target_group_arns=dict(sorted(arns.items())),
        staged_arns=staged,
        live_rules=live_rules,
        controller_roles={
            c.name: values[naming.controller_role_output_key(c.name)] for c in sorted(config.clusters or [], key=lambda c: c.name) if c.controller_role_arn is not None
        },
    )


def _staged(
    config: Config, values: Mapping[str, Any], problems: list[str], malformed: list[str], stack: str
) -> tuple[dict[str, str], dict[str, tuple[tuple[str, int], ...]]]:
    """The staged replacements the outputs name (`shared_nlb.deploy.stage`): each a new group's ARN and the
    live group's target rules, both present or neither. A missing half goes to `problems`, a bad value
    to `malformed`."""
    staged: dict[str, str] = {}
    live_rules: dict[str, tuple[tuple[str, int], ...]] = {}
    for service in sorted(config.services, key=lambda s: s.name):
        arn_key, rules_key = naming.staged_target_group_output_key(service.name), naming.target_rules_output_key(service.name)
        arn, rules = values.get(arn_key), values.get(rules_key)
        if arn is None and rules is None:
            continue
        if arn is None or rules is None:
            missing = arn_key if arn is None else rules_key
            problems.append(f"stack {stack} has {rules_key if arn is None else arn_key} but no {missing} (staged replacement of service {service.name!r}); {_FIX}")
            continue
        if not isinstance(arn, str) or not TARGET_GROUP_ARN.fullmatch(arn):
            malformed.append(f"stack {stack} output {arn_key} (staged target group of service {service.name!r}) is {show(arn)}, not {_ARN_TEXT}")
            continue
        parsed = ports.parse_rules_text(rules) if isinstance(rules, str) else None
        if parsed is None:
            malformed.append(f"stack {stack} output {rules_key} is {show(rules)}, not target rules such as tcp/6379,tcp/8080")
            continue
        staged[service.name], live_rules[service.name] = arn, parsed
    return staged, live_rules


def load_json(path: str | Path) -> Any:
    """A `cdk deploy --outputs-file` JSON file, parsed within the size and nesting limits of
    `shared_nlb.untrusted`; UserError in one line when it cannot be (InvalidInput past a limit)."""
    source = str(path)
    try:
        text = untrusted.read_text(path)
        return parse_json(text, source=source)
    except untrusted.LimitExceeded as error:
        raise InvalidInput(f"{source}: {error.message}") from None
    except FileNotFoundError:
        raise UserError(f"{source}: no such file; write it with `cdk deploy --outputs-file {source}` or `shared-nlb deploy --outputs-file {source}`") from None
    except IsADirectoryError:
        raise UserError(f"{source}: is a directory; expected the JSON file of `cdk deploy --outputs-file`") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{source}: cannot be read: {error}") from None


def parse_json(text: str, *, source: str) -> Any:
    """JSON text parsed once it passes `untrusted.check_json`; UserError in one line when it is not
    JSON, InvalidInput when it is past a limit."""
    try:
        untrusted.check_json(text)
        return json.loads(text)
    except untrusted.LimitExceeded as error:
        where = f"{source}:{error.line}" if error.line else source
        raise InvalidInput(f"{where}: {error.message}") from None
    except json.JSONDecodeError as error:
        raise UserError(f"{source}:{error.lineno}: not valid JSON: {error.msg} (column {error.colno})") from None
    except (ValueError, RecursionError) as error:  # an integer past Python's 4300 digits; a depth the check missed
        raise InvalidInput(f"{source}: a value cannot be read: {untrusted.show(str(error).partition(';')[0], 120)}") from None


def read_outputs(config: Config, path: str | Path) -> StackOutputs:
    """Read and check a `cdk deploy --outputs-file` JSON file."""
    return parse_outputs(config, load_json(path), source=str(path))
