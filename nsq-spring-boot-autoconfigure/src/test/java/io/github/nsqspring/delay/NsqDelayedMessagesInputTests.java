package io.github.nsqspring.delay;

import java.time.Duration;
import java.time.Instant;

import io.github.nsqspring.core.NsqMessageConversionException;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/** Bad input fails with a clear exception or result and stores nothing (real Redis). */
class NsqDelayedMessagesInputTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	@RegisterExtension
	static RedisServer redis = RedisServer.create();

	private static final String TOPIC = "delay-input";

	private final ApplicationContextRunner runner = DelayTestSupport.runner(nsqd, redis, "input:")
		.withPropertyValues("nsq.delay.max-delay=1h", "nsq.producer.max-message-size=100B");

	@Test
	void rejectsBadDelaysTopicsAndPayloadsWithoutStoringAnything() {
		this.runner.run((context) -> {
			NsqDelayedMessages delayed = context.getBean(NsqDelayedMessages.class);
			RedisDelayedMessageStore store = context.getBean(RedisDelayedMessageStore.class);
			assertThatIllegalArgumentException().isThrownBy(() -> delayed.schedule(TOPIC, "x", Duration.ofMillis(-1)))
				.withMessageContaining("PT-0.001S");
			assertThatIllegalArgumentException().isThrownBy(() -> delayed.schedule(TOPIC, "x", (Duration) null));
			assertThatIllegalArgumentException().isThrownBy(() -> delayed.schedule(TOPIC, "x", Duration.ofMinutes(61)))
				.withMessageContaining("nsq.delay.max-delay");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> delayed.schedule(TOPIC, "x", Instant.now().plus(Duration.ofMinutes(61))))
				.withMessageContaining("nsq.delay.max-delay");
			assertThatIllegalArgumentException().isThrownBy(() -> delayed.schedule(TOPIC, "x", (Instant) null));
			assertThatIllegalArgumentException().isThrownBy(() -> delayed.schedule("bad topic!", "x", Duration.ZERO))
				.withMessageContaining("bad topic!");
			assertThatIllegalArgumentException().isThrownBy(() -> delayed.schedule(TOPIC, null, Duration.ZERO));
			assertThatIllegalArgumentException().isThrownBy(() -> delayed.schedule(TOPIC, "", Duration.ZERO))
				.withMessageContaining("empty");
			assertThatIllegalArgumentException().isThrownBy(() -> delayed.schedule(TOPIC, "x".repeat(101), Duration.ZERO))
				.withMessageContaining("nsq.producer.max-message-size");
			assertThatExceptionOfType(NsqMessageConversionException.class)
				.isThrownBy(() -> delayed.schedule(TOPIC, new Unwritable(), Duration.ofSeconds(1)))
				.withMessageContaining(Unwritable.class.getName());
			assertThat(delayed.pending(TOPIC)).isZero();
			assertThat(store.pending()).isZero();

			assertThat(delayed.cancel("no-such-id")).isFalse();
			assertThat(delayed.cancel(null)).isFalse();
			assertThat(delayed.find("no-such-id")).isEmpty();
		});
	}

	@Test
	void aTimeThatHasPassedIsDueAtOnce() {
		this.runner.run((context) -> {
			NsqDelayedMessages delayed = context.getBean(NsqDelayedMessages.class);
			delayed.schedule(TOPIC, "late", Instant.now().minusSeconds(10));
			await().until(() -> delayed.pending(TOPIC) == 0);
			assertThat(nsqd.stats().topic(TOPIC).messageCount()).isEqualTo(1);
		});
	}

	/** A payload Jackson cannot write. */
	static class Unwritable {

		public String getValue() {
			throw new IllegalStateException("cannot be read");
		}

	}

}
