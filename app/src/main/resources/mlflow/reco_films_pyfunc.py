"""MLflow python_function loader of a reco-films model version.

Shipped with every version as the flavor's code (``loader_module: reco_films_pyfunc``), so that
``mlflow.pyfunc.load_model("models:/<name>@production").predict(ratings)`` answers as ``GET /recommend``
does for the same ratings. The model directory holds the artifacts the Java service publishes:
``model.json`` (its ``family`` picks the engine; absent means the seed's item-kNN),
``item_neighbors.parquet`` (movieId, neighborMovieId, similarity float32, each movie's neighbours in list
order) for the item-item families or ``factors.bin`` (snapshot/FactorBundle.java's little-endian file) for
``ials``, and ``movie_popularity.parquet`` (movieId, n_ratings, mean_rating, bayes_score).

Input: a DataFrame with one row per rating, columns ``movie_id``, ``rating`` and optionally ``user_id``
(without it, all rows are one user's). Param ``top_n`` (default 10). Output: one row per recommendation,
columns ``user_id``, ``rank`` (1 = best), ``movie_id``, ``score``, ``because`` (the user's movies that
contributed most), ``strategy`` (``item_cf``, ``matrix_factorization`` or ``popularity``) and ``reason`` (why
popularity, else None).

The item-item rule is serving/Recommender.java's, step for step, so that ties and float32 sums come out the same:
fewer than MIN_RATINGS ratings get the popularity list; the anchors are the movies rated at least LIKED
(every rated movie when none is); each neighbour of an anchor scores the float32 sum of its similarities,
added in anchor order (movie ids ascending) then list order; seen movies and non-positive scores are never
recommended; score descending, ties to the lower movie id; no candidate left means popularity too. The
popularity list is bayes_score descending, ties to the lower movie id, without the user's movies.

The iALS rule is serving/FactorRecommender.java's, with training/FactorModel.foldIn's arithmetic (see
FactorEngine): the same fallbacks; the user's vector folded in from these ratings alone; every unseen model
movie scores ``x . y``; ties to the lower movie id; ``because`` by item-vector dot products.
"""

import json
import math
import os
import struct
import zlib

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

MIN_RATINGS = 5
LIKED = np.float32(4.0)
BECAUSE = 3
DEFAULT_TOP_N = 10

# the item-item families share one serving engine (weights per anchor movie, the seed's scoring rule)
ITEM_ITEM_FAMILIES = ("itemknn", "item_cf", "rp3beta", "ease")
# the factor families: item factors, the user folded in at request time
FACTOR_FAMILIES = ("ials",)

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
    elif family in FACTOR_FAMILIES:
        engine = FactorEngine(os.path.join(path, files.get("factors", "factors.bin")))
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

    strategy = "item_cf"

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


