package io.github.nsqspring.docs.snippets;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.github.nsqspring.archive.ArchivedMessage;
import io.github.nsqspring.archive.NsqArchive;

/** docs/archive.md. */
final class ArchiveSnippets {

	private ArchiveSnippets() {
	}

	static void archive(NsqArchive archive, Instant incidentStart, Instant incidentEnd, Instant from, Instant to) {
		// tag::archive[]
		long replayed = archive.replay("orders", incidentStart, incidentEnd, "orders.replay"); // MPUB batches, in timestamp order
		List<ArchivedMessage> page = archive.page("orders", from, to, null, 100);         // then pass the page's last message
		try (Stream<ArchivedMessage> all = archive.stream("orders", from, to)) {         // read page by page
			all.forEach(System.out::println);
		}
		long count = archive.count("orders", from, to);
		long purged = archive.purge("orders", Instant.now().minus(Duration.ofDays(30)));
		// end::archive[]
		System.out.println(replayed + page.size() + count + purged);
	}

}
