"""A quick step, then a step that waits for a release file (for kill, cancel and resume tests),
inside an exit handler."""
from kfp import dsl


@dsl.component
def quick(counter_dir: str) -> str:
    import os
    path = os.path.join(counter_dir, "quick-runs")
    count = int(open(path).read()) + 1 if os.path.exists(path) else 1
    with open(path, "w") as fh:
        fh.write(str(count))
    return "quick done"


@dsl.component
def wait_for_release(counter_dir: str, previous: str) -> str:
    import os
    import time
    with open(os.path.join(counter_dir, "waiting"), "w") as fh:
        fh.write(str(os.getpid()))
    release = os.path.join(counter_dir, "release")
    while not os.path.exists(release):
        time.sleep(0.1)
    return previous + " then released"


@dsl.component
def on_exit(status: dsl.PipelineTaskFinalStatus, counter_dir: str) -> str:
    import os
    with open(os.path.join(counter_dir, "exit-handler"), "w") as fh:
        fh.write(status.state)
    return status.state


@dsl.pipeline(name="slow")
def slow(counter_dir: str):
    final = on_exit(counter_dir=counter_dir)
    with dsl.ExitHandler(final, name="main"):
        first = quick(counter_dir=counter_dir).set_caching_options(False)
        wait_for_release(counter_dir=counter_dir, previous=first.output).set_caching_options(False)
