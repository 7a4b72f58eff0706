"""The command line: parse options, call one core function, hand the result to a reporter.

Heavy modules (ruamel.yaml, rich) are imported inside the commands so `--help` stays instant.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from grav_tools import __version__
from grav_tools.report import FORMATS

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    """Split `--select GRV2,GRV301` and repeated options into upper-case codes."""
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="grav-tools")
def main() -> None:
    """Check Grav CMS post folders the way Grav itself reads them.

    \b
    Examples:
      grav-tools validate path/to/site          check a whole Grav site
      grav-tools validate --format json .       machine-readable report
      grav-tools rules GRV301                   explain one rule
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True,
              help="Report format: text for people; json, github (Actions annotations), sarif "
                   "(code scanning) or junit (test dashboards) for CI.")
@click.option("--output", "-o", "output_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, metavar="FILE",
              help="Write the report to FILE (replaced atomically); the terminal gets a one-line summary.")
@click.option("--select", multiple=True, metavar="CODES", help="Only these rule codes or prefixes (GRV3,GRV401).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rule codes or prefixes.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip files whose path matches this glob.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE", help="Settings file [default: the nearest .grav-tools.toml or pyproject.toml "
              "with [tool.grav-tools], walking up from the first path].")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE", help="Report only problems that are not recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, metavar="FILE", help="Record every current problem in FILE and exit 0.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for big sites [default: one per CPU].")
@click.option("--no-source", is_flag=True, help="Do not print the offending source lines.")
@click.option("--color/--no-color", default=None, help="Force or disable colour (NO_COLOR is respected).")
def validate(
    paths: tuple[str, ...], output_format: str, output_file: Path | None, select: tuple[str, ...],
    ignore: tuple[str, ...], exclude: tuple[str, ...], strict: bool, config_file: Path | None,
    baseline_file: Path | None, write_baseline_file: Path | None, jobs: int | None, no_source: bool,
    color: bool | None,
) -> None:
    """Find problems in Grav pages: frontmatter, dates, shortcodes, files.

    PATHS may be Grav site roots, `user/pages` folders, any folder of post folders, or single
    `.md` files. Exit status: 0 no errors, 1 errors found (or warnings with --strict),
    2 usage error, a path that does not exist or an --output FILE that cannot be written.
    """
    from grav_tools.config import Config, ConfigError, find_config, load_config
    from grav_tools.discover import PathMissing, discover
    from grav_tools.problems import Severity
    from grav_tools.report import render, summary_line
    from grav_tools.rules import all_rules

    try:
        found = config_file or find_config(Path(paths[0]))
        config = load_config(found) if found else Config()
    except ConfigError as error:
        click.echo(f"grav-tools: error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    config = config.with_cli(_codes(select), _codes(ignore), exclude, strict)
    known = {r.code for r in all_rules()}
    for code in config.select + config.ignore + tuple(c for c, _ in config.severity):
        if not any(k.startswith(code) for k in known):
            click.echo(f"grav-tools: error: no rule code starts with '{code}' (see `grav-tools rules`)", err=True)
            sys.exit(EXIT_USAGE)
    try:
        targets = discover(list(paths), config.exclude)
    except PathMissing as missing:
        click.echo(f"grav-tools: error: path does not exist: {missing}", err=True)
        sys.exit(EXIT_USAGE)
    result = _lint_with_progress(targets, config, jobs, show=output_format == "text" and color is not False)
    if write_baseline_file is not None:
        from grav_tools.baseline import write_baseline

        count = write_baseline(result, write_baseline_file)
        click.echo(f"Recorded {count} problem(s) in {write_baseline_file}; later runs with --baseline "
                   "report only new ones.")
        sys.exit(EXIT_OK)
    if baseline_file is not None:
        from grav_tools.baseline import BaselineError, only_new

        try:
            result = only_new(result, baseline_file)
        except BaselineError as error:
            click.echo(f"grav-tools: error: {error}", err=True)
            sys.exit(EXIT_USAGE)
    opts = {"color": color, "show_source": not no_source} if output_format == "text" else {}
    if output_file is None:
        render(output_format, result, sys.stdout, **opts)
    else:
        import io

        from grav_tools.source import atomic_write

        buffer = io.StringIO()
        render(output_format, result, buffer, **opts)
        try:
            atomic_write(output_file, buffer.getvalue().encode("utf-8", "backslashreplace"))
        except OSError as exc:
            click.echo(f"grav-tools: error: cannot write {output_file}: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_USAGE)
        click.echo(f"{summary_line(result)} Report written to {output_file}.")
    failing = {Severity.ERROR, Severity.WARNING} if config.strict else {Severity.ERROR}
    sys.exit(EXIT_PROBLEMS if any(p.severity in failing for p in result.problems) else EXIT_OK)


PROGRESS_THRESHOLD = 300


def _lint_with_progress(targets: list[Any], config: Any, jobs: int | None, show: bool) -> Any:
    """Run the linter, with a progress bar on stderr for big runs when stderr is a terminal."""
    import os

    from grav_tools.lint import lint

    if not show or len(targets) < PROGRESS_THRESHOLD or not sys.stderr.isatty() or os.environ.get("NO_COLOR"):
        return lint(targets, config, jobs)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("checking", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=True, console=_stderr_console()) as bar:
        task = bar.add_task("check", total=len(targets))
        return lint(targets, config, jobs, progress=lambda n: bar.advance(task, n))


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


@main.command()
@click.argument("code", required=False)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def rules(code: str | None, output_format: str) -> None:
    """List every rule, or explain one (`grav-tools rules GRV301`)."""
    import json

    from grav_tools.rules import all_rules

    catalogue = all_rules()
    if code:
        matches = [r for r in catalogue if r.code == code.upper()]
        if not matches:
            click.echo(f"grav-tools: error: unknown rule '{code}' (see `grav-tools rules`)", err=True)
            sys.exit(EXIT_USAGE)
        catalogue = matches
    if output_format == "json":
        click.echo(json.dumps([
            {"code": r.code, "name": r.name, "severity": r.severity.label, "fixable": r.fixable,
             "summary": r.summary, "doc": r.doc} for r in catalogue
        ], indent=2, ensure_ascii=False))
        return
    if code:
        rule = catalogue[0]
        click.echo(f"{rule.code} {rule.name} ({rule.severity.label}{', fixable' if rule.fixable else ''})\n")
        click.echo(rule.doc)
        return
    for rule in catalogue:
        click.echo(f"{rule.code}  {rule.severity.label:<7}  {rule.name:<26}  {rule.summary}")
