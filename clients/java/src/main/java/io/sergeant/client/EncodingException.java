package io.sergeant.client;

/** A value could not be encoded to msgpack (or bytes could not be decoded from it). */
public class EncodingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public EncodingException(String message) {
        super(message);
    }

    public EncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
