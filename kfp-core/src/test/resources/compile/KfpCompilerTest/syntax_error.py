"""A pipeline file with a Python syntax error on line 7."""
from kfp import dsl


@dsl.component
def train(epochs: int) -> float:
    return epochs *
