#!/usr/bin/env python3
"""Benchmark of shared-nlb's commands as whole processes, as users run them.

    .venv/bin/python bench/run.py            # 7 repetitions per case
    .venv/bin/python bench/run.py --quick    # 1 repetition, to prove it runs (CI)

Every case is timed as a fresh process, several times, in interleaved rounds; the table gives min
and median, and each case's ratios to two references measured in the same run:

- the floor, an empty CDK app synthesized with aws-cdk-lib's built-in validation off, which no
  Python CDK app can beat;
- the peer, the same 50 services written by hand with aws-cdk-lib's L2 constructs
  (bench/l2_app.py), with the floor's settings: what a CDK user pays without shared-nlb.

One more row, "hand-written L2 app, CLI's App settings", gives the peer the two public App settings
the command line adds (no tree.json, no creation stack traces): its ratio is what the config model and
the construct cost over plain L2 code, settings aside. It is shown, not judged.

At scale, `shared-nlb synth` of 1,000 services over 20 NLBs (a `load_balancers:` entry with
`max_listeners: 50`, so 20 stacks) has its own peer, the same hand-written app scaled the same way
(one stack per 50 services, 20 stacks in one app): its "x L2" ratios are to that peer.

The headline goal is `shared-nlb synth` of 50 services no slower than the peer (ratio <= 1.0, by
medians and by mins), and `validate` of 50 under 0.3 s. Ratios, not seconds, are what the goals are
written in (README, "Speed"), so a slower or busier machine does not move them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shared_nlb import atomic, naming  # noqa: E402
from shared_nlb.config.state import State  # noqa: E402
from shared_nlb.deploy import record  # noqa: E402
from shared_nlb.config import load_config  # noqa: E402

VENV_BIN = Path(sys.executable).parent
FLOOR_CASE = "floor: empty app, validation off"
FLOOR = "import aws_cdk as c, sys; c.App(outdir=sys.argv[1], analytics_reporting=False, builtin_cloud_formation_validation=False).synth()"
PEER_CASE = "hand-written L2 app, 50 services"
PEER_CLI_SETTINGS_CASE = "hand-written L2 app, CLI's App settings"
LARGE = 1000  # services of the scale rows, one NLB (and stack) per 50
LARGE_PEER_CASE = f"hand-written L2 app, {LARGE} svc, {LARGE // 50} stacks"
LARGE_CASE = f"synth {LARGE} services, {LARGE // 50} NLBs"
PEERS = {  # case -> the peer its "x L2" ratios and goal compare with; every other case: PEER_CASE
    LARGE_PEER_CASE: LARGE_PEER_CASE,
    LARGE_CASE: LARGE_PEER_CASE,
}
GOALS = {  # case -> maximum ratio to its peer (PEERS)
    "synth 50 services": 1.0,
}
VALIDATE_LIMIT_S = 0.3  # validate 50 must take less


def peer_of(case: str) -> str:
    return PEERS.get(case, PEER_CASE)


def write_config(folder: Path, count: int, *, max_listeners: int | None = None) -> Path:
    """The `count`-service config; with `max_listeners`, as one `load_balancers:` entry that grows
    one NLB per `max_listeners` services."""
    lines = [
        "version: 1",
        f"name: bench{count}",
        "network: {vpc_id: vpc-0a1b2c3d4e5f60718, vpc_cidr: 10.0.0.0/16, subnet_ids: [subnet-0aaaaaaaaaaaaaaa1, subnet-0bbbbbbbbbbbbbbb2]}",
        "clients: [{security_group: sg-0ec5000000000001a}]",
    ]
    if max_listeners is not None:
        lines.append(f"load_balancers: [{{name: internal, max_listeners: {max_listeners}}}]")
    lines.append("services:")
    for i in range(1, count + 1):
        lines.append(f"  - {{name: svc-{i:02d}, namespace: ns-{i % 3}, service_port: {8000 + i}, listener_port: {10000 + i}}}")
    path = folder / f"bench{count}.yaml"
    path.write_text("\n".join(lines) + "\n")
    # Every config reads its state file beside it (and a first synth writes it), here in the
    # benchmark's own folder: recorded once up front, so every timed synth reads the committed state,
    # as a user's synth after the first does.
    record.record(load_config(path).with_state(State()), path)
    return path


def write_outputs(folder: Path, count: int) -> Path:
    """A deploy's outputs file for the `count`-service config, with made-up but well-formed values."""
    region, account = "us-east-1", "111111111111"
    values = {
        naming.target_group_output_key(f"svc-{i:02d}"): f"arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/svc{i:02d}/{i:016x}"
        for i in range(1, count + 1)
    }
    values[naming.LOAD_BALANCER_ARN_OUTPUT] = f"arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/net/shared-nlb-bench{count}/0123456789abcdef"
    values[naming.LOAD_BALANCER_DNS_OUTPUT] = f"shared-nlb-bench{count}-0123456789abcdef.elb.{region}.amazonaws.com"
    values[naming.SECURITY_GROUP_OUTPUT] = "sg-0123456789abcdef0"
    values[naming.VPC_ID_OUTPUT] = "vpc-0a1b2c3d4e5f60718"
    path = folder / f"outputs{count}.json"
    path.write_text(json.dumps({naming.default_stack_name(f"bench{count}"): dict(sorted(values.items()))}, indent=2) + "\n")
    return path


