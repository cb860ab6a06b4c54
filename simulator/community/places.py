"""Where members live and travel, and the communities with their geo rules.

A small fixed gazetteer (ASCII names, IANA time zones) keeps locations
recognisable in the marts and lets geo rules name real countries, regions and
cities: a rule that blocks "Texas" or "Mumbai" must be checked by region and city,
not only by country, which is what the geo-restriction analytics are about.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from simulator.rand import stable_key


@dataclass(frozen=True)
class Place:
    country: str      # ISO-3166 alpha-2
    region: str
    city: str
    tz: str           # IANA time zone
    ip_octet: int     # first IPv4 octet, so an IP "looks" like it comes from there
    weight: float     # share of members living there

    def location(self) -> dict[str, str]:
        return {"country": self.country, "region": self.region, "city": self.city}


PLACES = (
    Place("US", "New York", "New York", "America/New_York", 24, 10),
    Place("US", "California", "Los Angeles", "America/Los_Angeles", 47, 8),
    Place("US", "Texas", "Austin", "America/Chicago", 66, 5),
    Place("CA", "Ontario", "Toronto", "America/Toronto", 99, 3),
    Place("BR", "Sao Paulo", "Sao Paulo", "America/Sao_Paulo", 177, 4),
    Place("GB", "England", "London", "Europe/London", 81, 7),
    Place("IE", "Leinster", "Dublin", "Europe/Dublin", 86, 2),
    Place("DE", "Berlin", "Berlin", "Europe/Berlin", 91, 6),
    Place("FR", "Ile-de-France", "Paris", "Europe/Paris", 90, 5),
    Place("ES", "Catalonia", "Barcelona", "Europe/Madrid", 88, 3),
    Place("NL", "North Holland", "Amsterdam", "Europe/Amsterdam", 145, 2),
    Place("NG", "Lagos", "Lagos", "Africa/Lagos", 105, 3),
    Place("IN", "Maharashtra", "Mumbai", "Asia/Kolkata", 49, 6),
    Place("IN", "Karnataka", "Bengaluru", "Asia/Kolkata", 106, 4),
    Place("CN", "Shanghai", "Shanghai", "Asia/Shanghai", 116, 3),
    Place("RU", "Moscow", "Moscow", "Europe/Moscow", 95, 2),
    Place("JP", "Tokyo", "Tokyo", "Asia/Tokyo", 126, 4),
    Place("AU", "New South Wales", "Sydney", "Australia/Sydney", 101, 3),
)
SERVER = Place("US", "Virginia", "Ashburn", "UTC", 10, 0)
WEIGHTS = tuple(p.weight for p in PLACES)


@dataclass(frozen=True)
class GeoRules:
    """A community's geo rules; an empty allowed list means every country unless blocked."""

    allowed_countries: tuple[str, ...] = ()
    blocked_countries: tuple[str, ...] = ()
    blocked_regions: tuple[str, ...] = ()
    blocked_cities: tuple[str, ...] = ()

    def blocks(self, place: Place) -> bool:
        return ((bool(self.allowed_countries) and place.country not in self.allowed_countries)
                or place.country in self.blocked_countries or place.region in self.blocked_regions
                or place.city in self.blocked_cities)

    @property
    def any(self) -> bool:
        return bool(self.allowed_countries or self.blocked_countries or self.blocked_regions
                    or self.blocked_cities)

    def to_dict(self) -> dict[str, list[str]]:
        return {"allowed_countries": list(self.allowed_countries), "blocked_countries": list(self.blocked_countries),
                "blocked_regions": list(self.blocked_regions), "blocked_cities": list(self.blocked_cities)}


NAMES = ("Trail Runners", "Indie Game Devs", "Sourdough Society", "Euro Football Talk", "Night Sky Watchers",
         "Urban Sketchers", "Home Lab Builders", "Language Exchange")
# Every 2nd of 4 communities has rules: one blocks by country, region and city, one is EU-only.
RULES = {
    1: GeoRules(blocked_countries=("CN", "RU"), blocked_regions=("Texas",), blocked_cities=("Mumbai",)),
    3: GeoRules(allowed_countries=("GB", "IE", "DE", "FR", "ES", "NL"), blocked_cities=("Barcelona",)),
}


@dataclass(frozen=True)
class Community:
    community_id: str
    name: str
    slug: str
    created_at: datetime
    rules: GeoRules = field(default_factory=GeoRules)
    popularity: float = 1.0

    def to_dict(self) -> dict:
        return {"community_id": self.community_id, "name": self.name,
                "created_at": self.created_at.isoformat(), "geo_rules": self.rules.to_dict()}


def make_communities(seed: int, n: int, start: datetime) -> list[Community]:
    """`n` communities created 100-900 days before `start`; ids are positional (`cm_001`...)."""
    out = []
    for i in range(n):
        rng = random.Random(stable_key(seed, "community", i))
        base = NAMES[i % len(NAMES)]
        name = base if i < len(NAMES) else f"{base} {i // len(NAMES) + 1}"
        created = (start - timedelta(days=rng.uniform(100, 900))).replace(microsecond=0)
        out.append(Community(f"cm_{i + 1:03d}", name, name.lower().replace(" ", "-"), created,
                             RULES.get(i % 4, GeoRules()), popularity=rng.uniform(0.5, 2.0)))
    return out
