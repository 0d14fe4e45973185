"""A hostile corpus: dozens of kinds of bad input mixed with good articles, built on the fly.

Each kind is written into its own folder by a small builder and says what must become of
it: the skip reasons its inputs must be logged with, the other reasons it may get, and the
good articles (each carrying a unique marker word) hidden in it that must all be stored.
Large inputs (a 200 MB line, a 5,000,000-character article, a file over the size limit) are
written when the corpus is built; build it in a temporary folder, which removes them.

Used by the test suite (``tests/test_hostile_corpus.py``) and by
``python -m sitrep.evaluate.robustness``, which records the figures in docs/performance.md.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import shutil
import socket
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Sentences of invented news prose; every good article is a few of them with its marker.
_SENTENCES = (
    "Shelling hit the eastern districts of the city on Tuesday, killing {k} people, local "
    "medics said.",
    "Government forces said they had taken control of the area after two days of fighting.",
    "Opposition groups said the fighting was continuing on the southern edge of the town.",
    "A drone struck a vehicle on the main road near the river, a monitoring group reported.",
    "Aid agencies warned that thousands of families had fled towards the border overnight.",
    "Officials in the provincial capital said {k} fighters had been captured near the bridge.",
)
_BIG_LINE_BYTES = 200 * 1024 * 1024
_HUGE_ARTICLE_CHARS = 5_000_000
_LIMIT = 10_000_000  # the default --max-bytes


def good_text(marker: str, n: int = 0) -> str:
    """A short English news text that holds ``marker`` once."""
    body = " ".join(s.format(k=n % 9 + 2) for s in _SENTENCES[n % 3 :][:4])
    return f"{body} The reference for this report is {marker}."


@dataclass
class Corpus:
    """The folder of the corpus, with what each kind expects."""

    root: Path
    kinds: list[Kind] = field(default_factory=list)
    markers: dict[str, str] = field(default_factory=dict)  # marker -> kind
    _next: int = 0

    def good(self, kind: str, *, expected: bool = True) -> str:
        """A new good article text for ``kind``; if ``expected``, it must end up stored."""
        self._next += 1
        marker = f"goodmarker{self._next:04d}x"
        if expected:
            self.markers[marker] = kind
        return good_text(marker, self._next)

    def page(self, kind: str, title: str = "Fighting near the river", **how: bool) -> str:
        return f"{title}\n\n{self.good(kind, **how)}\n"


@dataclass(frozen=True)
class Kind:
    name: str
    build: Callable[[Corpus, Path], None]
    must: frozenset[str] = frozenset()  # skip reasons that must appear among its inputs
    may: frozenset[str] = frozenset()  # other skip reasons its inputs may get


_KINDS: list[Kind] = []


def kind(
    name: str, must: tuple[str, ...] = (), may: tuple[str, ...] = ()
) -> Callable[[Callable[[Corpus, Path], None]], Callable[[Corpus, Path], None]]:
    def register(build: Callable[[Corpus, Path], None]) -> Callable[[Corpus, Path], None]:
        _KINDS.append(Kind(name, build, frozenset(must), frozenset(may)))
        return build

    return register


def _write(path: Path, data: str | bytes) -> None:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _jsonl(records: Sequence[object]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


# ------------------------------------------------------------------------ files and names


@kind("good-pages")
def _good_pages(c: Corpus, d: Path) -> None:
    for i in range(30):
        _write(d / f"page-{i:02d}.txt", c.page("good-pages", f"Report number {i}"))


@kind("good-records")
def _good_records(c: Corpus, d: Path) -> None:
    records = [{"id": f"w{i}", "text": c.good("good-records")} for i in range(30)]
    _write(d / "wire.jsonl", _jsonl(records))


@kind("empty-file", must=("empty",))
def _empty(c: Corpus, d: Path) -> None:
    _write(d / "empty.txt", b"")


@kind("whitespace-only", must=("empty",))
def _whitespace(c: Corpus, d: Path) -> None:
    _write(d / "blank.txt", " \n\t\n   \r\n")


@kind("png-image", must=("binary",))
def _png(c: Corpus, d: Path) -> None:
    _write(d / "photo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)


@kind("elf-binary", must=("binary",))
def _elf(c: Corpus, d: Path) -> None:
    shutil.copyfile(sys.executable, d / "program")


@kind("gzip-named-txt", must=("binary",))
def _gzip_txt(c: Corpus, d: Path) -> None:
    _write(d / "archive.txt", gzip.compress(c.page("gzip", expected=False).encode()))


@kind("random-noise", may=("binary", "undecodable", "empty"))
def _noise(c: Corpus, d: Path) -> None:
    _write(d / "noise.txt", bytes((i * 7919 + 13) % 256 for i in range(20000)))


@kind("control-characters", must=("binary",))
def _controls(c: Corpus, d: Path) -> None:
    _write(d / "controls.txt", bytes(range(1, 9)) * 2000)


@kind("name-not-utf8")
def _name_not_utf8(c: Corpus, d: Path) -> None:
    _write(Path(os.fsdecode(os.fsencode(d) + b"/bad-\xff\xfe-name.txt")), c.page("name-not-utf8"))


@kind("name-with-escapes")
def _name_escapes(c: Corpus, d: Path) -> None:
    _write(d / "evil\x1b[2J\x1b]0;owned\x07\nname.txt", c.page("name-with-escapes"))


@kind("name-with-bidi-override")
def _name_bidi(c: Corpus, d: Path) -> None:
    _write(d / "report-\u202etxt.exe", c.page("name-with-bidi-override"))


@kind("named-pipe", must=("special_file",))
def _fifo(c: Corpus, d: Path) -> None:
    os.mkfifo(d / "pipe.txt")


@kind("link-to-dev-zero", must=("special_file",))
def _dev_zero(c: Corpus, d: Path) -> None:
    (d / "zero.txt").symlink_to("/dev/zero")


@kind("unix-socket", must=("special_file",))
def _socket(c: Corpus, d: Path) -> None:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(d / "sock.txt"))
    server.close()


@kind("dangling-link", must=("unreadable",))
def _dangling(c: Corpus, d: Path) -> None:
    (d / "gone.txt").symlink_to(d / "no-such-file.txt")


@kind("file-link-loop", must=("unreadable",))
def _file_loop(c: Corpus, d: Path) -> None:
    (d / "a.txt").symlink_to(d / "b.txt")
    (d / "b.txt").symlink_to(d / "a.txt")


@kind("folder-link-loop", must=("link_loop",))
def _folder_loop(c: Corpus, d: Path) -> None:
    (d / "inner").mkdir()
    _write(d / "inner" / "story.txt", c.page("folder-link-loop"))
    (d / "inner" / "back").symlink_to(d)


@kind("linked-folder")
def _linked_folder(c: Corpus, d: Path) -> None:
    outside = c.root.parent / f"{c.root.name}-outside"
    outside.mkdir(exist_ok=True)
    _write(outside / "story.txt", c.page("linked-folder"))
    (d / "elsewhere").symlink_to(outside, target_is_directory=True)


@kind("same-folder-twice", must=("duplicate",))
def _same_folder_twice(c: Corpus, d: Path) -> None:
    (d / "real").mkdir()
    _write(d / "real" / "story.txt", c.page("same-folder-twice"))
    (d / "zz-alias").symlink_to(d / "real", target_is_directory=True)


@kind("unreadable-file", may=("unreadable",))
def _no_permission(c: Corpus, d: Path) -> None:
    path = d / "secret.txt"
    _write(path, good_text("readable-by-root-only-1"))
    path.chmod(0)


@kind("unreadable-folder", may=("unreadable",))
def _no_permission_folder(c: Corpus, d: Path) -> None:
    (d / "locked").mkdir()
    _write(d / "locked" / "x.txt", good_text("readable-by-root-only-2"))
    (d / "locked").chmod(0)


@kind("duplicate-copy", must=("duplicate",))
def _duplicate(c: Corpus, d: Path) -> None:
    page = c.page("duplicate-copy")
    _write(d / "a.txt", page)
    _write(d / "b.txt", page)


@kind("unsupported-yaml", must=("unsupported_format",))
def _yaml(c: Corpus, d: Path) -> None:
    _write(d / "config.yaml", "key: value\n")


# ------------------------------------------------------------------------ sizes


@kind("huge-article-5m-chars")
def _huge_article(c: Corpus, d: Path) -> None:
    paragraph = good_text("filler") + "\n\n"
    with (d / "book.txt").open("w", encoding="utf-8") as out:
        out.write("A very long report\n\n" + c.good("huge-article-5m-chars") + "\n\n")
        for _ in range(_HUGE_ARTICLE_CHARS // len(paragraph) + 1):
            out.write(paragraph)


@kind("over-the-size-limit", must=("too_large",))
def _too_large(c: Corpus, d: Path) -> None:
    line = good_text("filler") + "\n"
    with (d / "huge.txt").open("w", encoding="utf-8") as out:
        for _ in range(_LIMIT // len(line) + 2):
            out.write(line)


@kind("jsonl-200mb-line", must=("too_large",))
def _big_line(c: Corpus, d: Path) -> None:
    with (d / "big.jsonl").open("w", encoding="utf-8") as out:
        out.write(json.dumps({"text": c.good("jsonl-200mb-line")}) + "\n")
        out.write('{"text": "')
        chunk = "x" * (1 << 20)
        for _ in range(_BIG_LINE_BYTES // len(chunk)):
            out.write(chunk)
        out.write('"}\n')
        out.write(json.dumps({"text": c.good("jsonl-200mb-line")}) + "\n")


@kind("csv-30mb-row", must=("too_large",))
def _big_csv_row(c: Corpus, d: Path) -> None:
    with (d / "big.csv").open("w", encoding="utf-8", newline="") as out:
        out.write(f'text,title\n"{c.good("csv-30mb-row")}",one\n')
        out.write('"' + "y " * (15 << 20) + '",two\n')
        out.write(f'"{c.good("csv-30mb-row")}",three\n')


@kind("one-line-3m-chars")
def _one_long_line(c: Corpus, d: Path) -> None:
    _write(d / "oneline.md", c.good("one-line-3m-chars") + " " + "word " * 600_000)


@kind("word-2m-chars")
def _long_word(c: Corpus, d: Path) -> None:
    _write(d / "word.txt", f"Headline\n\n{c.good('word-2m-chars')} " + "a" * 2_000_000 + "\n")


@kind("million-blank-lines", must=("empty",))
def _blank_lines(c: Corpus, d: Path) -> None:
    _write(d / "lines.txt", "\n" * 5_000_000)


@kind("only-rule-lines", may=("empty",))
def _rules(c: Corpus, d: Path) -> None:
    _write(d / "rules.txt", "***\n---\n===\n" * 1000)


# ------------------------------------------------------------------------ encodings


def _encoded(name: str, encoding: str, bom: bytes = b"") -> Callable[[Corpus, Path], None]:
    def build(c: Corpus, d: Path) -> None:
        _write(d / f"{name}.txt", bom + c.page(f"encoding-{name}").encode(encoding))

    return build


for _name, _encoding, _bom in (
    ("utf16le-bom", "utf-16-le", codecs.BOM_UTF16_LE),
    ("utf16be-bom", "utf-16-be", codecs.BOM_UTF16_BE),
    ("utf16le-no-bom", "utf-16-le", b""),
    ("utf16be-no-bom", "utf-16-be", b""),
    ("utf32le-bom", "utf-32-le", codecs.BOM_UTF32_LE),
    ("utf32be-no-bom", "utf-32-be", b""),
    ("utf8-bom", "utf-8", codecs.BOM_UTF8),
    ("latin1", "latin-1", b""),
    ("cp1252", "cp1252", b""),
):
    kind(f"encoding-{_name}")(_encoded(_name, _encoding, _bom))


@kind("nul-bytes-in-text")
def _nuls(c: Corpus, d: Path) -> None:
    text = c.page("nul-bytes-in-text")
    _write(d / "nuls.txt", text[:40] + "\x00\x00" + text[40:] + "\x00")


@kind("one-invalid-utf8-byte")
def _bad_byte(c: Corpus, d: Path) -> None:
    _write(d / "byte.txt", c.page("one-invalid-utf8-byte").encode() + b"Caf\xff closed.\n")


@kind("jsonl-utf8-bom")
def _jsonl_bom(c: Corpus, d: Path) -> None:
    body = _jsonl([{"text": c.good("jsonl-utf8-bom")}, {"text": c.good("jsonl-utf8-bom")}])
    _write(d / "bom.jsonl", codecs.BOM_UTF8 + body.encode())


@kind("jsonl-utf16-bom")
def _jsonl_utf16(c: Corpus, d: Path) -> None:
    body = _jsonl([{"text": c.good("jsonl-utf16-bom")}, {"text": c.good("jsonl-utf16-bom")}])
    _write(d / "wide.jsonl", codecs.BOM_UTF16_LE + body.encode("utf-16-le"))


@kind("csv-utf8-bom")
def _csv_bom(c: Corpus, d: Path) -> None:
    body = f'text,title\n"{c.good("csv-utf8-bom")}",a\n'
    _write(d / "bom.csv", codecs.BOM_UTF8 + body.encode())


@kind("csv-cp1252")
def _csv_cp1252(c: Corpus, d: Path) -> None:
    body = f'text,title\n"{c.good("csv-cp1252")} Caf\u00e9 \u2013 \u00e9t\u00e9",a\n'
    _write(d / "legacy.csv", body.encode("cp1252"))


@kind("jsonl-invalid-utf8-line", must=("undecodable",))
def _jsonl_bad_utf8(c: Corpus, d: Path) -> None:
    first, last = (json.dumps({"text": c.good("jsonl-invalid-utf8-line")}) for _ in "ab")
    _write(d / "mixed.jsonl", f"{first}\n".encode() + b'{"text": "caf\xe9 \xff"}\n' + last.encode())


# ------------------------------------------------------------------------ records


@kind("jsonl-malformed-lines", must=("parse_error",), may=("empty",))
def _jsonl_malformed(c: Corpus, d: Path) -> None:
    lines = [
        json.dumps({"text": c.good("jsonl-malformed-lines")}),
        '{"text": "unterminated',
        json.dumps({"text": 42}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "   "}),
        "null",
        json.dumps({"text": c.good("jsonl-malformed-lines")}),
    ]
    _write(d / "broken.jsonl", "\n".join(lines) + "\n")


@kind("jsonl-lone-surrogates")
def _surrogates(c: Corpus, d: Path) -> None:
    text = c.good("jsonl-lone-surrogates") + " \\ud800 and \\udfff end"
    _write(d / "sur.jsonl", '{"text": "' + text + '", "title": "bad \\udc80 title"}\n')


@kind("jsonl-nul-escapes")
def _nul_escapes(c: Corpus, d: Path) -> None:
    _write(d / "nul.jsonl", json.dumps({"text": c.good("jsonl-nul-escapes") + "\u0000\u0000"}))


@kind("jsonl-wrong-field-types")
def _wrong_types(c: Corpus, d: Path) -> None:
    records = [
        {"text": c.good("jsonl-wrong-field-types"), "outlet": ["a"], "title": 42},
        {"text": c.good("jsonl-wrong-field-types"), "published": {"y": 1}, "authors": [1, 2]},
        {"text": c.good("jsonl-wrong-field-types"), "url": None, "id": 7, "published": 2017},
        {"text": c.good("jsonl-wrong-field-types"), "title": True, "authors": {"a": 1}},
    ]
    _write(d / "types.jsonl", _jsonl(records))


@kind("jsonl-deep-nesting", must=("parse_error",))
def _deep(c: Corpus, d: Path) -> None:
    _write(d / "deep.jsonl", "[" * 200_000 + "]" * 200_000 + "\n")


@kind("json-array-mixed", must=("parse_error",))
def _json_mixed(c: Corpus, d: Path) -> None:
    records = [{"text": c.good("json-array-mixed")}, "a string", 3, {"text": c.good("j")}]
    _write(d / "array.json", json.dumps(records))


@kind("json-invalid", must=("parse_error",))
def _json_invalid(c: Corpus, d: Path) -> None:
    _write(d / "bad.json", '{"text": "never closed')


@kind("csv-unterminated-quote", must=("parse_error",))
def _csv_open_quote(c: Corpus, d: Path) -> None:
    rows = [
        "text,title",
        f'"{c.good("csv-unterminated-quote")}",a',
        '"this quote is never closed,b',
        f'"{c.good("csv-unterminated-quote")}",c',
        f'"{c.good("csv-unterminated-quote")}",d',
    ]
    _write(d / "open.csv", "\n".join(rows) + "\n")


@kind("csv-stray-quote", must=("parse_error",))
def _csv_stray(c: Corpus, d: Path) -> None:
    rows = ["text,title", '"bad"x,a', f'"{c.good("csv-stray-quote")}",b']
    _write(d / "stray.csv", "\n".join(rows) + "\n")


@kind("csv-extra-cells", must=("parse_error",))
def _csv_extra(c: Corpus, d: Path) -> None:
    rows = ["text,title", "shifted, text, with, commas,x", f'"{c.good("csv-extra-cells")}",b,']
    _write(d / "extra.csv", "\n".join(rows) + "\n")


@kind("csv-no-text-column", must=("parse_error",))
def _csv_no_text(c: Corpus, d: Path) -> None:
    _write(d / "notext.csv", "title,body\nA,B\n")


@kind("csv-nul-in-cell")
def _csv_nul(c: Corpus, d: Path) -> None:
    _write(d / "nul.csv", f'text\n"{c.good("csv-nul-in-cell")}\x00"\n')


@kind("tsv-file")
def _tsv(c: Corpus, d: Path) -> None:
    _write(d / "records.tsv", f"title\ttext\nA\t{c.good('tsv-file')}\n")


# ------------------------------------------------------------------------ pages and archives


@kind("html-nested-5000", may=("parse_error",))
def _nested(c: Corpus, d: Path) -> None:
    depth = 5000
    html = "<html><body>" + "<div>" * depth + f"<p>{c.good('html-nested-5000')}</p>"
    _write(d / "nested.html", html + "</div>" * depth + "</body></html>")


@kind("html-title-only", must=("empty",))
def _title_only(c: Corpus, d: Path) -> None:
    _write(d / "title.html", "<html><head><title>Only a title</title></head></html>")


@kind("html-script-only", may=("empty",))
def _script_only(c: Corpus, d: Path) -> None:
    _write(
        d / "script.html", "<html><body><script>" + "var x=1;" * 1000 + "</script></body></html>"
    )


@kind("html-broken-markup")
def _broken_html(c: Corpus, d: Path) -> None:
    good = c.good("html-broken-markup")
    _write(d / "broken.html", f"<html><body><p>{good}<div><<<>>><b><i></p></div></table>")


@kind("terminal-escapes-in-title")
def _escape_title(c: Corpus, d: Path) -> None:
    title = "\x1b[2J\x1b[31mRed alert\x1b]0;pwned\x07 headline \u202ereversed\u202c"
    _write(d / "escapes.txt", c.page("terminal-escapes-in-title", title))


@kind("formula-in-title")
def _formula(c: Corpus, d: Path) -> None:
    record = {"text": c.good("formula-in-title"), "title": '=HYPERLINK("http://x","y")'}
    _write(d / "formula.jsonl", _jsonl([record]))


@kind("markup-in-fields")
def _markup(c: Corpus, d: Path) -> None:
    record = {
        "text": c.good("markup-in-fields") + " <script>alert(1)</script>",
        "title": "<img src=x onerror=alert(1)>",
        "outlet": "[bold red]rich markup[/]",
    }
    _write(d / "markup.jsonl", _jsonl([record]))


def _warc(pages: list[tuple[str, str, bytes, str]], gzip_records: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip_records)
    for url, mime, payload, status in pages:
        headers = StatusAndHeaders(status, [("Content-Type", mime)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(payload), http_headers=headers
        )
        writer.write_record(record)
    return out.getvalue()


def _html(c: Corpus, kind_name: str, *, expected: bool = True) -> bytes:
    good = c.good(kind_name, expected=expected)
    return f"<html><head><title>Archived</title></head><body><p>{good}</p></body></html>".encode()


@kind("warc-gz-truncated", must=("parse_error",))
def _warc_gz_cut(c: Corpus, d: Path) -> None:
    # Which records survive the cut depends on compression: none is counted as expected.
    html = [_html(c, "cut", expected=False) for _ in range(3)]
    pages = [
        (f"https://example.org/{i}", "text/html", page, "200 OK") for i, page in enumerate(html)
    ]
    data = _warc(pages, True)
    _write(d / "cut.warc.gz", data[: int(len(data) * 0.8)])


@kind("warc-plain-truncated", must=("parse_error",))
def _warc_plain_cut(c: Corpus, d: Path) -> None:
    pages = [("https://example.org/a", "text/html", _html(c, "warc-plain-truncated"), "200 OK")]
    pages.append(("https://example.org/b", "text/html", b"<html>" + b"x" * 5000, "200 OK"))
    data = _warc(pages, False)
    _write(d / "cut.warc", data[: len(data) - 2000])


@kind("warc-binary-and-404", must=("binary", "fetch_error"))
def _warc_mixed(c: Corpus, d: Path) -> None:
    pages = [
        ("https://example.org/img", "image/png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "200 OK"),
        ("https://example.org/gone", "text/html", b"<html>gone</html>", "404 Not Found"),
        ("https://example.org/ok", "text/html", _html(c, "warc-binary-and-404"), "200 OK"),
    ]
    _write(d / "mixed.warc.gz", _warc(pages, True))


@kind("warc-garbage", must=("parse_error",))
def _warc_garbage(c: Corpus, d: Path) -> None:
    _write(d / "garbage.warc", b"WARC/1.0\r\nthis is not a header\r\n\r\n" + b"\x00\xff" * 500)


def build_corpus(root: Path) -> Corpus:
    """Write every kind into ``root`` (one folder each) and return what they expect."""
    corpus = Corpus(root)
    for spec in _KINDS:
        folder = root / spec.name
        folder.mkdir(parents=True)
        spec.build(corpus, folder)
        corpus.kinds.append(spec)
    return corpus


def kinds() -> Iterator[Kind]:
    return iter(_KINDS)


def unlock(root: Path) -> None:
    """Give back the permissions the corpus took away, so that it can be removed."""
    for spec in _KINDS:
        for name in ("locked", "secret.txt"):
            path = root / spec.name / name
            if path.exists() and not path.is_symlink():
                path.chmod(0o700)
