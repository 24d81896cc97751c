"""Control flow for the local runner tests: If/Elif/Else with a OneOf output, and a
numeric condition that is true or false depending on a pipeline parameter."""
from kfp import dsl


@dsl.component
def classify(value: int) -> str:
    if value > 10:
        return "big"
    if value > 0:
        return "small"
    return "none"


@dsl.component
def describe(label: str, value: int) -> str:
    message = f"{label}:{value}"
    print(message)
    return message


@dsl.component
def double(value: int) -> int:
    return value * 2


@dsl.component
def join(text: str, doubled: int) -> str:
    return f"{text}|{doubled}"


@dsl.pipeline(name="control-flow")
def control_flow(value: int = 5, threshold: float = 4.5):
    kind = classify(value=value)
    with dsl.If(kind.output == "big", name="is-big"):
        big = describe(label="BIG", value=value)
    with dsl.Elif(kind.output == "small", name="is-small"):
        small = describe(label="SMALL", value=value)
    with dsl.Else(name="is-none"):
        none = describe(label="NONE", value=value)
    chosen = dsl.OneOf(big.output, small.output, none.output)

    doubled = double(value=value)
    with dsl.If(doubled.output > threshold, name="above-threshold"):
        join(text=chosen, doubled=doubled.output)
