"""The kfp SDK loading compiled pipelines, timed: the peer of kfpci's loader in bench/ir-throughput.

Usage: python sdk_load.py FILE...   then, on stdin, lines "ROUNDS" (measure) until end of input.
       python sdk_load.py --once FILE...   a cold start: load each file once with the SDK's loader,
                                           print the root task count, exit (bench/ir-throughput/cold_start.py).

Does what kfp.dsl.structures does with an IR YAML file: yaml.safe_load_all, then
json_format.ParseDict of the first document into PipelineSpec and of the second, when there is one,
into PlatformSpec (strict: unknown fields are errors). The texts are read once, before timing, as
the Java side does. For each request it prints one JSON line per loader: the SDK's own
(pure-Python SafeLoader), and the same with libyaml's CSafeLoader when PyYAML has it, as the fastest
the SDK's approach can be. Requests come in turns with the Java side's rounds, so that both see
the same machine load.
"""
import json
import sys
import time

import yaml
from google.protobuf import json_format
from kfp.pipeline_spec import pipeline_spec_pb2

LOADERS = [("yaml.safe_load_all + ParseDict", yaml.SafeLoader)]
if getattr(yaml, "__with_libyaml__", False):
    LOADERS.append(("libyaml CSafeLoader + ParseDict", yaml.CSafeLoader))


def load(text, loader):
    documents = list(yaml.load_all(text, Loader=loader))
    spec = json_format.ParseDict(documents[0], pipeline_spec_pb2.PipelineSpec())
    if len(documents) > 1:
        json_format.ParseDict(documents[1], pipeline_spec_pb2.PlatformSpec())
    return spec


def measure(name, loader, texts, rounds):
    round_seconds = []
    round_cpu_seconds = []
    tasks = 0
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        for text in texts:
            tasks += len(load(text, loader).root.dag.tasks)
        round_seconds.append(time.perf_counter() - start)
        round_cpu_seconds.append(time.process_time() - start_cpu)
    print(json.dumps({"loader": name, "files": len(texts), "round_seconds": round_seconds,
                      "round_cpu_seconds": round_cpu_seconds, "checksum": tasks}), flush=True)


def main(paths):
    texts = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            texts.append(handle.read())
    for _, loader in LOADERS:  # warm the caches once
        for text in texts:
            load(text, loader)
    print(json.dumps({"ready": [name for name, _ in LOADERS]}), flush=True)
    for line in sys.stdin:
        for name, loader in LOADERS:
            measure(name, loader, texts, int(line))


def once(paths):
    tasks = 0
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            tasks += len(load(handle.read(), yaml.SafeLoader).root.dag.tasks)
    print(json.dumps({"files": len(paths), "checksum": tasks}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--once"]:
        once(sys.argv[2:])
    else:
        main(sys.argv[1:])
