"""The `kpi` command: a click group whose subcommands are imported only when they run.

Adding commands: write a module under app/cli/ that defines a click command or group, and add one line
to `COMMANDS` below (`"name": "app.cli.module:attribute"`). The module is imported only when that
command runs (or for `kpi --help`), so `kpi check` stays fast however heavy other commands are (keep
flask/sqlalchemy imports inside your module, never here).

Decorate commands with `help_option` (below) for a Vietnamese `-h/--help`.

Errors never end in a traceback: `CliError` (and click's usage errors) print a Vietnamese message and
exit with its code (1: the data or the ruleset is wrong; 2: usage or I/O). Set KPI_DEBUG=1 to see the
traceback of an unexpected error.
"""

from __future__ import annotations

import importlib
import os
import re
import sys

import click

COMMANDS: dict[str, str] = {
    "check": "app.cli.lang:check",
    "test": "app.cli.lang:test",
    "eval": "app.cli.evaluate:eval_command",
    "fmt": "app.cli.lang:fmt",
    "diff": "app.cli.lang:diff",
    "sample": "app.cli.demo:sample",
    "demo-run": "app.cli.demo:demo_run",
    "db": "app.cli.db:db",
    "rulesets": "app.cli.rulesets:rulesets",
    "user": "app.cli.users:user",
    "import": "app.cli.imports:import_group",
    "token": "app.cli.tokens:token",
    "demo": "app.cli.demo_data:demo",
    "assess": "app.cli.assess:assess",
    "worker": "app.cli.worker:worker",
    "serve": "app.cli.serve:serve",
}


class CliError(click.ClickException):
    """A user-facing failure: `message` (Vietnamese) is printed as is, then exit with `exit_code`."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


_USAGE_PATTERNS = (
    (r"No such option:? '?([^'\s]+)'?\.?", r"không có tùy chọn \1"),
    (r"No such command '(.+?)'\.?", r"không có lệnh '\1'"),
    (r"Missing argument '(.+?)'\.?", r"thiếu đối số \1"),
    (r"Missing option '(.+?)'\.?", r"thiếu tùy chọn \1"),
    (r"Option '(.+?)' requires an argument\.?", r"tùy chọn \1 cần một giá trị"),
    (
        r"Invalid value for '(.+?)': '(.+?)' is not one of (.+)\.",
        r"giá trị '\2' của \1 không hợp lệ; chọn một trong \3",
    ),
    (r"Invalid value for '(.+?)': (.+)", r"giá trị của \1 không hợp lệ: \2"),
    (r"Got unexpected extra arguments? \((.+)\)", r"thừa đối số: \1"),
    (r"Did you mean (.+)\?", r"có phải \1?"),
)


# click writes its help headings through gettext (`_` in each of its modules); these are the words the
# help screens show. click.exceptions is left alone: its messages are translated by _USAGE_PATTERNS.
_CLICK_WORDS = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Arguments": "Đối số",
    "required": "bắt buộc",
    "default": "mặc định",
    "Show this message and exit.": "Hiện hướng dẫn này.",
}


def _click_word(message: str) -> str:
    return _CLICK_WORDS.get(message, message)


for _module in (click.core, click.formatting, click.decorators):
    _module._ = _click_word


def _vietnamese_usage(message: str) -> str:
    out = message
    for pattern, repl in _USAGE_PATTERNS:
        out = re.sub(pattern, repl, out)
    return out


class LazyGroup(click.Group):
    """A group that imports a subcommand's module on first use, and never prints a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is not None or name not in COMMANDS:
            return command
        module_name, attribute = COMMANDS[name].split(":")
        try:
            command = getattr(importlib.import_module(module_name), attribute)
        except (ImportError, AttributeError) as exc:  # one broken module must not break `kpi --help`
            if os.environ.get("KPI_DEBUG"):
                raise
            return _unavailable(name, exc)
        self.add_command(command, name)
        return command

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            code = super().main(args, prog_name or "kpi", complete_var, standalone_mode=False, **extra)
        except CliError as exc:
            exc.show()
            code = exc.exit_code
        except click.UsageError as exc:
            hint = ""
            if exc.ctx is not None:
                hint = f"\nXem: {exc.ctx.command_path} --help"
            click.echo(f"Lỗi cách dùng: {_vietnamese_usage(exc.format_message())}{hint}", err=True)
            code = 2
        except click.ClickException as exc:
            click.echo(f"Lỗi: {_vietnamese_usage(exc.format_message())}", err=True)
            code = exc.exit_code
        except click.exceptions.Abort:
            click.echo("Đã dừng.", err=True)
            code = 1
        except KeyboardInterrupt:
            click.echo("Đã dừng.", err=True)
            code = 130
        except BrokenPipeError:
            code = 1
        except Exception as exc:  # never a traceback for a user
            if os.environ.get("KPI_DEBUG"):
                raise
            click.echo(
                f"Lỗi nội bộ ({type(exc).__name__}): {exc}\nĐặt KPI_DEBUG=1 để xem chi tiết.", err=True
            )
            code = 2
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


def _unavailable(name: str, exc: Exception) -> click.Command:
    def run(**_kwargs) -> None:
        raise CliError(f"lệnh {name} chưa dùng được: {type(exc).__name__}: {exc}", 2)

    return click.Command(
        name, callback=run, help="(chưa dùng được trong bản cài đặt này)",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )  # fmt: skip


help_option = click.help_option("-h", "--help", help="Hiện hướng dẫn này.")


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@help_option
def cli() -> None:
    """KPI Công vụ: kiểm tra, kiểm thử và chạy bộ quy tắc đánh giá cán bộ, công chức."""


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="kpi")


if __name__ == "__main__":
    main()
