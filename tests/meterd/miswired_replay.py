#!/usr/bin/env python3
"""Prints a replay file (docs/METERING.md) of a miswired 3LN installation on
CT input 1 (CT1 and CT2 swapped, CT3 clipped on backwards, 100 A CTs, PF
0.94) and a correct single-phase load on CT input 2 (on L1): one second,
which loops seamlessly.  Used by test_wiring_status.sh and the browser
test's wiring step."""
import math
rate, v, rt2 = 4000, 230.0, math.sqrt(2)
print(f"# rate={rate}\nV1,V2,V3,CT1_1,CT1_2,CT1_3,CT2_1")
k = 0.333 / 100  # secondary volts per amp, 100 A CTs
for n in range(rate):  # one second: 50 whole cycles, it loops seamlessly
    wt = 2 * math.pi * 50 * n / rate
    vs = [v * rt2 * math.cos(wt + math.radians(a)) for a in (0, -120, 120)]
    i = [a * rt2 * math.cos(wt + math.radians(d - 20)) for a, d in ((40, 0), (30, -120), (20, 120))]
    cts = [i[1] * k, i[0] * k, -i[2] * k, i[0] * 0.5 * k]
    print(",".join(f"{x:.4f}" for x in vs) + "," + ",".join(f"{x:.7f}" for x in cts))
