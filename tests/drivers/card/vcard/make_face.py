#!/usr/bin/python3
"""Draws the virtual card's SYNTHETIC face (no person's photo: ellipses and gradients) as a binary
PPM, 240x320 like a CCCD's portrait, for face.jp2 beside this script:

    make_face.py face.ppm && opj_compress -i face.ppm -o face.jp2 -r 18 && rm face.ppm

(opj_compress from Debian's libopenjp2-tools). The JP2 is committed: lds.py reads it into DG2.
Its teal background (about 40,140,150) is what tests/ui/pcsc_flow_test.cpp looks for on the
staff screen's screenshot."""
import math
import sys

W, H = 240, 320


def inside(x, y, cx, cy, rx, ry):
    return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1.0


def pixel(x, y):
    # Background: a teal gradient, lighter at the top.
    r, g, b = 40, 140 + (H - y) // 16, 150 + (H - y) // 16
    # Shoulders: a dark blue shirt with a white collar.
    if inside(x, y, 120, 345, 115, 85):
        r, g, b = (230, 230, 235) if inside(x, y, 120, 262, 28, 22) else (30, 45, 90)
    # Neck, then the head: skin with a soft shading towards the right.
    if 100 <= x <= 140 and 200 <= y <= 260:
        r, g, b = 200, 150, 120
    if inside(x, y, 120, 150, 62, 80):
        shade = int(25 * (x - 120) / 62)
        r, g, b = 232 - shade, 184 - shade, 150 - shade
        # Eyes (white, dark iris), brows, nose shadow, mouth.
        for ex in (96, 144):
            if inside(x, y, ex, 140, 12, 6):
                r, g, b = (35, 25, 20) if inside(x, y, ex, 140, 5, 5) else (245, 245, 245)
            if inside(x, y, ex, 122, 14, 3):
                r, g, b = 60, 40, 30
        if 116 <= x <= 124 and 150 <= y <= 178 and x - 116 > (y - 150) // 4:
            r, g, b = r - 30, g - 30, b - 30
        if inside(x, y, 120, 195, 22, 6):
            r, g, b = 170, 70, 75
    # Hair: a dark cap over the top of the head.
    if inside(x, y, 120, 118, 66, 58) and y < 112 - 10 * math.cos((x - 120) / 30):
        r, g, b = 30, 25, 22
    return bytes((max(0, min(255, r)), max(0, min(255, g)), max(0, min(255, b))))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "face.ppm"
    with open(out, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (W, H))
        f.write(b"".join(pixel(x, y) for y in range(H) for x in range(W)))


if __name__ == "__main__":
    main()
