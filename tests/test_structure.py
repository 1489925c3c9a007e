"""The layout's rule that CI can check beside lint-imports: handlers stay thin (parse, one service
call, render). A handler that must be longer says why in a `# long handler:` comment."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "consult"
MAX_LINES = 15


def _handlers() -> list[tuple[str, int]]:
    """(where, length) of every function taking the request, in the page modules: from its first
    statement after the docstring to its end."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name not in ("routes.py", "pages.py", "downloads.py"):
            continue
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            names = [a.arg for a in node.args.args]
            if names[:1] != ["request"] and names[:2] != ["self", "request"]:
                continue
            body = node.body[1:] if ast.get_docstring(node) else node.body
            if not body or "# long handler:" in ast.get_source_segment(source, node):
                continue
            found.append(
                (f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}", node.end_lineno - body[0].lineno + 1)
            )
    return found


def test_the_count_sees_the_handlers() -> None:
    handlers = _handlers()
    assert len(handlers) > 150 and any(where.endswith(" consultation_page") for where, _ in handlers)


def test_no_handler_is_longer_than_fifteen_lines() -> None:
    long = [f"{where}: {n} lines" for where, n in _handlers() if n > MAX_LINES]
    assert not long, "\n".join(long)
