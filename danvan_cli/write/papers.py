"""The year's papers as Word documents: the contents of award/papers.py poured into a .docx
template (docxtpl: Jinja tags in a real Word file) — the office's own copy in the workspace's
mau-van-ban/ when it has one, else the bundled template (write/papers/).

A template is untrusted input (it may come from anyone): it runs in Jinja's sandbox, an
unknown tag or a broken one is a clear error naming the file (exit 2), values are escaped and
cleaned of what XML cannot hold. The file is stamped as danvan's output and written atomically.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from danvan_cli.award.papers import (
    BLANK,
    CertificatePaper,
    Considered,
    DecisionPaper,
    Heading,
    MinutesPaper,
    NoticePaper,
    ProposalPaper,
    Row,
    Tie,
    count,
)
from danvan_cli.config.documents import Signer
from danvan_cli.config.rubric import KINDS, Kind
from danvan_cli.errors import DanvanError
from danvan_cli.i18n.catalog import Message, t
from danvan_cli.i18n.numbers import fmt_money, fmt_number
from danvan_cli.read.recognise import OUTPUT_MARK
from danvan_cli.text.normalize import fold, xml_safe
from danvan_cli.write.document import FIXED_TIME, dateline
from danvan_cli.write.paper_templates import FOLDER, TEMPLATES

VI = "vi"  # papers are Vietnamese documents, whatever the language of the messages
_ROMAN = ("I", "II", "III", "IV")
_STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")


def template_file(name: str, own: Path | None) -> Path:
    """The office's copy of a template (`own`: the workspace's mau-van-ban/) or the bundled one."""
    file = TEMPLATES[name]
    if own is not None and (own / file).is_file():
        return own / file
    return FOLDER / file


# -- values ------------------------------------------------------------------------------
_QUOTED = re.compile(r'"([^"\n]*)"')


def _clean(value: Any) -> Any:
    """Every text cleaned for XML, recursively (lists and mappings of the context), its
    straight quotes made typographic like the templates' (“Dân vận khéo”)."""
    if isinstance(value, str):
        return _QUOTED.sub("\u201c\\1\u201d", xml_safe(value))
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _lines(items: Sequence[str], last: str) -> list[str]:
    """Items as the decree lists them: each ending ";", the last one `last`."""
    items = [i.strip().rstrip(";.") for i in items if i.strip()]
    return [f"{i}{last if n == len(items) - 1 else ';'}" for n, i in enumerate(items)]


def _recipients(items: Sequence[str]) -> list[str]:
    return [f"- {line}" for line in _lines(items, ".")]


def _basis(titles: Sequence[str], last: str = ".") -> list[str]:
    """The "Căn cứ …;" lines, the last one ending with `last`."""
    return _lines([t("paper.basis", VI, title=title) for title in titles], last)


def _signer(signer: Signer | None) -> dict[str, Any]:
    """The signature block's lines, and how a sentence introduces the signer ("Đàm Ngọc
    Quang, Chủ tịch Hội đồng"; a blank name is a dotted line)."""
    blank = t("paper.blank_name", VI)
    if signer is None:
        return {"tham_quyen": [], "chuc_vu": "", "ho_ten": blank, "gioi_thieu": blank}
    position = signer.position.strip()
    title = signer.title.strip() or position[:1] + position[1:].lower()
    name = signer.name.strip() or blank
    return {
        "tham_quyen": list(signer.authority),
        "chuc_vu": position,
        "ho_ten": name,
        "gioi_thieu": f"{name}, {title}" if signer.name.strip() else name,
    }


def _heading(h: Heading) -> dict[str, Any]:
    party = h.issuer.header == "party"
    return {
        "dang": party,
        "co_quan_cap_tren": "\n".join(h.issuer.parent),
        "co_quan": "\n".join(h.issuer.name),
        "so": t("paper.number_party" if party else "paper.number_state", VI, number=h.number),
        "dia_danh_ngay": dateline(h.place, h.date, VI) if h.date else "",
    }


def _score(value: Any) -> str:
    return fmt_number(value, VI) if value is not None else ""


def _who(r: Row) -> str:
    """Position and unit of an individual; the unit of a collective."""
    if r.kind == "individual" and r.position:
        return f"{r.position}, {r.unit}" if r.unit else r.position
    return r.unit


