"""Writes the large answer every host's parse-throughput row reads: a ListChatappTemplate
answer of about 1 MB (CAMS's envelope, `ListTemplate` entries shaped like the official
response model, deterministic content). Usage: python3 bench/large_body.py OUT [BYTES]"""

import json
import sys


def body(target: int) -> bytes:
    entries = []
    size = 0
    i = 0
    while size < target:
        entry = {
            "TemplateCode": f"744c4b5c79c9432497a075bdfca3{i:04x}",
            "TemplateName": f"order_update_{i}",
            "Language": ["en", "zh_CN", "id", "pt_BR"][i % 4],
            "Category": ["UTILITY", "MARKETING", "AUTHENTICATION"][i % 3],
            "AuditStatus": ["pass", "auditing", "unpass"][i % 3],
            "TemplateType": "WHATSAPP",
            "Reason": "" if i % 5 else "Template content violates policy: “promotional” wording",
            "LastUpdateTime": 1693810000000 + i * 1000,
            "TemplateId": str(9_007_199_254_740_993 + i),
            "QualityScore": "GREEN",
        }
        text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        size += len(text.encode()) + 1
        entries.append(entry)
        i += 1
    answer = {
        "RequestId": "90E63D28-E31D-1EB2-8939-A9486641****",
        "Code": "OK",
        "Message": "SUCCESS",
        "Total": len(entries),
        "ListTemplate": entries,
    }
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode()


if __name__ == "__main__":
    out = sys.argv[1]
    target = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    data = body(target)
    with open(out, "wb") as f:
        f.write(data)
    print(f"{out}: {len(data)} bytes")
