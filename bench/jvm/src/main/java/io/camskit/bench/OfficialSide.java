package io.camskit.bench;

import com.aliyun.tea.TeaConverter;
import com.aliyun.tea.TeaModel;
import com.aliyun.tea.TeaPair;
import com.aliyun.tea.TeaRequest;
import io.camskit.bench.officialmodel.ChatappMigrationRegisterResponse;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What Alibaba's official Java SDK (com.aliyun:tea-openapi 0.3.8, with openapiutil 0.2.2, tea
 * 1.1.14, tea-util 0.2.23) does for the same request and answer, step by step as
 * com.aliyun.teaopenapi.Client does it (doRPCRequest for 1.0, doRequest for ACS3), with the time
 * and nonce fixed instead of openapiutil.getTimestamp() / teautil.Common.getNonce(), and no
 * network: the request is built and signed, not sent.
 */
final class OfficialSide {
    static final String RPC_WHAT = "com.aliyun.openapiutil.Client.getRPCSignature + query map + URL as tea-openapi 0.3.8 doRPCRequest/Tea.composeUrl";
    static final String V3_WHAT = "com.aliyun.openapiutil.Client.getAuthorization(TeaRequest, ACS3-HMAC-SHA256, ...) as tea-openapi 0.3.8 doRequest builds it";
    static final String PARSE_WHAT = "com.aliyun.teautil.Common.readAsJSON (Gson) + assertAsMap + TeaModel.toModel(ChatappMigrationRegisterResponse) as tea-openapi 0.3.8 + cams20200606 do";

    /** RPC 1.0 (doRPCRequest): the query, its signature, and the URL Tea.composeUrl makes. */
    static String signV1() throws Exception {
        return composeUrl("https", Fixtures.HOST, "/", signV1Query());
    }

    /** doRPCRequest's query with its Signature. */
    static Map<String, String> signV1Query() throws Exception {
        Map<String, String> userQuery = new HashMap<>();
        userQuery.put("CustSpaceId", Fixtures.CUST_SPACE_ID);
        userQuery.put("PhoneNumber", Fixtures.PHONE_NUMBER);
        Map<String, String> query = TeaConverter.merge(String.class,
            TeaConverter.buildMap(
                new TeaPair("Action", Fixtures.ACTION),
                // tea-openapi 0.3.8's doRPCRequest puts "json"; camskit (and aliyun-java-sdk-core,
                // aliyun-python-sdk-core) send "JSON": the same query is signed here so that the
                // signatures can be compared (CAMS accepts both; the work is the same).
                new TeaPair("Format", "JSON"),
                new TeaPair("Version", Fixtures.VERSION),
                new TeaPair("Timestamp", Fixtures.TIMESTAMP),
                new TeaPair("SignatureNonce", Fixtures.NONCE)),
            userQuery);
        query.put("SignatureMethod", "HMAC-SHA1");
        query.put("SignatureVersion", "1.0");
        query.put("AccessKeyId", Fixtures.KEY_ID);
        Map<String, String> signedParam = TeaConverter.merge(String.class, query, com.aliyun.openapiutil.Client.query(null));
        query.put("Signature", com.aliyun.openapiutil.Client.getRPCSignature(signedParam, "POST", Fixtures.SECRET));
        return query;
    }

    /** Tea.composeUrl (private in tea 1.1.14): scheme://host/path?k=URLEncoder(v)&... */
    static String composeUrl(String scheme, String host, String path, Map<String, String> query) {
        StringBuilder url = new StringBuilder(scheme).append("://").append(host).append(path).append('?');
        boolean first = true;
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (e.getValue() == null) continue;
            if (!first) url.append('&');
            first = false;
            url.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return url.toString();
    }

    /** ACS3-HMAC-SHA256 (doRequest): the headers, the payload hash and the Authorization header. */
    static TeaRequest signV3() throws Exception {
        TeaRequest request = new TeaRequest();
        request.protocol = "https";
        request.method = "POST";
        request.pathname = "/";
        request.query = new HashMap<>();
        request.query.put("CustSpaceId", Fixtures.CUST_SPACE_ID);
        request.query.put("PhoneNumber", Fixtures.PHONE_NUMBER);
        request.headers = TeaConverter.buildMap(
            new TeaPair("host", Fixtures.HOST),
            new TeaPair("x-acs-version", Fixtures.VERSION),
            new TeaPair("x-acs-action", Fixtures.ACTION),
            new TeaPair("user-agent", "AlibabaCloud (camskit-bench) TeaDSL/1"),
            new TeaPair("x-acs-date", Fixtures.TIMESTAMP),
            new TeaPair("x-acs-signature-nonce", Fixtures.NONCE),
            new TeaPair("accept", "application/json"));
        String hashed = com.aliyun.openapiutil.Client.hexEncode(
            com.aliyun.openapiutil.Client.hash(com.aliyun.teautil.Common.toBytes(""), "ACS3-HMAC-SHA256"));
        request.headers.put("x-acs-content-sha256", hashed);
        request.headers.put("Authorization", com.aliyun.openapiutil.Client.getAuthorization(
            request, "ACS3-HMAC-SHA256", hashed, Fixtures.KEY_ID, Fixtures.SECRET));
        return request;
    }

    /** doRPCRequest's reading of a 2xx answer, then the generated client's TeaModel.toModel. */
    static ChatappMigrationRegisterResponse parse(byte[] body) throws Exception {
        Object obj = com.aliyun.teautil.Common.readAsJSON(new ByteArrayInputStream(body));
        Map<String, Object> res = com.aliyun.teautil.Common.assertAsMap(obj);
        Map<String, Object> map = TeaConverter.buildMap(
            new TeaPair("body", res),
            new TeaPair("headers", new HashMap<String, String>()),
            new TeaPair("statusCode", 200));
        return TeaModel.toModel(map, new ChatappMigrationRegisterResponse());
    }

    /** A client as a CAMS program makes one (network cut: endpoint 127.0.0.1, nothing is sent). */
    static com.aliyun.teaopenapi.Client client() throws Exception {
        com.aliyun.teaopenapi.models.Config config = new com.aliyun.teaopenapi.models.Config()
            .setAccessKeyId(Fixtures.KEY_ID)
            .setAccessKeySecret(Fixtures.SECRET)
            .setEndpoint("127.0.0.1");
        return new com.aliyun.teaopenapi.Client(config);
    }

    private OfficialSide() {}
}
