"""MLflow python_function loader of a reco-films model version.

Shipped with every version as the flavor's code (``loader_module: reco_films_pyfunc``), so that
``mlflow.pyfunc.load_model("models:/<name>@production").predict(ratings)`` answers as ``GET /recommend``
does for the same ratings. The model directory holds the artifacts the Java service publishes:
``model.json`` (its ``family`` picks the engine; absent means the seed's item-kNN),
``item_neighbors.parquet`` (movieId, neighborMovieId, similarity float32, each movie's neighbours in list
order) and ``movie_popularity.parquet`` (movieId, n_ratings, mean_rating, bayes_score).

Input: a DataFrame with one row per rating, columns ``movie_id``, ``rating`` and optionally ``user_id``
(without it, all rows are one user's). Param ``top_n`` (default 10). Output: one row per recommendation,
columns ``user_id``, ``rank`` (1 = best), ``movie_id``, ``score``, ``because`` (the user's movies that
contributed most), ``strategy`` (``item_cf`` or ``popularity``) and ``reason`` (why popularity, else None).

The rule is serving/Recommender.java's, step for step, so that ties and float32 sums come out the same:
fewer than MIN_RATINGS ratings get the popularity list; the anchors are the movies rated at least LIKED
(every rated movie when none is); each neighbour of an anchor scores the float32 sum of its similarities,
added in anchor order (movie ids ascending) then list order; seen movies and non-positive scores are never
recommended; score descending, ties to the lower movie id; no candidate left means popularity too. The
popularity list is bayes_score descending, ties to the lower movie id, without the user's movies.
"""

import json
import os

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

MIN_RATINGS = 5
LIKED = np.float32(4.0)
BECAUSE = 3
DEFAULT_TOP_N = 10

# the item-item families share one serving engine (weights per anchor movie, the seed's scoring rule)
ITEM_ITEM_FAMILIES = ("itemknn", "item_cf", "rp3beta", "ease")

_NO_USER = -1


def _load_pyfunc(path):
    """Called by mlflow.pyfunc.load_model with the model directory."""
    with open(os.path.join(path, "model.json"), encoding="utf-8") as f:
        descriptor = json.load(f)
    family = str(descriptor.get("family") or "itemknn").lower()
    files = descriptor.get("files") or {}
    popularity = Popularity(os.path.join(path, files.get("popularity", "movie_popularity.parquet")))
    if family in ITEM_ITEM_FAMILIES:
        engine = ItemItemEngine(os.path.join(path, files.get("neighbors", "item_neighbors.parquet")))
    else:
        raise ValueError(f"model family {family!r} has no Python engine in this loader")
    return RecoFilmsModel(engine, popularity)


class Popularity:
    """The Bayesian popularity list, best first."""

    def __init__(self, file):
        table = pq.read_table(file, columns=["movieId", "bayes_score"])
        movie_ids = table.column("movieId").to_numpy().astype(np.int64)
        scores = table.column("bayes_score").to_numpy().astype(np.float64)
        order = np.lexsort((movie_ids, -scores))
        self.movie_ids = movie_ids[order]
        self.scores = scores[order]

    def top(self, seen, top_n):
        keep = ~np.isin(self.movie_ids, seen)
        ids = self.movie_ids[keep][:top_n]
        scores = self.scores[keep][:top_n]
        return [(int(m), float(s), []) for m, s in zip(ids, scores)]


