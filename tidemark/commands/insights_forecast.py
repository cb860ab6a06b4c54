"""`tidemark insights backtest` and `tidemark insights forecast` (to be written)."""


def add_parsers(commands) -> None:
    pass
