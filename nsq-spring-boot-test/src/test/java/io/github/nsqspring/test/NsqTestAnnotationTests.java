package io.github.nsqspring.test;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@NsqTest(nsqd = 2, lookupd = true)
class NsqTestAnnotationTests {

	@Test
	void injectsTheStartedCluster(NsqCluster cluster, NsqServer first) {
		assertThat(cluster.nsqds()).hasSize(2).allMatch(NsqServer::isRunning);
		assertThat(first).isSameAs(cluster.nsqd(0));
		first.publish("annotated", "hello");
		await().untilAsserted(() -> assertThat(cluster.lookupd().lookup("annotated")).containsExactly(first.tcpAddress()));
	}

	@Nested
	class NestedClass {

		@Test
		void sharesTheClustersOfItsEnclosingClass(NsqCluster cluster) {
			assertThat(cluster.nsqds()).hasSize(2).allMatch(NsqServer::isRunning);
		}

	}

}
