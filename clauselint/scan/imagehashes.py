"""Perceptual hashes of embedded images, compared with reference hashes of the State's insignia.

Only hashes are shipped (data/insignia_hashes.yaml, built by data/build_insignia_hashes.py from
the State design system's npm package); nothing is fetched at run time. The same normalisation
runs on the references and on a document's images, so a logo pasted on a white or transparent
background, resized or recompressed, lands within a few bits of its reference.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

BUILTIN_HASHES = Path(__file__).resolve().parent / "data" / "insignia_hashes.yaml"

# Bits out of 64. Chosen on the references against 600+ unrelated images (icons, pictograms,
# photos, text renders): see docs/scan.md § "Images" for the measured distances.
PHASH_MAX = 10
DHASH_MAX = 14
MIN_SIDE = 16
MAX_PIXELS = 40_000_000
SVG_TIMEOUT = 10


@dataclass(frozen=True)
class Reference:
    id: str
    label: str  # French, shown to users: « Marianne (drapeau du bloc-marque) »
    phash: int
    dhash: int


@dataclass(frozen=True)
class ImageMatch:
    reference: Reference
    phash_distance: int
    dhash_distance: int


def _white_background(image):
    return on_white(image).convert("L")


def normalise(image):
    """Grey levels on white, cropped to the drawn content; None when nothing is drawn."""
    from PIL import ImageOps

    grey = _white_background(image)
    # Crop what is not white, so that margins around a pasted logo do not change its hash
    # (transparent margins are white by now).
    mask = grey.point(lambda v: 255 if v < 232 else 0)
    box = mask.getbbox()
    if box is None:
        return None
    cropped = grey.crop(box)
    if min(cropped.size) < 4:
        return None
    return ImageOps.autocontrast(cropped)


def hashes(image) -> tuple[int, int] | None:
    """(phash, dhash) of an image as 64-bit integers, or None when it is blank."""
    import imagehash

    normal = normalise(image)
    if normal is None:
        return None
    return int(str(imagehash.phash(normal)), 16), int(str(imagehash.dhash(normal)), 16)


def on_white(image):
    """RGB with transparent parts made white (how a page shows a transparent logo)."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        canvas.alpha_composite(rgba)
        return canvas.convert("RGB")
    return image.convert("RGB")


def flag_regions(image, max_side: int = 800) -> list:
    """Crops of the blue-red flag of the State's bloc-marque inside a larger image.

    Real documents rarely paste the Marianne alone: it sits in a banner (« beta.gouv.fr »), above a
    ministry's name, beside other logos. The flag is found by colour — a blue France block with a
    red Marianne block of the same height just to its right, 2.2 to 3.4 times wider than high —
    and the crop is then hashed like any image, so a blue and red logo of another shape still
    fails the hash comparison.
    """
    import numpy as np
    from scipy import ndimage

    rgb = on_white(image)
    if max(rgb.size) > max_side:
        ratio = max_side / max(rgb.size)
        rgb = rgb.resize((max(1, int(rgb.width * ratio)), max(1, int(rgb.height * ratio))))
    pixels = np.asarray(rgb).astype(np.int16)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    blue = (b > 90) & (r < 90) & (g < 100) & (b - r > 50)
    red = (r > 150) & (g < 100) & (b < 110) & (r - g > 90)
    if blue.sum() < 40 or red.sum() < 40:
        return []
    blue_boxes = ndimage.find_objects(ndimage.label(blue)[0])[:200]
    red_boxes = ndimage.find_objects(ndimage.label(red)[0])[:200]
    crops = []
    for bs in blue_boxes:
        by0, by1, bx0, bx1 = bs[0].start, bs[0].stop, bs[1].start, bs[1].stop
        height = by1 - by0
        if height < 8:
            continue
        for rs in red_boxes:
            ry0, ry1, rx0, rx1 = rs[0].start, rs[0].stop, rs[1].start, rs[1].stop
            if rx0 < bx1 - 2 or rx0 - bx1 > 1.2 * height:
                continue
            if abs(ry0 - by0) > 0.2 * height or abs(ry1 - by1) > 0.2 * height:
                continue
            x0, y0, x1, y1 = bx0, min(by0, ry0), rx1, max(by1, ry1)
            if 2.2 <= (x1 - x0) / (y1 - y0) <= 3.4:
                crops.append(rgb.crop((x0, y0, x1, y1)))
            if len(crops) >= 4:
                return crops
    return crops


