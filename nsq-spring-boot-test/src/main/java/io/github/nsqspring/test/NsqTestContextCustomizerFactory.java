package io.github.nsqspring.test;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

/**
 * Points the Spring test context of an {@link NsqTest} class at its processes (see
 * {@link NsqTestContextCustomizer}), so a {@code @SpringBootTest} needs no {@code @DynamicPropertySource}.
 * Registered in {@code META-INF/spring.factories}.
 */
class NsqTestContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
		Class<?> declaringClass = NsqTestProcesses.declaringClass(testClass);
		return (declaringClass != null) ? new NsqTestContextCustomizer(declaringClass) : null;
	}

}
