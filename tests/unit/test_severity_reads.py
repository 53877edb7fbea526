"""Severity read from whole sentences (EN and FR): the words that state a level, and no more.

Each sentence goes through the real text reader, then the pack's scale. ``TestHeldAside``
was written with the others, before the fixes, and is never used to tune the rules:
its pass count is reported as it stands.
"""

from __future__ import annotations

import pytest

from agent.domain import Event
from agent.pack.models import SEVERITY_LEVELS, SeverityScale
from agent.rules.facts import assemble_facts
from agent.rules.negation import negated
from agent.rules.severity import score_severity
from agent.rules.text_facts import extract_facts
from agent.text import normalise


def level_of(scale: SeverityScale, text: str) -> str:
    """The severity the scale gives for the facts the pipeline assembles from one sentence."""
    facts, from_text = assemble_facts(Event(text=text))
    return score_severity(scale, facts, from_text).level


def at_least(level: str, floor: str) -> bool:
    return SEVERITY_LEVELS.index(level) >= SEVERITY_LEVELS.index(floor)


@pytest.mark.parametrize(
    ("text", "floor"),
    [
        ("Thick smoke from the warehouse fire is drifting towards the housing estate.", "S2"),
        ("The phone line to the site was cut by the storm, we are on radios.", "S2"),
        ("Plus de réseau mobile sur tout le site depuis l'orage.", "S2"),
        ("Customers cannot log in to the app since 9am, the call centre is swamped.", "S2"),
        ("Bac de stockage de gasoil en feu, toit flottant, on établit la mousse.", "S2"),
        ("The administrator account was compromised and used to create a new admin.", "S2"),
        (
            "Le fichier contient les données personnelles de 1 200 salariés, accessible en ligne.",
            "S2",
        ),
        (
            "Tous les serveurs sont chiffrés, demande de rançon, et les sauvegardes sont "
            "chiffrées elles aussi.",
            "S3",
        ),
    ],
)
def test_words_that_state_a_level(scale: SeverityScale, text: str, floor: str) -> None:
    assert at_least(level_of(scale, text), floor)


@pytest.mark.parametrize(
    ("text", "floor"),
    [
        ("Le cycliste a chuté ; il a été conduit à l'hôpital avec une fracture du poignet.", "S3"),
        ("Five minor injuries from the slides, one passenger to hospital with a broken arm.", "S3"),
        ("Customers are complaining on X that their points were drained.", "S2"),
        (
            "Une influenceuse accuse notre marque dans une story, le #boycott commence à monter.",
            "S2",
        ),
        ("L'unité est à l'arrêt, le redémarrage est estimé à 72 heures.", "S3"),
        ("Les trois entrepôts sont à l'arrêt depuis 9h.", "S2"),
        ("About half the morning bus services will not run.", "S2"),
        ("Trop d'absents, on tourne sur une seule ligne depuis lundi.", "S2"),
        ("A van drove into the crowd, so many people on the ground.", "S2"),
        ("Dose-rate alarm at the barrier, everyone withdrawn to 20 m.", "S2"),
        ("Le SAMU réoriente les urgences vers les hôpitaux voisins, tout est au papier.", "S3"),
        ("Trente salariés sont au chômage technique depuis ce matin.", "S2"),
        ("Half of our drivers are stuck in the snow on the motorway.", "S2"),
        ("Strikers have been occupying the plant since Monday.", "S2"),
        ("La grève entre dans sa deuxième semaine, les déchets s'entassent.", "S4"),
        ("Aucun camion-citerne n'est sorti du dépôt ce matin.", "S2"),
    ],
)
def test_stated_impacts_without_counts(scale: SeverityScale, text: str, floor: str) -> None:
    assert at_least(level_of(scale, text), floor)


@pytest.mark.parametrize(
    ("text", "floor"),
    [
        ("Millions of homes lost electricity and phone service overnight.", "S5"),
        ("Des dizaines de milliers de foyers sont privés d'électricité depuis la tempête.", "S4"),
        ("Thousands of residents are without water after the main burst.", "S3"),
        ("Several people collapsed and died after taking the capsules.", "S4"),
        ("Plusieurs ouvriers sont morts dans l'effondrement de la galerie.", "S4"),
    ],
)
def test_magnitude_words_bound_counts(scale: SeverityScale, text: str, floor: str) -> None:
    assert at_least(level_of(scale, text), floor)


@pytest.mark.parametrize(
    ("text", "floor"),
    [
        (
            "La ligne arrachée a privé d'électricité environ 1 800 foyers pendant trois heures.",
            "S3",
        ),
        ("About 35,000 residents must boil their tap water until further notice.", "S4"),
        ("Some 12 000 homes are without power after the storm.", "S4"),
    ],
)
def test_counted_people_without_a_utility(scale: SeverityScale, text: str, floor: str) -> None:
    assert at_least(level_of(scale, text), floor)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Fire in the pallet store overnight, roughly €150,000 of packaging lost.", "S2"),
        ("Les dégâts sont estimés à 3 millions d'euros pour l'entrepôt.", "S3"),
        ("Damage to the workshop is estimated at €40,000.", "S1"),
    ],
)
def test_damage_amounts_read_from_text(scale: SeverityScale, text: str, level: str) -> None:
    assert level_of(scale, text) == level


def test_one_street_without_power_stays_low(scale: SeverityScale) -> None:
    assert level_of(scale, "A few homes in the street are without power since noon.") == "S2"


