"""The categorisation model learned from the pack: deterministic, fast, cached, explained."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from agent.rules import classifier
from agent.rules.categorise import categorise, decide, model

TEXT = "Fuite d'ammoniac dans la salle des machines, nuage vers la clôture, deux blessés."


def fields(pack: Any) -> list[dict[str, Any]]:
    return [classifier.sop_fields(s) for s in pack.sops if s.status == "approved"]


def test_same_pack_same_model_and_scores(shipped_pack: Any) -> None:
    docs = classifier.documents(shipped_pack.taxonomy, fields(shipped_pack))
    first = classifier.train(docs, shipped_pack.taxonomy.codes())
    second = classifier.train(list(docs), list(reversed(shipped_pack.taxonomy.codes())))
    assert first.fingerprint == second.fingerprint
    assert first.codes == second.codes
    assert first.vocabulary == second.vocabulary
    assert np.array_equal(first.log_probs, second.log_probs)
    assert first.predict(TEXT) == second.predict(TEXT)


def test_training_uses_pack_content_only_and_is_fast(shipped_pack: Any) -> None:
    start = time.perf_counter()
    docs = classifier.documents(shipped_pack.taxonomy, fields(shipped_pack))
    learned = classifier.train(docs, shipped_pack.taxonomy.codes())
    assert time.perf_counter() - start < 3.0  # ~0.5-1 s alone; the CI box is shared
    codes = {code for code, _, _ in docs}
    assert codes == set(shipped_pack.taxonomy.codes())
    assert learned.documents == len(docs)
    assert not any("INC-" in text for _, text, _ in docs)


def test_model_is_cached_per_training_set(shipped_pack: Any) -> None:
    a = model(shipped_pack.taxonomy, shipped_pack.sops)
    b = model(shipped_pack.taxonomy, shipped_pack.sops)
    assert a is b
    other = classifier.model_for(shipped_pack.taxonomy, fields(shipped_pack)[:3])
    assert other.fingerprint != a.fingerprint


def test_model_alone_recognises_pack_vocabulary(shipped_pack: Any) -> None:
    learned = model(shipped_pack.taxonomy, shipped_pack.sops)
    code, p = learned.predict(TEXT).best()
    assert code == "IND.toxic_release" and p > 0.5
    assert learned.predict("").known_features == 0


def test_categorise_is_deterministic(shipped_pack: Any) -> None:
    runs = {categorise(TEXT, shipped_pack.taxonomy).model_dump_json() for _ in range(3)}
    assert len(runs) == 1


def test_default_model_learns_from_the_configured_pack(shipped_pack: Any) -> None:
    explicit = model(shipped_pack.taxonomy, shipped_pack.sops)
    default = model(shipped_pack.taxonomy)
    assert default.fingerprint == explicit.fingerprint


def test_model_reason_names_probability_and_ngrams(shipped_pack: Any) -> None:
    decision = decide(TEXT, shipped_pack.taxonomy, sops=shipped_pack.sops)
    reason = next(r for r in decision.reasons() if r.startswith("pack model"))
    assert "p=" in reason and "n-grams" in reason


def test_text_without_any_keyword_falls_back_to_the_model(shipped_pack: Any) -> None:
    c = categorise("Le logiciel d'encaissement ne démarre plus.", shipped_pack.taxonomy)
    assert c.confidence <= 0.4
    assert c.reasons[0].startswith("no keyword")
