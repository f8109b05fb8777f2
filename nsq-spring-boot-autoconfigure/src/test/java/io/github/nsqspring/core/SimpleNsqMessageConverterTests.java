package io.github.nsqspring.core;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Reading {@code String} payloads strictly as UTF-8. */
class SimpleNsqMessageConverterTests {

	private final SimpleNsqMessageConverter converter = new SimpleNsqMessageConverter();

	@Test
	void validUtf8IncludingAnEncodedReplacementCharacterIsRead() {
		String text = "héllo \uFFFD ✓";
		assertThat(this.converter.fromBody(text.getBytes(StandardCharsets.UTF_8), String.class)).isEqualTo(text);
	}

	@Test
	void invalidUtf8FailsInsteadOfBecomingReplacementCharacters() {
		assertThatExceptionOfType(NsqMessageConversionException.class)
			.isThrownBy(() -> this.converter.fromBody(new byte[] { 'a', (byte) 0xFF }, String.class))
			.withMessage("Cannot read the message body (2 bytes) as String: it is not valid UTF-8");
	}

}
