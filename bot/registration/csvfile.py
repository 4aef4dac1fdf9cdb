"""Reading CSV files as organisers' spreadsheets and platforms produce them.

Shared by the roster and the sign-up export: encoding detection (UTF-8, UTF-8 with BOM, UTF-16
with BOM, else a Western European code page, cp1252 first; see :func:`decode`), delimiter sniffing (``,``, ``;``, tab), headers matched without regard to case,
accents, spaces or punctuation, a size cap, refusal of binary files and workbooks, and detection
of spreadsheet formulas in cells. The checks that need the whole file raise at once; problems in
rows are returned for the caller to add to its own.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from bot.errors import InvalidInput
from bot.registration.problems import FileRejected, Problem
from bot.registration.text import compact

_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# "=SUM(...)", "@cmd", "+HYPERLINK(...)", "-cmd|..." — but not "+33 6 12 34 56 78" nor "-".
_FORMULA = re.compile(r"^\s*(?:[=@]|[+-]\s*[^\d\s().])")
_DELIMITERS = (";", ",", "\t")


@dataclass(frozen=True)
class Field:
    """A column the reader looks for: a canonical name and its accepted headers (folded)."""

    name: str
    aliases: tuple[str, ...]
    label: str  # "Prénom / First name", shown when the column is missing
    required: bool = False


EMAIL_FIELD = Field(
    "email",
    ("email", "mail", "courriel", "adressemail", "adresseemail", "adressecourriel", "emailaddress"),
    "E-mail / Courriel",
)
"""The e-mail column, named alike in rosters and sign-up exports."""


@dataclass(frozen=True)
class Row:
    line: int  # 1-based line of the file where the row starts
    values: dict[str, str]  # canonical field -> stripped cell text ("" when empty)


@dataclass(frozen=True)
class Table:
    rows: list[Row]
    headers: dict[str, str]  # canonical field -> header as written in the file
    encoding: str
    delimiter: str
    problems: list[Problem]


def decode(data: bytes, filename: str, max_bytes: int) -> tuple[str, str]:
    """The text of ``data`` and the encoding used; refuse empty, oversized or binary files, and
    files that do not decode honestly.

    A byte-order mark names the encoding (UTF-8 or UTF-16); without one, UTF-8 is tried first.
    A file that is UTF-8 but for a few bytes (a line pasted from another program) is refused with
    the line of the first bad bytes, instead of reading the whole file in another encoding. A file
    with no UTF-8 in it is read as Windows-1252, as Excel writes in France, once
    `charset-normalizer`_ finds Latin-script text in it; a file whose text is another script or
    reads as garbage (Shift-JIS, UTF-8 already turned into ``Ã©``) is refused. (DOS and Mac code
    pages cannot be told from Windows-1252 by a detector on names like these: they are not
    guessed.)

    .. _charset-normalizer: https://charset-normalizer.readthedocs.io/
    """
    if not data.strip():
        raise InvalidInput("registration.file.empty", filename=filename)
    if len(data) > max_bytes:
        raise InvalidInput(
            "registration.file.too_large",
            filename=filename,
            size_kb=(len(data) + 1023) // 1024,
            limit_kb=max_bytes // 1024,
        )
    if data.startswith(_WORKBOOK_MAGIC):
        raise InvalidInput("registration.file.workbook", filename=filename)
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = _strict(data, "utf-8-sig", "UTF-8", filename), "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = _strict(data, "utf-16", "UTF-16", filename), "utf-16"
    elif data.startswith(_BINARY_MAGIC) or b"\x00" in data:
        raise InvalidInput("registration.file.binary", filename=filename)
    else:
        text, encoding = _without_bom(data, filename)
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 200):
        raise InvalidInput("registration.file.binary", filename=filename)
    if _MOJIBAKE.search(text) and len(_MOJIBAKE.findall(text)) * 10 > _non_ascii(text):
        raise InvalidInput("registration.file.implausible", filename=filename)
    return text, encoding


# UTF-8 read as Windows-1252 then saved again: "Ã©" for "é", "Ã¨" for "è", "â€™" for "’".
_MOJIBAKE = re.compile(
    "Ã[\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013-\u203a\u20ac]|â€"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
WESTERN_MESS = 0.2  # charset-normalizer's mess ratio above which a decoding reads as garbage


def _non_ascii(text: str) -> int:
    return len(_NON_ASCII.findall(text))


def _strict(data: bytes, codec: str, name: str, filename: str) -> str:
    """``data`` decoded by ``codec``, or a refusal naming the line of the first bad bytes and
    how many lines have some."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        _refuse_bad_bytes(data, codec, name, filename, error.start)
        raise  # not reached


