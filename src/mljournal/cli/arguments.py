"""How a command reads its words: `WordsCommand`, where a word starting with `-` is a word, not an option."""

from __future__ import annotations

import click


class WordsCommand(click.Command):
    """A command whose last, variadic argument takes words that start with `-` as words, not options.

    `mljournal search -keras` excludes a word and `mljournal tag PATH -scratch` removes a tag; click would read
    them as clusters of short options (`-k -e -r ...`, and the `h` in `-scratch` as `-h`, help). Here only the
    command's own option names are options (`--json`, `--limit 5`, `--limit=5`, `-h`); any other word
    starting with one `-` is an argument, in its place. An unknown `--long` option is still an error, and
    everything after `--` is an argument, as usual.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        options: dict[str, click.Option] = {
            name: param
            for param in self.get_params(ctx)
            if isinstance(param, click.Option)
            for name in (*param.opts, *param.secondary_opts)
        }
        leading: list[str] = []
        words: list[str] = []
        position = 0
        while position < len(args):
            arg = args[position]
            position += 1
            if arg == "--":
                words.extend(args[position:])
                break
            name = arg.split("=", 1)[0] if arg.startswith("--") else arg
            option = options.get(name)
            if option is None and not (arg.startswith("--") and len(arg) > 2):
                words.append(arg)
                continue
            leading.append(arg)
            takes_value = option is not None and not option.is_flag and not option.count
            if takes_value and "=" not in arg:
                if position == len(args):
                    raise click.BadOptionUsage(name, f"Option '{name}' requires an argument.", ctx=ctx)
                leading.append(args[position])
                position += 1
        return super().parse_args(ctx, [*leading, "--", *words])
