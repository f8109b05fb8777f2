package io.github.nsqspring.autoconfigure;

import io.github.nsqspring.core.NsqEnvelopeTopics;
import io.github.nsqspring.core.NsqMessageConverter;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.core.NsqProducerSettings;
import io.github.nsqspring.core.NsqSecurity;
import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.core.NsqTls;
import io.github.nsqspring.core.PublishObserver;
import io.github.nsqspring.observation.NsqTemplateObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link NsqTemplate}, publishing to the nsqd of the {@link NsqConnectionDetails} with the
 * {@code nsq.producer.*} settings, the {@link NsqMessageConverter} bean, TLS ({@link NsqTls} bean) and
 * {@code nsq.auth-secret}, enveloping the topics of {@code nsq.producer.envelope.*}, told to every {@link PublishObserver} bean, and, with
 * {@code nsq.producer.observation-enabled}, observed in the {@link ObservationRegistry} (if any) with the
 * {@link NsqTemplateObservationConvention} bean (if any), customized by the {@link NsqTemplateCustomizer}
 * beans, unless the application defines its own {@link NsqOperations}.
 */
@Configuration(proxyBeanMethods = false)
class NsqTemplateConfiguration {

	@Bean
	@ConditionalOnMissingBean(NsqOperations.class)
	NsqTemplate nsqTemplate(NsqProperties properties, NsqConnectionDetails connectionDetails,
			NsqMessageConverter messageConverter, ObjectProvider<PublishObserver> publishObservers,
			ObjectProvider<NsqTls> tls, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<NsqTemplateObservationConvention> observationConvention,
			ObjectProvider<NsqTemplateCustomizer> customizers) {
		NsqTemplate template = new NsqTemplate(producerSettings(properties, connectionDetails), messageConverter,
				new NsqSecurity(tls.getIfAvailable(), properties.getAuthSecret()));
		template.setPublishObserver(PublishObserver.composite(publishObservers.orderedStream().toList()));
		template.setEnvelopeTopics(envelopeTopics(properties));
		if (properties.getProducer().isObservationEnabled()) {
			template.setObservationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
			template.setObservationConvention(observationConvention.getIfUnique());
		}
		customizers.orderedStream().forEach((customizer) -> customizer.customize(template));
		return template;
	}

	static NsqEnvelopeTopics envelopeTopics(NsqProperties properties) {
		NsqProperties.Envelope envelope = properties.getProducer().getEnvelope();
		return NsqEnvelopeTopics.of(envelope.isEnabled(), envelope.getTopics());
	}

	static NsqProducerSettings producerSettings(NsqProperties properties, NsqConnectionDetails connectionDetails) {
		NsqProperties.Producer producer = properties.getProducer();
		try {
			return new NsqProducerSettings(connectionDetails.getNsqdAddresses(), producer.getTimeout(),
					producer.getConnections(), (int) producer.getMaxMessageSize().toBytes(),
					(int) producer.getMaxBodySize().toBytes(), producer.getMaxDeferral(), producer.getFailbackInterval(),
					producer.getBatch().getMaxMessages(), (int) producer.getBatch().getMaxSize().toBytes(),
					producer.getHeartbeatInterval(), producer.getMaxPending().toBytes(), producer.getCompression(),
					producer.getDeflateLevel());
		}
		catch (IllegalArgumentException ex) {
			String addresses = (connectionDetails instanceof PropertiesNsqConnectionDetails) ? "nsq.nsqd-addresses"
					: "nsqd addresses of " + connectionDetails.getClass().getName();
			throw new IllegalArgumentException("Invalid " + addresses + " or nsq.producer.* settings: " + ex.getMessage(),
					ex);
		}
	}

}
