"""Failed stack operations as CloudFormation ends them, on moto's CloudFormation backend.

moto runs a change set's resources synchronously and lets the first resource error escape from
ExecuteChangeSet, leaving the stack half-made. CloudFormation instead records the failed resource in
the stack's events and rolls back ("Stack status codes", AWS CloudFormation User Guide):
- a failed create deletes what it made: ROLLBACK_COMPLETE, or ROLLBACK_FAILED when a delete fails
  (a load balancer with deletion protection on);
- a failed update restores the previous template: UPDATE_ROLLBACK_COMPLETE, or UPDATE_ROLLBACK_FAILED
  when a resource cannot be restored, which ContinueUpdateRollback resumes, leaving its
  ResourcesToSkip as they are (API reference, ContinueUpdateRollback).

`patches` installs these; moto is imported only when they run, so importing this module does not
need moto.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any

# Logical ID -> why its last create, update or delete failed, since `record()` was last cleared.
_failures: dict[str, Exception] = {}


def reason(error: Exception | None) -> str:
    """`Code: message`, as CloudFormation quotes a resource's error in its event."""
    if error is None:
        return "unknown failure"
    code = getattr(error, "code", None) or type(error).__name__
    message = getattr(error, "message", None) or str(error)
    return f"{code}: {message}"


def record(replace: Any) -> None:
    """Wrap moto's per-resource create, update and delete so that each failure is kept by logical ID
    (moto raises one error and forgets which resource it came from). `replace(owner, name, value)`
    is the patches' own replacement, so removing the patches removes these too."""
    from moto.cloudformation import parsing

    if getattr(parsing.parse_and_create_resource, "standin_recording", False):
        return

    def recording(function: Any, logical_id_of: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            logical_id = logical_id_of(*args, **kwargs)
            try:
                result = function(*args, **kwargs)
            except Exception as error:
                _failures[logical_id] = error
                raise
            _failures.pop(logical_id, None)
            return result

        wrapper.standin_recording = True  # type: ignore[attr-defined]
        return wrapper

    first = lambda logical_id, *args, **kwargs: logical_id  # noqa: E731
    replace(parsing, "parse_and_create_resource", recording(parsing.parse_and_create_resource, first))
    replace(parsing, "parse_and_update_resource", recording(parsing.parse_and_update_resource, first))
    by_resource = lambda resource_map, parsed, resource_json: getattr(parsed, "logical_resource_id", "")  # noqa: E731
    replace(parsing.ResourceMap, "_delete_resource", recording(parsing.ResourceMap._delete_resource, by_resource))


def clear() -> None:
    _failures.clear()


def failures() -> dict[str, Exception]:
    return dict(_failures)


def resource_event(stack: Any, logical_id: str, resource_type: str, status: str, why: str) -> None:
    """Add a resource's event to the stack's events (moto records the stack's own events only)."""
    from moto.cloudformation.models import Event

    parsed = stack.resource_map._parsed_resources.get(logical_id)
    stack.events.append(
        Event(
            stack_id=stack.stack_id,
            stack_name=stack.name,
            logical_resource_id=logical_id,
            physical_resource_id=getattr(parsed, "physical_resource_id", None) or "",
            resource_type=resource_type,
            resource_status=status,
            resource_status_reason=why,
            resource_properties=None,
        )
    )


def roll_back_create(stack: Any, template: dict[str, Any], failed: dict[str, Exception]) -> None:
    """After a failed create: the failed resources' events, then delete what was made. The stack keeps
    only what could not be deleted, so DescribeStackResources (which moto answers by creating any
    resource of the template it has not made yet) lists what is left and nothing else."""
    resources = template.get("Resources", {})
    for logical_id, error in sorted(failed.items()):
        resource_event(stack, logical_id, resources[logical_id]["Type"], "CREATE_FAILED", reason(error))
    stack._add_stack_event("ROLLBACK_IN_PROGRESS", resource_status_reason=f"The following resource(s) failed to create: [{', '.join(sorted(failed))}]. Rollback requested by user.")
    made = stack.resource_map
    made._resource_json_map = {k: v for k, v in resources.items() if k in made._parsed_resources}
    clear()
    try:
        made.delete()  # in dependency order, retried; raises when anything is left
    except Exception:  # noqa: BLE001 - what is left is read from the map below
        pass
    left = {k: v for k, v in made._resource_json_map.items() if k in made._parsed_resources}
    for logical_id, resource in sorted(left.items()):
        resource_event(stack, logical_id, resource["Type"], "DELETE_FAILED", reason(_failures.get(logical_id)))
    made._resource_json_map = left
    stack.status = "ROLLBACK_FAILED" if left else "ROLLBACK_COMPLETE"
    stack._add_stack_event(stack.status, resource_status_reason=f"The following resource(s) failed to delete: [{', '.join(sorted(left))}]." if left else None)


def roll_back_update(stack: Any, previous: dict[str, Any], attempted: dict[str, Any], failed: dict[str, Exception]) -> None:
    """After a failed update: the failed resources' events, then restore the previous template."""
    before = previous.get("Resources", {})
    for logical_id, error in sorted(failed.items()):
        kind = (attempted.get("Resources", {}).get(logical_id) or before.get(logical_id) or {}).get("Type", "")
        resource_event(stack, logical_id, kind, "UPDATE_FAILED" if logical_id in before else "CREATE_FAILED", reason(error))
    verb = "update" if any(logical_id in before for logical_id in failed) else "create"
    stack._add_stack_event("UPDATE_ROLLBACK_IN_PROGRESS", resource_status_reason=f"The following resource(s) failed to {verb}: [{', '.join(sorted(failed))}].")
    stack.standin_rollback = (previous, attempted)
    restore(stack, skip=())


def restore(stack: Any, *, skip: list[str] | tuple[str, ...]) -> None:
    """Restore the template the failed update started from; `skip` (ContinueUpdateRollback's
    ResourcesToSkip) stay as they are and count as restored. A resource that cannot be restored keeps
    the attempted template's properties in the stack's map, so a continued rollback tries it again."""
    previous, attempted = stack.standin_rollback
    made = stack.resource_map
    for logical_id in skip:
        if logical_id in previous["Resources"] and logical_id in made._parsed_resources:
            made._resource_json_map[logical_id] = copy.deepcopy(previous["Resources"][logical_id])
    clear()
    try:
        with warnings.catch_warnings():  # the failed resource was never made, so there is nothing to delete
            warnings.filterwarnings("ignore", message=r"Unable to delete .* as it was never created")
            made.update(copy.deepcopy(previous), stack.parameters)
    except Exception as error:  # noqa: BLE001 - reported in the stack's events, as CloudFormation does
        failed = failures() or {"": error}
        for logical_id, cause in sorted(failed.items()):
            if logical_id in attempted.get("Resources", {}) and logical_id in made._parsed_resources:
                made._resource_json_map[logical_id] = copy.deepcopy(attempted["Resources"][logical_id])
            elif logical_id not in made._parsed_resources:
                made._resource_json_map.pop(logical_id, None)
            kind = (previous["Resources"].get(logical_id) or attempted.get("Resources", {}).get(logical_id) or {}).get("Type", "")
            resource_event(stack, logical_id, kind, "UPDATE_FAILED", reason(cause))
        stack.status = "UPDATE_ROLLBACK_FAILED"
        stack._add_stack_event(stack.status, resource_status_reason=f"The following resource(s) failed to update: [{', '.join(sorted(failed))}].")
        return
    stack.status = "UPDATE_ROLLBACK_COMPLETE"
    stack._add_stack_event("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
    stack._add_stack_event(stack.status)
    del stack.standin_rollback
