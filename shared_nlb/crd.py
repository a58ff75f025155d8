"""Checks a TargetGroupBinding the way the cluster would: the CRD's schema, then the controller's webhook.

The self-managed controller's CRD is vendored in `shared_nlb/data/` (see `data/SOURCE.md`: tag, commit,
sha256), so the check runs on a clean clone without `../shared`. EKS Auto Mode's (`eks.amazonaws.com/v1`)
is checked against a schema written from AWS's documented fields, as AWS publishes none (SOURCE.md);
pass `controller=` to check a binding for the cluster's controller.

`validate_binding(doc)` returns every problem, one line each, in
the style of aws-cdk's `validate(): string[]`; an empty list means the API server and the AWS Load
Balancer Controller's admission webhooks would accept the object on create. The checks that need AWS
(the target group's VPC and IP address type) cannot run offline and are left out.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from shared_nlb import config
from shared_nlb.config.controller import API_VERSIONS, AUTO_MODE, SELF_MANAGED

API_VERSION = API_VERSIONS[SELF_MANAGED]
AUTO_MODE_API_VERSION = API_VERSIONS[AUTO_MODE]
KIND = "TargetGroupBinding"
CRD_FILE = "elbv2.k8s.aws_targetgroupbindings.yaml"
AUTO_MODE_SCHEMA_FILE = "eks.amazonaws.com_targetgroupbindings.schema.yaml"

# metadata rules of the API server (apimachinery's IsDNS1123Subdomain / IsDNS1123Label).
_DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_DNS1123_LABEL = re.compile(config._DNS1123)


def crd_text() -> str:
    """The vendored CRD, byte-for-byte as published upstream."""
    return resources.files("shared_nlb").joinpath("data", CRD_FILE).read_text(encoding="utf-8")


@cache
def v1beta1_schema() -> dict[str, Any]:
    """`spec.versions[name=v1beta1].schema.openAPIV3Schema`, made checkable by jsonschema (see `_strict`)."""
    crd = yaml.safe_load(crd_text())
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1beta1")
    return _strict(copy.deepcopy(version["schema"]["openAPIV3Schema"]))


def _strict(node: Any) -> Any:
    """Two Kubernetes extensions that jsonschema does not know:

    - `x-kubernetes-int-or-string: true` means integer or string (controller-gen also writes an
      `anyOf`, but a hand-written CRD may not);
    - a structural schema prunes fields it does not list, and kubectl (`--validate=strict`, the default)
      rejects them: a misspelt field would silently vanish, so unknown fields are problems here.
    """
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _strict(value) for key, value in node.items()}
    if out.get("x-kubernetes-int-or-string") and "anyOf" not in out:
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if "properties" in out and "additionalProperties" not in out and not out.get("x-kubernetes-preserve-unknown-fields"):
        out["additionalProperties"] = False
    return out


@cache
def auto_mode_schema() -> dict[str, Any]:
    """The written openAPIV3Schema of EKS Auto Mode's TargetGroupBinding, made checkable as `v1beta1_schema`."""
    text = resources.files("shared_nlb").joinpath("data", AUTO_MODE_SCHEMA_FILE).read_text(encoding="utf-8")
    return _strict(yaml.safe_load(text))


@cache
def _validator(controller: str = SELF_MANAGED) -> Any:
    import jsonschema

    schema = auto_mode_schema() if controller == AUTO_MODE else v1beta1_schema()
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft4Validator)
    return cls(schema)


def _where(path: Iterable[Any]) -> str:
    # Not config.messages._format_path, though close: that one quotes keys outside [A-Za-z0-9_-] (a label key
    # reads spec.nodeSelector.matchLabels['kubernetes.io/os'] there, ...matchLabels.kubernetes.io/os
    # here) and gives "" for the document itself. Reusing it would change these problem lines.
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


