package io.github.nsqspring.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link (and image) in README.md, CHANGELOG.md and docs/*.md points at a file that exists,
 * and every {@code #anchor} at a heading of the target, with GitHub's rules for heading slugs.
 */
class DocumentationLinksTests {

	private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

	private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

	@Test
	void everyRelativeLinkResolvesAndEveryAnchorExists() {
		List<String> broken = new ArrayList<>();
		int checked = 0;
		for (Path file : Documentation.markdownFiles()) {
			for (String target : links(Documentation.lines(file))) {
				if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
					continue; // https:, mailto:
				}
				checked++;
				String path = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
				String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
				Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
				if (!Files.exists(resolved)) {
					broken.add(name(file) + ": " + target + " (no file " + resolved + ")");
				}
				else if (anchor != null && !slugs(Documentation.lines(resolved)).contains(anchor)) {
					broken.add(name(file) + ": " + target + " (no heading with the slug '" + anchor + "' in " + name(resolved) + ")");
				}
			}
		}
		assertThat(broken).as("broken links").isEmpty();
		assertThat(checked).as("relative links checked").isGreaterThan(20);
	}

	/** Links outside fenced code blocks and inline code. */
	static List<String> links(List<String> lines) {
		List<String> targets = new ArrayList<>();
		boolean fenced = false;
		for (String line : lines) {
			if (line.strip().startsWith("```")) {
				fenced = !fenced;
				continue;
			}
			if (fenced) {
				continue;
			}
			Matcher matcher = LINK.matcher(line.replaceAll("`[^`]*`", ""));
			while (matcher.find()) {
				targets.add(matcher.group(1));
			}
		}
		return targets;
	}

	/** The slugs GitHub gives the headings of a Markdown file (outside fenced code), duplicates numbered. */
	static Set<String> slugs(List<String> lines) {
		Set<String> slugs = new HashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		boolean fenced = false;
		for (String line : lines) {
			if (line.strip().startsWith("```")) {
				fenced = !fenced;
				continue;
			}
			Matcher heading = HEADING.matcher(line);
			if (!fenced && heading.matches()) {
				String slug = slug(heading.group(1));
				int count = seen.merge(slug, 1, Integer::sum);
				slugs.add((count == 1) ? slug : slug + "-" + (count - 1));
			}
		}
		return slugs;
	}

	/**
	 * GitHub's slug of a heading: the text without Markdown (links keep their text), lower case, every
	 * character but letters, digits, spaces, hyphens and underscores dropped, spaces made hyphens.
	 */
	static String slug(String heading) {
		String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
		return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
	}

	private static String name(Path file) {
		return Documentation.root().relativize(file).toString();
	}

	@Nested
	class Slugs {

		@Test
		void followGitHubsRules() {
			assertThat(slug("Publishing with `NsqTemplate`")).isEqualTo("publishing-with-nsqtemplate");
			assertThat(slug("Security: TLS and AUTH")).isEqualTo("security-tls-and-auth");
			assertThat(slug("What happens on SIGTERM?")).isEqualTo("what-happens-on-sigterm");
			assertThat(slug("nsq.consumer.*")).isEqualTo("nsqconsumer");
			assertThat(slug("The [drain](drain.md) step by step")).isEqualTo("the-drain-step-by-step");
			assertThat(slug("a_b - c")).isEqualTo("a_b---c");
		}

		@Test
		void numberDuplicates() {
			assertThat(slugs(List.of("# Usage", "## Usage", "```", "# Usage", "```", "### Usage"))).containsExactlyInAnyOrder("usage",
					"usage-1", "usage-2");
		}

		@Test
		void skipCodeAndExternalLinks() {
			assertThat(links(List.of("see [a](a.md#x) and `[b](b.md)`", "```", "[c](c.md)", "```", "![img](images/x.svg)")))
				.containsExactly("a.md#x", "images/x.svg");
		}

	}

}
