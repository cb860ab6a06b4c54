import io
import logging

import pytest

from core.redaction import RedactingFilter, Redactor, install_redacting_filter

TOKEN = "EAAGm0PX4ZCpsBAKZCZBsecret"


@pytest.fixture
def redactor() -> Redactor:
    return Redactor()


def test_registered_secret_is_masked_including_url_encoded_form(redactor):
    redactor.add_secret("123|app secret")
    text = redactor.redact("a 123|app secret b 123%7Capp%20secret c 123%7Capp+secret")
    assert "secret" not in text
    assert text == "a *** b *** c ***"


def test_short_and_empty_secrets_are_ignored(redactor):
    redactor.add_secret("ab")
    redactor.add_secret("")
    redactor.add_secret(None)
    assert redactor.redact("about abc") == "about abc"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            f"https://graph.facebook.com/v21.0/me?fields=id&access_token={TOKEN}&limit=5",
            "https://graph.facebook.com/v21.0/me?fields=id&access_token=***&limit=5",
        ),
        ("GET /youtube/v3/videos?key=AIzaSyXYZ&part=snippet", "GET /youtube/v3/videos?key=***&part=snippet"),
        (
            "client_secret=s3cr3t&refresh_token=r1r2r3&code=authcode",
            "client_secret=***&refresh_token=***&code=***",
        ),
        ("?appsecret_proof=abcdef123&API_KEY=zz99", "?appsecret_proof=***&API_KEY=***"),
        ("Authorization: Bearer abc.def-ghi", "Authorization: Bearer ***"),
        ("sent with bearer abc.def-ghi today", "sent with bearer *** today"),
        ("Access-Token: act.12345abcdef", "Access-Token: ***"),
        ("Cookie: li_at=abc; JSESSIONID=xyz", "Cookie: ***"),
        (
            '{"access_token": "tok123", "expires_in": 5183944}',
            '{"access_token": "***", "expires_in": 5183944}',
        ),
        ("{'Authorization': 'Bearer abc'}", "{'Authorization': '***'}"),
        ("postgresql://tidemark:pa55word@localhost:5432/db", "postgresql://tidemark:***@localhost:5432/db"),
    ],
)
def test_patterns(redactor, raw, expected):
    assert redactor.redact(raw) == expected


def test_ordinary_text_is_untouched(redactor):
    text = "monkey=1 fields=id,name https://host:8080/path status code 500 keyboard"
    assert redactor.redact(text) == text


def test_redact_params_masks_secret_names_case_insensitively(redactor):
    params = {"Access_Token": TOKEN, "fields": "id,name", "limit": 25, "KEY": "AIza"}
    safe = redactor.redact_params(params)
    assert safe == {"Access_Token": "***", "fields": "id,name", "limit": 25, "KEY": "***"}
    assert params["Access_Token"] == TOKEN  # a copy, original untouched


def test_redact_params_scrubs_embedded_urls(redactor):
    safe = redactor.redact_params({"next": f"https://x/y?access_token={TOKEN}"})
    assert TOKEN not in safe["next"]


def test_redact_headers(redactor):
    headers = {
        "Authorization": "Bearer abc",
        "access-token": "act.1",
        "Cookie": "a=b",
        "X-API-Key": "k123",
        "Accept": "application/json",
    }
    safe = redactor.redact_headers(headers)
    assert safe == {
        "Authorization": "***",
        "access-token": "***",
        "Cookie": "***",
        "X-API-Key": "***",
        "Accept": "application/json",
    }


def _logger_with_stream(redactor: Redactor) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    install_redacting_filter(handler, redactor)
    logger = logging.getLogger("tests.redact")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, stream


def test_log_record_args_are_redacted(redactor):
    redactor.add_secret("literal-secret-value")
    logger, stream = _logger_with_stream(redactor)
    logger.info("calling %s with %s", f"https://g/me?access_token={TOKEN}", "literal-secret-value")
    out = stream.getvalue()
    assert TOKEN not in out
    assert "literal-secret-value" not in out
    assert "INFO calling https://g/me?access_token=*** with ***" in out


def test_filter_renders_record_directly(redactor):
    record = logging.LogRecord("n", logging.INFO, __file__, 1, "token is %s", (f"Bearer {TOKEN}",), None)
    assert RedactingFilter(redactor).filter(record) is True
    assert record.getMessage() == "token is Bearer ***"
    assert record.args is None


def test_tracebacks_are_redacted(redactor):
    logger, stream = _logger_with_stream(redactor)
    try:
        raise RuntimeError(f"failed for https://g/me?access_token={TOKEN}")
    except RuntimeError:
        logger.exception("boom")
    out = stream.getvalue()
    assert "RuntimeError" in out
    assert TOKEN not in out


def test_install_is_idempotent(redactor):
    handler = logging.StreamHandler(io.StringIO())
    first = install_redacting_filter(handler, redactor)
    second = install_redacting_filter(handler, redactor)
    assert first is second
    assert handler.filters == [first]
