package io.github.nsqspring.core;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import org.xerial.snappy.SnappyFramedInputStream;
import org.xerial.snappy.SnappyFramedOutputStream;

/**
 * The streams of a producer connection after nsqd switched it to compression, as nsqd speaks it: snappy's
 * framing format (snappy-java) or raw deflate (java.util.zip). Every flush of the output sends all that was
 * written (a deflate sync flush or a snappy chunk) down to the socket, so that pipelined publishes are not
 * held back. The snappy classes are only loaded when snappy is used.
 */
final class NsqCompressionStreams {

	private static final int BUFFER_SIZE = 64 * 1024;

	private NsqCompressionStreams() {
	}

	/**
	 * Decompresses what nsqd sends; for snappy this reads the stream identifier nsqd sends first, so the
	 * socket's read timeout should be set.
	 */
	static InputStream input(NsqCompression compression, InputStream in) throws IOException {
		return switch (compression) {
			case NONE -> in;
			case SNAPPY -> Snappy.input(in);
			case DEFLATE -> new InflaterInputStream(in, new Inflater(true), BUFFER_SIZE);
		};
	}

	/** Compresses what is written to nsqd (deflate at the level); a flush reaches the socket. */
	static OutputStream output(NsqCompression compression, int deflateLevel, OutputStream out) throws IOException {
		if (compression == NsqCompression.NONE) {
			return out;
		}
		BufferedOutputStream socket = new BufferedOutputStream(out, BUFFER_SIZE);
		OutputStream compressor = (compression == NsqCompression.SNAPPY) ? Snappy.output(socket)
				: new DeflaterOutputStream(socket, new Deflater(deflateLevel, true), BUFFER_SIZE, true);
		return new FlushThrough(compressor, socket);
	}

	/** A compressor whose flush also flushes the buffered socket stream below it (snappy-java's does not). */
	private static final class FlushThrough extends FilterOutputStream {

		private final OutputStream socket;

		FlushThrough(OutputStream compressor, OutputStream socket) {
			super(compressor);
			this.socket = socket;
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			this.out.write(bytes, offset, length);
		}

		@Override
		public void flush() throws IOException {
			this.out.flush();
			this.socket.flush();
		}

	}

	/** The snappy-java classes, apart so that they are loaded only when snappy is used. */
	private static final class Snappy {

		static InputStream input(InputStream in) throws IOException {
			return new SnappyFramedInputStream(in);
		}

		static OutputStream output(OutputStream out) throws IOException {
			return new SnappyFramedOutputStream(out);
		}

	}

}
