"""The fixes that close moto 5.2.5's CloudFormation gaps for an NLB stack, one function per gap.

moto's CloudFormation emulation has gaps that matter for an NLB stack (../shared/TOOLCHAIN.md, "moto
5.2.5 as the embedded AWS stand-in", gaps 1-6). Each fix is one small function whose docstring
names the gap it closes; `tests/test_standin.py` shows each gap with the fix taken away. The fixes
replace methods on moto's classes, so the server must run in this process (`server.running()` starts a
`ThreadedMotoServer` after patching); a separately started `moto_server` would not have them.

The fixes make the stand-in behave like CloudFormation where shared-nlb depends on it: the NLB is a
network load balancer with its attributes, executed change sets refresh outputs and exports, a change
set says which resources are replaced (and updates the resources that reference them), target groups
are updated or replaced as CloudFormation would, removed listeners and target groups go away, a
security group has exactly its rules (inline and separate, no leftover allow-all egress) and is
updated in place, a load balancer with deletion protection cannot be deleted, nor can a stack with
termination protection, a TLS listener needs a certificate that exists, and a failed operation ends
as in CloudFormation: rolled back, or in the failed status a deploy must get the stack out of
(ContinueUpdateRollback included). More serve the
real `cdk` CLI run against `shared-nlb standin`: a change set that does not exist is deleted without
error and described as not found, as CloudFormation does; and, for a CDK app of several stacks and
more than NLBs, a stack created by a change set imports other stacks' exports, a network load
balancer has a `net/` ARN, `Fn::GetAtt` answers a load balancer's and a target group's attributes, a
hosted zone with VPCs is private (and its ID starts with Z), a CloudWatch alarm is made, and so are a
VPC endpoint service and its allowed principals; a role keeps its inline policies as JSON and updates
them.

And the stand-in refuses what AWS refuses (DESIGN.md, "Safe changes, on every path"): a second
listener on a port (DuplicateListener; also one moved onto a port that another listener of the same
update moves away from, which on AWS fails or not by the order of parallel updates), a Route 53 CREATE of a record set that exists
(InvalidChangeBatch), security groups for a network load balancer created without any
(InvalidConfigurationRequest), each on the API and through CloudFormation; and an update runs in
CloudFormation's order, creates and updates first and deletes in the clean-up phase, so a renamed
listener, rule or record meets the one it replaces, as on AWS. moto itself refuses a security group
rule that exists (InvalidPermission.Duplicate); only its order of an update hid that.

This module holds the order the fixes are applied in (`FIXES`), `apply_patches` and
`remove_patches`, and names every fix, so that `patches.<fix>` reaches it. The fixes, by service:

- `elbv2`: load balancers, target groups, listeners, removals, their `Fn::GetAtt`, a port taken, an
  NLB's security groups;
- `quic`: QUIC and TCP_QUIC listeners and target groups, and AWS's rules for them;
- `ec2`: security groups and their rules, VPC endpoint services;
- `route53`: private hosted zones, zone IDs, a CREATE of a record set that exists;
- `iam`: roles' inline policies;
- `cloudwatch`: alarms;
- `cloudformation`: change sets and their executions (replacements, outputs and exports, imports,
  tags, change sets that do not exist, the order of an update);
- `cloudformation_failures`: failed operations (rollbacks, failed stack deletes,
  ContinueUpdateRollback, change sets refused for failed stacks);
- `cloudformation_protection`: termination protection (UpdateTerminationProtection, and DeleteStack
  refused for a protected stack);
- `cloudformation_drift`: drift detection (DetectStackDrift and what reads its result) and
  drift-aware change sets (DeploymentMode REVERT_DRIFT), which repair what changed outside
  CloudFormation;
- `state`: what they share: the replaced methods (`replace`, `restore`) and the target groups queued
  for the clean-up phase.

moto is imported inside each fix, so importing this package does not need moto.
"""

from __future__ import annotations

import os

