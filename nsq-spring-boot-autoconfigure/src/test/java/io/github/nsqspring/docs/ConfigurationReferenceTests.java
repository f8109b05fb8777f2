package io.github.nsqspring.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * docs/configuration.md's reference is the configuration metadata rendered: every {@code nsq.*} property
 * (and {@code management.health.nsq.enabled}) with its type, default and description, between the
 * generated-section markers. The test fails when the page differs; {@code -Dnsq.docs.write=true} rewrites
 * the section instead (the command is in the failure message and at the top of the page).
 */
class ConfigurationReferenceTests {

	static final String BEGIN = "<!-- BEGIN GENERATED: ConfigurationReferenceTests renders this from the configuration metadata -->";

	static final String END = "<!-- END GENERATED -->";

	static final String REGENERATE = "./mvnw -o -B -q -pl nsq-spring-boot-autoconfigure -am test -Dtest=ConfigurationReferenceTests "
			+ "-Dsurefire.failIfNoSpecifiedTests=false -Dnsq.docs.write=true";

	@Test
	void configurationPageListsEveryPropertyOfTheMetadata() throws IOException {
		Path page = Documentation.root().resolve("docs/configuration.md");
		String current = Files.readString(page);
		int begin = current.indexOf(BEGIN);
		int end = current.indexOf(END);
		assertThat(begin).as("the generated-section markers in " + page).isNotNegative().isLessThan(end);
		String rendered = current.substring(0, begin + BEGIN.length()) + "\n" + render(Documentation.metadata()) + current.substring(end);
		if (rendered.equals(current)) {
			return;
		}
		if (Boolean.getBoolean("nsq.docs.write")) {
			Files.writeString(page, rendered);
			System.out.println("Rewrote the reference in " + page);
			return;
		}
		fail("docs/configuration.md is not the configuration metadata rendered (a property was added or its Javadoc "
				+ "changed). Regenerate it with\n  " + REGENERATE);
	}

	@Test
	void everyPropertyHasARowWithItsDescription() {
		String table = render(Documentation.metadata());
		for (JsonNode property : properties(Documentation.metadata()).values()) {
			assertThat(table).contains("| `" + property.get("name").asString() + "` |");
			assertThat(property.path("description").asString("")).as(property.get("name").asString()).isNotBlank();
		}
		assertThat(table).contains("| `nsq.consumer.shutdown-timeout` | `Duration` | `25s` |",
				"| `nsq.nsqd-addresses` | `List<String>` | `127.0.0.1:4150` |", "| `nsq.producer.max-pending` | `DataSize` | `64MB` |");
	}

	/** Sections by prefix ({@code nsq.*} for the top-level properties first), a table each. */
	static String render(JsonNode metadata) {
		Map<String, List<JsonNode>> sections = new TreeMap<>(
				Comparator.comparing((String section) -> !section.equals("nsq.*")).thenComparing(Comparator.naturalOrder()));
		Map<String, JsonNode> properties = properties(metadata);
		for (JsonNode property : properties.values()) {
			sections.computeIfAbsent(section(property.get("name").asString()), (key) -> new ArrayList<>()).add(property);
		}
		StringBuilder out = new StringBuilder();
		out.append(properties.size()).append(" properties.\n");
		for (Map.Entry<String, List<JsonNode>> section : sections.entrySet()) {
			out.append("\n### `").append(section.getKey()).append("`\n\n");
			out.append("| property | type | default | description |\n|---|---|---|---|\n");
			for (JsonNode property : section.getValue()) {
				String defaultValue = defaultValue(property.get("defaultValue"));
				out.append("| `").append(property.get("name").asString()).append("` | `")
					.append(type(property.path("type").asString("")))
					.append("` | ")
					.append(defaultValue.isEmpty() ? "" : "`" + defaultValue + "`")
					.append(" | ")
					.append(cell(property.path("description").asString("")))
					.append(" |\n");
			}
		}
		return out.toString();
	}

	private static Map<String, JsonNode> properties(JsonNode metadata) {
		Map<String, JsonNode> properties = new TreeMap<>();
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			if (name.startsWith("nsq.") || name.startsWith("management.health.nsq.")) {
				properties.put(name, property);
			}
		}
		return properties;
	}

	/** {@code nsq.consumer.backoff.max} is in {@code nsq.consumer.*}; {@code nsq.auth-secret} in {@code nsq.*}. */
	static String section(String name) {
		String[] parts = name.split("\\.");
		return (parts.length <= 2) ? parts[0] + ".*" : parts[0] + "." + parts[1] + ".*";
	}

	/** {@code java.util.List<java.lang.String>} as {@code List<String>}, a nested enum by its own name. */
	static String type(String type) {
		return type.replaceAll("[\\w.$]*[.$](\\w+)", "$1");
	}

	private static String defaultValue(JsonNode value) {
		if (value == null || value.isNull()) {
			return "";
		}
		if (value.isArray()) {
			List<String> items = new ArrayList<>();
			value.forEach((item) -> items.add(item.asString()));
			return String.join(", ", items);
		}
		return value.asString();
	}

	private static String cell(String text) {
		return text.replace("\r", "").replace("\n", " ").replace("|", "\\|").strip();
	}

}
