package io.github.nsqspring.archive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.nsqspring.listener.NsqListenerContainer;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import io.github.nsqspring.listener.NsqListenerRegistry;

import org.springframework.beans.factory.DisposableBean;

/**
 * The archive's listener containers: for each archived topic one container on the archive channel with an
 * {@link NsqArchiveWriter}, registered in the {@link NsqListenerRegistry} so that they start, stop and
 * drain with every other listener. Closes the writers when the context is destroyed, after the drain.
 */
public class NsqArchiveContainers implements DisposableBean {

	/** Prefix of the archive containers' names in the registry, e.g. {@code nsq-archive-orders}. */
	public static final String NAME_PREFIX = "nsq-archive-";

	private final List<NsqArchiveWriter> writers = new ArrayList<>();

	/**
	 * Creates and registers one container per topic.
	 * @param topics the archived topics
	 * @param channel the archive channel
	 * @param table where rows go
	 * @param maxMessages the most messages per batch
	 * @param flushInterval the longest a message waits for its batch
	 * @param factory creates the containers with the application's connection and drain settings
	 * @param registry holds them
	 */
	public NsqArchiveContainers(List<String> topics, String channel, ArchiveTable table, int maxMessages,
			Duration flushInterval, NsqListenerContainerFactory factory, NsqListenerRegistry registry) {
		try {
			for (String topic : topics) {
				NsqArchiveWriter writer = new NsqArchiveWriter(topic, table, maxMessages, flushInterval);
				this.writers.add(writer);
				NsqListenerContainer container = factory.createContainer(registry.nextContainerId(), topic, channel,
						(properties) -> {
							properties.setName(NAME_PREFIX + topic);
							writer.configure(properties);
						}, writer);
				registry.registerListenerContainer(container);
			}
		}
		catch (RuntimeException ex) {
			destroy();
			throw ex;
		}
	}

	@Override
	public void destroy() {
		this.writers.forEach(NsqArchiveWriter::close);
	}

}
