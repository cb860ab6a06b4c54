"""Great Expectations suites for landed data: one module per validated raw table."""

from expectations import youtube_videos

SUITE_MODULES = (youtube_videos,)


def all_suites():
    return [module.build() for module in SUITE_MODULES]