def _model(r: Row) -> str:
    if r.benefit is not None and r.model:
        return t("paper.model_benefit", VI, model=r.model, amount=fmt_money(r.benefit, VI))
    return r.model


def _groups(rows: Sequence[Row], cells: Any) -> list[dict[str, Any]]:
    """Rows grouped by kind ("I. TẬP THỂ (03)"), numbered within their group."""
    groups: list[dict[str, Any]] = []
    for kind in KINDS:
        members = [r for r in rows if r.kind == kind]
        if not members:
            continue
        name = t(f"kind.{kind}", VI).upper()
        number = _ROMAN[len(groups)]
        groups.append(
            {
                "ten": t("paper.group", VI, number=number, kind=name, count=count(len(members))),
                "ds": [{"stt": i, **cells(r)} for i, r in enumerate(members, start=1)],
            }
        )
    return groups


def _counts(rows: Sequence[Row], ties: Sequence[Tie] = ()) -> dict[Kind, str]:
    return {
        k: count(sum(1 for r in rows if r.kind == k) + sum(x.places for x in ties if x.kind == k))
        for k in KINDS
    }


def _ties(ties: Sequence[Tie], decided: bool = False) -> list[str]:
    """Each tie for the council: before its meeting, the places it chooses; after it, whom it
    chose — or that it has not (yet) chosen, never a choice it did not make."""
    lines = []
    for tie in ties:
        params = {
            "kind": t(f"kind.{tie.kind}", VI),
            "names": ", ".join(tie.names),
            "total": _score(tie.total),
            "places": count(tie.places),
            "count": count(len(tie.names)),
        }
        if not decided:
            lines.append(t("paper.tie", VI, **params))
        elif tie.chosen and len(tie.chosen) >= tie.places:
            lines.append(t("paper.tie_chosen", VI, chosen=", ".join(tie.chosen), **params))
        else:
            so_far = t("paper.tie_so_far", VI, chosen=", ".join(tie.chosen)) if tie.chosen else ""
            lines.append(t("paper.tie_undecided", VI, so_far=so_far, **params))
    return lines


def _considered(c: Considered | None) -> dict[str, Any]:
    """The tags of a level chosen among the lower level's recognized (the province): how many
    it considered, of which lower level, and the years in a row they needed."""
    if c is None:
        return {
            "xet_cap_duoi": False,
            "cap_duoi": "",
            "so_xem_xet": "",
            "so_nam": "",
            "cac_nam": "",
        }
    return {
        "xet_cap_duoi": True,
        "cap_duoi": c.lower,
        "so_xem_xet": count(c.count),
        "so_nam": count(len(c.years)),
        "cac_nam": ", ".join(str(y) for y in c.years),
    }


def _quota(quota: dict[str, int] | None) -> str:
    if not quota:
        return t("paper.no_quota", VI)
    return t(
        "paper.quota",
        VI,
        collective=count(quota.get("collective", 0)),
        individual=count(quota.get("individual", 0)),
    )


def _not_eligible(received: int, eligible: int, c: Considered | None) -> int:
    """Those not eligible: of the dossiers received, or of the lower level's recognized."""
    return (c.count if c is not None else received) - eligible


# -- each paper's context ------------------------------------------------------------------
def proposal_context(p: ProposalPaper) -> dict[str, Any]:
    lower = p.lower_name
    # Proposed: those within the quota, plus the places the council fills among the ties.
    counts = _counts([r for r in p.rows if r.status != "tie"], p.ties)
    status = {"tie": t("paper.tie_note", VI)}
    return {
        **_heading(p.heading),
        "nam": p.year,
        "cap": p.level.called.lower(),
        "can_cu": _basis(p.basis),
        "kinh_gui": "; ".join(p.to),
        "co_quan_trinh": p.heading.issuer.called,
        "hinh_thuc": p.papers.award,
        "nguoi_tang": p.papers.giver,
        "so_ho_so": count(p.received),
        "so_du_dieu_kien": count(p.eligible),
        "so_khong_du": count(_not_eligible(p.received, p.eligible, p.considered)),
        **_considered(p.considered),
        "so_tap_the": counts["collective"],
        "so_ca_nhan": counts["individual"],
        "cot_can_cu": t("paper.col_basis", VI, level=lower) if lower else "",
        "nhom": _groups(
            p.rows,
            lambda r: {
                "ten": r.name,
                "don_vi": _who(r),
                "mo_hinh": _model(r),
                "diem": _score(r.total),
                "can_cu": r.basis or status.get(r.status, ""),
            },
        ),
        "bang_diem": _ties(p.ties),
        "noi_nhan": _recipients(p.recipients),
        "ky": _signer(p.signer),
    }


