package io.github.nsqspring.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a flush of the compressing output has sent can be read back in full by the decompressing input,
 * while the stream stays open: the property that keeps pipelined publishes from waiting in a compressor.
 */
class NsqCompressionStreamsTests {

	@ParameterizedTest
	@EnumSource(value = NsqCompression.class, names = { "SNAPPY", "DEFLATE" })
	void everyFlushSendsAllThatWasWritten(NsqCompression compression) throws IOException {
		ByteArrayOutputStream socket = new ByteArrayOutputStream();
		OutputStream out = NsqCompressionStreams.output(compression, 6, socket);
		byte[] first = "PUB orders\n".repeat(500).getBytes(StandardCharsets.US_ASCII);
		out.write(first);
		out.flush();
		int flushedFirst = socket.size();
		byte[] second = "MPUB orders\n".repeat(20_000).getBytes(StandardCharsets.US_ASCII);
		out.write(second);
		out.flush();

		assertThat(flushedFirst).isPositive().isLessThan(first.length);
		assertThat(socket.size()).isLessThan(first.length + second.length);
		DataInputStream firstOnly = new DataInputStream(NsqCompressionStreams.input(compression,
				new ByteArrayInputStream(socket.toByteArray(), 0, flushedFirst)));
		assertThat(firstOnly.readNBytes(first.length)).isEqualTo(first);
		DataInputStream both = new DataInputStream(
				NsqCompressionStreams.input(compression, new ByteArrayInputStream(socket.toByteArray())));
		assertThat(both.readNBytes(first.length)).isEqualTo(first);
		assertThat(both.readNBytes(second.length)).isEqualTo(second);
	}

}
