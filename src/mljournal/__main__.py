from mljournal.cli import run

run()
