"""The confirmation step every console change goes through: GET shows the form, a POST with
``step=review`` shows what will happen (nothing changes yet), a POST with ``step=confirm`` does it.

The page template renders the steps with the ``confirmation`` macro of ``console/confirmation.html``; the
view gives :func:`two_step` how to read and check the posted form (it raises InvalidInput, shown as a
refusal page, before anything is done) and how to perform the change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import render_template, request
from werkzeug.wrappers import Response

_Form = TypeVar("_Form")


def two_step(
    template: str,
    read_form: Callable[[], _Form],
    perform: Callable[[_Form], Response],
    **context: Any,
) -> Response | str:
    """The form (GET), the review of the posted form, or ``perform(form)`` once confirmed."""
    if request.method == "GET":
        return render_template(template, step="form", form=None, **context)
    form = read_form()
    if request.form.get("step") != "confirm":
        return render_template(template, step="review", form=form, **context)
    return perform(form)
