"""Local runner benchmark: kfpci's local runner against kfp.local on the same pipeline, same machine.

Run it through run.sh, which builds the CLI and finds the managed venv. Prints:
  * wall time of one run of examples/ml_training_pipeline.py with our runner (CLI end to end, JVM
    start included, warm venvs, no cache) and with kfp.local, both its default
    SubprocessRunner() (a fresh venv per task, warm pip cache) and SubprocessRunner(use_venv=False)
    in the very venv our runner uses; and the ratios;
  * our orchestration overhead per task: the time from a task becoming ready (its upstream tasks
    done) to its outcome being recorded, minus the wall time of the component's own process;
  * the wall time of a fully cached re-run (a copy of the IR in which deploy-model is cacheable
    too, since the example marks it never-cache), and of a re-run of the IR as compiled.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(REPO, "examples", "ml_training_pipeline.py")
DATA = os.path.join(REPO, "examples", "data", "training.csv")
KFPCI = os.path.join(REPO, "kfpci")

KFP_LOCAL_DRIVER = """
import sys
sys.path.insert(0, sys.argv[1])
from kfp import local
local.init(runner=local.SubprocessRunner(use_venv=sys.argv[3] == "venv"), pipeline_root=sys.argv[2])
from ml_training_pipeline import ml_training_pipeline
ml_training_pipeline(data_path=sys.argv[4])
"""


def timed(command, env=None, quiet=True):
    start = time.monotonic()
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE if quiet else None,
                            stderr=subprocess.STDOUT if quiet else None, text=True)
    elapsed = time.monotonic() - start
    if result.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (result.returncode, " ".join(command), (result.stdout or "")[-3000:]))
    return elapsed, result.stdout or ""


def ours(ir, root, *extra):
    return timed([KFPCI, "run", "--local", ir, "-q", "--pipeline-root", root, "-p", "data_path=" + DATA, *extra])


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
    out = {}
    for task in summary["tasks"]:
        if task["kind"] != "container" or task.get("cached") or task["state"] != "SUCCEEDED":
            continue
        ready = max([parse_time(tasks[u["task_id"]]["finished_at"]) for u in task["upstream"]] or [run_start])
        parent = task.get("parent_id")
        if parent:  # a task in a group becomes ready when the group starts, at the earliest
            ready = max(ready, parse_time(tasks[parent]["started_at"]))
        with open(os.path.join(run_dir, task["id"], ".attempt.json"), encoding="utf-8") as handle:
            process_ms = json.load(handle)["process_ms"]
        total_ms = (parse_time(task["finished_at"]) - ready) * 1000
        out[task["id"]] = (total_ms - process_ms, process_ms)
    return out


def cacheable_copy(ir, path, python):
    """The compiled IR with deploy-model's caching switched on, written by PyYAML from the kfp venv."""
    script = ("import sys, yaml\n"
              "docs = list(yaml.safe_load_all(open(sys.argv[1])))\n"
              "docs[0]['components']['comp-condition-1']['dag']['tasks']['deploy-model']['cachingOptions'] = "
              "{'enableCache': True}\n"
              "yaml.safe_dump_all(docs, open(sys.argv[2], 'w'), sort_keys=False)\n")
    subprocess.run([python, "-c", script, ir, path], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", required=True, help="the managed venv holding kfp, numpy, pandas, scikit-learn")
    parser.add_argument("--work", default=os.path.join(HERE, "target"))
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours to take the median of")
    parser.add_argument("--skip-kfp-local-venv", action="store_true",
                        help="leave out kfp.local's default mode (slow: it builds a venv per task)")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    work = tempfile.mkdtemp(prefix="bench-", dir=args.work)
    python = os.path.join(args.venv, "bin", "python")

    ir = os.path.join(work, "ml_training_pipeline.yaml")
    timed([KFPCI, "compile", EXAMPLE, "-o", ir])
    cacheable = os.path.join(work, "ml_training_pipeline_cacheable.yaml")
    cacheable_copy(ir, cacheable, python)

    # Warm-up: venvs and Python bytecode exist afterwards, for both runners.
    ours(ir, os.path.join(work, "warmup"), "--no-cache")

    root = os.path.join(work, "ours")
    walls, per_task = [], []
    for _ in range(args.repeat):
        wall, _ = ours(ir, root, "--no-cache")
        walls.append(wall)
        per_task.extend(overheads(latest_run(root)).values())
    our_wall = statistics.median(walls)

    env = dict(os.environ, PATH=os.path.join(args.venv, "bin") + os.pathsep + os.environ["PATH"])
    driver = os.path.join(work, "kfp_local_driver.py")
    with open(driver, "w", encoding="utf-8") as handle:
        handle.write(KFP_LOCAL_DRIVER)
    examples = os.path.join(REPO, "examples")
    same_venv, _ = timed([python, driver, examples, os.path.join(work, "kfp-local-same-venv"), "novenv", DATA], env=env)
    fresh_venvs = None
    if not args.skip_kfp_local_venv:
        fresh_venvs, _ = timed([python, driver, examples, os.path.join(work, "kfp-local-venvs"), "venv", DATA], env=env)

    cached_root = os.path.join(work, "cached")
    ours(cacheable, cached_root)
    cached_wall = statistics.median(ours(cacheable, cached_root)[0] for _ in range(args.repeat))
    as_compiled_root = os.path.join(work, "as-compiled")
    ours(ir, as_compiled_root)
    as_compiled_wall = statistics.median(ours(ir, as_compiled_root)[0] for _ in range(args.repeat))

    with open(os.path.join(latest_run(cached_root), "summary.json"), encoding="utf-8") as handle:
        cached_tasks = [t for t in json.load(handle)["tasks"] if t["kind"] == "container"]
    assert all(t["cached"] for t in cached_tasks), "the cached re-run executed a task"

    overhead_ms = [o for o, _ in per_task]
    print("local-runner benchmark: examples/ml_training_pipeline.py (4 container tasks), %d cores, %s"
          % (os.cpu_count(), platform.platform()))
    print("  ours: kfpci run --local --no-cache, warm venvs (median of %d)   %6.1f s" % (args.repeat, our_wall))
    if fresh_venvs is not None:
        print("  kfp.local SubprocessRunner() (a fresh venv per task, warm pip cache) %6.1f s   ratio %.2fx (target <= 0.5x)"
              % (fresh_venvs, our_wall / fresh_venvs))
    print("  kfp.local SubprocessRunner(use_venv=False), same venv          %6.1f s   ratio %.2fx (target <= 0.5x)"
          % (same_venv, our_wall / same_venv))
    print("  orchestration overhead per task, component process excluded:   mean %.0f ms, median %.0f ms, max %.0f ms"
          " over %d tasks (target <= 100 ms)" % (statistics.mean(overhead_ms), statistics.median(overhead_ms),
                                                max(overhead_ms), len(overhead_ms)))
    print("  fully cached re-run (all 4 tasks from the cache, CLI end to end, report included, median of %d)"
          " %5.2f s (target <= 2 s)" % (args.repeat, cached_wall))
    print("  re-run as compiled (3 cached, deploy-model runs: never cached, median of %d) %5.2f s"
          % (args.repeat, as_compiled_wall))
    print("work directory: " + work)


if __name__ == "__main__":
    main()
