"""Fixed, realistic deploy outputs for the manifests tests (`cdk deploy --outputs-file` shape)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from shared_nlb import naming
from shared_nlb.config import Config

SECURITY_GROUP = "sg-0123456789abcdef0"
REGION_ACCOUNT = "ap-northeast-2:111111111111"


def target_group_arn(service_name: str, generation: int = 0) -> str:
    """A target group ARN as CloudFormation names it; `generation` > 0 stands for a replacement."""
    digest = hashlib.sha256(f"{service_name}/{generation}".encode()).hexdigest()[:16]
    name = f"shared-{naming.pascal(service_name)[:12]}-{digest[:8].upper()}"
    return f"arn:aws:elasticloadbalancing:{REGION_ACCOUNT}:targetgroup/{name}/{digest}"


def controller_role_arn(cluster_name: str) -> str:
    """The role a cross-account cluster's controller assumes, as CloudFormation names it."""
    return f"arn:aws:iam::{REGION_ACCOUNT.split(':')[1]}:role/shared-nlb-core-{naming.controller_role_id(cluster_name)}-0A1B2C3D4E5F"


def outputs_for(config: Config, **arns: str) -> dict[str, dict[str, str]]:
    """Every output the stack writes; `arns` overrides target group ARNs by service name."""
    values = {naming.target_group_output_key(s.name): arns.get(s.name, target_group_arn(s.name)) for s in config.services}
    values.update(
        {
            naming.LOAD_BALANCER_ARN_OUTPUT: f"arn:aws:elasticloadbalancing:{REGION_ACCOUNT}:loadbalancer/net/{config.load_balancer_name}/0123456789abcdef",
            naming.LOAD_BALANCER_DNS_OUTPUT: f"internal-{config.load_balancer_name}-0123456789abcdef.elb.ap-northeast-2.amazonaws.com",
            naming.SECURITY_GROUP_OUTPUT: SECURITY_GROUP,
            naming.VPC_ID_OUTPUT: config.network.vpc_id,
        }
    )
    if not config.load_balancer.security_group:  # an NLB without one (QUIC) has no such output
        del values[naming.SECURITY_GROUP_OUTPUT]
    for cluster in config.clusters or []:
        if cluster.controller_role_arn is not None:
            values[naming.controller_role_output_key(cluster.name)] = controller_role_arn(cluster.name)
    return {config.stack_name: dict(sorted(values.items()))}


def write_outputs(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    return path