from shared_nlb.standin.patches.cloudformation import (
    _change_set_replacements,
    _creates_before_deletes,
    _executed_change_sets,
    _executed_change_sets_retire_the_others,
    _change_sets_listed_per_stack,
    _imports_in_change_set_stacks,
    _missing_change_set_deletes,
    _missing_change_set_describes,
    _update_stack_tags,
)
from shared_nlb.standin.patches.cloudformation_drift import _drift_aware_change_sets, _stack_drift_detection
from shared_nlb.standin.patches.cloudformation_failures import (
    _change_sets_refused_for_failed_stacks,
    _continue_update_rollback,
    _failed_executions_roll_back,
    _failed_stack_deletes,
)
from shared_nlb.standin.patches.cloudformation_protection import _termination_protection
from shared_nlb.standin.patches.cloudwatch import _metric_alarms
from shared_nlb.standin.patches.ec2 import _endpoint_services, _security_group_inline_rules, _security_group_rule_resources
from shared_nlb.standin.patches.elbv2 import (
    _deletion_protection,
    _duplicate_listeners,
    _elbv2_get_att,
    _listener_updates,
    _network_load_balancer_arns,
    _network_load_balancer_from_template,
    _network_load_balancer_security_groups,
    _removals,
    _target_group_updates,
    _weighted_forward_from_template,
)
from shared_nlb.standin.patches.iam import _role_policies
from shared_nlb.standin.patches.quic import _quic_listeners_and_target_groups
from shared_nlb.standin.patches.route53 import _existing_record_creates, _hosted_zone_ids, _private_hosted_zones
from shared_nlb.standin.patches.state import restore

FIXES = (
    _network_load_balancer_from_template,
    _network_load_balancer_arns,
    _deletion_protection,
    _target_group_updates,
    _removals,
    _weighted_forward_from_template,
    _security_group_inline_rules,
    _security_group_rule_resources,
    _elbv2_get_att,
    _private_hosted_zones,
    _hosted_zone_ids,
    _role_policies,
    _metric_alarms,
    _endpoint_services,
    _change_set_replacements,
    _executed_change_sets,
    _imports_in_change_set_stacks,
    _update_stack_tags,
    _change_sets_listed_per_stack,
    _failed_stack_deletes,
    _termination_protection,  # after _failed_stack_deletes: a protected stack is refused before any delete starts
    _missing_change_set_deletes,
    _missing_change_set_describes,
    _listener_updates,
    _duplicate_listeners,  # after `_listener_updates`: it wraps that fix's listener update
    _network_load_balancer_security_groups,  # after `_network_load_balancer_from_template`: it wraps its update
    _quic_listeners_and_target_groups,  # after `_duplicate_listeners` and `_listener_updates`: it wraps both
    _existing_record_creates,
    _creates_before_deletes,
    _stack_drift_detection,
    _drift_aware_change_sets,
    _failed_executions_roll_back,  # after the other execute_change_set fixes: it wraps them all
    _continue_update_rollback,
    _change_sets_refused_for_failed_stacks,
    _executed_change_sets_retire_the_others,  # last: every other execute_change_set fix reads the executed change set
)

# The names of the fixes applied now.
_applied: set[str] = set()


def apply_patches(*, without: tuple[str, ...] = ()) -> None:
    """Apply every fix (idempotent) except those named in `without` (tests show a gap that way).
    Must run before the stand-in handles a request."""
    # moto's EC2 backend otherwise builds its whole catalogue of public AMIs (some 170,000 objects)
    # for every account and region it touches; an NLB stack launches no instance. The setting is
    # moto's own (`MOTO_EC2_LOAD_DEFAULT_AMIS`, moto's configuration docs); a user's value is kept.
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    wanted = tuple(fix.__name__ for fix in FIXES if fix.__name__ not in without)
    if tuple(sorted(_applied)) == tuple(sorted(wanted)):
        return
    remove_patches()
    for fix in FIXES:
        if fix.__name__ in wanted:
            fix()
            _applied.add(fix.__name__)


def remove_patches() -> None:
    """Give moto its own methods back (tests only)."""
    restore()
    _applied.clear()
