"""``crisiscell ui``: start the Streamlit operator console on the configured pack and store."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Annotated

import typer

from agent.auth.binding import is_loopback
from agent.auth.errors import RosterError
from agent.auth.roster import load_roster, roster_path
from agent.settings import PROJECT_ROOT, Settings

APP = PROJECT_ROOT / "ui" / "app.py"
SERVER = PROJECT_ROOT / "ui" / "server.py"
"""What ``crisiscell ui`` serves: ``APP`` plus its session-cookie routes."""
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


def oidc_configured(folders: list[Path]) -> bool:
    """Whether a ``.streamlit/secrets.toml`` in one of ``folders`` has an ``[auth]`` table."""
    for folder in folders:
        path = folder / ".streamlit" / "secrets.toml"
        try:
            if "auth" in tomllib.loads(path.read_text("utf-8")):
                return True
        except (OSError, tomllib.TOMLDecodeError):
            continue
    return False


def bind_refusal(address: str) -> str | None:
    """Why the console must not bind ``address``: single-user mode beyond loopback."""
    if is_loopback(address):
        return None
    roster = load_roster(roster_path(Settings().home))
    if roster is not None or oidc_configured([Path.cwd(), PROJECT_ROOT, Path.home()]):
        return None
    return (
        f"refusing to serve the console on {address} without sign-in: there is no roster "
        f"({roster_path(Settings().home)}) and no [auth] in .streamlit/secrets.toml; "
        "add operators with `crisiscell roster add`, or bind 127.0.0.1 (see docs/security.md)"
    )


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
    if not (APP.is_file() and SERVER.is_file()):
        typer.echo(f"error: the console is not installed here ({SERVER} is missing)", err=True)
        raise typer.Exit(1)
    try:
        refusal = bind_refusal(address)
    except RosterError as exc:
        refusal = str(exc)
    if refusal:
        typer.echo(f"error: {refusal}", err=True)
        raise typer.Exit(2)
    typer.echo(f"crisiscell console on http://{address}:{port}  (Ctrl+C to stop)", err=True)
    command = streamlit_command(SERVER, port, address, headless)
    if os.name == "posix":
        sys.stdout.flush()
        os.execv(command[0], command)  # Streamlit replaces this process: signals reach it
    try:
        code = subprocess.call(command)
    except KeyboardInterrupt:
        code = 0
    raise typer.Exit(code)
