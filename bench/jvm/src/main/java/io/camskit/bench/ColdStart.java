package io.camskit.bench;

import java.lang.management.ManagementFactory;

/**
 * One fresh JVM, one first signed request: `camskit` (load the library from the jar through JNA,
 * Credentials + CamsClient, chatappMigrationRegister) or `official` (tea-openapi's Client with
 * its Config, then the RPC 1.0 signature and URL). Prints
 * `cold <which> main_ms=<from main() entry> jvm_ms=<from the JVM's start time>`; run.sh runs it
 * several times and takes the median. jvm_ms has millisecond resolution (RuntimeMXBean), and is
 * read after the measurement so that loading the management classes is not counted.
 */
public final class ColdStart {
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        String which = args.length > 0 ? args[0] : "camskit";
        Object result;
        if (which.equals("camskit")) {
            result = camskit();
        } else if (which.equals("official")) {
            result = official();
        } else {
            throw new IllegalArgumentException("camskit | official");
        }
        long t1 = System.nanoTime();
        long end = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        if (result.toString().isEmpty()) throw new IllegalStateException();
        System.out.printf("cold %s main_ms=%.3f jvm_ms=%d%n", which, (t1 - t0) / 1e6, end - jvmStart);
    }

    private static Object camskit() throws Exception {
        camskit.CamsClient client = new camskit.CamsClient(
            new camskit.Credentials(Fixtures.KEY_ID, Fixtures.SECRET, null), null, null);
        return client.chatappMigrationRegister(Fixtures.CUST_SPACE_ID, Fixtures.PHONE_NUMBER,
            new camskit.SignOptions(null, camskit.SignatureVersion.V1, new camskit.SignTime.Unix(Fixtures.UNIX_TIME),
                Fixtures.NONCE, java.util.List.of(), false, null, java.util.Map.of())).getUrl();
    }

    private static Object official() throws Exception {
        com.aliyun.teaopenapi.Client client = OfficialSide.client();
        return client.toString() + OfficialSide.signV1();
    }

    private ColdStart() {}
}
