"""Declaration files a user writes (reports.yaml, abtests.yaml, costs.yaml): read as YAML, validated
whole by a pydantic model before any work, every problem named by where it is in the file."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)
# Parts of a pydantic error location that name its own machinery (validators, union members), not the file
_INTERNAL = ("function-", "literal[", "str", "AbsoluteRange")


def where(loc, data, root: str) -> str:
    """`custom[1:my_report].metrics` — keys, and each list index with the entry's name when it has one,
    so the entry is easy to find; `root` when the problem is the file as a whole."""
    out, node = [], data
    for part in loc:
        if isinstance(part, int):
            item = _child(node, part)
            name = item.get("name") if isinstance(item, dict) else None
            label = f"[{part}{':' + str(name) if name else ''}]"
            if out:
                out[-1] += label
            else:
                out.append(label)
            node = item
        else:
            if not str(part).startswith(_INTERNAL):
                out.append(str(part))
            node = _child(node, part)
    return ".".join(out) or root


def parse(path: Path, model: type[Model], error: type[Exception], title: str) -> tuple[Model, object]:
    """(the validated model, the raw data); `error(...)` names the file and every problem's place."""
    data = None
    try:
        data = yaml.safe_load(path.read_text()) or {}
        return model.model_validate(data), data
    except yaml.YAMLError as problem:
        raise error(f"{path} is not valid YAML: {problem}") from None
    except ValidationError as problem:
        lines = [f"  {where(item['loc'], data, path.name)}: {item['msg'].removeprefix('Value error, ')}"
                 for item in problem.errors()]
        raise error(f"{title} {path}:\n" + "\n".join(lines)) from None


def _child(node, part):
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and part < len(node):
        return node[part]
    return None
