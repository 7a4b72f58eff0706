"""The command line: parse options, call one core function, hand the result to a reporter.

Heavy modules (ruamel.yaml, rich) are imported inside the commands so `--help` stays instant.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from grav_tools import __version__
from grav_tools.report import FORMATS

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    """Split `--select GRV2,GRV301` and repeated options into upper-case codes."""
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


class _Group(click.Group):
    """The command group; `normalize` is the American spelling of `normalise`."""

    ALIASES = {"normalize": "normalise"}

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, self.ALIASES.get(cmd_name, cmd_name))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        _, command, rest = super().resolve_command(ctx, args)
        return (command.name if command else None), command, rest


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="grav-tools")
def main() -> None:
    """Check Grav CMS post folders the way Grav itself reads them.

    \b
    Examples:
      grav-tools validate path/to/site          check a whole Grav site
      grav-tools validate --format json .       machine-readable report
      grav-tools rules GRV301                   explain one rule
      grav-tools normalise --check site         would any page be rewritten?
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
              help="Worker processes for big sites (1: none, all in this process) [default: one per CPU].")
@click.option("--no-source", is_flag=True, help="Do not print the offending source lines.")
@click.option("--color/--no-color", default=None, help="Force or disable colour (NO_COLOR is respected).")
@click.option("--no-cache", is_flag=True, help="Check every page again instead of reusing the results of "
              "unchanged pages.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="Where results are cached [default: $GRAV_TOOLS_CACHE_DIR, else ~/.cache/grav-tools].")
def validate(
    paths: tuple[str, ...], output_format: str, output_file: Path | None, select: tuple[str, ...],
    ignore: tuple[str, ...], exclude: tuple[str, ...], strict: bool, config_file: Path | None,
    baseline_file: Path | None, write_baseline_file: Path | None, jobs: int | None, no_source: bool,
    color: bool | None, no_cache: bool, cache_dir: Path | None,
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
        targets = discover(list(paths), config.exclude, _pool_hint(jobs))
    except PathMissing as missing:
        click.echo(f"grav-tools: error: path does not exist: {missing}", err=True)
        sys.exit(EXIT_USAGE)
    cache = None if no_cache else _result_cache(cache_dir, paths, targets, config)
    result = _lint_with_progress(targets, config, jobs, output_format == "text" and color is not False, cache)
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


def _pool_hint(jobs: int | None) -> tuple[int, Callable[[], None]] | None:
    """For discover: start the workers' start-up once a site turns out big enough for a pool."""
    from grav_tools import lint
    from grav_tools.workers import worker_count

    if worker_count(jobs) < 2:
        return None
    return lint.PARALLEL_THRESHOLD, lint.start_workers_early


def _result_cache(cache_dir: Path | None, paths: tuple[str, ...], targets: list[Any], config: Any) -> Any:
    """The results cache for this kind of run: same rules, settings, sites and paths (see cache.py)."""
    import os

    from grav_tools.cache import ResultCache, canonical, default_cache_dir

    sites = {id(t.site): t.site for t in targets}
    scope = (canonical(config), sorted(repr(canonical(site)) for site in sites.values()),
             sorted(os.path.abspath(p) for p in paths))
    return ResultCache(cache_dir or default_cache_dir(), scope)


def _lint_with_progress(targets: list[Any], config: Any, jobs: int | None, show: bool, cache: Any = None) -> Any:
    """Run the linter, with a progress bar on stderr for big runs when stderr is a terminal."""
    import os

    from grav_tools.lint import lint

    if not show or len(targets) < PROGRESS_THRESHOLD or not sys.stderr.isatty() or os.environ.get("NO_COLOR"):
        return lint(targets, config, jobs, cache=cache)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("checking", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=True, console=_stderr_console()) as bar:
        task = bar.add_task("check", total=len(targets))
        return lint(targets, config, jobs, progress=lambda n: bar.advance(task, n), cache=cache)


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


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--check", is_flag=True, help="Write nothing; list the files that would change and exit 1 if any.")
@click.option("--dry-run", is_flag=True, help="The same as --check.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Write nothing; print a unified diff of every change and exit 1 if any.")
@click.option("--assume-day-first", "assume", flag_value="dmy", default=None,
              help="Read dates whose day and month are in doubt with the day first, and rewrite them so.")
@click.option("--assume-month-first", "assume", flag_value="mdy",
              help="Read dates whose day and month are in doubt with the month first, and rewrite them so.")
@click.option("--encoding", default=None, metavar="ENC",
              help="Convert files that are not UTF-8 from this encoding (cp1251, koi8-r, latin-1, ...).")
@click.option("--fix-encoding/--no-fix-encoding", "fix_encoding", default=None,
              help="Convert files that are not UTF-8 when only one encoding (cp1251, kz1048, koi8-r, UTF-16) "
                   "reads them as plausible text; a file that could be several fails and names them.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip files whose path matches this glob.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE", help="Settings file [default: the nearest .grav-tools.toml or pyproject.toml "
              "with [tool.grav-tools], walking up from the first path].")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes working on big sites, this one included [default: one per CPU].")
@click.option("--quiet", "-q", is_flag=True, help="Only the summary and failures.")
@click.option("--color/--no-color", default=None, help="Colour the diff (default: only on a terminal).")
def normalise(paths: tuple[str, ...], check: bool, dry_run: bool, show_diff: bool, assume: str | None,
              encoding: str | None, fix_encoding: bool | None, exclude: tuple[str, ...], config_file: Path | None,
              jobs: int | None, quiet: bool, color: bool | None) -> None:
    """Rewrite pages into one canonical form, as Grav Admin writes them (alias: normalize).

    UTF-8 without BOM, LF, no trailing whitespace outside code, `---` fences, Admin's key order
    and 4-space indentation, strings quoted as Symfony quotes them, comments kept, dates in one
    format at the same instant, carousel tags on their own lines. Most of these (key order,
    indent, dates, line endings, whitespace, quoting, booleans, carousels) are settings in
    [tool.grav-tools.normalise]; see the README. A file is only written when
    its header data is proven unchanged and a second pass changes nothing. Problems that need a
    person (a date Grav misreads, a duplicate key) are reported, not guessed.

    A file that changed on disk while it was being normalised, a read-only file, and a write that
    fails (disk full, permission denied) leave the file exactly as it was and count as failed.

    Exit status: 0 nothing to do or all done, 1 files would change (--check, --diff) or a file
    failed, 2 usage error.
    """
    import codecs

    from grav_tools.config import ConfigError, find_config, load_config
    from grav_tools.discover import PathMissing, discover
    from grav_tools.normalise.options import load_normalise_options
    from grav_tools.normalise.report import render_run
    from grav_tools.normalise.run import normalise_targets

    if encoding is not None:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            click.echo(f"grav-tools: error: unknown encoding '{encoding}'", err=True)
            sys.exit(EXIT_USAGE)
    try:
        found = config_file or find_config(Path(paths[0]))
        config = load_config(found) if found else None
        options = load_normalise_options(found)
    except ConfigError as error:
        click.echo(f"grav-tools: error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    import dataclasses

    options = dataclasses.replace(options, assume=assume, encoding=encoding,
                                  convention=config.options.date_convention if config else None)
    if fix_encoding is not None:  # the command line wins over `fix-encoding` in the settings
        options = dataclasses.replace(options, fix_encoding=fix_encoding)
    try:
        targets = discover(list(paths), (config.exclude if config else ()) + exclude)
    except PathMissing as missing:
        click.echo(f"grav-tools: error: path does not exist: {missing}", err=True)
        sys.exit(EXIT_USAGE)
    dry = check or dry_run or show_diff
    result = normalise_targets(targets, options, write=not dry, keep_text=show_diff, jobs=jobs)
    render_run(result, check=dry, diff=show_diff, quiet=quiet, color=color)
    would_change = dry and result.count("changed") > 0
    sys.exit(EXIT_PROBLEMS if would_change or result.count("failed") else EXIT_OK)


@main.command()
@click.argument("src", type=click.Path(path_type=Path))
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--from", "kind", type=click.Choice(["jekyll", "hugo", "markdown"]), default=None,
              help="What SRC is [default: detected: _posts or _config.yml means Jekyll, content/ with a "
                   "config means Hugo, anything else plain Markdown].")
@click.option("--section", default="01.blog", show_default=True, metavar="FOLDER",
              help="The Grav folder below DEST (or below user/pages when DEST is a Grav site) for the posts.")
@click.option("--template", default="item", show_default=True, help="Page file name: item.md renders item.html.twig.")
@click.option("--lang", default=None, metavar="CODE",
              help="Language of posts that name none: written as item.<CODE>.md instead of item.md.")
@click.option("--folder", "folder", default="{date:%Y-%m-%d}-{slug}", show_default=True, metavar="PATTERN",
              help="Post folder name; fields {date:strftime}, {slug}, {n} (position by date, e.g. '{n:02d}.{slug}' "
                   "for a numeric prefix). Posts without a date get just {slug}.")
@click.option("--carousel", default="items=1 margin=10 loop=true autoplay=false", show_default=True,
              metavar="OPTIONS", help="owl-carousel options for runs of two or more images.")
@click.option("--timezone", default=None, metavar="ZONE",
              help="The Grav site's timezone [default: system.timezone of the Grav site at DEST, else the "
                   "source's own timezone].")
@click.option("--drafts", is_flag=True, help="Also convert Jekyll _drafts (as unpublished posts).")
@click.option("--drop-unknown", is_flag=True, help="Leave out source header keys Grav does not know.")
@click.option("--dry-run", is_flag=True, help="Print the plan as a tree with counts; write nothing.")
@click.option("--force", is_flag=True, help="Overwrite files in DEST that convert did not write (or that were edited).")
@click.option("--prune", is_flag=True, help="Remove files an earlier run wrote whose source is gone (unless edited).")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Report format for the notes (GRV9xx): text, json, github, sarif or junit.")
@click.option("--color/--no-color", default=None, help="Force or disable colour (NO_COLOR is respected).")
def convert(src: Path, dest: Path, kind: str | None, section: str, template: str, lang: str | None, folder: str,
            carousel: str, timezone: str | None, drafts: bool, drop_unknown: bool, dry_run: bool, force: bool,
            prune: bool, output_format: str, color: bool | None) -> None:
    """Migrate Jekyll, Hugo or plain Markdown posts in SRC into Grav post folders in DEST.

    Writes DEST/<section>/<folder>/item[.<lang>].md with the images each post uses beside it,
    old URLs as `routes: aliases:`, `===` summaries and owl-carousel galleries. Safe to re-run:
    only changed files are rewritten, files convert did not write are never overwritten without
    --force, and DEST/.grav-tools/convert.json records what it wrote. Every lossy step is
    reported as a GRV9xx note. Exit status: 0 converted, 1 notes of error severity (e.g. a file
    in the way, an unreadable source), 2 usage error.
    """
    from grav_tools.convert.apply import tree
    from grav_tools.convert.grav import WriteOptions
    from grav_tools.convert.run import ConvertError, ConvertOptions, summary_table
    from grav_tools.convert.run import convert as run_convert
    from grav_tools.problems import Severity
    from grav_tools.report import render

    options = ConvertOptions(
        kind=kind, timezone=timezone, drafts=drafts, dry_run=dry_run, force=force, prune=prune,
        write=WriteOptions(section=section.strip("/"), template=template, lang=lang, folder=folder,
                           carousel=carousel.strip(), drop_unknown=drop_unknown))
    try:
        outcome = run_convert(src, dest, options, str(src))
    except ConvertError as error:
        click.echo(f"grav-tools: error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    machine = output_format != "text"
    if dry_run:
        click.echo("\n".join(tree(outcome.applied, str(dest))), err=machine)
        click.echo("(dry run: nothing was written)", err=machine)
    opts = {"color": color, "show_source": False} if not machine else {}
    render(output_format, outcome.result, sys.stdout, **opts)
    click.echo(f"{outcome.kind} source; dates as wall-clock times in {outcome.timezone or 'the written zone'}",
               err=machine)
    click.echo("\n".join(summary_table(outcome)), err=machine)
    sys.exit(EXIT_PROBLEMS if any(p.severity == Severity.ERROR for p in outcome.result.problems) else EXIT_OK)