def minutes_context(p: MinutesPaper) -> dict[str, Any]:
    agreed = [r for r in p.rows if r.vote == t("council.yes", VI)]
    counts = _counts(agreed)
    quota = {str(k): v for k, v in (p.level.quota or {}).items()} or None
    council = p.council.called if p.council else ""
    return {
        **_heading(p.heading),
        "nam": p.year,
        "cap": p.level.called.lower(),
        "hoi_dong": council,
        "do_trinh": t("paper.submitted_by", VI, who=p.proposer) if p.proposer else "",
        "dia_diem": p.place or BLANK * 4,
        "chu_tri": _signer(p.chair),
        "thu_ky": _signer(p.secretary),
        "so_ho_so": count(p.received),
        "so_du_dieu_kien": count(p.eligible),
        "so_khong_du": count(_not_eligible(p.received, p.eligible, p.considered)),
        **_considered(p.considered),
        "chi_tieu": _quota(quota),
        "nhom": _groups(
            p.rows,
            lambda r: {
                "ten": r.name,
                "don_vi": _who(r),
                "diem": _score(r.total),
                "ket_qua": t(f"status.{r.status}", VI) if r.status else "",
                # after the meeting, a row the council left blank says so: no vote invented
                "bieu_quyet": r.vote or (t("paper.no_vote", VI) if p.decided else ""),
            },
        ),
        "bang_diem": _ties(p.ties, p.decided),
        "da_hop": p.decided,
        "hinh_thuc": p.papers.award,
        "nguoi_tang": p.papers.giver,
        "so_tap_the_dong_y": counts["collective"],
        "so_ca_nhan_dong_y": counts["individual"],
        "noi_nhan": _recipients(p.recipients),
    }


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else BLANK


def decision_context(p: DecisionPaper) -> dict[str, Any]:
    counts = _counts(p.rows)
    return {
        **_heading(p.heading),
        "nam": p.year,
        "cap": p.level.called.lower(),
        "tham_quyen": p.authority,
        # Mẫu 1.2: "Theo đề nghị của …." follows, so the last "Căn cứ" line ends with ";"
        "can_cu": _basis(p.basis, ";" if p.proposed_by.strip() else "."),
        "theo_de_nghi": p.proposed_by.rstrip("."),
        "hinh_thuc": p.papers.award,
        "nguoi_tang": p.papers.giver,
        "so_tap_the": counts["collective"],
        "so_ca_nhan": counts["individual"],
        "thi_hanh": p.executors.rstrip("."),
        "so_qd": p.decision,
        "ngay_qd": _date(p.date),
        "nhom": _groups(
            p.rows,
            lambda r: {"ten": r.name, "chuc_vu_don_vi": _who(r), "mo_hinh": _model(r)},
        ),
        "noi_nhan": _recipients(p.recipients),
        "ky": _signer(p.signer),
    }


def _second_line(r: Row) -> str:
    """Under the name: an individual's position and unit, a collective's unit unless its name
    already says it."""
    if r.kind == "individual":
        return _who(r)
    return "" if fold(r.unit) in fold(r.name) else r.unit


def certificate_context(p: CertificatePaper) -> dict[str, Any]:
    return {
        "nam": p.year,
        "cap": p.level.called.lower(),
        "tham_quyen": p.authority,
        "hinh_thuc": p.papers.award.upper(),
        "thanh_tich": p.achievement,
        "so_qd": p.decision,
        "ngay_qd": _date(p.date),
        "dia_danh_ngay": dateline(p.heading.place, p.date, VI) if p.date else "",
        "giay_khen": [{"ten": r.name, "dong_2": _second_line(r)} for r in p.rows],
        "ky": _signer(p.signer),
    }


