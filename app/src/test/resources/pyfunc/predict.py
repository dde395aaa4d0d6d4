"""Loads a reco-films version with MLflow's own client and prints its predictions as JSON.

Usage: python predict.py MODEL_URI REQUEST_JSON. The request: {"top_n": N, "users": {"<id>": [[movie_id, rating],
...]}, "anonymous": [[movie_id, rating], ...] (optional: one user's rows without the user_id column)}. Prints {"signature": ..., "example": ..., "users": {"<id>": {"strategy", "reason", "items": [{"movie_id",
"score", "because"}]}}} on one line, last. MLFLOW_TRACKING_URI names the server for models:/ URIs.
"""

import json
import sys

import mlflow
import pandas as pd
from mlflow.models import Model, validate_serving_input


def answers(predictions):
    users = {}
    for row in predictions.itertuples(index=False):
        key = "anonymous" if pd.isna(row.user_id) else str(int(row.user_id))
        user = users.setdefault(key, {"strategy": row.strategy, "reason": row.reason, "items": []})
        assert row.rank == len(user["items"]) + 1, f"ranks out of order for user {row.user_id}"
        user["items"].append(
            {"movie_id": int(row.movie_id), "score": float(row.score), "because": [int(b) for b in row.because]}
        )
    return users


def main(model_uri, request_file):
    with open(request_file, encoding="utf-8") as f:
        request = json.load(f)
    local = mlflow.artifacts.download_artifacts(model_uri)
    model = mlflow.pyfunc.load_model(model_uri)
    meta = Model.load(local)
    example = meta.load_input_example(local)
    example_params = meta.load_input_example_params(local)
    with open(f"{local}/{meta.saved_input_example_info['serving_input_path']}", encoding="utf-8") as f:
        serving_input = f.read()
    served_example = validate_serving_input(local, serving_input)
    rows = [(int(u), int(m), float(r)) for u, ratings in request["users"].items() for m, r in ratings]
    frame = pd.DataFrame(rows, columns=["user_id", "movie_id", "rating"])
    predictions = model.predict(frame, params={"top_n": int(request["top_n"])})
    out = {
        "loader_module": model.loader_module,
        "signature": {
            "inputs": [c.name for c in model.metadata.get_input_schema().inputs],
            "required": [c.name for c in model.metadata.get_input_schema().inputs if c.required],
            "outputs": [c.name for c in model.metadata.get_output_schema().inputs],
            "params": {p.name: p.default for p in model.metadata.get_params_schema().params},
        },
        "metadata": meta.metadata,
        "example": {
            "rows": len(example),
            "params": example_params,
            "answers": answers(model.predict(example, params=example_params)),
            "served": answers(served_example),
        },
        "users": answers(predictions),
    }
    if request.get("anonymous"):
        frame = pd.DataFrame([(int(m), float(r)) for m, r in request["anonymous"]], columns=["movie_id", "rating"])
        anonymous = model.predict(frame, params={"top_n": int(request["top_n"])})
        out["anonymous"] = answers(anonymous)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
