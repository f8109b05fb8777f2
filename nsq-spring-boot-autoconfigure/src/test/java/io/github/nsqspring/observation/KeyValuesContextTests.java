package io.github.nsqspring.observation;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * {@link KeyValuesSenderContext} and {@link KeyValuesReceiverContext} keep key values as Micrometer's own context does: the same calls give the same
 * answers, and every key-value method of {@link Observation.Context} is its own.
 */
class KeyValuesContextTests {

	private static final KeyValues STARTED = KeyValues.of("nsq.topic", "orders", "nsq.outcome", "none");

	private static final KeyValues FINISHED = KeyValues.of("nsq.topic", "orders", "nsq.outcome", "finished");

	@Test
	void answersAsMicrometersContextDoes() {
		List<Consumer<Observation.Context>> calls = List.of((context) -> context.addLowCardinalityKeyValues(STARTED),
				(context) -> context.addHighCardinalityKeyValues(KeyValues.of("nsq.message.id", "a1")),
				(context) -> context.addLowCardinalityKeyValue(KeyValue.of("region", "eu")),
				(context) -> context.addLowCardinalityKeyValues(FINISHED),
				(context) -> context.addLowCardinalityKeyValues(KeyValues.of("nsq.outcome", "requeued", "a", "first")),
				(context) -> context.addHighCardinalityKeyValue(KeyValue.of("nsq.message.id", "a2")),
				(context) -> context.addHighCardinalityKeyValues(KeyValues.empty()),
				(context) -> context.removeLowCardinalityKeyValue("a"),
				(context) -> context.removeLowCardinalityKeyValues("region", "missing"),
				(context) -> context.addHighCardinalityKeyValue(KeyValue.of("user", "x")),
				(context) -> context.removeHighCardinalityKeyValue("user"),
				(context) -> context.addHighCardinalityKeyValue(KeyValue.of("b", "y")),
				(context) -> context.removeHighCardinalityKeyValues("b"));
		for (Observation.Context ours : List.of(new NsqTemplateObservationContext("orders", "send"),
				new NsqListenerObservationContext("orders-listener", "orders", "audit", "a1", 1))) {
			Observation.Context micrometers = new Observation.Context();
			for (Consumer<Observation.Context> call : calls) {
				call.accept(micrometers);
				call.accept(ours);
				assertThat(ours.getLowCardinalityKeyValues()).isEqualTo(micrometers.getLowCardinalityKeyValues());
				assertThat(ours.getHighCardinalityKeyValues()).isEqualTo(micrometers.getHighCardinalityKeyValues());
				assertThat(ours.getAllKeyValues()).isEqualTo(micrometers.getAllKeyValues());
				for (String key : List.of("nsq.topic", "nsq.outcome", "region", "a", "nsq.message.id", "user", "missing")) {
					assertThat(ours.getLowCardinalityKeyValue(key)).isEqualTo(micrometers.getLowCardinalityKeyValue(key));
					assertThat(ours.getHighCardinalityKeyValue(key)).isEqualTo(micrometers.getHighCardinalityKeyValue(key));
				}
			}
			assertThat(ours.getLowCardinalityKeyValues()).containsExactly(KeyValue.of("nsq.outcome", "requeued"),
					KeyValue.of("nsq.topic", "orders"));
			assertThat(ours.toString()).contains("nsq.outcome='requeued'").contains("nsq.message.id='a2'");
		}
	}

	@Test
	void keepsTheConventionsKeyValuesWhenTheyHaveEveryKeptKey() {
		Observation.Context context = new NsqTemplateObservationContext("orders", "send");
		context.addLowCardinalityKeyValues(STARTED);
		assertThat(context.getLowCardinalityKeyValues()).isSameAs(STARTED);
		context.addLowCardinalityKeyValues(STARTED);
		assertThat(context.getLowCardinalityKeyValues()).isSameAs(STARTED);
		context.addLowCardinalityKeyValues(FINISHED);
		assertThat(context.getLowCardinalityKeyValues()).isSameAs(FINISHED);
		KeyValues more = FINISHED.and("region", "eu");
		context.addLowCardinalityKeyValues(more);
		assertThat(context.getLowCardinalityKeyValues()).isSameAs(more);
		context.addLowCardinalityKeyValues(STARTED);
		assertThat(context.getLowCardinalityKeyValues()).isEqualTo(STARTED.and("region", "eu"));
	}

