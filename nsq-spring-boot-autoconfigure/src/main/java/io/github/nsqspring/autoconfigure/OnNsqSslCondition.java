package io.github.nsqspring.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/** Matches when TLS to nsqd is on: {@code nsq.ssl.enabled=true} or a non-empty {@code nsq.ssl.bundle}. */
class OnNsqSslCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		if (StringUtils.hasText(environment.getProperty("nsq.ssl.bundle"))) {
			return ConditionOutcome.match("nsq.ssl.bundle is set");
		}
		return environment.getProperty("nsq.ssl.enabled", Boolean.class, false)
				? ConditionOutcome.match("nsq.ssl.enabled is true")
				: ConditionOutcome.noMatch("nsq.ssl.enabled is not true and nsq.ssl.bundle is empty");
	}

}
