package io.camskit.bench;

import camskit.CamsException;
import camskit.CamsResponse;
import camskit.Camskit_uniffiKt;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One case of bench/jvm/parse-peak.sh (issue 24: peak memory of parsing one large answer, at most
 * 16 times its size): in this fresh JVM, reads the answer's bytes, notes the resident memory,
 * parses once with camskit's {@code parseResponse} (through JNA: core parses, the answer comes
 * back as CamsResponse with its body as JSON text) or with Gson (the official Java SDK's JSON
 * library), keeps the result, and prints one JSON line with the peak resident memory (VmHWM of
 * /proc/self/status: Java heap, JNA buffers and the native library's allocations together).
 *
 * <p>{@code java -cp CP io.camskit.bench.ParsePeak CASE camskit|gson FILE}
 */
public final class ParsePeak {
    private ParsePeak() {}

    private static long statusKib(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IOException(field + " not in /proc/self/status");
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        String parser = args[1];
        byte[] data = Files.readAllBytes(Path.of(args[2]));
        System.gc();
        long before = statusKib("VmRSS");
        String outcome = "ok";
        Object kept;
        if (parser.equals("camskit")) {
            try {
                CamsResponse r = Camskit_uniffiKt.parseResponse(200, data);
                kept = r;
            } catch (CamsException.Parse e) {
                kept = null;
                String why = e.getReason();
                outcome = "refused: " + why.substring(0, Math.min(90, why.length()));
            }
        } else {
            JsonElement tree = JsonParser.parseString(new String(data, StandardCharsets.UTF_8));
            kept = tree;
        }
        long peak = statusKib("VmHWM");
        System.out.println("{\"case\":\"" + name + "\",\"parser\":\"" + parser + "\",\"bytes\":" + data.length
            + ",\"rss_before_kib\":" + before + ",\"peak_kib\":" + peak + ",\"outcome\":\""
            + outcome.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"kept\":" + (kept != null) + "}");
    }
}
