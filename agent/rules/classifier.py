"""A text classifier learned from the SOP pack at load time: character n-grams, naive Bayes.

Training documents are pack content only: each taxonomy subtype's labels, description
and keywords, and each SOP's title, steps and forbidden actions (with their examples)
for the categories it applies to. No test case, no archive incident (the archive is
replayed by the evaluation, and reaches categorisation through precedent votes).

Features are accent-folded character 3- to 5-grams of every word, so English and
French, inflections and typos share evidence. A multinomial naive Bayes with Laplace
smoothing and uniform priors is trained in one deterministic pass (documents in a
fixed order, no randomness), cached by the sha256 of its training documents.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import yaml

from agent.pack.models import Sop, Taxonomy
from agent.rules import pack_sops_cache
from agent.rules.reading import fold

NGRAMS = (3, 4, 5)
ALPHA = 0.1
TEMPERATURE = 12.0
"""Scales the mean log-likelihood per feature before the softmax (naive Bayes is overconfident)."""
WORD = re.compile(r"[a-z0-9]+")

Document = tuple[str, str, float]
"""(code, text, weight): a SOP that applies to two codes gives each half its weight."""


@dataclass(frozen=True)
class Prediction:
    """Posterior over codes and the features that pushed the best one up."""

    probabilities: dict[str, float]
    top_features: dict[str, list[str]]
    known_features: int

    def best(self) -> tuple[str, float]:
        """The most probable code and its probability (ties broken by code)."""
        code = min(self.probabilities, key=lambda c: (-self.probabilities[c], c))
        return code, self.probabilities[code]


@dataclass(frozen=True)
class NaiveBayes:
    """Log-probabilities of each n-gram under each code."""

    codes: tuple[str, ...]
    vocabulary: dict[str, int]
    log_probs: np.ndarray  # shape (features, codes)
    fingerprint: str
    documents: int

    def predict(self, text: str, top: int = 3) -> Prediction:
        """The posterior of every code for ``text``, and its strongest features per code."""
        counts = Counter(f for f in features(text) if f in self.vocabulary)
        if not counts:
            flat = 1.0 / len(self.codes)
            return Prediction({c: flat for c in self.codes}, {}, 0)
        names = sorted(counts)
        rows = self.log_probs[[self.vocabulary[n] for n in names]]
        weights = np.array([counts[n] for n in names], dtype=float)
        mean = weights @ rows / weights.sum()
        scaled = TEMPERATURE * (mean - mean.max())
        probs = np.exp(scaled) / np.exp(scaled).sum()
        best = [j for j in np.argsort(-probs, kind="stable")[:top] if probs[j] >= 0.05]
        lift = (rows[:, best] - rows.mean(axis=1, keepdims=True)) * weights[:, None]
        tops = {self.codes[j]: _top_features(names, lift[:, k], top) for k, j in enumerate(best)}
        return Prediction(
            {c: round(float(p), 6) for c, p in zip(self.codes, probs, strict=True)},
            tops,
            int(weights.sum()),
        )


def _top_features(names: list[str], lift: np.ndarray, top: int) -> list[str]:
    """The n-grams that raise this code most, readable ones (3 letters or more) only."""
    order = np.argsort(-lift, kind="stable")[: 8 * top]
    out: list[str] = []
    for i in order:
        gram = names[i].strip("_")
        if lift[i] <= 0 or len(out) >= top:
            break
        if len(gram) >= 3 and all(gram not in seen and seen not in gram for seen in out):
            out.append(gram)
    return out


def features(text: str) -> list[str]:
    """Character n-grams of every folded word, padded with '_' at both ends."""
    out: list[str] = []
    for word in WORD.findall(fold(text)):
        if len(word) < 2 or word.isdigit():
            continue
        padded = f"_{word}_"
        for n in NGRAMS:
            out += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return out


def train(documents: Sequence[Document], codes: Sequence[str]) -> NaiveBayes:
    """Multinomial naive Bayes over the documents, uniform priors, Laplace smoothing."""
    ordered = tuple(sorted(codes))
    column = {c: j for j, c in enumerate(ordered)}
    counts: dict[str, dict[int, float]] = {}
    for code, text, weight in documents:
        if code not in column:
            continue
        j = column[code]
        for gram, n in Counter(features(text)).items():
            cell = counts.setdefault(gram, {})
            cell[j] = cell.get(j, 0.0) + n * weight
    vocabulary = {g: i for i, g in enumerate(sorted(counts))}
    matrix = np.zeros((len(vocabulary), len(ordered)))
    for gram, i in vocabulary.items():
        for j, value in counts[gram].items():
            matrix[i, j] = value
    totals = matrix.sum(axis=0) + ALPHA * len(vocabulary)
    log_probs = np.log(matrix + ALPHA) - np.log(totals)
    return NaiveBayes(ordered, vocabulary, log_probs, fingerprint(documents), len(documents))


def fingerprint(documents: Iterable[Document]) -> str:
    """sha256 of the training documents: the model's cache key and lineage."""
    digest = hashlib.sha256()
    for doc in documents:
        digest.update(json.dumps(doc, ensure_ascii=False).encode())
    return digest.hexdigest()


