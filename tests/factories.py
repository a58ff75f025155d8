"""Valid raw configs for tests: small, deterministic, easy to mutate."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "shared-nlb.yaml"


def example_dict() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text())


# Public subnets for an internet-facing entry of `load_balancers` (never those of network.subnet_ids).
PUBLIC_SUBNETS = ["subnet-0ccccccccccccccc3", "subnet-0ddddddddddddddd4"]


def base_dict(services: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "version": 1,
        "name": "test",
        "network": {
            "vpc_id": "vpc-0a1b2c3d4e5f60718",
            "vpc_cidr": "10.0.0.0/16",
            "subnet_ids": ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"],
        },
        "clients": [{"security_group": "sg-0ec5000000000001a"}],
        "services": services if services is not None else [{"name": "redis", "service_port": 6379, "listener_port": 6379}],
    }


def many_services(count: int, *, first_port: int = 10000) -> dict[str, Any]:
    """`count` TCP services svc-01.. on listener ports first_port.., spread over three namespaces."""
    services = [
        {
            "name": f"svc-{i:02d}",
            "namespace": ("data", "kafka", "observability")[i % 3],
            "service_port": 8000 + i,
            "listener_port": first_port + i,
        }
        for i in range(1, count + 1)
    ]
    return base_dict(services)


def with_changes(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    out.update(changes)
    return out


def write(tmp_path: Path, data: Any, name: str = "shared-nlb.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def all_settings() -> dict[str, Any]:
    """Every NLB and target group setting (README, "NLB and target group settings") in one valid
    config: zonal shift with cross-zone on (TCP services only), LCU reservation (no TLS)."""
    data = base_dict(
        [
            {
                "name": "kafka",
                "service_port": 9092,
                "listener_port": 9092,
                "target_group_health": {"minimum_healthy_targets": 2, "minimum_healthy_targets_percentage": "off"},
                "unhealthy_draining_seconds": 300,
                "connection_termination": True,
            },
            {"name": "redis", "service_port": 6379, "listener_port": 6379, "target_group_health": {"minimum_healthy_targets_percentage": 50}},
        ]
    )
    data["load_balancer"] = {"zonal_shift": True, "cross_zone": True, "client_routing_policy": "availability_zone_affinity", "minimum_capacity_units": 5500}
    return data


def multi(services: list[dict] | None = None, **entries_and_keys) -> dict:
    """A config with two entries: `internal` (max 2 listeners) and `public` (internet-facing)."""
    data = base_dict(
        services
        if services is not None
        else [
            {"name": "redis", "service_port": 6379, "listener_port": 6379},
            {"name": "kafka", "service_port": 9092, "listener_port": 9092},
            {"name": "nats", "service_port": 4222, "listener_port": 4222},
            {"name": "web", "service_port": 443, "listener_port": 443, "load_balancer": "public"},
        ]
    )
    data["load_balancers"] = [
        {"name": "internal", "max_listeners": 2},
        {"name": "public", "scheme": "internet-facing", "subnet_ids": PUBLIC_SUBNETS, "clients": [{"cidr": "203.0.113.0/24"}]},
    ]
    data.update(entries_and_keys)
    return data
