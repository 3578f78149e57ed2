"""Start coopbot's web server (API at /api, chat UI at /) on 127.0.0.1:7860.

Run `python app.py` (or `coopbot serve`); the index is built on first start.
"""

from coopbot.cli import serve

if __name__ == "__main__":
    serve()
