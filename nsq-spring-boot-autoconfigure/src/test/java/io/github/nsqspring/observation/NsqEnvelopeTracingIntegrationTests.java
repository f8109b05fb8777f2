package io.github.nsqspring.observation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.test.NsqServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the envelope on, one trace runs from an HTTP request into app A, through its {@code nsq.template}
 * span and a real nsqd, to the {@code nsq.listener} span of app B: Boot's tracing auto-configuration
 * (Micrometer Tracing over OpenTelemetry) fills {@code traceparent} through the template's SenderContext and
 * reads it through the listener's ReceiverContext.
 */
class NsqEnvelopeTracingIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	static final String TOPIC = "traced-orders";

	static final List<String> traceparents = new CopyOnWriteArrayList<>();

	@Test
	void theListenerSpanContinuesTheTraceOfTheHttpRequestThatPublished() throws Exception {
		nsqd.createChannel(TOPIC, "b");
		InMemorySpanExporter spansOfA = InMemorySpanExporter.create();
		InMemorySpanExporter spansOfB = InMemorySpanExporter.create();
		try (ConfigurableApplicationContext appB = app(AppB.class, WebApplicationType.NONE, spansOfB, "spring.application.name=b");
				ConfigurableApplicationContext appA = app(AppA.class, WebApplicationType.SERVLET, spansOfA,
						"spring.application.name=a", "server.port=0", "server.address=127.0.0.1")) {
			int port = ((WebServerApplicationContext) appA).getWebServer().getPort();
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders")).build(),
						HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			await().until(() -> spansOfB.getFinishedSpanItems().stream().anyMatch((span) -> span.getKind() == SpanKind.CONSUMER));
			await().until(() -> spansOfA.getFinishedSpanItems().stream().anyMatch((span) -> span.getKind() == SpanKind.SERVER));
			SpanData server = only(spansOfA, SpanKind.SERVER);
			SpanData producer = only(spansOfA, SpanKind.PRODUCER);
			SpanData consumer = only(spansOfB, SpanKind.CONSUMER);
			assertThat(producer.getName()).isEqualTo(TOPIC + " send");
			assertThat(producer.getParentSpanId()).isEqualTo(server.getSpanId());
			assertThat(producer.getTraceId()).isEqualTo(server.getTraceId());
			assertThat(consumer.getName()).isEqualTo(TOPIC + " process");
			assertThat(consumer.getTraceId()).isEqualTo(server.getTraceId());
			assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
			// the flags: sampled, and with OpenTelemetry's W3C level 2 the random trace id bit (03)
			assertThat(traceparents).singleElement()
				.asString()
				.startsWith("00-" + server.getTraceId() + "-" + producer.getSpanId() + "-");
		}
	}

	private static SpanData only(InMemorySpanExporter exporter, SpanKind kind) {
		List<SpanData> spans = exporter.getFinishedSpanItems().stream().filter((span) -> span.getKind() == kind).toList();
		assertThat(spans).as("%s spans", kind).hasSize(1);
		return spans.get(0);
	}

	private static ConfigurableApplicationContext app(Class<?> configuration, WebApplicationType type,
			InMemorySpanExporter exporter, String... properties) {
		return new SpringApplicationBuilder(configuration).web(type)
			.initializers((context) -> context.getBeanFactory().registerSingleton("spanExporter", exporter))
			.properties("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "nsq.producer.envelope.enabled=true",
					"nsq.producer.observation-enabled=true", "nsq.consumer.observation-enabled=true",
					"management.tracing.sampling.probability=1.0", "spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class AppA {

		@Bean
		OrderController orderController(NsqOperations operations) {
			return new OrderController(operations);
		}

	}

	@RestController
	static class OrderController {

		private final NsqOperations operations;

		OrderController(NsqOperations operations) {
			this.operations = operations;
		}

		@GetMapping("/orders")
		String order() {
			this.operations.send(TOPIC, "order-1");
			return "sent";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class AppB {

		@NsqListener(topic = TOPIC, channel = "b")
		void onOrder(String order, @Header("traceparent") String traceparent) {
			traceparents.add(traceparent);
		}

	}

}
