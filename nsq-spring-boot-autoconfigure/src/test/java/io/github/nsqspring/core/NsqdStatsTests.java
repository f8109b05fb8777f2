package io.github.nsqspring.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Reading nsqd's {@code /stats?format=json} answer (samples as nsqd v1.3.0 gave them). */
class NsqdStatsTests {

	private static final String STATS = """
			{"version":"1.3.0","health":"OK","start_time":1796667495,"topics":[
			 {"topic_name":"t1","channels":[{"channel_name":"c1","depth":22,"backend_depth":17,"in_flight_count":3,
			  "deferred_count":1,"message_count":26,"requeue_count":4,"timeout_count":2,"client_count":1,"clients":null,
			  "paused":true,"e2e_processing_latency":{"count":0,"percentiles":null}}],
			  "depth":0,"backend_depth":0,"message_count":22,"message_bytes":48,"paused":false},
			 {"topic_name":"t2","channels":[],"depth":5,"backend_depth":0,"message_count":5,"message_bytes":5,"paused":false}],
			 "producers":null}
			""";

	@Test
	void readsEachChannelsCounts() {
		NsqdStats stats = NsqdStats.parse(STATS);
		assertThat(stats.version()).isEqualTo("1.3.0");
		assertThat(stats.channel("t1", "c1"))
			.isEqualTo(new NsqdStats.Channel("t1", "c1", 22, 17, 3, 1, 26, 4, 2, 1, true));
		assertThat(stats.channels()).hasSize(1);
	}

	@Test
	void aChannelNsqdDoesNotHaveIsNull() {
		NsqdStats stats = NsqdStats.parse(STATS);
		assertThat(stats.channel("t1", "other")).isNull();
		assertThat(stats.channel("t2", "c1")).isNull();
		assertThat(stats.channel("c1", "t1")).isNull();
	}

	@Test
	void readsAnNsqdWithoutTopicsAndTheOlderFormatWrappedInData() {
		assertThat(NsqdStats.parse("{\"version\":\"1.3.0\",\"topics\":null}").channels()).isEmpty();
		NsqdStats wrapped = NsqdStats.parse("{\"status_code\":200,\"status_txt\":\"OK\",\"data\":" + STATS + "}");
		assertThat(wrapped.channel("t1", "c1")).extracting(NsqdStats.Channel::depth).isEqualTo(22L);
	}

	@Test
	void refusesWhatIsNotAStatsAnswer() {
		assertThatIllegalArgumentException().isThrownBy(() -> NsqdStats.parse("OK"))
			.withMessageStartingWith("Not an nsqd /stats?format=json answer");
		assertThatIllegalArgumentException().isThrownBy(() -> NsqdStats.parse("{\"topics\":[{\"channels\":[]}]}"));
	}

}
