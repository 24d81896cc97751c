"""A gRPC front for the real ML Metadata store (the C++ MetadataStore over SQLite in the
ml-metadata wheel), for kfpci's tests.

Usage: python mlmd_server.py FIXTURE.json DB.sqlite PORT_FILE

It fills the store from FIXTURE.json the way the KFP driver and launcher do (types, the
system.Pipeline and system.PipelineRun contexts, executions with their custom properties, output
artifacts with OUTPUT events, all through MetadataStore.put_execution), then serves every RPC of
ml_metadata.MetadataStoreService by handing the request to the same store. It writes the port it
listens on to PORT_FILE and serves until stdin closes, so it never outlives the test JVM.

While it serves, each line written to its stdin is one more fixture document (the same shape,
on one line), recorded as the launcher records a task while the run goes on: a run already in the
store keeps its context, an execution "key" seen before (in any earlier document) updates that
execution (state, custom properties, more outputs), and "parent"/"cached_from"/"reuse" may name
keys of earlier documents. After each line it prints one JSON line to stdout: {"execution_ids":
{key: id}} for the keys of that document, or {"error": "..."} when the store refused it.
"""
import json
import sys
import threading
from concurrent import futures

import grpc
from google.protobuf import json_format
from ml_metadata import errors
from ml_metadata.metadata_store import metadata_store
from ml_metadata.proto import metadata_store_pb2 as mlmd
from ml_metadata.proto import metadata_store_service_pb2 as service_pb2


def value(spec):
    v = mlmd.Value()
    json_format.ParseDict(spec, v)
    return v


class Recorded:
    """The ids given so far, so a later document can name what an earlier one recorded."""

    def __init__(self):
        self.type_ids = {}
        self.execution_ids = {}
        self.artifact_ids = {}


def fill(store, fixture, recorded=None):
    recorded = recorded if recorded is not None else Recorded()
    type_ids = recorded.type_ids

    def type_id(kind, name):
        if (kind, name) not in type_ids:
            if kind == "artifact":
                type_ids[(kind, name)] = store.put_artifact_type(mlmd.ArtifactType(name=name))
            elif kind == "execution":
                type_ids[(kind, name)] = store.put_execution_type(mlmd.ExecutionType(name=name))
            else:
                type_ids[(kind, name)] = store.put_context_type(mlmd.ContextType(name=name))
        return type_ids[(kind, name)]

    execution_ids = recorded.execution_ids
    artifact_ids = recorded.artifact_ids
    filled = {}
    for run in fixture["runs"]:
        pipeline = mlmd.Context(type_id=type_id("context", "system.Pipeline"), name=run["pipeline"])
        existing = store.get_context_by_type_and_name("system.Pipeline", run["pipeline"])
        if existing is not None:
            pipeline = existing
        else:
            pipeline.id = store.put_contexts([pipeline])[0]
        existing_run = store.get_context_by_type_and_name("system.PipelineRun", run["run_id"])
        if existing_run is not None:
            run_ctx = existing_run
        else:
            run_ctx = mlmd.Context(type_id=type_id("context", "system.PipelineRun"), name=run["run_id"])
            run_ctx.custom_properties["pipeline_root"].string_value = run["pipeline_root"]
            run_ctx.id = store.put_contexts([run_ctx])[0]
        for spec in run["executions"]:
            if spec["key"] in execution_ids:
                # The launcher publishing a task it pre-published: same execution, new state.
                execution = store.get_executions_by_id([execution_ids[spec["key"]]])[0]
            else:
                execution = mlmd.Execution(type_id=type_id("execution", spec["type"]))
            execution.last_known_state = mlmd.Execution.State.Value(spec["state"])
            for key, val in spec.get("custom", {}).items():
                execution.custom_properties[key].CopyFrom(value(val))
            if "parent" in spec:
                execution.custom_properties["parent_dag_id"].int_value = execution_ids[spec["parent"]]
            if "cached_from" in spec:
                execution.custom_properties["cached_execution_id"].string_value = str(
                    execution_ids[spec["cached_from"]])
            pairs = []
            for out in spec.get("outputs", []):
                if "reuse" in out:
                    # A cache hit publishes OUTPUT events to the artifacts the earlier run made.
                    artifact = mlmd.Artifact(id=artifact_ids[out["reuse"]])
                    artifact.CopyFrom(store.get_artifacts_by_id([artifact.id])[0])
                else:
                    artifact = mlmd.Artifact(type_id=type_id("artifact", out["type"]), uri=out["uri"],
                                             state=mlmd.Artifact.LIVE)
                    if "artifact_name" in out:
                        artifact.name = out["artifact_name"]
                    for key, val in out.get("custom", {}).items():
                        artifact.custom_properties[key].CopyFrom(value(val))
                event = mlmd.Event(type=mlmd.Event.OUTPUT)
                event.path.steps.add().key = out["name"]
                pairs.append((artifact, event))
            execution_id, new_artifact_ids, _ = store.put_execution(
                execution, pairs, [pipeline, run_ctx], reuse_context_if_already_exist=True)
            execution_ids[spec["key"]] = execution_id
            filled[spec["key"]] = execution_id
            for out, artifact_id in zip(spec.get("outputs", []), new_artifact_ids):
                artifact_ids.setdefault(out.get("id", spec["key"] + "/" + out["name"]), artifact_id)
    return filled


def make_handler(store, method, lock):
    response_class = getattr(service_pb2, method.output_type.name)

    def handle(request, context):
        response = response_class()
        try:
            with lock:
                store._call(method.name, request, response)
        except errors.StatusError as e:
            context.abort(grpc.StatusCode(_code(e.error_code)), str(e))
        return response

    request_class = getattr(service_pb2, method.input_type.name)
    return grpc.unary_unary_rpc_method_handler(
        handle, request_deserializer=request_class.FromString,
        response_serializer=response_class.SerializeToString)


def _code(number):
    for code in grpc.StatusCode:
        if code.value[0] == number:
            return code.value
    return grpc.StatusCode.UNKNOWN.value


def main():
    fixture_path, db_path, port_file = sys.argv[1:4]
    config = mlmd.ConnectionConfig()
    config.sqlite.filename_uri = db_path
    config.sqlite.connection_mode = mlmd.SqliteMetadataSourceConfig.READWRITE_OPENCREATE
    store = metadata_store.MetadataStore(config)
    recorded = Recorded()
    with open(fixture_path, encoding="utf-8") as f:
        ids = fill(store, json.load(f), recorded)
    # Documents from stdin are recorded on this thread while the server's worker answers RPCs:
    # the store is used by one of them at a time.
    lock = threading.Lock()
    descriptor = service_pb2.DESCRIPTOR.services_by_name["MetadataStoreService"]
    handlers = {m.name: make_handler(store, m, lock) for m in descriptor.methods}
    # One worker: the SQLite-backed store is used from one thread at a time.
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=1))
    server.add_generic_rpc_handlers(
        [grpc.method_handlers_generic_handler(descriptor.full_name, handlers)])
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    with open(port_file + ".tmp", "w", encoding="utf-8") as f:
        json.dump({"port": port, "execution_ids": ids}, f)
    import os
    os.replace(port_file + ".tmp", port_file)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            with lock:
                reply = {"execution_ids": fill(store, json.loads(line), recorded)}
        except (errors.StatusError, KeyError, ValueError, IndexError) as e:
            reply = {"error": type(e).__name__ + ": " + str(e)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    server.stop(0)


if __name__ == "__main__":
    main()
