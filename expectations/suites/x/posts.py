"""raw.x_posts — Tweet objects of the user timeline (their counters feed every X mart)."""

from expectations.rules import (
    TableSuite,
    counter,
    known_keys,
    matches,
    not_null,
    required_keys,
    timestamp_in_range,
)

COUNTERS = ("impression_count", "like_count", "reply_count", "retweet_count", "quote_count", "bookmark_count")


def build() -> TableSuite:
    metrics = ", ".join(f"payload -> 'public_metrics' ->> '{name}' as {name}" for name in COUNTERS)
    return TableSuite(
        platform="x",
        table="x_posts",
        generic=False,  # `geo` coordinates are legitimately negative; the counters are checked one by one
        select=(f"payload ->> 'id' as post_id, payload ->> 'created_at' as created_at, {metrics}, "
                "payload -> 'non_public_metrics' ->> 'url_link_clicks' as url_link_clicks"),
        rules=(
            required_keys(["id", "text", "created_at", "public_metrics"]),
            known_keys(["id", "text", "created_at", "edit_history_tweet_ids", "public_metrics", "non_public_metrics",
                        "organic_metrics", "attachments", "entities", "conversation_id", "author_id", "lang",
                        "referenced_tweets", "in_reply_to_user_id", "possibly_sensitive", "reply_settings",
                        "edit_controls", "note_tweet", "context_annotations", "withheld", "geo", "source"]),
            not_null("post_id"),
            matches("post_id", "^[0-9]+$", "post id is a numeric string"),
            *(counter(column) for column in (*COUNTERS, "url_link_clicks")),
            timestamp_in_range("created_at", "x"),
        ),
    )
