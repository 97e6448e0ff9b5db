"""Signs requests with botocore's SigV4 signers, as an independent oracle for lake's signer.

Reads JSON lines from the file named on the command line, one request each:
  {"id", "service", "s3", "region", "method", "scheme", "host", "path", "query": [[k, v|null]],
   "headers": [[name, value]], "body": base64, "unsigned", "access", "secret", "token"|null,
   "amzdate": "YYYYMMDDTHHMMSSZ"}
and writes JSON lines {"id", "url", "authorization", "canonical_request"} to standard output.
The URL is built from the raw path and query with botocore's own percent_encode, as its REST
serializer does (paths keep '/' and '~', query parts keep only '-_.~').
"""
import base64
import datetime
import json
import sys
import types

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode


def sign(case):
    url = case["scheme"] + "://" + case["host"] + percent_encode(case["path"], safe="/~")
    if case["query"]:
        parts = []
        for key, value in case["query"]:
            encoded = percent_encode(key, safe="-_.~")
            parts.append(encoded if value is None else encoded + "=" + percent_encode(value, safe="-_.~"))
        url += "?" + "&".join(parts)
    request = AWSRequest(method=case["method"], url=url, data=base64.b64decode(case["body"]))
    for name, value in case["headers"]:
        request.headers[name] = value
    if case["unsigned"]:
        request.context["client_config"] = types.SimpleNamespace(s3={"payload_signing_enabled": False})
    credentials = Credentials(case["access"], case["secret"], case["token"])
    signer_class = botocore.auth.S3SigV4Auth if case["s3"] else botocore.auth.SigV4Auth
    signer = signer_class(credentials, case["service"], case["region"])
    captured = {}
    original = signer.canonical_request

    def capture(req):
        captured["creq"] = original(req)
        return captured["creq"]

    signer.canonical_request = capture
    when = datetime.datetime.strptime(case["amzdate"], "%Y%m%dT%H%M%SZ")
    botocore.auth.get_current_datetime = lambda: when
    signer.add_auth(request)
    return {
        "id": case["id"],
        "url": url,
        "authorization": request.headers["Authorization"],
        "canonical_request": captured["creq"],
    }


def main():
    out = sys.stdout
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.write(json.dumps(sign(json.loads(line))) + "\n")


if __name__ == "__main__":
    main()
