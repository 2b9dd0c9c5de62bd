"""Writes tests/vectors/responses.json: CAMS answers and what every host must make of them.

The bodies are the shapes Alibaba documents: the ChatappMigrationRegister reference page
(shared/seed), Alibaba Cloud's common gateway errors (signature, access key, STS token,
timestamp, nonce, throttling, permission, API not found) as the POP gateway writes them
(RequestId, HostId, Code, Message, Recommend), HTTP-200 failures, and what proxies put in
front of them (HTML, XML, empty and truncated bodies). The expected kinds are camskit's error
model (shared/DESIGN.md). Run: python3 tools/vectors/responses.py
"""
import base64
import json
from pathlib import Path

HOST = "cams.ap-southeast-1.aliyuncs.com"
RID = "90E63D28-E31D-1EB2-8939-A9486641****"
STS_SERVER = ("POST&%2F&AccessKeyId%3DLTAI5tCamsKitVector01%26Action%3DChatappMigrationRegister"
              "%26CustSpaceId%3D29348393884%26Format%3DJSON%26PhoneNumber%3D8613800001234"
              "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D6f1c2b7e%26SignatureVersion%3D1.0"
              "%26Timestamp%3D2025-07-14T08%253A00%253A00Z%26Version%3D2020-06-06")


def gateway(code, message, rid="C3C5E0F5-3A8B-5E7A-9D3C-2B1A0F9E8D7C"):
    return json.dumps({
        "RequestId": rid, "HostId": HOST, "Code": code, "Message": message,
        "Recommend": f"https://api.aliyun.com/troubleshoot?q={code}&product=cams&requestId={rid}",
    })


def cams(code, message, rid=RID, **extra):
    return json.dumps({"RequestId": rid, "Code": code, "Message": message, **extra})


cases = []


def ok(name, status, body, **expect):
    cases.append({"name": name, "status": status, "body": body,
                  "expected": {"outcome": "ok", **expect}})


def api(name, status, body, kind, retryable, **expect):
    cases.append({"name": name, "status": status, "body": body,
                  "expected": {"outcome": "api_error", "kind": kind, "retryable": retryable, **expect}})


def parse(name, status, body=None, body_base64=None, reason=None):
    c = {"name": name, "status": status, "expected": {"outcome": "parse_error", "reason_contains": reason}}
    if body_base64 is not None:
        c["body_base64"] = body_base64
    else:
        c["body"] = body
    cases.append(c)


# --- the seed page: success sample and its documented errors (HTTP 400, and as HTTP 200)
ok("seed success sample", 200, json.dumps({"RequestId": RID, "Code": "OK", "Message": "SUCCESS", "AccessDeniedDetail": "None"}),
   request_id=RID, code="OK", message="SUCCESS", access_denied_detail="None")
for status in (400, 200):
    api(f"seed: Product.Unsubscript (HTTP {status})", status,
        cams("Product.Unsubscript", "You have not subscribed to the specified product."),
        "not_subscribed", False, code="Product.Unsubscript", request_id=RID,
        message="You have not subscribed to the specified product.")
    api(f"seed: Ram.PermissionDeny (HTTP {status})", status,
        cams("Ram.PermissionDeny", "You are not authorized to perform the operation."),
        "permission", False, code="Ram.PermissionDeny", request_id=RID)
    api(f"seed: System.LimitControl (HTTP {status})", status,
        cams("System.LimitControl", "The system is under flow control."),
        "throttling", True, code="System.LimitControl")
    api(f"seed: Unknown.ResourceOwnerId (HTTP {status})", status,
        cams("Unknown.ResourceOwnerId", "The resource does not belong to the current user."),
        "not_found", False, code="Unknown.ResourceOwnerId")

# --- gateway errors
api("gateway: SignatureDoesNotMatch", 400,
    gateway("SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:" + STS_SERVER),
    "signature_mismatch", False, code="SignatureDoesNotMatch", host_id=HOST,
    recommend="https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&product=cams&requestId=C3C5E0F5-3A8B-5E7A-9D3C-2B1A0F9E8D7C",
    request_id="C3C5E0F5-3A8B-5E7A-9D3C-2B1A0F9E8D7C", server_string_to_sign=STS_SERVER)
