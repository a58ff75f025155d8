"""`AWS::CloudWatch::Alarm` as CloudFormation makes it, on moto's CloudWatch backend (moto does not
model the type: it skips it with a warning, so a stack completes without its alarms). `patches`
installs it; moto is imported only when an alarm is created, so importing this module does not need
moto.
"""

from __future__ import annotations

from typing import Any


class MetricAlarm:
    """One alarm on one metric, put with PutMetricAlarm. Its physical ID (`Ref`) is its name, as in
    CloudFormation: `AlarmName`, or the name moto generates as CloudFormation does
    (`<stack>-<logical ID>-<suffix>`). Metric math alarms (`Metrics`) are not modelled: such an alarm is
    put without its queries."""

    def __init__(self, backend: Any, name: str, *, named: bool = False):
        self.backend, self.name, self.named = backend, name, named

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        from moto.cloudwatch.models import cloudwatch_backends

        properties = cloudformation_json["Properties"]
        backend = cloudwatch_backends[account_id][region_name]
        return cls(backend, put(backend, properties.get("AlarmName") or resource_name, properties), named="AlarmName" in properties)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        # A generated name stays on an update in place (moto generates a new one every time); a changed
        # AlarmName is a new alarm, and the old one goes
        properties = cloudformation_json["Properties"]
        name = properties.get("AlarmName") or (new_resource_name if original_resource.named else original_resource.name)
        updated = cls(original_resource.backend, put(original_resource.backend, name, properties), named="AlarmName" in properties)
        if updated.name != original_resource.name:
            original_resource.delete(account_id, region_name)
        return updated

    def delete(self, account_id: str, region_name: str) -> None:
        self.backend.delete_alarms([self.name])

    @property
    def physical_resource_id(self) -> str:
        return self.name

    @staticmethod
    def has_cfn_attr(attr: str) -> bool:
        return attr == "Arn"

    def get_cfn_attribute(self, attribute_name: str) -> str:
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

        if attribute_name == "Arn":
            return self.backend.alarms[self.name].alarm_arn
        raise UnformattedGetAttTemplateException()

    @staticmethod
    def is_created() -> bool:
        return True


def put(backend: Any, name: str, properties: dict[str, Any]) -> str:
    """PutMetricAlarm with the template's properties; the alarm's name."""
    backend.put_metric_alarm(
        name=name,
        namespace=properties.get("Namespace"),
        metric_name=properties.get("MetricName"),
        comparison_operator=properties["ComparisonOperator"],
        evaluation_periods=int(properties["EvaluationPeriods"]),
        period=int(properties["Period"]) if "Period" in properties else None,
        threshold=float(properties["Threshold"]) if "Threshold" in properties else None,
        statistic=properties.get("Statistic"),
        extended_statistic=properties.get("ExtendedStatistic"),
        description=properties.get("AlarmDescription"),
        dimensions=properties.get("Dimensions") or [],
        alarm_actions=properties.get("AlarmActions") or [],
        ok_actions=properties.get("OKActions"),
        insufficient_data_actions=properties.get("InsufficientDataActions"),
        datapoints_to_alarm=int(properties["DatapointsToAlarm"]) if "DatapointsToAlarm" in properties else None,
        unit=properties.get("Unit"),
        actions_enabled=str(properties.get("ActionsEnabled", True)).lower() != "false",
        treat_missing_data=properties.get("TreatMissingData"),
        evaluate_low_sample_count_percentile=properties.get("EvaluateLowSampleCountPercentile"),
        threshold_metric_id=properties.get("ThresholdMetricId"),
        tags=properties.get("Tags") or [],
    )
    return name
