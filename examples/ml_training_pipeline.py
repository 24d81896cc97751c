"""ML training pipeline with a quality gate before deployment (KFP v2).

What it shows:
  * preprocess -> train -> evaluate -> deploy_model, passing typed artifacts
    (``Input``/``Output`` of ``Dataset``, ``Model``, ``Metrics``, ``Artifact``);
  * a pipeline parameter (``data_path``) that points at a CSV, read with pandas
    (a local path, a ``file://`` URI or an ``http(s)://`` URL);
  * an evaluation step that logs ``test_accuracy`` / ``test_f1`` to a
    ``Metrics`` artifact *and* returns the accuracy as its single output
    parameter (a plain ``float`` return, not a NamedTuple: kfp.local 2.17 can
    only resolve ``dsl.If`` conditions on a task's single return value -- a
    condition on a NamedTuple field silently evaluates to False there);
  * conditional execution: ``deploy_model`` runs inside ``dsl.If`` only when the
    test accuracy is at least the ``accuracy_threshold`` parameter;
  * a deploy step that needs no network: it "deploys" by writing a JSON
    deployment manifest artifact (model URI, checksum, metrics, target).

Compared with the article this is based on, the split is done before imputing
missing values (medians come from the training rows only, so nothing leaks from
the test rows), the gate compares the returned accuracy with the threshold
inside ``dsl.If`` instead of returning a bool, and the ``deploy_model``
component the article left out is defined here.

The CSV needs numeric feature columns and a binary ``label`` column, like
``examples/data/training.csv``.

Compile:  python examples/ml_training_pipeline.py ml_training_pipeline.yaml
Run locally (needs pandas/scikit-learn in the current environment):
    from kfp import local
    local.init(runner=local.SubprocessRunner(use_venv=False))
    ml_training_pipeline(data_path="/abs/path/to/examples/data/training.csv")
"""

import sys

from kfp import compiler, dsl
from kfp.dsl import Artifact, Dataset, Input, Metrics, Model, Output

BASE_IMAGE = "python:3.11-slim"
PACKAGES = ["numpy==2.1.3", "pandas==2.2.3", "scikit-learn==1.5.2"]

# Where deploy_model "deploys" to. It only records this in the manifest.
MODEL_NAME = "churn-classifier"
DEPLOYMENT_TARGET = "local://model-registry/churn-classifier/staging"


@dsl.component(base_image=BASE_IMAGE, packages_to_install=PACKAGES)
def preprocess(
    data_path: str,
    test_size: float,
    train_data: Output[Dataset],
    test_data: Output[Dataset],
    data_stats: Output[Metrics],
):
    """Reads the CSV, splits it (stratified) and fills missing values."""
    import pandas as pd
    from sklearn.model_selection import train_test_split

    df = pd.read_csv(data_path)
    if "label" not in df.columns:
        raise ValueError(f"{data_path} has no 'label' column: {list(df.columns)}")
    rows_read = len(df)
    df = df.dropna(subset=["label"])
    df["label"] = df["label"].astype(int)

    train_df, test_df = train_test_split(
        df, test_size=test_size, random_state=42, stratify=df["label"]
    )
    # Impute with medians of the training split only.
    medians = train_df.drop(columns=["label"]).median(numeric_only=True)
    missing_cells = int(df.drop(columns=["label"]).isna().sum().sum())
    train_df = train_df.fillna(medians)
    test_df = test_df.fillna(medians)

    train_df.to_csv(train_data.path, index=False)
    test_df.to_csv(test_data.path, index=False)
    train_data.metadata["rows"] = len(train_df)
    test_data.metadata["rows"] = len(test_df)

    data_stats.log_metric("rows_read", rows_read)
    data_stats.log_metric("train_rows", len(train_df))
    data_stats.log_metric("test_rows", len(test_df))
    data_stats.log_metric("feature_count", len(df.columns) - 1)
    data_stats.log_metric("missing_cells_imputed", missing_cells)
    print(f"read {rows_read} rows; train={len(train_df)} test={len(test_df)}; "
          f"imputed {missing_cells} missing cells")


@dsl.component(base_image=BASE_IMAGE, packages_to_install=PACKAGES)
def train(
    train_data: Input[Dataset],
    n_estimators: int,
    model: Output[Model],
    training_metrics: Output[Metrics],
):
    """Trains a random forest classifier and saves it with joblib."""
    import joblib
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import accuracy_score

    df = pd.read_csv(train_data.path)
    X, y = df.drop(columns=["label"]), df["label"]

    clf = RandomForestClassifier(n_estimators=n_estimators, random_state=42, n_jobs=1)
    clf.fit(X, y)

    train_accuracy = float(accuracy_score(y, clf.predict(X)))
    training_metrics.log_metric("train_accuracy", train_accuracy)

    joblib.dump(clf, model.path)
    model.metadata["framework"] = "scikit-learn"
    model.metadata["model_type"] = "RandomForestClassifier"
    model.metadata["n_estimators"] = n_estimators
    model.metadata["features"] = list(X.columns)
    print(f"trained RandomForestClassifier(n_estimators={n_estimators}); "
          f"train accuracy {train_accuracy:.4f}")


