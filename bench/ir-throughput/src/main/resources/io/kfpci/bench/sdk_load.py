"""The kfp SDK loading compiled pipelines, timed: the peer of kfpci's loader in bench/ir-throughput.

Usage: python sdk_load.py WARMUP ROUNDS FILE...

Does what kfp.dsl.structures does with an IR YAML file: yaml.safe_load_all, then
json_format.ParseDict of the first document into PipelineSpec and of the second, when there is one,
into PlatformSpec (strict: unknown fields are errors). The texts are read once, before timing, as
the Java side does. Prints one JSON line per loader: the SDK's own (pure-Python SafeLoader), and the
same with libyaml's CSafeLoader when PyYAML has it, as the fastest the SDK's approach can be.
"""
import json
import sys
import time

import yaml
from google.protobuf import json_format
from kfp.pipeline_spec import pipeline_spec_pb2


def load(text, loader):
    documents = list(yaml.load_all(text, Loader=loader))
    spec = json_format.ParseDict(documents[0], pipeline_spec_pb2.PipelineSpec())
    if len(documents) > 1:
        json_format.ParseDict(documents[1], pipeline_spec_pb2.PlatformSpec())
    return spec


def measure(name, loader, texts, warmup, rounds):
    for _ in range(warmup):
        for text in texts:
            load(text, loader)
    round_seconds = []
    tasks = 0
    for _ in range(rounds):
        start = time.perf_counter()
        for text in texts:
            tasks += len(load(text, loader).root.dag.tasks)
        round_seconds.append(time.perf_counter() - start)
    print(json.dumps({"loader": name, "files": len(texts), "rounds": rounds,
                      "round_seconds": round_seconds, "checksum": tasks}), flush=True)


def main(argv):
    warmup, rounds, paths = int(argv[0]), int(argv[1]), argv[2:]
    texts = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            texts.append(handle.read())
    measure("yaml.safe_load_all + ParseDict", yaml.SafeLoader, texts, warmup, rounds)
    if getattr(yaml, "__with_libyaml__", False):
        measure("libyaml CSafeLoader + ParseDict", yaml.CSafeLoader, texts, warmup, rounds)


if __name__ == "__main__":
    main(sys.argv[1:])
