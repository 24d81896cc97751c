"""Compile one KFP pipeline file for kfpci.

Usage: python kfpci_compile.py SOURCE FUNCTION OUTPUT RESULT_JSON

Imports SOURCE as a module, picks the pipeline (FUNCTION, or the only @dsl.pipeline in the file),
compiles it with the real kfp compiler to OUTPUT, and writes the outcome as JSON to RESULT_JSON.
Errors are reported, not raised, with the line of SOURCE where they happened, so the Java side can
show `file:line: message` and keep the traceback for --verbose.

The outcome also lists what the compile read outside the Python installation (the pipeline file,
local modules, data files opened at import time: each with the SHA-256 of its content when it was
opened, or null when it did not exist) and the directories it listed (the import system lists the
pipeline's directory to find modules, so a new file there can change what an import resolves to).
The compile cache keys on exactly these; see io.kfpci.compile.CompileCache.
"""
import hashlib
import importlib.util
import json
import os
import sys
import traceback


class ReadRecorder:
    """An audit hook recording the files the compile opened for reading and the directories it listed."""

    # Outside the interpreter, its venv and the kernel's pseudo-files, everything read is the user's.
    IGNORED = ("/proc/", "/sys/", "/dev/")

    def __init__(self, ignored_prefixes):
        self.ignored = tuple(os.path.join(os.path.abspath(p), "") for p in ignored_prefixes) + self.IGNORED
        self.reads = {}
        self.listings = {}
        self.cacheable = True
        self.busy = False

    def __call__(self, event, args):
        if self.busy or event not in ("open", "os.listdir", "os.scandir"):
            return
        self.busy = True  # our own open/listdir below raise audit events too
        try:
            if event == "open":
                self.opened(*args[:3])
            else:
                self.listed(args[0])
        except Exception:  # noqa: BLE001 - never break the user's compile; a read we cannot vouch for is not cached
            self.cacheable = False
        finally:
            self.busy = False

    def user_path(self, path):
        if isinstance(path, int) or path is None:
            return None
        path = os.path.abspath(os.fsdecode(path))
        if path.startswith(self.ignored):
            return None
        return path

    def opened(self, path, mode, flags):
        if isinstance(mode, str):
            writes = any(c in mode for c in "wax+")
        else:
            writes = bool((flags or 0) & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        path = self.user_path(path)
        if writes or path is None or path in self.reads:
            return
        # Byte-code caches are derived from a .py that is recorded itself.
        if os.path.basename(os.path.dirname(path)) == "__pycache__" or os.path.isdir(path):
            return
        try:
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 16), b""):
                    digest.update(block)
            self.reads[path] = digest.hexdigest()
        except FileNotFoundError:
            self.reads[path] = None
        except OSError:
            self.cacheable = False

    def listed(self, path):
        path = self.user_path(os.getcwd() if path is None else path)
        if path is None or path in self.listings:
            return
        try:
            self.listings[path] = sorted(os.listdir(path))
        except FileNotFoundError:
            self.listings[path] = None
        except OSError:
            self.cacheable = False


def main(argv):
    source, function, output, result_path = argv
    source = os.path.abspath(source)
    recorder = ReadRecorder([sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
                             os.path.dirname(os.path.abspath(__file__))])
    sys.addaudithook(recorder)
    try:
        result = compile_pipeline(source, function or None, output)
    except BaseException as error:  # noqa: B902 - user code may raise anything, even SystemExit
        result = describe_error(source, error)
    recorder.busy = True
    result["cacheable"] = recorder.cacheable
    result["reads"] = [{"path": p, "sha256": h} for p, h in sorted(recorder.reads.items())]
    result["listings"] = [{"path": p, "names": n} for p, n in sorted(recorder.listings.items())]
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