class FactorEngine:
    """An iALS model as serving/FactorRecommender.java serves it, from ``factors.bin``.

    The file (snapshot/FactorBundle.java) is little-endian: magic ``ECOFACT1``, format 1, movie count, factor
    count, regularisation, unobserved weight and alpha (float64), positive threshold (float32), the movie ids
    (int32, ascending), the item factors (float32, row-major by movie), ``Y^T Y`` (float64, row-major) and a
    CRC32 (int64) of every byte before it. A wrong magic, format, length or checksum is refused, as the Java
    reader refuses it.

    Fold-in repeats training/AlsRows.solveExact operation for operation in float64 (no BLAS, no reordered
    sums), so the user vector, the scores and hence the order are Java's to the bit: products of two float32
    are exact in float64, and every sum runs in Java's order.
    """

    strategy = "matrix_factorization"

    MAGIC = 0x31544341464F4345  # "ECOFACT1" read little-endian
    FORMAT = 1
    HEADER = struct.Struct("<Qiiidddf")  # magic, format, movies, factors, reg, w0, alpha, threshold

    def __init__(self, file):
        with open(file, "rb") as f:
            data = f.read()
        head = self.HEADER.size
        if len(data) < head + 8:
            raise ValueError(f"{file} is not a factor bundle: {len(data)} bytes")
        magic, fmt, movies, factors, reg, w0, alpha, threshold = self.HEADER.unpack_from(data, 0)
        if magic != self.MAGIC or fmt != self.FORMAT:
            raise ValueError(f"{file} is not a factor bundle of format {self.FORMAT}")
        expected = head + 4 * movies + 4 * movies * factors + 8 * factors * factors + 8
        if movies < 0 or factors < 1 or expected != len(data):
            raise ValueError(f"{file} is truncated or corrupt: {len(data)} bytes, expected {expected}")
        (crc,) = struct.unpack_from("<q", data, len(data) - 8)
        if crc != zlib.crc32(data[: len(data) - 8]):
            raise ValueError(f"{file} fails its checksum")
        offset = head
        self.movie_ids = np.frombuffer(data, dtype="<i4", count=movies, offset=offset).astype(np.int64)
        offset += 4 * movies
        item_factors = np.frombuffer(data, dtype="<f4", count=movies * factors, offset=offset)
        offset += 4 * movies * factors
        gram = np.frombuffer(data, dtype="<f8", count=factors * factors, offset=offset)
        self.factors = factors
        # float32 to float64 is exact: the Java side widens each factor the same way before multiplying
        self.y = item_factors.astype(np.float64).reshape(movies, factors)
        self.y_by_factor = np.ascontiguousarray(self.y.T)
        self.gram = gram.astype(np.float64).reshape(factors, factors)
        self.regularization = float(reg)
        self.unobserved_weight = float(w0)
        self.alpha = float(alpha)
        self.positive_threshold = np.float32(threshold)

    def _positions(self, movie_ids):
        """Model positions of the movies, -1 where a movie is not in the model."""
        if len(self.movie_ids) == 0:
            return np.full(len(movie_ids), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.movie_ids, movie_ids), len(self.movie_ids) - 1)
        return np.where(self.movie_ids[pos] == movie_ids, pos, -1)

    def recommend(self, movie_ids, ratings, top_n):
        """The best ``top_n`` (movie, score, because); empty when no rated movie is an interaction or none is left."""
        positions = self._positions(movie_ids)
        known = positions >= 0
        interacted = known & ((self.positive_threshold <= 0) | (ratings >= self.positive_threshold))
        interactions = positions[interacted]
        if len(interactions) == 0:
            return []
        user = self.fold_in(np.unique(interactions))
        score = self.scores(user)
        unseen = np.ones(len(self.movie_ids), dtype=bool)
        unseen[positions[known]] = False
        candidates = np.nonzero(unseen)[0]
        if len(candidates) == 0:
            return []
        # score descending, then position (movie id) ascending
        best = candidates[np.lexsort((candidates, -score[candidates]))][:top_n]
        because = self._because(best, interactions)
        return [(int(self.movie_ids[i]), float(score[i]), because[k]) for k, i in enumerate(best)]

    def fold_in(self, items):
        """The user's float32 vector from distinct model positions ``items`` (ascending): AlsRows.solveExact."""
        f = self.factors
        w0 = self.unobserved_weight
        c = 1 + self.alpha
        extra = c - w0
        a = w0 * self.gram
        b = np.zeros(f)
        for item in items:
            y = self.y[item]
            b += c * y
            a += (extra * y)[:, None] * y[None, :]
        a[np.diag_indices(f)] += self.regularization
        # Cholesky by columns: each entry's sum runs over k ascending, as Java's row-by-row loop does
        low = np.zeros((f, f))
        for j in range(f):
            s = a[j:, j].copy()
            for k in range(j):
                s -= low[j:, k] * low[j, k]
            d = math.sqrt(max(s[0], 1e-300))
            low[j, j] = d
            low[j + 1 :, j] = s[1:] / d
        lo = low.tolist()
        x = [0.0] * f
        for i in range(f):
            s = b[i]
            row = lo[i]
            for k in range(i):
                s -= row[k] * x[k]
            x[i] = s / row[i]
        for i in range(f - 1, -1, -1):
            s = x[i]
            for k in range(i + 1, f):
                s -= lo[k][i] * x[k]
            x[i] = s / lo[i][i]
        return np.array(x, dtype=np.float64).astype(np.float32)

    def scores(self, user):
        """Every model movie's ``x . y`` in float64, summed over the factors in order (FactorModel.score)."""
        u = user.astype(np.float64)
        score = np.zeros(len(self.movie_ids))
        for k in range(self.factors):
            score += u[k] * self.y_by_factor[k]
        return score

    def _because(self, best, interactions):
        """Per chosen movie, the interactions with the largest positive ``y_rated . y_chosen``, at most BECAUSE."""
        dots = np.zeros((len(best), len(interactions)))
        for k in range(self.factors):
            dots += self.y_by_factor[k][best][:, None] * self.y_by_factor[k][interactions][None, :]
        rated = self.movie_ids[interactions]
        out = []
        for row in dots:
            keep = row > 0
            order = np.lexsort((rated[keep], -row[keep]))
            out.append([int(m) for m in rated[keep][order][:BECAUSE]])
        return out


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
        # ratings arrive as float32, movie ids ascending: as the Java side holds them
        items = self.engine.recommend(movie_ids, ratings, top_n)
        if not items:
            return self.popularity.top(movie_ids, top_n), "popularity", "no_candidate"
        return items, self.engine.strategy, None
