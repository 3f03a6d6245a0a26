"""Where a template or page error happened: `located` turns an exception raised while rendering into
a Problem naming the template or page file and line (a bug of the generator itself is re-raised)."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import markupsafe
from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

from patientsite.errors import Problems
from patientsite.model.site import Page

_TEMPLATE_LIBRARIES = tuple(os.path.dirname(module.__file__) + os.sep for module in (jinja2, markupsafe))


def _is_template(filename: str) -> bool:
    return filename.endswith((".html", ".xml"))


def _raised_by_template(tb) -> bool:
    """Whether the innermost frame is a template's own code or Jinja's (an operator, a call, a filter):
    the template did something wrong. Deeper in the generator's own code it is the generator's bug."""
    last = None
    while tb is not None:
        last, tb = tb.tb_frame.f_code.co_filename, tb.tb_next
    return last is not None and (_is_template(last) or last.startswith(_TEMPLATE_LIBRARIES))


class located:
    """Turn a template or page error into a Problem naming the file and line."""

    def __init__(self, problems: Problems, page: Page | None, templates_dir: Path):
        self.problems, self.page, self.templates_dir = problems, page, templates_dir

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None or not isinstance(exc, Exception):
            return False
        path, line = self._where(exc, tb)
        if isinstance(exc, TemplateNotFound):
            name = exc.name if isinstance(exc.name, str) else str(exc)
            if line is None:    # loaded by the build itself: one message for the file, not one per page
                self.problems.error(f"templates/{name}", None, "this template is missing; the build renders with it",
                                    f"Restore templates/{name} (e.g. from version control).")
            else:
                self.problems.error(path, line, f'the template "{name}" used on this line is missing',
                                    f"Create templates/{name}, or correct the name on this line.")
            return True
        if line is None and not isinstance(exc, TemplateError):
            return False  # raised by the generator's own code, not by a template: a bug to report as such
        if not isinstance(exc, TemplateError) and not _raised_by_template(tb):
            return False  # the generator's own code failed while a template called it: a bug
        message = exc.message if isinstance(exc, TemplateError) and exc.message else str(exc)
        hint = ("Check the template tags and names on this line; unknown names are errors, never blanks."
                if path.startswith("templates/") else "Check the fact functions and braces on this line.")
        self.problems.error(path, line, f"{type(exc).__name__}: {message}", hint)
        return True

    def _where(self, exc, tb) -> tuple[str, int | None]:
        if isinstance(exc, TemplateSyntaxError) and exc.filename:
            return self._rel(exc.filename), exc.lineno
        found: tuple[str, int | None] = (self.page.src_path if self.page else "templates", None)
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if _is_template(filename):
                found = (self._rel(filename), tb.tb_lineno)
            tb = tb.tb_next
        return found

    def _rel(self, filename: str) -> str:
        try:
            return "templates/" + Path(filename).resolve().relative_to(self.templates_dir.resolve()).as_posix()
        except ValueError:
            return filename


