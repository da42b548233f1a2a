"""The `mljournal` command line: a thin layer over the core, one core call per command.

`main` is the click group (`cli/group.py`); each area's commands live in their own module (`journal`,
`entries`, `search`, `roadmap`, `review`, `stats`, `export`, `sync`, `capture`) and are loaded only when they
run. The console script is `mljournal.cli:run`.
"""

from mljournal.cli.context import AppContext as AppContext
from mljournal.cli.errors import fail as fail
from mljournal.cli.errors import friendly_errors as friendly_errors
from mljournal.cli.group import main as main
from mljournal.cli.group import run as run
