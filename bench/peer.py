#!/usr/bin/python3
"""The peer prescore is measured against: the plain pandas + scikit-learn + sqlite3
script a data team would write for the same job. It reads the CSV with pandas,
scores it with a scikit-learn LogisticRegression carrying the benchmark model's
exact weights, and publishes one row per entity into a SQLite table with the
same schema prescore publishes (staging table, then rename, in one transaction).

Usage: peer.py TABLE.csv WEIGHTS.json OUT.db
"""
import json
import sqlite3
import sys
from datetime import datetime, timezone

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

csv_path, weights_path, db_path = sys.argv[1:4]
spec = json.load(open(weights_path))
features = spec["features"]

frame = pd.read_csv(csv_path, dtype={"id": str})
X = frame[features].to_numpy(dtype=np.float32)

model = LogisticRegression()
model.classes_ = np.array([0, 1])
model.coef_ = np.array([spec["weights"]], dtype=np.float64)
model.intercept_ = np.array([spec["bias"]], dtype=np.float64)

scores = model.predict_proba(X)[:, 1]

now = datetime.now(timezone.utc).isoformat()
run_id = "peer-" + now
rows = zip(frame["id"].tolist(), scores.tolist())

conn = sqlite3.connect(db_path)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("PRAGMA synchronous=NORMAL")
conn.execute("DROP TABLE IF EXISTS scores_staging")
conn.execute(
    "CREATE TABLE scores_staging (entity_id TEXT PRIMARY KEY, score REAL, model_version TEXT, run_id TEXT, scored_at TEXT) WITHOUT ROWID"
)
with conn:
    conn.executemany(
        "INSERT INTO scores_staging VALUES (?, ?, 'logreg-1', ?, ?)",
        ((entity, score, run_id, now) for entity, score in rows),
    )
with conn:
    conn.execute("DROP TABLE IF EXISTS scores")
    conn.execute("ALTER TABLE scores_staging RENAME TO scores")
conn.close()
print(json.dumps({"rows": len(frame)}))
