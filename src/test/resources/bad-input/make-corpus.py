#!/usr/bin/python3
"""Writes the hostile and odd files of the bad-input corpus into files/ (Debian python3-pil).

Run from this directory: /usr/bin/python3 make-corpus.py. The cases that use the files are in cases.json;
BadInputCorpusTest replays them against the running service.
"""
import io
import os
import random
import struct
import zipfile
import zlib

from PIL import Image, ImageDraw

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")
random.seed(7)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def encode(image, fmt, **options):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def circle(mode="RGB", size=64, fill=(200, 30, 30), background=(255, 255, 255)):
    image = Image.new(mode, (size, size), background)
    ImageDraw.Draw(image).ellipse((12, 12, size - 12, size - 12), fill=fill)
    return image


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, idat, bit_depth=8, colour_type=0):
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def zip_of(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))  # fixed: the same bytes every run
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return buffer.getvalue()


red = circle()
red_png = encode(red, "PNG")
red_jpeg = encode(red, "JPEG", quality=90)

# files that are not images, or not whole ones
write("zero-bytes.jpg", b"")
write("text-named.jpg", b"hello, I am plain text pretending to be a JPEG\n")
write("html-named.png", b"<html><script>alert(1)</script></html>\n")
write("svg-named.png", b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n')
write("truncated.jpg", red_jpeg[: len(red_jpeg) // 2])
write("truncated.png", red_png[: len(red_png) // 2])
write("jpeg-markers-only.jpg", b"\xff\xd8\xff\xd9")
write("png-signature-only.png", b"\x89PNG\r\n\x1a\n")
write("gif-header-only.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
write("png-zero-width.png", png(0, 16, zlib.compress(b"\x00" * 17)))
write("tiff-unsupported.tif", encode(red, "TIFF"))
write("webp-unsupported.webp", encode(red, "WEBP"))

# sizes declared in the header, with next to no data behind them
write("png-huge-declared.png", png(100000, 100000, zlib.compress(b"\x00" * 64)))
bomb_rows = (b"\x00" + b"\x00" * 5000) * 5000
write("png-decompression-bomb.png", png(5000, 5000, zlib.compress(bomb_rows, 9)))
jpeg_sof = red_jpeg.find(b"\xff\xc0")
write("jpeg-huge-declared.jpg",
      red_jpeg[: jpeg_sof + 5] + struct.pack(">HH", 60000, 60000) + red_jpeg[jpeg_sof + 9:])
write("gif-huge-screen.gif", b"GIF89a" + struct.pack("<HH", 65535, 65535) + b"\x00\x00\x00"
      + b"\x2c" + struct.pack("<HHHH", 0, 0, 65535, 65535) + b"\x00\x02\x02\x44\x01\x00;")

# big in bytes (random noise does not compress)
noise = Image.frombytes("RGB", (200, 200), bytes(random.getrandbits(8) for _ in range(200 * 200 * 3)))
write("noise-over-byte-limit.png", encode(noise, "PNG"))

# valid but odd: each should embed (2xx)
cmyk = red.convert("CMYK")
write("cmyk.jpg", encode(cmyk, "JPEG", quality=90))
sixteen = Image.new("I", (64, 64), 0)  # drawn in 32-bit and converted: drawing on I;16 keeps only 8 bits
ImageDraw.Draw(sixteen).ellipse((12, 12, 52, 52), fill=60000)
write("gray-16bit.png", encode(sixteen.convert("I;16"), "PNG"))
rgba = circle("RGBA", fill=(200, 30, 30, 255), background=(0, 0, 0, 0))
write("rgba-transparent.png", encode(rgba, "PNG"))
write("gray-alpha.png", encode(circle("LA", fill=(80, 255), background=(255, 0)), "PNG"))
write("palette.png", encode(red.convert("P", palette=Image.ADAPTIVE, colors=4), "PNG"))
write("one-pixel.png", encode(Image.new("RGB", (1, 1), (10, 200, 10)), "PNG"))
write("extreme-aspect.png", encode(Image.new("L", (4000, 1), 128), "PNG"))
write("progressive.jpg", encode(red, "JPEG", quality=80, progressive=True))
write("gray.jpg", encode(red.convert("L"), "JPEG"))
write("bitmap.bmp", encode(red, "BMP"))
# a first frame and 3000 more 1×1 frames, written by hand to keep the file small (~70 KB)
first = encode(circle().convert("P"), "GIF")
tiny_frame = (b"\x21\xf9\x04\x00\x0a\x00\x00\x00"        # graphic control: 0.1 s
              + b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00"  # 1×1 at the origin
              + b"\x02\x02\x44\x01\x00")                    # LZW: clear, pixel 0, end
write("animated-3000-frames.gif", first[:-1] + tiny_frame * 3000 + b";")

# zip uploads
write("zip-slip.zip", zip_of([("../../evil.png", red_png)]))
write("zip-absolute.zip", zip_of([("/etc/evil.png", red_png)]))
write("not-a-zip.zip", b"PK\x03\x04 this is not really a zip archive")
write("zip-bomb.zip", zip_of([("big-%d.png" % i, b"\x00" * (90 * 1024)) for i in range(4)]))
write("zip-too-many-entries.zip", zip_of([("e%d.png" % i, red_png) for i in range(5)]))
write("zip-mixed.zip", zip_of([("good.png", red_png), ("notes.txt", b"not an image"), ("dir/", b"")]))
