"""The Jinja2 environment of the story pages: the report files and the server render the same templates.

Autoescaping is on for every template, so nothing from an article (a title, a text, a url) can become
markup; the templates hold the only markup.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from newsfuse.clean.language import text_direction
from newsfuse.report._common import format_date


@cache
def css() -> str:
    return resources.files("newsfuse.report").joinpath("style.css").read_text(encoding="utf-8")


@cache
def static_file(name: str) -> str:
    return resources.files("newsfuse.report").joinpath("static", name).read_text(encoding="utf-8")


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newsfuse.report", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = format_date
    env.globals["direction"] = text_direction
    return env


def render(template: str, *, served: bool, **values: Any) -> str:
    """A page: `served` pages link the server's stylesheet and script, report files inline the CSS."""
    return environment().get_template(template).render(served=served, css=css(), **values)
