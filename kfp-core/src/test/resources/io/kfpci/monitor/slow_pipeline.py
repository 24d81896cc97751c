"""A slow, dependency-free pipeline for the watch, restart and abort tests (kfp-core and the plugin).

Three steps run one after the other inside an exit handler; each prints one line per second, so a
test can restart Jenkins or abort the build in the middle of a known step. `fail_in` makes the
named step fail. The components use only the standard library: nothing to install.
"""

from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def step(name: str, seconds: int, fail_in: str) -> str:
    import sys
    import time

    for tick in range(1, seconds + 1):
        print(f"{name}: tick {tick} of {seconds}", flush=True)
        time.sleep(1)
    if name == fail_in:
        print(f"{name}: failing as asked", flush=True)
        sys.exit(3)
    return name


@dsl.component(base_image="python:3.11-slim")
def cleanup(note: str):
    print(f"cleanup after {note}", flush=True)


@dsl.pipeline(name="slow-pipeline")
def slow_pipeline(seconds: int = 3, fail_in: str = ""):
    exit_task = cleanup(note="slow-pipeline")
    with dsl.ExitHandler(exit_task):
        one = step(name="one", seconds=seconds, fail_in=fail_in)
        two = step(name="two", seconds=seconds, fail_in=fail_in).after(one)
        step(name="three", seconds=seconds, fail_in=fail_in).after(two)
