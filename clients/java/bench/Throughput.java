import io.sergeant.client.PushOptions;
import io.sergeant.client.SergeantClient;
import io.sergeant.v1.OperationsGrpc;
import io.sergeant.v1.PurgeQueueRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Push throughput against a gateway: N tasks in batches of 1,000 (pushMany), then N tasks one by one (push,
 * sequential). Tasks go to a queue no worker consumes, purged afterwards.
 *
 *   bench/run.sh ADDRESS [N] [--token T]
 */
public final class Throughput {
    private static final String QUEUE = "bench-java";
    private static final int BATCH = 1000;

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: Throughput ADDRESS [N] [--token T]");
            System.exit(2);
        }
        String address = args[0];
        int n = 10_000;
        String token = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--token") && i + 1 < args.length) {
                token = args[++i];
            } else {
                n = Integer.parseInt(args[i]);
            }
        }
        try (SergeantClient client = SergeantClient.builder(address).token(token).build()) {
            // Warm up the JIT and the connection; not measured.
            batched(client, 10 * BATCH);
            single(client, 1000);

            long started = System.nanoTime();
            batched(client, n);
            double batchedPerS = n / ((System.nanoTime() - started) / 1e9);

            started = System.nanoTime();
            single(client, n);
            double singlePerS = n / ((System.nanoTime() - started) / 1e9);

            try {
                OperationsGrpc.newBlockingStub(client.channel())
                        .purgeQueue(PurgeQueueRequest.newBuilder().setQueue(QUEUE).build());
            } catch (RuntimeException e) {
                System.err.println("could not purge " + QUEUE + ": " + e.getMessage());
            }
            System.out.println(String.format(Locale.ROOT,
                    "{\"language\": \"java\", \"batched_per_s\": %.1f, \"single_per_s\": %.1f}",
                    batchedPerS, singlePerS));
        }
    }

    private static Map<String, Object> kwargs(int i) {
        return Map.of("i", i, "to", "user" + i + "@example.com", "subject", "hello");
    }

    private static void batched(SergeantClient client, int n) {
        for (int done = 0; done < n; ) {
            int size = Math.min(BATCH, n - done);
            List<Map<String, Object>> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(kwargs(done + i));
            }
            client.pushMany(QUEUE, batch, PushOptions.DEFAULT);
            done += size;
        }
    }

    private static void single(SergeantClient client, int n) {
        for (int i = 0; i < n; i++) {
            client.push(QUEUE, kwargs(i));
        }
    }
}
