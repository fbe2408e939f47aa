"""The one post-processing step after WeasyPrint: table header scopes in the PDF's structure tree.

WeasyPrint 70 tags `<th>` as `/TH` and links data cells to them with `/Headers`
and `/IDs`, but never writes `/Scope` on a header cell (WeasyPrint issue #2508),
and a table with no `<th>` at all (a log whose first column is its time) has
data cells and nothing that says what they mean. Checkers and screen readers
look for `/Scope`. This step, run on the finished bytes with pikepdf, gives:

- every `/TH` in a `/THead`, or in a row of headers only, `/Scope /Column`;
- every other `/TH` (a header that starts a row of data cells) `/Scope /Row`;
- a table with data cells and no header cell its first column as row headers
  (`/TH`, `/Scope /Row`): in every table ttx prints, that column names the row.

A `/Scope` already present is kept. (Strictly, PDF/UA-1 §7.5 is met by WeasyPrint's
`/Headers` and `/IDs` alone, and the `pdfua` checker, which looks for `/Scope` or
`/Headers` on the header cell itself, warns wrongly there; the scope is added because
screen readers and the checker both use it, not to silence the checker.) The catalog's `/Lang` (from the HTML's
`lang`, i.e. the exercise's language) is left as WeasyPrint wrote it. The file
is saved with a deterministic `/ID`, so the same HTML still gives the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name

_ROW_GROUPS = (Name.THead, Name.TBody, Name.TFoot)


def finish_tags(data: bytes) -> bytes:
    """The PDF `data` with every table's header cells scoped (see the module docstring)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.get(Name.StructTreeRoot)
        if not isinstance(root, Dictionary):
            return data
        changed = False
        for table in _elements(root, Name.Table):
            changed |= _scope_table(table)
        if not changed:
            return data
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _kids(node: Dictionary) -> Iterator[Dictionary]:
    """The structure elements directly below `node` (marked-content ids and references skipped)."""
    kids = node.get(Name.K)
    for kid in kids if isinstance(kids, Array) else [kids]:
        if isinstance(kid, Dictionary) and Name.S in kid:
            yield kid


def _elements(node: Dictionary, role: Name) -> Iterator[Dictionary]:
    """Every element of `role` under `node`, depth first (tables are not searched inside)."""
    stack = list(_kids(node))
    stack.reverse()
    while stack:
        element = stack.pop()
        if element.get(Name.S) == role:
            yield element
            continue
        children = list(_kids(element))
        children.reverse()
        stack.extend(children)


def _rows(table: Dictionary) -> Iterator[tuple[Dictionary, bool]]:
    """The table's `/TR` rows, each with True when it sits in the table's `/THead`."""
    for kid in _kids(table):
        role = kid.get(Name.S)
        if role == Name.TR:
            yield kid, False
        elif role in _ROW_GROUPS:
            for row in _kids(kid):
                if row.get(Name.S) == Name.TR:
                    yield row, role == Name.THead


def _cells(row: Dictionary) -> list[Dictionary]:
    return [kid for kid in _kids(row) if kid.get(Name.S) in (Name.TH, Name.TD)]


def _scope_table(table: Dictionary) -> bool:
    """Scope the header cells of one table (or make its first column the headers); True if changed."""
    rows = [(row, head, _cells(row)) for row, head in _rows(table)]
    has_header = any(cell.get(Name.S) == Name.TH for _row, _head, cells in rows for cell in cells)
    changed = False
    for _row, head, cells in rows:
        if not has_header:
            if len(cells) > 1:
                cells[0][Name.S] = Name.TH
                changed |= _set_scope(cells[0], Name.Row)
            continue
        all_headers = all(cell.get(Name.S) == Name.TH for cell in cells)
        for cell in cells:
            if cell.get(Name.S) == Name.TH:
                scope = Name.Column if head or all_headers else Name.Row
                changed |= _set_scope(cell, scope)
    return changed


def _set_scope(cell: Dictionary, scope: Name) -> bool:
    """Give a header cell its `/Scope` in its table attributes, unless it has one; True if set."""
    attributes = cell.get(Name.A)
    owners = list(attributes) if isinstance(attributes, Array) else [attributes]
    for owner in owners:
        if isinstance(owner, Dictionary) and owner.get(Name.O) == Name.Table:
            if Name.Scope in owner:
                return False
            owner[Name.Scope] = scope
            return True
    table_attributes = Dictionary(O=Name.Table, Scope=scope)
    if isinstance(attributes, Array):
        attributes.append(table_attributes)
    elif isinstance(attributes, Dictionary):
        cell[Name.A] = Array([attributes, table_attributes])
    else:
        cell[Name.A] = table_attributes
    return True
