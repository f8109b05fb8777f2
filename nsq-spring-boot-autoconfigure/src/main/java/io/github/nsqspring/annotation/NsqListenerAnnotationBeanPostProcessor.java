package io.github.nsqspring.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.github.nsqspring.core.NsqMessageConverter;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.NsqErrorHandler;
import io.github.nsqspring.listener.NsqListenerContainer;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.listener.adapter.NsqBatchListenerMethodAdapter;
import io.github.nsqspring.listener.adapter.NsqListenerMethodAdapter;
import io.github.nsqspring.listener.adapter.NsqMessageHandlerMethodFactory;
import io.github.nsqspring.listener.adapter.ReplyPublisher;
import io.github.nsqspring.support.NsqNames;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanExpressionResolver;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.validation.Validator;

/**
 * Finds {@link NsqListener} methods on every bean (also behind AOP proxies, several per bean) and, once
 * all singletons exist, validates each one and registers a listener container for it in the
 * {@link NsqListenerRegistry}, created by the container factory the listener names (by default the bean
 * {@value #DEFAULT_CONTAINER_FACTORY_BEAN_NAME}); a lazy bean created later gets its containers when it is created. A bad
 * declaration, or a listener on a bean that is not a singleton, fails startup with a message naming the
 * bean, the method and the problem.
 * <p>
 * Methods that use spring-messaging's parameter annotations are invoked through one
 * {@link NsqMessageHandlerMethodFactory}, which validates {@code @Valid} payloads with the application's
 * {@link Validator} (the unique one, else Boot's {@code defaultValidator}); a {@code @SendTo} method
 * publishes its replies through the {@link NsqOperations} bean.
 */
