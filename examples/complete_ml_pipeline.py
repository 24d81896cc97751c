"""End-to-end KFP v2 pipeline: validate -> engineer features -> two models -> pick the best.

What it shows:
  * a data-validation step that writes an ``HTML`` report artifact and returns
    a ``bool``; everything after it runs inside ``dsl.If(is_valid == True)``;
  * feature engineering that splits the data once (stratified), so both models
    are trained and scored on exactly the same rows;
  * fan-out: a logistic regression and a random forest trained by two
    independent tasks (they run in parallel on a cluster);
  * fan-in: ``select_best_model`` compares the two ``Metrics`` artifacts on a
    chosen metric, copies the winner to a ``best_model`` artifact and returns
    a ``NamedTuple`` with the winner's name and score.

Compared with the article's version: data comes from ``data_path`` instead of
an undefined ``load_data`` step, the split happens before any statistic is fitted
(the article scaled the whole data set first, leaking the test rows into
training), scaling lives inside the logistic-regression model so the saved model
can be used on raw features, the two models are separate tasks instead of one,
and validation checks the label and tolerates a small share of missing values
(they are imputed) instead of rejecting any data set with a single blank cell.

Compile:  python examples/complete_ml_pipeline.py complete_ml_pipeline.yaml
"""

import sys
from typing import NamedTuple

from kfp import compiler, dsl
from kfp.dsl import HTML, Dataset, Input, Metrics, Model, Output

BASE_IMAGE = "python:3.11-slim"
PACKAGES = ["numpy==2.1.3", "pandas==2.2.3", "scikit-learn==1.5.2"]


@dsl.component(base_image=BASE_IMAGE, packages_to_install=PACKAGES)
def validate_data(
    data_path: str,
    min_rows: int,
    max_missing_fraction: float,
    validated_data: Output[Dataset],
    validation_report: Output[HTML],
) -> bool:
    """Checks the CSV's shape, label and missing values; writes an HTML report."""
    import html

    import pandas as pd

    df = pd.read_csv(data_path)
    issues = []
    if "label" not in df.columns:
        issues.append("no 'label' column")
    else:
        labels = set(df["label"].dropna().unique().tolist())
        if not labels <= {0, 1}:
            issues.append(f"label is not binary 0/1: {sorted(labels)}")
        elif len(labels) < 2:
            issues.append("label has a single class")
        if df["label"].isna().any():
            issues.append(f"{int(df['label'].isna().sum())} rows have no label")
    if len(df) < min_rows:
        issues.append(f"only {len(df)} rows, need at least {min_rows}")

    features = [c for c in df.columns if c != "label"]
    non_numeric = [c for c in features if not pd.api.types.is_numeric_dtype(df[c])]
    if not features:
        issues.append("no feature columns")
    if non_numeric:
        issues.append(f"non-numeric feature columns: {non_numeric}")
    missing = df[features].isna().mean()
    for column, fraction in missing.items():
        if fraction > max_missing_fraction:
            issues.append(f"column {column!r} is {fraction:.1%} missing "
                          f"(max {max_missing_fraction:.1%})")

    is_valid = not issues
    df.to_csv(validated_data.path, index=False)
    validated_data.metadata["rows"] = len(df)
    validated_data.metadata["columns"] = len(df.columns)

    missing_rows = "".join(
        f"<tr><td>{html.escape(str(c))}</td><td>{f:.2%}</td></tr>"
        for c, f in missing.items()
    )
    issue_items = "".join(f"<li>{html.escape(i)}</li>" for i in issues) or "<li>none</li>"
    with open(validation_report.path, "w", encoding="utf-8") as fh:
        fh.write(
            "<html><head><title>Data validation</title></head><body>"
            "<h1>Data validation report</h1>"
            f"<p>Source: {html.escape(data_path)}</p>"
            f"<p>Rows: {len(df)}; columns: {len(df.columns)}</p>"
            f"<p>Status: <b>{'PASS' if is_valid else 'FAIL'}</b></p>"
            f"<h2>Issues</h2><ul>{issue_items}</ul>"
            "<h2>Missing values</h2><table><tr><th>column</th><th>missing</th></tr>"
            f"{missing_rows}</table></body></html>"
        )
    print(f"validation {'PASSED' if is_valid else 'FAILED'}: {issues or 'no issues'}")
    return is_valid


