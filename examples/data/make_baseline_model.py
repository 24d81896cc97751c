#!/usr/bin/env python3
"""Train a deliberately weak baseline model for model_comparison_pipeline.py.

Fits a depth-1 decision tree ("stump") on ``training.csv`` with the same
median imputation the pipelines use, and saves it with joblib. Needs pandas
and scikit-learn (the versions pinned in the examples: pandas==2.2.3,
scikit-learn==1.5.2); a model pickled by another scikit-learn version may not
load in the pipeline's components.

    python examples/data/make_baseline_model.py -o kfp-runs/baseline_model.joblib

Then pass ``baseline_model_uri=kfp-runs/baseline_model.joblib`` to the pipeline.
"""

import argparse
import os


NEEDS = "pip install pandas==2.2.3 scikit-learn==1.5.2 (joblib comes with scikit-learn)"


def main() -> None:
    try:
        import joblib
        import pandas as pd
        from sklearn.tree import DecisionTreeClassifier
    except ImportError as e:
        # Say what is missing and how to get it, not a traceback.
        raise SystemExit(f"make_baseline_model.py needs pandas and scikit-learn ({e.name} is missing); "
                         f"in a venv: {NEEDS}")

    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.path.join(here, "training.csv"))
    parser.add_argument("-o", "--output", default="baseline_model.joblib")
    args = parser.parse_args()

    df = pd.read_csv(args.data).dropna(subset=["label"])
    df = df.fillna(df.median(numeric_only=True))
    X, y = df.drop(columns=["label"]), df["label"].astype(int)
    model = DecisionTreeClassifier(max_depth=1, random_state=42).fit(X, y)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    joblib.dump(model, args.output)
    print(f"wrote baseline DecisionTreeClassifier(max_depth=1) to {args.output} "
          f"(training accuracy {model.score(X, y):.4f})")


if __name__ == "__main__":
    main()
