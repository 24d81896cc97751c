"""Container components run directly on the agent: Concat and IfPresent placeholders,
output parameter files, output artifact paths, and an importer feeding a nested pipeline."""
from kfp import dsl
from kfp.dsl import Artifact, ClassificationMetrics, Dataset, Input, Metrics, Output


@dsl.container_component
def shout(text: str, out: dsl.OutputPath(str), suffix: str = ""):
    return dsl.ContainerSpec(
        image="alpine:3.20",
        command=["sh", "-c", 'printf "%s" "$0" > "$1"'],
        args=[
            dsl.ConcatPlaceholder([text, "!", suffix]),
            out,
        ],
    )


@dsl.container_component
def optional_flag(out: Output[Artifact], flag: str = None):
    return dsl.ContainerSpec(
        image="busybox:1.36",
        command=["sh", "-c", 'mkdir -p "$(dirname "$0")" && echo "args:$*" > "$0"'],
        args=[
            out.path,
            dsl.IfPresentPlaceholder(input_name="flag", then=["--flag", flag], else_=["--no-flag"]),
            dsl.PIPELINE_TASK_NAME_PLACEHOLDER,
        ],
    )


@dsl.component
def read_text(data: Input[Dataset], metrics: Output[Metrics], report: Output[ClassificationMetrics]) -> str:
    with open(data.path, encoding="utf-8") as fh:
        text = fh.read().strip()
    metrics.log_metric("chars", len(text))
    report.log_confusion_matrix(["no", "yes"], [[3, 1], [0, 4]])
    return f"{text}|{data.metadata.get('origin')}"


@dsl.pipeline(name="inner-pipeline")
def inner(uri: str) -> str:
    imported = dsl.importer(artifact_uri=uri, artifact_class=Dataset, reimport=False,
                            metadata={"origin": "fixture"})
    return read_text(data=imported.output).outputs["Output"]


@dsl.pipeline(name="containers")
def containers(text: str = "hi", data_uri: str = "", flag: str = "on"):
    shout(text=text, suffix="?")
    optional_flag(flag=flag)
    optional_flag()
    inner(uri=data_uri)
