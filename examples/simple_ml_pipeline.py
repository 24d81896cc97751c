"""The smallest useful KFP v2 ML pipeline: load -> train -> quality check.

What it shows:
  * three lightweight Python components chained by artifacts
    (``Dataset`` -> ``Model`` + ``Metrics``);
  * logging metrics with ``Metrics.log_metric`` in one step and reading them
    back from ``Input[Metrics].metadata`` in the next;
  * a component that returns a plain ``str`` (``APPROVED`` / ``REJECTED``).

Based on the "first pipeline" of the article; changes: the data comes from a
CSV given by the ``data_path`` parameter instead of being generated inside the
component, the label column is ``label``, missing feature values are filled,
and the quality check no longer takes a model input it never used.

Compile:  python examples/simple_ml_pipeline.py simple_ml_pipeline.yaml
"""

import sys

from kfp import compiler, dsl
from kfp.dsl import Dataset, Input, Metrics, Model, Output

BASE_IMAGE = "python:3.11-slim"
PACKAGES = ["numpy==2.1.3", "pandas==2.2.3", "scikit-learn==1.5.2"]


@dsl.component(base_image=BASE_IMAGE, packages_to_install=PACKAGES)
def load_data(data_path: str, dataset: Output[Dataset]):
    """Reads the CSV, drops unlabeled rows and fills missing features."""
    import pandas as pd

    df = pd.read_csv(data_path)
    if "label" not in df.columns:
        raise ValueError(f"{data_path} has no 'label' column")
    df = df.dropna(subset=["label"])
    df = df.fillna(df.median(numeric_only=True))
    df.to_csv(dataset.path, index=False)
    dataset.metadata["rows"] = len(df)
    print(f"loaded {len(df)} rows, {len(df.columns) - 1} features from {data_path}")


@dsl.component(base_image=BASE_IMAGE, packages_to_install=PACKAGES)
def train_model(
    dataset: Input[Dataset],
    test_size: float,
    model: Output[Model],
    metrics: Output[Metrics],
):
    """Trains a random forest and logs held-out accuracy and F1."""
    import joblib
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import train_test_split

    df = pd.read_csv(dataset.path)
    X, y = df.drop(columns=["label"]), df["label"].astype(int)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=42, stratify=y
    )

    clf = RandomForestClassifier(n_estimators=100, random_state=42, n_jobs=1)
    clf.fit(X_train, y_train)
    predictions = clf.predict(X_test)
    accuracy = float(accuracy_score(y_test, predictions))
    f1 = float(f1_score(y_test, predictions))

    joblib.dump(clf, model.path)
    model.metadata["framework"] = "scikit-learn"
    metrics.log_metric("accuracy", accuracy)
    metrics.log_metric("f1_score", f1)
    print(f"accuracy={accuracy:.4f} f1_score={f1:.4f}")


@dsl.component(base_image=BASE_IMAGE)
def evaluate_model(metrics: Input[Metrics], threshold: float) -> str:
    """Approves the model when its logged accuracy reaches the threshold."""
    accuracy = float(metrics.metadata["accuracy"])
    decision = "APPROVED" if accuracy >= threshold else "REJECTED"
    print(f"accuracy {accuracy:.4f} vs threshold {threshold:.4f}: {decision}")
    return decision


@dsl.pipeline(
    name="simple-ml-pipeline",
    description="Load a CSV, train a classifier and check it against a threshold.",
)
def simple_ml_pipeline(
    data_path: str,
    test_size: float = 0.2,
    accuracy_threshold: float = 0.7,
):
    load_task = load_data(data_path=data_path)
    train_task = train_model(
        dataset=load_task.outputs["dataset"], test_size=test_size
    )
    evaluate_model(
        metrics=train_task.outputs["metrics"], threshold=accuracy_threshold
    )


if __name__ == "__main__":
    output_path = sys.argv[1] if len(sys.argv) > 1 else "simple_ml_pipeline.yaml"
    compiler.Compiler().compile(pipeline_func=simple_ml_pipeline, package_path=output_path)
    print(f"compiled simple_ml_pipeline -> {output_path}")
