// The Java app of .ci/packages.sh: round-trips every value through a live gateway and a Python echo worker, with
// the client resolved by Maven from the local repository, where `mvn install` put it.
import io.sergeant.client.Event;
import io.sergeant.client.PushOptions;
import io.sergeant.client.SergeantClient;
import io.sergeant.client.Submission;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class RoundTrip {
    static void check(boolean ok, String what, Object got) {
        if (!ok) {
            System.err.println("java: " + what + ": " + got);
            System.exit(1);
        }
    }

    public static void main(String[] args) throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        Map<String, Object> deep = new LinkedHashMap<>();
        deep.put("list", List.of(1L, Map.of("x", Arrays.asList(null, true, false))));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("text", "nul \u0000 and emoji 😀");
        values.put("min_i64", Long.MIN_VALUE);
        values.put("max_i64", Long.MAX_VALUE);
        values.put("two_63", BigInteger.ONE.shiftLeft(63));
        values.put("max_u64", BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        values.put("floats", List.of(0.1, -2.5e-300, 1e300, 0.5));
        values.put("bytes", all);
        values.put("nested", Map.of("empty_map", Map.of(), "empty_list", List.of(), "deep", deep));
        values.put("before_1970", Instant.parse("1969-07-20T20:17:40.123456Z"));
        values.put("micros", Instant.parse("2024-02-29T23:59:59.999999Z"));
        values.put("null", null);

        try (SergeantClient client = SergeantClient.builder(System.getenv("SERGEANT_GATEWAY")).build()) {
            Submission submission = client.submit("echo", values);
            Event started = submission.awaitStarted(Duration.ofSeconds(60));
            check(started.taskId().equals(submission.taskId()), "started", started);
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) submission.result(Duration.ofSeconds(60));
            check(Long.valueOf(values.size()).equals(result.get("keys")), "keys", result);
            @SuppressWarnings("unchecked")
            Map<String, Object> echo = (Map<String, Object>) result.get("echo");
            check(echo.keySet().equals(values.keySet()), "keys", echo.keySet());
            for (Map.Entry<String, Object> e : values.entrySet()) {
                Object got = echo.get(e.getKey());
                boolean same = e.getValue() instanceof byte[] b ? got instanceof byte[] g && Arrays.equals(b, g)
                        : java.util.Objects.equals(e.getValue(), got);
                check(same, e.getKey(), got);
            }
            List<String> ids = client.pushMany("echo", List.of(Map.of("n", 0), Map.of("n", 1), Map.of("n", 2)),
                    PushOptions.builder().wantResults(true).build());
            Map<String, Object> done = new HashMap<>();
            try (var events = client.watch("echo", ids)) {
                events.forEachRemaining(e -> {
                    if (e.kind() == Event.Kind.SUCCEEDED) {
                        done.put(e.taskId(), ((Map<?, ?>) ((Map<?, ?>) e.result()).get("echo")).get("n"));
                    }
                });
            }
            check(List.of(0L, 1L, 2L).equals(ids.stream().map(done::get).toList()), "push many", done);
        }
        System.out.println("java: 2 passed, 0 failed");
    }
}
