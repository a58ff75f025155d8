"""Any boto3 failure as one `UserError` line: what shared-nlb was doing, and why it failed (no
credentials, endpoint unreachable, a CloudFormation error with its code)."""

from __future__ import annotations

import os

from shared_nlb.errors import UserError

NO_REGION = "no AWS region: pass --region, set stack.region in the config, or set AWS_REGION"


def error_code(error: Exception) -> str:
    return getattr(error, "response", {}).get("Error", {}).get("Code", "") if hasattr(error, "response") else ""


def error_message(error: Exception) -> str:
    if hasattr(error, "response"):
        return str(error.response.get("Error", {}).get("Message") or error)
    return str(error)


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def user_error(error: Exception, what: str, endpoint_url: str | None) -> UserError:
    """One line for any boto3 failure: what was being done, and why it failed."""
    from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError, NoRegionError, PartialCredentialsError

    # boto3 takes AWS_ENDPOINT_URL from the environment as it takes --endpoint-url (botocore's
    # "service-specific endpoints" configuration): a failure names the endpoint it tried either way.
    where = endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or "AWS"
    if isinstance(error, EndpointConnectionError):
        return UserError(f"cannot reach {where} to {what}: is the endpoint up? ({one_line(error)})")
    if isinstance(error, (NoCredentialsError, PartialCredentialsError)):
        return UserError(f"no usable AWS credentials to {what}: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
    if isinstance(error, NoRegionError):
        return UserError(NO_REGION)
    if isinstance(error, ClientError):
        message = error_message(error)
        if "cdk-bootstrap" in message:
            message += " (run `cdk bootstrap` in this account and region first)"
        return UserError(f"could not {what}: {error_code(error)}: {one_line(message)}")
    if isinstance(error, UserError):
        return error
    return UserError(f"could not {what} at {where}: {type(error).__name__}: {one_line(error)}")
