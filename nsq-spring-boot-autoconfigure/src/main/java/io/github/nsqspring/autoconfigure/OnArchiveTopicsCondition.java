package io.github.nsqspring.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code nsq.archive.topics} names at least one topic (comma-separated or indexed). */
class OnArchiveTopicsCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		List<String> topics = Binder.get(context.getEnvironment())
			.bind("nsq.archive.topics", Bindable.listOf(String.class))
			.orElse(List.of());
		return topics.isEmpty() ? ConditionOutcome.noMatch("nsq.archive.topics is empty")
				: ConditionOutcome.match("nsq.archive.topics is " + topics);
	}

}
