"""`ghatna serve`: the dashboard at `/` and the JSON API under `/api/` over one store.

Everything the page loads (scripts, styles, the world map, the Devanagari font, the API docs'
Swagger UI) is served from `static/` inside the package: nothing is fetched from outside at run
time. `scripts/vendor_web.py` refreshes the vendored files from pinned npm packages.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..store import is_server_url
from .api import router
from .readers import Readers

STATIC = Path(__file__).resolve().parent / "static"


def create_app(store_location: str) -> FastAPI:
    """The dashboard and API over the store at `store_location` (a SQLite path or a PostgreSQL
    URL), read-only; the store connections it keeps are closed when the app shuts down."""
    if not is_server_url(store_location) and not Path(store_location).exists():
        raise FileNotFoundError(f"no store at {store_location}")
    readers = Readers(store_location)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            readers.close()

    app = FastAPI(title="ghatna", version=__version__,
                  description="Hindi-first, source-linked event timelines: the dashboard's JSON API.",
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json", lifespan=lifespan)
    app.state.readers = readers
    app.include_router(router(readers))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        vendor = "/static/vendor/swagger-ui"
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json", title="ghatna API",
            swagger_js_url=f"{vendor}/swagger-ui-bundle.js",
            swagger_css_url=f"{vendor}/swagger-ui.css",
            swagger_favicon_url=f"{vendor}/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None})

    return app


def serve(store_location: str, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the dashboard over the store until interrupted (what `ghatna serve` runs)."""
    import uvicorn

    uvicorn.run(create_app(store_location), host=host, port=port, log_level="warning")
