"""The `html` format of `clauselint scan`: one self-contained page (figures, bar charts in inline SVG,
a sortable table of the files with findings and their evidence); no external resource."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any, TextIO

from clauselint import __version__
from clauselint.scan.summary import Entries, describe_signal

RULE_LABELS = {"D301": "D301 — intervention non mentionnée", "D302": "D302 — signes de l'administration"}

_CSS = """
:root{--bleu:#000091;--rouge:#c9191e;--gris:#666;--fond:#f6f6f6}
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#161616;background:#fff}
header{background:var(--bleu);color:#fff;padding:1.2rem 2rem}header h1{margin:0;font-size:1.5rem}
header p{margin:.3rem 0 0;opacity:.85;font-size:.9rem}main{padding:1.5rem 2rem;max-width:1400px}
.figures{display:flex;flex-wrap:wrap;gap:1rem;margin-bottom:1.5rem}
.figure{background:var(--fond);border-left:4px solid var(--bleu);padding:.8rem 1.2rem;min-width:170px}
.figure b{display:block;font-size:1.8rem}.figure span{color:var(--gris);font-size:.85rem}
.figure.alert{border-color:var(--rouge)}
.charts{display:flex;flex-wrap:wrap;gap:2rem;margin-bottom:1.5rem}.chart h2,h2{font-size:1.1rem;margin:.2rem 0 .6rem}
table{border-collapse:collapse;width:100%;font-size:.88rem}th,td{border-bottom:1px solid #ddd;padding:.45rem .5rem;text-align:left;vertical-align:top}
th{background:var(--fond);cursor:pointer;user-select:none;white-space:nowrap}th:after{content:" ⇅";color:#999}
th[aria-sort=ascending]:after{content:" ▲";color:#161616}th[aria-sort=descending]:after{content:" ▼";color:#161616}
td.path{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all;max-width:340px}
.code{display:inline-block;font-weight:600;padding:.05rem .4rem;border-radius:3px;color:#fff;background:var(--rouge);margin:0 .2rem .2rem 0}
.code.D301{background:#b34000}.code.err{background:#666}ul.ev{margin:.2rem 0 0;padding-left:1.1rem;color:#3a3a3a}
.muted{color:var(--gris)}input#filtre{padding:.4rem .6rem;width:320px;margin-bottom:.6rem;border:1px solid #bbb}
footer{color:var(--gris);font-size:.8rem;padding:1rem 2rem}
.legend{font-size:.8rem;color:#3a3a3a;margin:.2rem 0 0}.legend span{margin-right:1rem}
.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-1px}
"""

_JS = """
document.querySelectorAll('table.sortable th').forEach(function(th, col){
  th.addEventListener('click', function(){
    var table = th.closest('table'), body = table.tBodies[0];
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    table.querySelectorAll('th').forEach(function(o){ o.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function(a, b){
      var x = a.cells[col].getAttribute('data-v') || a.cells[col].textContent;
      var y = b.cells[col].getAttribute('data-v') || b.cells[col].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, 'fr');
      return asc ? c : -c;
    });
    rows.forEach(function(r){ body.appendChild(r); });
  });
});
var filtre = document.getElementById('filtre');
if (filtre) filtre.addEventListener('input', function(){
  var q = filtre.value.toLowerCase();
  document.querySelectorAll('#fichiers tbody tr').forEach(function(r){
    r.style.display = r.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
  });
});
"""


def _bars(title: str, rows: list[tuple[str, list[tuple[str, int, str]]]]) -> str:
    """A horizontal stacked bar chart in inline SVG: rows of (label, [(series, value, colour)])."""
    if not rows:
        return f'<div class="chart"><h2>{escape(title)}</h2><p class="muted">Aucune donnée.</p></div>'
    label_w, bar_w, row_h = 250, 330, 26
    top = max((sum(v for _, v, _ in series) for _, series in rows), default=1) or 1
    height = row_h * len(rows) + 8
    parts = [f'<div class="chart"><h2>{escape(title)}</h2>'
             f'<svg role="img" aria-label="{escape(title)}" width="{label_w + bar_w + 60}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg" font-size="12" font-family="system-ui,sans-serif">']
    for i, (label, series) in enumerate(rows):
        y = i * row_h + 4
        shown = label if len(label) <= 36 else label[:35] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(shown)}</text>')
        x = label_w
        total = 0
        for name, value, colour in series:
            width = round(bar_w * value / top)
            if width:
                parts.append(f'<rect x="{x}" y="{y}" width="{width}" height="{row_h - 8}" fill="{colour}">'
                             f'<title>{escape(label)} — {escape(name)} : {value}</title></rect>')
            x += width
            total += value
        parts.append(f'<text x="{x + 6}" y="{y + 15}">{total}</text>')
    parts.append("</svg>")
    legend = {name: colour for _, series in rows for name, _, colour in series}
    if len(legend) > 1:
        parts.append('<p class="legend">' + " ".join(
            f'<span><i style="background:{colour}"></i>{escape(name)}</span>' for name, colour in legend.items()) + "</p>")
    parts.append("</div>")
    return "".join(parts)


def _figure(value: Any, label: str, alert: bool = False) -> str:
    return f'<div class="figure{" alert" if alert else ""}"><b>{escape(str(value))}</b><span>{escape(label)}</span></div>'


def write(entries: Entries, summary: dict[str, Any], out: TextIO, title: str = "Contrôle des livrables") -> None:
    findings = summary["findings"]
    out.write('<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
              '<meta name="viewport" content="width=device-width, initial-scale=1">'
              f"<title>{escape(title)} — clauselint</title><style>{_CSS}</style></head><body>")
    out.write(f"<header><h1>{escape(title)}</h1><p>Intervention des consultants et signes distinctifs de "
              "l'administration — circulaire n° 6391/SG du 7 février 2023, § 2 et § 5.2</p></header><main>")
    out.write('<section class="figures">')
    out.write(_figure(summary["files"], "fichiers analysés"))
    out.write(_figure(summary["consultant"], "attribuables à un cabinet"))
    out.write(_figure(summary["provenance_mention"], "avec mention de provenance"))
    out.write(_figure(findings.get("D301", 0), "D301 intervention non mentionnée", alert=bool(findings.get("D301"))))
    out.write(_figure(findings.get("D302", 0), "D302 signes de l'administration", alert=bool(findings.get("D302"))))
    out.write(_figure(summary["errors"], "fichiers en erreur", alert=bool(summary["errors"])))
    out.write("</section>")
    firm_rows = [(firm, [("D301", c["D301"], "#b34000"), ("D302", c["D302"], "#c9191e"),
                         ("fichiers sans constat", c.get("clean", 0), "#8585f6")])
                 for firm, c in list(summary["by_firm"].items())[:20]]
    rule_rows = [(RULE_LABELS.get(code, code), [(code, count, "#c9191e" if code == "D302" else "#b34000")])
                 for code, count in findings.items()]
    out.write('<section class="charts">')
    out.write(_bars("Constats par cabinet", firm_rows))
    out.write(_bars("Constats par règle", rule_rows))
    out.write("</section>")
    out.write('<section><h2>Fichiers avec constats ou erreurs</h2>'
              '<input id="filtre" type="search" placeholder="Filtrer (chemin, cabinet, règle…)" aria-label="Filtrer">'
              '<table id="fichiers" class="sortable"><thead><tr><th>Fichier</th><th>Constats</th><th>Cabinets</th>'
              "<th>Mention</th><th>Signes</th><th>Éléments relevés</th></tr></thead><tbody>")
    rows = 0
    for entry in entries():
        if not entry["findings"] and not entry.get("error"):
            continue
        rows += 1
        if entry.get("error"):
            out.write(f'<tr><td class="path">{escape(entry["path"])}</td><td data-v="ZZ"><span class="code err">erreur</span></td>'
                      f'<td></td><td></td><td></td><td>{escape(entry["error"])}</td></tr>')
            continue
        codes = "".join(f'<span class="code {f["code"]}" title="{escape(f["message"])}">{f["code"]}</span>'
                        for f in entry["findings"])
        evidence = []
        for finding in entry["findings"]:
            for signal in finding.get("signals", [])[:5]:
                evidence.append(describe_signal(signal))
        evidence = list(dict.fromkeys(evidence))
        mention = entry["provenance_mention"]
        out.write(
            f'<tr><td class="path">{escape(entry["path"])}</td>'
            f'<td data-v="{"".join(f["code"] for f in entry["findings"])}">{codes}</td>'
            f'<td>{escape(", ".join(entry["authorship"]["firms"]))}</td>'
            f'<td>{"oui" if mention["present"] else "non"}</td>'
            f'<td>{"oui" if entry["insignia"]["present"] else "non"}</td>'
            f'<td><ul class="ev">{"".join(f"<li>{escape(e)}</li>" for e in evidence[:8])}</ul></td></tr>')
    if not rows:
        out.write('<tr><td colspan="6" class="muted">Aucun constat.</td></tr>')
    out.write("</tbody></table></section></main>")
    out.write(f"<footer>clauselint {escape(__version__)} — rapport produit le "
              f"{datetime.now().strftime('%d/%m/%Y à %H:%M')}</footer>")
    out.write(f"<script>{_JS}</script></body></html>\n")
