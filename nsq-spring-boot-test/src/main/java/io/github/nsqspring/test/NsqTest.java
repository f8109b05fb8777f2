package io.github.nsqspring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts real NSQ processes for a test class and stops them after it. With {@code lookupd = false}
 * (the default) and {@code nsqd = 1} it runs one {@link NsqServer}; otherwise an {@link NsqCluster}
 * of one nsqlookupd and {@code nsqd} nsqd. Test methods, constructors and lifecycle methods receive
 * them as parameters of type {@link NsqServer} (the first nsqd) or {@link NsqCluster}. A Spring test context
 * of the class gets an {@code NsqConnectionDetails} bean with their addresses, which the auto-configuration
 * uses instead of {@code nsq.*} addresses (without the auto-configuration on the class path: the properties
 * of {@link ServerExtension#registerProperties}); the context is closed after the class.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(NsqTestExtension.class)
public @interface NsqTest {

	/** How many nsqd to start. */
	int nsqd() default 1;

	/** Whether to start an nsqlookupd that every nsqd registers with. */
	boolean lookupd() default false;

	/** Extra flags for every nsqd, e.g. {@code "--msg-timeout=3s"}. */
	String[] nsqdArguments() default {};

}
