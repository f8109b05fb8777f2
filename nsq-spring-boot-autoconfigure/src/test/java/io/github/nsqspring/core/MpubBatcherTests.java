package io.github.nsqspring.core;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MpubBatcherTests {

	private static List<List<byte[]>> batch(MpubBatcher<byte[]> batcher, int... lengths) {
		List<List<byte[]>> batches = new ArrayList<>();
		for (int length : lengths) {
			List<byte[]> full = batcher.add(new byte[length]);
			if (full != null) {
				batches.add(full);
			}
		}
		List<byte[]> last = batcher.finish();
		if (last != null) {
			batches.add(last);
		}
		return batches;
	}

	private static List<List<Integer>> lengths(List<List<byte[]>> batches) {
		return batches.stream().map((batch) -> batch.stream().map((body) -> body.length).toList()).toList();
	}

	@Test
	void bodySizeCountsTheMessageCountAndEachSizeAndBody() {
		assertThat(MpubBatcher.bodySize(List.of("a".getBytes(), "bcd".getBytes()))).isEqualTo(4 + 4 + 1 + 4 + 3);
	}

	@Test
	void batchesStayWithinTheMessageCount() {
		assertThat(lengths(batch(new MpubBatcher<>(2, 1000, (body) -> body.length), 1, 2, 3, 4, 5)))
			.containsExactly(List.of(1, 2), List.of(3, 4), List.of(5));
	}

	@Test
	void batchesStayWithinTheBodySizeCountingTheFraming() {
		// 4 (count) + 2 x (4 + 10) = 32 fits exactly; a third message would make it 46
		assertThat(lengths(batch(new MpubBatcher<>(100, 32, (body) -> body.length), 10, 10, 10)))
			.containsExactly(List.of(10, 10), List.of(10));
		assertThat(lengths(batch(new MpubBatcher<>(100, 31, (body) -> body.length), 10, 10)))
			.containsExactly(List.of(10), List.of(10));
	}

	@Test
	void messageLargerThanTheLimitGoesAloneAndNothingIsDropped() {
		assertThat(lengths(batch(new MpubBatcher<>(100, 50, (body) -> body.length), 5, 80, 5)))
			.containsExactly(List.of(5), List.of(80), List.of(5));
	}

	@Test
	void finishingAnEmptyBatcherGivesNothingAndStartsAfresh() {
		MpubBatcher<byte[]> batcher = new MpubBatcher<>(2, 1000, (body) -> body.length);
		assertThat(batcher.finish()).isNull();
		assertThat(batcher.add(new byte[1])).isNull();
		assertThat(batcher.finish()).hasSize(1);
		assertThat(batcher.finish()).isNull();
	}

}