def schema_problems(doc: Mapping[str, Any], controller: str = SELF_MANAGED) -> list[str]:
    """Problems against the controller's openAPIV3Schema (the CRD's v1beta1, or Auto Mode's written one), sorted by field path."""
    errors = sorted(_validator(controller).iter_errors(doc), key=lambda e: (_where(e.absolute_path), e.message))
    source = "Auto Mode schema" if controller == AUTO_MODE else "CRD schema"
    return [f"{_where(e.absolute_path)}: {e.message} ({source})" for e in errors]


def api_server_problems(doc: Mapping[str, Any], controller: str = SELF_MANAGED) -> list[str]:
    """What the API server checks before any schema: group, version, kind, name and namespace."""
    found = []
    expected = API_VERSIONS[controller]
    why = "EKS Auto Mode's TargetGroupBinding" if controller == AUTO_MODE else "the CRD's storage version"
    if doc.get("apiVersion") != expected:
        found.append(f"apiVersion: {doc.get('apiVersion')!r}; allowed: {expected!r} ({why})")
    if doc.get("kind") != KIND:
        found.append(f"kind: {doc.get('kind')!r}; allowed: {KIND!r}")
    metadata = doc.get("metadata")
    metadata = metadata if isinstance(metadata, Mapping) else {}
    name = metadata.get("name")
    if not isinstance(name, str) or len(name) > 253 or not _DNS1123_SUBDOMAIN.fullmatch(name):
        found.append(f"metadata.name: {name!r}; allowed: a DNS-1123 subdomain of at most 253 characters (generateName is not used: names must be stable)")
    namespace = metadata.get("namespace")
    if not isinstance(namespace, str) or not _DNS1123_LABEL.fullmatch(namespace):
        found.append(f"metadata.namespace: {namespace!r}; allowed: a DNS-1123 label (TargetGroupBinding is namespaced, and the binding must sit beside its Service)")
    return found


def webhook_problems(doc: Mapping[str, Any]) -> list[str]:
    """The controller's admission rules that need no AWS call (SOURCE.md, last note)."""
    spec = doc.get("spec")
    if not isinstance(spec, Mapping):
        return ["spec: missing; allowed: a mapping with serviceRef and targetGroupARN"]
    found = []
    if not spec.get("targetGroupARN") and not spec.get("targetGroupName"):
        found.append("spec.targetGroupARN: missing; the controller's webhook requires targetGroupARN or targetGroupName")
    if spec.get("targetType") == "ip" and spec.get("nodeSelector") is not None:
        found.append("spec.nodeSelector: must not be set with targetType ip (the controller's webhook rejects it)")
    return found


def validate_binding(doc: Any, controller: str = SELF_MANAGED) -> list[str]:
    """Every problem of one TargetGroupBinding document for a cluster running `controller`, one line
    each; [] when the cluster would take it."""
    if not isinstance(doc, Mapping):
        return [f"(document): {type(doc).__name__}, not a mapping"]
    return api_server_problems(doc, controller) + schema_problems(doc, controller) + webhook_problems(doc)


def validate_bindings(docs: Iterable[Mapping[str, Any]], controller: str = SELF_MANAGED) -> list[str]:
    """`validate_binding` of each document, plus the webhook's rule across them: one target group is
    bound by one binding only, unless every binding of it is multi-cluster (checkExistingTargetGroups:
    "Please enable MultiCluster mode on all TargetGroupBindings referencing ...")."""
    found: list[str] = []
    owners: dict[str, tuple[str, bool]] = {}
    for doc in docs:
        metadata = doc.get("metadata") or {}
        name = f"{metadata.get('namespace')}/{metadata.get('name')}"
        found += [f"{name}: {problem}" for problem in validate_binding(doc, controller)]
        spec = doc.get("spec") or {}
        arn, multi = spec.get("targetGroupARN"), spec.get("multiClusterTargetGroup") is True
        if arn and arn in owners and not (multi and owners[arn][1]):
            found.append(f"{name}: spec.targetGroupARN: {arn} is already bound by {owners[arn][0]}; one target group takes one binding")
        elif arn:
            owners.setdefault(arn, (name, multi))
    return found
