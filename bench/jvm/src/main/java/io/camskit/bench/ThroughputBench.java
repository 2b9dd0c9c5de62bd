package io.camskit.bench;

import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The 1 MB ListChatappTemplate answer (bench/large_body.py): ms per parse; run.sh turns it into MB/s. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ThroughputBench {
    byte[] body;

    @Setup
    public void setup() {
        body = Fixtures.largeBody();
    }

    /** camskit's parse_response through the Kotlin API (one buffer in, one out). */
    @Benchmark public Object camskitParseLarge() throws Exception { return CamskitSide.parse(body).getBodyJson(); }

    /** The same through camskit.fast.FastSigner (one JNI call, no JNA). */
    @Benchmark public Object camskitParseLargeJni() throws Exception { return CamskitSide.parseJni(body).getBodyJson(); }

    /** Gson's tree parser (the JSON library the official SDK uses), bytes in as UTF-8. */
    @Benchmark public Object gsonParseLarge() {
        return JsonParser.parseReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
    }

    /** What the official SDK does with a body: tea-util's readAsJSON (text, then Gson to Map). */
    @Benchmark public Object officialReadAsJsonLarge() throws Exception {
        return com.aliyun.teautil.Common.readAsJSON(new ByteArrayInputStream(body));
    }
}
