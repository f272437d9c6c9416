"""Make the data and the model for the tabular sample.

Everything comes from scikit-learn's bundled `load_iris` (150 flowers, 4 measurements, 3 species), so
nothing is downloaded. The script

1. splits the flowers into a training set (105) and a held-out set (45), fixed seed, stratified;
2. trains a multinomial logistic regression on the training flowers and saves it as plain numpy arrays
   in model/iris_model.npz (no pickle, so any numpy version can load it);
3. builds a bigger table from the *held-out* flowers only: each row is a held-out flower measured again
   with a little noise, with a unique integer `row_id` and free-text columns (`collector`, `site`, `note`)
   whose values contain commas, double quotes and non-ASCII letters, so that reading the CSV correctly
   depends on its quoting and its UTF-8 encoding;
4. writes that table as three CSV files of different sizes plus an MLTable file under data/iris/.

The true `species` is kept in the table so the predictions can be checked; score.py does not read it.
Run it again at any time: it deletes data/ and model/ and writes the same files again.

    python make_data.py
"""

import os
import shutil

import numpy as np
import pandas as pd
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.path.join(HERE, "data")
TABLE_DIR = os.path.join(DATA_DIR, "iris")
MODEL_DIR = os.path.join(HERE, "model")
MODEL_FILE = os.path.join(MODEL_DIR, "iris_model.npz")

SEED = 7
# Three files of different sizes: with mini_batch_size "8kb" each is split into several mini-batches,
# and no mini-batch crosses from one file into the next.
FILE_ROWS = {"iris_part1.csv": 500, "iris_part2.csv": 700, "iris_part3.csv": 600}
FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]

COLLECTORS = [
    "Anderson, Edgar",
    "Fisher, R. A.",
    'Mary "May" Jones',
    "O'Brien, Siobhán",
    "Zoë Ng",
    "lab team",
]
SITES = [
    "Gaspé Peninsula, Québec",
    'Field 3, "north" meadow',
    "Lake shore",
    "Botanic garden, bed 12",
]
NOTES = [
    "",
    "",
    "",
    "re-measured",
    'petals "wilted", re-measured',
    "sepal damaged, estimate",
    "photo 12, 13",
]

MLTABLE = """\
$schema: https://azuremlschemas.azureedge.net/latest/MLTable.schema.json
type: mltable

paths:
  - pattern: ./*.csv

transformations:
  - read_delimited:
      delimiter: ','
      header: all_files_same_headers
      encoding: utf8
"""


def main():
    for folder in (DATA_DIR, MODEL_DIR):
        shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(TABLE_DIR)
    os.makedirs(MODEL_DIR)

    iris = load_iris()
    species = np.array(iris.target_names)
    x_train, x_test, y_train, y_test = train_test_split(
        iris.data, iris.target, test_size=45, stratify=iris.target, random_state=SEED
    )

    # Standardise with the training set's statistics; the scorer applies the same shift and scale.
    mean = x_train.mean(axis=0)
    scale = x_train.std(axis=0)
    model = LogisticRegression(C=1.0, max_iter=1000, random_state=SEED)
    model.fit((x_train - mean) / scale, y_train)

    np.savez(
        MODEL_FILE,
        format_version=np.array(1),
        feature_names=np.array(FEATURES),
        mean=mean,
        scale=scale,
        coef=model.coef_,
        intercept=model.intercept_,
        classes=species[model.classes_],
    )

    # The bigger table: held-out flowers re-measured with noise (0.1 cm, like the data's own precision).
    rng = np.random.default_rng(SEED)
    n_rows = sum(FILE_ROWS.values())
    pick = rng.integers(0, len(x_test), size=n_rows)
    measurements = np.clip(x_test[pick] + rng.normal(0.0, 0.1, size=(n_rows, 4)), 0.1, None).round(1)
    table = pd.DataFrame(measurements, columns=FEATURES)
    table.insert(0, "row_id", np.arange(1, n_rows + 1))
    table["species"] = species[y_test[pick]]
    table["collector"] = rng.choice(COLLECTORS, size=n_rows)
    table["site"] = rng.choice(SITES, size=n_rows)
    table["note"] = rng.choice(NOTES, size=n_rows)

    start = 0
    for name, rows in FILE_ROWS.items():
        part = table.iloc[start:start + rows]
        # pandas quotes only the values that need it (commas, quotes) and doubles inner quotes: RFC 4180.
        part.to_csv(os.path.join(TABLE_DIR, name), index=False, encoding="utf-8", lineterminator="\n")
        size = os.path.getsize(os.path.join(TABLE_DIR, name))
        print(f"wrote {rows} rows ({size / 1024:.1f} KiB) to {os.path.join(TABLE_DIR, name)}")
        start += rows
    with open(os.path.join(TABLE_DIR, "MLTable"), "w", encoding="utf-8") as f:
        f.write(MLTABLE)
    print(f"wrote {os.path.join(TABLE_DIR, 'MLTable')}")

    held_out = model.score((x_test - mean) / scale, y_test)
    table_acc = model.score((measurements - mean) / scale, y_test[pick])
    print(f"wrote model to {MODEL_FILE}")
    print(f"accuracy: {held_out:.2%} on the {len(x_test)} held-out flowers, {table_acc:.2%} on the {n_rows} table rows")


if __name__ == "__main__":
    main()
