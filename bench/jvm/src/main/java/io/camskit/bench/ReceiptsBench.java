package io.camskit.bench;

import camskit.CamsClient;
import camskit.Camskit_uniffiKt;
import camskit.Credentials;
import camskit.Delivery;
import camskit.HttpResponse;
import camskit.HttpTransport;
import camskit.ReceiptsConsumer;
import camskit.ReceiptsConsumerOptions;
import camskit.fast.FastReceipts;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The receipts columns (bench/receipts_bodies.py's inputs): the 16-event push body through
 * camskit's FastReceipts.parsePush (one JNI call) and uniffi's parsePush (JNA) next to Gson's tree parser, and the 16-message MNS batch through
 * camskit's receipts consumer (the one public way to read an MNS batch in Kotlin) next to the
 * JDK's DOM parser.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReceiptsBench {
    static final String QUEUE = "Alicom-Queue-1873897471328909-ChatAppStatus";

    String push;
    byte[] mns;
    DocumentBuilder dom;
    ReceiptsConsumer consumer;

    @Setup
    public void setup() throws Exception {
        push = new String(Fixtures.file("camskit.receiptsPush"), StandardCharsets.UTF_8);
        mns = Fixtures.file("camskit.mnsBatch");
        dom = DocumentBuilderFactory.newInstance().newDocumentBuilder();
        consumer = consumer(mns);
        if (Camskit_uniffiKt.parsePush(push, null).size() != 16) throw new IllegalStateException("push: not 16 events");
        if (!FastReceipts.isNative()) throw new IllegalStateException("FastReceipts is not on its JNI path");
        if (!FastReceipts.parsePush(push, null).equals(Camskit_uniffiKt.parsePush(push, null))) {
            throw new IllegalStateException("FastReceipts.parsePush differs from parsePush");
        }
        if (JsonParser.parseString(push).getAsJsonArray().size() != 16) throw new IllegalStateException("Gson: not 16 events");
        if (dom.parse(new ByteArrayInputStream(mns)).getDocumentElement().getElementsByTagName("Message").getLength() != 16) {
            throw new IllegalStateException("DOM: not 16 messages");
        }
        List<Delivery> batch = mns16();
        if (batch.size() != 16) throw new IllegalStateException("consumer: " + batch.size() + " deliveries, not 16");
        List<Delivery> viaJni = mns16Jni();
        for (int i = 0; i < 16; i++) {
            Delivery a = batch.get(i), b = viaJni.get(i);
            // the same messages again (delete = false), now flagged duplicates: compare the rest
            if (!a.getMessageId().equals(b.getMessageId()) || !a.getEvents().equals(b.getEvents())
                || !a.getMessageBody().equals(b.getMessageBody()) || !b.getDuplicate()) {
                throw new IllegalStateException("FastReceipts.next differs from next(): " + a + " / " + b);
            }
        }
        for (Delivery d : batch) {
            if (d.getEvents().size() != 1 || d.getParseError() != null) throw new IllegalStateException("consumer: " + d);
        }
    }

    /**
     * A consumer of a ChatAppStatus queue whose transport answers from memory: the queue's token
     * (valid a day) once, then this batch at every poll. delete = false, so the same 16 messages
     * come back at each poll (flagged duplicates: parsed all the same).
     */
    static ReceiptsConsumer consumer(byte[] batch) throws Exception {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        LocalDateTime now = LocalDateTime.now(ZoneId.of("Asia/Shanghai"));
        byte[] token = ("{\"Code\":\"OK\",\"Message\":\"OK\",\"RequestId\":\"t\",\"MessageTokenDTO\":{"
            + "\"AccessKeyId\":\"STS.bench\",\"AccessKeySecret\":\"s\",\"SecurityToken\":\"tok\","
            + "\"CreateTime\":\"" + now.format(f) + "\",\"ExpireTime\":\"" + now.plusDays(1).format(f) + "\"}}")
            .getBytes(StandardCharsets.UTF_8);
        HttpTransport memory = request ->
            new HttpResponse(200, List.of(), request.getUrl().contains("/queues/") ? batch : token);
        CamsClient client = new CamsClient(new Credentials(Fixtures.KEY_ID, Fixtures.SECRET, null), null, null);
        return new ReceiptsConsumer(client, memory,
            options("ChatAppStatus", QUEUE, "https://1943695596114318.mns.cn-hangzhou.aliyuncs.com"));
    }

    /**
     * ReceiptsConsumerOptions(messageType, queueName, mnsEndpoint, delete = false): its
     * constructor takes Kotlin's unsigned types (UInt?), which Kotlin hides from Java, so Java
     * reaches it by reflection (setup only; a Kotlin program calls it plainly).
     */
    static ReceiptsConsumerOptions options(String type, String queue, String endpoint) throws Exception {
        for (Constructor<?> c : ReceiptsConsumerOptions.class.getDeclaredConstructors()) {
            Class<?>[] p = c.getParameterTypes();
            if (p.length == 13 && p[12].getName().equals("kotlin.jvm.internal.DefaultConstructorMarker")) {
                c.setAccessible(true);
                return (ReceiptsConsumerOptions) c.newInstance(type, queue, endpoint, null, null, null, false,
                    null, null, null, null, false, null);
            }
        }
        throw new IllegalStateException("no ReceiptsConsumerOptions constructor of 12 fields");
    }

    /** One batch: next() (a signed poll, the answer, core's XML parse, base64 + JSON of each body) and 16 handled(). */
    List<Delivery> mns16() throws Exception {
        List<Delivery> batch = consumer.next();
        for (Delivery d : batch) consumer.handled(d.getMessageId());
        return batch;
    }

    @Benchmark public Object camskitPush16() throws Exception { return Camskit_uniffiKt.parsePush(push, null); }

    @Benchmark public Object camskitPush16Jni() throws Exception { return FastReceipts.parsePush(push, null); }

    @Benchmark public Object gsonPush16() { return JsonParser.parseString(push); }

    @Benchmark public Object camskitMns16() throws Exception { return mns16(); }

    /** The same batch through FastReceipts: next() and the 16 handled() each one JNI call (what forEach uses). */
    @Benchmark public Object camskitMns16Jni() throws Exception { return mns16Jni(); }

    List<Delivery> mns16Jni() throws Exception {
        List<Delivery> batch = FastReceipts.next(consumer);
        for (Delivery d : batch) FastReceipts.handled(consumer, d.getMessageId());
        return batch;
    }

    @Benchmark public Object domMns16() throws Exception { return dom.parse(new ByteArrayInputStream(mns)); }
}
