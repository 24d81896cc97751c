"""Runs pipelines with kfp.local and reports what every task produced, for comparison.

Usage: python kfp_local_reference.py REQUEST.json RESULT.json

REQUEST is a JSON list of {"module": path, "function": name, "arguments": {...}, "pipeline_root": dir}.
Each pipeline runs with local.SubprocessRunner(use_venv=False), i.e. in this interpreter's
environment, without caching. RESULT is a JSON list, one entry per request:
{"tasks": {"<task directory>": {"parameters": {...}, "artifacts": {"<name>": [metadata, ...]}}},
 "error": null or a message}. The task directory is kfp.local's, relative to the run directory.
"""
import importlib.util
import json
import os
import sys
import traceback

from kfp import local


def run_one(request):
    root = request["pipeline_root"]
    local.init(runner=local.SubprocessRunner(use_venv=False), pipeline_root=root)
    module_path = os.path.abspath(request["module"])
    sys.path.insert(0, os.path.dirname(module_path))
    spec = importlib.util.spec_from_file_location("reference_" + request["function"], module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    error = None
    try:
        getattr(module, request["function"])(**request["arguments"])
    except Exception:  # noqa: BLE001 - a failed run is a result to compare, not a crash
        error = traceback.format_exc()
    return {"tasks": collect(root), "error": error}


def collect(root):
    tasks = {}
    for run in sorted(os.listdir(root)):
        run_dir = os.path.join(root, run)
        for directory, _, files in os.walk(run_dir):
            if "executor_output.json" not in files:
                continue
            with open(os.path.join(directory, "executor_output.json"), encoding="utf-8") as handle:
                output = json.load(handle)
            parameters = dict(output.get("parameterValues", {}))
            artifacts = {name: [a.get("metadata", {}) for a in value.get("artifacts", [])]
                         for name, value in output.get("artifacts", {}).items()}
            tasks[os.path.relpath(directory, run_dir)] = {"parameters": parameters, "artifacts": artifacts}
    return tasks


def main(request_path, result_path):
    with open(request_path, encoding="utf-8") as handle:
        requests = json.load(handle)
    results = [run_one(r) for r in requests]
    with open(result_path, "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
