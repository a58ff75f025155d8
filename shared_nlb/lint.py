"""cfn-lint over a synthesized template: the one place CloudFormation-level checks run.

aws-cdk-lib's built-in validation plugin is off on every synth (it overlaps with cfn-lint and costs
1.5-2.6 s each time); this runs instead as an explicit step: `shared-nlb synth --lint`, and once per
template in the tests.
"""

from __future__ import annotations

# Rules ignored, each with its reason. Empty today: every finding on our templates is fixed.
IGNORED_RULES: dict[str, str] = {}


def lint_template(text: str, *, name: str = "template.json", regions: tuple[str, ...] = ("us-east-1",)) -> list[str]:
    """cfn-lint errors and warnings, one line each (`name:line: W1234 message`)."""
    from cfnlint.api import ManualArgs, lint

    matches = lint(text, config=ManualArgs(regions=list(regions), ignore_checks=sorted(IGNORED_RULES)))
    return sorted(f"{name}:{m.linenumber}: {m.rule.id} {m.message}" for m in matches)
