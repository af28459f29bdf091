#!/usr/bin/env python3
"""Writes data/pii/no-address/texts.jsonl: texts that hold no street address but mention
cards, national ids, tracking and order numbers, account and product codes, rooms,
versions, blocks and sections: the shapes an address detector mistakes for "<number>
<Capitalised word>". `lanewise eval-pii` reports STREET_ADDRESS finds per 1,000 of them
(every find is false). Deterministic: the same seed gives the same file.

    python3 tools/eval/make_no_address_texts.py [--count 2000] [--seed 7]
"""
import argparse
import json
import random
from pathlib import Path

TEMPLATES = [
    "Card number {card} was declined at checkout.",
    "Please confirm the card number ending in {d4} before we refund you.",
    "My social security number is {ssn}, do you need anything else?",
    "Social Security Number {ssn} is on the form.",
    "Tracking id {d3} shows the parcel left the depot.",
    "Tracking number {track} was updated today: Out For Delivery.",
    "Order {d5} Shipped With Priority Mail.",
    "Invoice {d6} Due Date is next Friday.",
    "Account {d8} Balance is overdue by {d2} days.",
    "Ticket {d4} Status changed to Resolved.",
    "See the summary Block {d2} of the report for details.",
    "Section {d1} Block {d2} covers the warranty terms.",
    "Room {d3} Conference call starts at {d1} pm.",
    "Version {d1}.{d1} Release Notes are attached.",
    "Model {d4} Series printers are out of stock.",
    "Flight {d4} Gate {d2} boards in {d2} minutes.",
    "Case {d6} Priority High was escalated.",
    "Employee ID {d6} Payroll run completed.",
    "Policy {d7} Renewal Notice is enclosed.",
    "Reference {d5} Customer Service will call you back.",
    "Chapter {d2} Summary Points are below.",
    "Step {d1} Click Save, then Step {d1} Close The Window.",
    "We shipped {d2} Boxes and {d2} Pallets yesterday.",
    "Item {d4} Blue Widget costs {d2} dollars.",
    "Patient ID {d7} Lab Results are ready.",
    "Your IBAN {iban} Transfer Receipt is attached.",
    "Passport Number {passport} Expiry Date is {d2}/{d2}.",
    "License Plate {plate} Parking Permit expires soon.",
    "PIN {d4} Reset Requested from the mobile app.",
    "Batch {d5} Quality Check passed.",
    "Build {d4} Pipeline Failed on the main branch.",
    "Table {d1} Row {d2} holds the totals.",
    "Question {d2} Multiple Choice has four options.",
    "Page {d3} Figure {d1} shows the trend.",
    "Shipment {track} Customs Hold was released.",
    "Call Center Queue {d2} Average Wait is {d1} minutes.",
    "Serial Number {serial} Warranty Claim approved.",
    "Level {d1} Support Team will take over.",
    "Note {d3} Meeting Minutes are in the shared folder.",
    "Claim {d6} Payment Issued to the card on file.",
]


def fill(template: str, rng: random.Random) -> str:
    def digits(n: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(n))

    values = {
        "card": " ".join(digits(4) for _ in range(4)),
        "ssn": f"{digits(3)}-{digits(2)}-{digits(4)}",
        "iban": "DE" + digits(20),
        "track": "1Z" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(16)),
        "passport": rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") + digits(8),
        "plate": f"{rng.choice(['AB', 'KL', 'MZ'])}-{digits(3)}",
        "serial": "SN" + digits(9),
    }
    out = template
    for key, value in values.items():
        out = out.replace("{" + key + "}", value)
    while "{d" in out:
        at = out.index("{d")
        close = out.index("}", at)
        n = int(out[at + 2:close])
        out = out[:at] + str(rng.randint(1, 9)) + digits(n - 1) + out[close + 1:]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[2] /
                                           "data/pii/no-address/texts.jsonl"))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for _ in range(args.count):
            text = fill(rng.choice(TEMPLATES), rng)
            if rng.random() < 0.3:
                text = text.lower()
            f.write(json.dumps({"text": text}) + "\n")
    print(f"wrote {args.count} texts to {out}")


if __name__ == "__main__":
    main()
