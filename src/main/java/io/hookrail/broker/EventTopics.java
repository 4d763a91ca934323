package io.hookrail.broker;

/**
 * Destination names on the broker: one ActiveMQ Virtual Topic per event type, and one durable queue per flow
 * subscribed to it, so each flow consumes, fails and is replayed on its own.
 */
public final class EventTopics {

    /** JMS properties every event message carries (JMS property names must be Java identifiers). */
    public static final String EVENT_ID_HEADER = "eventId";
    public static final String EVENT_TYPE_HEADER = "eventType";
    public static final String EVENT_SOURCE_HEADER = "eventSource";
    public static final String CORRELATION_ID_HEADER = "correlationId";

    private static final String TOPIC_PREFIX = "VirtualTopic.";
    private static final String CONSUMER_PREFIX = "Consumer.";

    private EventTopics() {
    }

    /** The topic the gateway publishes an event type to, e.g. {@code VirtualTopic.order.placed}. */
    public static String topic(String eventType) {
        return TOPIC_PREFIX + eventType;
    }

    /** The durable queue through which one flow receives an event type, e.g. {@code Consumer.order-fulfilment.VirtualTopic.order.placed}. */
    public static String flowQueue(String flow, String eventType) {
        return CONSUMER_PREFIX + flow + "." + topic(eventType);
    }

    /** The flow whose queue this is ({@code order-fulfilment} of the example above), or null for any other queue. */
    public static String flowOfQueue(String queue) {
        int topic = queue.indexOf("." + TOPIC_PREFIX);
        return queue.startsWith(CONSUMER_PREFIX) && topic > CONSUMER_PREFIX.length()
                ? queue.substring(CONSUMER_PREFIX.length(), topic) : null;
    }
}
