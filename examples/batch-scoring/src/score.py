"""Batch scoring entry script (Azure ML run_function contract): init() once, run(mini_batch) per mini-batch.

Each input file is a CSV with a header holding at least the model's features and an `id` column.
Every returned row is `file,id,score,label`; the product appends them to the output in input order.
Standard library only.
"""
import argparse
import csv
import json
import math
import os

model = None
threshold = 0.5


def init():
    global model, threshold
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--threshold", type=float, default=0.5)
    args, _ = parser.parse_known_args()
    with open(os.path.join(args.model, "model.json"), encoding="utf-8") as f:
        model = json.load(f)
    threshold = args.threshold


def score(row):
    z = model["bias"] + sum(w * float(row[name]) for name, w in zip(model["features"], model["weights"]))
    return 1.0 / (1.0 + math.exp(-z))


def run(mini_batch):
    rows = []
    for path in mini_batch:
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                p = score(row)
                rows.append("%s,%s,%.4f,%d" % (os.path.basename(path), row["id"], p, p >= threshold))
    return rows
