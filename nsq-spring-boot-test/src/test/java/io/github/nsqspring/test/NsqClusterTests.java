package io.github.nsqspring.test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NsqClusterTests {

	@Test
	void eachNsqdCountsItsOwnMessagesAndLookupdListsBoth() {
		try (NsqCluster cluster = NsqCluster.of(2).start()) {
			cluster.nsqd(0).publish("orders", "to-first");
			cluster.nsqd(1).publish("orders", "to-second-1");
			cluster.nsqd(1).publish("orders", "to-second-2");

			assertThat(cluster.nsqd(0).stats().topic("orders").messageCount()).isEqualTo(1);
			assertThat(cluster.nsqd(1).stats().topic("orders").messageCount()).isEqualTo(2);
			await().untilAsserted(() -> assertThat(cluster.lookupd().lookup("orders"))
				.containsExactlyInAnyOrder(cluster.nsqd(0).tcpAddress(), cluster.nsqd(1).tcpAddress()));
			assertThat(cluster.lookupd().lookup("unknown-topic")).isEmpty();
		}
	}

	@Test
	void twoClustersStartedInParallelDoNotCollide() {
		CompletableFuture<NsqCluster> first = CompletableFuture.supplyAsync(() -> NsqCluster.of(2).start());
		CompletableFuture<NsqCluster> second = CompletableFuture.supplyAsync(() -> NsqCluster.of(2).start());
		try (NsqCluster a = first.join(); NsqCluster b = second.join()) {
			List<String> addresses = List.of(a.nsqd(0).tcpAddress(), a.nsqd(1).tcpAddress(), b.nsqd(0).tcpAddress(),
					b.nsqd(1).tcpAddress(), a.lookupd().httpAddress(), b.lookupd().httpAddress());
			assertThat(addresses).doesNotHaveDuplicates();

			a.nsqd(0).publish("shared-name", "a");
			b.nsqd(0).publish("shared-name", "b1");
			b.nsqd(0).publish("shared-name", "b2");
			assertThat(a.nsqd(0).stats().topic("shared-name").messageCount()).isEqualTo(1);
			assertThat(b.nsqd(0).stats().topic("shared-name").messageCount()).isEqualTo(2);
			await().untilAsserted(() -> assertThat(a.lookupd().lookup("shared-name")).containsExactly(a.nsqd(0).tcpAddress()));
			await().untilAsserted(() -> assertThat(b.lookupd().lookup("shared-name")).containsExactly(b.nsqd(0).tcpAddress()));
		}
	}

	@Test
	void addedNsqdRegistersAndATombstonedOneDropsOutOfTheLookup() {
		try (NsqCluster cluster = NsqCluster.of(1).start()) {
			NsqServer added = cluster.addNsqd();
			cluster.nsqd(0).publish("members", "first");
			added.publish("members", "second");
			assertThat(cluster.nsqds()).hasSize(2);
			await().untilAsserted(() -> assertThat(cluster.lookupd().lookup("members"))
				.containsExactlyInAnyOrder(cluster.nsqd(0).tcpAddress(), added.tcpAddress()));

			cluster.lookupd().tombstone("members", added);

			assertThat(cluster.lookupd().lookup("members")).containsExactly(cluster.nsqd(0).tcpAddress());
			assertThat(added.stats().topic("members").depth()).as("a tombstoned nsqd keeps its messages").isEqualTo(1);
		}
	}

	@Test
	void closeStopsEveryProcessAndRemovesTheDataDirectories() {
		NsqCluster cluster = NsqCluster.of(2).start();
		List<Long> pids = List.of(cluster.nsqd(0).pid(), cluster.nsqd(1).pid());
		assertThat(ProcessHandle.current().children().map(ProcessHandle::pid)).containsAll(pids);

		cluster.close();

		assertThat(ProcessHandle.current().children().map(ProcessHandle::pid)).doesNotContainAnyElementsOf(pids);
		assertThat(cluster.nsqds()).noneMatch(NsqServer::isRunning);
		assertThat(cluster.lookupd().isRunning()).isFalse();
	}

}