@dsl.component(base_image=BASE_IMAGE, packages_to_install=PACKAGES)
def evaluate(
    test_data: Input[Dataset],
    model: Input[Model],
    metrics: Output[Metrics],
) -> float:
    """Scores the model on the held-out split; logs metrics, returns accuracy."""
    import joblib
    import pandas as pd
    from sklearn.metrics import accuracy_score, f1_score

    df = pd.read_csv(test_data.path)
    X, y = df.drop(columns=["label"]), df["label"]
    clf = joblib.load(model.path)
    predictions = clf.predict(X)

    accuracy = float(accuracy_score(y, predictions))
    f1 = float(f1_score(y, predictions))
    metrics.log_metric("test_accuracy", accuracy)
    metrics.log_metric("test_f1", f1)
    metrics.log_metric("test_rows", len(df))
    print(f"test_accuracy={accuracy:.4f} test_f1={f1:.4f}")
    return accuracy


@dsl.component(base_image=BASE_IMAGE)
def deploy_model(
    model: Input[Model],
    metrics: Input[Metrics],
    accuracy: float,
    accuracy_threshold: float,
    model_name: str,
    deployment_target: str,
    deployment: Output[Artifact],
):
    """'Deploys' the model by writing a JSON deployment manifest (no network)."""
    import hashlib
    import json

    with open(model.path, "rb") as fh:
        model_sha256 = hashlib.sha256(fh.read()).hexdigest()

    manifest = {
        "kind": "ModelDeployment",
        "model_name": model_name,
        "model_uri": model.uri,
        "model_sha256": model_sha256,
        "model_metadata": dict(model.metadata),
        "metrics": dict(metrics.metadata),
        "accuracy": accuracy,
        "accuracy_threshold": accuracy_threshold,
        "target": deployment_target,
        "status": "deployed",
    }
    with open(deployment.path, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=2, sort_keys=True)

    deployment.metadata["model_name"] = model_name
    deployment.metadata["target"] = deployment_target
    deployment.metadata["model_sha256"] = model_sha256
    print(f"deployed {model_name} (accuracy {accuracy:.4f} >= "
          f"{accuracy_threshold:.4f}) to {deployment_target}")
    print(json.dumps(manifest, indent=2, sort_keys=True))


@dsl.pipeline(
    name="ml-training-pipeline",
    description="Preprocess -> train -> evaluate -> deploy if accuracy >= threshold.",
)
def ml_training_pipeline(
    data_path: str,
    test_size: float = 0.2,
    n_estimators: int = 50,
    accuracy_threshold: float = 0.7,
):
    preprocess_task = preprocess(data_path=data_path, test_size=test_size)
    preprocess_task.set_display_name("Preprocess data")

    train_task = train(
        train_data=preprocess_task.outputs["train_data"],
        n_estimators=n_estimators,
    )
    train_task.set_display_name("Train model")
    train_task.set_cpu_request("500m").set_cpu_limit("2")
    train_task.set_memory_request("512Mi").set_memory_limit("2Gi")

    eval_task = evaluate(
        test_data=preprocess_task.outputs["test_data"],
        model=train_task.outputs["model"],
    )
    eval_task.set_display_name("Evaluate model")

    with dsl.If(
        eval_task.outputs["Output"] >= accuracy_threshold,
        name="accuracy-meets-threshold",
    ):
        deploy_task = deploy_model(
            model=train_task.outputs["model"],
            metrics=eval_task.outputs["metrics"],
            accuracy=eval_task.outputs["Output"],
            accuracy_threshold=accuracy_threshold,
            model_name=MODEL_NAME,
            deployment_target=DEPLOYMENT_TARGET,
        )
        deploy_task.set_display_name("Deploy model")
        # Deployment has side effects in real life: never serve it from cache.
        deploy_task.set_caching_options(False)


if __name__ == "__main__":
    output_path = sys.argv[1] if len(sys.argv) > 1 else "ml_training_pipeline.yaml"
    compiler.Compiler().compile(
        pipeline_func=ml_training_pipeline, package_path=output_path
    )
    print(f"compiled ml_training_pipeline -> {output_path}")
