"""``make bench``: the skill's speed and size as ratios to ask-sdk baselines, measured in one run.

- warm: per-request latency of a full triage conversation (launch and eight
  answers) through the Lambda handler, against a hello-world ask-sdk-core skill
  answering the same number of requests, interleaved round by round;
- cold: a fresh Python process importing the handler and answering its first
  LaunchRequest with its memory on moto's DynamoDB server, against the same
  hello-world skill using ask-sdk's stock ``DynamoDbAdapter``, run alternately;
  with each process's peak memory; and, for the whole picture, a fresh process
  of the skill through its first request that reads memory (launch and the
  emergency answers: memory is read after them, never at launch), with the key
  salt in moto's Secrets Manager and without, which is what reading it costs;
- the deployed artifact: the zip ``make build`` makes (and ``sam build`` ships),
  unpacked read-only and run by the template's runtime Python, against the
  hello-world skill packaged the same way (its dependencies and bytecode, from a
  zip), and against the same artifact without its bytecode;
- the Lambda zip size, with and without boto3.

Absolute times depend on the machine; the ratios are what the targets are about.
Writes the report to benchmarks/REPORT.md as well as printing it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skill.local.dispatch_count import can_handle_calls  # noqa: E402
from skill.local.envelopes import Session  # noqa: E402

REPORT = ROOT / "benchmarks" / "REPORT.md"
# Issue 22's targets, each a ratio to the hello-world skill measured in the same run
TARGETS = {"warm median": 0.9, "warm p99": 2.0, "deployed cold start": 1.2}


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.handler


def conversation(handler, answers: int) -> list[dict]:
    """The envelopes of one conversation, with session attributes as Alexa would carry them."""
    session = Session()
    events = [session.launch()]
    session.absorb(handler(events[0], None))
    for _ in range(answers):
        event = session.intent("AMAZON.NoIntent")
        events.append(event)
        session.absorb(handler(event, None))
    return events


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def warm(rounds: int) -> dict:
    """Every turn of the conversation in process; none touches the store (no table is configured here), so the
    p99 is that of turns that do not touch the store, which is what issue 22's p99 target is about."""
    os.environ.pop("TABLE_NAME", None)
    skill = load(ROOT / "lambda" / "lambda_function.py", "lambda_function")
    hello = load(ROOT / "benchmarks" / "hello_skill.py", "hello_skill")
    skill_events = conversation(skill, 8)
    hello_events = conversation(hello, 8)
    assert len(skill_events) == len(hello_events)
    timings: dict[str, list[float]] = {"skill": [], "hello": []}
    for _name, handler, events in (("skill", skill, skill_events), ("hello", hello, hello_events)):
        for event in events:  # warm-up
            handler(event, None)
    for _ in range(rounds):
        for name, handler, events in (("skill", skill, skill_events), ("hello", hello, hello_events)):
            for event in events:
                start = time.perf_counter()
                handler(event, None)
                timings[name].append(time.perf_counter() - start)
    result: dict = {}
    for name, samples in timings.items():
        result[name] = {"median_us": statistics.median(samples) * 1e6, "p99_us": percentile(samples, 0.99) * 1e6,
                        "requests": len(samples)}
    result["ratio_median"] = result["skill"]["median_us"] / result["hello"]["median_us"]
    result["ratio_p99"] = result["skill"]["p99_us"] / result["hello"]["p99_us"]
    # a plain "no" to a triage question
    result["can_handle_no"] = can_handle_calls(lambda: skill(skill_events[2], None))
    result["can_handle_hello"] = can_handle_calls(lambda: hello(hello_events[2], None))
    return result


