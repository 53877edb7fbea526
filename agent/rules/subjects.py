"""Who a count applies to: people on site, members of the public, people who collapse.

"two workers collapsed" is a casualty, "the roof collapsed" is not. These are regex
fragments that sit between a count and its verb in :mod:`agent.rules.counts`.
"""

from __future__ import annotations

# Up to three words between the count and the verb: "one operator has died", "2 agents sont".
PEOPLE = r"(?:\s+[a-z]+){0,3}?"

PUBLIC = (
    r"(?:\s+[a-z]+)?\s+(?:members? of the public|passengers?|residents?|pedestrians?|child|"
    r"children|spectators?|customers?|pupils?|riverains?|habitants?|passagers?|voyageurs?|"
    r"enfants?|spectateurs?)"
    r"(?:\s+[a-z]+){0,3}?"
)

PEOPLE_WHO_COLLAPSE = (
    r"(?:workers|people|staff|operators|employees|men|women|persons|"
    r"ouvriers|salaries|personnes|agents|operateurs)"
)
"""People nouns: after them "collapsed" is a casualty, after "roof" a structure."""
