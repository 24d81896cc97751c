"""The smallest pipeline: one lightweight component."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def hello(name: str) -> str:
    return "hello " + name


@dsl.pipeline(name="hello-pipeline")
def hello_pipeline(name: str = "world"):
    hello(name=name)