api("gateway: IncompleteSignature", 400,
    gateway("IncompleteSignature", "The request signature does not conform to Aliyun standards. server string to sign is:GET&%2F&A%3D1"),
    "signature_mismatch", False, code="IncompleteSignature", server_string_to_sign="GET&%2F&A%3D1")
api("gateway: InvalidAccessKeyId.NotFound", 404, gateway("InvalidAccessKeyId.NotFound", "Specified access key is not found."),
    "authentication", False, code="InvalidAccessKeyId.NotFound", host_id=HOST)
api("gateway: InvalidAccessKeyId.Inactive", 400, gateway("InvalidAccessKeyId.Inactive", "Specified access key is disabled."),
    "authentication", False)
api("gateway: Forbidden.AccessKeyDisabled", 403, gateway("Forbidden.AccessKeyDisabled", "The Accesskey is disabled."),
    "authentication", False)
api("gateway: InvalidSecurityToken.Expired", 400, gateway("InvalidSecurityToken.Expired", "Specified SecurityToken is expired."),
    "authentication", False)
api("gateway: InvalidSecurityToken.MismatchWithAccessKey", 400,
    gateway("InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey."),
    "authentication", False)
api("gateway: InvalidSecurityToken.Malformed", 400, gateway("InvalidSecurityToken.Malformed", "Specified SecurityToken is malformed."),
    "authentication", False)
api("gateway: InvalidTimeStamp.Expired", 400,
    gateway("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."),
    "clock_skew", False, code="InvalidTimeStamp.Expired")
api("gateway: InvalidTimeStamp.Format", 400, gateway("InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."),
    "clock_skew", False)
api("gateway: SignatureNonceUsed", 400, gateway("SignatureNonceUsed", "Specified signature nonce was used already."),
    "nonce_reused", True, code="SignatureNonceUsed")
api("gateway: Throttling.User", 400, gateway("Throttling.User", "Request was denied due to user flow control."),
    "throttling", True)
api("gateway: Throttling.Api", 400, gateway("Throttling.Api", "Request was denied due to api flow control."),
    "throttling", True)
api("gateway: Throttling (HTTP 429)", 429, gateway("Throttling", "Request was denied due to flow control."),
    "throttling", True)
api("gateway: ServiceUnavailable.Throttling", 503, gateway("ServiceUnavailable.Throttling", "Request was denied due to flow control."),
    "throttling", True)
api("gateway: InternalError", 500, gateway("InternalError", "The request processing has failed due to some unknown error, exception or failure."),
    "server", True, code="InternalError")
api("gateway: ServiceUnavailable", 503, gateway("ServiceUnavailable", "The request has failed due to a temporary failure of the server."),
    "server", True)
api("gateway: Forbidden.RAM", 403, gateway("Forbidden.RAM", "User not authorized to operate on the specified resource, or this API doesn't support RAM."),
    "permission", False)
api("gateway: NoPermission", 403, gateway("NoPermission", "You are not authorized to do this action."),
    "permission", False)
api("gateway: InvalidAction.NotFound", 404, gateway("InvalidAction.NotFound", "Specified api is not found, please check your url and method."),
    "invalid_parameter", False)
api("gateway: MissingParameter", 400, gateway("MissingParameter", "The input parameter \"PhoneNumber\" that is mandatory for processing this request is not supplied."),
    "invalid_parameter", False)
api("gateway: InvalidParameter", 400, gateway("InvalidParameter", "The specified parameter \"CustSpaceId\" is not valid."),
    "invalid_parameter", False)
api("gateway: InvalidVersion", 400, gateway("InvalidVersion", "Specified parameter Version is not valid."),
    "invalid_parameter", False)
