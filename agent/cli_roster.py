"""``crisiscell roster``: add or update the operators who may sign in to the console."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from agent.auth.errors import AuthError, RosterError
from agent.auth.passwords import hash_password
from agent.auth.roster import ROLES, Operator, Roster, load_roster, roster_path, save_roster
from agent.errors import CrisisCellError
from agent.settings import Settings

app = typer.Typer(no_args_is_help=True, add_completion=False)


def _fail(error: CrisisCellError) -> typer.Exit:
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(error.exit_code)


def _password(from_stdin: bool, keep: str | None) -> str | None:
    """The new password's hash: from stdin, a hidden prompt, or the one already stored."""
    if from_stdin:
        return hash_password(sys.stdin.readline().rstrip("\r\n"))
    if keep is not None and not typer.confirm("Change the password?", default=False):
        return keep
    typed = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return hash_password(typed)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Sign-in name (recorded as the author).")],
    role: Annotated[str, typer.Option(help=f"One of {', '.join(ROLES)}.")] = "observer",
    clearance: Annotated[str, typer.Option(help="e.g. internal, restricted:ops.")] = "internal",
    email: Annotated[str | None, typer.Option(help="Identity-provider email (OIDC).")] = None,
    subject: Annotated[str | None, typer.Option(help="Identity-provider subject (OIDC).")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin's first line.")
    ] = False,
    no_password: Annotated[
        bool, typer.Option("--no-password", help="Provider sign-in only: no local password.")
    ] = False,
) -> None:
    """Add an operator to the roster, or update one; the password is stored as an argon2 hash."""
    path = roster_path(Settings().home)
    try:
        roster = load_roster(path) or Roster()
        old = roster.find(name)
        keep = old.password_hash if old else None
        hashed = None if no_password else _password(password_stdin, keep)
        entry = Operator.model_validate(
            {
                "name": name,
                "role": role,
                "clearance": clearance,
                "password_hash": hashed,
                "email": email,
                "subject": subject,
            }
        )
        save_roster(roster.upsert(entry), path)
    except (AuthError, RosterError) as exc:
        raise _fail(exc) from None
    except ValueError as exc:  # pydantic's ValidationError: a bad name, role or clearance
        raise _fail(RosterError(f"{path}: {name}: {_first(exc)}")) from None
    typer.echo(
        f"{'updated' if old else 'added'} {entry.name} ({entry.role}, {entry.clearance}) in {path}"
    )


@app.command("list")
def list_operators() -> None:
    """Who may sign in: name, role, clearance, how (password, provider); never the hashes."""
    path = roster_path(Settings().home)
    try:
        roster = load_roster(path)
    except RosterError as exc:
        raise _fail(exc) from None
    if roster is None:
        typer.echo(f"no roster at {path}: the console runs in single-user local mode")
        return
    for o in roster.operators:
        how = (
            ", ".join(
                k
                for k, v in (("password", o.password_hash), ("provider", o.email or o.subject))
                if v
            )
            or "cannot sign in"
        )
        typer.echo(f"{o.name}\t{o.role}\t{o.clearance}\t{how}")


@app.command("unlock")
def unlock_operator(
    name: Annotated[str, typer.Argument(help="Sign-in name locked out by failed sign-ins.")],
) -> None:
    """Lift a sign-in lock (5 failures in 15 minutes lock a name); audited with who did it."""
    import getpass

    from agent.auth.gate import unlock

    home = Settings().home
    unlock(home, name, by=getpass.getuser())
    typer.echo(f"unlocked {name}: its failed sign-ins no longer count (audited in {home})")


def _first(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(exc)
