"""CloudFormation change sets with boto3: create, describe, classify, execute or delete; outputs.

The same code talks to AWS and to the embedded stand-in (`shared_nlb.standin`); only the endpoint and
the credentials differ. Every AWS failure becomes one `UserError` line (no credentials, endpoint
unreachable, stack in a failed state, deletion protection): the command line prints it and exits 1.

- `errors`: boto3 failures as one line.
- `client`: the connection (session, region, credentials, clients), the stack's description and outputs.
- `template`: the template in the call, or through the CDK bootstrap bucket when too large.
- `plan`: `Plan` and `Change`, a change set as read back.
- `change_sets`: creating, reading and deleting change sets.
- `labels`: who a logical ID belongs to (`listener of service redis (RedisListener)`), for failure lines.
- `states`: what each stack status lets a deploy do next.
- `events`: executing a change set and waiting for the stack, with its events; `StackFailed`.
- `deletion`: deleting the stack; its termination protection.
- `drift`: what CloudFormation's drift detection finds changed or deleted outside it, per resource.
- `gate`: which replacements fail `plan --fail-on-replace` (those that cost connectivity).
- `cloudformation`: `CloudFormation`, the connection with all of the above as methods.
"""

from shared_nlb.changeset.change_sets import NO_CHANGES
from shared_nlb.changeset.client import ENDPOINT_DEFAULT_REGION, Connection, outputs_file_text
from shared_nlb.changeset.cloudformation import CloudFormation
from shared_nlb.changeset.labels import ResourceLabels
from shared_nlb.changeset.plan import Change, Plan
from shared_nlb.changeset.template import BOOTSTRAP_BUCKET, MAX_TEMPLATE_BODY

__all__ = [
    "BOOTSTRAP_BUCKET",
    "ENDPOINT_DEFAULT_REGION",
    "MAX_TEMPLATE_BODY",
    "NO_CHANGES",
    "Change",
    "CloudFormation",
    "Connection",
    "Plan",
    "ResourceLabels",
    "outputs_file_text",
]