def image_match(image, references) -> tuple[ImageMatch, str] | None:
    """The closest reference within the thresholds, for the whole image or a flag inside it."""
    whole = hashes(image)
    found = best_match(whole, references) if whole else None
    if found:
        return found, "image entière"
    for crop in flag_regions(image):
        region = hashes(crop)
        found = best_match(region, references) if region else None
        if found:
            return found, "drapeau dans l'image"
    return None


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def rasterise_svg(data: bytes, width: int = 512):
    """An SVG drawn to a PIL image with rsvg-convert (librsvg) or cairosvg, whichever is there."""
    from PIL import Image

    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        return None
    tool = shutil.which("rsvg-convert")
    png = None
    if tool:
        try:
            done = subprocess.run([tool, "--width", str(width), "--keep-aspect-ratio", "--format", "png"],
                                  input=data, capture_output=True, timeout=SVG_TIMEOUT, check=False)
            png = done.stdout if done.returncode == 0 and done.stdout else None
        except (OSError, subprocess.TimeoutExpired):
            png = None
    if png is None:
        try:
            import cairosvg  # type: ignore[import-not-found]

            png = cairosvg.svg2png(bytestring=data, output_width=width, unsafe=False)
        except Exception:  # noqa: BLE001 — cairosvg absent or the SVG is broken: not analysable
            return None
    return Image.open(io.BytesIO(png))


def svg_rasteriser_available() -> bool:
    if shutil.which("rsvg-convert"):
        return True
    try:
        import cairosvg  # type: ignore[import-not-found]  # noqa: F401
    except Exception:  # noqa: BLE001
        return False
    return True


class ImageSkipped(Exception):
    """An image the scanner cannot analyse (format, size); the message is French."""


def open_image(name: str, data: bytes):
    """A PIL image from an embedded file, refusing decompression bombs and unsupported formats."""
    from PIL import Image, UnidentifiedImageError

    lower = name.lower()
    if lower.endswith((".svg", ".svgz")) or data.lstrip()[:5] in (b"<?xml", b"<svg ") and b"<svg" in data[:4096]:
        image = rasterise_svg(data)
        if image is None:
            raise ImageSkipped("image SVG non analysée (ni rsvg-convert ni cairosvg disponibles, ou SVG invalide)")
        return image
    if lower.endswith((".emf", ".wmf", ".emz", ".wmz")):
        raise ImageSkipped("image EMF/WMF non analysée (format vectoriel Windows)")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ImageSkipped(f"image trop grande non analysée ({width}×{height})")
        if min(width, height) < MIN_SIDE:
            return None
        if image.format == "JPEG":
            image.draft("RGB", (256, 256))
        image.load()
    except ImageSkipped:
        raise
    except Image.DecompressionBombError:
        raise ImageSkipped(f"image trop grande non analysée (plus de {MAX_PIXELS // 1_000_000} millions de pixels)") from None
    except UnidentifiedImageError:
        raise ImageSkipped("image dans un format non reconnu, non analysée") from None
    except Exception as exc:  # noqa: BLE001 — a truncated or corrupt image is skipped
        raise ImageSkipped(f"image illisible ({type(exc).__name__})") from None
    return image


def load_references(path: Path) -> list[Reference]:
    import yaml

    from clauselint.errors import ConfigError

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506 — a safe loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"empreintes de référence illisibles ({type(exc).__name__}) ; vérifiez le fichier", where=path) from None
    refs = []
    for entry in data.get("references", []) if isinstance(data, dict) else []:
        try:
            refs.append(Reference(str(entry["id"]), str(entry.get("label", entry["id"])),
                                  int(str(entry["phash"]), 16), int(str(entry["dhash"]), 16)))
        except (KeyError, TypeError, ValueError):
            raise ConfigError("entrée d'empreinte mal formée (id, phash, dhash attendus en hexadécimal)", where=path) from None
    if not refs:
        raise ConfigError("aucune empreinte de référence (clé « references: ») ; vérifiez le fichier", where=path)
    return refs


@cache
def builtin_references() -> tuple[Reference, ...]:
    return tuple(load_references(BUILTIN_HASHES))


def best_match(image_hashes: tuple[int, int], references: list[Reference] | tuple[Reference, ...]) -> ImageMatch | None:
    phash, dhash = image_hashes
    best = None
    for ref in references:
        p, d = distance(phash, ref.phash), distance(dhash, ref.dhash)
        if p <= PHASH_MAX and d <= DHASH_MAX and (best is None or (p, d) < (best.phash_distance, best.dhash_distance)):
            best = ImageMatch(ref, p, d)
    return best


def references_fingerprint(references: list[Reference] | tuple[Reference, ...]) -> str:
    import hashlib

    raw = ";".join(f"{r.id}:{r.phash:016x}:{r.dhash:016x}" for r in references)
    return hashlib.sha256(f"{PHASH_MAX}/{DHASH_MAX}/{raw}".encode()).hexdigest()[:16]


def describe(match: ImageMatch) -> dict[str, Any]:
    return {"reference": match.reference.id, "phash_distance": match.phash_distance, "dhash_distance": match.dhash_distance}