@dsl.component(base_image=BASE_IMAGE, packages_to_install=PACKAGES)
def engineer_features(
    dataset: Input[Dataset],
    test_size: float,
    train_features: Output[Dataset],
    test_features: Output[Dataset],
):
    """Splits once, imputes with training medians, adds derived features."""
    import pandas as pd
    from sklearn.model_selection import train_test_split

    df = pd.read_csv(dataset.path)
    df["label"] = df["label"].astype(int)
    train_df, test_df = train_test_split(
        df, test_size=test_size, random_state=42, stratify=df["label"]
    )
    base_features = [c for c in df.columns if c != "label"]
    medians = train_df[base_features].median()

    def transform(part):
        part = part.copy()
        part[base_features] = part[base_features].fillna(medians)
        first, second = base_features[0], base_features[min(1, len(base_features) - 1)]
        part[f"{first}_squared"] = part[first] ** 2
        part[f"{second}_squared"] = part[second] ** 2
        part[f"{first}_x_{second}"] = part[first] * part[second]
        return part

    train_out, test_out = transform(train_df), transform(test_df)
    train_out.to_csv(train_features.path, index=False)
    test_out.to_csv(test_features.path, index=False)
    for artifact, part in ((train_features, train_out), (test_features, test_out)):
        artifact.metadata["rows"] = len(part)
        artifact.metadata["features"] = len(part.columns) - 1
    print(f"features: {len(base_features)} -> {len(train_out.columns) - 1}; "
          f"train={len(train_out)} test={len(test_out)}")


@dsl.component(base_image=BASE_IMAGE, packages_to_install=PACKAGES)
def train_logistic_regression(
    train_features: Input[Dataset],
    test_features: Input[Dataset],
    model: Output[Model],
    metrics: Output[Metrics],
):
    """Standard-scaled logistic regression; logs accuracy, f1 and roc_auc."""
    import joblib
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    train_df, test_df = pd.read_csv(train_features.path), pd.read_csv(test_features.path)
    X_train, y_train = train_df.drop(columns=["label"]), train_df["label"]
    X_test, y_test = test_df.drop(columns=["label"]), test_df["label"]

    clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, random_state=42))
    clf.fit(X_train, y_train)
    predictions = clf.predict(X_test)
    scores = {
        "accuracy": float(accuracy_score(y_test, predictions)),
        "f1": float(f1_score(y_test, predictions)),
        "roc_auc": float(roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1])),
    }
    for name, value in scores.items():
        metrics.log_metric(name, value)
    joblib.dump(clf, model.path)
    model.metadata["model_type"] = "LogisticRegression"
    model.metadata["framework"] = "scikit-learn"
    print("logistic_regression", {k: round(v, 4) for k, v in scores.items()})


@dsl.component(base_image=BASE_IMAGE, packages_to_install=PACKAGES)
def train_random_forest(
    train_features: Input[Dataset],
    test_features: Input[Dataset],
    n_estimators: int,
    model: Output[Model],
    metrics: Output[Metrics],
):
    """Random forest; logs accuracy, f1 and roc_auc."""
    import joblib
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

    train_df, test_df = pd.read_csv(train_features.path), pd.read_csv(test_features.path)
    X_train, y_train = train_df.drop(columns=["label"]), train_df["label"]
    X_test, y_test = test_df.drop(columns=["label"]), test_df["label"]

    clf = RandomForestClassifier(n_estimators=n_estimators, random_state=42, n_jobs=1)
    clf.fit(X_train, y_train)
    predictions = clf.predict(X_test)
    scores = {
        "accuracy": float(accuracy_score(y_test, predictions)),
        "f1": float(f1_score(y_test, predictions)),
        "roc_auc": float(roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1])),
    }
    for name, value in scores.items():
        metrics.log_metric(name, value)
    joblib.dump(clf, model.path)
    model.metadata["model_type"] = "RandomForestClassifier"
    model.metadata["framework"] = "scikit-learn"
    model.metadata["n_estimators"] = n_estimators
    print("random_forest", {k: round(v, 4) for k, v in scores.items()})


