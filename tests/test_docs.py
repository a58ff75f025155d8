"""The README keeps its promises: the two opening commands, and a config reference naming every field."""

from __future__ import annotations

import re

from shared_nlb import config as model
from shared_nlb.config.clusters import Cluster
from tests.factories import ROOT

README = (ROOT / "README.md").read_text()


def test_readme_opens_with_setup_and_test_commands() -> None:
    first_block = README.split("```")[1]
    assert "scripts/setup && .venv/bin/shared-nlb demo" in first_block
    assert "scripts/test" in first_block
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test" in ci


def test_config_reference_names_every_field() -> None:
    section = README.split("## Config reference", 1)[1].split("\n## ", 1)[0]
    models = [model.Config, model.StackSettings, model.Network, model.LoadBalancerSettings, model.LoadBalancerEntry, model.AccessLogs, model.Client, model.HealthCheck, model.Service, model.TargetGroupHealth, model.Dns, model.PrivateLink, model.Alarms, Cluster]
    missing = [
        f"{m.__name__}.{name}"
        for m in models
        for name in m.model_fields
        if not re.search(rf"[`.]{re.escape(name)}[`\[ .]", section)
    ]
    assert missing == []


def test_config_reference_states_the_defaults_the_model_has() -> None:
    defaults = {
        "load_balancer.scheme": model.LoadBalancerSettings().scheme,
        "load_balancer.cross_zone": str(model.LoadBalancerSettings().cross_zone).lower(),
        "load_balancer.deletion_protection": str(model.LoadBalancerSettings().deletion_protection).lower(),
        "load_balancer.ip_address_type": model.LoadBalancerSettings().ip_address_type,
        "stack.export_outputs": str(model.StackSettings().export_outputs).lower(),
        "stack.termination_protection": str(model.StackSettings().termination_protection).lower(),
        "services[].protocol": "TCP",
        "services[].namespace": "default",
        "services[].ssl_policy": model.TLS_DEFAULT_POLICY,
    }
    for key, value in defaults.items():
        row = next(line for line in README.splitlines() if line.startswith(f"| `{key}` |"))
        assert f"`{value}`" in row.split("|")[2], key
