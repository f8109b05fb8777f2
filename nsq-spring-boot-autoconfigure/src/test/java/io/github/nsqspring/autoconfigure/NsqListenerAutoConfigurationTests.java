package io.github.nsqspring.autoconfigure;

import io.github.nsqspring.annotation.NsqListenerAnnotationBeanPostProcessor;
import io.github.nsqspring.core.JacksonNsqMessageConverter;
import io.github.nsqspring.core.NsqMessageConverter;
import io.github.nsqspring.core.SimpleNsqMessageConverter;
import io.github.nsqspring.listener.LoggingDeadLetterHandler;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.support.SnowflakeIdGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class NsqListenerAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class));

	@Test
	void providesTheListenerInfrastructure() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(NsqListenerRegistry.class)
				.hasSingleBean(NsqListenerContainerFactory.class)
				.hasSingleBean(SnowflakeIdGenerator.class)
				.hasSingleBean(NsqMessageConverter.class)
				.hasBean(NsqListenerAnnotationBeanPostProcessor.BEAN_NAME);
			assertThat(context.getBean(NsqListenerRegistry.class).getPhase()).isEqualTo(Integer.MAX_VALUE - 100);
		});
	}

	@Test
	void workerIdProperty() {
		this.runner.withPropertyValues("nsq.consumer.worker-id=42")
			.run((context) -> assertThat(context.getBean(SnowflakeIdGenerator.class).getWorkerId()).isEqualTo(42));
	}

	@Test
	void backsOffForUserBeans() {
		NsqListenerRegistry registry = new NsqListenerRegistry(new SnowflakeIdGenerator(1));
		NsqListenerContainerFactory factory = new NsqListenerContainerFactory();
		NsqMessageConverter converter = new JacksonNsqMessageConverter(JsonMapper.builder().build());
		this.runner.withBean(NsqListenerRegistry.class, () -> registry)
			.withBean("nsqListenerContainerFactory", NsqListenerContainerFactory.class, () -> factory)
			.withBean(NsqMessageConverter.class, () -> converter)
			.run((context) -> {
				assertThat(context.getBean(NsqListenerRegistry.class)).isSameAs(registry);
				assertThat(context.getBean(NsqListenerContainerFactory.class)).isSameAs(factory);
				assertThat(context.getBean(NsqMessageConverter.class)).isSameAs(converter);
			});
	}

	@Test
	void aFactoryBeanOfAnotherNameDoesNotReplaceTheDefault() {
		NsqListenerContainerFactory second = new NsqListenerContainerFactory();
		this.runner.withBean("secondFactory", NsqListenerContainerFactory.class, () -> second).run((context) -> {
			assertThat(context.getBeansOfType(NsqListenerContainerFactory.class)).containsOnlyKeys("nsqListenerContainerFactory",
					"secondFactory");
			assertThat(context.getBean("nsqListenerContainerFactory")).isNotSameAs(second);
		});
	}

	@Test
	void usesTheApplicationsJsonMapper() {
		JsonMapper snakeCase = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
		this.runner.withBean(JsonMapper.class, () -> snakeCase).run((context) -> {
			NsqMessageConverter converter = context.getBean(NsqMessageConverter.class);
			assertThat(converter.fromBody("{\"order_id\":\"o-7\"}".getBytes(), Order.class)).isEqualTo(new Order("o-7"));
			assertThat(new String(converter.toBody(new Order("o-8")))).isEqualTo("{\"order_id\":\"o-8\"}");
		});
	}

	@Test
	void worksWithoutJackson() {
		this.runner.withClassLoader(new FilteredClassLoader("tools.jackson"))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(NsqListenerRegistry.class);
				assertThat(context.getBean(NsqMessageConverter.class)).isExactlyInstanceOf(SimpleNsqMessageConverter.class);
			});
	}

	@Test
	void defaultChannelFallsBackToApplicationName() {
		this.runner.withPropertyValues("spring.application.name=billing-service")
			.run((context) -> assertThat(context.getBean(NsqListenerContainerFactory.class).getDefaultChannel())
				.isEqualTo("billing-service"));
		this.runner.withPropertyValues("spring.application.name=billing-service", "nsq.consumer.default-channel=audit")
			.run((context) -> assertThat(context.getBean(NsqListenerContainerFactory.class).getDefaultChannel())
				.isEqualTo("audit"));
	}

	@Test
	void warnsWhenTheShutdownPhaseIsShorterThanTheDrain(CapturedOutput output) {
		this.runner.withPropertyValues("nsq.consumer.shutdown-timeout=40s").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("WARN")
				.contains("spring.lifecycle.timeout-per-shutdown-phase (30000 ms) is shorter than nsq.consumer.shutdown-timeout (40000 ms)")
				.contains("at least 45s");
		});
	}

	@Test
	void noWarningWhenThePhaseCoversTheDrain(CapturedOutput output) {
		this.runner.withPropertyValues("nsq.consumer.shutdown-timeout=40s", "spring.lifecycle.timeout-per-shutdown-phase=50s")
			.run((context) -> assertThat(output).doesNotContain("timeout-per-shutdown-phase"));
	}

	@Test
	void deadLetterHandlerDefaultsToLogging() {
		this.runner.run((context) -> assertThat(context.getBean(NsqListenerContainerFactory.class))
			.extracting("deadLetterHandler")
			.isInstanceOf(LoggingDeadLetterHandler.class));
	}

	record Order(String orderId) {
	}

}