api("gateway: lower-case field names", 503,
    json.dumps({"requestId": "r-lower", "code": "ServiceUnavailable", "message": "busy"}),
    "server", True, code="ServiceUnavailable", request_id="r-lower", message="busy")
api("gateway: 5xx JSON without a code", 502, json.dumps({"RequestId": "r-502"}), "server", True, code="", request_id="r-502")
api("gateway: 404 JSON without a code", 404, json.dumps({"Message": "not here"}), "not_found", False, code="")

# --- business failures with HTTP 200
api("HTTP 200: business error", 200, cams("Chatapp.PhoneNumberInvalid", "The phone number is invalid."), "other", False,
    code="Chatapp.PhoneNumberInvalid", message="The phone number is invalid.")
api("HTTP 200: InvalidParameter.PhoneNumber", 200, cams("InvalidParameter.PhoneNumber", "PhoneNumber is invalid"), "invalid_parameter", False)
api("HTTP 200: access denied detail object", 200,
    json.dumps({"RequestId": RID, "Code": "Ram.PermissionDeny", "Message": "You are not authorized to perform the operation.",
                "AccessDeniedDetail": {"AuthAction": "cams:ChatappMigrationRegister", "PolicyType": "AccountLevelIdentityBasedPolicy", "NoPermissionType": "ImplicitDeny"}}),
    "permission", False,
    access_denied_detail='{"AuthAction":"cams:ChatappMigrationRegister","PolicyType":"AccountLevelIdentityBasedPolicy","NoPermissionType":"ImplicitDeny"}')
api("HTTP 200: code OK but server status 500", 500, cams("OK", "weird"), "server", True, code="OK")

# --- successes with data
ok("success with Data and a 64-bit id", 200,
   '{"RequestId":"r1","Code":"OK","Data":{"Id":9007199254740993,"Name":"wa","Big":18446744073709551615,"Neg":-9223372036854775808,"Ratio":0.1}}',
   request_id="r1", data='{"Id":9007199254740993,"Name":"wa","Big":18446744073709551615,"Neg":-9223372036854775808,"Ratio":0.1}')
ok("success without a code (ChangeResourceGroup)", 200, json.dumps({"RequestId": "r2"}), request_id="r2", code="OK")
ok("success with HTTP 201", 201, cams("OK", "created"), code="OK")
ok("success with unknown extra fields", 200,
   json.dumps({"RequestId": "r3", "Code": "OK", "Message": "SUCCESS", "Model": {"Status": "pending"}, "Total": 3}),
   request_id="r3", extra_fields=["Model", "Total"])

# --- bodies that are not CAMS JSON
parse("HTML from a proxy", 502, "<html><head><title>502 Bad Gateway</title></head><body><center>502 Bad Gateway</center></body></html>", reason="HTML")
parse("HTML doctype", 403, "<!DOCTYPE html><html><body>Access denied by WAF</body></html>", reason="HTML")
parse("XML error body", 400, '<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>r</RequestId><Code>SignatureDoesNotMatch</Code></Error>', reason="XML")
parse("empty body", 200, "", reason="empty")
parse("whitespace body", 500, "  \r\n ", reason="empty")
parse("truncated JSON", 200, '{"RequestId":"r","Code":"OK","Mess', reason="truncated")
parse("garbage text", 200, "Service Temporarily Unavailable", reason="not valid JSON")
parse("binary garbage", 200, body_base64=base64.b64encode(bytes(range(0, 256, 7))).decode(), reason="not valid JSON")
parse("JSON array", 200, "[1,2,3]", reason="not an object")
parse("JSON string", 200, '"OK"', reason="not an object")

doc = {
    "generated_by": "tools/vectors/responses.py (do not edit by hand)",
    "about": "CAMS answers (status + body) and the outcome every host must report. expected fields that are "
             "present must match exactly; kind names are camskit's error kinds.",
    "cases": cases,
}
import argparse  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "tests" / "vectors")
out = ap.parse_args().out / "responses.json"
out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"{out.name}: {len(cases)} cases")
