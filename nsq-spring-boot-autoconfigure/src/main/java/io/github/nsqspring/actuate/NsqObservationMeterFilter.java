package io.github.nsqspring.actuate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Gives the meters that Micrometer's {@code DefaultMeterObservationHandler} makes of the {@code nsq.listener}
 * and {@code nsq.template} observations (the timers and their {@code .active} long task timers) the tag
 * names of the starter's metrics: {@code listener}, {@code topic}, {@code channel}, {@code result} and
 * {@code operation} for the observation's {@code nsq.listener}, {@code nsq.topic}, {@code nsq.channel},
 * {@code nsq.outcome} / {@code nsq.result} and {@code nsq.operation}. It drops {@code messaging.system}
 * (always {@code nsq}) and {@code messaging.destination.name} (the topic again) from those meters; spans
 * keep every key of the observation.
 */
public class NsqObservationMeterFilter implements MeterFilter {

	private static final Set<String> METERS = Set.of("nsq.listener", "nsq.listener.active", "nsq.template",
			"nsq.template.active");

	private static final Map<String, String> TAG_NAMES = Map.of("nsq.listener", "listener", "nsq.topic", "topic",
			"nsq.channel", "channel", "nsq.outcome", "result", "nsq.operation", "operation", "nsq.result", "result");

	private static final Set<String> DROPPED = Set.of("messaging.system", "messaging.destination.name");

	@Override
	public Meter.Id map(Meter.Id id) {
		if (!METERS.contains(id.getName())) {
			return id;
		}
		List<Tag> tags = new ArrayList<>();
		for (Tag tag : id.getTagsAsIterable()) {
			if (!DROPPED.contains(tag.getKey())) {
				tags.add(Tag.of(TAG_NAMES.getOrDefault(tag.getKey(), tag.getKey()), tag.getValue()));
			}
		}
		return id.replaceTags(tags);
	}

}
