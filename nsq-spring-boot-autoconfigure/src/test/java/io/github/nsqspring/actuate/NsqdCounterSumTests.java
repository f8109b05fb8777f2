package io.github.nsqspring.actuate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Summing nsqd's per-channel counts, which start from 0 again, into a total that never decreases. */
class NsqdCounterSumTests {

	private final NsqdCounterSum sum = new NsqdCounterSum();

	@Test
	void firstCountOfAnNsqdAddsInFullAndLaterOnesTheDifference() {
		this.sum.observe("a", 5);
		assertThat(this.sum.total()).isEqualTo(5);
		this.sum.observe("a", 5);
		this.sum.observe("a", 8);
		assertThat(this.sum.total()).isEqualTo(8);
	}

	@Test
	void aCountBelowTheLastOneIsWhatNsqdCountedSinceItsRestart() {
		this.sum.observe("a", 10);
		this.sum.observe("a", 3);
		assertThat(this.sum.total()).as("10 before the restart, 3 since").isEqualTo(13);
		this.sum.observe("a", 4);
		assertThat(this.sum.total()).isEqualTo(14);
		this.sum.observe("a", 0);
		assertThat(this.sum.total()).as("recreated channel, nothing counted yet").isEqualTo(14);
	}

	@Test
	void eachNsqdIsFollowedOnItsOwn() {
		this.sum.observe("a", 10);
		this.sum.observe("b", 2);
		this.sum.observe("b", 1);
		this.sum.observe("a", 12);
		assertThat(this.sum.total()).isEqualTo(10 + 2 + 1 + 2);
	}

}
