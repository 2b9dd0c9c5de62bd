package io.camskit.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one request and the one answer every host's row times (bench/README.md). */
final class Fixtures {
    static final String KEY_ID = "LTAI5tCamsKitBench01";
    static final String SECRET = "BenchSecret0123456789abcdefABCD";
    static final double UNIX_TIME = 1752480000.0;
    static final String TIMESTAMP = "2025-07-14T08:00:00Z";
    static final String NONCE = "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21";
    static final String ACTION = "ChatappMigrationRegister";
    static final String VERSION = "2020-06-06";
    static final String HOST = "cams.ap-southeast-1.aliyuncs.com";
    static final String CUST_SPACE_ID = "29348393884";
    static final String PHONE_NUMBER = "8613800001234";
    static final byte[] SEED_ANSWER =
        "{\"RequestId\":\"90E63D28-E31D-1EB2-8939-A9486641****\",\"Code\":\"OK\",\"Message\":\"SUCCESS\",\"AccessDeniedDetail\":\"None\"}"
            .getBytes(StandardCharsets.UTF_8);

    /** The 1 MB ListChatappTemplate answer (bench/large_body.py), from -Dcamskit.largeBody=FILE. */
    static byte[] largeBody() {
        return file("camskit.largeBody");
    }

    /**
     * The bytes of the file a system property names: camskit.largeBody (bench/large_body.py),
     * camskit.receiptsPush and camskit.mnsBatch (bench/receipts_bodies.py).
     */
    static byte[] file(String property) {
        String file = System.getProperty(property);
        if (file == null) throw new IllegalStateException("set -D" + property + "=FILE (run.sh writes it)");
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Fixtures() {}
}
