"""The CloudFormation fix for termination protection: it can be turned on and off, and a protected
stack is not deleted.

moto is imported inside the fix, so importing this module does not need moto.
"""

from __future__ import annotations

from shared_nlb.standin.patches.state import replace


def _termination_protection() -> None:
    """Not in TOOLCHAIN.md, found here: moto keeps a CreateStack's `EnableTerminationProtection` and
    reports it in DescribeStacks, but has no UpdateTerminationProtection (the call fails as not
    implemented, and so does the `cdk deploy` of a protected stack, which makes it), and its
    DeleteStack deletes a protected stack. CloudFormation updates the setting on a stack that exists
    (a change set's REVIEW_IN_PROGRESS stack included: `cdk deploy` sets it there) and refuses to
    delete a protected stack, deleting nothing and leaving its status as it was: ValidationError
    "Stack [NAME] cannot be deleted while TerminationProtection is enabled" (AWS CloudFormation User
    Guide, "Protect CloudFormation stacks from being deleted"). So does this."""
    from moto.cloudformation.exceptions import ValidationError
    from moto.cloudformation.models import CloudFormationBackend
    from moto.cloudformation.responses import CloudFormationResponse
    from moto.core.responses import ActionResult

    def update_termination_protection(self):
        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        if stack.status == "DELETE_COMPLETE":  # a deleted stack is found by its ID, but has nothing to protect
            raise ValidationError(message=f"Stack [{stack.name}] does not exist")
        stack.enable_termination_protection = self._get_bool_param("EnableTerminationProtection", False)
        return ActionResult({"StackId": stack.stack_id})

    original = CloudFormationBackend.delete_stack

    def delete_stack(self, name_or_stack_id):
        stack = next((s for s in self.stacks.values() if name_or_stack_id in (s.stack_id, s.name)), None)
        if stack is not None and stack.enable_termination_protection:
            raise ValidationError(message=f"Stack [{stack.name}] cannot be deleted while TerminationProtection is enabled")
        original(self, name_or_stack_id)

    replace(CloudFormationResponse, "update_termination_protection", update_termination_protection)
    replace(CloudFormationBackend, "delete_stack", delete_stack)
