from agent.domain import Category
from agent.retrieval import Retriever
from tests.fakes import incident

ARCHIVE = [
    incident(
        "INC-1",
        "Ammonia leak at a cold store",
        "A valve failed and ammonia vapour spread through the plant; staff sheltered.",
        "IND.toxic_release",
        site="SITE-01",
    ),
    incident(
        "INC-2", "Warehouse fire", "A fire broke out in a warehouse storing pallets.", "IND.fire"
    ),
    incident(
        "INC-3",
        "Ransomware encrypts hospital servers",
        "Files were encrypted and a ransom note appeared on every screen.",
        "CYB.ransomware",
    ),
    incident(
        "INC-4",
        "River flood reaches the works",
        "The river burst its banks and water entered the pumping station.",
        "NAT.flood",
    ),
]


def test_finds_the_similar_incident_first() -> None:
    result = Retriever(ARCHIVE).search("ammonia leak near the compressor, vapour cloud")
    assert result.precedents[0].id == "INC-1"
    assert not result.no_precedent
    assert "ammonia" in result.precedents[0].why[0]


def test_scores_are_absolute_and_bounded() -> None:
    result = Retriever(ARCHIVE).search("ammonia leak", threshold=0.0)
    assert all(0.0 <= p.score <= 1.0 for p in result.precedents)


def test_no_precedent_below_threshold() -> None:
    result = Retriever(ARCHIVE).search("a meteorite hit the car park", threshold=0.35)
    assert result.no_precedent and result.precedents == []


def test_category_and_site_boosts() -> None:
    category = Category(code="IND.toxic_release", confidence=0.9)
    plain = Retriever(ARCHIVE).search("vapour spread", threshold=0.0)
    boosted = Retriever(ARCHIVE).search(
        "vapour spread", category=category, site="SITE-01", threshold=0.0
    )
    score = {p.id: p.score for p in plain.precedents}["INC-1"]
    assert boosted.precedents[0].id == "INC-1" and boosted.precedents[0].score > score
    assert "same site" in boosted.precedents[0].why


def test_allow_filters_before_scoring() -> None:
    result = Retriever(ARCHIVE).search(
        "ammonia leak", allow=lambda i: i.id != "INC-1", threshold=0.0
    )
    assert "INC-1" not in [p.id for p in result.precedents]
    assert result.filtered == 1


def test_empty_archive_and_empty_query() -> None:
    assert Retriever([]).search("anything").no_precedent
    assert Retriever(ARCHIVE).search("the and of").no_precedent
