package io.github.nsqspring.core;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NsqProducerSettingsTests {

	private final NsqProducerSettings defaults = NsqProducerSettings.of(List.of("127.0.0.1:4150"));

	@Test
	void defaultsAreNsqdDefaults() {
		assertThat(this.defaults.maxMessageSize()).isEqualTo(1048576);
		assertThat(this.defaults.maxBodySize()).isEqualTo(5242880);
		assertThat(this.defaults.maxDeferral()).isEqualTo(Duration.ofHours(1));
		assertThat(this.defaults.timeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(this.defaults.connections()).isEqualTo(2);
		assertThat(this.defaults.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void addressesMustBeHostAndPort() {
		assertThat(NsqAddress.parse("nsqd.example:4150")).isEqualTo(new NsqAddress("nsqd.example", 4150));
		assertThat(NsqAddress.parse("[::1]:4150")).isEqualTo(new NsqAddress("[::1]", 4150));
		assertThatIllegalArgumentException().isThrownBy(() -> NsqProducerSettings.of(List.of("nsqd.example")))
			.withMessage("nsqd address 'nsqd.example' is not host:port");
		assertThatIllegalArgumentException().isThrownBy(() -> NsqProducerSettings.of(List.of("nsqd:0")))
			.withMessage("nsqd address 'nsqd:0' has no valid port");
		assertThatIllegalArgumentException().isThrownBy(() -> NsqProducerSettings.of(List.of("nsqd:http")))
			.withMessage("nsqd address 'nsqd:http' has no valid port");
		assertThat(NsqAddress.parse("::1:4150")).isEqualTo(new NsqAddress("::1", 4150)).hasToString("[::1]:4150");
		assertThat(NsqAddress.parseHttp("http://fe80::1:4161/")).hasToString("[fe80::1]:4161");
		assertThatIllegalArgumentException().isThrownBy(() -> NsqProducerSettings.of(List.of("2001:db8::1")))
			.withMessage("nsqd address '2001:db8::1' looks like an IPv6 address without a port: write it as [address]:port");
		assertThatIllegalArgumentException().isThrownBy(() -> NsqAddress.parseHttp("::1"))
			.withMessage("HTTP address '::1' looks like an IPv6 address without a port: write it as [address]:port");
		assertThatIllegalArgumentException().isThrownBy(() -> NsqProducerSettings.of(List.of()))
			.withMessageContaining("At least one nsqd address");
	}

	@Test
	void batchMustFitTheBodyLimit() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new NsqProducerSettings(List.of("h:1"), Duration.ofSeconds(1), 1, 1000, 2000,
					Duration.ofHours(1), Duration.ofMinutes(1), 10, 2001, Duration.ofSeconds(30), 1000, NsqCompression.NONE, 6))
			.withMessageContaining("batchMaxBytes must be between 1 and maxBodySize (2000)");
	}

	@Test
	void bodyLimitMustHoldOneLargestMessage() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new NsqProducerSettings(List.of("h:1"), Duration.ofSeconds(1), 1, 1000, 1007,
					Duration.ofHours(1), Duration.ofMinutes(1), 10, 1000, Duration.ofSeconds(30), 1000, NsqCompression.NONE, 6))
			.withMessageContaining("maxBodySize (1007)");
	}

}
