"""Every word a user reads comes from the message catalog: a sentence written as a literal where a
user sees it (a reply, an embed, a button, a line the command line prints) fails this test."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Calls whose arguments a user reads, and the keyword arguments of any call that a user reads.
SINK_CALLS = {"send_message", "send", "edit_message", "edit_original_response", "print", "out"}
SINK_KEYWORDS = {"content", "title", "description", "label", "placeholder", "text", "value", "name"}
WORDS = re.compile(r"[^\W\d_]{2,}(?:['’][^\W\d_]+)?", re.UNICODE)


def literal_words(node: ast.AST) -> str:
    """The literal text of a str constant or an f-string (placeholders left out)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    return ""


def is_sentence(text: str) -> bool:
    """Two words or more with a space between them (not an identifier like ``shell-posts``)."""
    return any(len(WORDS.findall(part)) >= 1 for part in text.split()[1:]) and bool(
        WORDS.search(text.split()[0] if text.split() else "")
    )


def call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def literal_sentences(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = call_name(node)
        shown = list(node.args) if name in SINK_CALLS else []
        shown += [k.value for k in node.keywords if k.arg in SINK_KEYWORDS and name != "getLogger"]
        for arg in shown:
            text = literal_words(arg)
            if is_sentence(text):
                found.append(f"{path.name}:{arg.lineno}: {text[:60]!r}")
    return found


def user_facing_modules() -> list[Path]:
    paths = sorted((ROOT / "cogs").rglob("*.py")) + sorted((ROOT / "bot").rglob("*.py"))
    return [p for p in paths if "sandbox" not in p.parts]


def test_no_sentence_is_written_outside_the_catalog():
    found = [line for path in user_facing_modules() for line in literal_sentences(path)]
    assert found == []


def test_the_check_catches_a_literal_reply(tmp_path: Path):
    planted = tmp_path / "planted.py"
    planted.write_text(
        "async def f(interaction, embed):\n"
        "    await interaction.response.send_message('Votre inscription est notée')\n"
        "    embed.add_field(name='Dernière relance', value=f'{n} relances envoyées')\n"
        "    task = create_task(work(), name='shell-posts')\n",
        "utf-8",
    )
    assert len(literal_sentences(planted)) == 3
