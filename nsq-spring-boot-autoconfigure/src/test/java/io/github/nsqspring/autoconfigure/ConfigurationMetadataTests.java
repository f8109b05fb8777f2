package io.github.nsqspring.autoconfigure;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The metadata generated at build time describes every {@code nsq.*} property an IDE will offer. */
class ConfigurationMetadataTests {

	@Test
	void everyNsqPropertyHasADescription() throws Exception {
		JsonNode metadata = readMetadata();
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
		assertThat(names).contains("nsq.archive.topics", "nsq.archive.channel", "nsq.archive.table-name",
				"nsq.archive.initialize-schema", "nsq.archive.batch.max-messages", "nsq.archive.batch.flush-interval");
		assertThat(names).contains("nsq.ssl.enabled", "nsq.ssl.bundle", "nsq.ssl.verify-hostname", "nsq.auth-secret");
		assertThat(names).contains("nsq.consumer.msg-timeout", "nsq.consumer.heartbeat-interval", "nsq.consumer.output-buffer-size",
				"nsq.consumer.output-buffer-timeout", "nsq.consumer.sample-rate", "nsq.consumer.compression",
				"nsq.consumer.deflate-level", "nsq.consumer.flow-backoff.enabled", "nsq.consumer.flow-backoff.initial",
				"nsq.consumer.flow-backoff.max", "nsq.consumer.backoff.jitter", "nsq.consumer.not-retryable-exceptions");
		assertThat(find(metadata, "management.health.nsq.enabled").get("defaultValue").asBoolean()).isTrue();
	}

	/**
	 * Every default the metadata shows is the one the code uses: bound as properties, the metadata's defaults
	 * give a fresh {@link NsqProperties}, and (for {@code nsq.consumer.*}, whose defaults live in the
	 * container's settings) containers configured exactly as fresh {@link ContainerProperties}.
	 */
	@Test
	void everyDefaultInTheMetadataIsTheDefaultOfTheCode() throws Exception {
		Map<String, String> defaults = metadataDefaults();
		assertThat(defaults).containsKeys("nsq.nsqd-addresses", "nsq.consumer.shutdown-timeout", "nsq.archive.channel",
				"nsq.producer.compression", "nsq.consumer.flow-backoff.max");
		NsqProperties bound = new Binder(new MapConfigurationPropertySource(defaults)).bind("nsq", NsqProperties.class)
			.get();
		assertThat(bound).usingRecursiveComparison().ignoringFields("consumer").isEqualTo(new NsqProperties());
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues(defaults.entrySet().stream().map((entry) -> entry.getKey() + "=" + entry.getValue()).toArray(String[]::new))
			.run((context) -> {
				ContainerProperties fromMetadata = context.getBean(NsqListenerContainerFactory.class)
					.createContainer(1, "t", "c", (custom) -> {
					}, (message) -> {
					})
					.getContainerProperties();
				ContainerProperties fresh = new ContainerProperties("t", "c");
				assertThat(fromMetadata).usingRecursiveComparison()
					.ignoringFields("lookupdAddresses", "nsqdAddresses", "security")
					.isEqualTo(fresh);
			});
	}

	/** The {@code nsq.*} defaults of the metadata, as property values (lists joined with commas). */
	private static Map<String, String> metadataDefaults() throws Exception {
		Map<String, String> defaults = new LinkedHashMap<>();
		for (JsonNode property : readMetadata().get("properties")) {
			String name = property.get("name").asString();
			JsonNode value = property.get("defaultValue");
			if (name.startsWith("nsq.") && value != null) {
				List<String> values = new ArrayList<>();
				if (value.isArray()) {
					value.forEach((element) -> values.add(element.asString()));
				}
				else {
					values.add(value.asString());
				}
				defaults.put(name, String.join(",", values));
			}
		}
		return defaults;
	}

	private static JsonNode readMetadata() throws Exception {
		try (InputStream in = ConfigurationMetadataTests.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated metadata on the classpath").isNotNull();
			return JsonMapper.builder().build().readTree(in);
		}
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
