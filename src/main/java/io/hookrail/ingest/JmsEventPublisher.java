package io.hookrail.ingest;

import io.hookrail.broker.EventRequester;
import io.hookrail.broker.EventTopics;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;

/**
 * Publishes each event on its own to the event type's ActiveMQ Virtual Topic, through the {@code jms} component.
 * <p>
 * The send is InOnly and persistent, so ActiveMQ answers only after the message is in its store on disk.
 */
public final class JmsEventPublisher implements EventPublisher {

    private final ProducerTemplate template;

    public JmsEventPublisher(ProducerTemplate template) {
        this.template = template;
    }

    @Override
    public void publish(CloudEvent event) throws Exception {
        Exchange sent = template.send("jms:topic:" + EventTopics.topic(event.type()) + "?deliveryPersistent=true",
                ExchangePattern.InOnly, exchange -> {
                    // the source whose signature the gateway verified: the event seal vouches for it
                    exchange.setProperty(EventRequester.PROPERTY, EventRequester.source(event.source()));
                    exchange.getMessage().setBody(event.json());
                    exchange.getMessage().setHeader(EventTopics.EVENT_ID_HEADER, event.id());
                    exchange.getMessage().setHeader(EventTopics.EVENT_TYPE_HEADER, event.type());
                    exchange.getMessage().setHeader(EventTopics.EVENT_SOURCE_HEADER, event.source());
                    exchange.getMessage().setHeader(EventTopics.CORRELATION_ID_HEADER, event.correlationId());
                });
        if (sent.getException() != null) {
            throw sent.getException();
        }
    }
}
