import pytest

from core.platform import PlatformDefaults, load_platform_settings
from core.settings import ConfigError

DEFAULTS = PlatformDefaults(schedule="0 */4 * * *", lookback_days=3,
                            base_urls={"data": "https://api.example.com/v1/"}, limits={"daily_quota": 100, "version": "202611"})


def test_defaults_apply():
    config = load_platform_settings("youtube", DEFAULTS, env={})
    assert config.schedule == "0 */4 * * *" and config.lookback_days == 3
    assert config.base_urls == {"data": "https://api.example.com/v1"}
    assert config.limit("daily_quota") == 100


def test_env_overrides():
    env = {"TIDEMARK_YOUTUBE_SCHEDULE": "0 * * * *", "TIDEMARK_YOUTUBE_LOOKBACK_DAYS": "5",
           "TIDEMARK_YOUTUBE_DATA_BASE_URL": "http://127.0.0.1:9000/yt", "TIDEMARK_YOUTUBE_DAILY_QUOTA": "50",
           "TIDEMARK_YOUTUBE_VERSION": "202701"}
    config = load_platform_settings("youtube", DEFAULTS, env=env)
    assert (config.schedule, config.lookback_days, config.base_urls["data"], config.limit("daily_quota"),
            config.limit("version")) == ("0 * * * *", 5, "http://127.0.0.1:9000/yt", 50, "202701")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [("TIDEMARK_YOUTUBE_SCHEDULE", "every hour", "5-field cron"),
     ("TIDEMARK_YOUTUBE_LOOKBACK_DAYS", "-1", "between 0 and 365"),
     ("TIDEMARK_YOUTUBE_LOOKBACK_DAYS", "three", "expected an integer"),
     ("TIDEMARK_YOUTUBE_DATA_BASE_URL", "ftp://x", "http(s) URL"),
     ("TIDEMARK_YOUTUBE_DAILY_QUOTA", "0", "between 1")],
)
def test_bad_values_name_the_variable(key, value, message):
    with pytest.raises(ConfigError) as error:
        load_platform_settings("youtube", DEFAULTS, env={key: value})
    assert key in str(error.value) and message in str(error.value)
