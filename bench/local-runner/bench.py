"""Local runner benchmark: kfpci's local runner against kfp.local, both from the same .py file.

Run it through run.sh, which builds the CLI and finds the managed venv. Like with like:

  * both sides start from examples/ml_training_pipeline.py. Ours is `kfpci run --local FILE.py`
    (the launcher as a user runs it: JVM start, compiling with the real kfp, running the tasks,
    writing the report); kfp.local is a fresh Python process that imports kfp, builds the pipeline
    from the same file and runs it with SubprocessRunner(use_venv=False) inside the very venv our
    runner uses for the tasks, so both import the same packages. Neither reuses task results: ours
    runs with --no-cache, kfp.local's caching is off unless asked for.
  * ours is measured twice: with the compile cache bypassed (--no-compile-cache: it compiles every
    time, as kfp.local builds the pipeline every time) and with the compile cache warm (what a
    re-run of an unchanged pipeline costs).
  * the sides take turns, one run each per round; round 1 is discarded on every side; each side's
    figure is its median over the remaining rounds, wall clock and CPU (user + system of the
    process and all its children). Ratios are taken only between these medians.

Also printed, for ours alone and labelled as such (kfp.local has no equivalent: it cannot start
from compiled IR): the run of the already compiled IR, and the orchestration overhead per task
(ready -> outcome recorded, minus the component process's own wall time). With
--kfp-local-default-mode, kfp.local's default SubprocessRunner() (a fresh venv and pip install per
task) is timed too, once per round, which takes minutes.
"""
import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(REPO, "examples", "ml_training_pipeline.py")
DATA = os.path.join(REPO, "examples", "data", "training.csv")
KFPCI = os.path.join(REPO, "kfpci")

# kfp.local's side, end to end from the .py: a fresh interpreter imports kfp, builds the pipeline
# from the file (the decorators run, as at compile time) and runs it.
KFP_LOCAL_DRIVER = """
import importlib.util
import sys
source, root, mode, data = sys.argv[1:5]
from kfp import local
local.init(runner=local.SubprocessRunner(use_venv=mode == "venv"), pipeline_root=root)
spec = importlib.util.spec_from_file_location("ml_training_pipeline", source)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
module.ml_training_pipeline(data_path=data)
"""


def timed(command, env=None):
    """Runs a command to completion; returns (wall seconds, CPU seconds of it and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (result.returncode, " ".join(command), (result.stdout or "")[-3000:]))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def latest_run(root):
    pipeline = os.path.join(root, "ml-training-pipeline")
    runs = sorted(d for d in os.listdir(pipeline) if not d.startswith("."))
    return os.path.join(pipeline, runs[-1])


def parse_time(text):
    # RFC 3339 with up to nanoseconds; Python wants at most microseconds.
    text = text.rstrip("Z")
    if "." in text:
        head, frac = text.split(".")
        text = head + "." + frac[:6]
    return datetime.fromisoformat(text).timestamp()


def overheads(run_dir):
    """Per executed container task: (ready -> finished) minus the process's own wall time, in ms."""
    with open(os.path.join(run_dir, "summary.json"), encoding="utf-8") as handle:
        summary = json.load(handle)
    tasks = {t["id"]: t for t in summary["tasks"]}
    run_start = parse_time(summary["started_at"])
    out = []
    for task in summary["tasks"]:
        if task["kind"] != "container" or task.get("cached") or task["state"] != "SUCCEEDED":
            continue
        ready = max([parse_time(tasks[u["task_id"]]["finished_at"]) for u in task["upstream"]] or [run_start])
        parent = task.get("parent_id")
        if parent:  # a task in a group becomes ready when the group starts, at the earliest
            ready = max(ready, parse_time(tasks[parent]["started_at"]))
        with open(os.path.join(run_dir, task["id"], ".attempt.json"), encoding="utf-8") as handle:
            process_ms = json.load(handle)["process_ms"]
        out.append((parse_time(task["finished_at"]) - ready) * 1000 - process_ms)
    return out


def executed_tasks(run_dir):
    with open(os.path.join(run_dir, "summary.json"), encoding="utf-8") as handle:
        summary = json.load(handle)
    return sorted(t["id"] for t in summary["tasks"] if t["kind"] == "container" and t["state"] == "SUCCEEDED"
                  and not t.get("cached"))


