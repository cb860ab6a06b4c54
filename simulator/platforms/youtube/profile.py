"""YouTube's content mix for the synthetic world: Shorts and long videos with 11-character ids."""

from __future__ import annotations

import base64

from simulator.profiles import FormatSpec, PlatformProfile


def _b64_id(key: int) -> str:
    """11 url-safe base64 chars from 64 bits: exactly the shape of a YouTube video id."""
    return base64.urlsafe_b64encode(key.to_bytes(8, "big")).decode().rstrip("=")


PROFILE = PlatformProfile(
    name="youtube",
    post_id=_b64_id,
    formats=(
        FormatSpec(
            name="short", share=0.4, duration_s=(15, 180), views_mult=2.2,
            decay_days=(1.0, 2.5), tail=(0.004, 0.012),
            like_rate=0.035, comment_rate=0.0015, share_rate=0.004, save_rate=0.002,
            follow_rate=0.0012, watch_start=(1.05, 1.4), watch_end=(0.45, 0.8),
            swipe_away=(0.30, 0.60), hashtags=("#shorts",),
        ),
        FormatSpec(
            name="long_video", share=0.6, duration_s=(240, 2400), views_mult=1.0,
            decay_days=(3.0, 8.0), tail=(0.01, 0.03),
            like_rate=0.042, comment_rate=0.004, share_rate=0.002, save_rate=0.003,
            follow_rate=0.0035, watch_start=(0.88, 1.0), watch_end=(0.12, 0.35),
        ),
    ),
)
