"""Convert notes (GRV9xx): what `grav-tools convert` could not carry over exactly, or changed.

These rules never run on Grav pages (scope "convert"): the converter records a `Note` while it
reads a source file or writes the Grav tree, and the rule for that code turns it into a Finding
so notes go through the same reporters as validate's problems.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from grav_tools.problems import Finding, Severity
from grav_tools.rules import rule

if TYPE_CHECKING:
    from grav_tools.convert.model import Note

CONVERT = "convert"


def _finding(note: Note) -> Iterable[Finding]:
    yield Finding(note.line, note.column, note.message, severity=note.severity)


@rule("GRV901", "date-from-filename", Severity.INFO, scope=CONVERT)
def date_from_filename(note: Note) -> Iterable[Finding]:
    """The post's date was taken from its file name, not from its header.

    What: a Jekyll post or a note without a `date:` header whose file name starts with `YYYY-MM-DD`.
    Why: the file name gives no time of day, so the Grav date is midnight; posts of the same day
    are then ordered by title or folder, not by the hour they were published.
    Example: `_posts/2014-01-29-hello-2015.markdown` with no `date:` becomes `date: '29-01-2014 00:00'`.
    Fix: nothing to do if midnight is fine; otherwise add the real time to the Grav header.
    """
    return _finding(note)


@rule("GRV902", "date-missing", Severity.WARNING, scope=CONVERT)
def date_missing(note: Note) -> Iterable[Finding]:
    """The post has no date at all, so none is written.

    What: no usable date in the header and none in the file name.
    Why: Grav then dates the page by the file's modification time, which changes on every git
    clone or deploy; the folder name has no date part either.
    Example: an Obsidian note `Ideas.md` with no `date:` or `created:` property.
    Fix: add `date: 'dd-mm-yyyy hh:mm'` to the Grav header (and rename the folder if you use dated folders).
    """
    return _finding(note)


@rule("GRV903", "date-timezone", Severity.INFO, scope=CONVERT)
def date_timezone(note: Note) -> Iterable[Finding]:
    """A source date with a UTC offset (or in another timezone) was moved to the site's timezone.

    What: `date: 2017-03-08 10:00:00 -0700` written as the wall-clock time of the same instant in
    the Grav site's timezone; a warning when no timezone is known, so the offset had to be dropped.
    Why: Grav reads header dates as wall-clock times in `system.timezone` and ignores offsets in
    its own format; keeping the instant is what Jekyll and Hugo showed their readers.
    Example: with timezone America/Los_Angeles, `2013-05-06 02:12:52 +0200` becomes `'05-05-2013 17:12'`.
    Fix: check `timezone` in `user/config/system.yaml` (or pass `--timezone`) and convert again.
    """
    return _finding(note)


@rule("GRV904", "unreadable-date", Severity.WARNING, scope=CONVERT)
def unreadable_date(note: Note) -> Iterable[Finding]:
    """A source date could not be read, so the file-name date (or none) was used.

    What: a `date:`, `publishDate:` or `expiryDate:` value no date parser makes sense of, such as a
    template placeholder `{{date}}` or prose.
    Why: writing it through would give Grav a date it falls back from to the file's mtime.
    Example: `created: {{date}}` in an Obsidian template.
    Fix: put a real date into the Grav header by hand.
    """
    return _finding(note)


@rule("GRV905", "unknown-keys", Severity.INFO, scope=CONVERT)
def unknown_keys(note: Note) -> Iterable[Finding]:
    """Source header keys that Grav does not know were kept (or dropped with `--drop-unknown`).

    What: keys such as `layout`, `author`, `header-img` or `params` with no Grav meaning.
    Why: themes or plugins may use them, but Grav itself ignores them; `validate` will report
    the ones no other page uses (GRV210).
    Example: `layout: post` from Jekyll stays `layout: post`.
    Fix: keep the ones your theme reads; convert with `--drop-unknown` to leave them all out.
    """
    return _finding(note)


@rule("GRV906", "renamed-key", Severity.WARNING, scope=CONVERT)
def renamed_key(note: Note) -> Iterable[Finding]:
    """A source key that means something else in Grav was written under another name.

    What: a key whose name is a Grav header with a different meaning, such as Hugo's `menu`
    mapping, Hugo's `summary` text or Obsidian's `published` date, kept as `<source>_<key>`.
    Why: written as is, Grav would act on it (hide the page, break the menu, change the summary).
    Example: Hugo `summary: Short text` becomes `hugo_summary: 'Short text'`.
    Fix: map the value to the Grav header you want by hand, or delete it.
    """
    return _finding(note)


@rule("GRV907", "unconverted-markup", Severity.WARNING, scope=CONVERT)
def unconverted_markup(note: Note) -> Iterable[Finding]:
    """A Liquid tag, Hugo shortcode or Obsidian embed with no Grav equivalent was kept verbatim.

    What: `{% include %}`, `{{< tweet >}}`, `![[Daily.base]]` and the like.
    Why: Grav does not run Liquid or Hugo shortcodes; the text shows up literally on the page.
    Example: `{% include figure.html src="a.png" %}` stays as written.
    Fix: replace it by hand with Markdown, HTML or a Grav shortcode.
    """
    return _finding(note)


@rule("GRV908", "missing-asset", Severity.WARNING, scope=CONVERT)
def missing_asset(note: Note) -> Iterable[Finding]:
    """A file the post references does not exist in the source (or lies outside it).

    What: an image or download link to a local path that is not in SRC.
    Why: nothing can be copied beside the Grav page, so the reference stays as written and is
    broken on the Grav site (it usually was broken on the old site too).
    Example: `![](/img/old-photo.jpg)` when `img/old-photo.jpg` is not in the source tree.
    Fix: find the file and put it beside the page, or remove the reference.
    """
    return _finding(note)


@rule("GRV909", "renamed-asset", Severity.INFO, scope=CONVERT)
def renamed_asset(note: Note) -> Iterable[Finding]:
    """Two different files with the same name go into one page folder; the later one was renamed.

    What: `a/photo.jpg` and `b/photo.jpg` referenced by the same post (or by its translations).
    Why: a Grav page's media are the files directly in its folder, so names must be unique; the
    second file gets `-2` (then `-3`, ...) before its extension, in order of first reference.
    Example: the second `photo.jpg` is copied as `photo-2.jpg` and its links say so.
    Fix: nothing to do; rename both files if you prefer other names.
    """
    return _finding(note)


@rule("GRV910", "outside-source", Severity.WARNING, scope=CONVERT)
def outside_source(note: Note) -> Iterable[Finding]:
    """A symbolic link or path that leads out of the source folder was not followed.

    What: a symlinked file pointing outside SRC, or a reference such as `../../secret.png`.
    Why: convert only reads what is inside SRC, so a migration never copies private files from
    elsewhere on the machine into the public site.
    Example: `_posts/shared.md -> /home/me/drafts/shared.md`.
    Fix: copy the real file into the source tree if it belongs to the site.
    """
    return _finding(note)


@rule("GRV911", "unresolved-link", Severity.WARNING, scope=CONVERT)
def unresolved_link(note: Note) -> Iterable[Finding]:
    """A link to another post names a post that was not converted.

    What: `{% post_url 2010-07-21-name %}`, Hugo `{{< ref "x.md" >}}` or an Obsidian `[[Note]]` whose
    target is not among the converted posts.
    Why: there is no Grav page to point at; the link keeps its old target (Liquid and shortcodes
    are kept verbatim, a wikilink becomes its plain text).
    Example: `[[Emergence]]` when the vault has no note `Emergence.md`.
    Fix: convert the missing post too, or edit the link.
    """
    return _finding(note)


@rule("GRV912", "skipped-file", Severity.INFO, scope=CONVERT)
def skipped_file(note: Note) -> Iterable[Finding]:
    """A source file that is not a post was not converted.

    What: Hugo section lists (`_index.md`), headless bundles, Jekyll files in `_posts` without a
    date in their name, drafts without `--drafts`, Markdown resources of a page bundle.
    Why: they have no page of their own on the old site either, or are not posts.
    Example: `content/blog/_index.md`.
    Fix: create the Grav listing page (e.g. `blog.md`) by hand if you need one.
    """
    return _finding(note)


@rule("GRV913", "unreadable-source", Severity.ERROR, scope=CONVERT)
def unreadable_source(note: Note) -> Iterable[Finding]:
    """A source file could not be read, so it was not converted.

    What: a header that no YAML/TOML/JSON reader accepts, or a file that cannot be read at all.
    Why: converting it with guessed values would lose or invent data silently.
    Example: a header with two leading tabs, or an unclosed quote.
    Fix: repair the source file (its own site generator would also reject it) and convert again.
    """
    return _finding(note)


@rule("GRV914", "output-conflict", Severity.ERROR, scope=CONVERT)
def output_conflict(note: Note) -> Iterable[Finding]:
    """A file convert would write already exists and was not written by it (or was edited since).

    What: the destination holds a file at that path that is not in the migration record
    (`.grav-tools/convert.json`), or whose content changed after convert wrote it.
    Why: convert never overwrites work it did not create; that post is left as it is.
    Example: a hand-made `01.blog/2020-01-01-hello/item.md`.
    Fix: move the file away, or convert with `--force` to overwrite it.
    """
    return _finding(note)


@rule("GRV915", "folder-collision", Severity.WARNING, scope=CONVERT)
def folder_collision(note: Note) -> Iterable[Finding]:
    """Two posts would get the same Grav folder; the later one got a `-2` suffix.

    What: two source posts with the same date and slug (or the same slug without a date).
    Why: one folder holds one page; both keep their own folder, in source-path order.
    Example: `2020-01-01-hello.md` and `2020-01-01-hello.markdown`.
    Fix: rename one of them in the source, or rename the Grav folder afterwards.
    """
    return _finding(note)


@rule("GRV916", "custom-taxonomy", Severity.INFO, scope=CONVERT)
def custom_taxonomy(note: Note) -> Iterable[Finding]:
    """The posts use taxonomies other than category and tag.

    What: Hugo custom taxonomies such as `series` written under `taxonomy:`.
    Why: Grav indexes only the taxonomies listed in `site.yaml`; the others are kept but ignored.
    Example: `taxonomy: {series: [Themes Guide]}`.
    Fix: list them in `user/config/site.yaml`, e.g. `taxonomies: [category, tag, series]`.
    """
    return _finding(note)


@rule("GRV917", "approximated-markup", Severity.INFO, scope=CONVERT)
def approximated_markup(note: Note) -> Iterable[Finding]:
    """Source markup was turned into its closest Grav equivalent, not an exact one.

    What: a Hugo `youtube` shortcode written as an iframe, `{% highlight ruby linenos %}` written as a
    fenced block without line numbers, a figure caption kept as the image title, an Obsidian image
    size dropped, an excerpt separator (`<!--more-->`) before any text dropped: an empty excerpt
    has no Grav equivalent, so the page gets Grav's automatic summary.
    Why: Grav has no built-in equivalent; the result shows the same content, styled differently.
    Example: `{{< youtube ZJthWmvUzzc >}}` becomes `<iframe src="https://www.youtube.com/embed/ZJthWmvUzzc" ...>`.
    Fix: nothing to do unless you need the exact look; then use a Grav plugin's shortcode.
    """
    return _finding(note)


@rule("GRV918", "header-repaired", Severity.INFO, scope=CONVERT)
def header_repaired(note: Note) -> Iterable[Finding]:
    """A source header only parsed after template placeholders in it were quoted.

    What: `created: {{date}}` (an unfilled template) is a YAML flow mapping, not text.
    Why: the value is kept as the text `{{date}}` instead of losing the whole header.
    Example: an Obsidian template note.
    Fix: nothing to do for templates; fill in real values for real posts.
    """
    return _finding(note)


@rule("GRV919", "stale-output", Severity.INFO, scope=CONVERT)
def stale_output(note: Note) -> Iterable[Finding]:
    """A file an earlier convert run wrote has no source any more.

    What: the migration record lists an output whose source post is gone or now maps elsewhere.
    Why: convert removes only what it created, and only with `--prune`; a file edited since it was
    written is never removed.
    Example: a post deleted from `_posts` after the first rehearsal.
    Fix: convert again with `--prune`, or delete the folder by hand.
    """
    return _finding(note)


@rule("GRV920", "write-failed", Severity.ERROR, scope=CONVERT)
def write_failed(note: Note) -> Iterable[Finding]:
    """A post could not be written (disk full, permission denied, a read-only file), so none of it was.

    What: writing or copying a file of the post failed, or a file in the way is read-only or
    unreadable; the message names the file and the system's reason.
    Why: a post is written whole or not at all: its files go to temp files first and are renamed into
    place only when all are complete, so the old files stay intact and no temp file is left. The
    migration record does not claim what was not written, so the next run tries again.
    Example: `cannot write (No space left on device): nothing of this post was written`.
    Fix: free space, fix the permissions (or make the file writable), and convert again.
    """
    return _finding(note)


@rule("GRV921", "changed-during-run", Severity.ERROR, scope=CONVERT)
def changed_during_run(note: Note) -> Iterable[Finding]:
    """A source or destination file changed while convert was running, so that post was skipped.

    What: the source post or media file is not what was read when the plan was made, or the file in
    the destination changed between the check and the write.
    Why: writing would either put stale content in place or overwrite an edit nobody has seen; the
    old files stay as they are.
    Example: an editor saves `_posts/2020-01-02-hello.md` while a 10,000-post convert runs.
    Fix: convert again; the next run picks up the change.
    """
    return _finding(note)


@rule("GRV922", "alias-collision", Severity.WARNING, scope=CONVERT)
def alias_collision(note: Note) -> Iterable[Finding]:
    """An old URL is already the route of another page, or an alias of another converted post.

    What: a post's permalink, Hugo `url`/`aliases` or `redirect_from` equals the route of a page in
    DEST (or of another converted post), or two posts claim the same old URL.
    Why: Grav keeps one page per route and silently lets the later one win, so writing the alias
    would hijack the other page's URL or make the old link land on a random one of the two. The
    first post in folder order keeps a shared alias; the page that owns a route keeps it.
    Example: `/news/hello` as an alias of a Jekyll post when `01.news/hello` is an existing page.
    Fix: decide which page the old URL should open and add it to that page's `routes: aliases:`.
    """
    return _finding(note)


@rule("GRV923", "date-precision", Severity.INFO, scope=CONVERT)
def date_precision(note: Note) -> Iterable[Finding]:
    """A source date has seconds (or a fraction of a second) that the Grav date as written cannot hold.

    What: `date: 2023-01-09 10:15:30` written in a format without seconds, such as the default
    `'d-m-Y H:i'`; or a fraction of a second (`10:15:30.250Z`, a TOML datetime), which no Grav
    format holds. The same for Hugo `publishDate` and `expiryDate` when they are written. Reported
    per date, at its line, with the value written.
    Why: the time is cut to the minute (as Grav Admin does when it saves a page), so posts
    published within one minute may list in another order, and a publish window moves by up to a
    minute. The seconds are not written anyway because convert writes dates in the Grav site's own
    `pages.dateformat.default` (what `normalise` and Admin keep), and the default has none.
    Example: `2023-01-09 10:15:30` becomes `date: '09-01-2023 10:15'`.
    Fix: nothing to do when the minute is enough. To keep seconds, give the Grav site at DEST a
    `pages.dateformat.default` with seconds (e.g. `'d-m-Y H:i:s'` in `user/config/system.yaml`)
    and convert again: dates are then written with them and the note goes away.
    """
    return _finding(note)


@rule("GRV924", "jekyll-excerpt", Severity.INFO, scope=CONVERT)
def jekyll_excerpt(note: Note) -> Iterable[Finding]:
    """Jekyll posts whose excerpt no `===` summary separator carries over (one note per run).

    What: posts with no `excerpt_separator` match and no `<!--more-->`. With `excerpt_separator`
    unset, Jekyll's `post.excerpt` is the text up to the first blank line; with a separator the
    post does not contain, it is the whole post. The note (at `_config.yml`) counts them and names
    the first few. Not reported: a post with an `excerpt:` header (its own excerpt, kept as a
    header, GRV905), a one-paragraph post, and any post when `excerpt_separator: ""` turns excerpts off.
    Why: Grav's summary of a page without a separator is its first `summary.size` characters
    (site.yaml, 300 by default), so a listing or feed shows a cut at a length, not at the paragraph.
    Convert reports this rather than writing `===` after the first paragraph: whether the old site
    showed excerpts at all is up to its theme and plugins, which are not in the source (minima's
    `show_excerpts` defaults to false), and Jekyll's "first paragraph" is simply the text before
    the first blank line, often a heading, an image or an include. A separator the author never
    wrote would change the summary of every post of a site that never showed one, and could not be
    told apart from the author's own. Once per run, because the cause is the site's configuration
    and the note would be the same for every post.
    Example: jekyllrb.com news: `101 posts have no excerpt separator (...)`, at `_config.yml`.
    Fix: nothing to do if the old site never showed excerpts. Otherwise put a `===` line, with blank
    lines around it, where each excerpt ended (after the first paragraph), or raise `summary.size`.
    """
    return _finding(note)


@rule("GRV925", "future-post", Severity.INFO, scope=CONVERT)
def future_post(note: Note) -> Iterable[Finding]:
    """A post dated in the future, which the source system did not build yet, waits for its date in Grav too.

    What: a Jekyll post whose date (header, else file name) is after the moment of the conversion,
    with `future` not set in `_config.yml`; a Hugo page whose publish date (`publishDate`, else
    `date`) is after it, with `buildFuture` not set in the site config. Convert writes
    `publish_date` equal to that date, in the same format as `date`, and reports it at the date's
    line. Not done (and no note) when the config builds future posts (`future: true`,
    `buildFuture: true`), for drafts and unpublished posts (`published: false` already hides them),
    or when the post has a `publish_date` from the source already (a Hugo `publishDate` other than
    `date`).
    Why: Jekyll and Hugo leave such a post out of the built site until a build after its date, but
    Grav shows a page with a future `date:` at once; only `publish_date` hides a page until then
    (with `pages.publish_dates: true`, the default, and no `published:` key, which convert then
    leaves out). Without it, converting would publish scheduled posts immediately.
    Example: Jekyll `_posts/2031-05-01-launch.md` with `date: 2031-05-01 09:00` becomes
    `date: '01-05-2031 09:00'` and `publish_date: '01-05-2031 09:00'`.
    Fix: nothing to do if the post should appear on its date. To show it now, delete its
    `publish_date`; the date is judged when convert runs, so a later run after the date writes no
    `publish_date` (the rewritten page then reads the same on the site).
    """
    return _finding(note)
