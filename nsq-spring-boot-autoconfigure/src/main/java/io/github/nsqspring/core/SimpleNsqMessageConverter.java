package io.github.nsqspring.core;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Converts {@code byte[]} (as is) and {@code String} (UTF-8, read strictly: a body that is not valid UTF-8
 * fails with {@link NsqMessageConversionException}) only: the converter of applications without
 * Jackson, and the base of {@link JacksonNsqMessageConverter}, which adds every other type.
 */
public class SimpleNsqMessageConverter implements NsqMessageConverter {

	@Override
	public byte[] toBody(Object payload) {
		if (payload instanceof byte[] bytes) {
			return bytes;
		}
		if (payload instanceof String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		return writeOther(payload);
	}

	/** {@code text/plain;charset=UTF-8} for a {@code String}, none for {@code byte[]}, else {@link #otherContentType()}. */
	@Override
	public @Nullable String contentType(Object payload) {
		if (payload instanceof byte[]) {
			return null;
		}
		return (payload instanceof String) ? "text/plain;charset=UTF-8" : otherContentType();
	}

	/** The media type of the bodies {@link #writeOther} writes; none here. */
	protected @Nullable String otherContentType() {
		return null;
	}

	@Override
	public @Nullable Object fromBody(byte[] body, Type targetType) {
		if (targetType == byte[].class) {
			return body;
		}
		if (targetType == String.class) {
			return decodeUtf8(body);
		}
		return readOther(body, targetType);
	}

	/**
	 * Decodes strictly: invalid UTF-8 is a conversion failure rather than U+FFFD. The fast lenient decoder
	 * runs first; only a result containing U+FFFD (a replacement, or one encoded in the body) is checked again.
	 */
	private static String decodeUtf8(byte[] body) {
		String text = new String(body, StandardCharsets.UTF_8);
		if (text.indexOf('\uFFFD') < 0) {
			return text;
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new NsqMessageConversionException("Cannot read the message body (" + body.length
					+ " bytes) as String: it is not valid UTF-8", ex);
		}
	}

	@Override
	public boolean canRead(Type targetType) {
		return targetType == byte[].class || targetType == String.class;
	}

	/** Writes a payload that is neither {@code byte[]} nor {@code String}. */
	protected byte[] writeOther(Object payload) {
		throw new NsqMessageConversionException("Cannot convert " + ((payload != null) ? payload.getClass().getName() : "null")
				+ " to a message body: only byte[] and String are supported without Jackson on the classpath", null);
	}

	/** Reads a body as a type that is neither {@code byte[]} nor {@code String}. */
	protected @Nullable Object readOther(byte[] body, Type targetType) {
		throw new NsqMessageConversionException("Cannot read a message body as " + targetType.getTypeName()
				+ ": only byte[] and String are supported without Jackson on the classpath", null);
	}

}
