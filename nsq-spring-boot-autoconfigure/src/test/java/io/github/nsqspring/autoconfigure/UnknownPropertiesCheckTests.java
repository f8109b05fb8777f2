package io.github.nsqspring.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A startup WARN lists {@code nsq.*} keys that bind to nothing, such as typos. */
@ExtendWith(OutputCaptureExtension.class)
class UnknownPropertiesCheckTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class));

	@Test
	void warnsOnceListingTheUnknownKeys(CapturedOutput output) {
		this.runner
			.withPropertyValues("nsq.consumer.concurency=4", "nsq.consumer.backoff.intial=1s", "nsq.producer.batch.max-mesages=1",
					"nsq.consumer.concurrency=2", "nsq.nsqd-addresses[0]=127.0.0.1:4150", "nsq.lookupd-addresses[0]=127.0.0.1:4161",
					"nsq.consumer.backoff.initial=1s", "nsq.producer.batch.max-messages=10", "nsq.archive.topics[0]=orders",
					"nsq.consumer.deadLetterTopic={topic}.dead", "other.key=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).containsOnlyOnce("Unknown NSQ properties")
					.contains("nsq.consumer.backoff.intial, nsq.consumer.concurency, nsq.producer.batch.max-mesages");
				String warning = output.getOut().lines().filter((line) -> line.contains("Unknown NSQ")).findFirst().orElseThrow();
				assertThat(warning).doesNotContain("nsq.consumer.concurrency", "nsq.nsqd-addresses[0]", "lookupd", "initial",
						"max-messages", "topics", "dead", "other.key");
			});
	}

	@Test
	void relaxedFormsAsSystemPropertiesAreKnown(CapturedOutput output) {
		this.runner
			.withSystemProperties("nsq.consumer.maxInFlight=4", "nsq.consumer.max_in_flight=4", "nsq.producer.maxMessageSize=1MB",
					"nsq.archive.batch.flush-interval=1s", "nsq.nsqd-addresses=127.0.0.1:4150,127.0.0.1:5150",
					"nsq.consumer.backoff.MAX=1m", "nsq.consumer.maxInFlite=4")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				String warning = output.getOut().lines().filter((line) -> line.contains("Unknown NSQ")).findFirst().orElseThrow();
				assertThat(warning).endsWith("(no such property of NsqProperties; a typo?): nsq.consumer.maxinflite");
			});
	}

	@Test
	void quietWhenEveryKeyIsKnown(CapturedOutput output) {
		this.runner.withPropertyValues("nsq.consumer.concurrency=2", "nsq.delay.key-prefix=x:").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).doesNotContain("Unknown NSQ properties");
		});
	}

}
