"""The trivial-echo ceiling for bench/bench_api.py: a Flask app whose one route returns the posted JSON.

``python -m bench.echo_app --port P --workers 2 --threads 1 [--no-access-log]`` serves it on gunicorn with
exactly the settings ``kzpki serve`` uses (:func:`api.commands.serve.gunicorn_options`: gthread worker,
keep-alive, timeouts, and the same JSON access line per request through the same logging configuration),
so the ratio of a login to it is what our own code costs on top of the framework as deployed. What kzpki
adds per request and the echo app does not: the request id (read or made, echoed), the security headers,
``Cache-Control: no-store``, pydantic request models, and on a login the Prometheus counter and histogram.
"""

from __future__ import annotations

import argparse

from flask import Flask, Response, jsonify, request

app = Flask(__name__)


@app.post("/echo")
def echo() -> Response:
    """The request's JSON body, as JSON (parsed and serialised, as every API call is)."""
    return jsonify(request.get_json(force=True))


def main(argv: list[str] | None = None) -> None:
    """Serve :data:`app` on 127.0.0.1 with ``kzpki serve``'s gunicorn settings (JSON logs on stderr)."""
    from api.commands.serve import GunicornServer, gunicorn_options

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--no-access-log", action="store_true", help="as kzpki serve --no-access-log")
    args = parser.parse_args(argv)
    options = gunicorn_options(
        "127.0.0.1", args.port, args.workers, args.threads, "json", access_log=not args.no_access_log
    )
    GunicornServer(options, lambda: app).run()


if __name__ == "__main__":
    main()
