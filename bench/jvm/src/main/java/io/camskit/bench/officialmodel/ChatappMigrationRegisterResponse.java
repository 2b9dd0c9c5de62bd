package io.camskit.bench.officialmodel;

import com.aliyun.tea.NameInMap;
import com.aliyun.tea.TeaModel;

/**
 * The shape of com.aliyun.cams20200606.models.ChatappMigrationRegisterResponse (cams20200606
 * 5.3.1): com.aliyun:cams20200606 does not resolve from the Maven mirror these machines reach, so
 * the generated model is restated here (same annotations, same TeaModel.toModel path).
 */
public class ChatappMigrationRegisterResponse extends TeaModel {
    @NameInMap("headers")
    public java.util.Map<String, String> headers;

    @NameInMap("statusCode")
    public Integer statusCode;

    @NameInMap("body")
    public ChatappMigrationRegisterResponseBody body;

    public static class ChatappMigrationRegisterResponseBody extends TeaModel {
        @NameInMap("AccessDeniedDetail")
        public String accessDeniedDetail;

        @NameInMap("Code")
        public String code;

        @NameInMap("Message")
        public String message;

        @NameInMap("RequestId")
        public String requestId;
    }
}
