"""Exit handler after a failure, a retry that succeeds on its third attempt, and a task
that ignores its upstream's failure."""
from kfp import dsl


@dsl.component
def fail(message: str) -> str:
    import sys
    print(f"failing on purpose: {message}")
    sys.exit(3)


@dsl.component
def flaky(counter_dir: str, succeed_on: int) -> int:
    import os
    path = os.path.join(counter_dir, "attempts")
    count = int(open(path).read()) + 1 if os.path.exists(path) else 1
    with open(path, "w") as fh:
        fh.write(str(count))
    if count < succeed_on:
        raise RuntimeError(f"attempt {count} fails")
    return count


@dsl.component
def cleanup(status: dsl.PipelineTaskFinalStatus) -> str:
    summary = f"{status.state}|{status.pipeline_task_name}|{status.error_code}"
    print(summary)
    return summary


@dsl.component
def after_all(note: str = "upstream gave nothing") -> str:
    print(note)
    return note


@dsl.pipeline(name="exit-retry")
def exit_retry(counter_dir: str, succeed_on: int = 3):
    final = cleanup()
    with dsl.ExitHandler(final, name="main"):
        retried = flaky(counter_dir=counter_dir, succeed_on=succeed_on)
        retried.set_retry(num_retries=3, backoff_duration="0s", backoff_factor=1.0)
        retried.set_caching_options(False)
        broken = fail(message="boom").after(retried)
        broken.set_caching_options(False)
        after_all(note=broken.output).ignore_upstream_failure()
