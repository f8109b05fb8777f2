package io.github.nsqspring.core;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The NSQE v1 envelope: headers in front of a message body, since NSQ messages have none of their own.
 * <pre>
 * bytes 0-3  magic "NSQE" (0x4E 0x53 0x51 0x45)
 * byte  4    version 0x01
 * bytes 5-6  header count H, unsigned 16-bit big-endian
 * H times    key length (u16 BE), key (UTF-8), value length (u16 BE), value (UTF-8)
 * rest       the payload, unchanged
 * </pre>
 * Keys are case-sensitive, unique and not empty; the header bytes (from byte 5 to the payload) are at most
 * {@link #MAX_HEADER_BYTES}. A body that does not start with the magic and version is a plain payload; one
 * that does and breaks these rules is malformed ({@link NsqEnvelopeFormatException}).
 */
public final class NsqEnvelope {

	/** W3C trace context: the producer's span. */
	public static final String TRACEPARENT = "traceparent";

	/** W3C trace context: vendor state. */
	public static final String TRACESTATE = "tracestate";

	/** W3C baggage. */
	public static final String BAGGAGE = "baggage";

	/** The payload's media type, from the converter. */
	public static final String CONTENT_TYPE = "content-type";

	/** Epoch milliseconds before which a listener does not handle the message (it requeues it for the rest). */
	public static final String NOT_BEFORE = "nsq-not-before";

	/** The keys the starter writes itself; a {@code Message<?>} payload may not set them. */
	public static final Set<String> RESERVED = Set.of(TRACEPARENT, TRACESTATE, BAGGAGE, CONTENT_TYPE, NOT_BEFORE);

	/** The format version this class reads and writes. */
	public static final int VERSION = 1;

	/** Most bytes from the header count to the payload. */
	public static final int MAX_HEADER_BYTES = 64 * 1024;

	private static final byte[] MAGIC = { 'N', 'S', 'Q', 'E' };

	private static final byte[] CONTENT_TYPE_BYTES = CONTENT_TYPE.getBytes(StandardCharsets.US_ASCII);

	private static final int COUNT_OFFSET = 5;

	private static final int MAX_LENGTH = 0xFFFF;

	private static final long NONE = Long.MIN_VALUE;

	private static final byte[] NOT_BEFORE_BYTES = NOT_BEFORE.getBytes(StandardCharsets.US_ASCII);

	/** Above this many headers duplicates are found with a set rather than by comparing bytes pairwise. */
	private static final int PAIRWISE_LIMIT = 32;

	private final byte[] body;

	private final int count;

	private final byte[] payload;

	private final long notBefore;

	// decoded when first asked for: a listener that reads no header allocates no String for them
	private volatile @Nullable Map<String, String> headers;

	private NsqEnvelope(byte[] body, int count, byte[] payload, long notBefore) {
		this.body = body;
		this.count = count;
		this.payload = payload;
		this.notBefore = notBefore;
	}

	/** Whether the body starts with the magic and version 1: then it is an envelope (or a malformed one). */
	public static boolean isEnvelope(byte[] body) {
		return body.length > 4 && body[0] == MAGIC[0] && body[1] == MAGIC[1] && body[2] == MAGIC[2] && body[3] == MAGIC[3]
				&& body[4] == VERSION;
	}

	/**
	 * Reads an envelope.
	 * @param body a body for which {@link #isEnvelope} is true
	 * @throws NsqEnvelopeFormatException naming the offset where the structure breaks
	 */
	public static NsqEnvelope decode(byte[] body) {
		if (!isEnvelope(body)) {
			throw new NsqEnvelopeFormatException(0, "no NSQE v1 magic and version");
		}
		int count = readLength(body, COUNT_OFFSET, "header count");
		Set<String> seen = (count > PAIRWISE_LIMIT) ? new HashSet<>() : null;
		int offset = COUNT_OFFSET + 2;
		long notBefore = NONE;
		for (int i = 0; i < count; i++) {
			int keyLength = readLength(body, offset, "key length of header " + i);
			int keyOffset = offset + 2;
			if (keyLength == 0) {
				throw new NsqEnvelopeFormatException(offset, "header " + i + " has an empty key");
			}
			checkString(body, keyOffset, keyLength, "key of header " + i);
			int valueLengthOffset = keyOffset + keyLength;
			int valueLength = readLength(body, valueLengthOffset, "value length of header " + i);
			int valueOffset = valueLengthOffset + 2;
			checkString(body, valueOffset, valueLength, "value of header " + i);
			if ((seen != null) ? !seen.add(readString(body, keyOffset, keyLength)) : occursBefore(body, i, keyOffset, keyLength)) {
				throw new NsqEnvelopeFormatException(offset, "header '" + readString(body, keyOffset, keyLength) + "' occurs twice");
			}
			if (Arrays.equals(body, keyOffset, keyOffset + keyLength, NOT_BEFORE_BYTES, 0, NOT_BEFORE_BYTES.length)) {
				notBefore = parseNotBefore(body, valueOffset, valueLength);
			}
			offset = valueOffset + valueLength;
			if (offset - COUNT_OFFSET > MAX_HEADER_BYTES) {
				throw new NsqEnvelopeFormatException(offset, "the headers take more than " + MAX_HEADER_BYTES + " bytes");
			}
		}
		return new NsqEnvelope(body, count, Arrays.copyOfRange(body, offset, body.length), notBefore);
	}

	/** Whether one of the keys before header {@code index} has the same bytes (walks them again: no allocation). */
	private static boolean occursBefore(byte[] body, int index, int keyOffset, int keyLength) {
		int offset = COUNT_OFFSET + 2;
		for (int i = 0; i < index; i++) {
			int length = readLength(body, offset, "");
			int start = offset + 2;
			if (length == keyLength && Arrays.equals(body, start, start + length, body, keyOffset, keyOffset + keyLength)) {
				return true;
			}
			int valueLengthOffset = start + length;
			offset = valueLengthOffset + 2 + readLength(body, valueLengthOffset, "");
		}
		return false;
	}

	/**
	 * Writes an envelope.
	 * @param headers the headers (non-empty keys)
	 * @param payload the payload
	 * @throws IllegalArgumentException naming the header that is empty, too long, or makes the headers exceed
	 * {@link #MAX_HEADER_BYTES}
	 */
	public static byte[] encode(Map<String, String> headers, byte[] payload) {
		return encode(headers, null, Map.of(), payload);
	}

	/**
	 * Writes an envelope of the headers, {@code content-type} when given, and more headers, without merging
	 * them into one map first: their keys must differ.
	 */
	static byte[] encode(Map<String, String> headers, @Nullable String contentType, Map<String, String> more, byte[] payload) {
		// each key and value as UTF-8 once (the JDK's encoder), then copied: a char loop measuring and another
		// writing took about half of an envelope's cost
		byte[][] fields = new byte[2 * (headers.size() + ((contentType != null) ? 1 : 0) + more.size())][];
		int headerBytes = addFields(fields, 0, 2, headers);
		int count = 2 * headers.size();
		if (contentType != null) {
			fields[count++] = CONTENT_TYPE_BYTES;
			fields[count++] = checkedBytes(CONTENT_TYPE, contentType, "value");
			headerBytes += 4 + CONTENT_TYPE_BYTES.length + fields[count - 1].length;
		}
		headerBytes = addFields(fields, count, headerBytes, more);
		if (headerBytes > MAX_HEADER_BYTES) {
			throw new IllegalArgumentException("Envelope headers exceed " + MAX_HEADER_BYTES + " bytes (" + headerBytes + ")");
		}
		byte[] body = new byte[COUNT_OFFSET + headerBytes + payload.length];
		System.arraycopy(MAGIC, 0, body, 0, MAGIC.length);
		body[4] = VERSION;
		int offset = writeLength(body, COUNT_OFFSET, fields.length / 2);
		for (byte[] field : fields) {
			offset = writeLength(body, offset, field.length);
			System.arraycopy(field, 0, body, offset, field.length);
			offset += field.length;
		}
		System.arraycopy(payload, 0, body, offset, payload.length);
		return body;
	}

	/** Puts the headers' keys and values as UTF-8 into the fields from the index; returns the header bytes so far. */
	private static int addFields(byte[][] fields, int index, int headerBytes, Map<String, String> headers) {
		int next = index;
		for (Map.Entry<String, String> header : headers.entrySet()) {
			String key = header.getKey();
			if (key.isEmpty()) {
				throw new IllegalArgumentException("An envelope header key must not be empty");
			}
			byte[] keyBytes = checkedBytes(key, key, "key");
			byte[] valueBytes = checkedBytes(key, header.getValue(), "value");
			fields[next++] = keyBytes;
			fields[next++] = valueBytes;
			headerBytes += 4 + keyBytes.length + valueBytes.length;
			if (headerBytes > MAX_HEADER_BYTES) {
				throw new IllegalArgumentException("Envelope headers exceed " + MAX_HEADER_BYTES + " bytes at header '" + key + "'");
			}
		}
		return headerBytes;
	}

	/** The headers (unmodifiable, in their order in the body; empty when there are none). */
	public Map<String, String> headers() {
		Map<String, String> headers = this.headers;
		if (headers == null) {
			headers = decodeHeaders();
			this.headers = headers;
		}
		return headers;
	}

	private Map<String, String> decodeHeaders() {
		if (this.count == 0) {
			return Map.of();
		}
		Map<String, String> headers = new LinkedHashMap<>(this.count * 2);
		int offset = COUNT_OFFSET + 2;
		for (int i = 0; i < this.count; i++) {
			int keyLength = readLength(this.body, offset, "");
			String key = readString(this.body, offset + 2, keyLength);
			int valueLengthOffset = offset + 2 + keyLength;
			int valueLength = readLength(this.body, valueLengthOffset, "");
			headers.put(key, readString(this.body, valueLengthOffset + 2, valueLength));
			offset = valueLengthOffset + 2 + valueLength;
		}
		return Collections.unmodifiableMap(headers);
	}

	/** The payload, without the envelope. */
	public byte[] payload() {
		return this.payload;
	}

	/** Whether the envelope has a {@link #NOT_BEFORE} header. */
	public boolean hasNotBefore() {
		return this.notBefore != NONE;
	}

	/** The {@link #NOT_BEFORE} time in epoch milliseconds; only meaningful when {@link #hasNotBefore()}. */
	public long notBeforeMillis() {
		return this.notBefore;
	}

	private static int readLength(byte[] body, int offset, String what) {
		if (offset + 2 > body.length) {
			throw new NsqEnvelopeFormatException(offset,
					"the " + what + " (2 bytes) runs past the end of the body (" + body.length + " bytes)");
		}
		return ((body[offset] & 0xFF) << 8) | (body[offset + 1] & 0xFF);
	}

	/** Checks that the bytes are in the body and valid UTF-8, allocating nothing for ASCII. */
	private static void checkString(byte[] body, int offset, int length, String what) {
		if (offset + length > body.length) {
			throw new NsqEnvelopeFormatException(offset,
					"the " + what + " (" + length + " bytes) runs past the end of the body (" + body.length + " bytes)");
		}
		for (int i = offset; i < offset + length; i++) {
			if (body[i] < 0) {
				try {
					StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body, offset, length));
				}
				catch (CharacterCodingException ex) {
					throw new NsqEnvelopeFormatException(offset, "the " + what + " is not valid UTF-8");
				}
				return;
			}
		}
	}

	/** Bytes {@link #checkString checked} already. */
	private static String readString(byte[] body, int offset, int length) {
		return new String(body, offset, length, StandardCharsets.UTF_8);
	}

	private static long parseNotBefore(byte[] body, int offset, int length) {
		long millis = 0;
		boolean valid = length > 0 && length <= 18;
		for (int i = offset; valid && i < offset + length; i++) {
			int digit = body[i] - '0';
			valid = digit >= 0 && digit <= 9;
			millis = millis * 10 + digit;
		}
		if (!valid) {
			throw new NsqEnvelopeFormatException(offset, "header '" + NOT_BEFORE + "' is not epoch milliseconds: '"
					+ readString(body, offset, length) + "'");
		}
		return millis;
	}

	private static byte[] checkedBytes(String key, @Nullable String text, String what) {
		if (text == null) {
			throw new IllegalArgumentException("Envelope header '" + key + "' has a null " + what);
		}
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		if (bytes.length > MAX_LENGTH) {
			throw new IllegalArgumentException("Envelope header '" + key + "' has a " + what + " of " + bytes.length
					+ " bytes; at most " + MAX_LENGTH + " fit");
		}
		return bytes;
	}

	private static int writeLength(byte[] body, int offset, int length) {
		body[offset] = (byte) (length >>> 8);
		body[offset + 1] = (byte) length;
		return offset + 2;
	}

	@Override
	public String toString() {
		return "NsqEnvelope[headers=" + this.headers + ", payload=" + this.payload.length + " bytes]";
	}

}
