"""Form pages as Starlette endpoints: the one way a page shows a form, takes it, and shows its errors."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from starlette.datastructures import FormData
from starlette.endpoints import HTTPEndpoint
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult.errors import Conflict, DomainError, ValidationError
from consult.i18n import gettext
from consult.web.csrf import FORM_EXPIRED, FormExpired, read_form
from consult.web.forms import field_errors, form_text, form_values
from consult.web.responses import redirect
from consult.web.templating import is_htmx, render


class FormPage(HTTPEndpoint):
    """GET shows the page. POST checks who may (`load`), reads the form, and hands it to `submit`, which
    parses it, makes one service call and redirects. A ValidationError or Conflict from it shows the same
    page again at the error's status, with the messages by field, their summary and what was typed: no
    form anywhere shows its errors another way. PermissionDenied and 404 pass through to the error page.

    `load` returns what both need (the user, the object named in the URL); `context` builds the page
    from it with one query call.
    """

    template: ClassVar[str]
    # For an htmx request, only this part of the page is rendered.
    fragment: ClassVar[str | None] = None
    files: bool = False  # set in `load` when only some of the posts carry files
    # Public forms: an expired or missing token shows the form again with what was typed (a citizen's
    # comment must not be lost to a stale tab). Staff forms answer 403, as any forged request.
    keep_on_expiry: ClassVar[bool] = False
    # The domain errors shown on the form; any other (PermissionDenied) goes to the error page.
    shown_errors: ClassVar[tuple[type[DomainError], ...]] = (ValidationError, Conflict)

    async def load(self, request: Request) -> Any:
        return None

    async def context(self, request: Request, target: Any) -> dict[str, Any]:
        return {}

    async def submit(self, request: Request, target: Any, form: FormData) -> Response:
        raise NotImplementedError

    async def get(self, request: Request) -> Response:
        return await self.show(request, await self.load(request))

    def error_context(self, error: DomainError) -> dict[str, Any]:
        """What else the page shows with this error (an earlier application's receipt, say)."""
        return {}

    async def post(self, request: Request) -> Response:
        target = await self.load(request)
        try:
            form = await read_form(request, files=self.files)
        except FormExpired as expired:
            if not self.keep_on_expiry:
                raise
            return await self.show(request, target, {"__all__": gettext(FORM_EXPIRED)}, form_values(expired.form), 422)
        try:
            return await self.submit(request, target, form)
        except self.shown_errors as exc:
            return await self.refused(request, target, form, exc)
        finally:
            if self.files:
                await form.close()

    async def refused(self, request: Request, target: Any, form: FormData, error: DomainError) -> Response:
        extra = self.error_context(error)
        response = await self.show(request, target, field_errors(error), form_values(form), error.status_code, extra)
        if retry_after := getattr(error, "retry_after", None):
            response.headers["Retry-After"] = str(retry_after)
        return response

    async def show(
        self,
        request: Request,
        target: Any,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        status: int = 200,
        extra: dict[str, Any] | None = None,
    ) -> Response:
        context = {
            **await self.context(request, target),
            "errors": errors or {},
            "values": values or {},
            **(extra or {}),
        }
        return await render(request, self.template, context, fragment=self.fragment, status_code=status)


def back_to(form: FormData, default: str) -> str:
    """The list a row form came from (its `back` field), only ever a staff page of this site."""
    back = form_text(form, "back")
    return back if back.startswith("/manage/") else default


# A row's anchor on a list page: "mod-12", "ans-3", "grev-7".
PLACE = re.compile(r"[a-z]{1,10}-[0-9]{1,10}")


def at_place(url: str, form: FormData) -> str:
    """The list again, scrolled to the row the form names (the next one to work on), so a reviewer
    going down a long list without JavaScript keeps their place. Anything else is ignored."""
    place = str(form.get("place") or "")
    return f"{url.split('#', 1)[0]}#{place}" if PLACE.fullmatch(place) else url


class RowForm(HTTPEndpoint):
    """A form on one row of a list (moderate a comment, answer it, review an answer): one service call.
    With htmx the row comes back in place, with its message when refused. Without JavaScript success
    returns to the list, and a refusal shows that row alone on a page, with its form, its message and
    what was typed: the same way every form shows its errors, at the error's status."""

    row_template: ClassVar[str]
    # The row-alone page's heading and its link back (msgids).
    title: ClassVar[str]

    async def load(self, request: Request) -> Any:
        return None

    async def submit(self, request: Request, target: Any, form: FormData) -> None:
        raise NotImplementedError

    async def row_context(self, request: Request, target: Any) -> dict[str, Any]:
        return {}

    def back(self, target: Any, form: FormData) -> str:
        raise NotImplementedError

    async def post(self, request: Request) -> Response:
        target = await self.load(request)
        form = await read_form(request)
        error, status = "", 200
        try:
            await self.submit(request, target, form)
        except (ValidationError, Conflict) as exc:
            error, status = next(iter(field_errors(exc).values())), exc.status_code
        if not error and not is_htmx(request):
            return redirect(at_place(self.back(target, form), form))
        context = {**await self.row_context(request, target), "row_error": error, "submitted": form_values(form)}
        # A row swapped in takes the keyboard focus its pressed button had (the button may be gone).
        context["swapped"] = is_htmx(request)
        if is_htmx(request):
            return await render(request, self.row_template, context, status_code=status)
        page = {"row_template": self.row_template, "title": gettext(self.title), "back": self.back(target, form)}
        return await render(request, "manage/row_error.html", {**context, **page}, status_code=status)


Action = Callable[[Request, Any, FormData], Awaitable[Any]]


class ActionPage(FormPage):
    """A staff page whose forms each post to `<page>/<action>`: one small function per action, named in
    `actions`, each taking (request, what `load` returned, form). An action returns a Response, or
    nothing and the page's `done` URL follows. An unknown action is 404."""

    actions: ClassVar[dict[str, Action]]

    async def submit(self, request: Request, target: Any, form: FormData) -> Response:
        action = self.actions.get(request.url.path.rsplit("/", 1)[-1])
        if action is None:
            raise HTTPException(404)
        result = await action(request, target, form)
        return result if isinstance(result, Response) else redirect(self.done(target, result))

    def done(self, target: Any, result: Any) -> str:
        raise NotImplementedError

    @classmethod
    def routes(cls, path: str) -> list[Route]:
        """GET `path` shows the page; POST `path/<action>` runs that action. One route per action, never
        a `{action}` placeholder, which would also catch the other pages under `path`."""
        return [Route(path, cls, methods=["GET"]), *(Route(f"{path}/{a}", cls, methods=["POST"]) for a in cls.actions)]
