package io.github.nsqspring.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java examples of the documentation compile: every {@code ```java} block in README.md and docs/*.md
 * follows a {@code <!-- snippet: name -->} line and equals the region {@code // tag::name[]} ...
 * {@code // end::name[]} of a source in {@code src/test/java/io/github/nsqspring/docs/snippets}, which
 * the build compiles (without its common indentation, tabs as four spaces). Properties blocks name only
 * {@code nsq.*} properties the configuration metadata has.
 */
class DocumentationSnippetsTests {

	static final Path SNIPPETS = Path.of("src/test/java/io/github/nsqspring/docs/snippets");

	private static final Pattern MARKER = Pattern.compile("^<!-- snippet: ([\\w-]+) -->$");

	private static final Pattern TAG = Pattern.compile("^\\s*// tag::([\\w-]+)\\[\\]\\s*$");

	@Test
	void everyJavaBlockIsACompiledSnippet() throws IOException {
		Map<String, String> regions = regions();
		Set<String> used = new HashSet<>();
		List<String> problems = new ArrayList<>();
		for (Path file : Documentation.markdownFiles()) {
			List<String> lines = Documentation.lines(file);
			String marker = null;
			for (int i = 0; i < lines.size(); i++) {
				String line = lines.get(i);
				Matcher matcher = MARKER.matcher(line.strip());
				if (matcher.matches()) {
					marker = matcher.group(1);
					continue;
				}
				if (!line.strip().startsWith("```")) {
					if (!line.isBlank()) {
						marker = null;
					}
					continue;
				}
				int end = closingFence(lines, i);
				String where = file.getFileName() + ":" + (i + 1);
				if (line.strip().equals("```java")) {
					String block = String.join("\n", lines.subList(i + 1, end));
					if (marker == null) {
						problems.add(where + ": a java block without <!-- snippet: name --> before it");
					}
					else if (!regions.containsKey(marker)) {
						problems.add(where + ": no region // tag::" + marker + "[] in " + SNIPPETS);
					}
					else if (!regions.get(marker).equals(block)) {
						problems.add(where + ": the block differs from the region '" + marker + "'; the compiled one is:\n"
								+ regions.get(marker));
					}
					else {
						used.add(marker);
					}
				}
				marker = null;
				i = end;
			}
		}
		assertThat(problems).as("documentation snippets").isEmpty();
		assertThat(regions.keySet()).as("regions that no page shows").containsExactlyInAnyOrderElementsOf(used);
	}

	@Test
	void propertiesBlocksNameKnownProperties() {
		Set<String> known = new HashSet<>();
		for (JsonNode property : Documentation.metadata().get("properties")) {
			known.add(property.get("name").asString());
		}
		List<String> unknown = new ArrayList<>();
		int checked = 0;
		for (Path file : Documentation.markdownFiles()) {
			List<String> lines = Documentation.lines(file);
			for (int i = 0; i < lines.size(); i++) {
				if (!lines.get(i).strip().equals("```properties")) {
					continue;
				}
				int end = closingFence(lines, i);
				for (String line : lines.subList(i + 1, end)) {
					String key = line.contains("=") ? line.substring(0, line.indexOf('=')).strip() : "";
					if (key.startsWith("nsq.")) {
						checked++;
						if (!known.contains(key.replaceAll("\\[\\d+\\]$", ""))) {
							unknown.add(file.getFileName() + ": " + key);
						}
					}
				}
				i = end;
			}
		}
		assertThat(unknown).as("nsq.* keys in properties blocks that the metadata does not have").isEmpty();
		assertThat(checked).isGreaterThan(5);
	}

	private static int closingFence(List<String> lines, int open) {
		for (int i = open + 1; i < lines.size(); i++) {
			if (lines.get(i).strip().equals("```")) {
				return i;
			}
		}
		throw new AssertionError("Unclosed code block at line " + (open + 1));
	}

	/** Each tagged region of the snippet sources, without its common indentation. */
	static Map<String, String> regions() throws IOException {
		Map<String, String> regions = new LinkedHashMap<>();
		List<Path> sources;
		try (Stream<Path> files = Files.list(SNIPPETS)) {
			sources = files.filter((file) -> file.toString().endsWith(".java")).sorted().toList();
		}
		for (Path source : sources) {
			List<String> lines = Files.readAllLines(source);
			for (int i = 0; i < lines.size(); i++) {
				Matcher tag = TAG.matcher(lines.get(i));
				if (tag.matches()) {
					String name = tag.group(1);
					int end = i + 1;
					while (!lines.get(end).strip().equals("// end::" + name + "[]")) {
						end++;
					}
					assertThat(regions).as("region names are unique").doesNotContainKey(name);
					regions.put(name, dedent(lines.subList(i + 1, end)));
				}
			}
		}
		assertThat(regions).as("regions in " + SNIPPETS.toAbsolutePath()).isNotEmpty();
		return regions;
	}

	static String dedent(List<String> lines) {
		List<String> expanded = lines.stream().map((line) -> line.replace("\t", "    ").stripTrailing()).toList();
		int indent = expanded.stream()
			.filter((line) -> !line.isBlank())
			.mapToInt((line) -> line.length() - line.stripLeading().length())
			.min()
			.orElse(0);
		return String.join("\n", expanded.stream().map((line) -> line.isBlank() ? "" : line.substring(indent)).toList());
	}

}
