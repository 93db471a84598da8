package io.sergeant.client;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Task ids made by the client, so that a retried push never duplicates a task (the store dedupes a live id).
 * Like the Python client's: 14 hex digits of a counter seeded from the clock (roughly time-ordered), then a random
 * 48-bit prefix per process.
 */
public final class TaskIds {
    private static final String SUFFIX;
    private static final AtomicLong COUNTER;

    static {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        SUFFIX = HexFormat.of().formatHex(random);
        COUNTER = new AtomicLong(System.currentTimeMillis() * 1000);
    }

    private TaskIds() {}

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A new unique id: 26 characters of [0-9a-f]. */
    public static String next() {
        long n = COUNTER.getAndIncrement();
        char[] id = new char[14 + SUFFIX.length()];
        for (int i = 13; i >= 0; i--, n >>>= 4) {
            id[i] = HEX[(int) (n & 0xf)];
        }
        SUFFIX.getChars(0, SUFFIX.length(), id, 14);
        return new String(id);
    }
}