# Runs in a fresh interpreter: import the handler module, answer its first request (a LaunchRequest), then
# any further requests of the same session; report times and the process's own peak memory (VmHWM: unlike
# ru_maxrss, it is not inherited from the parent across fork and exec). Before the clock starts it imports what
# Lambda's Python runtime has imported before it imports the handler (awslambdaric's bootstrap.py: importlib,
# json, logging, os, sys, time, traceback), so neither contender is charged for those.
COLD_DRIVER = """
import importlib, json, logging, os, resource, sys, time, traceback
start = time.perf_counter()
sys.path[:0] = sys.argv[1].split(":")
module = importlib.import_module(sys.argv[2])
imported = time.perf_counter()
events = json.loads(sys.argv[3])
response = module.handler(events[0], None)
first = time.perf_counter()
for event in events[1:]:
    event["session"].update(new=False, attributes=response.get("sessionAttributes") or {})
    response = module.handler(event, None)
done = time.perf_counter()
assert "outputSpeech" in response["response"], response
try:
    with open("/proc/self/status") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"import_ms": (imported - start) * 1000, "first_request_ms": (first - imported) * 1000,
                  "cold_ms": (first - start) * 1000, "session_ms": (done - start) * 1000,
                  "peak_mb": peak_kb / 1024}))
"""
HELLO_TABLE = {"TableName": "hello-world", "BillingMode": "PAY_PER_REQUEST",
               "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
               "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}


def emergency_question_count() -> int:
    from skill.triage import TriageMachine, default_protocol

    return len(TriageMachine(default_protocol()).emergency_questions)


def cold_start(runs: int) -> dict:
    """Fresh processes, alternated: the skill's launch, the stock skill's launch, and the skill through the
    first request that reads memory (the answer to the last emergency question), for the whole picture."""
    from skill.local.emulator.dynamodb import LocalDynamoDb
    from skill.local.emulator.template import read_secrets, read_tables

    tables = read_tables(ROOT / "template.yaml")
    (salt,) = read_secrets(ROOT / "template.yaml")
    database = LocalDynamoDb(tables=[*tables, HELLO_TABLE], secrets=[salt]).start()
    try:
        base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AWS_ACCESS_KEY_ID": "bench",
                "AWS_SECRET_ACCESS_KEY": "bench", **database.environment()}
        skill_env = {**base, "TABLE_NAME": tables[0]["TableName"]}
        skill_path = f"{ROOT}:{ROOT / 'lambda'}"
        answers = emergency_question_count()
        contenders = {
            "skill": (skill_path, "lambda_function", skill_env, 0),
            "stock": (str(ROOT / "benchmarks"), "hello_dynamodb_skill",
                      {**base, "HELLO_TABLE_NAME": HELLO_TABLE["TableName"]}, 0),
            "skill_memory": (skill_path, "lambda_function", {**skill_env, "USER_KEY_SALT_SECRET": salt}, answers),
            "skill_memory_unsalted": (skill_path, "lambda_function", skill_env, answers),
        }
        samples: dict[str, list[dict]] = {name: [] for name in contenders}
        for _ in range(runs):
            for name, (path, module, env, no_answers) in contenders.items():
                session = Session()
                events = [session.launch()] + [session.intent("AMAZON.NoIntent") for _ in range(no_answers)]
                process = subprocess.run([sys.executable, "-c", COLD_DRIVER, path, module, json.dumps(events)],
                                         capture_output=True, text=True, env=env, timeout=120, check=True)
                samples[name].append(json.loads(process.stdout))
    finally:
        database.stop()
    result: dict = {}
    for name, runs_ in samples.items():
        result[name] = {key: statistics.median(r[key] for r in runs_) for key in runs_[0]}
        result[name]["runs"] = len(runs_)
    result["answers"] = answers
    result["ratio_cold"] = result["skill"]["cold_ms"] / result["stock"]["cold_ms"]
    result["ratio_peak_memory"] = result["skill"]["peak_mb"] / result["stock"]["peak_mb"]
    result["ratio_memory_read"] = result["skill_memory"]["session_ms"] / result["stock"]["cold_ms"]
    result["salt_ms"] = result["skill_memory"]["session_ms"] - result["skill_memory_unsalted"]["session_ms"]
    return result


def unpacked_read_only(zip_path: Path, folder: Path) -> Path:
    """The zip unpacked as Lambda unpacks it into /var/task: read-only, so nothing can be compiled into it."""
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    for path in [*folder.rglob("*"), folder]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    return folder


def hello_zip(out: Path, python: list[str]) -> Path:
    """The hello-world skill packaged as the skill is: its dependencies, its bytecode, one zip."""
    from skill.local import build

    staging = out / "hello"
    staging.mkdir(parents=True)
    build.install_requirements(staging, build.runtime_version())
    shutil.copy2(ROOT / "benchmarks" / "hello_skill.py", staging / "hello_skill.py")
    build.compile_bytecode(staging, python)
    build.write_zip(staging, out / "hello.zip")
    return out / "hello.zip"


