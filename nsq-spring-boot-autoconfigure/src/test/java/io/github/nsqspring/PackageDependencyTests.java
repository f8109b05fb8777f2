package io.github.nsqspring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.nsqspring.core.NsqConsumerSettings;
import io.github.nsqspring.listener.NsqListenerContainer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package rules of DESIGN section 2, read from the main sources: the adapter in nsq-j's package uses one
 * type of this project ({@code NsqConsumerSettings}), and the packages' dependencies (imports and
 * fully-qualified names in code) point one way only: no cycle.
 */
class PackageDependencyTests {

	private static final Path SOURCES = Path.of("src/main/java");

	private static final String NSQ_J_PACKAGE = "com.sproutsocial.nsq";

	private static final String NARROW_INTERFACE = "io.github.nsqspring.core.NsqConsumerSettings";

	private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

	private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)(?:\\.\\*)?;", Pattern.MULTILINE);

	/** A fully-qualified name of ours in code: lower-case package segments, then a type. */
	private static final Pattern QUALIFIED = Pattern.compile("\\b((?:io\\.github\\.nsqspring|com\\.sproutsocial\\.nsq)(?:\\.[a-z]\\w*)*)\\.[A-Z]\\w*");

	@Test
	void nsqJAdapterUsesNothingOfOursButTheNarrowInterface() throws IOException {
		Map<String, Set<String>> used = new TreeMap<>();
		for (SourceFile file : sources()) {
			if (file.packageName().equals(NSQ_J_PACKAGE)) {
				file.referencedTypes()
					.stream()
					.filter((type) -> type.startsWith("io.github.nsqspring.") && !type.startsWith(NARROW_INTERFACE))
					.forEach((type) -> used.computeIfAbsent(file.path().toString(), (key) -> new TreeSet<>()).add(type));
			}
		}
		assertThat(used).as("types of ours used in " + NSQ_J_PACKAGE + " besides " + NARROW_INTERFACE).isEmpty();
	}

	@Test
	void packagesDependOnEachOtherOneWayOnly() throws IOException {
		Map<String, Set<String>> dependencies = new TreeMap<>();
		for (SourceFile file : sources()) {
			Set<String> targets = dependencies.computeIfAbsent(file.packageName(), (key) -> new TreeSet<>());
			for (String type : file.referencedTypes()) {
				String target = packageOf(type);
				if (!target.equals(file.packageName()) && isOurs(target)) {
					targets.add(target);
				}
			}
		}
		assertThat(dependencies).containsKeys(NSQ_J_PACKAGE, "io.github.nsqspring.listener", "io.github.nsqspring.core");
		assertThat(cycles(dependencies)).as("package cycles").isEmpty();
	}

	@Test
	void adapterLogsUnderTheContainersCategory() {
		// named as a string in the narrow interface, so that nsq-j's package needs no listener import
		assertThat(NsqConsumerSettings.LOG_CATEGORY).isEqualTo(NsqListenerContainer.class.getName());
	}

	@Test
	void cycleCheckFindsACycle() {
		Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
		assertThat(cycles(graph)).singleElement().satisfies((cycle) -> assertThat(cycle).containsExactlyInAnyOrder("a", "b", "c"));
		assertThat(cycles(Map.of("a", Set.of("b"), "b", Set.of("c")))).isEmpty();
	}

	private static boolean isOurs(String packageName) {
		return packageName.startsWith("io.github.nsqspring") || packageName.equals(NSQ_J_PACKAGE);
	}

	/** The package of a type name (nested types included): its lower-case leading segments. */
	private static String packageOf(String type) {
		List<String> segments = new ArrayList<>();
		for (String segment : type.split("\\.")) {
			if (Character.isUpperCase(segment.charAt(0))) {
				break;
			}
			segments.add(segment);
		}
		return String.join(".", segments);
	}

	/** The strongly connected components of more than one package (Tarjan). */
	static List<Set<String>> cycles(Map<String, Set<String>> graph) {
		Map<String, Integer> index = new HashMap<>();
		Map<String, Integer> low = new HashMap<>();
		Deque<String> stack = new ArrayDeque<>();
		List<Set<String>> cycles = new ArrayList<>();
		for (String node : new TreeSet<>(graph.keySet())) {
			if (!index.containsKey(node)) {
				connect(node, graph, index, low, stack, cycles);
			}
		}
		return cycles;
	}

	private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
			Map<String, Integer> low, Deque<String> stack, List<Set<String>> cycles) {
		index.put(node, index.size());
		low.put(node, index.get(node));
		stack.push(node);
		for (String next : graph.getOrDefault(node, Set.of())) {
			if (!index.containsKey(next)) {
				connect(next, graph, index, low, stack, cycles);
				low.put(node, Math.min(low.get(node), low.get(next)));
			}
			else if (stack.contains(next)) {
				low.put(node, Math.min(low.get(node), index.get(next)));
			}
		}
		if (low.get(node).equals(index.get(node))) {
			Set<String> component = new TreeSet<>();
			String member;
			do {
				member = stack.pop();
				component.add(member);
			}
			while (!member.equals(node));
			if (component.size() > 1) {
				cycles.add(component);
			}
		}
	}

	private static List<SourceFile> sources() throws IOException {
		assertThat(SOURCES).as("main sources, read from the module directory").isDirectory();
		try (Stream<Path> paths = Files.walk(SOURCES)) {
			List<SourceFile> files = new ArrayList<>();
			for (Path path : paths.filter((candidate) -> candidate.toString().endsWith(".java")).toList()) {
				files.add(SourceFile.read(path));
			}
			return files;
		}
	}

	/** A source file's package and the types of ours it names: imports, and qualified names in code (not in comments or strings). */
	private record SourceFile(Path path, String packageName, Set<String> referencedTypes) {

		static SourceFile read(Path path) throws IOException {
			String source = Files.readString(path);
			Matcher packageMatcher = PACKAGE.matcher(source);
			assertThat(packageMatcher.find()).as(path + " declares a package").isTrue();
			Set<String> types = new TreeSet<>();
			Matcher imports = IMPORT.matcher(source);
			while (imports.find()) {
				types.add(imports.group(1));
			}
			// comments and string literals name no dependency
			String code = source.replaceAll("\"(?:\\\\.|[^\"\\\\\n])*\"", "\"\"")
				.replaceAll("(?s)/\\*.*?\\*/", "")
				.replaceAll("//[^\\n]*", "");
			for (String line : code.split("\\n")) {
				if (line.startsWith("import ") || line.startsWith("package ")) {
					continue;
				}
				Matcher qualified = QUALIFIED.matcher(line);
				while (qualified.find()) {
					types.add(qualified.group(0));
				}
			}
			return new SourceFile(path, packageMatcher.group(1), types);
		}

	}

}
