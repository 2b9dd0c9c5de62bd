package io.camskit.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One signed ChatappMigrationRegister request and one parse of the seed's answer: camskit
 * (Kotlin API over JNA) and the official Java SDK's same steps, in one JVM. JMH runs the
 * benchmarks one after the other (not interleaved); run.sh says so.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignBench {
    CamskitSide camskit;

    @Setup
    public void setup() throws Exception {
        Check.sameSignatures(); // refuses to time signers that disagree (the JNI path included)
        camskit = new CamskitSide();
    }

    @Benchmark public Object camskitSignV1() throws Exception { return camskit.signV1().getUrl(); }
    @Benchmark public Object camskitSignV3() throws Exception { return camskit.signV3().getHeaders(); }
    @Benchmark public Object camskitSignV1Fast() throws Exception { return camskit.fastV1().getUrl(); }
    @Benchmark public Object camskitSignV3Fast() throws Exception { return camskit.fastV3().getHeaders(); }
    @Benchmark public Object camskitParse() throws Exception { return CamskitSide.parse(Fixtures.SEED_ANSWER).getRequestId(); }
    @Benchmark public Object camskitSignV1Jni() throws Exception { return camskit.jniV1().getUrl(); }
    @Benchmark public Object camskitSignV3Jni() throws Exception { return camskit.jniV3().getHeaders(); }
    @Benchmark public Object camskitParseJni() throws Exception { return CamskitSide.parseJni(Fixtures.SEED_ANSWER).getRequestId(); }

    @Benchmark public Object officialSignV1() throws Exception { return OfficialSide.signV1(); }
    @Benchmark public Object officialSignV3() throws Exception { return OfficialSide.signV3().headers; }
    @Benchmark public Object officialParse() throws Exception { return OfficialSide.parse(Fixtures.SEED_ANSWER).body.requestId; }
}