def test_a_hashtag_alone_is_not_media_attention(scale: SeverityScale) -> None:
    assert level_of(scale, "#inondation la rivière monte doucement, rien de grave") == "S1"


@pytest.mark.parametrize(
    "text",
    [
        "A huge chunk of the cliff fell in the sea this morning, nobody on the beach.",
        "La préfecture réduit les prélèvements dans la nappe de 50 % à partir de lundi.",
        "The diesel drip went into the storm drain by the workshop, absorbent laid.",
    ],
)
def test_water_words_are_not_an_offsite_release(scale: SeverityScale, text: str) -> None:
    facts = extract_facts(text)
    assert facts.get("environment.impact") != "offsite"
    assert level_of(scale, text) in ("S1", "S2")


@pytest.mark.parametrize(
    "text",
    [
        "One of the packers collapsed, he's not breathing, a colleague is doing CPR.",
        "Le PDG est décédé dimanche d'un arrêt cardiaque lors d'une course en montagne.",
    ],
)
def test_cpr_is_not_a_hospitalisation(text: str) -> None:
    assert "casualties.hospitalised_onsite" not in extract_facts(text)


def test_cardiac_arrest_on_site_is_still_a_serious_casualty(scale: SeverityScale) -> None:
    text = "Line 3: one of the packers collapsed at his station, not breathing, CPR under way."
    assert at_least(level_of(scale, text), "S2")


def test_personne_n_is_a_negation() -> None:
    norm = normalise("personne n'a été blessé")
    assert negated(norm, norm.index("a ete"))
    assert (
        extract_facts("Le hangar s'est effondré, personne n'a été blessé.").get(
            "casualties.injured"
        )
        == 0
    )


def test_elapsed_time_bounds_the_duration(scale: SeverityScale) -> None:
    facts = {"event.elapsed_minutes": 15 * 60}
    result = score_severity(scale, facts)
    assert result.level == "S2"
    assert any(c.dimension == "duration" for c in result.criteria)


@pytest.mark.parametrize(
    "text",
    [
        "Minor diesel drip on the workshop floor, cleaned up, no one hurt.",
        "Le camion de livraison est arrivé avec deux heures de retard.",
        "Smoke alarm in the canteen, burnt toast, no evacuation needed.",
        "The CCTV camera on the yard had been out for a week waiting for a part.",
        "Personne n'a été évacué, les bâtiments sont intacts.",
        "Nobody was evacuated and nobody was hurt.",
    ],
)
def test_minor_events_stay_minor(scale: SeverityScale, text: str) -> None:
    assert level_of(scale, text) == "S1"


class TestHeldAside:
    """Written before the fixes; never tuned on. Failures are marked, reported, not chased."""

    @pytest.mark.parametrize(
        ("text", "floor"),
        [
            ("Black smoke from the fire is blowing over the neighbouring village.", "S2"),
            ("Le réseau téléphonique fixe est coupé sur le site depuis ce matin.", "S2"),
            ("Our online shop is down and customers cannot place orders.", "S2"),
            pytest.param(
                "Les serveurs de fichiers sont chiffrés par un rançongiciel et aucune "
                "sauvegarde saine n'est disponible.",
                "S3",
                marks=pytest.mark.xfail(strict=True, reason="held aside: no clean backup not read"),
            ),
            pytest.param(
                "Someone logged in with the domain admin account from abroad last night.",
                "S2",
                marks=pytest.mark.xfail(
                    strict=True, reason="held aside: admin compromise not read"
                ),
            ),
            (
                "Des données clients (noms, adresses, IBAN) ont été volées chez notre prestataire.",
                "S2",
            ),
        ],
    )
    def test_floor(self, scale: SeverityScale, text: str, floor: str) -> None:
        assert at_least(level_of(scale, text), floor)

    @pytest.mark.parametrize(
        "text",
        [
            "Minor diesel drip onto the floor of the workshop, no one hurt.",
            "The nightly batch job failed and was rerun, no impact on anyone.",
        ],
    )
    def test_minor(self, scale: SeverityScale, text: str) -> None:
        assert level_of(scale, text) == "S1"

    def test_first_aider_cpr_is_not_hospital(self) -> None:
        text = "The first aider started CPR on the casualty by the loading bay."
        assert "casualties.hospitalised_onsite" not in extract_facts(text)

    def test_personne_n_fr(self) -> None:
        text = "Personne n'a été blessé lors de l'effondrement du hangar."
        assert extract_facts(text).get("casualties.injured") == 0


@pytest.mark.parametrize(
    ("facts", "level"),
    [
        ({"power.grid_lost": True, "power.generator_running": True}, "S1"),
        ({"power.grid_lost": True, "power.generator_running": False}, "S2"),
        ({"systems.encrypted": True, "ransom.demand": True}, "S1"),
        ({"systems.encrypted": True, "systems.hosts_affected": 3}, "S2"),
        ({"ransom.demand": True, "backups.clean_available": False}, "S3"),
        ({"effects.offsite": True}, "S2"),
        ({"casualties.life_threatening": 1}, "S2"),
    ],
)
def test_situation_facts_are_lower_bounds(
    scale: SeverityScale, facts: dict[str, object], level: str
) -> None:
    """One laptop encrypted, or the grid lost with generators carrying the load, is minor."""
    assert score_severity(scale, facts).level == level
