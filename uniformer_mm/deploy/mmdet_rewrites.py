"""Placeholder; filled below."""


def register() -> None:
    pass
