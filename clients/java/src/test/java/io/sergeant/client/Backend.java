package io.sergeant.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A live gateway for the end-to-end tests: {@code SERGEANT_GATEWAY} when set, else {@code python
 * tests/crosslang/backend.py} (redis-server, a gateway and Python echo workers), stopped again on close.
 */
final class Backend implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("sergeant.root", "../..")).toAbsolutePath().normalize();
    private static final long READY_TIMEOUT_S = 120;

    final String address;
    private final Process process;
    private final Path log;

    private Backend(String address, Process process, Path log) {
        this.address = address;
        this.process = process;
        this.log = log;
    }

    /** The gateway of SERGEANT_GATEWAY, or a backend started for these tests. */
    static Backend fromEnvironmentOrStart() throws Exception {
        String address = System.getenv("SERGEANT_GATEWAY");
        if (address != null && !address.isBlank()) {
            return new Backend(address.trim(), null, null);
        }
        return start(null);
    }

    /** A new backend; with a tokens file its gateway demands tokens. */
    static Backend start(Path tokensFile) throws Exception {
        return launch(tokensFile == null ? List.of() : List.of("--tokens-file", tokensFile.toString()));
    }

    /** A gateway whose store ("redis" or "mongodb") has stopped: backend.py --down. */
    static Backend storeDown(String store) throws Exception {
        return launch(List.of("--down", store));
    }

    private static Backend launch(List<String> args) throws Exception {
        String python = System.getenv().getOrDefault("SERGEANT_PYTHON", "python");
        List<String> command = new ArrayList<>(List.of(python, "tests/crosslang/backend.py"));
        command.addAll(args);
        Path log = Files.createTempFile("sergeant-backend-", ".log");
        Process process = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectError(log.toFile()).start();
        // Should the test JVM exit without closing us, still stop backend.py (and so its redis and gateway).
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "backend-stop"));
        Backend backend = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("READY ")) {
                            return line.substring("READY ".length()).trim();
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            });
            String address = ready.get(READY_TIMEOUT_S, TimeUnit.SECONDS);
            if (address == null) {
                throw new IllegalStateException("backend.py exited before READY:\n" + tail(log));
            }
            backend = new Backend(address, process, log);
            // Drain stdout so the backend never blocks on a full pipe.
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        continue;
                    }
                } catch (IOException ignored) {
                    // the backend stopped
                }
            }, "backend-stdout");
            drain.setDaemon(true);
            drain.start();
            return backend;
        } catch (Exception e) {
            if (backend == null) {
                stop(process);
            }
            if (e instanceof java.util.concurrent.TimeoutException) {
                throw new IllegalStateException("backend.py did not print READY within " + READY_TIMEOUT_S + " s:\n"
                        + tail(log), e);
            }
            throw e;
        }
    }

    /** The last lines the backend wrote to stderr, for failure messages. */
    String logTail() {
        return log == null ? "(gateway from SERGEANT_GATEWAY: no log here)" : tail(log);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();  // SIGTERM: backend.py stops its gateway, workers and redis-server
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            stop(process);
            Files.deleteIfExists(log);
        }
    }
}
