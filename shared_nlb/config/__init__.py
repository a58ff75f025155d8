"""The `shared-nlb.yaml` model: the whole format, every default and every rule, in one package.

Loading reports every problem of a file at once, one line each, in the form
`<file>:<line>: <field path>: <what is wrong>; <what is allowed>`. Field checks (types, ranges, formats,
unknown keys) run in pydantic; rules that relate fields (TLS needs a certificate, listener ports are
unique, quotas) run in the `problems()` methods, in the style of aws-cdk's `validate(): string[]`, so a
field error never hides a rule error elsewhere. Nothing here imports aws-cdk: `validate` never starts
jsii.

- `limits`: the AWS limits the rules enforce, and the listener protocols.
- `fields`: checks of single values and the field types built on them.
- `base`, `load_balancer`, `service`, `model`: the pydantic models and their `problems()` rules:
  an NLB's settings and clients, a service, and the whole file (`Config`, with `stack:` and `network:`);
  `units`: one NLB of a config and its stack.
- `reach`: `dns`, `privatelink` and `alarms`, models of their own (a load balancer entry may hold them).
- `rules`: rules between services and clients, shared by the models and by partial checks.
- `clusters`: `clusters:`, the Kubernetes clusters that bind the target groups; `controller`: the
  controller release each binding field needs.
- `placement`: which NLB of a `load_balancers` entry holds each service, and its committed file.
- `messages`: `Problem`, `ConfigError`, field paths, line numbers and pydantic's errors as text.
- `notes`: what a valid config does that its reader may not expect, one line each (not errors).
- `loading`: YAML to a validated `Config` (and its notes).

Everything the rest of shared-nlb uses is importable from here: `from shared_nlb.config import X`.
"""

# _DNS1123 too: shared_nlb.crd checks Kubernetes names with the same pattern, as `config._DNS1123`.
from shared_nlb.config.fields import _DNS1123, aws_id_pattern
from shared_nlb.config.limits import (
    MAX_LISTENERS_PER_NLB,
    MAX_LOAD_BALANCER_NAME,
    MAX_RULES_PER_SECURITY_GROUP,
    MAX_STACK_NAME,
    PORT_SPACES,
    TLS_DEFAULT_POLICY,
    Protocol,
)
from shared_nlb.config.loading import load_config, load_config_with_notes, load_yaml, parse_config
from shared_nlb.config.messages import ConfigError, Problem
from shared_nlb.config.load_balancer import AccessLogs, Client, LoadBalancerEntry, LoadBalancerSettings
from shared_nlb.config.model import Config, Network, StackSettings
from shared_nlb.config.service import HealthCheck, Service, TargetGroupHealth
from shared_nlb.config.units import Unit
from shared_nlb.config.reach import MAX_ALARM_NAME, MAX_DNS_NAME, Alarms, Dns, PrivateLink
from shared_nlb.config.rules import WIDE_IPV4_PREFIX, WIDE_IPV6_PREFIX, egress_rules, services_problems

__all__ = [
    "MAX_LISTENERS_PER_NLB",
    "MAX_LOAD_BALANCER_NAME",
    "MAX_RULES_PER_SECURITY_GROUP",
    "MAX_STACK_NAME",
    "PORT_SPACES",
    "TLS_DEFAULT_POLICY",
    "WIDE_IPV4_PREFIX",
    "WIDE_IPV6_PREFIX",
    "MAX_ALARM_NAME",
    "MAX_DNS_NAME",
    "AccessLogs",
    "Alarms",
    "Client",
    "Config",
    "ConfigError",
    "Dns",
    "HealthCheck",
    "LoadBalancerEntry",
    "LoadBalancerSettings",
    "Network",
    "PrivateLink",
    "Problem",
    "Protocol",
    "Service",
    "StackSettings",
    "TargetGroupHealth",
    "Unit",
    "aws_id_pattern",
    "egress_rules",
    "load_config",
    "load_config_with_notes",
    "load_yaml",
    "parse_config",
    "services_problems",
]
