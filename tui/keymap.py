"""Your own keys: a TOML file in the config folder that remaps any binding by its id.

    "explorer.next-hit" = "j"                 # one key
    "explorer.find" = ["ctrl+f", "f4"]        # or several

A mistake in the file costs only the key it names, never the start: an unknown id, a malformed key,
a clash (two bindings of one screen or widget on one key) or TOML that does not parse is reported
with its line number, and the default is kept. The explorer, the help screen, the palette and the
reader's header all read the keys after the keymap (``tui.keys``); ``broadsheet keys`` prints them.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import REPLACED_KEYS, Keys, key_to_character

from index.cleaning import sanitize
from tui.keys import GROUP_ORDER

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

CONFIG_ENV = "BROADSHEET_CONFIG_DIR"
"""Environment variable that moves the config folder (tests point it at a temporary folder)."""

KEYMAP_NAME = "keymap.toml"

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED_KEYS = frozenset(key.value for key in Keys if key.value.isalnum())
"""Keys with a name of their own ("escape", "f3", "pagedown"); characters are named by Unicode."""

_TABLE = re.compile(r"\s*\[(?P<key>[^\[\]]*)\]\s*(?:#.*)?$")
_ENTRY = re.compile(
    r"""\s*(?P<key>(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="""
)
_KEY_PART = re.compile(r""""([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+)""")
_TOML_LINE = re.compile(r"at line (\d+)")


def config_dir() -> Path:
    """What the user chose (the keymap) lives here: ``$BROADSHEET_CONFIG_DIR`` or the platform's."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("broadsheet"))


def keymap_path() -> Path:
    return config_dir() / KEYMAP_NAME


@dataclass(frozen=True, slots=True)
class Scope:
    """A screen, a widget or the app: within one, a key runs one binding."""

    name: str
    bindings: dict[str, Binding]
    """Its bindings that have an id, by id, each with its keys as declared ("j,down")."""

    def default_keys(self, binding_id: str) -> list[str]:
        """The keys of one binding before any keymap, as Textual names them."""
        return [binding.key for binding in Binding.make_bindings([self.bindings[binding_id]])]

    def shown_default(self, binding_id: str) -> str:
        """The default keys as a message names them: "j, down"."""
        return ", ".join(key_label(key) for key in self.default_keys(binding_id))


def scope_name(node_class: type[DOMNode]) -> str:
    """How the help screen and ``broadsheet keys`` name where a binding lives."""
    group = getattr(node_class, "HELP_GROUP", None)
    if group:
        return str(group)
    if issubclass(node_class, App):
        return "App"
    name = node_class.__name__.removesuffix("Screen")
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).capitalize()


def binding_scopes() -> list[Scope]:
    """Every class of Broadsheet's TUI that declares bindings with ids, in the help screen's order
    (the explorer, its panes, the app, then the other screens).

    Found by walking the subclasses of Textual's ``DOMNode`` among the modules loaded, so that a new
    widget's keys need no registering here: call it once the app (``tui.app``) is imported.
    """
    scopes: list[Scope] = []
    for node_class in _subclasses(DOMNode):
        if not node_class.__module__.startswith("tui."):
            continue
        declared = node_class.__dict__.get("BINDINGS", ())
        bindings = {
            binding.id: binding for binding in declared if isinstance(binding, Binding) and binding.id
        }
        if bindings:
            scopes.append(Scope(scope_name(node_class), bindings))
    order = {name: rank for rank, name in enumerate(("Explorer", *GROUP_ORDER, "App"))}
    return sorted(scopes, key=lambda scope: (order.get(scope.name, len(order)), scope.name))


def _subclasses(root: type[DOMNode]) -> Iterator[type[DOMNode]]:
    seen: set[type[DOMNode]] = set()
    pending = [root]
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass not in seen:
                seen.add(subclass)
                pending.append(subclass)
                yield subclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake in the keymap file, and the line it is on (None: the whole file)."""

    line: int | None
    message: str

    def __str__(self) -> str:
        """One line, safe to print: the message quotes what the file says."""
        message = " ".join(sanitize(self.message).split())
        return message if self.line is None else f"line {self.line}: {message}"


@dataclass(frozen=True, slots=True)
class LoadedKeymap:
    """The remappings that hold (id -> "key,key" for ``App.set_keymap``) and what was wrong."""

    keymap: dict[str, str]
    problems: tuple[Problem, ...] = ()


def load_keymap(path: Path, scopes: Sequence[Scope]) -> LoadedKeymap:
    """The keymap in ``path`` checked against ``scopes``; no file is no keymap, and no error."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedKeymap({})
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8"
        return LoadedKeymap({}, (Problem(None, f"cannot be read ({reason}); default keys used."),))
    return parse_keymap(text, scopes)


def parse_keymap(text: str, scopes: Sequence[Scope]) -> LoadedKeymap:
    """Check each remapping of ``text`` in turn and keep those that hold."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return LoadedKeymap({}, (_toml_problem(text, error),))
    lines = _entry_lines(text)
    defaults = {
        binding_id: scope.shown_default(binding_id) for scope in scopes for binding_id in scope.bindings
    }
    problems: list[Problem] = []
    wanted: dict[str, list[str]] = {}
    for binding_id, value in _entries(document):
        problem = _check_entry(binding_id, value, defaults)
        if problem:
            problems.append(Problem(lines.get(binding_id), problem))
        else:
            wanted[binding_id] = _key_names(value)
    kept, clashes = _without_clashes(wanted, scopes, lines)
    problems.extend(clashes)
    problems.sort(key=lambda problem: problem.line or 0)
    return LoadedKeymap({binding_id: ",".join(keys) for binding_id, keys in kept.items()}, tuple(problems))


def _toml_problem(text: str, error: tomllib.TOMLDecodeError) -> Problem:
    """The parser's reason and line ("Unclosed array (at line 3, column 9)"; "at end of document")."""
    found = _TOML_LINE.search(str(error))
    reason = str(error).split(" (at ")[0]
    line = int(found.group(1)) if found else len(text.splitlines())
    return Problem(line, f"not valid TOML ({reason}); default keys used.")


def _entries(document: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(binding id, value) of each entry; a bare ``explorer.find`` is a table in TOML, hence joined."""
    for key, value in document.items():
        if isinstance(value, dict):
            yield from _entries(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _entry_lines(text: str) -> dict[str, int]:
    """The line of each entry, by its full (dotted) name; TOML parsers do not say."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        if header := _TABLE.match(line):
            table = _dotted(header.group("key"))
        elif entry := _ENTRY.match(line):
            name = _dotted(entry.group("key"))
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


def _dotted(key: str) -> str:
    return ".".join(
        next(part for part in match.groups() if part is not None) for match in _KEY_PART.finditer(key)
    )


def _check_entry(binding_id: str, value: object, defaults: Mapping[str, str]) -> str | None:
    """Why this entry cannot be used, or None."""
    if binding_id not in defaults:
        close = difflib.get_close_matches(binding_id, list(defaults), n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        return f'"{binding_id}" is not a binding id{hint}; `broadsheet keys` lists them.'
    default = defaults[binding_id]
    if not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))):
        return f"{binding_id} takes a key or a list of keys, in quotes; kept {default}."
    keys = value.split(",") if isinstance(value, str) else value
    if not keys:
        return f"{binding_id} has no key; kept {default}."
    for key in keys:
        if not is_key(key.strip()):
            return f'"{key}" for {binding_id} is not a key Broadsheet knows; kept {default}.'
    return None