def _refuse_bad_bytes(data: bytes, codec: str, name: str, filename: str, first: int) -> None:
    text = data.decode(codec, errors="replace")
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if "\ufffd" in line]
    line = data[:first].decode(codec, errors="replace").count("\n") + 1
    raise InvalidInput(
        "registration.file.bad_bytes",
        filename=filename,
        encoding=name,
        line=line,
        count=max(1, len(lines)),
    )


def _without_bom(data: bytes, filename: str) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        first = error.start
    # More valid multi-byte sequences than bad bytes: a UTF-8 file with a few foreign bytes.
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    if _non_ascii(replaced) - bad > bad:
        _refuse_bad_bytes(data, "utf-8", "UTF-8", filename, first)
    return _western(data, filename)


def _western(data: bytes, filename: str) -> tuple[str, str]:
    """A file with no UTF-8 in it: Windows-1252 (what Excel writes in France), if
    `charset-normalizer` finds Latin-script text in it and the Windows-1252 reading is not
    garbage."""
    from charset_normalizer import from_bytes  # slow to import: only for the rare legacy file
    from charset_normalizer.md import mess_ratio

    detected = from_bytes(data).best()
    if detected is None or not _latin(str(detected)):
        raise InvalidInput("registration.file.implausible", filename=filename)
    text = _strict(data, "cp1252", "Windows-1252", filename)
    if float(mess_ratio(text[:200_000], maximum_threshold=1.0)) > WESTERN_MESS:
        raise InvalidInput("registration.file.implausible", filename=filename)
    return text, "cp1252"


def _latin(text: str) -> bool:
    """Whether the letters of ``text`` are (nearly all) of the Latin script."""
    letters = [c for c in text[:200_000] if c.isalpha()]
    if not letters:
        return True
    foreign = sum(1 for c in letters if not unicodedata.name(c, "").startswith("LATIN"))
    return foreign * 50 <= len(letters)


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the most frequent of ``;``, ``,`` and tab outside quotes."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def is_formula(cell: str) -> bool:
    """Whether a spreadsheet would evaluate ``cell`` (``=HYPERLINK(...)``, ``@SUM``, ``+cmd|``)."""
    return bool(_FORMULA.match(cell))


def neutralise(cell: str) -> str:
    """Make ``cell`` inert in a spreadsheet by prefixing an apostrophe when it could be a formula."""
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r") or is_formula(cell):
        return "'" + cell
    return cell


def read_table(data: bytes, filename: str, fields: list[Field], *, max_bytes: int) -> Table:
    """Parse ``data`` into rows keyed by canonical field; raise if the file cannot be read at all.

    Row-level problems (formulas, extra cells) are returned in :attr:`Table.problems`; the caller
    adds its own and refuses the file if there are any.
    """
    text, encoding = decode(data, filename, max_bytes)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise InvalidInput("registration.file.empty", filename=filename) from None
    headers, columns, problems = _match_headers(header, fields)
    if problems:
        raise FileRejected(filename, problems)

    rows: list[Row] = []
    previous_end = reader.line_num
    try:
        for cells in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                problems.append(
                    Problem(
                        line,
                        None,
                        "registration.problem.extra_cells",
                        {"found": len(cells), "expected": len(header)},
                    )
                )
            for index, cell in enumerate(cells[: len(header)]):
                if is_formula(cell):
                    problems.append(
                        Problem(
                            line,
                            header[index].strip(),
                            "registration.problem.formula",
                            {"value": _short(cell)},
                        )
                    )
            values = {
                name: (_unescape(cells[index].strip()) if index < len(cells) else "")
                for name, index in columns.items()
            }
            rows.append(Row(line, values))
    except csv.Error:
        problems.append(Problem(reader.line_num, None, "registration.problem.unreadable", {}))
    return Table(rows, headers, encoding, delimiter, problems)


def _match_headers(
    header: list[str], fields: list[Field]
) -> tuple[dict[str, str], dict[str, int], list[Problem]]:
    by_alias: Mapping[str, Field] = {alias: f for f in fields for alias in f.aliases}
    headers: dict[str, str] = {}
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for index, raw in enumerate(header):
        spec = by_alias.get(compact(raw))
        if spec is None:
            continue
        if spec.name in columns:
            problems.append(
                Problem(
                    1,
                    raw.strip(),
                    "registration.problem.duplicate_column",
                    {"other": headers[spec.name]},
                )
            )
            continue
        headers[spec.name] = raw.strip()
        columns[spec.name] = index
    for spec in fields:
        if spec.required and spec.name not in columns:
            problems.append(
                Problem(1, None, "registration.problem.missing_column", {"expected": spec.label})
            )
    return headers, columns, problems


def _unescape(cell: str) -> str:
    """Undo :func:`neutralise`, so that a file this bot exported imports unchanged."""
    if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@"):
        return cell[1:]
    return cell


def _short(value: str, limit: int = 40) -> str:
    value = value.strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"