@dsl.component(base_image=BASE_IMAGE)
def select_best_model(
    lr_model: Input[Model],
    lr_metrics: Input[Metrics],
    rf_model: Input[Model],
    rf_metrics: Input[Metrics],
    selection_metric: str,
    best_model: Output[Model],
) -> NamedTuple("Selection", [("model_name", str), ("score", float)]):
    """Picks the model with the higher ``selection_metric`` (ties go to the
    simpler logistic regression) and copies it to ``best_model``."""
    import shutil

    candidates = [
        ("logistic_regression", lr_model, lr_metrics),
        ("random_forest", rf_model, rf_metrics),
    ]
    for name, _, metrics in candidates:
        if selection_metric not in metrics.metadata:
            raise ValueError(f"{name} did not log {selection_metric!r}; "
                             f"available: {sorted(metrics.metadata)}")
        print(f"{name}: {selection_metric}={float(metrics.metadata[selection_metric]):.4f}")

    # max() keeps the first of equal scores, so a tie selects logistic regression.
    name, model, metrics = max(candidates, key=lambda c: float(c[2].metadata[selection_metric]))
    score = float(metrics.metadata[selection_metric])
    shutil.copyfile(model.path, best_model.path)
    best_model.metadata.update(dict(model.metadata))
    best_model.metadata["selected_as"] = name
    best_model.metadata["selection_metric"] = selection_metric
    best_model.metadata["score"] = score
    print(f"selected {name} ({selection_metric}={score:.4f})")

    selection = NamedTuple("Selection", [("model_name", str), ("score", float)])
    return selection(name, score)


@dsl.pipeline(
    name="complete-ml-pipeline",
    description="Validate data, engineer features, train two models in parallel, select the best.",
)
def complete_ml_pipeline(
    data_path: str,
    test_size: float = 0.2,
    n_estimators: int = 50,
    min_rows: int = 100,
    max_missing_fraction: float = 0.05,
    selection_metric: str = "roc_auc",
):
    validate_task = validate_data(
        data_path=data_path,
        min_rows=min_rows,
        max_missing_fraction=max_missing_fraction,
    )
    validate_task.set_display_name("Validate data")

    with dsl.If(validate_task.outputs["Output"] == True, name="data-is-valid"):  # noqa: E712
        features_task = engineer_features(
            dataset=validate_task.outputs["validated_data"], test_size=test_size
        )
        features_task.set_display_name("Engineer features")

        lr_task = train_logistic_regression(
            train_features=features_task.outputs["train_features"],
            test_features=features_task.outputs["test_features"],
        )
        lr_task.set_display_name("Train logistic regression")

        rf_task = train_random_forest(
            train_features=features_task.outputs["train_features"],
            test_features=features_task.outputs["test_features"],
            n_estimators=n_estimators,
        )
        rf_task.set_display_name("Train random forest")

        select_task = select_best_model(
            lr_model=lr_task.outputs["model"],
            lr_metrics=lr_task.outputs["metrics"],
            rf_model=rf_task.outputs["model"],
            rf_metrics=rf_task.outputs["metrics"],
            selection_metric=selection_metric,
        )
        select_task.set_display_name("Select best model")


if __name__ == "__main__":
    output_path = sys.argv[1] if len(sys.argv) > 1 else "complete_ml_pipeline.yaml"
    compiler.Compiler().compile(pipeline_func=complete_ml_pipeline, package_path=output_path)
    print(f"compiled complete_ml_pipeline -> {output_path}")
