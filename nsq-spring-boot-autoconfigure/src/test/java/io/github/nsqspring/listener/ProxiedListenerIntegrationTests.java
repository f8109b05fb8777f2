package io.github.nsqspring.listener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.test.NsqServer;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Listener methods on AOP-proxied beans (class-based and interface-based) are invoked through the proxy. */
@ExtendWith(OutputCaptureExtension.class)
class ProxiedListenerIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	static final AtomicInteger intercepted = new AtomicInteger();

	static final List<String> received = new CopyOnWriteArrayList<>();

	@Test
	void proxiedBeansReceiveThroughTheirProxies(CapturedOutput output) {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=proxies")
			.withUserConfiguration(ProxyConfig.class)
			.run((context) -> {
				assertThat(context.getBean(NsqListenerRegistry.class).getContainers()).hasSize(3);
				assertThat(output).contains("Starting 3 NSQ listener container(s)").contains("via nsqd [" + nsqd.tcpAddress() + "]");
				nsqd.publish("proxied-class", "c1");
				nsqd.publish("proxied-class-second", "c2");
				nsqd.publish("proxied-interface", "i1");
				await().untilAsserted(() -> assertThat(received).containsExactlyInAnyOrder("class:c1", "class2:c2", "interface:i1"));
				assertThat(intercepted).hasValue(3);
			});
	}

	public interface Handler {

		@NsqListener(topic = "proxied-interface")
		void handle(String body);

	}

	static class InterfaceListener implements Handler {

		@Override
		public void handle(String body) {
			received.add("interface:" + body);
		}

	}

	public static class ClassListener {

		@NsqListener(topic = "proxied-class")
		public void first(String body) {
			received.add("class:" + body);
		}

		@NsqListener(topic = "proxied-class-second")
		public void second(String body) {
			received.add("class2:" + body);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProxyConfig {

		private static final MethodInterceptor COUNTING = (invocation) -> {
			intercepted.incrementAndGet();
			return invocation.proceed();
		};

		@Bean
		Object classListener() {
			ProxyFactory factory = new ProxyFactory(new ClassListener());
			factory.setProxyTargetClass(true);
			factory.addAdvice(COUNTING);
			return factory.getProxy();
		}

		@Bean
		Handler interfaceListener() {
			ProxyFactory factory = new ProxyFactory(new InterfaceListener());
			factory.addInterface(Handler.class);
			factory.addAdvice(COUNTING);
			return (Handler) factory.getProxy();
		}

	}

}
