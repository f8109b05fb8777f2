package io.github.nsqspring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a method as the handler of an NSQ topic/channel. Each annotated method gets its own listener
 * container in the {@code NsqListenerRegistry}, with its own connection and handler threads.
 *
 * <p>Parameters: {@code NsqMessage} (metadata and manual control) and at most one payload: {@code String}
 * (UTF-8), {@code byte[]}, or any type the {@code NsqMessageConverter} reads (JSON by default); also
 * spring-messaging's {@code @Payload} (with {@code @Valid}), {@code @Header} (names in
 * {@code NsqHeaders}), {@code @Headers} and {@code Message<T>}. Return a {@code CompletableFuture} to
 * acknowledge the message when it completes; with spring-messaging's {@code @SendTo("topic")} the
 * non-null return value is published to that topic before the message is finished. String
 * attributes accept {@code ${...}} placeholders and {@code #{...}} SpEL expressions.
 * <pre class="code">
 * &#64;NsqListener(topic = "orders", channel = "billing", concurrency = "4")
 * void onOrder(Order order) { ... }
 * </pre>
 * Ahead-of-time processing registers reflection hints for the method and binding hints for its payload
 * and reply types.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(NsqListenerReflectiveProcessor.class)
public @interface NsqListener {

	/** A readable, unique name of the listener (registry alias, logs, metrics); default {@code beanName.methodName}. */
	String id() default "";

	/** The topic; required. */
	String topic();

	/** The channel; default {@code nsq.consumer.default-channel}, else {@code spring.application.name}. */
	String channel() default "";

	/** Handler threads; default {@code nsq.consumer.concurrency}. */
	String concurrency() default "";

	/** RDY count; default {@code nsq.consumer.max-in-flight}, else the concurrency. */
	String maxInFlight() default "";

	/** Attempts before the dead-letter path; default {@code nsq.consumer.max-attempts}. */
	String maxAttempts() default "";

	/** Whether the container starts with the application; default {@code true}. */
	String autoStartup() default "";

	/**
	 * Whether the container throttles deliveries after failures, go-nsq style ({@code "true"} or
	 * {@code "false"}, placeholders allowed); default {@code nsq.consumer.flow-backoff.enabled}.
	 */
	String flowBackoff() default "";

	/**
	 * Whether the method takes a batch ({@code "true"} or {@code "false"}, placeholders allowed): one
	 * parameter, {@code List<T>} (converted payloads), {@code List<NsqMessage>} or {@code List<Message<T>>};
	 * default {@code false}.
	 */
	String batch() default "";

	/** The most messages in one batch; default {@code nsq.consumer.batch.max-size}. */
	String batchMaxSize() default "";

	/**
	 * The longest a batch waits from its first message before it is handed over not full ({@code "250ms"},
	 * {@code "1s"}); default {@code nsq.consumer.batch.max-wait}.
	 */
	String batchMaxWait() default "";

	/** Who finishes messages: the container ({@code AUTO}) or the handler ({@code MANUAL}). */
	AckMode ackMode() default AckMode.AUTO;

	/**
	 * Bean name of the {@code NsqListenerContainerFactory} that creates this listener's container (or a
	 * {@code #{...}} expression giving the factory); default {@code nsqListenerContainerFactory}, the
	 * auto-configured one.
	 */
	String containerFactory() default "";

	/**
	 * Bean name of the {@code NsqErrorHandler} that decides what happens to a message this listener failed
	 * on (or a {@code #{...}} expression giving the handler); default: the container factory's.
	 */
	String errorHandler() default "";

}
