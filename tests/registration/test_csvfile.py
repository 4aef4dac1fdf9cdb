from __future__ import annotations

import pytest

from bot.errors import InvalidInput
from bot.i18n import Catalog
from bot.registration.csvfile import Field, is_formula, neutralise, read_table
from bot.registration.problems import FileRejected

FIELDS = [
    Field("first_name", ("prenom", "firstname"), "Prénom / First name", required=True),
    Field("department", ("departement", "department"), "Département / Department", required=True),
]
TEXT = "Prénom;Département\r\nJérôme;56\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-8-sig"), "utf-8-sig"),
        (TEXT.encode("cp1252"), "cp1252"),
        (TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_encodings_are_detected(data: bytes, encoding: str) -> None:
    table = read_table(data, "f.csv", FIELDS, max_bytes=10_000)
    assert table.encoding == encoding
    assert table.rows[0].values == {"first_name": "Jérôme", "department": "56"}


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_delimiters_are_sniffed(delimiter: str) -> None:
    data = f"PRENOM{delimiter}department\nAnne{delimiter}29\n".encode()
    table = read_table(data, "f.csv", FIELDS, max_bytes=10_000)
    assert (table.delimiter, table.rows[0].values["first_name"]) == (delimiter, "Anne")


def test_quoted_fields_with_delimiters_and_line_breaks_are_read() -> None:
    data = b'Pr\xe9nom;D\xe9partement\r\n"Anne; dite\r\nAnnie";29\r\nLuc;56\r\n'
    table = read_table(data, "f.csv", FIELDS, max_bytes=10_000)
    assert [r.values["first_name"] for r in table.rows] == ["Anne; dite\r\nAnnie", "Luc"]
    assert [r.line for r in table.rows] == [2, 4]


def test_blank_rows_are_skipped() -> None:
    table = read_table(b"prenom;departement\n;\nAnne;29\n;;\n", "f.csv", FIELDS, max_bytes=1000)
    assert [r.line for r in table.rows] == [3]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "registration.file.empty"),
        (b"  \r\n ", "registration.file.empty"),
        (b"PK\x03\x04rest-of-a-workbook", "registration.file.workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "registration.file.binary"),
        (b"prenom;departement\n\x00\x01\x02", "registration.file.binary"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_key(data: bytes, key: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_table(data, "f.csv", FIELDS, max_bytes=10_000)
    assert caught.value.key == key


def test_an_oversized_file_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        read_table(b"prenom;departement\n" + b"a;1\n" * 1000, "f.csv", FIELDS, max_bytes=2048)
    assert (caught.value.key, caught.value.params["limit_kb"]) == ("registration.file.too_large", 2)


def test_a_missing_column_is_named_in_both_languages(catalog: Catalog) -> None:
    with pytest.raises(FileRejected) as caught:
        read_table(b"prenom;ville\nAnne;Brest\n", "f.csv", FIELDS, max_bytes=1000)
    assert caught.value.lines(catalog, "fr") == [
        "ligne 1\u00a0: colonne manquante\u00a0: Département / Department"
    ]
    assert caught.value.lines(catalog, "en") == ["line 1: missing column: Département / Department"]


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://x","clic")',
        "=1+1",
        "@SUM(A1)",
        "+cmd|' /C calc'!A0",
        "-HYPERLINK(1)",
        " =A1",
    ],
)
def test_formulas_are_detected(cell: str) -> None:
    assert is_formula(cell)


@pytest.mark.parametrize("cell", ["+33 6 12 34 56 78", "-", "Jean-Luc", "06 12 34 56 78", ""])
def test_ordinary_values_are_not_formulas(cell: str) -> None:
    assert not is_formula(cell)


def test_formula_cells_are_reported_with_line_and_column() -> None:
    table = read_table(
        'Prénom;Département\n=HYPERLINK("x");56\n'.encode(), "f.csv", FIELDS, max_bytes=1000
    )
    assert [(p.line, p.column, p.key) for p in table.problems] == [
        (2, "Prénom", "registration.problem.formula")
    ]


@pytest.mark.parametrize(
    ("cell", "safe"),
    [("=1+1", "'=1+1"), ("+33 6", "'+33 6"), ("@x", "'@x"), ("Anne", "Anne"), ("", "")],
)
def test_neutralise_prefixes_formula_starts(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe


ROSTER_UTF8 = (
    "Prénom;Département\r\n" + "".join(f"Sébastien{i};56\r\nJérôme{i};29\r\n" for i in range(30))
).encode("utf-8")


def test_one_latin1_byte_in_a_utf8_file_is_named_by_its_line_not_turned_into_mojibake(
    catalog: Catalog,
) -> None:
    broken = ROSTER_UTF8.replace("Jérôme7;".encode(), b"J\xe9r\xf4me7;")  # line 17
    with pytest.raises(InvalidInput) as caught:
        read_table(broken, "rdj.csv", FIELDS, max_bytes=100_000)
    assert (caught.value.key, caught.value.params) == (
        "registration.file.bad_bytes",
        {"filename": "rdj.csv", "encoding": "UTF-8", "line": 17, "count": 1},
    )
    assert catalog.t(caught.value.key, "fr", **caught.value.params) == (
        "«\u00a0rdj.csv\u00a0» est en UTF-8, mais la ligne 17 contient des caractères qui ne le "
        "sont pas (un copier-coller depuis un autre logiciel\u202f?)\u00a0: corrigez-la, ou "
        "réenregistrez le fichier en «\u00a0CSV UTF-8\u00a0», puis réimportez-le."
    )


def test_bad_bytes_on_several_lines_name_the_first_and_count_the_lines(catalog: Catalog) -> None:
    broken = ROSTER_UTF8.replace("Jérôme7;".encode(), b"J\xe9r\xf4me7;").replace(
        "Jérôme9;".encode(), b"J\xe9r\xf4me9;"
    )
    with pytest.raises(InvalidInput) as caught:
        read_table(broken, "rdj.csv", FIELDS, max_bytes=100_000)
    assert caught.value.params == {
        "filename": "rdj.csv",
        "encoding": "UTF-8",
        "line": 17,
        "count": 2,
    }
    assert catalog.t(caught.value.key, "en", **caught.value.params) == (
        "“rdj.csv” is in UTF-8, but 2 lines hold characters that are not, starting with line 17 "
        "(pasted from another program?): fix them, or save the file again as “CSV UTF-8”, then "
        "import it again."
    )


def test_a_whole_cp1252_file_is_still_read_as_cp1252() -> None:
    data = ROSTER_UTF8.decode("utf-8").encode("cp1252")
    table = read_table(data, "f.csv", FIELDS, max_bytes=100_000)
    assert table.encoding == "cp1252"
    assert [r.values["first_name"] for r in table.rows[:2]] == ["Sébastien0", "Jérôme0"]


def test_a_shift_jis_file_is_refused_rather_than_imported_as_garbage(catalog: Catalog) -> None:
    text = "Prenom;Departement\r\n" + "".join(f"太郎{i};56\r\n花子{i};75\r\n" for i in range(20))
    with pytest.raises(InvalidInput) as caught:
        read_table(text.encode("shift_jis"), "jp.csv", FIELDS, max_bytes=100_000)
    assert (caught.value.key, caught.value.params) == (
        "registration.file.implausible",
        {"filename": "jp.csv"},
    )
    assert catalog.t(caught.value.key, "en", **caught.value.params) == (
        "“jp.csv” does not read as text in UTF-8 nor in a Western European encoding: save it "
        "again as “CSV UTF-8” and import it again."
    )


def test_a_utf8_file_already_turned_into_mojibake_is_refused() -> None:
    mangled = ROSTER_UTF8.decode("utf-8").encode("utf-8").decode("cp1252").encode("utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_table(mangled, "f.csv", FIELDS, max_bytes=100_000)
    assert caught.value.key == "registration.file.implausible"


def test_a_utf16_file_with_a_bad_pair_is_named_by_its_line() -> None:
    data = "Prénom;Département\r\nAnne;29\r\n".encode("utf-16") + b"\x00\xd8;\x005\x006\x00"
    with pytest.raises(InvalidInput) as caught:
        read_table(data, "f.csv", FIELDS, max_bytes=100_000)
    assert (caught.value.key, caught.value.params["encoding"], caught.value.params["line"]) == (
        "registration.file.bad_bytes",
        "UTF-16",
        3,
    )
