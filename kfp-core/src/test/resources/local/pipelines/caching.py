"""A cacheable step that writes an artifact, and a consumer that reads it."""
from kfp import dsl
from kfp.dsl import Dataset, Input, Output


@dsl.component
def produce(seed: int, data: Output[Dataset]) -> int:
    with open(data.path, "w", encoding="utf-8") as fh:
        fh.write(str(seed * 7))
    return seed * 7


@dsl.component
def consume(data: Input[Dataset]) -> str:
    with open(data.path, encoding="utf-8") as fh:
        return "read " + fh.read()


@dsl.pipeline(name="caching")
def caching(seed: int = 6):
    made = produce(seed=seed).set_caching_options(True)
    consume(data=made.outputs["data"]).set_caching_options(True)
