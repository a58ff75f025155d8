"""What the fixes share: the methods they replaced (so that a fix can be taken away again) and the
target groups queued for CloudFormation's clean-up phase.

Every fix module imports this one; moto is imported only when the clean-up runs.
"""

from __future__ import annotations

from typing import Any

# (owner, attribute, moto's original) of every replaced method, so that tests can take one fix away.
_originals: list[tuple[Any, str, Any]] = []
# Target groups replaced during a change set's execution: deleted afterwards, in CloudFormation's
# clean-up phase, once the listeners point at their replacements.
replaced_target_groups: list[tuple[str, str, str]] = []

# (load balancer ARN, port) of the listeners an update moves to another port, while it runs: CloudFormation
# updates them in parallel, so a listener moved onto one of these ports may come first (DuplicateListener).
ports_given_up: set[tuple[str, str]] = set()

_ABSENT = object()  # the method was inherited or missing: removing the fix deletes the attribute


def replace(owner: Any, name: str, value: Any) -> None:
    """Set `owner.name` to `value`, remembering moto's own for `restore`."""
    _originals.append((owner, name, owner.__dict__.get(name, _ABSENT)))
    setattr(owner, name, value)


def restore() -> None:
    """Give moto back every method `replace` replaced, the last replaced first."""
    while _originals:
        owner, name, value = _originals.pop()
        if value is _ABSENT:
            delattr(owner, name)
        else:
            setattr(owner, name, value)


def delete_queued_target_groups() -> None:
    """The clean-up phase: delete the target groups queued while a listener still used them (replaced,
    or removed before the listener's update), now that nothing forwards to them. Also run after a
    rollback or a stack deletion, whose deletes queue them the same way."""
    from moto.elbv2.exceptions import ResourceInUseError
    from moto.elbv2.models import elbv2_backends

    for account_id, region_name, arn in replaced_target_groups:
        backend = elbv2_backends[account_id][region_name]
        if arn in backend.target_groups:
            try:
                backend.delete_target_group(arn)
            except ResourceInUseError:  # a listener that could not be deleted still forwards to it
                pass
    replaced_target_groups.clear()
