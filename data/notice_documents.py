"""The notices' Word documents (#15 催办): the built-in templates and the rendering of a
template with a notice's values (data/notices.py says which values). Pure: bytes and values in,
.docx bytes out; no database.

Templates are docxtpl templates (Jinja tags inside a .docx), rendered in Jinja's sandbox with
strict variables and XML escaping: an admin's template reads the values it is given and nothing
else, and a value's `<` or `&` cannot break the document. A day's notices are many renderings of
one template: `Renderer` prepares it once.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

ISSUER = "县司法局纠风办"
BODY = {
    "chase": (
        "经查，截至{{ date }}，你单位下列 {{ item_count }} 项工作已超过办理期限，尚未办结。"
        "请高度重视，逐项落实，抓紧办理，并将办理情况及时报送县司法局纠风办。"
    ),
    "escalate": (
        "你单位下列 {{ item_count }} 项工作经催办后仍未在期限内办结。"
        "现予督办，请单位主要负责人亲自过问，限期办结，并将办理结果书面报送县司法局纠风办。"
    ),
}
HEADINGS = ("序号", "类别", "事项", "办理期限", "逾期", "环节")
CELLS = (
    "{{ item.no }}",
    "{{ item.kind }}",
    "{{ item.label }}",
    "{{ item.deadline }}",
    "{{ item.overdue }}",
    "{{ item.step }}",
)
FONT = "仿宋"


def _run(paragraph: Any, text: str, size: float = 14, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)
    run.bold = bold


@functools.cache
def builtin_template(kind: str) -> bytes:
    """The built-in template of a kind: a .docx with docxtpl tags (made once per process)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, "{{ title }}", 22, True)
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(number, "{{ number }}")
    _run(document.add_paragraph(), "{{ unit }}：")
    body = document.add_paragraph()
    _run(body, "　　" + BODY[kind])
    table = document.add_table(rows=4, cols=len(HEADINGS))
    table.style = "Table Grid"
    for col, heading in enumerate(HEADINGS):
        _run(table.cell(0, col).paragraphs[0], heading, 11, True)
    # docxtpl's row tags: the rows between {%tr for %} and {%tr endfor %} repeat per item.
    _run(table.cell(1, 0).paragraphs[0], "{%tr for item in items %}", 11)
    for col, cell in enumerate(CELLS):
        _run(table.cell(2, col).paragraphs[0], cell, 11)
    _run(table.cell(3, 0).paragraphs[0], "{%tr endfor %}", 11)
    if kind == "escalate":
        _run(document.add_paragraph(), "抄送：{{ leaders }}")
    for text in (ISSUER, "{{ date }}"):
        sign = document.add_paragraph()
        sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(sign, text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def sandbox() -> Any:
    """Jinja's sandbox with strict variables and XML escaping (values go into document XML)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def render(template: bytes, context: Mapping[str, Any]) -> bytes:
    """A template rendered with `context` as .docx bytes (jinja2 and docxtpl errors propagate)."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(io.BytesIO(template))
    document.render(dict(context), jinja_env=sandbox(), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class Renderer:
    """A template prepared once and rendered for many notices (a day's .zip): docxtpl's own
    preparation of the document body, compiled once, rendered per notice as docxtpl renders it,
    and put back in a copy of the template's package. A template with tags outside the body
    (headers, footers, notes, properties) is left to docxtpl whole, notice by notice."""

    def __init__(self, template: bytes) -> None:
        from docxtpl import DocxTemplate
        from lxml import etree

        self.template = template
        with zipfile.ZipFile(io.BytesIO(template)) as package:
            self.entries = [(info, package.read(info.filename)) for info in package.infolist()]
        self.document = DocxTemplate(io.BytesIO(template))
        self.document.render_init()
        self.part = str(self.document.docx.part.partname).lstrip("/")
        tagged = (b"{{", b"{%")
        self.fast = not any(
            info.filename != self.part and any(tag in data for tag in tagged)
            for info, data in self.entries
        )
        if not self.fast:
            return
        body = self.document.patch_xml(self.document.get_xml())
        self.body = sandbox().from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", body))
        shell = copy.deepcopy(self.document.docx.element)
        shell.replace(shell.body, etree.Element("notice-body"))
        text = etree.tostring(shell, xml_declaration=True, encoding="UTF-8", standalone=True)
        self.head, _, self.tail = text.partition(b"<notice-body/>")

    def render(self, context: Mapping[str, Any]) -> bytes:
        """The template rendered with `context` as .docx bytes."""
        if not self.fast:
            return render(self.template, context)
        from lxml import etree

        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", self.body.render(dict(context)))
        for escaped, tag in (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}")):
            xml = xml.replace(escaped, tag)
        tree = self.document.fix_tables(self.document.resolve_listing(xml))
        self.document.docx_ids_index = 1000
        self.document.fix_docpr_ids(tree)
        part = self.head + etree.tostring(tree, encoding="UTF-8") + self.tail
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            for info, data in self.entries:
                package.writestr(info, part if info.filename == self.part else data)
        return out.getvalue()
