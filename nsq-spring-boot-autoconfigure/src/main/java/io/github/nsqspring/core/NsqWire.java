package io.github.nsqspring.core;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.github.nsqspring.support.NsqVersion;

/**
 * The framing of NSQ's TCP protocol (V2) for a producer: the magic, IDENTIFY and AUTH that open a
 * connection, and nsqd's frames (size, type, data) that answer it.
 */
final class NsqWire {

	private static final int FRAME_TYPE_RESPONSE = 0;

	private static final int FRAME_TYPE_ERROR = 1;

	/**
	 * Largest frame a producer accepts: nsqd answers it with OK, heartbeats and short error texts, so a
	 * larger size is garbage and is refused before anything is allocated for it.
	 */
	static final int MAX_FRAME_SIZE = 64 * 1024;

	private NsqWire() {
	}

	/**
	 * Writes the protocol magic and an IDENTIFY with feature negotiation and the user agent, asking for
	 * heartbeats at the interval, for TLS when {@code tlsV1} and for the compression (deflate at the level,
	 * which nsqd lowers to its {@code --max-deflate-level} for what it sends); nsqd answers it with its
	 * settings as JSON.
	 */
	static void writeHandshake(DataOutputStream out, long heartbeatIntervalMillis, boolean tlsV1,
			NsqCompression compression, int deflateLevel) throws IOException {
		String deflate = (compression == NsqCompression.DEFLATE) ? "true,\"deflate_level\":" + deflateLevel : "false";
		byte[] identify = ("{\"user_agent\":\"" + NsqVersion.userAgent() + "\",\"feature_negotiation\":true,\"tls_v1\":"
				+ tlsV1 + ",\"snappy\":" + (compression == NsqCompression.SNAPPY) + ",\"deflate\":" + deflate
				+ ",\"heartbeat_interval\":" + heartbeatIntervalMillis + "}")
			.getBytes(StandardCharsets.US_ASCII);
		out.writeBytes("  V2");
		out.writeBytes("IDENTIFY\n");
		out.writeInt(identify.length);
		out.write(identify);
	}

	/** Writes AUTH with the secret, which nsqd answers with JSON (identity, permission count) or an error. */
	static void writeAuth(DataOutputStream out, String secret) throws IOException {
		byte[] body = secret.getBytes(StandardCharsets.UTF_8);
		out.writeBytes("AUTH\n");
		out.writeInt(body.length);
		out.write(body);
	}

	/**
	 * Reads one response or error frame; a frame size beyond {@link #MAX_FRAME_SIZE}, another frame type
	 * or a frame cut short fails with an {@link IOException} before its data is allocated or read.
	 */
	static Frame readFrame(DataInputStream in) throws IOException {
		int size = in.readInt();
		if (size < 4 || size > MAX_FRAME_SIZE) {
			throw new IOException("Invalid frame size " + size + " (a producer accepts 4 to " + MAX_FRAME_SIZE + ")");
		}
		int type = in.readInt();
		if (type != FRAME_TYPE_RESPONSE && type != FRAME_TYPE_ERROR) {
			throw new IOException("Unexpected frame type " + type + " (a producer gets responses and errors only)");
		}
		byte[] data = new byte[size - 4];
		in.readFully(data);
		return new Frame(type, data);
	}

	/** One frame from nsqd. */
	record Frame(int type, byte[] data) {

		boolean isOk() {
			return this.type == FRAME_TYPE_RESPONSE && "OK".equals(text());
		}

		boolean isResponse() {
			return this.type == FRAME_TYPE_RESPONSE;
		}

		boolean isHeartbeat() {
			return this.type == FRAME_TYPE_RESPONSE && "_heartbeat_".equals(text());
		}

		String text() {
			return new String(this.data, StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return ((this.type == FRAME_TYPE_ERROR) ? "error " : "response ") + text();
		}

	}

}
