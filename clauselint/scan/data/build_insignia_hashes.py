"""Build insignia_hashes.yaml: perceptual hashes of the State's Marianne and bloc-marque.

The images come from the State design system's npm package (@gouvfr/dsfr). Its licence
(Etalab 2.0 for the code, with terms of use that reserve the State's brand to the
administration) is why the project ships hashes only, never the images. Run it again when the
design system changes:

    python clauselint/scan/data/build_insignia_hashes.py            # runs `npm pack @gouvfr/dsfr`
    python clauselint/scan/data/build_insignia_hashes.py --package /tmp/dsfr/package
    python clauselint/scan/data/build_insignia_hashes.py --check     # distances, false matches

SVG are rasterised with rsvg-convert (Debian's librsvg2-bin) or cairosvg. The bloc-marque is
composed the way the design system's CSS draws `.fr-logo`: the Marianne on the blue/red flag,
« RÉPUBLIQUE FRANÇAISE » in Marianne Bold (the font shipped in the package), then the motto.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "insignia_hashes.yaml"
BLUE_FRANCE = (0, 0, 145)
RED_MARIANNE = (225, 0, 15)


def _package_dir(given: str | None, workdir: Path) -> Path:
    if given:
        path = Path(given)
        if path.suffix == ".tgz" or path.name.endswith(".tar.gz"):
            with tarfile.open(path) as archive:
                archive.extractall(workdir, filter="data")
            return workdir / "package"
        return path
    subprocess.run(["npm", "pack", "@gouvfr/dsfr", "--silent"], cwd=workdir, check=True, capture_output=True)
    tgz = next(workdir.glob("gouvfr-dsfr-*.tgz"))
    with tarfile.open(tgz) as archive:
        archive.extractall(workdir, filter="data")
    return workdir / "package"


def _scss_svg(package: Path, name: str) -> bytes:
    scss = (package / "src/dsfr/component/logo/style/_setting.scss").read_text(encoding="utf-8")
    match = re.search(rf"^\${name}:\s*'(<svg.*?</svg>)';", scss, re.M | re.S)
    if not match:
        raise SystemExit(f"${name} not found in the logo settings: the package layout changed")
    # The motto uses a Sass interpolation for its colour.
    return match.group(1).replace("#{color.$absolute-black}", "#000").encode("utf-8")


def _rasterise(svg: bytes, width: int):
    from clauselint.scan.imagehashes import rasterise_svg

    image = rasterise_svg(svg, width=width)
    if image is None:
        raise SystemExit("no SVG rasteriser: apt-get install librsvg2-bin (or pip install cairosvg)")
    return image.convert("RGBA")


def _flag_marianne(package: Path, width: int = 440):
    from PIL import Image

    height = round(width / 2.75)
    flag = Image.new("RGBA", (width, height), BLUE_FRANCE + (255,))
    flag.paste(Image.new("RGBA", (width - width // 2, height), RED_MARIANNE + (255,)), (width // 2, 0))
    marianne = _rasterise(_scss_svg(package, "svg-marianne"), width)
    # CSS: background-size 2.75em × 1.125em, position 0 −0.0625em: the drawing overflows a little.
    marianne = marianne.resize((width, round(height * 1.125)))
    flag.alpha_composite(marianne.crop((0, round(height * 0.0625), width, round(height * 0.0625) + height)))
    return flag


def _motto(package: Path, width: int = 252):
    svg = _scss_svg(package, "svg-motto").replace(b'viewBox="0 0 252 180"', b'viewBox="0 0 126 90"')
    return _rasterise(svg, width)


def _bloc_marque(package: Path):
    from PIL import Image, ImageDraw, ImageFont

    em = 160
    flag = _flag_marianne(package, width=round(2.75 * em))
    font_path = package / "src/dsfr/core/asset/fonts/Marianne-Bold.woff"
    font = ImageFont.truetype(str(font_path), round(em * 1.05))
    motto = _motto(package, width=round(2.625 * em))
    line_height = round(em * 1.05 * 13 / 12.6)
    width = max(flag.width, round(em * 7.5))
    height = flag.height + em // 3 + 2 * line_height + em // 4 + motto.height
    canvas = Image.new("RGBA", (width, height), (255, 255, 255, 255))
    canvas.alpha_composite(flag, (0, 0))
    draw = ImageDraw.Draw(canvas)
    y = flag.height + em // 3
    for line in ("RÉPUBLIQUE", "FRANÇAISE"):
        draw.text((0, y), line, font=font, fill=(0, 0, 0, 255))
        y += line_height
    canvas.alpha_composite(motto, (0, y + em // 4))
    return canvas


def references(package: Path) -> list[tuple[str, str, str, object]]:
    """(id, French label, how it was made, image)."""
    from PIL import Image

    favicon = package / "src/dsfr/core/asset/favicon/favicon.svg"
    unavailable = package / "src/dsfr/layout/page/response/unavailable/asset/marianne.png"
    refs = [
        ("marianne-drapeau", "Marianne sur le drapeau bleu-rouge (bloc-marque de l'État)",
         "src/dsfr/component/logo/style/_setting.scss $svg-marianne on the CSS flag gradient",
         _flag_marianne(package)),
        ("devise", "devise « Liberté Égalité Fraternité » du bloc-marque",
         "src/dsfr/component/logo/style/_setting.scss $svg-motto (black variant)", _motto(package)),
        ("bloc-marque", "bloc-marque « République française » complet",
         "composition of $svg-marianne, « RÉPUBLIQUE FRANÇAISE » in Marianne-Bold.woff and $svg-motto per .fr-logo",
         _bloc_marque(package)),
        ("marianne-favicon", "Marianne seule (icône de l'État)",
         "src/dsfr/core/asset/favicon/favicon.svg", _rasterise(favicon.read_bytes(), 512)),
    ]
    if unavailable.is_file():
        refs.append(("marianne-pictogramme", "pictogramme Marianne",
                     "src/dsfr/layout/page/response/unavailable/asset/marianne.png", Image.open(unavailable)))
    return refs


def _tool_versions() -> str:
    import imagehash
    import PIL

    try:
        rsvg = subprocess.run(["rsvg-convert", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        rsvg = "cairosvg"
    return f"{rsvg}; Pillow {PIL.__version__}; ImageHash {imagehash.__version__}"


def build(package: Path) -> str:
    from clauselint.scan.imagehashes import DHASH_MAX, PHASH_MAX, hashes

    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    lines = [
        "# Perceptual hashes of the State's insignia (Marianne, motto, bloc-marque), never the images.",
        "# Generated by clauselint/scan/data/build_insignia_hashes.py; do not edit by hand.",
        f"# Source: npm package @gouvfr/dsfr {version} (the State design system), rasterised with",
        f"# {_tool_versions()}.",
        "# Hashes: imagehash.phash and imagehash.dhash (64 bits, hex) of the image composited on",
        "# white, in grey levels, cropped to its drawn content, auto-contrasted",
        "# (clauselint.scan.imagehashes.normalise).",
        f"# A document image matches when phash distance <= {PHASH_MAX} and dhash distance <= {DHASH_MAX}.",
        "source:",
        "  package: \"@gouvfr/dsfr\"",
        f"  version: \"{version}\"",
        f"  built: \"{date.today().isoformat()}\"",
        "references:",
    ]
    for ref_id, label, how, image in references(package):
        found = hashes(image)
        if found is None:
            raise SystemExit(f"{ref_id}: blank image")
        lines += [
            f"  - id: {ref_id}",
            f"    label: \"{label}\"",
            f"    file: \"{how}\"",
            f"    phash: \"{found[0]:016x}\"",
            f"    dhash: \"{found[1]:016x}\"",
        ]
    return "\n".join(lines) + "\n"


def check(package: Path) -> None:
    """Distances of each reference to its resized/recompressed self and to unrelated images."""
    from PIL import Image

    from clauselint.scan.imagehashes import best_match, distance, hashes, load_references

    refs = load_references(OUT)
    for ref_id, _label, _how, image in references(package):
        own = next(r for r in refs if r.id == ref_id)
        for scale in (0.15, 0.3, 1.0):
            small = image.resize((max(8, int(image.width * scale)), max(8, int(image.height * scale))))
            buffer = io.BytesIO()
            flat = Image.new("RGB", small.size, "white")
            flat.paste(small, mask=small.split()[-1] if small.mode == "RGBA" else None)
            flat.save(buffer, "JPEG", quality=60)
            h = hashes(Image.open(buffer))
            print(f"{ref_id} x{scale}: phash {distance(h[0], own.phash)} dhash {distance(h[1], own.dhash)}")
    others = [p for p in (package / "src/dsfr").rglob("*.svg") if "mockup" not in p.parts and "marianne" not in p.name.lower()
              and "favicon" not in p.name][:400]
    others += [p for p in (package / "src/dsfr").rglob("*.png") if "marianne" not in p.name][:300]
    false = 0
    for path in others:
        try:
            image = _rasterise(path.read_bytes(), 256) if path.suffix == ".svg" else Image.open(path)
            h = hashes(image)
        except (Exception, SystemExit):  # noqa: BLE001
            continue
        if h and (match := best_match(h, refs)):
            false += 1
            print(f"false match: {path} ~ {match.reference.id} ({match.phash_distance}/{match.dhash_distance})")
    print(f"{false} false matches among {len(others)} unrelated images of the package")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", help="unpacked @gouvfr/dsfr folder or its .tgz (default: npm pack)")
    parser.add_argument("--check", action="store_true", help="print distances instead of writing the file")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parents[2]))
    with tempfile.TemporaryDirectory() as tmp:
        package = _package_dir(args.package, Path(tmp))
        if args.check:
            check(package)
            return
        OUT.write_text(build(package), encoding="utf-8")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
