"""``python -m agent`` runs the crisiscell CLI."""

from agent.cli import main

main()
