package io.github.nsqspring.test;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points the test context of an {@link NsqTest} class at its processes: with the auto-configuration on the
 * class path, an {@code NsqConnectionDetails} bean that the auto-configuration prefers to {@code nsq.*}
 * addresses (as a {@code @ServiceConnection}); without it, the properties of the servers'
 * {@code registerProperties}, ahead of the application's own. A context belongs to one {@link NsqTest}
 * class: its processes are stopped after that class, and {@link NsqTestContextCloser} closes the context
 * with them.
 */
final class NsqTestContextCustomizer implements ContextCustomizer {

	static final String BEAN_NAME = "nsqTestConnectionDetails";

	static final String PROPERTY_SOURCE_NAME = "nsqTest";

	private final Class<?> declaringClass;

	NsqTestContextCustomizer(Class<?> declaringClass) {
		this.declaringClass = declaringClass;
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		ServerExtension<?> processes = NsqTestProcesses.startFor(this.declaringClass);
		Class<?> connectionDetailsType = NsqTestConnectionDetails.type(context.getClassLoader());
		if (connectionDetailsType != null) {
			context.getBeanFactory().registerSingleton(BEAN_NAME, NsqTestConnectionDetails.create(connectionDetailsType, processes));
			return;
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		processes.registerProperties((name, value) -> properties.put(name, value.get()));
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
