"""Per-platform knobs of the synthetic world (formats, cadence, id shapes, data lag) as plain data.

The world generator is platform-agnostic; what differs between platforms is a
`PlatformProfile`. Each platform package owns its profile and hands it over on
its `Platform` (see `simulator.platforms`), and the world is given the collected
profiles, so this module imports nothing from the project and adding a platform
edits no shared file. Platforms without a profile get `DEFAULT_PROFILE`, so any
platform name still yields a world.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FormatSpec:
    """One content format (e.g. YouTube `short` vs `long_video`) and its behaviour.

    Rates are per view; ranges are (low, high) drawn uniformly per post.
    """

    name: str
    share: float
    duration_s: tuple[int, int] | None
    views_mult: float
    decay_days: tuple[float, float]
    tail: tuple[float, float]
    like_rate: float
    comment_rate: float
    share_rate: float
    save_rate: float
    follow_rate: float
    watch_start: tuple[float, float] = (0.9, 1.0)
    watch_end: tuple[float, float] = (0.15, 0.35)
    swipe_away: tuple[float, float] | None = None
    hashtags: tuple[str, ...] = ()


def _numeric_id(key: int) -> str:
    """19-digit numeric ids (TikTok / X style)."""
    return str(10**18 + key % (9 * 10**18))


@dataclass(frozen=True)
class PlatformProfile:
    """Everything platform-specific the world generator needs."""

    name: str
    formats: tuple[FormatSpec, ...]
    posts_per_week: tuple[int, int] = (2, 4)
    post_id: Callable[[int], str] = _numeric_id
    report_lag_days: int = 2
    # days-ago -> share of the final value already reported (late-arriving data)
    completeness: dict[int, float] = field(default_factory=lambda: {2: 0.85, 3: 0.97})


DEFAULT_PROFILE = PlatformProfile(
    name="default",
    formats=(
        FormatSpec(
            name="video", share=0.4, duration_s=(10, 120), views_mult=1.6,
            decay_days=(1.0, 3.0), tail=(0.003, 0.01),
            like_rate=0.04, comment_rate=0.003, share_rate=0.004, save_rate=0.003,
            follow_rate=0.001, watch_start=(1.0, 1.2), watch_end=(0.4, 0.7),
        ),
        FormatSpec(
            name="image", share=0.4, duration_s=None, views_mult=1.0,
            decay_days=(0.7, 2.0), tail=(0.002, 0.006),
            like_rate=0.05, comment_rate=0.004, share_rate=0.002, save_rate=0.004,
            follow_rate=0.0008,
        ),
        FormatSpec(
            name="text", share=0.2, duration_s=None, views_mult=0.6,
            decay_days=(0.5, 1.5), tail=(0.001, 0.004),
            like_rate=0.03, comment_rate=0.005, share_rate=0.003, save_rate=0.001,
            follow_rate=0.0005,
        ),
    ),
)

# --- words for titles, captions and account names ------------------------------------------------

TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "cooking": {
        "nouns": ("pasta", "ramen", "sourdough", "curry", "tacos", "pancakes", "salad", "dumplings"),
        "tags": ("#cooking", "#recipe", "#food", "#easyrecipes"),
    },
    "travel": {
        "nouns": ("Lisbon", "Kyoto", "road trip", "night train", "island", "hostel", "hike", "market"),
        "tags": ("#travel", "#wanderlust", "#budgettravel", "#vlog"),
    },
    "tech": {
        "nouns": ("laptop", "keyboard", "home server", "phone", "smart home", "camera", "SSD", "router"),
        "tags": ("#tech", "#review", "#gadgets", "#setup"),
    },
    "fitness": {
        "nouns": ("squats", "mobility", "5k run", "core", "pull-ups", "meal prep", "stretch", "HIIT"),
        "tags": ("#fitness", "#workout", "#gym", "#health"),
    },
    "diy": {
        "nouns": ("shelf", "garden bed", "lamp", "workbench", "bike repair", "tile job", "desk", "planter"),
        "tags": ("#diy", "#woodworking", "#howto", "#homeimprovement"),
    },
}

TITLE_PATTERNS: tuple[str, ...] = (
    "How I made the perfect {noun}",
    "{noun} in 10 minutes",
    "I tried {noun} for a week",
    "The {adj} {noun} guide",
    "Why your {noun} fails (and the fix)",
    "{adj} {noun}: beginner to pro",
    "Testing a {adj} {noun}",
    "My {adj} {noun} routine",
)
ADJECTIVES: tuple[str, ...] = ("easy", "cheap", "ultimate", "honest", "quick", "weird", "cozy", "epic")
FIRST_NAMES: tuple[str, ...] = ("Maya", "Leo", "Ana", "Kenji", "Sofia", "Omar", "Lena", "Theo", "Priya", "Sam")
COUNTRIES: tuple[str, ...] = ("US", "GB", "DE", "IN", "BR", "JP", "CA", "AU", "FR", "MX", "ES", "NL")
AGE_GROUPS: tuple[str, ...] = ("age13-17", "age18-24", "age25-34", "age35-44", "age45-54", "age55-64", "age65-")
GENDERS: tuple[str, ...] = ("female", "male", "user_specified")
# (UTC offset in minutes, the audience's home country)
TIME_ZONES: tuple[tuple[int, str], ...] = (
    (-480, "US"), (-300, "US"), (-360, "MX"), (-180, "BR"), (0, "GB"), (60, "DE"),
    (60, "FR"), (60, "ES"), (330, "IN"), (540, "JP"), (600, "AU"), (-300, "CA"),
)
