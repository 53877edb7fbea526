"""``crisiscell ui``: start the Streamlit operator console on the configured pack and store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from agent.settings import PROJECT_ROOT

APP = PROJECT_ROOT / "ui" / "app.py"
THEME = {"theme.primaryColor": "#1d4ed8", "client.toolbarMode": "minimal"}
"""The options of ``.streamlit/config.toml``, for when the console starts from elsewhere."""


def streamlit_command(app: Path, port: int, address: str, headless: bool) -> list[str]:
    """The ``streamlit run`` command line for the console."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true" if headless else "false",
        "--browser.gatherUsageStats",
        "false",
        *[f"--{key}={value}" for key, value in THEME.items()],
    ]


def ui(
    port: Annotated[int, typer.Option(help="Port to serve the console on.")] = 8501,
    address: Annotated[
        str, typer.Option(help="Address to bind (0.0.0.0 to share on the network).")
    ] = "127.0.0.1",
    headless: Annotated[
        bool, typer.Option("--headless/--browser", help="Do not open a browser window.")
    ] = False,
) -> None:
    """Start the operator console (Streamlit) in the browser."""
    if not APP.is_file():
        typer.echo(f"error: the console is not installed here ({APP} is missing)", err=True)
        raise typer.Exit(1)
    typer.echo(f"crisiscell console on http://{address}:{port}  (Ctrl+C to stop)", err=True)
    command = streamlit_command(APP, port, address, headless)
    if os.name == "posix":
        sys.stdout.flush()
        os.execv(command[0], command)  # Streamlit replaces this process: signals reach it
    try:
        code = subprocess.call(command)
    except KeyboardInterrupt:
        code = 0
    raise typer.Exit(code)
