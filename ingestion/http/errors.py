"""Exception hierarchy shared by every platform connector.

Connectors translate platform answers into these classes so that the retry
policy, the orchestrator and the run log can react uniformly (retry, wait for
quota reset, ask an operator to refresh a token) without knowing which API
produced the failure. Messages are expected to be redacted *before* they are
put into an exception: exceptions end up in logs, Dagster events and the
warehouse, none of which may contain credentials.
"""

from __future__ import annotations

from datetime import datetime


class ApiError(Exception):
    """Base class: a failed call to a platform API.

    `retryable` tells the retry policy whether trying again can help at all;
    `retry_at` (UTC) says when it makes sense to try again, if the server told us.
    """

    default_retryable = False

    def __init__(
        self,
        platform: str,
        message: str,
        *,
        status: int | None = None,
        code: str | int | None = None,
        retry_at: datetime | None = None,
        retryable: bool | None = None,
    ) -> None:
        self.platform = platform
        self.message = message
        self.status = status
        self.code = None if code is None else str(code)
        self.retry_at = retry_at
        self.retryable = self.default_retryable if retryable is None else retryable
        super().__init__(str(self))

    def _details(self) -> list[str]:
        """Parenthesised details; subclasses extend this list."""
        details = []
        if self.status is not None:
            details.append(f"HTTP {self.status}")
        if self.code is not None:
            details.append(f"code {self.code}")
        return details

    def __str__(self) -> str:
        text = f"{self.platform}: {self.message}"
        details = self._details()
        if details:
            text += f" ({', '.join(details)})"
        if self.retry_at is not None:
            text += f"; retry after {self.retry_at.isoformat()}"
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class TransientError(ApiError):
    """5xx answers and transport failures (timeouts, resets): retry with backoff."""

    default_retryable = True


class RateLimitedError(ApiError):
    """Short-term throttling (429 and platform equivalents): retry after a delay."""

    default_retryable = True


class QuotaExhaustedError(ApiError):
    """A daily/monthly quota or usage cap is spent: retrying now cannot help.

    `retry_at` carries the reset time so the orchestrator can reschedule.
    """

    default_retryable = False


class AuthError(ApiError):
    """Expired, revoked or invalid credentials: an operator (or a refresh) must act.

    The message names the account and the setting to fix, because the person
    reading the alert usually does not know which of many tokens broke.
    """

    default_retryable = False

    def __init__(
        self,
        platform: str,
        message: str,
        *,
        account: str | None = None,
        setting: str | None = None,
        **kwargs,
    ) -> None:
        self.account = account
        self.setting = setting
        super().__init__(platform, message, **kwargs)

    def __str__(self) -> str:
        text = super().__str__()
        hints = []
        if self.account:
            hints.append(f"account {self.account}")
        if self.setting:
            hints.append(f"check setting {self.setting}")
        if hints:
            text += " [" + "; ".join(hints) + "]"
        return text


class InvalidRequestError(ApiError):
    """The request itself is wrong (bad parameter, unknown or retired metric)."""

    default_retryable = False

    def __init__(self, platform: str, message: str, *, invalid_metric: str | None = None, **kwargs) -> None:
        self.invalid_metric = invalid_metric
        super().__init__(platform, message, **kwargs)

    def _details(self) -> list[str]:
        details = super()._details()
        if self.invalid_metric:
            details.append(f"invalid metric {self.invalid_metric}")
        return details


class NotFoundError(ApiError):
    """The object does not exist (deleted post, wrong id): skip, do not retry."""

    default_retryable = False


class VersionSunsetError(ApiError):
    """The pinned API version is no longer served (LinkedIn answers HTTP 426)."""

    default_retryable = False


class PaginationError(ApiError):
    """Pagination went wrong: a cursor repeated (server loop) or too many pages."""

    default_retryable = False
