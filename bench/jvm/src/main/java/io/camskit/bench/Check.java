package io.camskit.bench;

import camskit.NameValue;
import camskit.SignedRequest;
import java.util.Map;

/** Before anything is timed: camskit and the official SDK sign the same request alike. */
public final class Check {
    static void sameSignatures() throws Exception {
        CamskitSide c = new CamskitSide();
        SignedRequest v1 = c.signV1();
        Map<String, String> officialV1 = OfficialSide.signV1Query();
        same("RPC 1.0 signature", officialV1.get("Signature"), v1.getSignature());
        same("RPC 1.0 URL, signRequest vs client", c.fastV1().getUrl(), v1.getUrl());

        SignedRequest v3 = c.signV3();
        String camskitAuth = null;
        for (NameValue h : v3.getHeaders()) if (h.getName().equals("authorization")) camskitAuth = h.getValue();
        same("ACS3 Authorization", OfficialSide.signV3().headers.get("Authorization"), camskitAuth);
        same("ACS3 request, signRequest vs client", c.fastV3().toString(), v3.toString());

        if (!camskit.fast.FastSigner.isNative()) {
            throw new IllegalStateException("camskit.fast.FastSigner has no JNI path: " + camskit.fast.FastSigner.getUnavailableReason());
        }
        same("RPC 1.0 request, JNI fast path vs signRequest", c.fastV1().toString(), c.jniV1().toString());
        same("ACS3 request, JNI fast path vs signRequest", c.fastV3().toString(), c.jniV3().toString());
        same("seed answer, JNI fast path vs parseResponse",
            CamskitSide.parse(Fixtures.SEED_ANSWER).toString(), CamskitSide.parseJni(Fixtures.SEED_ANSWER).toString());

        same("RequestId of the seed answer",
            OfficialSide.parse(Fixtures.SEED_ANSWER).body.requestId,
            CamskitSide.parse(Fixtures.SEED_ANSWER).getRequestId());
    }

    private static void same(String what, String official, String camskit) {
        if (official == null || !official.equals(camskit)) {
            throw new IllegalStateException(what + " differs: official " + official + ", camskit " + camskit);
        }
        System.out.println("same " + what + ": " + (camskit.length() > 100 ? camskit.substring(0, 100) + "..." : camskit));
    }

    public static void main(String[] args) throws Exception {
        sameSignatures();
    }

    private Check() {}
}
