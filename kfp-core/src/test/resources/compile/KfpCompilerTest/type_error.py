"""A pipeline that passes a string where its component takes an int (line 13)."""
from kfp import dsl


@dsl.component
def train(epochs: int) -> float:
    return 0.5 * epochs


@dsl.pipeline(name="type-error")
def type_error():
    # The kfp compiler checks argument types while it traces this function.
    train(epochs="ten")
