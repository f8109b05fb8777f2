package io.github.nsqspring.core;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@link NsqEnvelope} reads and writes the NSQE v1 format of docs/envelope.md. */
class NsqEnvelopeTests {

	/** The test vector of docs/envelope.md. */
	static final String VECTOR = "4e535145010002000b7472616365706172656e74003730302d30616637363531393136636434336464383434386562"
			+ "323131633830333139632d623761643662373136393230333333312d3031000c636f6e74656e742d7479706500106170706c6963617469"
			+ "6f6e2f6a736f6e7b226964223a34327d";

	static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

	static Map<String, String> vectorHeaders() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("traceparent", TRACEPARENT);
		headers.put("content-type", "application/json");
		return headers;
	}

	@Nested
	class TestVector {

		@Test
		void decodes() {
			byte[] body = HexFormat.of().parseHex(VECTOR);
			assertThat(NsqEnvelope.isEnvelope(body)).isTrue();
			NsqEnvelope envelope = NsqEnvelope.decode(body);
			assertThat(envelope.headers()).containsExactlyInAnyOrderEntriesOf(vectorHeaders());
			assertThat(new String(envelope.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":42}");
			assertThat(envelope.hasNotBefore()).isFalse();
		}

		@Test
		void encodes() {
			byte[] body = NsqEnvelope.encode(vectorHeaders(), "{\"id\":42}".getBytes(StandardCharsets.UTF_8));
			assertThat(HexFormat.of().formatHex(body)).isEqualTo(VECTOR);
		}

	}

	@Nested
	class RoundTrip {

		@Test
		void keepsNonAsciiKeysValuesAndPayloadBytes() {
			Map<String, String> headers = Map.of("tenant", "zürich-東京", "Tenant", "case-sensitive", "emoji-😀", "x");
			byte[] payload = { 0, -1, 'N', 'S', 'Q', 'E', 1 };
			NsqEnvelope envelope = NsqEnvelope.decode(NsqEnvelope.encode(headers, payload));
			assertThat(envelope.headers()).isEqualTo(headers);
			assertThat(envelope.payload()).isEqualTo(payload);
		}

		@Test
		void noHeadersAndAnEmptyPayload() {
			byte[] body = NsqEnvelope.encode(Map.of(), new byte[0]);
			assertThat(body).containsExactly('N', 'S', 'Q', 'E', 1, 0, 0);
			NsqEnvelope envelope = NsqEnvelope.decode(body);
			assertThat(envelope.headers()).isEmpty();
			assertThat(envelope.payload()).isEmpty();
		}

		@Test
		void readsTheNotBeforeTime() {
			NsqEnvelope envelope = NsqEnvelope.decode(NsqEnvelope.encode(Map.of("nsq-not-before", "1750000000123"), new byte[] { 1 }));
			assertThat(envelope.hasNotBefore()).isTrue();
			assertThat(envelope.notBeforeMillis()).isEqualTo(1750000000123L);
		}

		@Test
		void headersUpToTheLimit() {
			// 2 (count) + 2 + 1 (key) + 2 + value = 64 KiB
			Map<String, String> fits = new LinkedHashMap<>();
			fits.put("k", "v".repeat(NsqEnvelope.MAX_HEADER_BYTES - 7));
			assertThat(NsqEnvelope.decode(NsqEnvelope.encode(fits, new byte[] { 7 })).headers()).isEqualTo(fits);
			fits.put("m", "");
			assertThatIllegalArgumentException().isThrownBy(() -> NsqEnvelope.encode(fits, new byte[0]))
				.withMessageContaining("exceed 65536 bytes at header 'm'");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> NsqEnvelope.encode(Map.of("k", "v".repeat(0x10000)), new byte[0]))
				.withMessageContaining("'k' has a value of 65536 bytes");
		}

	}

	@Nested
	class NotAnEnvelope {

		@Test
		void plainBodies() {
			assertThat(NsqEnvelope.isEnvelope("{\"id\":42}".getBytes(StandardCharsets.UTF_8))).isFalse();
			assertThat(NsqEnvelope.isEnvelope(new byte[] { 'N', 'S', 'Q', 'E' })).isFalse();
			assertThat(NsqEnvelope.isEnvelope(new byte[] { 'N', 'S', 'Q', 'E', 2, 0, 0 })).isFalse();
			assertThat(NsqEnvelope.isEnvelope(new byte[0])).isFalse();
		}

	}

	@Nested
	class Malformed {

		@Test
		void noHeaderCount() {
			assertMalformed(new byte[] { 'N', 'S', 'Q', 'E', 1, 0 }, 5, "header count");
		}

		@Test
		void keyPastTheEnd() {
			assertMalformed(new byte[] { 'N', 'S', 'Q', 'E', 1, 0, 1, 0, 9, 'a', 'b' }, 9, "key of header 0 (9 bytes) runs past");
		}

		@Test
		void missingValueLength() {
			assertMalformed(new byte[] { 'N', 'S', 'Q', 'E', 1, 0, 1, 0, 1, 'a', 0 }, 10, "value length of header 0");
		}

		@Test
		void emptyKey() {
			assertMalformed(new byte[] { 'N', 'S', 'Q', 'E', 1, 0, 1, 0, 0, 0, 0 }, 7, "empty key");
		}

		@Test
		void duplicateKey() {
			assertMalformed(new byte[] { 'N', 'S', 'Q', 'E', 1, 0, 2, 0, 1, 'a', 0, 0, 0, 1, 'a', 0, 0 }, 12, "'a' occurs twice");
		}

		@Test
		void invalidUtf8() {
			assertMalformed(new byte[] { 'N', 'S', 'Q', 'E', 1, 0, 1, 0, 1, (byte) 0xC3, 0, 0 }, 9, "not valid UTF-8");
		}

		@Test
		void notBeforeThatIsNoNumber() {
			byte[] body = NsqEnvelope.encode(Map.of("nsq-not-before", "soon"), new byte[0]);
			assertMalformed(body, 25, "not epoch milliseconds: 'soon'");
		}

		private void assertMalformed(byte[] body, int offset, String problem) {
			assertThat(NsqEnvelope.isEnvelope(body)).isTrue();
			assertThatExceptionOfType(NsqEnvelopeFormatException.class).isThrownBy(() -> NsqEnvelope.decode(body))
				.withMessageStartingWith("Malformed NSQE envelope at byte offset " + offset + ": ")
				.withMessageContaining(problem)
				.satisfies((ex) -> assertThat(ex.getOffset()).isEqualTo(offset));
		}

	}

}
