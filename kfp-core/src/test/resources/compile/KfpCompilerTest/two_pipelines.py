"""Two pipelines in one file: the caller must choose one with --function."""
from kfp import dsl


@dsl.component
def train(epochs: int) -> float:
    return 0.5 * epochs


@dsl.pipeline(name="first-pipeline")
def first(epochs: int = 1):
    train(epochs=epochs)


@dsl.pipeline(name="second-pipeline")
def second(epochs: int = 2):
    train(epochs=epochs).set_cpu_limit("1").set_memory_limit("1Gi")
