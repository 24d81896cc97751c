"""One container task that makes a directory where the run's --summary copy should go: the run
succeeds, the copy fails at the end."""
from kfp import dsl


@dsl.container_component
def make_dir(path: str):
    return dsl.ContainerSpec(image="busybox:1.36", command=["mkdir", "-p"], args=[path])


@dsl.pipeline(name="takes-summary-path")
def takes_summary_path(path: str):
    make_dir(path=path)
