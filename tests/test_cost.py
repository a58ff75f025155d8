"""Cost estimate against hand-computed figures; the `cost` command's table and JSON."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from decimal import Decimal

import pytest

from shared_nlb.cli import main
from shared_nlb.config import parse_config
from shared_nlb.cost import PRICES, CostEstimate, estimate
from shared_nlb.errors import UserError
from tests import factories


def _config(count: int, region: str | None = None):
    data = factories.many_services(count)
    if region:
        data["stack"] = {"region": region}
    return parse_config(data)


def test_three_services_hand_computed():
    # before 3 x 0.0225 x 730 = 49.275; after 1 x 0.0225 x 730 = 16.425; saving 32.85
    result = estimate(_config(3))
    assert result.region == "us-east-1"
    assert (result.nlb_count_before, result.nlb_count_after) == (3, 1)
    assert result.monthly_before_usd == 49.275
    assert result.monthly_after_usd == 16.425
    assert result.monthly_saving_usd == 32.85
    assert result.before_exceeds_quota is False
    assert result.nlb_quota_per_region == 50
    assert "never rise" in result.note


def test_before_counts_kubernetes_services_not_ports():
    # One Service with three ports had one NLB (three listeners), not three; a second Service of the
    # same name in another namespace is another NLB. before 3 x 0.0225 x 730 = 49.275.
    ports = [{"name": f"kafka-{port}", "namespace": "kafka", "service": "kafka", "service_port": port, "listener_port": port} for port in (9092, 9093, 9094)]
    others = [
        {"name": "redis", "namespace": "data", "service_port": 6379, "listener_port": 6379},
        {"name": "redis-cache", "namespace": "cache", "service": "redis", "service_port": 6379, "listener_port": 6380},
    ]
    result = estimate(parse_config(factories.base_dict(ports + others)))
    assert (result.services, result.kubernetes_services, result.nlb_count_before, result.nlb_count_after) == (5, 3, 3, 1)
    assert (result.monthly_before_usd, result.monthly_saving_usd) == (49.275, 32.85)


def test_cli_table_counts_services_and_listeners(tmp_path, capsys):
    ports = [{"name": f"kafka-{port}", "namespace": "kafka", "service": "kafka", "service_port": port, "listener_port": port} for port in (9092, 9093, 9094)]
    assert main(["cost", str(factories.write(tmp_path, factories.base_dict(ports)))]) == 0
    out = capsys.readouterr().out
    assert "1 Kubernetes Service(s), 3 listener(s) on the shared NLB." in out
    assert "One NLB per Service uses 1 of 50 NLBs per region" in out
    assert "$0.00" in out  # one Service: nothing to save


def test_quota_exceeded_only_above_fifty():
    # 50 listeners is also the per-NLB listener limit, so the config allows at most 50 services.
    at_limit = estimate(_config(50))
    assert at_limit.before_exceeds_quota is False
    assert at_limit.monthly_saving_usd == 804.825  # 49 x 16.425


def test_region_argument_beats_config_region():
    config = _config(2, region="us-west-2")
    assert estimate(config).region == "us-west-2"
    assert estimate(config, region="us-east-2").region == "us-east-2"


# Every commercial region in AWS's ELB price file of 2025-06-05, written out here rather than read from the
# table so that a dropped or renamed row fails.
COMMERCIAL_REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    "af-south-1",
    "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
    "ca-central-1", "ca-west-1",
    "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
    "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
]


def test_table_prices_every_commercial_region():
    assert len(COMMERCIAL_REGIONS) == len(set(COMMERCIAL_REGIONS)) == 33
    assert [region for region in COMMERCIAL_REGIONS if region not in PRICES] == []
    for region in COMMERCIAL_REGIONS:
        nlb_hour, nlcu_hour = PRICES[region]
        assert isinstance(nlb_hour, Decimal) and isinstance(nlcu_hour, Decimal), region
        assert Decimal("0.02") < nlb_hour < Decimal("0.04") and Decimal("0.005") < nlcu_hour < Decimal("0.01"), region


def test_config_region_ap_northeast_2_hand_computed():
    # The team's own region, from the config: 0.0225 per NLB-hour, 0.006 per NLCU-hour.
    # before 3 x 0.0225 x 730 = 49.275; after 16.425; saving 32.85
    result = estimate(_config(3, region="ap-northeast-2"))
    assert result.region == "ap-northeast-2"
    assert (result.nlb_hourly_usd, result.nlcu_hourly_usd) == (0.0225, 0.006)
    assert (result.monthly_before_usd, result.monthly_after_usd, result.monthly_saving_usd) == (49.275, 16.425, 32.85)
    assert result.price_source == "prices as of 2025-06-05 (AWS price list)"


def test_region_priced_differently_sa_east_1():
    # before 3 x 0.034 x 730 = 74.46; after 24.82; saving 49.64
    result = estimate(_config(3), region="sa-east-1")
    assert (result.nlb_hourly_usd, result.nlcu_hourly_usd) == (0.034, 0.00825)
    assert (result.monthly_before_usd, result.monthly_after_usd, result.monthly_saving_usd) == (74.46, 24.82, 49.64)


def test_six_decimal_price_me_central_1():
    # before 3 x 0.028224 x 730 = 61.81056; after 20.60352; saving 41.20704 (Decimal: no float drift)
    result = estimate(_config(3), region="me-central-1")
    assert (result.monthly_before_usd, result.monthly_after_usd, result.monthly_saving_usd) == (61.81056, 20.60352, 41.20704)


@pytest.mark.parametrize("region", ["ap-southeast-6", "us-gov-west-1", "cn-north-1", "eu-central-9"])
def test_region_without_dated_price_is_refused(region):
    with pytest.raises(UserError) as raised:
        estimate(_config(1), region=region)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"no dated NLB price for region '{region}' in the price table (AWS price list of 2025-06-05, commercial regions only); ")
    assert "add its row to PRICES in shared_nlb/cost.py with its source and date" in message


def test_config_region_without_prices_is_refused():
    with pytest.raises(UserError, match="ap-southeast-6"):
        estimate(_config(1, region="ap-southeast-6"))


def test_demo_saving_line_dated_and_silent_without_price():
    from shared_nlb.commands.demo import _saving

    line = _saving(_config(3, region="ap-northeast-2"))
    assert line is not None
    assert "saves $32.85 a month in ap-northeast-2" in line and "prices as of 2025-06-05" in line
    assert _saving(_config(3, region="ap-southeast-6")) is None


def test_estimate_is_frozen():
    result = estimate(_config(1))
    assert isinstance(result, CostEstimate)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.region = "x"  # type: ignore[misc]


# --- the command --------------------------------------------------------------------------------------
def test_cli_json_is_sorted_and_exact(capsys):
    assert main(["cost", str(factories.EXAMPLE), "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert list(data) == sorted(data)
    assert (data["monthly_before_usd"], data["monthly_after_usd"], data["monthly_saving_usd"]) == (49.275, 16.425, 32.85)
    assert data["region"] == "us-east-1"
    assert data["price_source"] == "prices as of 2025-06-05 (AWS price list)"


def test_cli_table_shows_rounded_dollars(capsys):
    assert main(["cost", str(factories.EXAMPLE), "--region", "us-west-2"]) == 0
    out = capsys.readouterr().out
    assert "us-west-2" in out
    assert "$49.28" in out and "$16.43" in out and "$32.85" in out
    assert "one NLB per Kubernetes Service" in out
    assert "3 of 50 NLBs per region" in out
    assert "Price: $0.0225 per NLB-hour, $0.006 per NLCU-hour, prices as of 2025-06-05 (AWS price list)." in out


def test_cli_table_ap_northeast_2_and_sa_east_1(capsys):
    assert main(["cost", str(factories.EXAMPLE), "--region", "ap-northeast-2"]) == 0
    out = capsys.readouterr().out
    assert "ap-northeast-2" in out and "$49.28" in out and "$32.85" in out
    assert main(["cost", str(factories.EXAMPLE), "--region", "sa-east-1"]) == 0
    out = capsys.readouterr().out
    assert "$74.46" in out and "$24.82" in out and "$49.64" in out
    assert "Price: $0.034 per NLB-hour, $0.00825 per NLCU-hour" in out


@pytest.mark.parametrize("region", ["mars-north-1", "ap-southeast-6"])
def test_cli_region_without_price_exits_1_in_one_line(region, capsys):
    assert main(["cost", str(factories.EXAMPLE), "--region", region]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"shared-nlb cost: no dated NLB price for region '{region}'")


def test_cli_invalid_config_exits_2(tmp_path, capsys):
    path = factories.write(tmp_path, factories.with_changes(factories.base_dict(), version=7))
    assert main(["cost", str(path)]) == 2
    assert "version: 7 is not a known format version" in capsys.readouterr().err


def test_commands_never_import_aws_cdk(tmp_path):
    # cost, graph and import-services must stay fast: no aws-cdk, no jsii.
    script = (
        "import sys\n"
        "from shared_nlb.cli import main\n"
        f"assert main(['cost', {str(factories.EXAMPLE)!r}]) == 0\n"
        f"assert main(['graph', {str(factories.EXAMPLE)!r}, '--format', 'svg']) == 0\n"
        f"assert main(['import-services', {str(factories.ROOT / 'tests' / 'data' / 'services-list.yaml')!r}]) == 0\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('aws_cdk', 'jsii')))\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=factories.ROOT)
    assert done.returncode == 0, done.stderr[-2000:]


def test_cost_json_does_not_import_rich():
    script = (
        "import sys\n"
        "from shared_nlb.cli import main\n"
        f"assert main(['cost', {str(factories.EXAMPLE)!r}, '--json']) == 0\n"
        "loaded = sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.'))\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=factories.ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
