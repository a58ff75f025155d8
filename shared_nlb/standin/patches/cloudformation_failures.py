"""The CloudFormation fixes for failed operations: a failed execution rolls back, a failed stack
delete leaves the stack in DELETE_FAILED, ContinueUpdateRollback resumes a failed rollback, and a
failed stack refuses the change sets CloudFormation refuses (`rollback` does the work).

moto is imported inside each fix, so importing this module does not need moto.
"""

from __future__ import annotations

import copy

from shared_nlb.standin import rollback
from shared_nlb.standin.patches.state import delete_queued_target_groups, replace


def _failed_stack_deletes() -> None:
    """Gap 5 (deletes): when a resource cannot be deleted (a protected load balancer), moto's
    DeleteStack fails with an internal error and forgets the stack. CloudFormation keeps it, in
    DELETE_FAILED with the resource's reason; so does this."""
    from moto.cloudformation.models import CloudFormationBackend

    rollback.record(replace)
    original = CloudFormationBackend.delete_stack

    def delete_stack(self, name_or_stack_id):
        stack = next((s for s in self.stacks.values() if name_or_stack_id in (s.stack_id, s.name)), None)
        rollback.clear()
        try:
            original(self, name_or_stack_id)
            delete_queued_target_groups()
        except Exception as error:  # any resource failure: the stack stays, as in CloudFormation
            delete_queued_target_groups()
            if stack is None:
                raise
            self.stacks[stack.stack_id] = stack
            self.deleted_stacks.pop(stack.stack_id, None)
            stack.status = "DELETE_FAILED"
            made = stack.resource_map  # what is left, and nothing else (moto would make the rest again when asked for it)
            made._resource_json_map = {k: v for k, v in made._resource_json_map.items() if k in made._parsed_resources}
            # its outputs and their exports named what is gone (and would keep the export names taken)
            stack.template_dict = {k: v for k, v in stack.template_dict.items() if k != "Outputs"}
            stack.output_map = stack._create_output_map()
            for name in [n for n, export in self.exports.items() if export.exporting_stack_id == stack.stack_id]:
                del self.exports[name]
            failed = rollback.failures()
            for logical_id, cause in sorted(failed.items()):
                resource = stack.resource_map._resource_json_map.get(logical_id) or {}
                rollback.resource_event(stack, logical_id, resource.get("Type", ""), "DELETE_FAILED", rollback.reason(cause))
            why = f"The following resource(s) failed to delete: [{', '.join(sorted(failed))}]." if failed else (getattr(error, "message", None) or str(error))
            stack._add_stack_event("DELETE_FAILED", resource_status_reason=why)

    replace(CloudFormationBackend, "delete_stack", delete_stack)


def _failed_executions_roll_back() -> None:
    """Not in TOOLCHAIN.md (formerly listed as not closed): when a resource fails, moto's
    ExecuteChangeSet answers with that resource's error and leaves the stack half-made, in its status
    from before (REVIEW_IN_PROGRESS for a create). CloudFormation takes the execution, reports the
    failed resource in the stack's events and rolls back; so does this (`rollback`): a failed create
    ends in ROLLBACK_COMPLETE, or ROLLBACK_FAILED when a delete fails (a load balancer's deletion
    protection is honoured, through `elbv2._deletion_protection`); a failed update in
    UPDATE_ROLLBACK_COMPLETE, or UPDATE_ROLLBACK_FAILED when a resource cannot be restored."""
    from moto.cloudformation.models import CloudFormationBackend

    rollback.record(replace)
    original = CloudFormationBackend.execute_change_set

    def execute_change_set(self, change_set_name, stack_name=None):
        change_set = self.describe_change_set(change_set_name)
        stack = self.stacks[change_set.stack_id]
        previous = copy.deepcopy(stack.template_dict)
        rollback.clear()
        try:
            original(self, change_set_name, stack_name)
        except Exception:
            failed = rollback.failures()
            if not failed:  # not a resource's failure (an export name taken, say): refused, as before
                raise
            if change_set.change_set_type == "CREATE":
                rollback.roll_back_create(stack, change_set.template_dict, failed)
            else:
                rollback.roll_back_update(stack, previous, change_set.template_dict, failed)
            delete_queued_target_groups()
            change_set.execution_status = "EXECUTE_FAILED"

    replace(CloudFormationBackend, "execute_change_set", execute_change_set)


def _continue_update_rollback() -> None:
    """Not in TOOLCHAIN.md: moto has no ContinueUpdateRollback (the call fails as not implemented), so
    nothing moves a stack out of UPDATE_ROLLBACK_FAILED. Resumes the rollback (`rollback.restore`),
    ending in UPDATE_ROLLBACK_COMPLETE or again in UPDATE_ROLLBACK_FAILED; the ResourcesToSkip stay as
    they are and count as restored (API reference, ContinueUpdateRollback)."""
    from moto.cloudformation.exceptions import ValidationError
    from moto.cloudformation.responses import CloudFormationResponse
    from moto.core.responses import EmptyResult

    def continue_update_rollback(self):
        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        if stack.status != "UPDATE_ROLLBACK_FAILED" or not hasattr(stack, "standin_rollback"):
            raise ValidationError(message=f"Stack {stack.stack_id} is in {stack.status} state: only a stack in UPDATE_ROLLBACK_FAILED can continue its rollback")
        stack._add_stack_event("UPDATE_ROLLBACK_IN_PROGRESS", resource_status_reason="Continue rollback requested by user.")
        rollback.restore(stack, skip=list(self._get_param("ResourcesToSkip") or []))
        return EmptyResult()

    replace(CloudFormationResponse, "continue_update_rollback", continue_update_rollback)


# A stack in one of these cannot be updated ("Stack status codes"): only deleted, or, for the last,
# rolled back further.
_NOT_UPDATABLE = frozenset({"CREATE_FAILED", "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_FAILED", "UPDATE_ROLLBACK_FAILED"})


def _change_sets_refused_for_failed_stacks() -> None:
    """Not in TOOLCHAIN.md: moto creates an UPDATE change set for a stack in any status, and a CREATE
    change set under the name of a stack that exists (a second stack of that name). CloudFormation
    refuses both: a stack in ROLLBACK_COMPLETE, ROLLBACK_FAILED, DELETE_FAILED or
    UPDATE_ROLLBACK_FAILED cannot be updated (ValidationError), and a stack's name is taken until the
    stack is deleted (AlreadyExistsException). So does this, so the stand-in has the dead ends a
    failed deploy can leave."""
    from moto.cloudformation.exceptions import AlreadyExistsException, ValidationError
    from moto.cloudformation.models import CloudFormationBackend

    original = CloudFormationBackend.create_change_set

    def create_change_set(self, stack_name, change_set_name, template, parameters, description, change_set_type, *args, **kwargs):
        stack = next((s for s in self.stacks.values() if s.name == stack_name), None)
        if stack is not None and change_set_type == "CREATE" and stack.status != "REVIEW_IN_PROGRESS":
            raise AlreadyExistsException(f"Stack [{stack_name}] already exists")
        if stack is not None and change_set_type == "UPDATE" and stack.status in _NOT_UPDATABLE:
            raise ValidationError(message=f"Stack:{stack.stack_id} is in {stack.status} state and can not be updated.")
        return original(self, stack_name, change_set_name, template, parameters, description, change_set_type, *args, **kwargs)

    replace(CloudFormationBackend, "create_change_set", create_change_set)
