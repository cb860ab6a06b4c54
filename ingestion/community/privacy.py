"""Privacy at load: no IP address and no raw user-agent string is ever stored.

IP addresses become an HMAC-SHA256 (`hash`, keyed, so a dictionary of all IPv4 addresses does not
reverse it) or their network (`truncate`: IPv4 /24, IPv6 /48, written as CIDR). User agents become
{device_class: mobile|tablet|desktop|bot|unknown, browser_family: Chrome|Firefox|Safari|Edge|Opera|Other}.
Applied to `context.ip` / `context.user_agent` and to properties' `ip_address`/`ip`/`user_agent`
(error_log). Rejected lines go through `scrub` (any JSON) or `scrub_text` (a line that is not JSON).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from functools import lru_cache
from typing import Any

from core.settings import Settings

IP_KEYS = frozenset({"ip", "ip_address", "client_ip", "remote_addr"})
UA_KEYS = frozenset({"user_agent", "useragent", "ua"})
_ALL_KEYS = IP_KEYS | UA_KEYS
_OTHER_KEYS = _ALL_KEYS - {"ip", "user_agent"}

_BOT = re.compile(r"bot\b|bot/|crawl|spider|slurp|curl/|wget/|python-requests|python-urllib|httpclient|"
                  r"headless|go-http-client|okhttp|java/|libwww|facebookexternalhit|monitor", re.I)
_TABLET = re.compile(r"ipad|tablet|kindle|silk/|playbook|(android(?!.*mobile))", re.I)
_MOBILE = re.compile(r"mobi|iphone|ipod|windows phone|blackberry|opera mini|android.*mobile", re.I)
_DESKTOP = re.compile(r"windows nt|macintosh|mac os x|x11|linux|cros", re.I)
_BROWSERS = (
    ("Edge", re.compile(r"\bedg(e|a|ios)?/", re.I)),
    ("Opera", re.compile(r"\bopr/|opera", re.I)),
    ("Firefox", re.compile(r"firefox/|fxios/", re.I)),
    ("Chrome", re.compile(r"chrome/|crios/|chromium/", re.I)),
    ("Safari", re.compile(r"safari/|applewebkit/.*mobile/", re.I)),
)
_IPV4_TEXT = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6_TEXT = re.compile(r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f.]{0,15}(?![0-9A-Fa-f:])")
_UA_FIELD_TEXT = re.compile(r'("(?:user_agent|useragent|ua)"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|$)', re.I)


def _ipv4_octets(text: str) -> list[str] | None:
    """The four octets of a canonical dotted-quad IPv4 address (no leading zeros), else None."""
    parts = text.split(".")
    if len(parts) != 4:
        return None
    for part in parts:
        if not (part.isdigit() and part.isascii() and len(part) <= 3) or (part[0] == "0" and len(part) > 1) \
                or int(part) > 255:
            return None
    return parts


def reduce_user_agent(value: Any) -> dict[str, str]:
    if not isinstance(value, str) or not value.strip():
        return {"device_class": "unknown", "browser_family": "Other"}
    return _reduce_ua(value)


@lru_cache(maxsize=8192)
def _reduce_ua(ua: str) -> dict[str, str]:
    if _BOT.search(ua):
        device = "bot"
    elif _TABLET.search(ua):
        device = "tablet"
    elif _MOBILE.search(ua):
        device = "mobile"
    elif _DESKTOP.search(ua):
        device = "desktop"
    else:
        device = "unknown"
    family = next((name for name, pattern in _BROWSERS if pattern.search(ua)), "Other")
    return {"device_class": device, "browser_family": family}


class Privacy:
    """The reductions of one run (mode + key fixed at construction)."""

    def __init__(self, mode: str, key: bytes | None = None):
        if mode not in ("hash", "truncate"):
            raise ValueError(f"unknown IP mode {mode!r}")
        if mode == "hash" and not key:
            raise ValueError("IP hashing needs a key")
        self.mode = mode
        self._hmac = hmac.new(key, digestmod=hashlib.sha256) if key else None
        self.ip = lru_cache(maxsize=65536)(self._ip)

    @classmethod
    def from_settings(cls, settings: Settings) -> Privacy:
        """Raises ConfigError when hashing is asked for and no key is set."""
        return cls(settings.ip_mode, settings.ip_hash_secret() if settings.ip_mode == "hash" else None)

    def _ip(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        text = str(value).strip()
        octets = _ipv4_octets(text)
        if self.mode == "hash":
            if octets is None:  # IPv6 or not an address: hash the canonical form (or the text as given)
                try:
                    text = ipaddress.ip_address(text).compressed
                except ValueError:
                    pass
            digest = self._hmac.copy()
            digest.update(text.encode())
            return digest.hexdigest()
        if octets is not None:
            return f"{octets[0]}.{octets[1]}.{octets[2]}.0/24"
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            return None  # not an address: nothing to truncate, and nothing stored in clear
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        prefix = 24 if address.version == 4 else 48
        return ipaddress.ip_network(f"{address}/{prefix}", strict=False).compressed

    def context(self, context: Any) -> Any:
        """The event's context with ip and user_agent reduced (other keys untouched)."""
        if type(context) is not dict:
            return self.scrub(context)
        out = dict(context)
        ip = context.get("ip")
        if ip is not None:
            out["ip"] = self.ip(ip) if isinstance(ip, str) else self.scrub(ip)
        if "user_agent" in context:
            ua = context["user_agent"]
            out["user_agent"] = _reduce_ua(ua) if type(ua) is str and ua else reduce_user_agent(ua)
        if not _OTHER_KEYS.isdisjoint(context):  # rare: ip_address, ua, ... beside the contract's keys
            self._reduce(out, context, _OTHER_KEYS)
        return out

    def fields(self, obj: dict) -> dict:
        """Top-level IP and user-agent keys of a mapping reduced (error_log properties, traits)."""
        if _ALL_KEYS.isdisjoint(obj):
            return obj
        out = dict(obj)
        self._reduce(out, obj, _ALL_KEYS)
        return out

    def _reduce(self, out: dict, obj: dict, keys: frozenset[str]) -> None:
        for key in keys.intersection(obj):
            value = obj[key]
            if key in UA_KEYS:
                out[key] = reduce_user_agent(value)
            else:
                out[key] = self.scrub(value) if isinstance(value, dict | list) else self.ip(value)

    def scrub(self, value: Any) -> Any:
        """Any JSON value with IP/UA keys reduced and IP-looking strings replaced, at any depth."""
        if isinstance(value, dict):
            return {key: (reduce_user_agent(item) if key in UA_KEYS else
                          self.ip(item) if key in IP_KEYS and not isinstance(item, dict | list) else
                          self.scrub(item))
                    for key, item in value.items()}
        if isinstance(value, list):
            return [self.scrub(item) for item in value]
        if isinstance(value, str):
            return self.scrub_text(value)
        return value

    def scrub_text(self, text: str) -> str:
        """Free text (a line that is not JSON): user-agent fields and IP-looking tokens replaced."""
        text = _UA_FIELD_TEXT.sub(lambda m: f'{m.group(1)}"<user agent removed>"', text)
        text = _IPV4_TEXT.sub(self._text_ip, text)
        return _IPV6_TEXT.sub(self._text_ip, text)

    def _text_ip(self, match: re.Match) -> str:
        try:
            ipaddress.ip_address(match.group(0))
        except ValueError:
            return match.group(0)
        return self.ip(match.group(0)) or "<ip removed>"