def notice_context(p: NoticePaper) -> dict[str, Any]:
    dossiers = []
    for i, d in enumerate(p.dossiers, start=1):
        fixes = [
            {
                "stt": n,
                "vi_tri": f.position,
                "quy_dinh": f.rule or t("paper.no_rule", VI),
                "noi_dung": t(f"paper.fix_{f.severity}", VI, text=f.message),
                "cach_sua": f.hint,
            }
            for n, f in enumerate(d.fixes, start=1)
        ]
        result = "paper.notice_warnings" if d.valid else "paper.notice_invalid"
        dossiers.append(
            {"stt": i, "ten": d.name, "tep": d.file, "ket_qua": t(result, VI), "loi": fixes}
        )
    return {
        **_heading(p.heading),
        "nam": p.year if p.year is not None else BLANK,
        "can_cu": _basis(p.basis),
        "kinh_gui": p.unit,
        "don_vi": p.unit,
        "co_quan_goi": p.heading.issuer.called,
        "so_ho_so": count(p.received),
        "so_dat": count(p.valid),
        "so_khong_dat": count(p.received - p.valid),
        # a dossier to fix: the deadline to send it back; all valid: only warnings to look at
        "can_sua": p.valid < p.received,
        "han": _date(p.deadline),
        "ho_so": dossiers,
        "noi_nhan": _recipients(p.recipients),
        "ky": _signer(p.signer),
    }


# -- rendering -----------------------------------------------------------------------------
def render(template: Path, context: dict[str, Any]) -> bytes:
    """The template filled in; a broken or unknown tag is a DanvanError naming the file."""
    import jinja2
    from docxtpl import DocxTemplate, Listing
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
    values = _clean(context)
    for key in ("co_quan_cap_tren", "co_quan"):  # several lines in one header cell
        if isinstance(values.get(key), str) and values[key]:
            values[key] = Listing(values[key])
    try:
        doc = DocxTemplate(str(template))
        doc.init_docx()
        broken = unbalanced(doc.docx)
        if broken:
            raise DanvanError("paper.template_broken", template=str(template), detail=broken)
        unknown = doc.get_undeclared_template_variables(env) - set(values)
        fields = unknown_fields(env.parse(doc.patch_xml(doc.get_xml())), values)
    except jinja2.TemplateSyntaxError as exc:
        raise DanvanError(
            "paper.template_broken", template=str(template), detail=_detail(exc)
        ) from None
    except DanvanError:
        raise
    except Exception:  # not a .docx, a damaged zip, a part python-docx cannot read
        raise DanvanError("paper.template_unreadable", template=str(template)) from None
    if unknown or fields:
        # every unknown tag of the template at once, not one per run
        lines: list[Message] = []
        if unknown:
            lines.append(Message("paper.template_known", {"known": ", ".join(sorted(values))}))
        for parent, known in {f.parent: f.known for f in fields}.items():
            lines.append(
                Message(
                    "paper.template_known_fields",
                    {"parent": parent, "known": ", ".join(f"{parent}.{k}" for k in known)},
                )
            )
        raise DanvanError(
            "paper.template_unknown",
            template=str(template),
            names=", ".join([*sorted(unknown), *(f.tag for f in fields)]),
            lines=lines,
        )
    try:
        doc.render(values, env, autoescape=True)
        keep_tables_with_what_follows(doc.docx)
        raw = io.BytesIO()
        doc.save(raw)
    except jinja2.UndefinedError as exc:  # a name inside a loop's item ("{{ c.khong_co }}")
        found = _UNDEFINED.search(str(exc.message or ""))
        name = next((g for g in found.groups() if g), "") if found else _detail(exc)
        raise DanvanError("paper.template_undefined", template=str(template), name=name) from None
    except jinja2.TemplateError as exc:
        raise DanvanError(
            "paper.template_broken", template=str(template), detail=_detail(exc)
        ) from None
    return raw.getvalue()


