package io.github.nsqspring.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SnowflakeIdGeneratorTests {

	@Test
	void eightThreadsGetUniqueIdsThatIncreasePerThread() throws Exception {
		SnowflakeIdGenerator generator = new SnowflakeIdGenerator(5);
		int threads = 8;
		int perThread = 200_000;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<long[]>> results = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				Callable<long[]> task = () -> {
					long[] ids = new long[perThread];
					for (int i = 0; i < perThread; i++) {
						ids[i] = generator.nextId();
					}
					return ids;
				};
				results.add(pool.submit(task));
			}
			Set<Long> all = new HashSet<>(threads * perThread * 2);
			for (Future<long[]> result : results) {
				long[] ids = result.get();
				for (int i = 0; i < ids.length; i++) {
					if (i > 0) {
						assertThat(ids[i]).isGreaterThan(ids[i - 1]);
					}
					all.add(ids[i]);
				}
			}
			assertThat(all).hasSize(threads * perThread);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void clockSteppingBackNeverRepeatsOrDecreases() {
		AtomicLong clock = new AtomicLong(Instant.parse("2026-11-21T10:00:00Z").toEpochMilli());
		SnowflakeIdGenerator generator = new SnowflakeIdGenerator(1, clock::get);
		Set<Long> seen = new HashSet<>();
		long previous = Long.MIN_VALUE;
		for (int step = 0; step < 50; step++) {
			for (int i = 0; i < 5_000; i++) {
				long id = generator.nextId();
				assertThat(id).isGreaterThan(previous);
				assertThat(seen.add(id)).isTrue();
				previous = id;
			}
			clock.addAndGet((step % 2 == 0) ? -1_000 : 3);
		}
	}

	@Test
	void idCarriesTimeAndWorker() {
		long now = Instant.parse("2026-11-21T10:00:00.123Z").toEpochMilli();
		SnowflakeIdGenerator generator = new SnowflakeIdGenerator(1023, () -> now);
		long id = generator.nextId();
		assertThat(id).isPositive();
		assertThat(SnowflakeIdGenerator.workerIdOf(id)).isEqualTo(1023);
		assertThat(SnowflakeIdGenerator.timestampOf(id)).isEqualTo(Instant.ofEpochMilli(now));
	}

	@Test
	void derivedWorkerIdIsInRangeAndWorkerIdIsChecked() {
		assertThat(new SnowflakeIdGenerator().getWorkerId()).isBetween(0L, 1023L);
		assertThatIllegalArgumentException().isThrownBy(() -> new SnowflakeIdGenerator(1024)).withMessageContaining("1023");
		assertThatIllegalArgumentException().isThrownBy(() -> new SnowflakeIdGenerator(-1));
	}

}