def cases(folder: Path) -> dict[str, list[str]]:
    cli = str(VENV_BIN / "shared-nlb")
    configs = {n: str(write_config(folder, n)) for n in (1, 10, 50)}
    large = str(write_config(folder, LARGE, max_listeners=50))
    outputs = str(write_outputs(folder, 50))
    out = str(folder / "out")
    found = {
        FLOOR_CASE: [sys.executable, "-c", FLOOR, str(folder / "floor.out")],
        PEER_CASE: [sys.executable, str(ROOT / "bench" / "l2_app.py"), "50", str(folder / "l2.out")],
        PEER_CLI_SETTINGS_CASE: [sys.executable, str(ROOT / "bench" / "l2_app.py"), "50", str(folder / "l2-cli.out"), "--cli-settings"],
        "synth 1 service": [cli, "synth", configs[1], "--out", out],
        "synth 10 services": [cli, "synth", configs[10], "--out", out],
        "synth 50 services": [cli, "synth", configs[50], "--out", out],
        "manifests 50": [cli, "manifests", configs[50], "--outputs", outputs, "--out", str(folder / "manifests")],
        "synth + manifests 50, one process": [cli, "synth", configs[50], "--out", out, "--outputs", outputs, "--manifests-out", str(folder / "m2")],
        "validate 50": [cli, "validate", configs[50]],
        LARGE_PEER_CASE: [sys.executable, str(ROOT / "bench" / "l2_app.py"), str(LARGE), str(folder / "l2-large.out")],
        LARGE_CASE: [cli, "synth", large, "--out", str(folder / "out-large")],
    }
    cdk = ROOT / "node_modules" / ".bin" / "cdk"
    if cdk.exists():
        found["npx cdk synth 50"] = [str(cdk), "synth", "-q", "-c", f"config={configs[50]}", "--output", str(folder / "cdk.out")]
    return found


def goal_verdicts(results: dict[str, dict]) -> dict[str, dict[str, bool | None]]:
    """Each goal -> {measure: met}; None where a case (or the peer) failed to run."""

    def check(value, limit, strict=False):
        return None if value is None else (value < limit if strict else value <= limit)

    verdicts = {}
    for name, limit in GOALS.items():
        entry, peer = results[name], results[peer_of(name)]
        # The unrounded ratio of the two medians (and of the two mins) of this run.
        verdicts[f"{name} <= {limit}x {peer_of(name)}"] = {
            "medians": check(_ratio(entry.get("median"), peer.get("median"), None), limit),
            "mins": check(_ratio(entry.get("min"), peer.get("min"), None), limit),
            "paired rounds": check(paired_ratio(entry, peer), limit),
        }
    validate = results["validate 50"]
    verdicts[f"validate 50 < {VALIDATE_LIMIT_S} s"] = {
        "medians": check(validate.get("median"), VALIDATE_LIMIT_S, strict=True),
        "mins": check(validate.get("min"), VALIDATE_LIMIT_S, strict=True),
    }
    return verdicts


def paired_ratio(entry: dict, peer: dict) -> float | None:
    """The median of each round's ratio of the two cases: the host's speed drifts over a run, and the
    two cases of one round see nearly the same host (a ratio of medians mixes rounds)."""
    pairs = [a / b for a, b in zip(entry.get("rounds", []), peer.get("rounds", [])) if a and b]
    return statistics.median(pairs) if pairs else None


def _ratio(value: float | None, reference: float | None, digits: int | None = 3) -> float | None:
    if value is None or not reference:
        return None
    return value / reference if digits is None else round(value / reference, digits)


def _word(met: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "n/a"}[met]


