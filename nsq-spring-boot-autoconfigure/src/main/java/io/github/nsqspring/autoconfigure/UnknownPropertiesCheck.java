package io.github.nsqspring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Warns once at startup about {@code nsq.*} keys that bind to no property of {@link NsqProperties}
 * (a typo such as {@code nsq.consumer.concurency} is otherwise silently ignored). A key is known when
 * each of its elements names a bean property of the class above it; anything below a list or map property
 * ({@code nsq.nsqd-addresses[0]}) counts as known. Environment variables are not checked: names such
 * as {@code NSQ_SERVICE_HOST} are set by platforms (Kubernetes, for a service named nsq), not by the
 * application.
 */
class UnknownPropertiesCheck implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(UnknownPropertiesCheck.class);

	private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("nsq");

	private final Environment environment;

	UnknownPropertiesCheck(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Set<String> unknown = new TreeSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable
					&& !(source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource)) {
				iterable.filter(PREFIX::isAncestorOf)
					.stream()
					.filter((name) -> !isKnown(name))
					.forEach((name) -> unknown.add(name.toString()));
			}
		}
		if (!unknown.isEmpty()) {
			logger.warn("Unknown NSQ properties, ignored (no such property of NsqProperties; a typo?): "
					+ String.join(", ", unknown));
		}
	}

	static boolean isKnown(ConfigurationPropertyName name) {
		ResolvableType type = ResolvableType.forClass(NsqProperties.class);
		for (int i = 1; i < name.getNumberOfElements(); i++) {
			Class<?> current = type.toClass();
			if (Map.class.isAssignableFrom(current) || Collection.class.isAssignableFrom(current) || current.isArray()) {
				return true;
			}
			PropertyDescriptor property = isNested(current) ? property(current, name.getElement(i, Form.UNIFORM)) : null;
			if (property == null) {
				return false;
			}
			type = ResolvableType.forMethodReturnType(property.getReadMethod());
		}
		return true;
	}

	/** Only NsqProperties and its nested groups have properties; values (String, Duration, enums...) have none. */
	private static boolean isNested(Class<?> type) {
		return !type.isEnum() && type.getName().startsWith(NsqProperties.class.getName());
	}

	private static @Nullable PropertyDescriptor property(Class<?> type, String uniformName) {
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getReadMethod() != null && property.getReadMethod().getDeclaringClass() != Object.class
					&& ConfigurationPropertyName.adapt(property.getName(), '.').getElement(0, Form.UNIFORM).equals(uniformName)) {
				return property;
			}
		}
		return null;
	}

}
