"""ParallelFor over a literal list (parallelism 2) with a nested loop over a pipeline
parameter list, a loop over a parameter list with Collected outputs, a loop over an upstream output list of dicts, and Collected outputs."""
from typing import Dict, List

from kfp import dsl
from kfp.dsl import Dataset, Input, Output


@dsl.component
def multiply(a: int, b: int) -> int:
    import time
    time.sleep(0.3)
    return a * b


@dsl.component
def total(values: List[int]) -> int:
    return sum(values)


@dsl.component
def make_people() -> List[Dict[str, str]]:
    return [{"who": "ada", "city": "london"}, {"who": "grace", "city": "nyc"}]


@dsl.component
def greet(name: str, city: str, card: Output[Dataset]) -> str:
    text = f"hello {name} from {city}"
    with open(card.path, "w", encoding="utf-8") as fh:
        fh.write(text)
    card.metadata["name"] = name
    return text


@dsl.component
def bundle(cards: Input[List[Dataset]], greetings: List[str]) -> str:
    texts = []
    for card in cards:
        with open(card.path, encoding="utf-8") as fh:
            texts.append(fh.read())
    return ";".join(sorted(texts)) + "#" + ",".join(sorted(greetings))


@dsl.pipeline(name="loops")
def loops(factors: List[int] = [10, 100]):
    with dsl.ParallelFor(items=[1, 2, 3], parallelism=2, name="outer") as x:
        with dsl.ParallelFor(items=factors, name="inner") as y:
            multiply(a=x, b=y)

    with dsl.ParallelFor(items=factors, name="squares") as f:
        square = multiply(a=f, b=f)
    total(values=dsl.Collected(square.output))

    people = make_people()
    with dsl.ParallelFor(items=people.output, name="people") as person:
        greeting = greet(name=person.who, city=person.city)
    bundle(cards=dsl.Collected(greeting.outputs["card"]),
           greetings=dsl.Collected(greeting.outputs["Output"]))
