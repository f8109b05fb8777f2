package io.github.nsqspring.support;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NsqNamesTests {

	@ParameterizedTest
	@ValueSource(strings = { "orders", "orders.v2", "a_b-c", "tmp#ephemeral", "x", "A.z-0_9#ephemeral",
			"1234567890123456789012345678901234567890123456789012345678901234" })
	void valid(String name) {
		assertThat(NsqNames.isValid(name)).isTrue();
		assertThat(NsqNames.requireValidTopic(name)).isEqualTo(name);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "has space", "slash/topic", "ünicode", "#ephemeral", "a#b", "a#ephemeral#ephemeral",
			"a#Ephemeral", "a#ephemeralx", "a#ephemera", "orders\n",
			"12345678901234567890123456789012345678901234567890123456789012345" })
	void invalid(String name) {
		assertThat(NsqNames.isValid(name)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> NsqNames.requireValidChannel(name))
			.withMessageContaining("channel name '" + name + "'")
			.withMessageContaining("[.a-zA-Z0-9_-]");
	}

}
