#!/usr/bin/env python3
"""The kernel's side of a fake IIO ADC, for test_iio_fake.sh.

    fake_iio_adc.py SYSFS_DEVICE_DIR DEV_NODE FREQ_HZ CHANNEL=VOLTS_RMS@DEG ...

Reads what userspace configured as a driver would: once buffer/enable says
1, it takes the enabled scan elements (their _index and _type), the
channels' _scale and _offset and sampling_frequency from the sysfs tree, and
writes scans of sine waves (CHANNEL at VOLTS_RMS and phase DEG, in the
channel's own units after (raw + offset) * scale / 1000) into the device
node at the real rate.  Channels not named carry 0.  Each write holds whole
scans and at most PIPE_BUF bytes, so a FIFO delivers it atomically, as the
kernel's kfifo hands out only whole scans.  When buffer/enable goes back to
0 it stops, closes the node (a kernel flushes its buffer) and waits for the
next enable."""
import math
import os
import select
import sys
import time

dev, node, freq = sys.argv[1], sys.argv[2], float(sys.argv[3])
signals = {}
for arg in sys.argv[4:]:
    ch, spec = arg.split("=")
    rms, deg = spec.split("@")
    signals[ch] = (float(rms) * math.sqrt(2), math.radians(float(deg)))


def attr(path, default=None):
    try:
        with open(os.path.join(dev, path)) as f:
            # libiio writes values with their terminating NUL
            return f.read().strip("\0\n ")
    except FileNotFoundError:
        return default


def layout():
    """The enabled channels in scan order, with their byte offsets, and the
    scan size: each element aligned to its own size (all its repetitions),
    the scan to the largest (as the kernel's iio_compute_scan_bytes)."""
    chans = []
    for f in os.listdir(os.path.join(dev, "scan_elements")):
        if f.startswith("in_") and f.endswith("_en") and attr("scan_elements/" + f) == "1":
            name = f[3:-3]
            fmt = attr(f"scan_elements/in_{name}_type")  # e.g. le:s24/32>>8
            endian, rest = fmt.split(":")
            sign, rest = rest[0], rest[1:]
            bits, rest = rest.split("/")
            storage, shift = rest.split(">>")
            storage, _, repeat = storage.partition("X")  # 16X8: eight 16-bit values
            chans.append({
                "id": name, "index": int(attr(f"scan_elements/in_{name}_index")),
                "be": endian == "be", "signed": sign in "sS",
                "bits": int(bits), "word": int(storage) // 8, "repeat": int(repeat or 1),
                "bytes": int(storage) // 8 * int(repeat or 1), "shift": int(shift),
                "scale": float(attr(f"in_{name}_scale", "1")),
                "offset": float(attr(f"in_{name}_offset", "0")),
            })
    chans.sort(key=lambda c: c["index"])
    size = largest = 0
    for c in chans:
        size = (size + c["bytes"] - 1) // c["bytes"] * c["bytes"]
        c["at"] = size
        size += c["bytes"]
        largest = max(largest, c["bytes"])
    return chans, (size + largest - 1) // largest * largest if largest else 0


def encode(c, t, stamp_ns):
    if c["id"] == "timestamp":
        raw = stamp_ns
    else:
        peak, phase = signals.get(c["id"], (0.0, 0.0))
        volts = peak * math.sin(2 * math.pi * freq * t - phase)
        raw = round(volts * 1000 / c["scale"] - c["offset"])
    lo, hi = (-(1 << (c["bits"] - 1)), (1 << (c["bits"] - 1)) - 1) if c["signed"] else (0, (1 << c["bits"]) - 1)
    if not lo <= raw <= hi:
        sys.exit(f"fake_iio_adc: {c['id']}: {raw} does not fit in {c['bits']} bits")
    word = (raw & ((1 << c["bits"]) - 1)) << c["shift"]
    return word.to_bytes(c["word"], "big" if c["be"] else "little") * c["repeat"]


def capture():
    chans, scan = layout()
    rate = int(float(attr("sampling_frequency")))
    # A second of scans, made once: the waves repeat every second (whole
    # FREQ_HZ), and a loaded machine must not starve the stream.  Only the
    # timestamp, when enabled, is filled in as the scans go out.
    second = bytearray()
    for k in range(rate):
        frame = bytearray(scan)
        for c in chans:
            frame[c["at"]:c["at"] + c["bytes"]] = encode(c, k / rate, 0)
        second += frame
    stamp = next((c for c in chans if c["id"] == "timestamp"), None)
    per_write = select.PIPE_BUF // scan
    fd = os.open(node, os.O_WRONLY)
    t0, done = time.monotonic(), 0
    try:
        while attr("buffer/enable") == "1":
            due = int((time.monotonic() - t0) * rate)
            while done < due:
                n = min(per_write, due - done, rate - done % rate)
                at = done % rate * scan
                out = second[at:at + n * scan]
                for k in range(n) if stamp else ():
                    ns = int((t0 + (done + k) / rate) * 1e9)
                    out[k * scan + stamp["at"]:k * scan + stamp["at"] + 8] = encode(stamp, 0, ns)
                os.write(fd, out)
                done += n
            time.sleep(0.02)
    except BrokenPipeError:
        pass  # the reader closed the node: wait for buffer/enable to say so
    finally:
        os.close(fd)


while True:
    if attr("buffer/enable") == "1":
        capture()
    time.sleep(0.02)
