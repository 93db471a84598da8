package io.sergeant.client;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Deep equality of decoded msgpack values: byte[] by content, the exact Java type of every number, and the order
 * of a map's keys when the expected map is a LinkedHashMap.
 */
final class Values {
    private Values() {}

    static boolean same(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a.getClass() != b.getClass() && !(a instanceof Map && b instanceof Map)
                && !(a instanceof List && b instanceof List) && !(a instanceof Set && b instanceof Set)) {
            return false;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            if (x instanceof java.util.LinkedHashMap) {  // an ordered expectation: maps travel in insertion order
                Iterator<? extends Map.Entry<?, ?>> i = x.entrySet().iterator();
                Iterator<? extends Map.Entry<?, ?>> j = y.entrySet().iterator();
                while (i.hasNext()) {
                    Map.Entry<?, ?> e = i.next();
                    Map.Entry<?, ?> f = j.next();
                    if (!same(e.getKey(), f.getKey()) || !same(e.getValue(), f.getValue())) {
                        return false;
                    }
                }
                return true;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (y.entrySet().stream().noneMatch(f -> same(e.getKey(), f.getKey())
                        && same(e.getValue(), f.getValue()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int k = 0; k < x.size(); k++) {
                if (!same(x.get(k), y.get(k))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    static String show(Object v) {
        if (v instanceof byte[] bytes) {
            return "bytes" + Arrays.toString(bytes);
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder s = new StringBuilder("{");
            m.forEach((k, x) -> s.append(show(k)).append('=').append(show(x)).append(", "));
            return s.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder s = new StringBuilder("[");
            l.forEach(x -> s.append(show(x)).append(", "));
            return s.append(']').toString();
        }
        return v == null ? "null" : v + ":" + v.getClass().getSimpleName();
    }

    static void assertSame(Object expected, Object actual) {
        if (!same(expected, actual)) {
            throw new AssertionError("expected " + show(expected) + "\n but got " + show(actual));
        }
    }
}
