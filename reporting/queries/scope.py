"""The scope every query shares: which accounts and posts a report covers, and the group keys.

One set of fragments, so the totals, platform, account and format breakdowns of a report can
never use different accounts or definitions.
"""

from __future__ import annotations

# `workspace`: the report's workspace (every report is one workspace's; NULL only in tests of one).
ACCOUNT_SCOPE = """
    (%(workspace)s::text is null or a.workspace_id = %(workspace)s::text)
    and (%(platforms)s::text[] is null or a.platform = any(%(platforms)s::text[]))
    and (%(accounts)s::text[] is null or a.account_id = any(%(accounts)s::text[]))
"""
POST_FILTER = """
    (%(formats)s::text[] is null or p.format = any(%(formats)s::text[]))
    and (%(hashtags)s::text[] is null or string_to_array(p.hashtags, ',') && %(hashtags)s::text[])
"""
POST_SCOPE = f"""
    (%(workspace)s::text is null or p.workspace_id = %(workspace)s::text)
    and (%(platforms)s::text[] is null or p.platform = any(%(platforms)s::text[]))
    and (%(accounts)s::text[] is null or p.account_id = any(%(accounts)s::text[]))
    and {POST_FILTER}
"""

# group → SQL of its key over a row alias `d` with platform, account_key (and format for posts)
KEYS = {
    "all": "'all'",
    "platform": "d.platform",
    "account": "d.account_key",
    "format": "coalesce(d.format, 'unknown')",
    "platform_format": "d.platform || ' / ' || coalesce(d.format, 'unknown')",
}

# The accounts in scope with what their numbers stand on (marts.mart_data_coverage).
SCOPED = f"""
    scoped as (
        select a.account_key, a.platform, a.account_id, a.account_name, a.timezone, a.is_simulated,
               c.complete_through, c.activity_from, c.followers_from
        from marts.dim_accounts as a
        left join marts.mart_data_coverage as c on c.account_key = a.account_key
        where {ACCOUNT_SCOPE}
    )
"""
