package io.sergeant.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bearer tokens against a gateway started here with a tokens file (backend.py --tokens-file). */
@Tag("e2e")
@Timeout(120)
class AuthE2ETest {
    private static final String TOKENS = """
            {
              "java-producer": {"name": "java-e2e", "roles": ["produce"], "queues": ["echo"]},
              "other-producer": {"name": "someone-else", "roles": ["produce"], "queues": ["other"]},
              "worker-token": {"name": "workers", "roles": ["consume"], "queues": ["*"]}
            }
            """;
    private static Path tokensFile;
    private static Backend backend;

    @BeforeAll
    static void start() throws Exception {
        tokensFile = Files.createTempFile("sergeant-tokens-", ".json");
        Files.writeString(tokensFile, TOKENS);
        backend = Backend.start(tokensFile);
    }

    @AfterAll
    static void stop() throws Exception {
        if (backend != null) {
            backend.close();
        }
        Files.deleteIfExists(tokensFile);
    }

    private static SergeantException failure(String token, String queue) {
        try (SergeantClient client = SergeantClient.builder(backend.address).token(token).build()) {
            return assertThrows(SergeantException.class, () -> client.push(queue, Map.of("n", 1)));
        }
    }

    @Test
    void noTokenIsUnauthenticated() {
        assertEquals(Status.Code.UNAUTHENTICATED, failure(null, "echo").code());
    }

    @Test
    void anUnknownTokenIsUnauthenticated() {
        assertEquals(Status.Code.UNAUTHENTICATED, failure("not-a-token", "echo").code());
    }

    @Test
    void aTokenForAnotherQueueIsDenied() {
        SergeantException e = failure("other-producer", "echo");
        assertEquals(Status.Code.PERMISSION_DENIED, e.code());
        try (SergeantClient client = SergeantClient.builder(backend.address).token("other-producer").build()) {
            assertEquals(Status.Code.PERMISSION_DENIED,
                    assertThrows(SergeantException.class, () -> client.get("echo", "any")).code());
            assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(SergeantException.class,
                    () -> client.submit("echo", Map.of()).result(Duration.ofSeconds(30))).code());
            client.push("other", Map.of("fine", true));  // its own queue: allowed
        }
    }

    @Test
    void theRightTokenPushesAndGetsResults() throws Exception {
        try (SergeantClient client = SergeantClient.builder(backend.address).token("java-producer").build()) {
            Object result = client.submit("echo", Map.of("who", "java")).result(Duration.ofSeconds(60));
            Values.assertSame(Map.of("echo", Map.of("who", "java"), "keys", 1L), result);
            List<String> ids = client.pushMany("echo", List.of(Map.of("a", 1), Map.of("b", 2)));
            assertEquals(2, ids.size());
            assertEquals(CancelOutcome.CANCELLED, client.cancel("echo", client.push("echo", Map.of(),
                    PushOptions.builder().delay(Duration.ofMinutes(5)).wantResults(true).build())));
        }
    }
}
