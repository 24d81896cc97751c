"""Fails at import time on line 5."""
from kfp import dsl


STEPS = load_steps()


@dsl.pipeline(name="broken")
def broken():
    pass
