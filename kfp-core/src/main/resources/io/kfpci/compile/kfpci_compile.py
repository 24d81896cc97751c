"""Compile one KFP pipeline file for kfpci.

Usage: python kfpci_compile.py SOURCE FUNCTION OUTPUT RESULT_JSON

Imports SOURCE as a module, picks the pipeline (FUNCTION, or the only @dsl.pipeline in the file),
compiles it with the real kfp compiler to OUTPUT, and writes the outcome as JSON to RESULT_JSON.
Errors are reported, not raised, with the line of SOURCE where they happened, so the Java side can
show `file:line: message` and keep the traceback for --verbose.
"""
import importlib.util
import json
import os
import sys
import traceback


def main(argv):
    source, function, output, result_path = argv
    source = os.path.abspath(source)
    try:
        result = compile_pipeline(source, function or None, output)
    except BaseException as error:  # noqa: B902 - user code may raise anything, even SystemExit
        result = describe_error(source, error)
    with open(result_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle)


def compile_pipeline(source, function, output):
    sys.path.insert(0, os.path.dirname(source))
    spec = importlib.util.spec_from_file_location("kfpci_user_pipeline", source)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)

    from kfp import compiler
    from kfp.dsl.base_component import BaseComponent
    from kfp.dsl.graph_component import GraphComponent

    pipelines = {name: value for name, value in vars(module).items() if isinstance(value, GraphComponent)}
    if function:
        target = getattr(module, function, None)
        if not isinstance(target, BaseComponent):
            known = ", ".join(sorted(pipelines)) or "none"
            return {"ok": False, "line": 0, "kind": "NoSuchPipeline",
                    "message": "'%s' is not a @dsl.pipeline or component in the file (pipelines found: %s)"
                               % (function, known)}
        name = function
    elif len(pipelines) == 1:
        name, target = next(iter(pipelines.items()))
    elif not pipelines:
        return {"ok": False, "line": 0, "kind": "NoPipeline",
                "message": "the file defines no @dsl.pipeline function"}
    else:
        return {"ok": False, "line": 0, "kind": "AmbiguousPipeline",
                "message": "the file defines several pipelines (%s); choose one with --function"
                           % ", ".join(sorted(pipelines))}

    compiler.Compiler().compile(pipeline_func=target, package_path=output)
    import kfp
    return {"ok": True, "function": name, "output": output, "kfp_version": kfp.__version__}


def describe_error(source, error):
    line = 0
    if isinstance(error, SyntaxError) and error.filename and os.path.abspath(error.filename) == source:
        line = error.lineno or 0
        message = "%s: %s" % (type(error).__name__, error.msg)
    else:
        for frame in traceback.extract_tb(error.__traceback__):
            if os.path.abspath(frame.filename) == source:
                line = frame.lineno
        message = "%s: %s" % (type(error).__name__, error)
    return {
        "ok": False,
        "line": line,
        "kind": type(error).__name__,
        "message": message,
        "traceback": "".join(traceback.format_exception(type(error), error, error.__traceback__)),
    }


if __name__ == "__main__":
    main(sys.argv[1:])
