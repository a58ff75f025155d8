"""How a template reaches CreateChangeSet: in the call when it fits, else through the CDK bootstrap
bucket, as `cdk deploy` does."""

from __future__ import annotations

import hashlib
import json

from shared_nlb.changeset.client import Connection

# CreateChangeSet takes a TemplateBody of at most 51,200 bytes; larger templates go through S3.
MAX_TEMPLATE_BODY = 51_200
# The CDK bootstrap stack's asset bucket (default qualifier), where `cdk deploy` puts large templates
# too; the template's BootstrapVersion rule already requires the environment to be bootstrapped.
BOOTSTRAP_BUCKET = "cdk-hnb659fds-assets-{account}-{region}"


def template_argument(aws: Connection, template_text: str) -> dict[str, str]:
    """CreateChangeSet's TemplateBody (as written, or without indentation when that makes it fit), or
    else its TemplateURL."""
    body = template_text
    if len(body.encode()) > MAX_TEMPLATE_BODY:
        body = json.dumps(json.loads(template_text), separators=(",", ":"))  # same template, no indentation
    if len(body.encode()) <= MAX_TEMPLATE_BODY:
        return {"TemplateBody": body}
    return {"TemplateURL": _upload(aws, body)}


def capabilities_argument(template_text: str) -> dict[str, list[str]]:
    """CreateChangeSet's Capabilities: CAPABILITY_IAM when the template creates IAM resources (the role
    of a cluster in another account), which CloudFormation otherwise refuses with
    InsufficientCapabilities (CreateChangeSet reference, Capabilities); the roles' names are
    generated, so CAPABILITY_NAMED_IAM is never needed. No IAM resource: no argument, as before."""
    resources = json.loads(template_text).get("Resources", {})
    if any(str(r.get("Type", "")).startswith("AWS::IAM::") for r in resources.values()):
        return {"Capabilities": ["CAPABILITY_IAM"]}
    return {}


def _upload(aws: Connection, body: str) -> str:
    """Put a template too large for TemplateBody in the CDK bootstrap bucket, as `cdk deploy` does."""
    account = aws.call("find the account", aws.client("sts").get_caller_identity)["Account"]
    bucket = BOOTSTRAP_BUCKET.format(account=account, region=aws.region)
    key = f"shared-nlb/{hashlib.sha256(body.encode()).hexdigest()}.json"
    aws.call(f"upload the template to s3://{bucket} (is the environment bootstrapped?)", aws.client("s3").put_object, Bucket=bucket, Key=key, Body=body.encode())
    return f"https://{bucket}.s3.{aws.region}.amazonaws.com/{key}"
