package io.github.nsqspring.core;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The exact bytes of the producer commands, as NSQ's TCP protocol (V2) defines them. */
class NsqCommandTests {

	@Test
	void pub() throws IOException {
		assertThat(bytes(NsqCommand.pub("orders", ascii("hi"))))
			.containsExactly(concat(ascii("PUB orders\n"), new byte[] { 0, 0, 0, 2 }, ascii("hi")));
	}

	@Test
	void dpubCarriesTheDelayInMilliseconds() throws IOException {
		assertThat(bytes(NsqCommand.dpub("orders", ascii("hi"), 1500)))
			.containsExactly(concat(ascii("DPUB orders 1500\n"), new byte[] { 0, 0, 0, 2 }, ascii("hi")));
	}

	@Test
	void mpubCarriesBodySizeCountAndSizedMessages() throws IOException {
		List<byte[]> bodies = List.of(ascii("a"), ascii("bcd"));
		assertThat(bytes(NsqCommand.mpub("orders", bodies))).containsExactly(concat(ascii("MPUB orders\n"),
				new byte[] { 0, 0, 0, 16, 0, 0, 0, 2, 0, 0, 0, 1 }, ascii("a"), new byte[] { 0, 0, 0, 3 }, ascii("bcd")));
	}

	@Test
	void nopHasNoBodyAndNoAnswer() throws IOException {
		assertThat(bytes(NsqCommand.NOP)).containsExactly(ascii("NOP\n"));
		assertThat(NsqCommand.NOP.expectsResponse()).isFalse();
		assertThat(NsqCommand.pub("t", ascii("x")).expectsResponse()).isTrue();
	}

	private static byte[] bytes(NsqCommand command) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(bytes);
		command.writeTo(out);
		out.flush();
		return bytes.toByteArray();
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

}
