package io.github.nsqspring.actuate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.actuate.endpoint.SanitizableData;

import static org.assertj.core.api.Assertions.assertThat;

class NsqAuthSecretSanitizerTests {

	private final NsqAuthSecretSanitizer sanitizer = new NsqAuthSecretSanitizer();

	@ParameterizedTest
	@ValueSource(strings = { "nsq.auth-secret", "nsq.authSecret", "NSQ_AUTHSECRET", "NSQ_AUTH_SECRET", "nsq.authsecret" })
	void masksEveryFormOfTheKey(String key) {
		assertThat(this.sanitizer.apply(new SanitizableData(null, key, "value")).getValue())
			.isEqualTo(SanitizableData.SANITIZED_VALUE);
	}

	@ParameterizedTest
	@ValueSource(strings = { "nsq.ssl.bundle", "nsq.auth", "other.auth-secret" })
	void leavesOtherKeys(String key) {
		assertThat(this.sanitizer.apply(new SanitizableData(null, key, "value")).getValue()).isEqualTo("value");
	}

}