class ItemItemEngine:
    """Neighbour lists in CSR form: movies ascending, each movie's neighbours in file order."""

    def __init__(self, file):
        table = pq.read_table(file, columns=["movieId", "neighborMovieId", "similarity"])
        movies = table.column("movieId").to_numpy().astype(np.int64)
        order = np.argsort(movies, kind="stable")
        movies = movies[order]
        self.neighbor_ids = table.column("neighborMovieId").to_numpy().astype(np.int64)[order]
        self.similarities = table.column("similarity").to_numpy().astype(np.float32)[order]
        self.movie_ids, starts = np.unique(movies, return_index=True)
        self.offsets = np.append(starts, len(movies)).astype(np.int64)
        size = int(self.neighbor_ids.max()) + 1 if len(self.neighbor_ids) else 1
        self.size = max(size, int(self.movie_ids.max()) + 1 if len(self.movie_ids) else 1)

    def _row(self, movie):
        i = np.searchsorted(self.movie_ids, movie)
        if i < len(self.movie_ids) and self.movie_ids[i] == movie:
            return self.offsets[i], self.offsets[i + 1]
        return None

    def recommend(self, movie_ids, ratings, top_n):
        """The best ``top_n`` (movie, score, because) for a user; empty when no candidate is left."""
        liked = ratings >= LIKED
        anchors = movie_ids[liked] if liked.any() else movie_ids
        score = np.zeros(self.size, dtype=np.float32)
        rows = []
        for anchor in anchors:
            row = self._row(anchor)
            if row is None:
                continue
            start, end = row
            rows.append((int(anchor), start, end))
            # ufunc.at adds in index order, one float32 addition at a time: Java's summation order
            np.add.at(score, self.neighbor_ids[start:end], self.similarities[start:end])
        if not rows:
            return []
        touched = np.unique(np.concatenate([self.neighbor_ids[s:e] for _, s, e in rows]))
        candidates = touched[(score[touched] > 0) & ~np.isin(touched, movie_ids)]
        if len(candidates) == 0:
            return []
        order = np.lexsort((candidates, -score[candidates].astype(np.float64)))
        best = candidates[order][:top_n]
        because = self._because(best, rows)
        return [(int(m), float(score[m]), because[int(m)]) for m in best]

    def _because(self, best, rows):
        """For each chosen movie, the anchors listing it, by similarity then anchor id, at most BECAUSE."""
        chosen = {int(m): [] for m in best}
        for anchor, start, end in rows:
            for neighbor, sim in zip(self.neighbor_ids[start:end], self.similarities[start:end]):
                entries = chosen.get(int(neighbor))
                if entries is not None:
                    entries.append((-float(sim), anchor))
        return {m: [a for _, a in sorted(entries)[:BECAUSE]] for m, entries in chosen.items()}


class RecoFilmsModel:
    """What mlflow.pyfunc wraps: ``predict(ratings, params)``."""

    COLUMNS = ["user_id", "rank", "movie_id", "score", "because", "strategy", "reason"]

    def __init__(self, engine, popularity):
        self.engine = engine
        self.popularity = popularity

    def predict(self, model_input, params=None):
        top_n = int((params or {}).get("top_n") or DEFAULT_TOP_N)
        if top_n < 1:
            raise ValueError("top_n must be at least 1")
        frame = pd.DataFrame(model_input)
        users = frame["user_id"] if "user_id" in frame.columns else pd.Series(_NO_USER, index=frame.index)
        frame = pd.DataFrame(
            {
                "user_id": users.fillna(_NO_USER).astype(np.int64).to_numpy(),
                "movie_id": frame["movie_id"].astype(np.int64).to_numpy(),
                "rating": frame["rating"].astype(np.float32).to_numpy(),
            }
        )
        out = []
        for user_id, rows in frame.groupby("user_id", sort=False):
            # movie ids ascending as the Java side holds a user's ratings
            rows = rows.sort_values(["movie_id", "rating"], kind="stable")
            items, strategy, reason = self._one(rows["movie_id"].to_numpy(), rows["rating"].to_numpy(), top_n)
            for rank, (movie, score, because) in enumerate(items, start=1):
                user = None if user_id == _NO_USER else int(user_id)
                out.append((user, rank, movie, score, because, strategy, reason))
        result = pd.DataFrame(out, columns=self.COLUMNS)
        # nullable: rows of input without user_id answer with user_id <NA>
        result["user_id"] = result["user_id"].astype("Int64")
        result["reason"] = result["reason"].astype(object).where(result["reason"].notna(), None)
        return result

    def _one(self, movie_ids, ratings, top_n):
        if len(movie_ids) == 0:
            return self.popularity.top(movie_ids, top_n), "popularity", "unknown_user"
        if len(movie_ids) < MIN_RATINGS:
            return self.popularity.top(movie_ids, top_n), "popularity", "few_ratings"
        items = self.engine.recommend(movie_ids, ratings, top_n)
        if not items:
            return self.popularity.top(movie_ids, top_n), "popularity", "no_candidate"
        return items, "item_cf", None