def is_key(key: str) -> bool:
    """Whether ``key`` names a key: modifiers, then a character or a key's name ("ctrl+f", "F", "f3")."""
    if len(key) == 1:
        return key.isprintable()  # "+" too
    *modifiers, base = key.split("+")
    if not base or not set(modifiers) <= MODIFIERS:
        return False
    return len(base) == 1 or base in NAMED_KEYS or key_to_character(REPLACED_KEYS.get(base, base)) is not None


def key_label(name: str) -> str:
    """A key as a person writes it: the character for a named one ("?" for "question_mark")."""
    character = None if "+" in name else key_to_character(REPLACED_KEYS.get(name, name))
    return character if character and character.isprintable() and not character.isspace() else name


def _key_names(value: str | list[str]) -> list[str]:
    """The keys as Textual names them ("?" is "question_mark"), each once."""
    keys = value.split(",") if isinstance(value, str) else value
    named = (binding.key for binding in Binding.make_bindings([Binding(",".join(keys), "")]))
    return list(dict.fromkeys(named))


def _without_clashes(
    wanted: dict[str, list[str]], scopes: Sequence[Scope], lines: Mapping[str, int]
) -> tuple[dict[str, list[str]], list[Problem]]:
    """Drop the remappings that put two ids of one scope on one key, until none does.

    A remapping that lands on a key another binding keeps is dropped; of two remappings onto one
    key, the later line's. Dropping one may bring back a default key that clashes with another, so
    the check repeats; it ends, since each round drops at least one.
    """
    kept = dict(wanted)
    problems: list[Problem] = []
    while True:
        dropped: dict[str, str] = {}
        for scope in scopes:
            for key, ids in _keys_in(scope, kept).items():
                if len(ids) > 1 and any(binding_id in kept for binding_id in ids):
                    for loser, other in _losers(ids, kept, lines):
                        dropped.setdefault(
                            loser, f'"{key_label(key)}" for {loser} clashes with {other} ({scope.name})'
                        )
        if not dropped:
            return kept, problems
        for loser, reason in dropped.items():
            default = next(scope.shown_default(loser) for scope in scopes if loser in scope.bindings)
            problems.append(Problem(lines.get(loser), f"{reason}; kept {default}."))
            del kept[loser]


def _keys_in(scope: Scope, keymap: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Each key of ``scope`` after ``keymap`` and the ids bound to it."""
    keys: dict[str, list[str]] = {}
    for binding_id in scope.bindings:
        for name in keymap.get(binding_id) or scope.default_keys(binding_id):
            ids = keys.setdefault(name, [])
            if binding_id not in ids:
                ids.append(binding_id)
    return keys


def _losers(
    ids: list[str], kept: Mapping[str, list[str]], lines: Mapping[str, int]
) -> Iterator[tuple[str, str]]:
    """Which remapped ids on one key give way, each with the id it clashed with."""
    defaults = [binding_id for binding_id in ids if binding_id not in kept]
    remapped = sorted((binding_id for binding_id in ids if binding_id in kept), key=lambda i: lines.get(i, 0))
    winner = defaults[0] if defaults else remapped.pop(0)
    for loser in remapped:
        yield loser, winner


@dataclass(frozen=True, slots=True)
class KeyRow:
    """One binding as ``broadsheet keys`` prints it."""

    id: str
    keys: tuple[str, ...]
    description: str
    where: str


def key_rows(scopes: Sequence[Scope], keymap: Mapping[str, str]) -> list[KeyRow]:
    """Every binding with an id and its keys after ``keymap`` (as written: "?", "ctrl+f"), scope by scope."""
    rows = []
    for scope in scopes:
        for binding_id, binding in scope.bindings.items():
            remapped = keymap.get(binding_id)
            keys = remapped.split(",") if remapped else scope.default_keys(binding_id)
            labels = tuple(dict.fromkeys(key_label(key) for key in keys))
            rows.append(KeyRow(binding_id, labels, binding.description, scope.name))
    return rows
