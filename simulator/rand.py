"""Counter-based (stateless) random numbers for the synthetic world.

Why not `numpy.random.Generator`? A stateful generator makes a value depend on
how many values were drawn before it, so generating a post's series up to a
later clock would change values that were already served. Here every number
is a pure function of its coordinates (stream, account, post, day), hashed with
the splitmix64 finaliser on uint64 arrays: extending the horizon, generating
accounts in another order or regenerating after a clock move always yields the
same value for the same coordinates, and it stays fully vectorised.
"""

from __future__ import annotations

import hashlib

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_C1 = np.uint64(0xBF58476D1CE4E5B9)
_C2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(n) for n in (30, 27, 31, 11))
_INV53 = 1.0 / float(1 << 53)


def stable_key(*parts: object) -> int:
    """A 64-bit key from arbitrary parts (seed, platform, account id).

    Python's `hash()` is salted per process, so blake2b is used instead.
    """
    text = "\x1f".join(str(p) for p in parts).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little")


def mix(x: np.ndarray | int) -> np.ndarray:
    """splitmix64 finaliser applied element-wise (wrapping uint64 arithmetic)."""
    x = np.asarray(x, dtype=np.uint64)
    with np.errstate(over="ignore"):
        x = x + _GOLDEN
        x = (x ^ (x >> _S30)) * _C1
        x = (x ^ (x >> _S27)) * _C2
        return x ^ (x >> _S31)


def hash_parts(stream: int, *parts: np.ndarray | int) -> np.ndarray:
    """Hash broadcastable uint64 coordinate arrays into one uint64 array."""
    h = mix(np.uint64(stream))
    for part in parts:
        h = mix(h ^ np.asarray(part, dtype=np.uint64))
    return h


def uniform(stream: int, *parts: np.ndarray | int) -> np.ndarray:
    """Uniform floats in [0, 1), one per broadcast coordinate."""
    return (hash_parts(stream, *parts) >> _S11).astype(np.float64) * _INV53


def normal(stream: int, *parts: np.ndarray | int) -> np.ndarray:
    """Standard normal floats (Box-Muller over two independent uniform streams)."""
    u1 = uniform(stream, *parts)
    u2 = uniform(stream + 0x5BD1E995, *parts)
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)


def between(lo: float, hi: float, stream: int, *parts: np.ndarray | int) -> np.ndarray:
    """Uniform floats in [lo, hi)."""
    return lo + (hi - lo) * uniform(stream, *parts)


def dither_round(x: np.ndarray, stream: int, *parts: np.ndarray | int) -> np.ndarray:
    """Round non-negative floats to integers without bias (floor(x + u)).

    Plain rounding would turn every expected 0.3 likes/day into 0 forever;
    dithering keeps small accounts' sums statistically right and deterministic.
    """
    out = np.floor(np.maximum(x, 0.0) + uniform(stream, *parts))
    return out.astype(np.int64)
