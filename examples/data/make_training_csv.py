#!/usr/bin/env python3
"""Deterministically generate ``training.csv`` for the example pipelines.

Standard library only. Every run with the same arguments writes the same file
byte for byte (fixed seed, fixed rounding), so the checked-in CSV can always be
regenerated and compared:

    python examples/data/make_training_csv.py                  # -> examples/data/training.csv
    python examples/data/make_training_csv.py --rows 1000 -o kfp-runs/big.csv

The data is a made-up customer-churn table. ``label`` (1 = churned) is drawn
from a logistic model of the features plus noise, so it carries a real but
imperfect signal: a classifier should reach clearly better than 0.5 accuracy
and clearly worse than 1.0.

Columns:
    tenure_months   int    months as a customer (1..72)
    monthly_spend   float  monthly bill; a few cells are left empty on purpose
                           so the pipelines' missing-value handling is exercised
    support_calls   int    support calls in the last quarter (0..9)
    usage_hours     float  weekly product usage in hours
    discount_pct    float  discount currently applied, in percent
    label           int    1 = churned, 0 = stayed
"""

import argparse
import csv
import math
import os
import random

SEED = 42
DEFAULT_ROWS = 300
MISSING_SPEND_ROWS = 6  # rows whose monthly_spend is left blank
# Scales the logit below: higher = cleaner signal. 2.5 gives test accuracy of
# roughly 0.8-0.9 for the examples' models on 300 rows.
SIGNAL_STRENGTH = 2.5
COLUMNS = [
    "tenure_months",
    "monthly_spend",
    "support_calls",
    "usage_hours",
    "discount_pct",
    "label",
]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def generate_rows(n_rows: int, seed: int = SEED):
    """Returns a list of row dicts; deterministic for a given (n_rows, seed)."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n_rows):
        tenure = rng.randint(1, 72)
        spend = round(min(max(rng.gauss(65.0, 20.0), 15.0), 140.0), 2)
        calls = min(int(rng.expovariate(0.6)), 9)
        usage = round(max(rng.gauss(12.0, 5.0), 0.0), 1)
        discount = round(rng.choice([0.0, 0.0, 0.0, 5.0, 10.0, 15.0, 20.0]), 1)

        # Churn is more likely for new, expensive, unhappy, low-usage customers.
        logit = SIGNAL_STRENGTH * (
            1.0
            - 0.055 * tenure
            + 0.025 * (spend - 65.0)
            + 0.55 * calls
            - 0.12 * (usage - 12.0)
            - 0.04 * discount
        )
        label = 1 if rng.random() < _sigmoid(logit) else 0
        rows.append(
            {
                "tenure_months": tenure,
                "monthly_spend": spend,
                "support_calls": calls,
                "usage_hours": usage,
                "discount_pct": discount,
                "label": label,
            }
        )

    # Blank out a few spend values (deterministic positions).
    for idx in rng.sample(range(n_rows), min(MISSING_SPEND_ROWS, n_rows)):
        rows[idx]["monthly_spend"] = ""
    return rows


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("-o", "--output", default=os.path.join(here, "training.csv"))
    args = parser.parse_args()

    rows = generate_rows(args.rows, args.seed)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    positives = sum(r["label"] for r in rows)
    print(f"wrote {len(rows)} rows to {args.output} ({positives} positive, "
          f"{len(rows) - positives} negative)")


if __name__ == "__main__":
    main()
