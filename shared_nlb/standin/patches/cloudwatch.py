"""The CloudWatch fix: `AWS::CloudWatch::Alarm` is made (the alarm itself is `alarms.MetricAlarm`).

moto is imported inside the fix, so importing this module does not need moto.
"""

from __future__ import annotations

from shared_nlb.standin.patches.state import replace


def _metric_alarms() -> None:
    """Not in TOOLCHAIN.md: `AWS::CloudWatch::Alarm` is not modelled (skipped with a warning, so the
    stack completes without its alarms). Models an alarm on one metric (`alarms.MetricAlarm`): put on
    create and update, deleted with the stack or when removed."""
    from moto.cloudformation import parsing

    from shared_nlb.standin.alarms import MetricAlarm

    original = parsing.resource_class_from_type

    def resource_class_from_type(resource_type):
        return MetricAlarm if resource_type == "AWS::CloudWatch::Alarm" else original(resource_type)

    replace(parsing, "resource_class_from_type", resource_class_from_type)
