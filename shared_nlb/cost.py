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

# The one price table: USD (per NLB-hour, per NLCU-hour), on-demand, the commercial regions AWS prices.
# Source: AWS's Elastic Load Balancing price file, the data behind the pricing page
# (https://b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/elb/USD/current/elb.json, entries "Network Load
# Balancer Hours" and "Network Load Balancer LCU Hours"), published 2025-06-05T17:55:45Z. It was read through
# a verbatim public copy, GitHub QuinnyPig/aws-price-watcher, raw/elb.json at commit
# daa3fca6cad0b9cf218a31c17594442987bba3dc, the newest complete copy that could be read; 2026 Price List
# figures for ap-northeast-2, af-south-1 and eu-west-2 agree with it.
# Every row has that one date, so the date printed with an estimate holds for all of them. A region without a
# row (ap-southeast-6, launched after the file; GovCloud and China, other partitions with other prices) is
# refused rather than guessed. To refresh the table or add a region, read the AWS Price List:
#   aws pricing get-products --region us-east-1 --service-code AWSELB \
#     --filters Type=TERM_MATCH,Field=productFamily,Value="Load Balancer-Network"
# (usage types <prefix>-LoadBalancerUsage and <prefix>-LCUUsage) and set PRICES_AS_OF to the offer's
# publicationDate; a row taken from another date than the rest needs that date noted here.
PRICES_AS_OF = "2025-06-05"
PRICE_SOURCE = f"prices as of {PRICES_AS_OF} (AWS price list)"
PRICES: dict[str, tuple[Decimal, Decimal]] = {
    "us-east-1":      (Decimal("0.0225"), Decimal("0.006")),
    "us-east-2":      (Decimal("0.0225"), Decimal("0.006")),
    "us-west-1":      (Decimal("0.0252"), Decimal("0.006")),
    "us-west-2":      (Decimal("0.0225"), Decimal("0.006")),
    "af-south-1":     (Decimal("0.03"), Decimal("0.0071")),
    "ap-east-1":      (Decimal("0.0277"), Decimal("0.0066")),
    "ap-east-2":      (Decimal("0.0219"), Decimal("0.006")),
    "ap-northeast-1": (Decimal("0.0243"), Decimal("0.006")),
    "ap-northeast-2": (Decimal("0.0225"), Decimal("0.006")),
    "ap-northeast-3": (Decimal("0.0243"), Decimal("0.006")),
    "ap-south-1":     (Decimal("0.0239"), Decimal("0.006")),
    "ap-south-2":     (Decimal("0.0239"), Decimal("0.006")),
    "ap-southeast-1": (Decimal("0.0252"), Decimal("0.006")),
    "ap-southeast-2": (Decimal("0.0252"), Decimal("0.006")),
    "ap-southeast-3": (Decimal("0.0252"), Decimal("0.006")),
    "ap-southeast-4": (Decimal("0.0252"), Decimal("0.006")),
    "ap-southeast-5": (Decimal("0.0227"), Decimal("0.006")),
    "ap-southeast-7": (Decimal("0.0227"), Decimal("0.006")),
    "ca-central-1":   (Decimal("0.02475"), Decimal("0.0066")),
    "ca-west-1":      (Decimal("0.02475"), Decimal("0.0066")),
    "eu-central-1":   (Decimal("0.027"), Decimal("0.006")),
    "eu-central-2":   (Decimal("0.0297"), Decimal("0.0066")),
    "eu-north-1":     (Decimal("0.02394"), Decimal("0.0057")),
    "eu-south-1":     (Decimal("0.0265"), Decimal("0.0063")),
    "eu-south-2":     (Decimal("0.0252"), Decimal("0.006")),
    "eu-west-1":      (Decimal("0.0252"), Decimal("0.006")),
    "eu-west-2":      (Decimal("0.02646"), Decimal("0.006")),
    "eu-west-3":      (Decimal("0.02646"), Decimal("0.0063")),
    "il-central-1":   (Decimal("0.02646"), Decimal("0.0063")),
    "me-central-1":   (Decimal("0.028224"), Decimal("0.00672")),
    "me-south-1":     (Decimal("0.02772"), Decimal("0.0066")),
    "mx-central-1":   (Decimal("0.023625"), Decimal("0.0063")),
    "sa-east-1":      (Decimal("0.034"), Decimal("0.00825")),
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
    """Monthly fixed cost of one NLB per service (before) against the config's shared NLBs (after: one,
    or with `load_balancers` one per entry and shard), in USD."""

    region: str
    services: int
    "Config entries: one listener each."
    kubernetes_services: int
    "Distinct (namespace, Service) pairs: one NLB each before consolidation."
    nlb_count_before: int
    nlb_count_after: int
    nlb_hourly_usd: float
    nlcu_hourly_usd: float
    price_source: str
    "How old the prices are and where they come from, so a reader can judge them."
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
        raise UserError(
            f"no dated NLB price for region {chosen!r} in the price table (AWS price list of {PRICES_AS_OF}, commercial regions only); "
            "to add one, add its row to PRICES in shared_nlb/cost.py with its source and date, or price another region with --region"
        )
    nlb_hour, nlcu_hour = PRICES[chosen]
    before_count, after_count = len(kubernetes_services(config)), len(config.units())
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
        price_source=PRICE_SOURCE,
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
