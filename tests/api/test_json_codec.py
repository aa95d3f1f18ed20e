"""api.json_codec: responses and JSON columns encoded by orjson say what Flask's own provider says."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import json
import uuid

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider

from api.json_codec import FastJSONProvider, dumps_text


class Colour(enum.StrEnum):
    RED = "red"


@dataclasses.dataclass(frozen=True)
class Point:
    x: int
    label: str


VALUES = [
    {"nested": {"list": [1, 2.5, None, True, "ÄӘ қазақ"], "empty": {}}, "n": -(2**63)},
    {"at": dt.datetime(2026, 12, 3, 6, 0, tzinfo=dt.UTC), "day": dt.date(2026, 12, 3)},
    {"point": Point(1, "a"), "id": uuid.UUID(int=7), "amount": decimal.Decimal("1.10")},
    {1: "int key", "colour": Colour.RED, "tuple": (1, 2)},
    "\u2028 line separator and \x00",
]


def _flask_default(app: Flask) -> DefaultJSONProvider:
    provider = DefaultJSONProvider(app)
    provider.ensure_ascii = False
    provider.sort_keys = False
    return provider


@pytest.mark.parametrize("value", VALUES)
def test_a_response_body_is_what_flasks_own_provider_gives(value) -> None:  # type: ignore[no-untyped-def]
    app = Flask("codec")
    ours, flasks = FastJSONProvider(app), _flask_default(app)
    with app.app_context():
        assert json.loads(ours.response(value).get_data()) == json.loads(flasks.response(value).get_data())
        assert ours.response(value).mimetype == "application/json"
    assert json.loads(ours.dumps(value)) == json.loads(flasks.dumps(value))


def test_pretty_printing_and_other_options_stay_with_flasks_encoder() -> None:
    app = Flask("codec")
    assert FastJSONProvider(app).dumps({"a": [1]}, indent=2) == '{\n  "a": [\n    1\n  ]\n}'


def test_what_is_not_json_is_refused_as_the_standard_encoder_refuses_it() -> None:
    app = Flask("codec")
    with pytest.raises(TypeError):
        FastJSONProvider(app).dumps({"x": object()})
    with pytest.raises(TypeError):
        dumps_text({"x": {1, 2}})


def test_a_json_column_value_reads_back_as_the_standard_encoder_writes_it() -> None:
    value = {"checks": [{"id": "signature", "status": "passed"}], 2: None, "text": "Қ"}
    assert json.loads(dumps_text(value)) == json.loads(json.dumps(value))
