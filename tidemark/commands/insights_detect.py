"""`tidemark insights detect` (to be written)."""


def add_parser(commands) -> None:
    pass
