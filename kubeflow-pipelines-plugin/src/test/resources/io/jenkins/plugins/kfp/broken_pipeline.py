"""A pipeline the kfp compiler rejects: a component output of an unsupported type."""

from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def produce() -> int:
    return 1
@dsl.pipeline(name="broken-pipeline")
def broken_pipeline(count: int = 1):
    produce().outputs["no_such_output"]
