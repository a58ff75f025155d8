"""What CloudFormation's stack statuses mean for a deploy: which ones a failed operation leaves, what
each lets shared-nlb do next, and the one-line way out that follows a failure.

Source for every status below: AWS CloudFormation User Guide, "Stack status codes" (view-stack-events),
and the API reference of the call named with it.
"""

from __future__ import annotations

# The statuses a stack passes through when its creation fails, and nothing else: a stack whose own
# events hold only these never reached CREATE_COMPLETE (a change set's stack starts in
# REVIEW_IN_PROGRESS; a failed create rolls back, and a rollback or a later deletion can fail).
FAILED_CREATE_PATH = frozenset(
    {
        "REVIEW_IN_PROGRESS",
        "CREATE_IN_PROGRESS",
        "CREATE_FAILED",
        "ROLLBACK_IN_PROGRESS",
        "ROLLBACK_FAILED",
        "ROLLBACK_COMPLETE",
        "DELETE_IN_PROGRESS",
        "DELETE_FAILED",
    }
)

# Resource events CloudFormation adds for the siblings of the resource that failed: not a cause.
CANCELLED = ("Resource creation cancelled", "Resource update cancelled")

# How a stack gets out of each status that stops a change set: what `shared-nlb deploy` does first.
WAY_OUT = {
    "ROLLBACK_COMPLETE": "deploy deletes the rolled-back stack (it holds nothing) and creates it anew",
    "ROLLBACK_FAILED": "deploy deletes a stack that never reached CREATE_COMPLETE, turning off its load balancer's deletion protection, and creates it anew",
    "CREATE_FAILED": "deploy deletes a stack that never reached CREATE_COMPLETE and creates it anew",
    "DELETE_FAILED": "deploy finishes deleting a stack that never reached CREATE_COMPLETE and creates it anew, and otherwise says how (docs/deploy.md, 'When a deploy fails')",
    "UPDATE_ROLLBACK_FAILED": "deploy continues the rollback first (ContinueUpdateRollback) and names any resource it cannot restore",
    "IMPORT_ROLLBACK_FAILED": "shared-nlb never imports resources: fix the import in the console first",
}
# The next step after an operation ended in a failed status: appended to its one-line error.
NEXT_STEP = {status: f"fix that and deploy again: {way}" for status, way in WAY_OUT.items()} | {
    "UPDATE_ROLLBACK_COMPLETE": "the stack is as it was before this deploy; fix that and deploy again",
}
