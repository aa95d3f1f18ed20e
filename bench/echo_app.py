"""The trivial-echo ceiling for bench/bench_api.py: a Flask app whose one route returns the posted JSON.

Served by gunicorn with the same worker settings as ``kzpki serve`` (:func:`bench.bench_api.echo_server`),
so the ratio of a login to it is what our own code costs on top of the framework.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, request

app = Flask(__name__)


@app.post("/echo")
def echo() -> Response:
    """The request's JSON body, as JSON (parsed and serialised, as every API call is)."""
    return jsonify(request.get_json(force=True))