def time_once(command: list[str], env: dict[str, str]) -> float | None:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        print(f"  failed ({result.returncode}): {' '.join(command[:3])}: {result.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one repetition per case (proves the benchmark runs)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "latest.json"), help="where to write the result")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else args.repeat
    env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}"}
    env.pop("CDK_VALIDATION", None)  # measure what users get

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="shared-nlb-bench-") as tmp:
        folder = Path(tmp)
        plan = cases(folder)
        # As scripts/setup does: with PYTHONDONTWRITEBYTECODE set, modules edited since setup would be
        # compiled again in every timed process, which no installed user pays.
        subprocess.run([sys.executable, "-m", "compileall", "-q", "shared_nlb", "constructs_lib", "k8s_charts"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        time_once(plan["synth 1 service"], env)  # warm the jsii cache and the OS page cache once
        names = list(plan)
        for round_ in range(repeat):
            # Interleaved rounds, so a burst of load on the machine hits every case alike, and each round
            # starts one case later, so no case always runs right after the heaviest one (npx cdk synth
            # leaves the page cache and the disk busy for the next process).
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                command = plan[name]
                print(f"[{round_ + 1}/{repeat}] {name}", file=sys.stderr, flush=True)
                results.setdefault(name, {"times": [], "rounds": []})
                elapsed = time_once(command, env)
                results[name]["rounds"].append(None if elapsed is None else round(elapsed, 4))
                if elapsed is not None:
                    results[name]["times"].append(round(elapsed, 4))

    references = {"floor": results[FLOOR_CASE], "peer": results[PEER_CASE]}
    if not references["floor"]["times"]:
        print("the floor (an empty CDK app) failed to run: no ratios can be computed", file=sys.stderr)
        return 1
    for entry in results.values():
        times = entry["times"]
        entry["min"] = min(times) if times else None
        entry["median"] = statistics.median(times) if times else None
    for name, entry in results.items():
        entry["peer"] = peer_of(name)
        for ref_name, ref in (("floor", references["floor"]), ("peer", results[peer_of(name)])):
            # Both ratios: the median one is what a user sees; the min one is what is left when the
            # machine's other load is taken out (the min of several runs is the least disturbed).
            entry[f"ratio_to_{ref_name}"] = _ratio(entry["median"], ref.get("median"))
            entry[f"min_ratio_to_{ref_name}"] = _ratio(entry["min"], ref.get("min"))
    # Informational: what one more service costs, synth 50 vs synth 1, by medians, by mins, and as
    # the median of each round's difference (the host's speed drifts over a run, and the two cases of
    # one round see nearly the same host).
    marginal = {}
    for stat in ("min", "median"):
        s1, s50 = results["synth 1 service"][stat], results["synth 50 services"][stat]
        marginal[stat] = round((s50 - s1) / 49 * 1000, 2) if s1 and s50 else None
    pairs = [(b - a) / 49 * 1000 for a, b in zip(results["synth 1 service"]["rounds"], results["synth 50 services"]["rounds"]) if a and b]
    marginal["per_round"] = round(statistics.median(pairs), 2) if pairs else None

    def cell(value, digits):
        return "-" if value is None else f"{value:.{digits}f}"

    width = max(map(len, results))
    print(f"\n{'case':{width}} {'min s':>7} {'median s':>9} {'x floor':>8} {'x floor':>8} {'x L2':>8} {'x L2':>8} {'goal':>6}")
    print(f"{'':{width}} {'':>7} {'':>9} {'(median)':>8} {'(min)':>8} {'(median)':>8} {'(min)':>8} {'(x L2)':>6}")
    for name, entry in results.items():
        goal = GOALS.get(name)
        if entry["times"]:
            keys = ("ratio_to_floor", "min_ratio_to_floor", "ratio_to_peer", "min_ratio_to_peer")
            cells = [cell(entry["min"], 3), cell(entry["median"], 3), *(cell(entry[key], 2) for key in keys)]
        else:
            cells = ["-", "-", "failed", "failed", "failed", "failed"]
        print(f"{name:{width}} " + " ".join(f"{c:>{w}}" for c, w in zip(cells, (7, 9, 8, 8, 8, 8))) + f" {('<=' + str(goal)) if goal else '':>6}")
    print(f"x L2: to {PEER_CASE}; for {LARGE_CASE!r} to {LARGE_PEER_CASE}")
    print(
        f"marginal cost per service (synth 50 vs 1, informational): {marginal['median']} ms by medians,"
        f" {marginal['per_round']} ms per round (median of each round's difference), {marginal['min']} ms by mins"
    )
    validate = results["validate 50"]["median"]
    print(f"validate 50: {validate:.3f} s median (goal < {VALIDATE_LIMIT_S} s)" if validate is not None else "validate 50: failed")
    verdicts = goal_verdicts(results)
    print("goals:" if repeat > 1 else "goals (one repetition proves the benchmark runs; judge the goals from a full run, README 'Speed'):")
    for goal, measures in verdicts.items():
        print(f"  {goal:50} " + ", ".join(f"{_word(met)} by {measure}" for measure, met in measures.items()))

    paired = {name: paired_ratio(results[name], results[peer_of(name)]) for name in ("synth 50 services", LARGE_CASE)}
    for name, ratio in paired.items():
        print(f"{name} / {peer_of(name)}, median of each round's ratio: " + (f"{ratio:.3f}" if ratio else "n/a"))
    summary = {
        "synth50_to_peer_paired": paired["synth 50 services"],
        "large_to_peer_paired": paired[LARGE_CASE],
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "repeat": repeat,
        "floor_median_s": references["floor"]["median"],
        "floor_min_s": references["floor"]["min"],
        "peer_median_s": references["peer"]["median"],
        "peer_min_s": references["peer"]["min"],
        "marginal_ms_per_service": marginal,
        "goals_met": verdicts,
        "cases": results,
    }
    atomic.write_file(args.json, json.dumps(summary, indent=2, sort_keys=True) + "\n")
    print(f"wrote {args.json}")
    failed = [name for name, entry in results.items() if not entry["times"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
