"""Instagram's content mix for the synthetic world: Reels, single images, carousels and stories."""

from __future__ import annotations

from simulator.profiles import FormatSpec, PlatformProfile


def _media_id(key: int) -> str:
    """17-digit numeric ids starting with 17/18, the shape of Instagram media ids."""
    return str(17_000_000_000_000_000 + key % 1_999_999_999_999_999)


INSTAGRAM = PlatformProfile(
    name="instagram",
    post_id=_media_id,
    posts_per_week=(3, 6),
    report_lag_days=1,  # yesterday is the newest day of account insights
    completeness={1: 0.75, 2: 0.95},  # account insights lag up to 48 h
    formats=(
        FormatSpec(
            name="reel", share=0.4, duration_s=(8, 90), views_mult=2.0,
            decay_days=(1.0, 3.0), tail=(0.003, 0.01),
            like_rate=0.045, comment_rate=0.002, share_rate=0.006, save_rate=0.005,
            follow_rate=0.0015, watch_start=(1.0, 1.3), watch_end=(0.35, 0.7),
            swipe_away=(0.25, 0.55), hashtags=("#reels",),
        ),
        FormatSpec(
            name="image", share=0.25, duration_s=None, views_mult=0.9,
            decay_days=(0.6, 1.8), tail=(0.002, 0.006),
            like_rate=0.06, comment_rate=0.004, share_rate=0.002, save_rate=0.004,
            follow_rate=0.0008,
        ),
        FormatSpec(
            name="carousel", share=0.2, duration_s=None, views_mult=1.1,
            decay_days=(0.8, 2.2), tail=(0.002, 0.007),
            like_rate=0.055, comment_rate=0.005, share_rate=0.003, save_rate=0.009,
            follow_rate=0.001,
        ),
        FormatSpec(
            name="story", share=0.15, duration_s=None, views_mult=0.5,
            decay_days=(0.2, 0.4), tail=(0.0, 0.0),
            like_rate=0.0, comment_rate=0.003, share_rate=0.002, save_rate=0.0,
            follow_rate=0.0003,
        ),
    ),
)

# world format -> (media_type, media_product_type)
MEDIA_TYPES = {
    "reel": ("VIDEO", "REELS"),
    "image": ("IMAGE", "FEED"),
    "carousel": ("CAROUSEL_ALBUM", "FEED"),
    "story": ("IMAGE", "STORY"),
}
