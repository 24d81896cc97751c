"""Execution caching in KFP v2: which steps may be reused and which must always run.

What it shows:
  * ``prepare_data`` and ``train_model`` are pure functions of their inputs
    (fixed seeds, no clock, no network), so their results may be reused:
    caching is enabled for them (``set_caching_options(True)``; it is also
    the compiler's default). Re-running with the same ``data_path`` and
    ``n_estimators`` reuses both outputs instead of recomputing them;
  * ``publish_report`` stamps the current time into a ``Markdown`` report, i.e.
    its output legitimately differs on every run, so it opts out with
    ``set_caching_options(False)`` and always executes.

A cache key is derived from the component's spec (code, image, command) and its
input values/artifacts. Changing any input or the component code is a miss.

Caching is a per-task, compile-time setting. The article switched it with a
Python ``if retrain:`` on a pipeline parameter, which cannot work: inside the
pipeline function a parameter is a placeholder, not its run-time value. To
force a full recompute, disable caching for the whole run instead (for example
``kfp.Client().create_run_from_pipeline_package(..., enable_caching=False)``,
or compile with ``kfp dsl compile --disable-execution-caching-by-default``).

Locally, kfp.local >= 2.17 caches only when initialised with
``local.init(..., enable_caching=True)``; run the pipeline twice and on the
second run the first two tasks are served from the cache (kfp.local reports
this through the root ``logging`` logger at INFO level) while
``publish-report`` runs again. ``train_model`` returns its accuracy as a
``float`` rather than logging a ``Metrics`` artifact on purpose: kfp.local 2.17
writes no file for ``Metrics`` outputs and treats a cache entry whose artifact
file is missing as a miss, so a task with an ``Output[Metrics]`` is never a
local cache hit (a KFP cluster caches it fine).

Compile:  python examples/caching_pipeline.py caching_pipeline.yaml
"""

import sys

from kfp import compiler, dsl
from kfp.dsl import Dataset, Input, Markdown, Model, Output

BASE_IMAGE = "python:3.11-slim"
PACKAGES = ["numpy==2.1.3", "pandas==2.2.3", "scikit-learn==1.5.2"]


@dsl.component(base_image=BASE_IMAGE, packages_to_install=PACKAGES)
def prepare_data(data_path: str, dataset: Output[Dataset]):
    """Deterministic cleaning: drop unlabeled rows, fill missing with medians."""
    import pandas as pd

    df = pd.read_csv(data_path)
    df = df.dropna(subset=["label"])
    df = df.fillna(df.median(numeric_only=True))
    df.to_csv(dataset.path, index=False)
    dataset.metadata["rows"] = len(df)
    print(f"prepared {len(df)} rows (this line only appears on a cache miss)")


@dsl.component(base_image=BASE_IMAGE, packages_to_install=PACKAGES)
def train_model(
    dataset: Input[Dataset],
    n_estimators: int,
    model: Output[Model],
) -> float:
    """Deterministic training (random_state=42) with a fixed 80/20 split;
    returns the held-out accuracy."""
    import joblib
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import train_test_split

    df = pd.read_csv(dataset.path)
    X, y = df.drop(columns=["label"]), df["label"].astype(int)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, random_state=42, stratify=y
    )
    clf = RandomForestClassifier(n_estimators=n_estimators, random_state=42, n_jobs=1)
    clf.fit(X_train, y_train)
    accuracy = float(accuracy_score(y_test, clf.predict(X_test)))
    joblib.dump(clf, model.path)
    model.metadata["n_estimators"] = n_estimators
    print(f"trained model, accuracy={accuracy:.4f} (only appears on a cache miss)")
    return accuracy


@dsl.component(base_image=BASE_IMAGE)
def publish_report(
    model: Input[Model],
    accuracy: float,
    report: Output[Markdown],
):
    """Writes a time-stamped report; not cacheable by nature."""
    import datetime

    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    with open(report.path, "w", encoding="utf-8") as fh:
        fh.write(
            "# Training report\n\n"
            f"* generated: {now}\n"
            f"* model: `{model.uri}`\n"
            f"* accuracy: {accuracy:.4f}\n"
        )
    print(f"published report at {now}: accuracy={accuracy:.4f}")


@dsl.pipeline(
    name="caching-pipeline",
    description="Cached data preparation and training; an always-fresh report step.",
)
def caching_pipeline(data_path: str, n_estimators: int = 50):
    prepare_task = prepare_data(data_path=data_path)
    prepare_task.set_caching_options(True)  # reuse when data_path is unchanged

    train_task = train_model(
        dataset=prepare_task.outputs["dataset"], n_estimators=n_estimators
    )
    train_task.set_caching_options(True)  # reuse when data and n_estimators are unchanged

    report_task = publish_report(
        model=train_task.outputs["model"], accuracy=train_task.outputs["Output"]
    )
    report_task.set_caching_options(False)  # always execute: output has a timestamp


if __name__ == "__main__":
    output_path = sys.argv[1] if len(sys.argv) > 1 else "caching_pipeline.yaml"
    compiler.Compiler().compile(pipeline_func=caching_pipeline, package_path=output_path)
    print(f"compiled caching_pipeline -> {output_path}")