def without_bytecode(zip_path: Path, out: Path) -> Path:
    with zipfile.ZipFile(zip_path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if "__pycache__" not in info.filename:
                target.writestr(info, source.read(info))
    return out


def artifact_cold_start(runs: int) -> dict:
    """Fresh processes of the template's runtime Python on unpacked read-only zips, alternated: the deployed
    artifact, the hello-world skill packaged the same way, and the artifact without its bytecode."""
    from skill.local import build

    python = build.runtime_python(build.runtime_version())
    folder = Path(tempfile.mkdtemp(prefix="bench-artifact-"))
    try:
        skill_zip = build.build(folder / "skill", python=python)
        zips = {"skill": skill_zip, "hello": hello_zip(folder, python),
                "skill_source_only": without_bytecode(skill_zip, folder / "source-only.zip")}
        modules = {"skill": "lambda_function", "hello": "hello_skill", "skill_source_only": "lambda_function"}
        roots = {name: unpacked_read_only(path, folder / f"task-{name}") for name, path in zips.items()}
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONWARNINGS": "ignore::SyntaxWarning"}
        events = json.dumps([Session().launch()])
        samples: dict[str, list[dict]] = {name: [] for name in zips}
        for _ in range(runs):
            for name in zips:
                # -B: write no bytecode, as on Lambda (read-only modes do not stop root, who may run this)
                process = subprocess.run([*python, "-B", "-S", "-c", COLD_DRIVER, str(roots[name]), modules[name],
                                          events], capture_output=True, text=True, env=env, timeout=120, check=True)
                samples[name].append(json.loads(process.stdout))
        result: dict = {name: {key: statistics.median(r[key] for r in runs_) for key in runs_[0]} | {"runs": len(runs_)}
                  for name, runs_ in samples.items()}
        result["zip_mb"] = {name: path.stat().st_size / 1e6 for name, path in zips.items()}
        result["python"] = " ".join(python)
    finally:
        for path in folder.rglob("*"):
            if path.is_dir():
                path.chmod(0o755)
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)
    result["ratio_cold"] = result["skill"]["cold_ms"] / result["hello"]["cold_ms"]
    result["ratio_source_only"] = result["skill_source_only"]["cold_ms"] / result["hello"]["cold_ms"]
    return result


def zip_sizes(out: Path) -> dict:
    from skill.local.build import build

    without = build(out / "without-boto3").stat().st_size
    with_boto3 = build(out / "with-boto3", include_boto3=True).stat().st_size
    return {"without_boto3_mb": without / 1e6, "with_boto3_mb": with_boto3 / 1e6}


