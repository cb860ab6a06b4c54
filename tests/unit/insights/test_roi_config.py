"""costs.yaml: every bad entry refuses the whole file with a message naming the entry's index and field."""

import textwrap

import pytest

from insights.roi.config import CostsConfigError, load_costs

ACCOUNTS = {"youtube": {"UC1", "UC2"}, "instagram": {"17841"}}
GOOD = """
workspace: ws
costs:
  - {month: '2026-10', platform: youtube, account_id: UC1, currency: EUR, fixed: 1000, per_post: 50}
  - {month: '2026-10', platform: youtube, account_id: UC1, currency: USD, ad_spend: 200}
  - {month: '2026-10', platform: instagram, account_id: 17841, currency: EUR, fixed: 0}
  - {month: '2026-11', campaign: autumn, hashtag: '#Autumn', currency: EUR, ad_spend: 300}
"""


def _load(tmp_path, text: str, workspace: str = "ws"):
    path = tmp_path / "costs.yaml"
    path.write_text(textwrap.dedent(text))
    return load_costs(ACCOUNTS, workspace, path)


def test_good_file(tmp_path):
    costs = _load(tmp_path, GOOD)
    assert len(costs.entries) == 4 and costs.skipped is None
    assert costs.entries[2].account_id == "17841"  # an unquoted numeric id is the account's text id
    assert costs.entries[3].hashtag == "autumn"


def _entry(**fields) -> str:
    base = {"month": "'2026-10'", "platform": "youtube", "account_id": "UC1", "currency": "EUR", "fixed": "10"}
    base.update(fields)
    inner = ", ".join(f"{k}: {v}" for k, v in base.items() if v is not None)
    return f"costs:\n  - {{month: '2026-09', platform: youtube, account_id: UC2, currency: EUR, fixed: 1}}\n  - {{{inner}}}\n"


@pytest.mark.parametrize("fields, where, words", [
    ({"platform": "tiktok"}, "costs[1].platform", "unknown platform 'tiktok'"),
    ({"account_id": "UC9"}, "costs[1].account_id", "'UC9' is not a youtube account"),
    ({"month": "'2026-13'"}, "costs[1].month", "not a month YYYY-MM"),
    ({"month": "2026-10-01"}, "costs[1].month", "not a month YYYY-MM"),
    ({"fixed": "-5"}, "costs[1].fixed", "greater than or equal to 0"),
    ({"ad_spend": "-1"}, "costs[1].ad_spend", "greater than or equal to 0"),
    ({"currency": "euro"}, "costs[1].currency", "not an ISO 4217 currency code"),
    ({"currency": "eur"}, "costs[1].currency", "not an ISO 4217 currency code"),
    ({"fixed": None}, "costs[1]", "no cost given"),
    ({"budget": "5"}, "costs[1].budget", "Extra inputs are not permitted"),
    ({"account_id": None}, "costs[1]", "give `platform` and `account_id`"),
])
def test_a_bad_entry_names_its_index_and_field(tmp_path, fields, where, words):
    with pytest.raises(CostsConfigError) as error:
        _load(tmp_path, _entry(**fields))
    message = str(error.value)
    assert f"{where}:" in message and words in message, message
    assert "costs[0]" not in message  # the good entry is not blamed


def test_the_same_account_month_and_kind_twice_is_refused_whatever_the_currency(tmp_path):
    text = GOOD + "  - {month: '2026-10', platform: youtube, account_id: UC1, currency: GBP, fixed: 5}\n"
    with pytest.raises(CostsConfigError, match=r"costs\[4\]\.fixed: duplicate of costs\[0\]"):
        _load(tmp_path, text)
    # another kind for the same account and month is not a duplicate
    assert len(_load(tmp_path, GOOD + "  - {month: '2026-10', platform: youtube, account_id: UC2, currency: EUR, "
                                      "fixed: 5}\n").entries) == 5


def test_a_campaign_needs_posts_or_a_hashtag_and_the_same_ones_every_month(tmp_path):
    with pytest.raises(CostsConfigError, match=r"costs\[0\]: .*give either `posts` or `hashtag`"):
        _load(tmp_path, "costs:\n  - {month: '2026-10', campaign: c, currency: EUR, fixed: 1}\n")
    with pytest.raises(CostsConfigError, match=r"costs\[0\]\.posts: 'abc' is not a post key"):
        _load(tmp_path, "costs:\n  - {month: '2026-10', campaign: c, posts: [abc], currency: EUR, fixed: 1}\n")
    with pytest.raises(CostsConfigError, match=r"costs\[0\]\.posts: unknown platform 'x'"):
        _load(tmp_path, "costs:\n  - {month: '2026-10', campaign: c, posts: ['x:1'], currency: EUR, fixed: 1}\n")
    with pytest.raises(CostsConfigError, match=r"costs\[1\]\.campaign: 'c' names other posts than costs\[0\]"):
        _load(tmp_path, "costs:\n  - {month: '2026-10', campaign: c, hashtag: a, currency: EUR, fixed: 1}\n"
                        "  - {month: '2026-11', campaign: c, hashtag: b, currency: EUR, fixed: 1}\n")


def test_every_problem_is_listed_at_once(tmp_path):
    text = ("costs:\n  - {month: '2026-10', platform: youtube, account_id: UC9, currency: EUR, fixed: 1}\n"
            "  - {month: '2026-10', platform: tiktok, account_id: t, currency: EUR, fixed: 1}\n")
    with pytest.raises(CostsConfigError) as error:
        _load(tmp_path, text)
    assert "costs[0].account_id" in str(error.value) and "costs[1].platform" in str(error.value)


def test_absent_file_means_no_costs_and_a_named_missing_file_is_an_error(tmp_path, monkeypatch):
    monkeypatch.delenv("TIDEMARK_COSTS_CONFIG", raising=False)
    assert load_costs(ACCOUNTS, "ws", tmp_path / "none.yaml").entries == []
    monkeypatch.setenv("TIDEMARK_COSTS_CONFIG", str(tmp_path / "none.yaml"))
    with pytest.raises(CostsConfigError, match="TIDEMARK_COSTS_CONFIG: .* does not exist"):
        load_costs(ACCOUNTS, "ws")


def test_a_file_for_another_workspace_is_not_applied_and_says_so(tmp_path):
    costs = _load(tmp_path, GOOD.replace("account_id: UC1", "account_id: UNKNOWN"), workspace="other")
    assert costs.entries == [] and "is for workspace 'ws', this workspace is 'other'" in costs.skipped


def test_the_demo_file_is_valid_for_the_demo_workspace_and_leaves_an_account_without_costs():
    import yaml

    from core.settings import PROJECT_ROOT

    workspace = yaml.safe_load((PROJECT_ROOT / "tidemark.yaml").read_text())["workspaces"][0]  # costs.yaml's
    accounts = {p: {str(a["id"]) for a in c["accounts"]} for p, c in workspace["platforms"].items()}
    costs = load_costs(accounts, workspace["id"], PROJECT_ROOT / "costs.yaml")
    declared = {(e.platform, e.account_id) for e in costs.entries if e.campaign is None}
    every = {(p, a) for p, ids in accounts.items() for a in ids}
    assert costs.entries and declared < every  # some accounts have no costs (NULL in the mart)
