"""What consolidating saves: one NLB per Kubernetes Service against one shared NLB, fixed hourly charges only.

Before consolidation each LoadBalancer Service had one NLB, with a listener per port, so the "before"
count is the number of distinct (namespace, Service) pairs, not of config entries (one per port).

An NLB costs a fixed amount per hour it exists plus NLCU-hours that follow traffic (new flows, active
flows, bytes). Consolidation changes only the first part: the same traffic through one NLB uses the same
or fewer NLCUs (each NLB is billed on its own busiest dimension, and the shared one spreads that over
all services), so the estimate counts the fixed part and says so. Pure; never imports aws-cdk.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from shared_nlb.config import Config
from shared_nlb.errors import UserError

# The one price table: USD (per NLB-hour, per NLCU-hour), on-demand, commercial regions.
# Source: AWS Elastic Load Balancing pricing page (https://aws.amazon.com/elasticloadbalancing/pricing/),
# "Network Load Balancer"; figures recorded 2026-11 as given in GitHub issue 8 (us-east-2 and us-west-2
# are priced the same as us-east-1 there). Other regions differ (by a few percent up to ~30%) and no
# dated per-region figure was found for them (the page renders its regional rates from the AWS Price
# List, service code AWSELB, usage types <region>-LoadBalancerUsage and <region>-LCUUsage with
# operation LoadBalancing:Network), so they are refused rather than guessed. To add one, add its row
# here with the figures' source and date.
PRICES: dict[str, tuple[Decimal, Decimal]] = {
    "us-east-1": (Decimal("0.0225"), Decimal("0.006")),
    "us-east-2": (Decimal("0.0225"), Decimal("0.006")),
    "us-west-2": (Decimal("0.0225"), Decimal("0.006")),
}
DEFAULT_REGION = "us-east-1"
HOURS_PER_MONTH = 730  # the AWS pricing calculator's month (8760 hours / 12)
NLB_QUOTA_PER_REGION = 50  # ELB quota "Network Load Balancers per Region", account default
NLCU_NOTE = (
    "NLCU charges follow traffic (new and active flows, bytes) and are not included; "
    "they never rise by consolidating, because the same traffic through one NLB uses at most the NLCUs it used on many."
)


@dataclass(frozen=True)
class CostEstimate:
    """Monthly fixed cost of one NLB per service (before) against one shared NLB (after), in USD."""

    region: str
    services: int
    "Config entries: one listener each."
    kubernetes_services: int
    "Distinct (namespace, Service) pairs: one NLB each before consolidation."
    nlb_count_before: int
    nlb_count_after: int
    nlb_hourly_usd: float
    nlcu_hourly_usd: float
    hours_per_month: int
    monthly_before_usd: float
    monthly_after_usd: float
    monthly_saving_usd: float
    nlb_quota_per_region: int
    before_exceeds_quota: bool
    note: str


def kubernetes_services(config: Config) -> set[tuple[str, str]]:
    """(namespace, Service name) of every entry: a Service with three ports is three entries, one NLB."""
    return {(service.namespace, service.k8s_service) for service in config.services}


def estimate(config: Config, region: str | None = None) -> CostEstimate:
    """Estimate for `config` in `region`, else the config's stack region, else us-east-1."""
    chosen = region or config.stack.region or DEFAULT_REGION
    if chosen not in PRICES:
        raise UserError(f"no prices for region {chosen!r}; known regions: {', '.join(sorted(PRICES))} (use --region)")
    nlb_hour, nlcu_hour = PRICES[chosen]
    before_count, after_count = len(kubernetes_services(config)), 1
    # Decimal arithmetic so that hand-computed figures (3 x 0.0225 x 730 = 49.275) come out exactly.
    per_nlb_month = nlb_hour * HOURS_PER_MONTH
    before, after = per_nlb_month * before_count, per_nlb_month * after_count
    return CostEstimate(
        region=chosen,
        services=len(config.services),
        kubernetes_services=before_count,
        nlb_count_before=before_count,
        nlb_count_after=after_count,
        nlb_hourly_usd=float(nlb_hour),
        nlcu_hourly_usd=float(nlcu_hour),
        hours_per_month=HOURS_PER_MONTH,
        monthly_before_usd=float(before),
        monthly_after_usd=float(after),
        monthly_saving_usd=float(before - after),
        nlb_quota_per_region=NLB_QUOTA_PER_REGION,
        before_exceeds_quota=before_count > NLB_QUOTA_PER_REGION,
        note=NLCU_NOTE,
    )


def usd(value: float) -> str:
    """`$49.28` for 49.275: rounded half up from the decimal text, as on a hand-written bill."""
    cents = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"${cents:,}"
