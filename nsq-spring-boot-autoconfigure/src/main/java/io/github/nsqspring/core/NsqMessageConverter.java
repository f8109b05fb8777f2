package io.github.nsqspring.core;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;

/**
 * Converts payloads to and from NSQ message bodies. {@code byte[]} passes through unchanged and
 * {@code String} is UTF-8; other types are up to the implementation (JSON by default).
 */
public interface NsqMessageConverter {

	/**
	 * Returns the message body for a payload.
	 * @throws NsqMessageConversionException when the payload cannot be written
	 */
	byte[] toBody(Object payload);

	/**
	 * Reads a message body as the given type; null when the body is a null value of the format (JSON {@code null}).
	 * @throws NsqMessageConversionException when the body cannot be read as that type
	 */
	@Nullable Object fromBody(byte[] body, Type targetType);

	/**
	 * The media type of the body of a payload, written as the {@code content-type} header of an
	 * {@link NsqEnvelope}; null (the default) writes none.
	 */
	default @Nullable String contentType(Object payload) {
		return null;
	}

	/**
	 * Whether bodies can be read as this type at all, checked once per listener method at startup.
	 */
	default boolean canRead(Type targetType) {
		return true;
	}

}
