package io.github.nsqspring.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Markdown files of the repository (README.md, CHANGELOG.md and docs/*.md) and the configuration metadata. */
final class Documentation {

	private Documentation() {
	}

	/** The repository's root: the first folder above the working directory with README.md and docs/. */
	static Path root() {
		Path directory = Path.of("").toAbsolutePath();
		while (directory != null) {
			if (Files.isRegularFile(directory.resolve("README.md")) && Files.isDirectory(directory.resolve("docs"))) {
				return directory;
			}
			directory = directory.getParent();
		}
		throw new IllegalStateException("No README.md beside a docs/ folder above " + Path.of("").toAbsolutePath());
	}

	static List<Path> markdownFiles() {
		Path root = root();
		List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
		if (Files.isRegularFile(root.resolve("CHANGELOG.md"))) {
			files.add(root.resolve("CHANGELOG.md"));
		}
		try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
			docs.filter((file) -> file.toString().endsWith(".md")).sorted().forEach(files::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return files;
	}

	static List<String> lines(Path file) {
		try {
			return Files.readAllLines(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The metadata the configuration processor generated for this module, with the additional metadata
	 * merged in (the module's own, first on the test class path).
	 */
	static JsonNode metadata() {
		try (InputStream in = Documentation.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			if (in == null) {
				throw new IllegalStateException("No META-INF/spring-configuration-metadata.json: compile the module first");
			}
			return JsonMapper.builder().build().readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