public class NsqListenerAnnotationBeanPostProcessor implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware,
		Ordered {

	/** The bean name under which the auto-configuration registers this post-processor. */
	public static final String BEAN_NAME = "io.github.nsqspring.annotation.internalNsqListenerAnnotationProcessor";

	/** The bean name of the container factory of listeners that name none in {@link NsqListener#containerFactory()}. */
	public static final String DEFAULT_CONTAINER_FACTORY_BEAN_NAME = "nsqListenerContainerFactory";

	private static final String BOOT_VALIDATOR = "defaultValidator";

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	private final List<ListenerMethod> listenerMethods = new CopyOnWriteArrayList<>();

	private final Map<String, ListenerMethod> explicitIds = new ConcurrentHashMap<>();

	@SuppressWarnings("NullAway.Init") // set by setBeanFactory, the first callback
	private ConfigurableListableBeanFactory beanFactory;

	private volatile boolean singletonsInstantiated;

	private @Nullable NsqMessageHandlerMethodFactory methodFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (!(beanFactory instanceof ConfigurableListableBeanFactory configurable)) {
			throw new IllegalStateException("NsqListenerAnnotationBeanPostProcessor needs a ConfigurableListableBeanFactory");
		}
		this.beanFactory = configurable;
	}

	@Override
	public int getOrder() {
		return LOWEST_PRECEDENCE;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass)) {
			return bean;
		}
		Map<Method, NsqListener> annotated = listenerMethodsOf(targetClass);
		if (annotated.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		annotated.forEach((method, annotation) -> {
			ListenerMethod listenerMethod = new ListenerMethod(bean, beanName, targetClass,
					AopUtils.selectInvocableMethod(method, bean.getClass()), annotation);
			if (this.singletonsInstantiated) {
				// a lazy bean created after startup: its container is registered (and started) at once
				register(listenerMethod);
			}
			else {
				this.listenerMethods.add(listenerMethod);
			}
		});
		return bean;
	}

	private static Map<Method, NsqListener> listenerMethodsOf(Class<?> targetClass) {
		return MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<NsqListener>) (method) -> AnnotatedElementUtils.findMergedAnnotation(method,
						NsqListener.class));
	}

	@Override
	public void afterSingletonsInstantiated() {
		rejectListenersOfNonSingletonBeans();
		this.singletonsInstantiated = true;
		this.listenerMethods.forEach(this::register);
		this.listenerMethods.clear();
	}

	/**
	 * A listener's container is created once, for one bean instance: on a prototype (or request, session,
	 * ...) bean it would never be registered, or once per instance, so startup fails naming the bean. A
	 * scoped proxy's target is the exception: its listeners are registered once, on the singleton proxy,
	 * which is created here when nothing has injected it.
	 */
	private void rejectListenersOfNonSingletonBeans() {
		for (String beanName : this.beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = this.beanFactory.getMergedBeanDefinition(beanName);
			Class<?> type = (definition.isSingleton() || definition.isAbstract()) ? null : this.beanFactory.getType(beanName, false);
			if (type == null) {
				continue;
			}
			Class<?> targetClass = ClassUtils.getUserClass(type);
			Map.Entry<Method, NsqListener> listener = listenerMethodsOf(targetClass).entrySet().stream().findFirst().orElse(null);
			if (listener == null) {
				continue;
			}
			if (ScopedProxyUtils.isScopedTarget(beanName)) {
				this.beanFactory.getBean(ScopedProxyUtils.getOriginalBeanName(beanName));
				continue;
			}
			throw new BeanInitializationException(ListenerMethod.describe(targetClass, listener.getKey(), beanName)
					+ " is invalid: the bean has scope '" + definition.getScope()
					+ "', but a listener is registered once, for a singleton bean; declare "
					+ "@NsqListener methods on singleton beans (the default scope), or give the bean a scoped proxy");
		}
	}

	private void register(ListenerMethod listenerMethod) {
		try {
			register(listenerMethod, this.beanFactory.getBean(NsqListenerRegistry.class),
					containerFactory(listenerMethod.annotation()), this.beanFactory.getBean(NsqMessageConverter.class));
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw new BeanInitializationException(listenerMethod.describe() + " is invalid: " + ex.getMessage(), ex);
		}
	}

	private void register(ListenerMethod listenerMethod, NsqListenerRegistry registry, NsqListenerContainerFactory factory,
			NsqMessageConverter converter) {
		NsqListener annotation = listenerMethod.annotation();
		String id = resolveString(annotation.id());
		if (StringUtils.hasText(id)) {
			ListenerMethod other = this.explicitIds.putIfAbsent(id, listenerMethod);
			if (other != null) {
				throw new IllegalStateException("its id '" + id + "' is already used by " + other.describe());
			}
		}
		String topic = resolveString(annotation.topic());
		if (!StringUtils.hasText(topic)) {
			throw new IllegalArgumentException("it has no topic");
		}
		NsqNames.requireValidTopic(topic);
		factory.validateDeadLetterTarget(topic);
		String channel = resolveString(annotation.channel());
		if (!StringUtils.hasText(channel)) {
			channel = factory.getDefaultChannel();
		}
		if (!StringUtils.hasText(channel)) {
			throw new IllegalArgumentException("it names no channel, and neither nsq.consumer.default-channel nor "
					+ "spring.application.name is set");
		}
		NsqNames.requireValidChannel(channel);
		Integer concurrency = resolveInteger(annotation.concurrency(), "concurrency");
		Integer maxInFlight = resolveInteger(annotation.maxInFlight(), "maxInFlight");
		Integer maxAttempts = resolveInteger(annotation.maxAttempts(), "maxAttempts");
		Boolean autoStartup = resolveBoolean(annotation.autoStartup(), "autoStartup");
		Boolean flowBackoff = resolveBoolean(annotation.flowBackoff(), "flowBackoff");
		NsqErrorHandler errorHandler = StringUtils.hasText(annotation.errorHandler())
				? namedBean(annotation.errorHandler(), "errorHandler", NsqErrorHandler.class) : null;
		boolean batch = Boolean.TRUE.equals(resolveBoolean(annotation.batch(), "batch"));
		Integer batchMaxSize = resolveInteger(annotation.batchMaxSize(), "batchMaxSize");
		Duration batchMaxWait = resolveDuration(annotation.batchMaxWait(), "batchMaxWait");
		if (!batch && (batchMaxSize != null || batchMaxWait != null)) {
			throw new IllegalArgumentException("it sets batchMaxSize or batchMaxWait but is not a batch listener; add batch = \"true\"");
		}
		String name = StringUtils.hasText(id) ? id : listenerMethod.beanName() + "." + listenerMethod.method().getName();
		Consumer<ContainerProperties> settings = (properties) -> {
			properties.setName(name);
			if (concurrency != null) {
				properties.setConcurrency(concurrency);
			}
			if (maxInFlight != null) {
				properties.setMaxInFlight(maxInFlight);
			}
			if (maxAttempts != null) {
				properties.setMaxAttempts(maxAttempts);
			}
			if (autoStartup != null) {
				properties.setAutoStartup(autoStartup);
			}
			if (flowBackoff != null) {
				properties.setFlowBackoff(flowBackoff);
			}
			if (errorHandler != null) {
				properties.setErrorHandler(errorHandler);
			}
			if (batchMaxSize != null) {
				properties.setBatchMaxSize(batchMaxSize);
			}
			if (batchMaxWait != null) {
				properties.setBatchMaxWait(batchMaxWait);
			}
			properties.setAutoAcknowledge(annotation.ackMode() == AckMode.AUTO);
		};
		NsqListenerContainer container;
		if (batch) {
			if (AnnotatedElementUtils.hasAnnotation(listenerMethod.method(), SendTo.class)) {
				throw new IllegalArgumentException("it is a batch listener and annotated @SendTo; a batch listener publishes no replies");
			}
			container = factory.createBatchContainer(registry.nextContainerId(), topic, channel, settings,
					NsqBatchListenerMethodAdapter.forMethod(listenerMethod.bean(), listenerMethod.method(), converter));
		}
		else {
			container = factory.createContainer(registry.nextContainerId(), topic, channel, settings, NsqListenerMethodAdapter
				.forMethod(listenerMethod.bean(), listenerMethod.method(), converter, methodFactory(converter), replyPublisher(listenerMethod.method())));
		}
		registry.registerListenerContainer(container);
	}

	private NsqListenerContainerFactory containerFactory(NsqListener annotation) {
		if (!StringUtils.hasText(annotation.containerFactory())) {
			return this.beanFactory.getBean(DEFAULT_CONTAINER_FACTORY_BEAN_NAME, NsqListenerContainerFactory.class);
		}
		return namedBean(annotation.containerFactory(), "containerFactory", NsqListenerContainerFactory.class);
	}

	/** The bean an attribute names (or a {@code #{...}} expression gives); fails naming the attribute and the bean. */
	private <T> T namedBean(String value, String attribute, Class<T> type) {
		Object resolved = resolve(value);
		if (type.isInstance(resolved)) {
			return type.cast(resolved);
		}
		String name = String.valueOf(resolved).trim();
		if (!this.beanFactory.containsBean(name)) {
			throw new IllegalArgumentException("its " + attribute + " '" + name + "' names no bean");
		}
		if (!this.beanFactory.isTypeMatch(name, type)) {
			Class<?> actual = this.beanFactory.getType(name);
			throw new IllegalArgumentException("its " + attribute + " '" + name + "' is "
					+ ((actual != null) ? "a " + actual.getName() : "of unknown type") + ", not an " + type.getSimpleName());
		}
		return this.beanFactory.getBean(name, type);
	}

	private synchronized NsqMessageHandlerMethodFactory methodFactory(NsqMessageConverter converter) {
		if (this.methodFactory == null) {
			this.methodFactory = new NsqMessageHandlerMethodFactory(converter, validator(), this.beanFactory);
		}
		return this.methodFactory;
	}

	private @Nullable Validator validator() {
		Validator validator = this.beanFactory.getBeanProvider(Validator.class).getIfUnique();
		if (validator == null && this.beanFactory.containsBean(BOOT_VALIDATOR)) {
			// Boot's LocalValidatorFactoryBean, beside a web application's mvcValidator
			validator = this.beanFactory.getBean(BOOT_VALIDATOR, Validator.class);
		}
		return validator;
	}

	private @Nullable ReplyPublisher replyPublisher(Method method) {
		SendTo sendTo = AnnotatedElementUtils.findMergedAnnotation(method, SendTo.class);
		if (sendTo == null) {
			return null;
		}
		if (sendTo.value().length != 1) {
			throw new IllegalArgumentException("its @SendTo names " + sendTo.value().length + " topics; name the one reply topic");
		}
		String topic = resolveString(sendTo.value()[0]);
		if (!StringUtils.hasText(topic)) {
			throw new IllegalArgumentException("its @SendTo names no topic; name the reply topic (NSQ messages carry no reply-to)");
		}
		NsqNames.requireValidTopic(topic);
		NsqOperations operations = this.beanFactory.getBeanProvider(NsqOperations.class).getIfUnique();
		if (operations == null) {
			throw new IllegalStateException("it is annotated @SendTo(\"" + topic + "\"), but there is no unique NsqOperations "
					+ "bean to publish its replies with; configure nsq.nsqd-addresses for the NsqTemplate or define one");
		}
		return new ReplyPublisher(operations, topic);
	}

	private @Nullable Object resolve(String value) {
		String resolved = this.beanFactory.resolveEmbeddedValue(value);
		BeanExpressionResolver resolver = this.beanFactory.getBeanExpressionResolver();
		return (resolver != null) ? resolver.evaluate(resolved, new BeanExpressionContext(this.beanFactory, null)) : resolved;
	}

	private @Nullable String resolveString(String value) {
		Object resolved = resolve(value);
		return (resolved != null) ? resolved.toString().trim() : null;
	}

	private @Nullable Integer resolveInteger(String value, String attribute) {
		if (!StringUtils.hasText(value)) {
			return null;
		}
		Object resolved = resolve(value);
		if (resolved instanceof Number number) {
			return number.intValue();
		}
		try {
			return Integer.valueOf(String.valueOf(resolved).trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(attribute + " '" + value + "' resolves to '" + resolved + "', which is not a number");
		}
	}

	private @Nullable Duration resolveDuration(String value, String attribute) {
		if (!StringUtils.hasText(value)) {
			return null;
		}
		Object resolved = resolve(value);
		if (resolved instanceof Duration duration) {
			return duration;
		}
		try {
			return DurationStyle.detectAndParse(String.valueOf(resolved).trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(attribute + " '" + value + "' resolves to '" + resolved + "', which is not a duration "
					+ "(such as 100ms or 1s)");
		}
	}

	private @Nullable Boolean resolveBoolean(String value, String attribute) {
		if (!StringUtils.hasText(value)) {
			return null;
		}
		Object resolved = resolve(value);
		if (resolved instanceof Boolean bool) {
			return bool;
		}
		String text = String.valueOf(resolved).trim();
		if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
			throw new IllegalArgumentException(attribute + " '" + value + "' resolves to '" + resolved + "', not true or false");
		}
		return Boolean.valueOf(text);
	}

	private record ListenerMethod(Object bean, String beanName, Class<?> targetClass, Method method, NsqListener annotation) {

		String describe() {
			return describe(this.targetClass, this.method, this.beanName);
		}

		static String describe(Class<?> targetClass, Method method, String beanName) {
			return "@NsqListener method " + targetClass.getName() + "." + method.getName() + " of bean '" + beanName + "'";
		}

	}

}
