package io.github.nsqspring.core;

import java.time.Duration;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

/** Templates with nsqd's default limits and chosen timeout, failback and heartbeat intervals. */
public final class TestTemplates {

	private TestTemplates() {
	}

	public static NsqTemplate started(List<String> addresses, int connections, Duration timeout, Duration failbackInterval) {
		return started(addresses, connections, timeout, failbackInterval, Duration.ofSeconds(30));
	}

	public static NsqTemplate started(List<String> addresses, int connections, Duration timeout, Duration failbackInterval,
			Duration heartbeatInterval) {
		return started(addresses, connections, timeout, failbackInterval, heartbeatInterval,
				NsqProducerSettings.of(addresses).maxPending());
	}

	public static NsqTemplate started(List<String> addresses, int connections, Duration timeout, Duration failbackInterval,
			Duration heartbeatInterval, long maxPending) {
		NsqProducerSettings defaults = NsqProducerSettings.of(addresses);
		NsqProducerSettings settings = new NsqProducerSettings(addresses, timeout, connections, defaults.maxMessageSize(),
				defaults.maxBodySize(), defaults.maxDeferral(), failbackInterval, defaults.batchMaxMessages(),
				defaults.batchMaxBytes(), heartbeatInterval, maxPending,
				defaults.compression(), defaults.deflateLevel());
		NsqTemplate template = new NsqTemplate(settings, new JacksonNsqMessageConverter(JsonMapper.builder().build()));
		template.start();
		return template;
	}

}
