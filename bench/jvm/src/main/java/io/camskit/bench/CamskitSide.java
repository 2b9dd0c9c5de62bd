package io.camskit.bench;

import camskit.AccessKey;
import camskit.CamsClient;
import camskit.CamsResponse;
import camskit.Camskit_uniffiKt;
import camskit.Credentials;
import camskit.ParamValue;
import camskit.SignOptions;
import camskit.SignRequest;
import camskit.SignTime;
import camskit.SignatureVersion;
import camskit.SignedRequest;
import camskit.fast.FastSigner;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** camskit's Kotlin API (io.camskit:camskit-kotlin) as a Java program calls it. */
final class CamskitSide {
    final CamsClient client;
    final SignOptions v1;
    final SignOptions v3;
    final Map<String, ParamValue> params = new HashMap<>();
    final SignRequest fastV1;
    final SignRequest fastV3;

    CamskitSide() {
        client = new CamsClient(new Credentials(Fixtures.KEY_ID, Fixtures.SECRET, null), null, null);
        v1 = options(SignatureVersion.V1);
        v3 = options(SignatureVersion.V3);
        params.put("CustSpaceId", new ParamValue.Text(Fixtures.CUST_SPACE_ID));
        params.put("PhoneNumber", new ParamValue.Text(Fixtures.PHONE_NUMBER));
        AccessKey key = new AccessKey(Fixtures.KEY_ID, Fixtures.SECRET.getBytes(StandardCharsets.UTF_8), null);
        fastV1 = new SignRequest(key, Fixtures.ACTION, params, v1, null, null);
        fastV3 = new SignRequest(key, Fixtures.ACTION, params, v3, null, null);
    }

    private static SignOptions options(SignatureVersion version) {
        return new SignOptions(null, version, new SignTime.Unix(Fixtures.UNIX_TIME), Fixtures.NONCE,
            java.util.List.of(), false, null, Map.of());
    }

    /** The client's typed method: six FFI crossings (handle clone, 3 argument buffers, call, free). */
    SignedRequest signV1() throws Exception { return client.chatappMigrationRegister(Fixtures.CUST_SPACE_ID, Fixtures.PHONE_NUMBER, v1); }
    SignedRequest signV3() throws Exception { return client.chatappMigrationRegister(Fixtures.CUST_SPACE_ID, Fixtures.PHONE_NUMBER, v3); }
    /** signRequest(record): three FFI crossings (one argument buffer, the call, free). */
    SignedRequest fastV1() throws Exception { return Camskit_uniffiKt.signRequest(fastV1); }
    SignedRequest fastV3() throws Exception { return Camskit_uniffiKt.signRequest(fastV3); }

    /** The same record through camskit.fast.FastSigner: one JNI call (src/jni.rs), no JNA. */
    SignedRequest jniV1() throws Exception { return FastSigner.signRequest(fastV1); }
    SignedRequest jniV3() throws Exception { return FastSigner.signRequest(fastV3); }

    static CamsResponse parse(byte[] body) throws Exception { return Camskit_uniffiKt.parseResponse(200, body); }
    static CamsResponse parseJni(byte[] body) throws Exception { return FastSigner.parseResponse(200, body); }
}
