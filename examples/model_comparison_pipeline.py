"""Compare a freshly trained model with a baseline brought in by ``dsl.importer``.

What it shows:
  * ``dsl.importer``: registers an existing model file (``baseline_model_uri``
    parameter) as a ``Model`` artifact with metadata, without copying data;
    ``reimport=False`` lets the backend reuse the artifact record when the
    same URI was imported before;
  * training a candidate on the same data, then scoring baseline and
    candidate on the *same* held-out rows;
  * a comparison step that logs both scores to ``Metrics`` and returns a
    ``NamedTuple`` (``winner``, ``baseline_accuracy``, ``candidate_accuracy``);
    the candidate must beat the baseline by ``min_improvement`` to win.

The baseline must be a scikit-learn classifier saved with joblib, trained on
the same feature columns (``feature_names_in_`` is used to pick them). Make one
for ``examples/data/training.csv`` with::

    python examples/data/make_baseline_model.py -o kfp-runs/baseline_model.joblib

On a cluster ``baseline_model_uri`` is an object-store URI (``minio://``,
``s3://``, ``gs://``); with kfp.local it is a local file path. The file is
unpickled, so only import baselines you trust.

Compared with the article's sketch: the candidate model is actually trained in
the pipeline (the article referenced an undefined ``train_task``), the importer
URI is a pipeline parameter rather than a hard-coded bucket, and the
``compare_models`` component it used is defined.

Compile:  python examples/model_comparison_pipeline.py model_comparison_pipeline.yaml
"""

import sys
from typing import NamedTuple

from kfp import compiler, dsl
from kfp.dsl import Dataset, Input, Metrics, Model, Output

BASE_IMAGE = "python:3.11-slim"
PACKAGES = ["numpy==2.1.3", "pandas==2.2.3", "scikit-learn==1.5.2"]


@dsl.component(base_image=BASE_IMAGE, packages_to_install=PACKAGES)
def split_data(
    data_path: str,
    test_size: float,
    train_data: Output[Dataset],
    test_data: Output[Dataset],
):
    """Stratified split; missing values filled with training medians."""
    import pandas as pd
    from sklearn.model_selection import train_test_split

    df = pd.read_csv(data_path).dropna(subset=["label"])
    df["label"] = df["label"].astype(int)
    train_df, test_df = train_test_split(
        df, test_size=test_size, random_state=42, stratify=df["label"]
    )
    medians = train_df.drop(columns=["label"]).median(numeric_only=True)
    train_df.fillna(medians).to_csv(train_data.path, index=False)
    test_df.fillna(medians).to_csv(test_data.path, index=False)
    print(f"train={len(train_df)} test={len(test_df)}")


@dsl.component(base_image=BASE_IMAGE, packages_to_install=PACKAGES)
def train_candidate(
    train_data: Input[Dataset],
    n_estimators: int,
    model: Output[Model],
):
    """Trains the candidate random forest."""
    import joblib
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier

    df = pd.read_csv(train_data.path)
    clf = RandomForestClassifier(n_estimators=n_estimators, random_state=42, n_jobs=1)
    clf.fit(df.drop(columns=["label"]), df["label"])
    joblib.dump(clf, model.path)
    model.metadata["model_type"] = "RandomForestClassifier"
    model.metadata["framework"] = "scikit-learn"
    model.metadata["role"] = "candidate"
    print(f"trained candidate RandomForestClassifier(n_estimators={n_estimators})")


@dsl.component(base_image=BASE_IMAGE, packages_to_install=PACKAGES)
def compare_models(
    baseline_model: Input[Model],
    candidate_model: Input[Model],
    test_data: Input[Dataset],
    min_improvement: float,
    comparison: Output[Metrics],
) -> NamedTuple(
    "Comparison",
    [("winner", str), ("baseline_accuracy", float), ("candidate_accuracy", float)],
):
    """Scores both models on the same test rows and names the winner."""
    import joblib
    import pandas as pd
    from sklearn.metrics import accuracy_score, f1_score

    df = pd.read_csv(test_data.path)
    y = df["label"]

    def score(path):
        clf = joblib.load(path)
        columns = list(getattr(clf, "feature_names_in_", df.drop(columns=["label"]).columns))
        missing = [c for c in columns if c not in df.columns]
        if missing:
            raise ValueError(f"model at {path} expects columns not in the data: {missing}")
        predictions = clf.predict(df[columns])
        return float(accuracy_score(y, predictions)), float(f1_score(y, predictions))

    baseline_accuracy, baseline_f1 = score(baseline_model.path)
    candidate_accuracy, candidate_f1 = score(candidate_model.path)
    improvement = candidate_accuracy - baseline_accuracy
    winner = "candidate" if improvement >= min_improvement and improvement > 0 else "baseline"

    comparison.log_metric("baseline_accuracy", baseline_accuracy)
    comparison.log_metric("baseline_f1", baseline_f1)
    comparison.log_metric("candidate_accuracy", candidate_accuracy)
    comparison.log_metric("candidate_f1", candidate_f1)
    comparison.log_metric("accuracy_improvement", improvement)
    print(f"baseline ({baseline_model.metadata.get('version', 'unversioned')}): "
          f"accuracy={baseline_accuracy:.4f} f1={baseline_f1:.4f}")
    print(f"candidate: accuracy={candidate_accuracy:.4f} f1={candidate_f1:.4f}")
    print(f"improvement {improvement:+.4f} (required {min_improvement:.4f}) -> winner: {winner}")

    result = NamedTuple(
        "Comparison",
        [("winner", str), ("baseline_accuracy", float), ("candidate_accuracy", float)],
    )
    return result(winner, baseline_accuracy, candidate_accuracy)


@dsl.pipeline(
    name="model-comparison-pipeline",
    description="Import a baseline model, train a candidate and compare them on the same test set.",
)
def model_comparison_pipeline(
    data_path: str,
    baseline_model_uri: str,
    test_size: float = 0.2,
    n_estimators: int = 50,
    min_improvement: float = 0.01,
):
    baseline = dsl.importer(
        artifact_uri=baseline_model_uri,
        artifact_class=Model,
        reimport=False,
        metadata={"role": "baseline", "framework": "scikit-learn", "version": "production"},
    )
    baseline.set_display_name("Import baseline model")

    split_task = split_data(data_path=data_path, test_size=test_size)
    candidate_task = train_candidate(
        train_data=split_task.outputs["train_data"], n_estimators=n_estimators
    )
    compare_task = compare_models(
        baseline_model=baseline.output,
        candidate_model=candidate_task.outputs["model"],
        test_data=split_task.outputs["test_data"],
        min_improvement=min_improvement,
    )
    compare_task.set_display_name("Compare baseline and candidate")


if __name__ == "__main__":
    output_path = sys.argv[1] if len(sys.argv) > 1 else "model_comparison_pipeline.yaml"
    compiler.Compiler().compile(
        pipeline_func=model_comparison_pipeline, package_path=output_path
    )
    print(f"compiled model_comparison_pipeline -> {output_path}")