def render(results: dict) -> str:
    w = results["warm"]
    lines = [
        "# Benchmark report",
        "",
        "Generated by `make bench` (benchmarks/bench.py); ratios are to baselines measured in the same run.",
        "",
        "## Warm requests (Lambda handler, in process)",
        "",
        "| | requests | median (us) | p99 (us) |",
        "| --- | --- | --- | --- |",
        f"| triage conversation (launch + 8 answers) | {w['skill']['requests']} | {w['skill']['median_us']:.0f} "
        f"| {w['skill']['p99_us']:.0f} |",
        f"| hello-world ask-sdk-core skill | {w['hello']['requests']} | {w['hello']['median_us']:.0f} "
        f"| {w['hello']['p99_us']:.0f} |",
        "",
        f"Warm median ratio: **{w['ratio_median']:.2f}x** (target at most {TARGETS['warm median']}x); "
        f"p99 ratio {w['ratio_p99']:.2f}x (target at most {TARGETS['warm p99']:.0f}x; no turn here touches the store).",
        "",
        f"A plain \"no\" calls `can_handle` {w['can_handle_no']} times (issue 22: at most 4); a request to the "
        f"hello-world skill, {w['can_handle_hello']}.",
    ]
    if "cold" in results:
        c = results["cold"]
        lines += [
            "", "## Cold start (fresh process: import and first LaunchRequest, memory on moto's DynamoDB server)", "",
            "| | runs | import (ms) | first request (ms) | cold total (ms) | peak memory (MB) |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for name, label in (("skill", "Back Pain Check (memory is not read at launch)"),
                            ("stock", "hello world with ask-sdk's stock DynamoDbAdapter")):
            r = c[name]
            lines.append(f"| {label} | {r['runs']} | {r['import_ms']:.0f} | {r['first_request_ms']:.0f} "
                         f"| {r['cold_ms']:.0f} | {r['peak_mb']:.1f} |")
        lines += ["", f"Cold-start ratio: **{c['ratio_cold']:.2f}x** (target at most 0.8x); "
                      f"peak memory ratio {c['ratio_peak_memory']:.2f}x.", "",
                  "A launch never reads memory: the skill reads it once per session, after the emergency questions "
                  "(the answer to the last one), so botocore is imported on that request instead.",
                  f"A fresh process through that request (import, launch and {c['answers']} answers, the last one "
                  f"reading the table): {c['skill_memory']['session_ms']:.0f} ms, "
                  f"{c['ratio_memory_read']:.2f}x the stock skill's cold start; "
                  f"peak memory {c['skill_memory']['peak_mb']:.1f} MB. Reading the key salt from Secrets Manager "
                  f"(once per process, on that request) adds {c['salt_ms']:.0f} ms to it "
                  f"({c['skill_memory_unsalted']['session_ms']:.0f} ms without a salt)."]
    if "artifact" in results:
        a = results["artifact"]
        lines += [
            "", "## Cold start of the deployed artifact (the zip make build makes and sam build ships)", "",
            f"Each unpacked read-only, as in Lambda's /var/task, and run by the template's runtime Python "
            f"(`{a['python']}`): import and first LaunchRequest in a fresh process that has imported what "
            "Lambda's runtime imports before the handler (logging, json, traceback, ...).", "",
            "| | runs | zip (MB) | import (ms) | first request (ms) | cold total (ms) | peak memory (MB) |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for name, label in (("skill", "Back Pain Check, as deployed (with bytecode)"),
                            ("hello", "hello-world ask-sdk-core skill, packaged the same way"),
                            ("skill_source_only", "Back Pain Check without its bytecode")):
            r = a[name]
            lines.append(f"| {label} | {r['runs']} | {a['zip_mb'][name]:.2f} | {r['import_ms']:.0f} "
                         f"| {r['first_request_ms']:.0f} | {r['cold_ms']:.0f} | {r['peak_mb']:.1f} |")
        lines += ["", f"Deployed artifact's cold-start ratio to the hello-world skill's: **{a['ratio_cold']:.2f}x** "
                      f"(target at most {TARGETS['deployed cold start']}x); "
                      f"without bytecode it would be {a['ratio_source_only']:.2f}x."]
    if "zip" in results:
        z = results["zip"]
        lines += ["", "## Lambda zip", "",
                  f"Without boto3 (the runtime provides it): **{z['without_boto3_mb']:.2f} MB** with bytecode "
                  f"(target under 5.5 MB; Lambda allows 50); with boto3: {z['with_boto3_mb']:.2f} MB."]
    return "\n".join(lines + targets(results)) + "\n"


def targets(results: dict) -> list[str]:
    """Issue 22's three ratios beside their targets, each said met or not."""
    measured = {"warm median": results["warm"]["ratio_median"], "warm p99": results["warm"]["ratio_p99"]}
    if "artifact" in results:
        measured["deployed cold start"] = results["artifact"]["ratio_cold"]
    lines = ["", "## Issue 22's targets (ratios to the hello-world skill, this run)", "",
             "| | ratio | target | met |", "| --- | --- | --- | --- |"]
    for name, ratio in measured.items():
        met = "yes" if ratio <= TARGETS[name] else "no"
        lines.append(f"| {name} | {ratio:.2f}x | at most {TARGETS[name]}x | {met} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--cold-runs", type=int, default=9)
    parser.add_argument("--no-zip", action="store_true", help="skip the zip sizes (two builds)")
    parser.add_argument("--no-artifact", action="store_true", help="skip the deployed artifact's cold start")
    parser.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/REPORT.md alone")
    args = parser.parse_args(argv)
    results = {"warm": warm(args.rounds)}
    if args.cold_runs:
        results["cold"] = cold_start(args.cold_runs)
    if args.cold_runs and not args.no_artifact:
        results["artifact"] = artifact_cold_start(args.cold_runs)
    if not args.no_zip:
        with tempfile.TemporaryDirectory() as folder:
            results["zip"] = zip_sizes(Path(folder))
    report = render(results)
    print(report)
    if not args.no_write:
        REPORT.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