class Side:
    def __init__(self, name):
        self.name = name
        self.walls = []
        self.cpus = []

    def add(self, measured):
        self.walls.append(measured[0])
        self.cpus.append(measured[1])

    def wall(self):
        return statistics.median(self.walls[1:])

    def cpu(self):
        return statistics.median(self.cpus[1:])

    def line(self):
        return "%-78s %7.2f s wall  %7.2f s CPU   (kept rounds: %s)" % (
            self.name, self.wall(), self.cpu(), ", ".join("%.2f" % w for w in self.walls[1:]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", required=True, help="the managed venv holding kfp, numpy, pandas, scikit-learn")
    parser.add_argument("--work", default=os.path.join(HERE, "target"))
    parser.add_argument("--rounds", type=int, default=4, help="rounds of turns; the first is discarded (default 4)")
    parser.add_argument("--kfp-local-default-mode", action="store_true",
                        help="also time kfp.local's default SubprocessRunner() (a venv per task: minutes per run)")
    args = parser.parse_args()
    if args.rounds < 2:
        sys.exit("--rounds must be at least 2: the first round is discarded")
    os.makedirs(args.work, exist_ok=True)
    work = tempfile.mkdtemp(prefix="bench-", dir=args.work)
    python = os.path.join(args.venv, "bin", "python")
    load_before = os.getloadavg()
    started = datetime.now(timezone.utc)

    ir = os.path.join(work, "ml_training_pipeline.yaml")
    timed([KFPCI, "compile", "--no-compile-cache", EXAMPLE, "-o", ir])
    driver = os.path.join(work, "kfp_local_driver.py")
    with open(driver, "w", encoding="utf-8") as handle:
        handle.write(KFP_LOCAL_DRIVER)
    env = dict(os.environ, PATH=os.path.join(args.venv, "bin") + os.pathsep + os.environ["PATH"])

    def ours(name, pipeline, *extra):
        root = os.path.join(work, name)
        return timed([KFPCI, "run", "--local", pipeline, "-q", "--no-cache", "--pipeline-root", root,
                      "-p", "data_path=" + DATA, *extra]), root

    py_uncached = Side("ours: kfpci run --local FILE.py --no-compile-cache (compiles every run)")
    py_cached = Side("ours: kfpci run --local FILE.py, compile cache warm")
    kfp_local = Side("kfp.local: import kfp, build from FILE.py, SubprocessRunner(use_venv=False)")
    kfp_local_venv = Side("kfp.local: the same with SubprocessRunner() (a fresh venv per task)")
    from_ir = Side("kfpci run --local FILE.yaml (IR compiled beforehand)")
    per_task = []
    for round_number in range(args.rounds):
        # Taking turns: one run of each side per round, so that load on the shared machine hits all.
        measured, root = ours("py-uncached", EXAMPLE, "--no-compile-cache")
        py_uncached.add(measured)
        if round_number > 0:
            per_task.extend(overheads(latest_run(root)))
        kfp_root = os.path.join(work, "kfp-local", str(round_number))
        kfp_local.add(timed([python, driver, EXAMPLE, kfp_root, "novenv", DATA], env=env))
        # The previous runs left a valid compile cache entry for the example: this one is a hit.
        measured, root = ours("py-cached", EXAMPLE)
        py_cached.add(measured)
        measured, root = ours("ir", ir)
        from_ir.add(measured)
        if args.kfp_local_default_mode:
            kfp_local_venv.add(timed([python, driver, EXAMPLE, kfp_root + "-venv", "venv", DATA], env=env))

    for name in ("py-uncached", "py-cached", "ir"):
        assert executed_tasks(latest_run(os.path.join(work, name))) == [
            "condition-1/deploy-model", "evaluate", "preprocess", "train"], name

    # The "compile cache warm" side must really have hit: the example's entry is still valid.
    check = subprocess.run([KFPCI, "compile", "--verbose", EXAMPLE, "-o", os.path.join(work, "check.yaml")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert "IR from the compile cache" in check.stdout, "the compile cache missed:\n" + check.stdout[-2000:]

    load_after = os.getloadavg()
    print("local-runner benchmark, %s UTC: examples/ml_training_pipeline.py (4 container tasks, all executed)"
          % started.strftime("%Y-%m-%d %H:%M"))
    print("machine: %d cores, %s; load average %.1f before, %.1f after (1-minute)"
          % (os.cpu_count(), platform.platform(), load_before[0], load_after[0]))
    print("%d rounds of turns, round 1 discarded, medians of the other %d:" % (args.rounds, args.rounds - 1))
    print("  " + py_uncached.line())
    print("  " + py_cached.line())
    print("  " + kfp_local.line())
    if args.kfp_local_default_mode:
        print("  " + kfp_local_venv.line())
    print("ratios, ours / kfp.local (below 1: ours is faster), from the medians above:")
    for side in (py_uncached, py_cached):
        print("  %-66s wall %.2fx   CPU %.2fx" % (side.name.split(": ", 1)[1], side.wall() / kfp_local.wall(),
                                                side.cpu() / kfp_local.cpu()))
        if args.kfp_local_default_mode:
            print("  %-66s wall %.2fx   CPU %.2fx   (against SubprocessRunner())" % (
                side.name.split(": ", 1)[1], side.wall() / kfp_local_venv.wall(), side.cpu() / kfp_local_venv.cpu()))
    print("ours alone, not comparable with kfp.local (which cannot start from compiled IR):")
    print("  " + from_ir.line())
    print("  orchestration overhead per task, component process excluded: mean %.0f ms, median %.0f ms,"
          " max %.0f ms over %d tasks" % (statistics.mean(per_task), statistics.median(per_task), max(per_task),
                                          len(per_task)))
    print("work directory: " + work)


if __name__ == "__main__":
    main()