# --- training documents --------------------------------------------------------------------


def documents(taxonomy: Taxonomy, sops: Iterable[Mapping[str, Any]]) -> list[Document]:
    """Taxonomy descriptions and keywords, then SOP texts, in a fixed order."""
    docs: list[Document] = []
    for family in taxonomy.families:
        for sub in family.subtypes:
            code = f"{family.code}.{sub.code}"
            text = " ".join([sub.label, sub.label_fr or "", sub.description or ""])
            docs.append((code, text, 1.0))
            docs.append((code, " ; ".join([*sub.keywords_en, *sub.keywords_fr]), 1.0))
    codes = taxonomy.codes()
    for sop in sorted(sops, key=lambda s: str(s.get("id", ""))):
        targets = _targets(sop, codes)
        text = sop_text(sop)
        docs += [(code, text, 1.0 / len(targets)) for code in targets]
    return docs


def _targets(sop: Mapping[str, Any], codes: Sequence[str]) -> list[str]:
    """The codes an SOP applies to, family wildcards expanded; the all-hazards SOP gives none."""
    patterns = (sop.get("applies_to") or {}).get("categories") or []
    out: list[str] = []
    for pattern in patterns:
        if pattern == "*":
            continue
        if str(pattern).endswith(".*"):
            family = str(pattern)[:-2]
            out += [c for c in codes if c.startswith(family + ".")]
        elif pattern in codes:
            out.append(str(pattern))
    return sorted(set(out))


def sop_text(sop: Mapping[str, Any]) -> str:
    """Title, step actions and forbidden actions with their examples, as one text."""
    parts = [str(sop.get("title", ""))]
    parts += [str(s.get("action", "")) for s in sop.get("steps") or []]
    for forbidden in sop.get("forbidden_actions") or []:
        parts.append(str(forbidden.get("text", "")))
        parts += [str(e) for e in forbidden.get("examples") or []]
    return " ; ".join(p for p in parts if p)


def sop_fields(sop: Sop) -> dict[str, Any]:
    """The fields of a loaded SOP the classifier reads."""
    return sop.model_dump(
        include={"id", "title", "applies_to", "steps", "forbidden_actions"}, mode="json"
    )


# --- the pack's SOPs when the caller did not pass them ---------------------------------------


def read_pack_sops(root: Path, taxonomy: Taxonomy) -> list[dict[str, Any]]:
    """Approved SOPs of the pack in ``root``, if its taxonomy is the one given; else none.

    Read raw (no linting: the pack was linted when it was loaded), so a test taxonomy
    never learns from another pack's SOPs.
    """
    tax_file = root / "taxonomy.yaml"
    if not tax_file.is_file():
        return []
    files = sorted(root.glob("*.yaml"))
    code = [Path(__file__), Path(pack_sops_cache.__file__ or "")]
    raw, sops = pack_sops_cache.cached_pack(files, code, lambda: _read_raw(tax_file, files))
    if raw is None:
        return []
    try:
        if Taxonomy.model_validate(raw) != taxonomy:
            return []
    except ValueError:
        return []
    return sops


def _read_raw(tax_file: Path, files: Sequence[Path]) -> pack_sops_cache.Raw:
    """The taxonomy file parsed, and the approved SOPs among these files (what the model reads)."""
    parsed = {path: _load(path) for path in files}
    out = [
        pack_sops_cache.trained_fields(data)
        for data in parsed.values()
        if isinstance(data, dict) and "applies_to" in data and data.get("status") == "approved"
    ]
    return parsed[tax_file] if tax_file in parsed else _load(tax_file), out


def _load(path: Path) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(path.read_text("utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError):
        return None


class ModelCache(Protocol):
    """Somewhere a trained model outlives its process (the disk); a miss returns None."""

    def load(self, fingerprint: str, codes: Sequence[str]) -> NaiveBayes | None:
        """The stored model of these training documents and codes, or None."""
        ...

    def save(self, model: NaiveBayes) -> None:
        """Keep the model for the next process; failing to is never an error."""
        ...


_MODELS: dict[str, NaiveBayes] = {}


def model_for(
    taxonomy: Taxonomy, sops: Sequence[Mapping[str, Any]], cache: ModelCache | None = None
) -> NaiveBayes:
    """The model of this taxonomy and these SOPs, trained once per distinct training set.

    Looked up in this process first, then in ``cache``; trained (and saved there) on a miss.
    """
    docs = documents(taxonomy, sops)
    key = fingerprint(docs)
    model = _MODELS.get(key)
    if model is None and cache is not None:
        model = cache.load(key, taxonomy.codes())
    if model is None:
        model = train(docs, taxonomy.codes())
        if cache is not None:
            cache.save(model)
    _MODELS[key] = model
    return model


def entropy(probabilities: Mapping[str, float]) -> float:
    """Shannon entropy in nats (how unsure the model is)."""
    return -sum(p * math.log(p) for p in probabilities.values() if p > 0)
