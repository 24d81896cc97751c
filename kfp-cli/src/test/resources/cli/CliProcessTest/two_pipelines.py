"""Two pipelines in one file: which one to compile must be said with --function."""
from kfp import dsl


@dsl.component(base_image="python:3.11-slim")
def hello(name: str) -> str:
    return "hello " + name


@dsl.pipeline(name="first-pipeline")
def first(name: str = "world"):
    hello(name=name)


@dsl.pipeline(name="second-pipeline")
def second(name: str = "moon"):
    hello(name=name)
