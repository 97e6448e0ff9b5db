#!/usr/bin/env python3
"""Generates a DynamoDB Streams change stream for the seed's customer table, and its model.

Records are DynamoDB Streams records (NEW_AND_OLD_IMAGES) for items
{id, custName, email, registrationDate, visits}: inserts, updates and deletes, with late events
(an older change delivered after a newer one) and duplicates (a record delivered twice).

The model is the table the stream should produce: per id, the change with the greatest
(ApproximateCreationDateTime, SequenceNumber); a REMOVE leaves no row.

    python3 samples/customer/generate.py --count 60 --keys 12 > samples/customer/changes.jsonl
    python3 samples/customer/generate.py --count 200000 --keys 20000 --out big.jsonl --model big.model.jsonl
"""
import argparse
import json
import random
import sys


def image(item):
    return {
        "id": {"S": item["id"]},
        "custName": {"S": item["custName"]},
        "email": {"S": item["email"]},
        "registrationDate": {"S": item["registrationDate"]},
        "visits": {"N": str(item["visits"])},
    }


def generate(count, keys, seed, late_every, duplicate_every):
    rng = random.Random(seed)
    live = {}
    time = 1795000000
    seq = 4200000000000000000000
    events = []
    for n in range(count):
        cid = "C%06d" % rng.randrange(keys)
        time += rng.randint(0, 1)
        seq += rng.randint(1, 1000)
        old = live.get(cid)
        roll = rng.randrange(100)
        if old is None:
            name = "INSERT"
            new = {"id": cid, "custName": "Customer %s" % cid[1:], "email": "%s@example.com" % cid.lower(),
                   "registrationDate": "2024-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28)), "visits": 0}
        elif roll < 12:
            name = "REMOVE"
            new = None
        else:
            name = "MODIFY"
            new = dict(old)
            new["visits"] += 1
            if roll % 3 == 0:
                new["email"] = "%s+%d@example.com" % (cid.lower(), n)
            if roll % 5 == 0:
                new["custName"] = "Customer %s %d" % (cid[1:], n)
        live[cid] = new
        d = {"ApproximateCreationDateTime": time, "Keys": {"id": {"S": cid}}}
        if new is not None:
            d["NewImage"] = image(new)
        if old is not None:
            d["OldImage"] = image(old)
        d.update({"SequenceNumber": str(seq), "SizeBytes": 200 + n % 100, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        record = {"eventID": "%032x" % rng.getrandbits(128), "eventName": name, "eventVersion": "1.1",
                  "eventSource": "aws:dynamodb", "awsRegion": "us-east-1", "dynamodb": d}
        events.append((time, seq, cid, new, json.dumps(record, separators=(",", ":"))))
    order = list(range(len(events)))
    i = late_every
    while late_every > 0 and i + 3 < len(order):
        order[i], order[i + 3] = order[i + 3], order[i]
        i += late_every
    lines = []
    for k, e in enumerate(order):
        lines.append(events[e])
        if duplicate_every and k % duplicate_every == duplicate_every - 1:
            lines.append(events[e])
    return lines


def model(lines):
    best = {}
    for time, seq, cid, new, _ in lines:
        if cid not in best or (time, seq) >= best[cid][0]:
            best[cid] = ((time, seq), new)
    rows = [new for _, new in best.values() if new is not None]
    return sorted(rows, key=lambda r: r["id"])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--count", type=int, default=60)
    p.add_argument("--keys", type=int, default=12)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--late-every", type=int, default=17)
    p.add_argument("--duplicate-every", type=int, default=23)
    p.add_argument("--out", help="write the records here instead of standard output")
    p.add_argument("--model", help="write the expected table rows (JSON lines, by id) here")
    a = p.parse_args()
    lines = generate(a.count, a.keys, a.seed, a.late_every, a.duplicate_every)
    out = open(a.out, "w") if a.out else sys.stdout
    for line in lines:
        out.write(line[4] + "\n")
    if a.out:
        out.close()
    if a.model:
        with open(a.model, "w") as m:
            for row in model(lines):
                m.write(json.dumps({"id": row["id"], "custName": row["custName"], "email": row["email"],
                                    "registrationDate": row["registrationDate"]}, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
