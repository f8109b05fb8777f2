package io.github.nsqspring.autoconfigure;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The metadata generated at build time describes every {@code nsq.*} property an IDE will offer. */
class ConfigurationMetadataTests {

	@Test
	void everyNsqPropertyHasADescription() throws Exception {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated metadata on the classpath").isNotNull();
			metadata = JsonMapper.builder().build().readTree(in);
		}
		List<String> names = new ArrayList<>();
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			if (name.startsWith("nsq.")) {
				names.add(name);
				assertThat(property.path("description").asString("")).as(name + " description").isNotBlank();
			}
		}
		assertThat(names).contains("nsq.nsqd-addresses", "nsq.lookupd-addresses", "nsq.consumer.shutdown-timeout",
				"nsq.consumer.backoff.initial", "nsq.producer.timeout");
		JsonNode nsqdAddresses = find(metadata, "nsq.nsqd-addresses");
		assertThat(nsqdAddresses.get("defaultValue").get(0).asString()).isEqualTo("127.0.0.1:4150");
		assertThat(find(metadata, "nsq.consumer.shutdown-timeout").get("defaultValue").asString()).isEqualTo("25s");
		assertThat(find(metadata, "management.health.nsq.enabled").get("defaultValue").asBoolean()).isTrue();
		assertThat(names).contains("nsq.archive.topics", "nsq.archive.channel", "nsq.archive.table-name",
				"nsq.archive.initialize-schema", "nsq.archive.batch.max-messages", "nsq.archive.batch.flush-interval");
		assertThat(find(metadata, "nsq.archive.channel").get("defaultValue").asString()).isEqualTo("archive");
		assertThat(find(metadata, "nsq.archive.initialize-schema").get("defaultValue").asString()).isEqualTo("embedded");
		assertThat(find(metadata, "nsq.archive.batch.flush-interval").get("defaultValue").asString()).isEqualTo("250ms");
		assertThat(find(metadata, "nsq.producer.compression").get("defaultValue").asString()).isEqualTo("none");
		assertThat(find(metadata, "nsq.producer.deflate-level").get("defaultValue").asInt()).isEqualTo(6);
		assertThat(names).contains("nsq.ssl.enabled", "nsq.ssl.bundle", "nsq.ssl.verify-hostname", "nsq.auth-secret");
		assertThat(find(metadata, "nsq.ssl.enabled").get("defaultValue").asBoolean(true)).isFalse();
		assertThat(find(metadata, "nsq.ssl.verify-hostname").get("defaultValue").asBoolean()).isTrue();
		assertThat(names).contains("nsq.consumer.msg-timeout", "nsq.consumer.heartbeat-interval", "nsq.consumer.output-buffer-size",
				"nsq.consumer.output-buffer-timeout", "nsq.consumer.sample-rate", "nsq.consumer.compression",
				"nsq.consumer.deflate-level", "nsq.consumer.flow-backoff.enabled", "nsq.consumer.flow-backoff.initial",
				"nsq.consumer.flow-backoff.max", "nsq.consumer.backoff.jitter", "nsq.consumer.not-retryable-exceptions");
		assertThat(find(metadata, "nsq.consumer.output-buffer-timeout").get("defaultValue").asString()).isEqualTo("250ms");
		assertThat(find(metadata, "nsq.consumer.flow-backoff.max").get("defaultValue").asString()).isEqualTo("2m");
		assertThat(find(metadata, "nsq.consumer.compression").get("defaultValue").asString()).isEqualTo("none");
		assertThat(find(metadata, "nsq.consumer.stats-interval").get("defaultValue").asString()).isEqualTo("15s");
	}

	private static JsonNode find(JsonNode metadata, String name) {
		for (JsonNode property : metadata.get("properties")) {
			if (property.get("name").asString().equals(name)) {
				return property;
			}
		}
		throw new AssertionError("No metadata for " + name);
	}

}
