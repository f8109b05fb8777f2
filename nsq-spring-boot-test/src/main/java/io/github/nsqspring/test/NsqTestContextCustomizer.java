package io.github.nsqspring.test;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Adds the addresses of an {@link NsqTest} class's processes to its test context, ahead of the
 * application's own properties. A context belongs to one {@link NsqTest} class: its processes are
 * stopped after that class, and {@link NsqTestContextCloser} closes the context with them.
 */
final class NsqTestContextCustomizer implements ContextCustomizer {

	static final String PROPERTY_SOURCE_NAME = "nsqTest";

	private final Class<?> declaringClass;

	NsqTestContextCustomizer(Class<?> declaringClass) {
		this.declaringClass = declaringClass;
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		Map<String, Object> properties = new LinkedHashMap<>();
		NsqTestProcesses.startFor(this.declaringClass).registerProperties((name, value) -> properties.put(name, value.get()));
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof NsqTestContextCustomizer customizer && customizer.declaringClass == this.declaringClass;
	}

	@Override
	public int hashCode() {
		return this.declaringClass.hashCode();
	}

}
