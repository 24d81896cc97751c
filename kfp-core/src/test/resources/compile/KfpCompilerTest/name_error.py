"""A pipeline file that fails at import time: line 6 reads a name that does not exist."""
from kfp import dsl

DEFAULT_EPOCHS = 10

THRESHOLD = ACCURACY_THRESHOLD * 2


@dsl.pipeline(name="name-error")
def name_error():
    pass