def keep_tables_with_what_follows(document: Any) -> None:
    """A table followed by a paragraph the template keeps with what comes next (the ties, the
    closing line, the signature) keeps its last row with that paragraph, as Word keeps a row
    whose paragraphs are "keep with next": the page holding the signature then holds the end
    of the list too, never the closing line alone. Only the rendered copy knows which row is
    the last (the template's rows are a loop)."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    kept = f"{qn('w:pPr')}/{qn('w:keepNext')}"
    for table in document.element.body.iter(qn("w:tbl")):
        after = table.getnext()
        if after is None or after.tag != qn("w:p") or after.find(kept) is None:
            continue
        rows = table.findall(qn("w:tr"))
        for p in rows[-1].iter(qn("w:p")) if rows else ():
            Paragraph(p, document).paragraph_format.keep_with_next = True


_UNDEFINED = re.compile(r"has no attribute '([^']*)'|'([^']*)' is undefined")


@dataclass(frozen=True)
class UnknownField:
    """A tag naming a field danvan does not fill ("ky.khong_co"): the tag, the name it hangs
    on ("ky", or a loop's item "g") and the fields that name has."""

    tag: str
    parent: str
    known: list[str]


_MISSING = object()


def unknown_fields(ast: Any, values: dict[str, Any]) -> list[UnknownField]:
    """The tags naming a field danvan does not fill of one of its values ("ky.khong_co" where
    `ky` has tham_quyen, chuc_vu, ho_ten, gioi_thieu), a loop's item included ("g.khong_co" in
    "{% for g in nhom %}", checked against the list's first item), in the template's order."""
    from jinja2 import nodes

    found: list[UnknownField] = []

    def resolve(node: Any, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            return scope.get(node.name, _MISSING)
        if isinstance(node, nodes.Getattr):
            owner = resolve(node.node, scope)
            return owner.get(node.attr, _MISSING) if isinstance(owner, dict) else _MISSING
        return _MISSING

    def dotted(node: Any) -> str:
        if isinstance(node, nodes.Getattr):
            return f"{dotted(node.node)}.{node.attr}"
        return str(getattr(node, "name", "?"))

    def visit(node: Any, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            visit(node.iter, scope)
            items = resolve(node.iter, scope)
            inner = dict(scope)
            for name in node.target.find_all(nodes.Name):  # the item: like the first one
                inner[name.name] = _MISSING
            if isinstance(node.target, nodes.Name) and isinstance(items, list) and items:
                inner[node.target.name] = items[0]
            for child in [*node.body, *([node.test] if node.test else [])]:
                visit(child, inner)
            for child in node.else_:
                visit(child, scope)
            return
        if isinstance(node, nodes.Getattr):
            owner = resolve(node.node, scope)
            if isinstance(owner, dict) and node.attr not in owner:
                tag = f"{dotted(node.node)}.{node.attr}"
                if all(f.tag != tag for f in found):
                    found.append(UnknownField(tag, dotted(node.node), sorted(owner)))
                return
        for child in node.iter_child_nodes():
            visit(child, scope)

    visit(ast, values)
    return found


_TOKENS = re.compile(r"\{\{|\}\}|\{%|%\}")
_CLOSE = {"{{": "}}", "{%": "%}"}


def unbalanced(document: Any) -> str:
    """The first paragraph whose tags do not open and close within it ("{{ ten" typed
    without its "}}"), as its text; "" when every tag is whole. docxtpl would otherwise read
    on to the next paragraph's "}}" and silently drop what lies between."""
    from docx.oxml.ns import qn

    parts = [document.element]
    parts += [
        rel.target_part.element
        for rel in document.part.rels.values()
        if rel.reltype.endswith(("/header", "/footer")) and hasattr(rel.target_part, "element")
    ]
    for part in parts:
        for p in part.iter(qn("w:p")):
            text = "".join(node.text or "" for node in p.iter(qn("w:t")))
            opened = None
            for token in _TOKENS.findall(text):
                if token in _CLOSE:
                    if opened is not None:
                        return text.strip()[:120]
                    opened = token
                elif opened is None or _CLOSE[opened] != token:
                    return text.strip()[:120]
                else:
                    opened = None
            if opened is not None:
                return text.strip()[:120]
    return ""


def _detail(exc: Exception) -> str:
    return xml_safe(str(getattr(exc, "message", None) or exc))


_CUSTOM_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


CONTENT_MARK = "danvan-content"  # the custom property: SHA-256 of the text danvan wrote
# The parts that hold what a reader sees: the body, its headers and footers.
_CONTENT_PART = re.compile(r"word/(document|header\d*|footer\d*)\.xml")


def content_digest(zf: zipfile.ZipFile) -> str:
    """SHA-256 of a document's content parts (`_CONTENT_PART`), each with its name and length,
    in name order: any edit of the text, its layout or its headers changes it, whatever
    program saved the file (Word, LibreOffice, python-docx)."""
    digest = hashlib.sha256()
    for name in sorted(n for n in zf.namelist() if _CONTENT_PART.fullmatch(n)):
        data = zf.read(name)
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _custom(kind: str, content: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">'
        f'<property fmtid="{_FMTID}" pid="2" name="{OUTPUT_MARK}"><vt:lpwstr>{kind}</vt:lpwstr>'
        f'</property><property fmtid="{_FMTID}" pid="3" name="{CONTENT_MARK}">'
        f"<vt:lpwstr>{content}</vt:lpwstr></property></Properties>"
    ).encode()


def finish(data: bytes, kind: str) -> bytes:
    """The rendered document stamped as danvan's output (the custom property `danvan-output`
    that guard.py and read/recognise.py know, and `danvan-content`, the digest of what it
    says, that `edited` checks; any custom properties of an office's template are replaced),
    with fixed times, so the same papers give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        content = content_digest(src)
        for name in names:
            part = src.read(name)
            if name == "docProps/custom.xml":
                continue
            if name == "_rels/.rels":
                part = re.sub(rb"<Relationship [^>]*custom-properties\"[^>]*/>", b"", part)
                rel = f'<Relationship Id="rIdDanvan" Type="{_CUSTOM_REL}" Target="docProps/custom.xml"/>'
                part = part.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            elif name == "[Content_Types].xml":
                part = re.sub(rb'<Override PartName="/docProps/custom.xml"[^>]*/>', b"", part)
                override = (
                    f'<Override PartName="/docProps/custom.xml" ContentType="{_CUSTOM_TYPE}"/>'
                )
                part = part.replace(b"</Types>", override.encode() + b"</Types>")
            elif name == "docProps/core.xml":
                for tag in (rb"dcterms:created", rb"dcterms:modified"):
                    part = re.sub(
                        rb"(<" + tag + rb"[^>]*>)[^<]*(</" + tag + rb">)",
                        rb"\g<1>" + _STAMP.encode() + rb"\g<2>",
                        part,
                    )
                part = re.sub(
                    rb"(<cp:lastModifiedBy>)[^<]*(</cp:lastModifiedBy>)", rb"\1danvan\2", part
                )
            entry = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, part)
        entry = zipfile.ZipInfo("docProps/custom.xml", date_time=(2024, 1, 1, 0, 0, 0))
        entry.compress_type = zipfile.ZIP_DEFLATED
        dst.writestr(entry, _custom(kind, content))
    return out.getvalue()


def _stored_digest(zf: zipfile.ZipFile) -> str | None:
    """The `danvan-content` digest a paper carries, if any (its custom properties are found
    through the package's relationships, as any program may name the part)."""
    from defusedxml import ElementTree

    targets = ["docProps/custom.xml"]
    try:
        rels = ElementTree.fromstring(zf.read("_rels/.rels")[:1_000_000])
        targets[:0] = [
            r.get("Target", "").lstrip("/")
            for r in rels
            if r.get("Type", "").endswith("/custom-properties")
        ]
    except (KeyError, ElementTree.ParseError, ValueError):
        pass
    for target in targets:
        try:
            props = ElementTree.fromstring(zf.read(target)[:1_000_000])
        except (KeyError, ElementTree.ParseError, ValueError):
            continue
        for prop in props:
            if prop.get("name") == CONTENT_MARK:
                return "".join(prop.itertext()).strip()
    return None


def edited(path: Path) -> bool:
    """Whether a paper danvan wrote was changed since: its content (body, headers, footers)
    no longer matches the digest danvan stored in it — an edit in Word, in LibreOffice or by a
    program, even one that keeps the file's modification time. A paper from before danvan
    stored the digest is judged by that time (Word and LibreOffice set it; danvan writes a
    fixed one). A file that is no readable paper is not "edited" (guard.py refuses it)."""
    try:
        with zipfile.ZipFile(path) as zf:
            stored = _stored_digest(zf)
            if stored is not None:
                return stored != content_digest(zf)
            core = zf.read("docProps/core.xml")[:65536]
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    found = re.search(rb"<dcterms:modified[^>]*>([^<]*)<", core)
    return found is not None and found.group(1).decode(errors="replace") != _STAMP