	@Test
	void everyMessageOfAListenerWithOneOutcomeReachesTheHandlersWithTheSameKeyValues() {
		ObservationRegistry registry = ObservationRegistry.create();
		List<KeyValues> stopped = lowCardinalityKeyValuesAtStop(registry);
		DefaultNsqListenerObservationConvention convention = new DefaultNsqListenerObservationConvention();
		for (String id : List.of("m1", "m2")) {
			NsqListenerObservationContext context = new NsqListenerObservationContext("orders-listener", "orders", "audit",
					id, 1);
			Observation observation = NsqListenerObservation.LISTENER_OBSERVATION
				.observation(null, convention, () -> context, registry)
				.start();
			context.setOutcome("finished");
			observation.stop();
		}
		assertThat(stopped).hasSize(2);
		assertThat(stopped.get(1)).isSameAs(stopped.get(0));
		assertThat(stopped.get(0).stream().map(KeyValue::getValue)).contains("orders-listener", "finished");
	}

	@Test
	void refusesANullKeyValueAsMicrometersContextDoes() {
		assertThatNullPointerException().isThrownBy(() -> new Observation.Context().addLowCardinalityKeyValue(null));
		assertThatNullPointerException()
			.isThrownBy(() -> new NsqTemplateObservationContext("orders", "send").addLowCardinalityKeyValue(null));
		assertThatNullPointerException()
			.isThrownBy(() -> new NsqTemplateObservationContext("orders", "send").addHighCardinalityKeyValue(null));
	}

	@Test
	void anObservationFilterAddsToTheConventionsKeyValues() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationFilter((context) -> context.addLowCardinalityKeyValue(KeyValue.of("region", "eu")));
		List<KeyValues> stopped = lowCardinalityKeyValuesAtStop(registry);
		NsqTemplateObservationContext context = new NsqTemplateObservationContext("orders", "send");
		Observation observation = NsqTemplateObservation.TEMPLATE_OBSERVATION
			.observation(null, DefaultNsqTemplateObservationConvention.INSTANCE, () -> context, registry)
			.start();
		context.setResult("success");
		observation.stop();
		assertThat(stopped).hasSize(1);
		assertThat(stopped.get(0).stream().map((keyValue) -> keyValue.getKey() + "=" + keyValue.getValue())).containsExactly(
				"messaging.destination.name=orders", "messaging.system=nsq", "nsq.operation=send", "nsq.result=success",
				"nsq.topic=orders", "region=eu");
	}

	@Test
	void overridesEveryKeyValueMethodOfMicrometersContext() {
		List<String> inherited = Arrays.stream(Observation.Context.class.getDeclaredMethods())
			.filter((method) -> Modifier.isPublic(method.getModifiers()) && method.getName().contains("KeyValue"))
			.filter((method) -> !declares(KeyValuesSenderContext.class, method)
					|| !declares(KeyValuesReceiverContext.class, method))
			.map(Method::getName)
			.toList();
		assertThat(inherited).as("key-value methods of Observation.Context that would read its own maps").isEmpty();
	}

	/** What each observation's handlers see as its low-cardinality key values when it stops. */
	private static List<KeyValues> lowCardinalityKeyValuesAtStop(ObservationRegistry registry) {
		List<KeyValues> stopped = new ArrayList<>();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStop(Observation.Context context) {
				stopped.add(context.getLowCardinalityKeyValues());
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
		return stopped;
	}

	private static boolean declares(Class<?> type, Method method) {
		try {
			type.getDeclaredMethod(method.getName(), method.getParameterTypes());
			return true;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

}
