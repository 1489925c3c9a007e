"""The reference for bench/hot.py: a bare Starlette + Jinja page of 20 comments, no database, no middleware.

What one uvicorn worker can serve when a page costs nothing but routing and a small template: the
ceiling the consultation page is compared with, measured in the same run on the same machine.

    uvicorn bench.bare_app:app --port 8001
"""

from __future__ import annotations

import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

TEMPLATE = jinja2.Environment(autoescape=True).from_string(
    """<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<ol class="comments">
{% for c in comments %}<li id="c-{{ c.id }}"><p class="meta">{{ c.name }} · {{ c.date }} · {{ c.article }}</p>
<p>{{ c.body }}</p></li>
{% endfor %}</ol></main></body></html>"""
)
COMMENTS = [
    {
        "id": i,
        "name": "张*",
        "date": "2026年12月1日",
        "article": f"第{i + 1}条",
        "body": f"关于停车收费的第{i}条意见：建议免费时长方面进一步明确标准，方便群众。",
    }
    for i in range(20)
]


async def page(request: Request) -> HTMLResponse:
    return HTMLResponse(TEMPLATE.render(title="县城区停车管理办法（征求意见稿）", comments=COMMENTS))


app = Starlette(routes=[Route("/", page)])
